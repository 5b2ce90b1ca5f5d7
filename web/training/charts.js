// Live charts of training: loss, and accuracy (batch and validation), drawn
// with Chart.js. Updates are batched to animation frames so a burst of
// progress messages costs one redraw.
import { CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, CategoryScale, Legend, Tooltip);

const MAX_POINTS = 400;  // older points are thinned so long runs stay cheap
const REDRAWS_PER_SECOND = 2;

function lineChart(canvas, datasets, yMax) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      elements: { point: { radius: 0 }, line: { borderWidth: 2, tension: 0.2 } },
      scales: {
        x: { type: 'linear', title: { display: true, text: 'step' } },
        y: { type: 'linear', min: 0, max: yMax },
      },
      plugins: { legend: { labels: { boxWidth: 12 } } },
    },
  });
}

export class TrainingCharts {
  constructor(lossCanvas, accuracyCanvas) {
    this.loss = lineChart(lossCanvas, [{ label: 'training loss', data: [], borderColor: '#d9534f' }]);
    this.accuracy = lineChart(accuracyCanvas, [
      { label: 'batch accuracy', data: [], borderColor: '#8fa8d8' },
      { label: 'validation accuracy', data: [], borderColor: '#2f6fde', pointRadius: 3 },
    ], 1);
    this.pending = false;
    this.lastRedraw = 0;
  }

  reset() {
    for (const chart of [this.loss, this.accuracy]) chart.data.datasets.forEach((d) => { d.data = []; });
    this.#redraw();
  }

  // points: [{step, loss, batchAccuracy, validationAccuracy?}]
  add(points) {
    for (const p of points) {
      push(this.loss.data.datasets[0].data, { x: p.step, y: p.loss });
      push(this.accuracy.data.datasets[0].data, { x: p.step, y: p.batchAccuracy });
      if (p.validationAccuracy !== undefined) push(this.accuracy.data.datasets[1].data, { x: p.step, y: p.validationAccuracy });
    }
    this.#redraw();
  }

  // At most REDRAWS_PER_SECOND, one chart per animation frame: redrawing is
  // the heaviest thing the page does while a model trains, and the main
  // thread must stay free for drawing.
  #redraw() {
    if (this.pending) return;
    this.pending = true;
    const wait = Math.max(0, this.lastRedraw + 1000 / REDRAWS_PER_SECOND - performance.now());
    setTimeout(() => requestAnimationFrame(() => {
      this.loss.update('none');
      requestAnimationFrame(() => {
        this.accuracy.update('none');
        this.pending = false;
        this.lastRedraw = performance.now();
      });
    }), wait);
  }
}

function push(series, point) {
  series.push(point);
  if (series.length > MAX_POINTS) {  // keep every other of the older half
    const half = series.length >> 1;
    const thinned = series.slice(0, half).filter((_, i) => i % 2 === 0);
    series.splice(0, half, ...thinned);
  }
}
