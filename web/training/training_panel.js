// The training panel: the form and its presets, the worker's lifecycle, the
// progress bar, charts and results. Trained models go out through
// onTrained(bytes, info); nothing here touches the recognition side.
import { TrainingCharts } from './charts.js';
import { FROM_WORKER, MAX_TRAINING_THREADS, MNIST_FILES, THREADED_ENGINE, TO_WORKER } from './messages.js';
import { PRESETS, VALIDATION_LIMIT, VALIDATIONS_PER_RUN } from './presets.js';
import { showConfusion, showMistakes, showWeightMaps } from './results_view.js';

const FILE_KEYS = {  // which of the user's files is which, by name
  trainImages: /train.*images|train.*idx3/i,
  trainLabels: /train.*labels|train.*idx1/i,
  testImages: /(t10k|test).*(images|idx3)/i,
  testLabels: /(t10k|test).*(labels|idx1)/i,
};

export class TrainingPanel {
  constructor(root, { onTrained, onUse }) {
    const $ = (id) => root.querySelector(`[data-testid=${id}]`);
    this.$ = $;
    this.onTrained = onTrained;
    this.onUse = onUse;
    this.form = $('train-form');
    this.status = $('train-status');
    this.progressBar = $('train-progress');
    this.charts = new TrainingCharts($('loss-chart'), $('accuracy-chart'));
    this.worker = null;
    this.dataSource = null;   // what the worker holds: 'mnist' or 'files'
    this.running = false;
    this.paused = false;
    this.lastModel = null;    // {bytes, info} of the last finished run
    this.log = [];            // progress of the current run, for tests and the curious

    $('train-preset').addEventListener('change', () => this.#applyPreset());
    $('train-data').addEventListener('change', () => {
      root.querySelector('.own-files').hidden = $('train-data').value !== 'files';
    });
    this.form.addEventListener('submit', (e) => { e.preventDefault(); this.#start(); });
    $('train-pause').addEventListener('click', () => this.#togglePause());
    $('train-stop').addEventListener('click', () => this.worker?.postMessage({ type: TO_WORKER.stop }));
    $('use-model').addEventListener('click', () => this.lastModel && this.onUse(this.lastModel.bytes, this.lastModel.info));
    this.#applyPreset();
    this.#showEngine(self.crossOriginIsolated
      ? { build: 'threaded', threads: Math.min(MAX_TRAINING_THREADS, navigator.hardwareConcurrency || 1) }
      : { build: 'single-threaded', threads: 1, note: 'the page is not cross-origin isolated' });
  }

  #applyPreset() {
    const p = PRESETS[this.$('train-preset').value];
    this.$('train-model').value = p.model;
    this.$('train-optimizer').value = p.optimizer;
    this.$('train-steps').value = String(p.steps);
    this.$('train-unit').value = 'steps';
    this.$('train-batch').value = String(p.batch);
    this.$('train-lr').value = p.lr;
  }

  #setStatus(text, state = '') {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }

  // running: a run was asked for (data may still be loading); training: the
  // worker is stepping, so pause and stop mean something.
  #setRunning(running, training = false) {
    this.running = running;
    this.paused = false;
    this.$('train-start').disabled = running;
    this.$('train-pause').disabled = !training;
    this.$('train-pause').textContent = 'Pause';
    this.$('train-stop').disabled = !training;
  }

  // What the training engine runs on: the expected build until the worker
  // reports the one it started (it falls back to single-threaded, saying why).
  #showEngine({ build, threads, note }) {
    const line = this.$('train-engine');
    line.textContent = `Training runs in a Web Worker on the ${build} WebAssembly engine, ` +
      `${threads} thread${threads === 1 ? '' : 's'}${note ? ` (${note})` : ''}.`;
    line.dataset.build = build;
    line.dataset.threads = String(threads);
  }

  #ensureWorker() {
    if (this.worker) return this.worker;
    // A classic worker (bundled as one script, vite.config.js): only classic
    // workers can importScripts the threaded engine.
    this.worker = new Worker(new URL('./worker.js', import.meta.url));
    this.worker.onmessage = (e) => {
      const start = performance.now();
      this.#onMessage(e.data);
      performance.measure(`training message ${e.data.type}`, { start });  // shows in DevTools
    };
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.#workerDied(e.message || 'it stopped unexpectedly');
    };
    this.worker.onmessageerror = () => this.#workerDied('a message could not be read');
    this.worker.postMessage({ type: TO_WORKER.init, threadedEngineUrl: new URL(THREADED_ENGINE, document.baseURI).href });
    return this.worker;
  }

  #workerDied(why) {
    this.worker?.terminate();
    this.worker = null;
    this.dataSource = null;
    this.#setRunning(false);
    this.#setStatus(`The training worker stopped (${why}); perhaps it ran out of memory. ` +
      'Drawing still works with the models you had; press Start to try again.', 'error');
  }

  #readConfig() {
    const length = Number(this.$('train-steps').value);
    const inEpochs = this.$('train-unit').value === 'epochs';
    if (inEpochs && (!Number.isInteger(length) || length < 1 || length > 1000)) return { error: 'Epochs must be a whole number from 1 to 1000.' };
    const steps = inEpochs ? 1 : length;
    const batch = Number(this.$('train-batch').value);
    const lr = Number(this.$('train-lr').value);
    if (!Number.isInteger(steps) || steps < 1 || steps > 1_000_000) return { error: 'Steps must be a whole number from 1 to 1,000,000.' };
    if (!Number.isInteger(batch) || batch < 1 || batch > 4096) return { error: 'Batch must be a whole number from 1 to 4096.' };
    if (!Number.isFinite(lr) || lr <= 0) return { error: 'The learning rate must be a positive number, such as 0.001.' };
    return {
      model: this.$('train-model').value,
      config: {
        steps, epochs: inEpochs ? length : 0, batch, learningRate: lr, optimizer: this.$('train-optimizer').value,
        seed: Math.floor(Math.random() * 2 ** 31), augment: this.$('train-model').value === 'cnn',
        // For epochs the worker sets this once it knows the number of steps.
        validateEvery: inEpochs ? 0 : Math.max(1, Math.round(steps / VALIDATIONS_PER_RUN)), validationLimit: VALIDATION_LIMIT,
      },
    };
  }

  async #start() {
    if (this.running) return;
    const run = this.#readConfig();
    if (run.error) return this.#setStatus(run.error, 'error');
    const wanted = this.$('train-data').value;
    this.pendingRun = run;
    this.#setRunning(true);
    this.charts.reset();
    this.log.length = 0;
    this.$('train-results').hidden = true;
    const worker = this.#ensureWorker();
    if (this.dataSource === wanted && wanted === 'mnist') return this.#sendStart();
    if (wanted === 'mnist') {
      this.#setStatus('Getting the MNIST files…');
      // Absolute URLs: relative ones would resolve against the worker's script.
      const files = Object.fromEntries(Object.entries(MNIST_FILES).map(([k, path]) => [k, new URL(path, document.baseURI).href]));
      worker.postMessage({ type: TO_WORKER.loadMnist, files });
    } else {
      const files = await this.#readOwnFiles();
      if (files.error) {
        this.#setRunning(false);
        return this.#setStatus(files.error, 'error');
      }
      this.#setStatus('Reading your files…');
      worker.postMessage({ type: TO_WORKER.loadFiles, ...files.buffers, names: files.names },
        Object.values(files.buffers));
    }
  }

  async #readOwnFiles() {
    const chosen = [...(this.$('train-files').files ?? [])];
    const buffers = {}, names = {};
    for (const [key, pattern] of Object.entries(FILE_KEYS)) {
      const file = chosen.find((f) => pattern.test(f.name));
      if (!file) return { error: 'Choose four IDX files: train images, train labels, t10k (test) images and t10k labels.' };
      buffers[key] = await file.arrayBuffer();
      names[key] = file.name;
    }
    return { buffers, names };
  }

  #sendStart() {
    const { model, config } = this.pendingRun;
    this.#setRunning(true, true);
    this.$('download-progress').hidden = true;
    this.#progress(0, config.epochs ? 0 : config.steps);
    this.#setStatus(`Training the ${model === 'cnn' ? 'convolutional network' : 'softmax regression'}…`);
    this.worker.postMessage({ type: TO_WORKER.start, model, config });
  }

  #togglePause() {
    if (!this.running) return;
    this.paused = !this.paused;
    this.worker.postMessage({ type: this.paused ? TO_WORKER.pause : TO_WORKER.resume });
    this.$('train-pause').textContent = this.paused ? 'Resume' : 'Pause';
    // The worker pauses between steps; a big batch may take a moment to finish.
    this.#setStatus(this.paused ? 'Pausing after this step…' : 'Training…');
  }

  #progress(step, total) {
    this.progressBar.max = Math.max(1, total);
    this.progressBar.value = step;
    this.progressBar.dataset.step = String(step);
    this.progressBar.dataset.total = String(total);
  }

  #onMessage(msg) {
    switch (msg.type) {
      case FROM_WORKER.ready:
        this.#showEngine(msg);
        break;
      case FROM_WORKER.download: {
        const name = msg.file.split('/').pop();
        const mb = (n) => (n / 1048576).toFixed(1);
        this.#setStatus(`Downloading ${name}: ${mb(msg.loaded)} of ${msg.total ? mb(msg.total) : '?'} MB`);
        const bar = this.$('download-progress');
        bar.hidden = false;
        bar.max = Math.max(1, msg.total);
        bar.value = msg.loaded;
        break;
      }
      case FROM_WORKER.dataReady:
        this.dataSource = this.$('train-data').value;
        this.#setStatus(`Data ready: ${msg.train.toLocaleString()} training and ${msg.test.toLocaleString()} test images (${msg.source}).`);
        if (this.running) this.#sendStart();
        break;
      case FROM_WORKER.dataError:
        this.dataSource = null;
        this.$('download-progress').hidden = true;
        this.#setRunning(false);
        this.#setStatus(`${msg.message}${msg.retry ? ' Press Start to try again.' : ''}`, 'error');
        break;
      case FROM_WORKER.progress: {
        for (const p of msg.history) this.log.push({ ...p, imagesPerSecond: msg.imagesPerSecond });
        this.#progress(msg.step, msg.totalSteps);
        this.charts.add(msg.history);
        if (msg.weights) this.#weights(msg.weights);
        // Validation's share counts: a short CNN run spent a third of its time validating.
        const perStep = msg.step ? (msg.elapsedSeconds + msg.validationSeconds) / msg.step : 0;
        const left = (msg.totalSteps - msg.step) * perStep;
        const val = msg.validationAccuracy >= 0 ? `, validation ${msg.validationAccuracy.toFixed(3)}` : '';
        if (!this.paused) {
          this.#setStatus(`Step ${msg.step} of ${msg.totalSteps}: loss ${msg.loss.toFixed(3)}, batch accuracy ` +
            `${msg.batchAccuracy.toFixed(2)}${val}; ${Math.round(msg.imagesPerSecond)} images/s, about ${formatTime(left)} left.`);
        }
        break;
      }
      case FROM_WORKER.paused:
        this.#setStatus('Paused. Resume to go on, or Stop to keep the model as it is.');
        break;
      case FROM_WORKER.testing:
        this.#setStatus(`Testing the model on the ${msg.count.toLocaleString()} test images…`);
        break;
      case FROM_WORKER.finished:
        this.#finished(msg);
        break;
      case FROM_WORKER.failed:
        this.#setRunning(false);
        this.#setStatus(msg.message, 'error');
        break;
      case FROM_WORKER.error:
        this.#workerDied(msg.message);
        break;
      default:
        break;
    }
  }

  #weights(weights) {
    this.$('weight-maps-figure').hidden = false;
    showWeightMaps(this.$('weight-maps'), weights);
  }

  #finished(msg) {
    this.#setRunning(false);
    const ev = msg.evaluation;
    this.#progress(msg.progress.step, msg.progress.totalSteps);
    this.$('train-results').hidden = false;
    this.$('test-accuracy').textContent = ev.accuracy.toFixed(4);
    showConfusion(this.$('confusion'), ev.confusion);
    const kind = this.pendingRun.model;
    const info = { kind, accuracy: ev.accuracy, name: `${kind === 'cnn' ? 'CNN' : 'Softmax'} ${(ev.accuracy * 100).toFixed(1)}%`, completed: !msg.stopped };
    this.lastModel = { bytes: new Uint8Array(msg.model), info };
    this.#setStatus(`${msg.stopped ? 'Stopped' : 'Done'} after ${msg.progress.step} steps ` +
      `(${formatTime(msg.progress.elapsedSeconds)}): test accuracy ${ev.accuracy.toFixed(4)} on ${ev.count.toLocaleString()} images.`);
    // The galleries (34 canvases) and keeping the model follow in tasks of
    // their own: all at once took one 51-58 ms frame on a busy 2-core machine,
    // long enough for a pen stroke drawn meanwhile to stutter.
    const { bytes } = this.lastModel;
    setTimeout(() => {
      showMistakes(this.$('mistakes'), msg.mistakes);
      if (msg.weights) this.#weights(msg.weights);
      setTimeout(() => this.onTrained(bytes, info), 0);
    }, 0);
  }
}

function formatTime(seconds) {
  if (seconds < 10) return `${Math.max(0, seconds).toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
