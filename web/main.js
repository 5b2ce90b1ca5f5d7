// The page's orchestration: start the engine, load the shipped models, and
// route drawings and photos to the engine's number reader and the view.
import { LIVE_RECOGNITIONS_PER_SECOND, YOUR_MODEL } from './constants.js';
import { DrawingPad } from './drawing_pad.js';
import { registerServiceWorker } from './app_updates.js';
import { loadEngine, webAssemblySimdSupported } from './engine.js';
import { setUpImageInput } from './image_upload.js';
import { Corrections } from './my_digits/corrections.js';
import { PadOverlay } from './pad_overlay.js';
import { ResultsView } from './results_view.js';

const $ = (id) => document.querySelector(`[data-testid=${id}]`);
const status = $('status');
const view = new ResultsView(document.querySelector('.result-panel'), $('pad-badge'));
const overlay = new PadOverlay(document.querySelector('.pad-frame'));
const modelSelect = $('model-select');
const uploadError = $('upload-error');
let engine = null;
// What was read last, for model switches and resizes: the pad's strokes
// ({points, lengths}), a photo ({rgba, width, height}), or null.
let lastSource = null;
let lastReading = null;
// The shipped models' files (the CNN is what adapting starts from) and the
// user's model in use, {bytes, name}.
const shippedBytes = {};
let yourModel = null;
let myDigitsPanel = null;  // set up with the training side

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function read(model, source) {
  return source.points
    ? engine.readStrokes(model, source.points, source.lengths)
    : engine.readImage(model, source.rgba, source.width, source.height);
}

// The other model's reading of the same digits (each digit's input again).
function otherReading(chosen, digits) {
  const name = chosen === 'cnn' ? 'softmax' : 'cnn';
  if (!engine.hasModel(name) || !digits.length) return null;
  const guesses = digits.map((d) => engine.predict(name, d.input));
  if (guesses.some((g) => g.error)) return null;
  return { name, number: guesses.map((g) => g.digit).join(''), digits: guesses.map((g) => ({ digit: g.digit, p: g.probabilities[g.digit] })) };
}

function recognize(source) {
  lastSource = source;
  if (!engine) return;
  const chosen = modelSelect.value;
  const reading = source ? read(chosen, source) : { number: '', message: '', digits: [], numbers: [] };
  if (reading.error) return source.points ? setStatus(reading.error, 'error') : showUploadError(reading.error);
  lastReading = reading;
  const toPad = (box) => (source.points ? box : overlay.photoToPad(box));
  for (const d of reading.digits) d.padBox = toPad(d.box);
  for (const n of reading.numbers) {
    n.padBox = toPad(n.box);
    for (const d of n.digits) d.padBox = toPad(d.box);
  }
  view.show(reading, chosen, otherReading(chosen, reading.digits));
  // Every number's digits are boxed on the photo; the strip shows the first number's.
  overlay.showBoxes(reading.numbers.length > 1 ? reading.numbers.flatMap((n) => n.digits) : reading.digits);
  corrections.update();
}

function showUploadError(message) {
  uploadError.textContent = message;
  uploadError.hidden = !message;
}

// Live recognition while drawing, at most LIVE_RECOGNITIONS_PER_SECOND. A
// recognition that is still waiting is dropped when a full one runs (a stroke
// ended, clear, undo) or a file arrives: run late, it would wipe the photo or
// the file's message with the drawing's result.
let liveRun = 0, nextLiveRun = 1, lastRun = 0;  // liveRun: id of the waiting one, 0 if none
function recognizeDrawingSoon() {
  if (liveRun) return;
  const id = liveRun = nextLiveRun++;
  const wait = Math.max(0, 1000 / LIVE_RECOGNITIONS_PER_SECOND - (performance.now() - lastRun));
  setTimeout(() => requestAnimationFrame(() => {
    if (liveRun !== id) return;
    lastRun = performance.now();
    recognizeDrawing();
  }), wait);
}
function recognizeDrawing() {
  const start = performance.now();
  liveRun = 0;
  showUploadError('');
  recognize(pad.strokesInCssPixels());
  performance.measure('recognize drawing', { start });  // shows in DevTools
}

const pad = new DrawingPad($('pad'), {
  onStart: () => overlay.showPhoto(null),  // drawing replaces a photo
  onDraw: recognizeDrawingSoon,
  onStrokeEnd: recognizeDrawing,
});
// Boxes are in CSS pixels: read again when the pad changes size.
let resizeTimer = 0;
new ResizeObserver(() => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => (lastSource?.points ? recognizeDrawing() : recognize(lastSource)), 100);
}).observe($('pad'));
// Clear and undo change the drawing, which replaces a photo shown.
function editPad(edit) {
  edit();
  overlay.showPhoto(null);
  recognizeDrawing();
}
$('clear').addEventListener('click', () => editPad(() => pad.clear()));
// "It is a N": the digit chosen in the reading (the only one, or the one
// selected in the strip) is kept with that label.
const corrections = new Corrections($('teach'), $('guided'), {
  current: () => {
    const digits = lastReading?.digits ?? [];
    const d = digits[view.selected] ?? digits[0];
    return d ? { input: d.input, digit: d.digit, alone: digits.length === 1 } : null;
  },
  clearPad: () => editPad(() => pad.clear()),
  onKept: () => myDigitsPanel?.refresh(),
});
$('undo').addEventListener('click', () => editPad(() => pad.undo()));
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  if (e.key === 'Escape') editPad(() => pad.clear());
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); editPad(() => pad.undo()); }
});
modelSelect.addEventListener('change', () => recognize(lastSource));
setUpImageInput({
  input: $('upload'),
  dropTarget: document.body,
  onImage: (image) => {
    liveRun = 0;
    showUploadError('');
    pad.clear();
    overlay.showPhoto(image.url, image.width, image.height);
    recognize(image);
  },
  onError: (message) => {
    liveRun = 0;
    showUploadError(message);
  },
});

// A model the user trained or loaded becomes "Your model" in the selector.
function useModel(bytes, name) {
  if (!engine) return 'the engine is not ready yet';
  const start = performance.now();
  const error = engine.loadModel(YOUR_MODEL, bytes);
  performance.measure('load a model', { start });  // shows in DevTools
  if (error) return error;
  let option = modelSelect.querySelector(`option[value=${YOUR_MODEL}]`);
  if (!option) {
    option = document.createElement('option');
    option.value = YOUR_MODEL;
    modelSelect.append(option);
  }
  option.textContent = `Your model: ${name}`;
  modelSelect.value = YOUR_MODEL;
  yourModel = { bytes, name };
  // Read again with it in a task of its own: a CNN's load and a reading in
  // one task make a long task.
  setTimeout(() => recognize(lastSource), 0);
  return '';
}

function forgetYourModel() {
  engine.unloadModel(YOUR_MODEL);
  modelSelect.querySelector(`option[value=${YOUR_MODEL}]`)?.remove();
  yourModel = null;
}

// The training side (charts, worker, saved models) loads after the engine is
// ready, so it never delays the first recognition.
async function setUpTraining() {
  const [{ addModel }, { SavedModelsView, downloadFile }, { TrainingPanel }, { MyDigitsPanel }] = await Promise.all([
    import('./training/model_store.js'),
    import('./training/saved_models_view.js'),
    import('./training/training_panel.js'),
    import('./my_digits/my_digits_panel.js'),
  ]);
  const kindOf = (spec) => (spec.includes('conv3x3') ? 'cnn' : spec.includes('relu') ? 'custom' : 'softmax');
  const savedModels = new SavedModelsView($('saved-models'), {
    toOnnx: (bytes) => engine.toOnnx(bytes),
    onUse: (m) => {
      const error = useModel(m.bytes, m.name);
      if (error) showModelFileError(`${m.name}: ${error}`);
    },
    onError: showModelFileError,
  });
  const trainingPanel = new TrainingPanel(document.querySelector('.train-panel'), engine.limits, {
    onTrained: async (bytes, info) => {
      if (!info.completed) return;  // a stopped run can be used, but only completed ones are kept
      try {
        await addModel({ name: info.name, date: Date.now(), kind: info.kind, accuracy: info.accuracy, bytes });
      } catch (err) {
        showModelFileError(`Could not keep the model in this browser: ${err.message}`);
      }
      savedModels.refresh();
    },
    onUse: (bytes, info) => {
      const error = useModel(bytes, info.name);
      if (error) showModelFileError(error);
    },
  });
  $('model-file').addEventListener('change', async (e) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file || !engine) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    const error = useModel(bytes, file.name);  // the C++ reader validates it
    if (error) return showModelFileError(`${file.name}: ${error}`);
    showModelFileError('');
    try {
      const format = /\.onnx$/i.test(file.name) ? 'onnx' : 'bin';
      await addModel({ name: file.name.replace(/\.(bin|onnx)$/i, ''), date: Date.now(), kind: kindOf(engine.spec(YOUR_MODEL)), accuracy: null, format, bytes });
    } catch (err) {
      showModelFileError(`${file.name} is in use but could not be kept in this browser: ${err.message}`);
    }
    savedModels.refresh();
  });
  $('model-file').disabled = false;
  // The model in use, shipped or the user's, as ONNX.
  $('download-onnx').addEventListener('click', () => {
    const chosen = modelSelect.value;
    const bytes = chosen === YOUR_MODEL ? yourModel?.bytes : shippedBytes[chosen];
    const converted = bytes ? engine.toOnnx(bytes) : { error: 'the model is not loaded yet' };
    if (converted.error) return showModelFileError(`Could not export the model: ${converted.error}`);
    const name = chosen === YOUR_MODEL ? yourModel.name.replace(/[^\w.-]+/g, '_') : chosen;
    return downloadFile(converted, `${name}.onnx`);
  });
  $('download-onnx').disabled = false;
  myDigitsPanel = new MyDigitsPanel(document.querySelector('.my-digits-panel'), {
    engine,
    client: trainingPanel.client,
    minDigits: engine.limits.minAdaptDigits,
    // The CNN in use (the user's own, or the shipped one) is what adapts.
    adaptable: () => {
      if (modelSelect.value === YOUR_MODEL && kindOf(engine.spec(YOUR_MODEL)) !== 'softmax') return yourModel;
      return shippedBytes.cnn ? { bytes: shippedBytes.cnn, name: 'The convolutional network' } : { bytes: shippedBytes.softmax, name: 'The softmax regression' };
    },
    tryOut: (bytes, name) => {
      const before = { value: modelSelect.value, yours: yourModel };
      const error = useModel(bytes, name);
      if (error) return () => {};
      return () => trainingPanel.client.withWorkerHeld(() => {
        if (before.yours) useModel(before.yours.bytes, before.yours.name);
        else forgetYourModel();
        modelSelect.value = before.value;
        recognize(lastSource);
      });
    },
    onAdapted: async (bytes, info) => {
      const error = await trainingPanel.client.withWorkerHeld(() => useModel(bytes, info.name));
      if (error) return showModelFileError(error);
      await new Promise((resolve) => setTimeout(resolve, 0));  // storing in a task of its own
      try {
        await addModel({ name: info.name, date: Date.now(), kind: kindOf(engine.spec(YOUR_MODEL)), accuracy: info.accuracy, bytes });
      } catch (err) {
        showModelFileError(`The adapted model is in use but could not be kept in this browser: ${err.message}`);
      }
      return savedModels.refresh();
    },
  });
  await myDigitsPanel.refresh();
  $('adapt').disabled = false;
  $('import-digits').disabled = false;
  await savedModels.refresh();
  window.__digits.trainingLog = trainingPanel.log;
  document.querySelector('.train-panel').dataset.ready = 'true';
}

function showModelFileError(message) {
  $('model-file-error').textContent = message;
  $('model-file-error').hidden = !message;
}

// One reading with a model before the first real one: the first call
// allocates the network's buffers and lets V8 compile the hot WebAssembly
// functions, which would otherwise land on the user's first stroke.
function warmUp(loaded, model) {
  const points = new Float32Array([40, 10, 38, 50, 36, 90, 90, 10, 120, 10, 100, 90]);  // a 1 and a 7
  const lengths = new Int32Array([3, 3]);
  for (let round = 0; round < 2; round++) {
    const reading = loaded.readStrokes(model, points, lengths);
    for (const d of reading.digits ?? []) loaded.predict(model, d.input);
  }
}

async function fetchModel(name) {
  const response = await fetch(`models/${name}.bin`);
  if (!response.ok) throw new Error(`models/${name}.bin: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function loadShippedModel(loaded, name, bytes) {
  const error = loaded.loadModel(name, bytes);
  if (error) throw new Error(`models/${name}.bin: ${error}`);
  shippedBytes[name] = bytes;
  warmUp(loaded, name);
}

// The small softmax regression arrives first and reads at once; the
// convolutional network takes over when it is in, unless the user chose a
// model meanwhile. "Ready" alone means both are in.
async function start() {
  if (!webAssemblySimdSupported()) {
    setStatus('This browser does not support WebAssembly SIMD, which the recogniser needs. Try a current Chrome, Edge, Firefox or Safari.', 'error');
    return;
  }
  const cnnBytes = fetchModel('cnn');
  cnnBytes.catch(() => {});  // awaited below; an early failure must not go unhandled
  try {
    const [loaded, softmaxBytes] = await Promise.all([loadEngine(), fetchModel('softmax')]);
    loadShippedModel(loaded, 'softmax', softmaxBytes);
    engine = loaded;
    window.__digits = { engine, readyAt: performance.now(), trainingLog: [] };  // for tests, benchmarks and the curious
    $('max-digits').textContent = `, up to ${engine.limits.maxDigits} digits`;
    $('engine-info').textContent = 'Recognition: WebAssembly SIMD engine, single-threaded (one drawing is too little work to share).';
    const cnnOption = modelSelect.querySelector('option[value=cnn]');
    cnnOption.disabled = true;
    let chosen = false;
    const choose = () => { chosen = true; };
    modelSelect.addEventListener('change', choose, { once: true });
    modelSelect.value = 'softmax';
    setStatus('Ready (reading with the softmax regression while the convolutional network loads)', 'ready');
    recognize(lastSource ?? pad.strokesInCssPixels());
    loadShippedModel(engine, 'cnn', await cnnBytes);
    cnnOption.disabled = false;
    modelSelect.removeEventListener('change', choose);
    if (!chosen) modelSelect.value = 'cnn';
    window.__digits.cnnAt = performance.now();
    setStatus('Ready', 'ready');
    recognize(lastSource ?? pad.strokesInCssPixels());
  } catch (err) {
    setStatus(engine ? `Ready with the softmax regression only: ${err.message}` : `Could not start: ${err.message}`, engine ? 'ready' : 'error');
    if (!engine) return;
  }
  await setUpTraining();
  // Offline use and updates: after everything the page needs has arrived,
  // so the worker's downloads never slow the first recognition.
  registerServiceWorker({
    onUpdate: (apply) => {
      $('update').hidden = false;
      $('update-reload').onclick = apply;
    },
  });
}
start();
