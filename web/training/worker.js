// The training worker: the only code that trains. It owns one engine
// TrainingSession, gets the data (fetched MNIST or the user's files), and runs
// the whole loop itself in time slices, posting progress a few times a
// second and reading pause/stop messages between slices.
import { downloadFiles, gunzipIfNeeded } from './dataset_files.js';
import { loadTrainingEngine } from './engine_loader.js';
import { DATA_FILE_KEYS, FROM_WORKER, TO_WORKER, VALIDATION_LIMIT, VALIDATIONS_PER_RUN } from './messages.js';

const SLICE_MS = 200;            // progress is posted after each slice
const WEIGHTS_EVERY_MS = 1000;   // softmax weight maps update this often
const MISTAKES_SHOWN = 24;

let session = null;
let model = null;                // 'softmax' | 'cnn' of the run in progress
let state = 'idle';              // 'idle' | 'running' | 'paused'
let lastWeights = 0;
let chunkSteps = 1;              // steps between chart points
let lastValidation = -1;

const post = (type, data = {}, transfer = []) => self.postMessage({ type, ...data }, transfer);

// The engine starts on the page's first message (init), which says where the
// threaded build is; every other message waits for it.
let ready = null;
async function init(msg) {
  post(FROM_WORKER.starting, { stage: 'the worker runs' });
  const { engine, build, threads, note } = await loadTrainingEngine(msg.threadedEngineUrl, msg.threadPorts, (stage) => post(FROM_WORKER.starting, { stage }));
  session = new engine.TrainingSession();
  post(FROM_WORKER.ready, { build, threads, note });
}

let dataSource = null;  // what the session holds: 'MNIST', 'your files' or null

function setData(files, source) {
  const trainError = session.setTrainingData(files.trainImages, files.trainLabels);
  if (trainError) return post(FROM_WORKER.dataError, { message: trainError });
  const testError = session.setTestData(files.testImages, files.testLabels);
  if (testError) return post(FROM_WORKER.dataError, { message: testError });
  dataSource = source;
  dataReady();
}
function dataReady() {
  post(FROM_WORKER.dataReady, { train: session.trainCount(), test: session.testCount(), source: dataSource });
}

function weightsIfSoftmax(force) {
  if (model !== 'softmax') return undefined;
  const now = performance.now();
  if (!force && now - lastWeights < WEIGHTS_EVERY_MS) return undefined;
  lastWeights = now;
  return session.softmaxWeights();
}

// Runs for about SLICE_MS in chunks of steps, recording each chunk's last
// loss and accuracy so the charts get a few hundred points whatever the speed.
function slice() {
  if (state !== 'running') return;
  if (held) return waiting.push(slice);
  const start = performance.now();
  const history = [];
  let error = '';
  let progress;
  do {
    error = session.runFor(chunkSteps, SLICE_MS);
    progress = session.progress();
    const point = { step: progress.step, loss: progress.loss, batchAccuracy: progress.batchAccuracy };
    if (progress.validatedThisStep || (progress.validationAccuracy >= 0 && progress.validationAccuracy !== lastValidation)) {
      point.validationAccuracy = progress.validationAccuracy;
      point.elapsedSeconds = progress.elapsedSeconds;
      lastValidation = progress.validationAccuracy;
    }
    if (!error) history.push(point);
  } while (!error && !progress.finished && performance.now() - start < SLICE_MS);
  post(FROM_WORKER.progress, { ...progress, history, weights: weightsIfSoftmax(false) });
  if (error) {
    state = 'idle';
    const bytes = session.save();
    return post(FROM_WORKER.failed, { message: error, model: bytes.buffer }, [bytes.buffer]);
  }
  if (progress.finished) return finish(false);
  setTimeout(slice, 0);  // let pause/stop messages in
}

function finish(stopped) {
  state = 'idle';
  // Testing the CNN on 10,000 images takes seconds: say so while it runs.
  post(FROM_WORKER.testing, { count: session.testCount() });
  const evaluation = session.evaluateTest();
  const mistakes = [];
  for (let i = 0; i < evaluation.guesses.length && mistakes.length < MISTAKES_SHOWN; i++) {
    const example = session.testExample(i);
    if (example.label !== evaluation.guesses[i]) mistakes.push({ ...example, guess: evaluation.guesses[i], index: i });
  }
  const bytes = session.save();
  post(FROM_WORKER.finished, {
    stopped, model: bytes.buffer, progress: session.progress(), weights: weightsIfSoftmax(true), mistakes,
    evaluation: { accuracy: evaluation.accuracy, loss: evaluation.loss, count: evaluation.count, confusion: evaluation.confusion },
  }, [bytes.buffer]);
}

// Adapting to the person's digits: its own loop of slices beside a
// training run's (the session keeps a separate model for it), so either
// can go on while the other does. The adapted model goes to the page as
// soon as the first run ends; testing the model it started from on MNIST
// and the cross-validation runs follow.
let adaptation = null;  // the one in progress: {original: Uint8Array, mnistBefore, posted}
async function adaptSlice(job) {
  if (job !== adaptation) return undefined;  // cancelled (and perhaps another started)
  if (held) return waiting.push(() => adaptSlice(job));
  const error = session.adaptFor(SLICE_MS / 2);
  let p = session.adaptationProgress();
  if (error) return endAdaptation(FROM_WORKER.adaptFailed, { message: error });
  post(FROM_WORKER.adaptProgress, { phase: 'adapting', step: p.step, totalSteps: p.totalSteps, run: p.run, runs: p.runs });
  if (p.run >= 1 && !job.posted && !p.finished) {
    // The first run (on all the digits) has just ended: the model holds the
    // adapted weights until the next step.
    job.posted = true;
    const bytes = session.saveAdapted();
    post(FROM_WORKER.adaptedModel, { model: bytes.buffer }, [bytes.buffer]);
  }
  if (p.run >= 1 && job.mnistBefore === undefined) {
    post(FROM_WORKER.adaptProgress, { phase: 'testing-before', step: p.step, totalSteps: p.totalSteps, run: p.run, runs: p.runs });
    if (!(await turnTaken(job))) return undefined;
    job.mnistBefore = session.testAccuracyOf(job.original);
  }
  if (!p.finished) return setTimeout(() => adaptSlice(job), 0);
  post(FROM_WORKER.adaptProgress, { phase: 'testing-after', step: p.step, totalSteps: p.totalSteps, run: p.run, runs: p.runs });
  if (!(await turnTaken(job))) return undefined;
  const bytes = session.saveAdapted();
  const mnistAfter = session.testAccuracyOf(bytes);  // the file as kept (int8 dense layers)
  p = session.adaptationProgress();
  return endAdaptation(FROM_WORKER.adapted, {
    model: bytes.buffer, before: p.before, after: p.after, samples: p.samples, mnistBefore: job.mnistBefore, mnistAfter,
    seconds: p.elapsedSeconds,
  }, [bytes.buffer]);
}

// Lets messages in (a cancel, a hold) before seconds of testing; false if
// the adaptation was cancelled meanwhile.
async function turnTaken(job) {
  await new Promise((resolve) => setTimeout(resolve, 0));
  while (held) await new Promise((resolve) => waiting.push(resolve));
  return job === adaptation;
}

function endAdaptation(type, data = {}, transfer = []) {
  adaptation = null;
  session.endAdaptation();
  post(type, data, transfer);
}

// Held: the loops stop at their next turn (messages are read between
// slices, so none is running now) and go on at release.
let held = false;
const waiting = [];

const handlers = {
  [TO_WORKER.hold]() {
    held = true;
    post(FROM_WORKER.held);
  },
  [TO_WORKER.release]() {
    held = false;
    for (const resume of waiting.splice(0)) setTimeout(resume, 0);
  },
  [TO_WORKER.adapt](msg) {
    if (adaptation) return post(FROM_WORKER.adaptFailed, { message: 'an adaptation is already running' });
    const original = new Uint8Array(msg.model);
    const error = session.startAdaptation(original, new Uint8Array(msg.pixels), new Uint8Array(msg.labels), msg.config ?? {});
    if (error) return post(FROM_WORKER.adaptFailed, { message: error });
    adaptation = { original, mnistBefore: undefined, posted: false };
    return adaptSlice(adaptation);
  },
  [TO_WORKER.cancelAdapt]() {
    if (adaptation) endAdaptation(FROM_WORKER.adaptCancelled);
  },
  async [TO_WORKER.loadMnist](msg) {
    // Asked twice (training and adapting both wanted it): once is enough,
    // and replacing the data would pull it from under an adaptation.
    if (dataSource === 'MNIST') return dataReady();
    if (adaptation) return post(FROM_WORKER.dataError, { message: 'Adapting to your digits is using the data: wait for it to end.' });
    try {
      const files = await downloadFiles(msg.files, (p) => post(FROM_WORKER.download, p));
      if (dataSource === 'MNIST') return dataReady();  // an earlier request got there first
      setData(files, 'MNIST');
    } catch (err) {
      post(FROM_WORKER.dataError, { message: err.message, retry: true });
    }
  },
  async [TO_WORKER.loadFiles](msg) {
    if (adaptation) return post(FROM_WORKER.dataError, { message: 'Adapting to your digits replays MNIST: wait for it to end before training on your files.' });
    const files = {};
    for (const key of DATA_FILE_KEYS) {
      try {
        files[key] = await gunzipIfNeeded(new Uint8Array(msg[key]));
      } catch (err) {
        return post(FROM_WORKER.dataError, { message: `${msg.names?.[key] ?? key}: ${err.message}` });
      }
    }
    setData(files, 'your files');
  },
  [TO_WORKER.start](msg) {
    if (state !== 'idle') return;
    const config = { ...msg.config };
    // Steps are known once the data is: validation and warm-up follow them.
    const steps = config.epochs > 0 ? Math.ceil((config.epochs * session.trainCount()) / config.batch) : config.steps;
    config.validateEvery = Math.max(1, Math.round(steps / VALIDATIONS_PER_RUN));
    config.validationLimit = VALIDATION_LIMIT;
    config.warmupSteps = Math.round((config.warmupFraction ?? 0) * steps);
    const error = session.start(msg.model, config);
    if (error) return post(FROM_WORKER.failed, { message: error });
    model = msg.model;
    lastWeights = 0;
    lastValidation = -1;
    chunkSteps = Math.max(1, Math.floor(session.progress().totalSteps / 300));
    state = 'running';
    slice();
  },
  [TO_WORKER.pause]() {
    if (state !== 'running') return;
    state = 'paused';
    post(FROM_WORKER.paused);
  },
  [TO_WORKER.resume]() {
    if (state !== 'paused') return;
    state = 'running';
    slice();
  },
  [TO_WORKER.stop]() {
    if (state === 'idle') return;
    finish(true);
  },
};

self.onmessage = async (event) => {
  if (event.data.type === TO_WORKER.init) {
    ready ??= init(event.data).catch((err) => post(FROM_WORKER.error, { message: `the engine did not start: ${err.message}` }));
    return;
  }
  await ready;
  if (!session) return;
  try {
    await handlers[event.data.type]?.(event.data);
  } catch (err) {
    state = 'idle';
    post(FROM_WORKER.error, { message: err.message || String(err) });
  }
};
