// Every message between the page and the training worker, in one place.
// page -> worker
export const TO_WORKER = {
  init: 'init',                   // {threadedEngineUrl}: absolute URL of the threaded engine; sent first
  loadMnist: 'load-mnist',        // {files: {key: absolute URL}}: fetch (or take from cache) the served MNIST files
  loadFiles: 'load-files',        // {trainImages, trainLabels, testImages, testLabels}: ArrayBuffers (raw or .gz)
  start: 'start',                 // {model, config}
  pause: 'pause',
  resume: 'resume',
  stop: 'stop',
};
// worker -> page
export const FROM_WORKER = {
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
};
// The served MNIST files, gzip-compressed (scripts/build_web.sh puts them
// there), relative to the page.
export const MNIST_FILES = {
  trainImages: 'data/train-images-idx3-ubyte.gz',
  trainLabels: 'data/train-labels-idx1-ubyte.gz',
  testImages: 'data/t10k-images-idx3-ubyte.gz',
  testLabels: 'data/t10k-labels-idx1-ubyte.gz',
};
// The threaded engine (scripts/build_wasm.sh), relative to the page. Its
// thread workers load it again by URL, so it is served as is, not bundled.
export const THREADED_ENGINE = 'engine-threads/engine-threads.js';
// Most threads the threaded engine runs: must match kThreadLimit in
// core/parallel/thread_pool.cpp (and PTHREAD_POOL_SIZE in wasm_bindings/).
export const MAX_TRAINING_THREADS = 8;
