// The list of models kept in this browser: rename, use, download, delete.
import { deleteModel, listModels, modelBytes, renameModel } from './model_store.js';

export class SavedModelsView {
  constructor(list, { onUse }) {
    this.list = list;
    this.onUse = onUse;
    this.urls = [];  // download links of the list as drawn, released on redraw
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
    name.addEventListener('change', async () => { await renameModel(m.id, name.value.trim() || m.name); });
    const meta = document.createElement('span');
    meta.className = 'meta';
    const accuracy = m.accuracy == null ? 'accuracy not measured' : `test accuracy ${m.accuracy.toFixed(4)}`;
    meta.textContent = `${m.kind}, ${new Date(m.date).toLocaleString()}, ${accuracy}`;
    const use = document.createElement('button');
    use.type = 'button';
    use.textContent = 'Use';
    use.addEventListener('click', async () => this.onUse({ ...m, bytes: await modelBytes(m) }));
    const download = document.createElement('a');
    download.textContent = 'Download';
    download.download = `${m.name.replace(/[^\w.-]+/g, '_') || 'model'}.bin`;
    download.href = URL.createObjectURL(m.blob);
    this.urls.push(download.href);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Delete';
    remove.addEventListener('click', async () => { await deleteModel(m.id); await this.refresh(); });
    li.append(name, meta, use, download, remove);
    return li;
  }
}
