// The training panel: renders what a run does (status, progress, charts,
// milestones, results) from the training client's events, and routes the
// form's buttons to it. Trained models go out through onTrained(bytes,
// info); nothing here touches the recognition side.
import { isolationNote } from '../app_updates.js';
import { TrainingCharts } from './charts.js';
import { MILESTONES } from './presets.js';
import { showConfusion, showMistakes, showWeightMaps } from './results_view.js';
import { RunForm } from './run_form.js';
import { threadPoolSize } from './thread_ports.js';
import { TrainingClient } from './training_client.js';

export class TrainingPanel {
  // limits: Engine.limits (the form's bounds, the threads training may use).
  constructor(root, limits, { onTrained, onUse }) {
    const $ = (id) => root.querySelector(`[data-testid=${id}]`);
    this.$ = $;
    this.onTrained = onTrained;
    this.onUse = onUse;
    this.form = new RunForm($, limits);
    this.client = new TrainingClient(this.#listener(), limits.maxThreads);
    this.status = $('train-status');
    this.progressBar = $('train-progress');
    this.charts = new TrainingCharts($('loss-chart'), $('accuracy-chart'));
    this.running = false;
    this.paused = false;
    this.run = null;          // {model, config} of the run in progress
    this.lastModel = null;    // {bytes, info} of the last finished run
    this.log = [];            // progress of the current run, for tests and the curious
    this.milestones = {};
    this.restartNote = '';    // said in the engine's line once the engine was started again

    $('train-data').addEventListener('change', () => {
      root.querySelector('.own-files').hidden = $('train-data').value !== 'files';
    });
    $('train-form').addEventListener('submit', (e) => { e.preventDefault(); this.#start(); });
    $('train-pause').addEventListener('click', () => this.#togglePause());
    $('train-stop').addEventListener('click', () => this.client.stop());
    $('use-model').addEventListener('click', () => this.lastModel && this.onUse(this.lastModel.bytes, this.lastModel.info));
    $('train-fields').disabled = false;  // set up: the form may be used now
    this.#showEngine(self.crossOriginIsolated
      ? { build: 'threaded', threads: threadPoolSize(limits.maxThreads) }
      : { build: 'single-threaded', threads: 1, note: isolationNote() });
    // The service worker taking over is what a reload needs to bring threads.
    navigator.serviceWorker?.addEventListener('controllerchange', () => {
      if (!self.crossOriginIsolated) this.#showEngine({ ...this.engineShown, note: isolationNote() });
    });
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
  // A restart of the engine stays said here (the status moves on at once).
  #showEngine({ build, threads, note }) {
    this.engineShown = { build, threads, note };
    const line = this.$('train-engine');
    line.textContent = `Training runs in a Web Worker on the ${build} WebAssembly engine, ` +
      `${threads} thread${threads === 1 ? '' : 's'}${note ? ` (${note})` : ''}.${this.restartNote}`;
    line.dataset.build = build;
    line.dataset.threads = String(threads);
  }

  async #start() {
    if (this.running) return;
    const run = this.form.read();
    if (run.error) return this.#setStatus(run.error, 'error');
    const source = this.$('train-data').value;
    this.run = run;
    this.#setRunning(true);
    this.charts.reset();
    this.log.length = 0;
    this.milestones = {};
    this.#showMilestones();
    this.$('train-results').hidden = true;
    if (this.client.dataSource !== source || source !== 'mnist') {
      this.#setStatus(this.#gettingData(source));
    } else {
      this.#training();
    }
    const error = await this.client.start(run, source, [...(this.$('train-files').files ?? [])]);
    if (error) {
      this.#setRunning(false);
      this.#setStatus(error, 'error');
    }
  }

  // What a run waits for before its first step: the engine to start (a
  // second or so, the first time), then the data.
  #gettingData(source) {
    if (!this.client.engineReady) return 'Starting the training engine…';
    return source === 'mnist' ? 'Getting the MNIST files…' : 'Reading your files…';
  }

  #training() {
    const { model, config } = this.run;
    this.#setRunning(true, true);
    this.$('download-progress').hidden = true;
    this.#progress(0, config.epochs ? 0 : config.steps);
    this.#setStatus(`Training the ${model === 'cnn' ? 'convolutional network' : 'softmax regression'}…`);
  }

  #togglePause() {
    if (!this.running) return;
    this.paused = !this.paused;
    if (this.paused) this.client.pause();
    else this.client.resume();
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

  #listener() {
    return {
      // The page knows best why it is not isolated (its service worker).
      engine: (msg) => {
        this.#showEngine(self.crossOriginIsolated ? msg : { ...msg, note: isolationNote() });
        if (this.running && this.client.dataSource === null) this.#setStatus(this.#gettingData(this.$('train-data').value));
      },
      // Said on the page, not hidden: a person has just waited for it.
      restarted: ({ seconds, stage }) => {
        const line = this.$('train-engine');
        line.dataset.restarts = String(Number(line.dataset.restarts || 0) + 1);
        line.dataset.stalledAt = stage;
        this.restartNote = ` Its first start stalled (${stage}), so it was started again after ${seconds} s.`;
        this.#showEngine(this.engineShown);
        this.#setStatus(`The training engine did not start in ${seconds} s; starting it again…`);
      },
      download: (msg) => {
        const name = msg.file.split('/').pop();
        const mb = (n) => (n / 1048576).toFixed(1);
        this.#setStatus(`Downloading ${name}: ${mb(msg.loaded)} of ${msg.total ? mb(msg.total) : '?'} MB`);
        const bar = this.$('download-progress');
        bar.hidden = false;
        bar.max = Math.max(1, msg.total);
        bar.value = msg.loaded;
      },
      dataReady: (msg) => {
        this.#setStatus(`Data ready: ${msg.train.toLocaleString()} training and ${msg.test.toLocaleString()} test images (${msg.source}).`);
        if (this.running) this.#training();
      },
      dataError: (msg) => {
        this.$('download-progress').hidden = true;
        this.#setRunning(false);
        this.#setStatus(`${msg.message}${msg.retry ? ' Press Start to try again.' : ''}`, 'error');
      },
      progress: (msg) => this.#onProgress(msg),
      paused: () => this.#setStatus('Paused. Resume to go on, or Stop to keep the model as it is.'),
      testing: (msg) => this.#setStatus(`Testing the model on the ${msg.count.toLocaleString()} test images…`),
      finished: (msg) => this.#finished(msg),
      failed: (msg) => {
        this.#setRunning(false);
        this.#setStatus(msg.message, 'error');
      },
      died: (why) => {
        this.#setRunning(false);
        this.#setStatus(`The training worker stopped (${why}); perhaps it ran out of memory. ` +
          'Drawing still works with the models you had; press Start to try again.', 'error');
      },
    };
  }

  #onProgress(msg) {
    for (const p of msg.history) this.log.push({ ...p, imagesPerSecond: msg.imagesPerSecond });
    this.#milestones(msg.history);
    this.#progress(msg.step, msg.totalSteps);
    this.charts.add(msg.history);
    if (msg.weights) this.#weights(msg.weights);
    // Validation's share counts: a short CNN run spends much of its time validating.
    const perStep = msg.step ? (msg.elapsedSeconds + msg.validationSeconds) / msg.step : 0;
    const left = (msg.totalSteps - msg.step) * perStep;
    const val = msg.validationAccuracy >= 0 ? `, validation ${msg.validationAccuracy.toFixed(3)}` : '';
    if (!this.paused) {
      this.#setStatus(`Step ${msg.step} of ${msg.totalSteps}: loss ${msg.loss.toFixed(3)}, batch accuracy ` +
        `${msg.batchAccuracy.toFixed(2)}${val}; ${Math.round(msg.imagesPerSecond)} images/s, about ${formatTime(left)} left.`);
    }
  }

  // The training time at which validation accuracy first reached each milestone.
  #milestones(history) {
    let changed = false;
    for (const p of history) {
      if (p.validationAccuracy === undefined) continue;
      for (const m of MILESTONES) {
        if (p.validationAccuracy >= m && this.milestones[m] === undefined) this.milestones[m] = p.elapsedSeconds, changed = true;
      }
    }
    if (changed) this.#showMilestones();
  }

  #showMilestones() {
    const line = this.$('train-milestones');
    const reached = MILESTONES.filter((m) => this.milestones[m] !== undefined);
    line.dataset.milestones = JSON.stringify(this.milestones);
    line.textContent = reached.length
      ? `Validation accuracy reached ${reached.map((m) => `${m.toFixed(2)} after ${formatTime(this.milestones[m])}`).join(', ')} of training.`
      : '';
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
    const kind = this.run.model;
    const info = { kind, accuracy: ev.accuracy, name: `${kind === 'cnn' ? 'CNN' : 'Softmax'} ${(ev.accuracy * 100).toFixed(1)}%`, completed: !msg.stopped };
    this.lastModel = { bytes: new Uint8Array(msg.model), info };
    this.#setStatus(`${msg.stopped ? 'Stopped' : 'Done'} after ${msg.progress.step} steps ` +
      `(${formatTime(msg.progress.elapsedSeconds)}): test accuracy ${ev.accuracy.toFixed(4)} on ${ev.count.toLocaleString()} images.`);
    // The galleries (34 canvases) and keeping the model follow in tasks of
    // their own: all in one frame, a pen stroke drawn meanwhile stutters.
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
