// What a finished run shows: test accuracy, the confusion matrix, a gallery
// of misclassified test digits, and softmax regression's ten weight maps.
const DIGITS = [...Array(10).keys()];

export function showConfusion(table, confusion, classes = 10) {
  const rows = [`<tr><th></th>${DIGITS.slice(0, classes).map((g) => `<th scope="col">${g}</th>`).join('')}</tr>`];
  for (let t = 0; t < classes; t++) {
    let total = 0;
    for (let g = 0; g < classes; g++) total += confusion[t * classes + g];
    const cells = DIGITS.slice(0, classes).map((g) => {
      const n = confusion[t * classes + g];
      const share = total ? n / total : 0;
      return `<td style="--share:${share.toFixed(3)}" title="true ${t}, guessed ${g}: ${n}">${n}</td>`;
    });
    rows.push(`<tr><th scope="row">${t}</th>${cells.join('')}</tr>`);
  }
  table.innerHTML = rows.join('');
}

function grayCanvas(pixels, rows, cols) {
  const canvas = document.createElement('canvas');
  canvas.width = cols;
  canvas.height = rows;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(cols, rows);
  for (let i = 0; i < rows * cols; i++) {
    image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = pixels[i];
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}

export function showMistakes(container, mistakes) {
  container.replaceChildren(...mistakes.map((m) => {
    const figure = document.createElement('figure');
    figure.append(grayCanvas(m.pixels, m.rows, m.cols));
    const caption = document.createElement('figcaption');
    caption.textContent = `${m.label} → ${m.guess}`;
    figure.append(caption);
    figure.dataset.label = String(m.label);
    figure.dataset.guess = String(m.guess);
    return figure;
  }));
}

// weights (10, 784): positive blue, negative red, scaled by the largest magnitude.
export function showWeightMaps(container, weights, side = 28) {
  const classes = weights.length / (side * side);
  let max = 1e-6;
  for (const w of weights) max = Math.max(max, Math.abs(w));
  const figures = [];
  for (let k = 0; k < classes; k++) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = side;
    const ctx = canvas.getContext('2d');
    const image = ctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) {
      const v = weights[k * side * side + i] / max;
      const a = Math.round(Math.min(1, Math.abs(v)) * 255);
      image.data.set(v >= 0 ? [255 - a, 255 - a * 0.6, 255] : [255, 255 - a * 0.8, 255 - a], i * 4);
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    const figure = document.createElement('figure');
    const caption = document.createElement('figcaption');
    caption.textContent = String(k);
    figure.append(canvas, caption);
    figures.push(figure);
  }
  container.replaceChildren(...figures);
}
