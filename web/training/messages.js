// Every message between the page and the training worker, in one place.
// page -> worker
export const TO_WORKER = {
  init: 'init',                   // {threadedEngineUrl: absolute URL of the threaded engine, threadPorts:
                                  // MessagePorts to its thread workers (thread_ports.js)}; sent first
  loadMnist: 'load-mnist',        // {files: {key: absolute URL}}: fetch (or take from cache) the served MNIST files
  loadFiles: 'load-files',        // {[DATA_FILE_KEYS]: ArrayBuffer (raw or .gz), names: {[key]: file name}}
  start: 'start',                 // {model, config}: config as TrainingSession.start takes it, with
                                  // warmupFraction (of the run's steps) and without validateEvery
  pause: 'pause',
  resume: 'resume',
  stop: 'stop',
  adapt: 'adapt',                 // {model: ArrayBuffer (a model file), pixels: ArrayBuffer (N*784 bytes),
                                  // labels: ArrayBuffer (N), config?}: adapt the model to these digits
                                  // (needs MNIST in the worker: it is replayed)
  cancelAdapt: 'cancel-adapt',
  hold: 'hold',                   // stop computing after the current slice (until release): the page
                                  // has main-thread work that must not share the cores with the worker
  release: 'release',
};
// worker -> page
export const FROM_WORKER = {
  starting: 'starting',           // {stage}: how far the engine's start has got (said if it stalls)
  ready: 'ready',                 // {build: 'threaded' | 'single-threaded', threads, note} the engine is loaded
  download: 'download',           // {file, loaded, total} bytes of the current file
  dataReady: 'data-ready',        // {train, test, source} example counts
  dataError: 'data-error',        // {message}
  progress: 'progress',           // {step, totalSteps, loss, batchAccuracy, validationAccuracy, imagesPerSecond, elapsedSeconds, validationSeconds, weights?}
  paused: 'paused',
  testing: 'testing',             // {count} the last step is done; the model is being tested (seconds for the CNN)
  finished: 'finished',           // {stopped, evaluation, mistakes, model: ArrayBuffer, weights?, progress}
  failed: 'failed',               // {message, model?: ArrayBuffer} training stopped (divergence keeps the last good weights)
  error: 'error',                 // {message} anything else that went wrong
  adaptProgress: 'adapt-progress',  // {phase: 'adapting' | 'testing-before' (the model it started from, after
                                  // the first run) | 'testing-after', step, totalSteps, run, runs}
  adaptedModel: 'adapted-model',  // {model: ArrayBuffer} adapted on all the digits; measuring what it gained follows
  adapted: 'adapted',             // {model: ArrayBuffer, before, after, samples (held-out accuracy on the
                                  // person's digits), mnistBefore, mnistAfter, seconds}
  adaptFailed: 'adapt-failed',    // {message} nothing changed
  adaptCancelled: 'adapt-cancelled',
  held: 'held',                   // nothing runs in the worker until release
};
// The four data files, by the key messages use for them: the served MNIST
// file (gzip-compressed, put there by scripts/build_web.sh, relative to the
// page) and how to recognise the user's own file by its name.
export const DATA_FILES = {
  trainImages: { served: 'data/train-images-idx3-ubyte.gz', pattern: /train.*images|train.*idx3/i },
  trainLabels: { served: 'data/train-labels-idx1-ubyte.gz', pattern: /train.*labels|train.*idx1/i },
  testImages: { served: 'data/t10k-images-idx3-ubyte.gz', pattern: /(t10k|test).*(images|idx3)/i },
  testLabels: { served: 'data/t10k-labels-idx1-ubyte.gz', pattern: /(t10k|test).*(labels|idx1)/i },
};
export const DATA_FILE_KEYS = Object.keys(DATA_FILES);
// Validation runs this many times in a run (and at its end), on at most
// VALIDATION_LIMIT examples (all of them at the end).
export const VALIDATIONS_PER_RUN = 10;
export const VALIDATION_LIMIT = 1000;
// The threaded engine (scripts/build_wasm.sh), relative to the page. Its
// thread workers load it again by URL, so it is served as is, not bundled.
export const THREADED_ENGINE = 'engine-threads/engine-threads.js';
export const THREADED_ENGINE_THREAD = 'engine-threads/engine-threads.worker.js';
