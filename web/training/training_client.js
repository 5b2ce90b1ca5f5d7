// The page's side of the training worker: starts it, speaks its protocol
// (messages.js), keeps track of what data it holds, and turns its messages
// into calls on a listener. No DOM here but reading the user's files.
import { DATA_FILES, FROM_WORKER, THREADED_ENGINE, THREADED_ENGINE_THREAD, TO_WORKER } from './messages.js';
import { startThreadWorkers, threadPoolSize } from './thread_ports.js';

// A worker whose engine has not said it is ready after this long is started
// again, once, and the page says so: a safety net. (Firefox ESR's training
// worker once froze now and then in its engine's start, making thread
// workers inside it; the page makes them now: thread_ports.js.)
const ENGINE_START_MS = 15_000;

// listener: {engine({build, threads, note}), download({file, loaded, total}),
// restarted({seconds, stage}): a new worker was started, since the first one's
// engine did not start in time;
// dataReady({train, test, source}), dataError({message, retry}),
// progress(msg), paused(), testing({count}), finished(msg), failed({message}),
// died(why)}: msg as messages.js describes. Adapting to the person's
// digits reports to adaptListener: {progress(msg), ready({model}),
// adapted(msg), failed({message}), cancelled()}.
export class TrainingClient {
  // maxThreads: the engine's MAX_THREADS.
  constructor(listener, maxThreads) {
    this.listener = listener;
    this.maxThreads = maxThreads;
    this.threadWorkers = null;  // the thread workers started for the worker's threaded engine
    this.adaptListener = null;
    this.worker = null;
    this.dataSource = null;  // what the worker holds: 'mnist', 'files' or null
    this.pending = null;     // {model, config} waiting for data
    this.pendingAdapt = null;  // an adapt message waiting for MNIST
    this.training = false;   // a run is going on in the worker
    this.onHeld = null;      // resolves withWorkerHeld's wait
    this.engineReady = false;  // the worker has said which engine it runs
    this.requested = null;   // the data asked of the worker: 'mnist', 'files' or null
    this.startTimer = 0;
    this.restarted = false;
    this.startStage = '';    // the last stage of the engine's start the worker reported
  }

  // Adapts a model (file bytes) to digits (pixels: Uint8Array(N*784),
  // labels: Uint8Array(N)), with MNIST replayed: loads MNIST first when the
  // worker does not hold it. Returns '' or why it cannot start.
  adapt(modelBytes, pixels, labels, listener) {
    if (this.dataSource === 'files' && this.training) {
      return 'Adapting replays MNIST, and a training run on your own files is using the worker: wait for it to end.';
    }
    this.adaptListener = listener;
    const worker = this.#ensureWorker();
    const model = modelBytes.slice().buffer, p = pixels.slice().buffer, l = labels.slice().buffer;
    this.pendingAdapt = { type: TO_WORKER.adapt, model, pixels: p, labels: l };
    if (this.dataSource === 'mnist') this.#sendAdapt();
    else this.#loadMnist(worker);
    return '';
  }
  // Runs fn() (the page's work that needs the cores, such as loading a model
  // into the recogniser) while the worker computes nothing, and returns its
  // result: beside the worker's threads such work takes several times as
  // long, a pause the user feels. The worker pauses at the end of its
  // current slice.
  async withWorkerHeld(fn) {
    if (!this.worker) return fn();
    const worker = this.worker;
    await new Promise((resolve) => {
      this.onHeld = resolve;
      worker.postMessage({ type: TO_WORKER.hold });
    });
    try {
      return fn();
    } finally {
      worker.postMessage({ type: TO_WORKER.release });
    }
  }

  cancelAdapt() {
    if (this.pendingAdapt) {
      this.pendingAdapt = null;
      this.adaptListener?.cancelled();
      return;
    }
    this.worker?.postMessage({ type: TO_WORKER.cancelAdapt });
  }
  #sendAdapt() {
    const msg = this.pendingAdapt;
    this.pendingAdapt = null;
    this.worker.postMessage(msg, [msg.model, msg.pixels, msg.labels]);
  }
  #loadMnist(worker) {
    // Absolute URLs: relative ones would resolve against the worker's script.
    const urls = Object.fromEntries(Object.entries(DATA_FILES).map(([k, f]) => [k, new URL(f.served, document.baseURI).href]));
    this.requested = 'mnist';
    worker.postMessage({ type: TO_WORKER.loadMnist, files: urls });
  }

  // Starts a run on the given data ('mnist' or 'files', with the user's
  // files); data already in the worker is not loaded again. Returns '' or why
  // it cannot start.
  async start(run, source, files = []) {
    const worker = this.#ensureWorker();
    this.pending = run;
    if (this.dataSource === source && source === 'mnist') return this.#sendStart();
    if (source === 'mnist') {
      this.#loadMnist(worker);
      return '';
    }
    const own = await readOwnFiles(files);
    if (own.error) {
      this.pending = null;
      return own.error;
    }
    this.requested = 'files';
    worker.postMessage({ type: TO_WORKER.loadFiles, ...own.buffers, names: own.names }, Object.values(own.buffers));
    return '';
  }

  pause() { this.worker?.postMessage({ type: TO_WORKER.pause }); }
  resume() { this.worker?.postMessage({ type: TO_WORKER.resume }); }
  stop() { this.worker?.postMessage({ type: TO_WORKER.stop }); }

  #sendStart() {
    const { model, config } = this.pending;
    this.pending = null;
    this.training = true;
    this.worker.postMessage({ type: TO_WORKER.start, model, config });
    return '';
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
      this.#died(e.message || 'it stopped unexpectedly');
    };
    this.worker.onmessageerror = () => this.#died('a message could not be read');
    this.worker.postMessage(this.#initMessage(), this.threadWorkers?.ports ?? []);
    this.startTimer = setTimeout(() => this.#startAgain(), ENGINE_START_MS);
    return this.worker;
  }

  // The threaded engine gets a thread worker per thread of its pool.
  #initMessage() {
    const base = document.baseURI;
    const threadedEngineUrl = new URL(THREADED_ENGINE, base).href;
    if (!self.crossOriginIsolated) return { type: TO_WORKER.init, threadedEngineUrl, threadPorts: [] };
    this.threadWorkers = startThreadWorkers(threadPoolSize(this.maxThreads), new URL(THREADED_ENGINE_THREAD, base).href);
    return { type: TO_WORKER.init, threadedEngineUrl, threadPorts: this.threadWorkers.ports };
  }

  #terminateWorker() {
    this.worker?.terminate();
    this.worker = null;
    this.threadWorkers?.terminate();
    this.threadWorkers = null;
  }

  // The engine did not start: a new worker, asked again for the data the
  // run or adaptation waits for (the user's files were handed over to the
  // old worker, so those must be chosen again).
  #startAgain() {
    if (this.engineReady || !this.worker) return;
    if (this.restarted || this.requested === 'files') {
      this.#died(`its engine did not start in ${ENGINE_START_MS / 1000} s`);
      return;
    }
    this.restarted = true;
    this.listener.restarted({ seconds: ENGINE_START_MS / 1000, stage: this.startStage || 'the worker\'s script did not run' });
    this.startStage = '';
    this.#terminateWorker();
    const worker = this.#ensureWorker();
    if (this.requested === 'mnist') this.#loadMnist(worker);
  }

  #died(why) {
    this.#terminateWorker();
    clearTimeout(this.startTimer);
    this.requested = null;
    this.dataSource = null;
    this.pending = null;
    this.training = false;
    this.engineReady = false;
    this.onHeld?.();
    this.listener.died(why);
    if (this.pendingAdapt || this.adaptListener) this.adaptListener?.failed({ message: `the training worker stopped: ${why}` });
    this.pendingAdapt = null;
  }

  #onMessage(msg) {
    const l = this.listener;
    switch (msg.type) {
      case FROM_WORKER.starting: this.startStage = msg.stage; return undefined;
      case FROM_WORKER.ready:
        this.engineReady = true;
        clearTimeout(this.startTimer);
        if (msg.build !== 'threaded') {  // the thread workers have nothing to run
          this.threadWorkers?.terminate();
          this.threadWorkers = null;
        }
        return l.engine(msg);
      case FROM_WORKER.download: return l.download(msg);
      case FROM_WORKER.dataReady:
        this.dataSource = msg.source === 'MNIST' ? 'mnist' : 'files';
        l.dataReady(msg);
        if (this.pending) this.#sendStart();
        if (this.pendingAdapt && this.dataSource === 'mnist') this.#sendAdapt();
        return undefined;
      case FROM_WORKER.dataError:
        this.dataSource = null;
        this.pending = null;
        if (this.pendingAdapt) {
          this.pendingAdapt = null;
          this.adaptListener?.failed({ message: `MNIST, which adapting replays, could not be loaded: ${msg.message}` });
        }
        return l.dataError(msg);
      case FROM_WORKER.progress: return l.progress(msg);
      case FROM_WORKER.paused: return l.paused();
      case FROM_WORKER.testing: return l.testing(msg);
      case FROM_WORKER.finished: this.training = false; return l.finished(msg);
      case FROM_WORKER.failed: this.training = false; return l.failed(msg);
      case FROM_WORKER.adaptProgress: return this.adaptListener?.progress(msg);
      case FROM_WORKER.held: this.onHeld?.(); this.onHeld = null; return undefined;
      case FROM_WORKER.adaptedModel: return this.adaptListener?.ready(msg);
      case FROM_WORKER.adapted: return this.adaptListener?.adapted(msg);
      case FROM_WORKER.adaptFailed: return this.adaptListener?.failed(msg);
      case FROM_WORKER.adaptCancelled: return this.adaptListener?.cancelled();
      case FROM_WORKER.error: return this.#died(msg.message);
      default: return undefined;
    }
  }
}

// The four IDX files among those the user chose, by name: {buffers, names}
// keyed as DATA_FILES, or {error}.
async function readOwnFiles(chosen) {
  const buffers = {}, names = {};
  for (const [key, { pattern }] of Object.entries(DATA_FILES)) {
    const file = chosen.find((f) => pattern.test(f.name));
    if (!file) return { error: 'Choose four IDX files: train images, train labels, t10k (test) images and t10k labels.' };
    buffers[key] = await file.arrayBuffer();
    names[key] = file.name;
  }
  return { buffers, names };
}
