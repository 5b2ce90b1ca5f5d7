// The list of models kept in this browser: rename, use, download, delete.
import { deleteModel, getModel, listModels, modelBlob, modelBytes, renameModel } from './model_store.js';

export class SavedModelsView {
  // onUse({...record, bytes}); onError(message): a kept model could not be
  // read; toOnnx(bytes): the model as an ONNX file, or {error}.
  constructor(list, { onUse, onError, toOnnx }) {
    this.list = list;
    this.onUse = onUse;
    this.toOnnx = toOnnx;
    this.onError = onError;
    this.urls = [];  // download links of the list as drawn, released on redraw
    this.queue = Promise.resolve();  // storage actions, one after another
  }

  // Runs action after the actions asked before it (a Use clicked while a
  // rename is being stored reads the renamed record).
  #inTurn(action) {
    const done = this.queue.then(action);
    this.queue = done.catch(() => {});
    return done;
  }

  async refresh() {
    let models = [];
    try {
      models = await listModels();
    } catch (err) {
      this.list.innerHTML = `<li>Saved models are unavailable in this browser (${err.message}).</li>`;
      return;
    }
    this.urls.forEach((url) => URL.revokeObjectURL(url));
    this.urls = [];
    this.list.replaceChildren(...models.map((m) => this.#item(m)));
    if (!models.length) this.list.innerHTML = '<li class="empty">None yet: train one, or load a model file.</li>';
  }

  #item(m) {
    const li = document.createElement('li');
    li.dataset.modelId = String(m.id);
    const name = document.createElement('input');
    name.value = m.name;
    name.setAttribute('aria-label', 'Model name');
    name.dataset.testid = 'saved-model-name';
    name.addEventListener('change', () => this.#inTurn(async () => {
      m.name = name.value.trim() || m.name;
      await renameModel(m.id, m.name);
      // The stored Blob is new: the download link follows it.
      const fresh = await getModel(m.id);
      if (fresh) {
        download.href = URL.createObjectURL(modelBlob(fresh));
        this.urls.push(download.href);
        download.download = fileName(m.name, m.format);
      }
    }).catch((err) => this.onError(`Could not rename ${m.name}: ${err.message}`)));
    const meta = document.createElement('span');
    meta.className = 'meta';
    const accuracy = m.accuracy == null ? 'accuracy not measured' : `test accuracy ${m.accuracy.toFixed(4)}`;
    meta.textContent = `${m.kind}, ${new Date(m.date).toLocaleString()}, ${accuracy}`;
    const use = document.createElement('button');
    use.type = 'button';
    use.textContent = 'Use';
    use.addEventListener('click', () => this.#inTurn(async () => {
      let bytes;
      try {
        bytes = await modelBytes(m.id);
      } catch (err) {
        return this.onError(`${m.name} could not be read: ${err.message}`);
      }
      this.onUse({ ...m, bytes });
    }));
    const download = document.createElement('a');
    download.textContent = 'Download';
    download.download = fileName(m.name, m.format);
    download.href = URL.createObjectURL(modelBlob(m));
    this.urls.push(download.href);
    const onnx = document.createElement('button');
    onnx.type = 'button';
    onnx.textContent = 'Download as ONNX';
    onnx.dataset.testid = 'saved-model-onnx';
    onnx.addEventListener('click', () => this.#inTurn(async () => {
      const converted = this.toOnnx(await modelBytes(m.id));
      if (converted.error) throw new Error(converted.error);
      downloadFile(converted, fileName(m.name, 'onnx'));
    }).catch((err) => this.onError(`${m.name} could not be exported: ${err.message}`)));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Delete';
    remove.addEventListener('click', () => this.#inTurn(async () => { await deleteModel(m.id); await this.refresh(); })
      .catch((err) => this.onError(`Could not delete ${m.name}: ${err.message}`)));
    li.append(name, meta, use, download, onnx, remove);
    return li;
  }
}

// A kept model's file: the format it came in (a loaded ONNX file stays one).
const fileName = (name, format = 'bin') => `${name.replace(/[^\w.-]+/g, '_') || 'model'}.${format}`;

// Saves bytes as a file through a link that lives for the click.
export function downloadFile(bytes, name) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
}
