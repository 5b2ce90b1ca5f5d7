// The page's orchestration: start the engine, load the shipped models, and
// route drawings and photos through preprocessing to the models and the view.
import { LIVE_RECOGNITIONS_PER_SECOND, MODELS } from './constants.js';
import { DrawingPad } from './drawing_pad.js';
import { loadEngine, webAssemblySimdSupported } from './engine.js';
import { setUpImageInput } from './image_upload.js';
import { ResultsView } from './results_view.js';

const $ = (id) => document.querySelector(`[data-testid=${id}]`);
const status = $('status');
const view = new ResultsView(document.querySelector('.result-panel'), $('pad-badge'));
const modelSelect = $('model-select');
const uploadError = $('upload-error');
let engine = null;
let lastImage = null;  // {rgba, width, height} last recognised, for model switches

function setStatus(text, state) {
  status.textContent = text;
  status.dataset.state = state;
}

function recognize(image) {
  lastImage = image;
  if (!engine) return;
  if (!image) return view.show({ empty: true, input: null }, modelSelect.value, null);
  const pre = engine.preprocess(image.rgba, image.width, image.height);
  if (pre.error) return showUploadError(pre.error);
  if (pre.empty) return view.show({ empty: true, input: pre.input }, modelSelect.value, null);
  const chosen = modelSelect.value;
  const other = MODELS.find((m) => m !== chosen && engine.hasModel(m));
  const result = engine.predict(chosen, pre.input);
  if (result.error) return setStatus(result.error, 'error');
  view.show({ empty: false, input: pre.input, ...result }, chosen,
    other ? { name: other, ...engine.predict(other, pre.input) } : null);
}

function showUploadError(message) {
  uploadError.textContent = message;
  uploadError.hidden = !message;
}

// Live recognition while drawing, at most LIVE_RECOGNITIONS_PER_SECOND.
let pending = false, lastRun = 0;
function recognizeDrawingSoon() {
  if (pending) return;
  pending = true;
  const wait = Math.max(0, 1000 / LIVE_RECOGNITIONS_PER_SECOND - (performance.now() - lastRun));
  setTimeout(() => requestAnimationFrame(() => {
    pending = false;
    lastRun = performance.now();
    recognizeDrawing();
  }), wait);
}
function recognizeDrawing() {
  view.showPhoto(null);
  showUploadError('');
  recognize(pad.renderForRecognition());
}

const pad = new DrawingPad($('pad'), { onDraw: recognizeDrawingSoon, onStrokeEnd: recognizeDrawing });
$('clear').addEventListener('click', () => { pad.clear(); recognizeDrawing(); });
$('undo').addEventListener('click', () => { pad.undo(); recognizeDrawing(); });
document.addEventListener('keydown', (e) => {
  if (e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement) return;
  if (e.key === 'Escape') { pad.clear(); recognizeDrawing(); }
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z') { e.preventDefault(); pad.undo(); recognizeDrawing(); }
});
modelSelect.addEventListener('change', () => recognize(lastImage));
setUpImageInput({
  input: $('upload'),
  dropTarget: document.body,
  onImage: (image) => {
    showUploadError('');
    pad.clear();
    view.showPhoto(image.url);
    recognize(image);
  },
  onError: showUploadError,
});

async function start() {
  if (!webAssemblySimdSupported()) {
    setStatus('This browser does not support WebAssembly SIMD, which the recogniser needs. Try a current Chrome, Edge, Firefox or Safari.', 'error');
    return;
  }
  try {
    const [loaded, ...files] = await Promise.all([
      loadEngine(),
      ...MODELS.map((m) => fetch(`models/${m}.bin`).then((r) => {
        if (!r.ok) throw new Error(`models/${m}.bin: HTTP ${r.status}`);
        return r.arrayBuffer();
      })),
    ]);
    MODELS.forEach((m, i) => {
      const error = loaded.loadModel(m, new Uint8Array(files[i]));
      if (error) throw new Error(`models/${m}.bin: ${error}`);
    });
    engine = loaded;
    window.__digits = { engine, readyAt: performance.now() };  // for tests, benchmarks and the curious
    setStatus('Ready', 'ready');
    $('engine-info').textContent = 'WebAssembly SIMD engine, single-threaded.';
    recognize(lastImage ?? pad.renderForRecognition());
  } catch (err) {
    setStatus(`Could not start: ${err.message}`, 'error');
  }
}
start();
