// "Teach it your handwriting": the gallery of the person's digits (relabel,
// delete, delete all, counts per digit), their export and import as IDX
// files, and adapting the network to them in the training worker.
import { clearSamples, deleteSample, listSamples, relabelSample, addSamples } from './sample_store.js';
import { MY_DIGITS_FILES, gzip, idxImages, idxLabels } from './idx_files.js';
import { gunzipIfNeeded } from '../training/dataset_files.js';

const SIDE = 28;

export class MyDigitsPanel {
  // root: the panel; engine: the page's Engine (reads imported files);
  // client: the TrainingClient; adaptable(): {bytes, name} of the CNN to
  // adapt (the one in use, or the shipped one); tryOut(bytes, name): use the
  // adapted model on the pad before it is measured, returning a function
  // that puts back the model used before; onAdapted(bytes, info): keep it.
  constructor(root, { engine, client, adaptable, tryOut, onAdapted, minDigits }) {
    this.root = root;
    this.$ = (id) => root.querySelector(`[data-testid=${id}]`);
    this.engine = engine;
    this.client = client;
    this.adaptable = adaptable;
    this.onAdapted = onAdapted;
    this.tryOut = tryOut;
    this.putBack = null;  // while an adapted model is tried out: undoes it
    this.minDigits = minDigits;
    this.samples = [];
    this.urls = [];
    this.queue = Promise.resolve();  // storage actions, one after another
    this.started = 0;
    this.$('adapt').addEventListener('click', () => this.#adapt());
    this.$('adapt-cancel').addEventListener('click', () => this.client.cancelAdapt());
    this.$('clear-digits').addEventListener('click', () => {
      if (!this.samples.length || !confirm(`Delete all ${this.samples.length} of your digits from this browser?`)) return;
      this.#inTurn(() => clearSamples());
    });
    this.$('import-digits').addEventListener('change', (e) => {
      const files = [...(e.target.files ?? [])];
      e.target.value = '';
      this.#import(files);
    });
  }

  #inTurn(action) {
    const done = this.queue.then(action).then(() => this.refresh()).catch((err) => this.#error(err.message));
    this.queue = done;
    return done;
  }

  async refresh() {
    let samples;
    try {
      samples = await listSamples();
    } catch (err) {
      this.#error(`Your digits are unavailable in this browser (${err.message}).`);
      return;
    }
    // The export files first: the gallery and its links change together.
    const files = await exportFiles(samples);
    this.samples = samples;
    const list = this.$('my-digits');
    list.dataset.count = String(samples.length);
    list.replaceChildren(...samples.map((s) => this.#item(s)));
    const counts = Array(10).fill(0);
    for (const s of samples) counts[s.label]++;
    this.$('my-digits-counts').textContent = samples.length
      ? `${samples.length} kept: ${counts.map((c, d) => `${c} × ${d}`).join(', ')}.`
      : 'None kept yet: when a digit is read wrong (or right), press the digit it is.';
    this.#exportLinks(files);
  }

  #item(sample) {
    const li = document.createElement('li');
    li.dataset.sampleId = String(sample.id);
    li.dataset.label = String(sample.label);
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = SIDE;
    canvas.setAttribute('aria-hidden', 'true');
    const image = canvas.getContext('2d').createImageData(SIDE, SIDE);
    sample.pixels.forEach((v, i) => {
      image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = 255 - v;
      image.data[i * 4 + 3] = 255;
    });
    canvas.getContext('2d').putImageData(image, 0, 0);
    const when = new Date(sample.date).toLocaleString();
    const guess = sample.guess == null ? 'imported' : `read as ${sample.guess}`;
    const select = document.createElement('select');
    select.dataset.testid = 'sample-label';
    select.setAttribute('aria-label', `Your digit kept ${when} (${guess}): it is a`);
    for (let d = 0; d <= 9; d++) select.add(new Option(String(d), String(d), false, d === sample.label));
    select.addEventListener('change', () => this.#inTurn(() => relabelSample(sample.id, Number(select.value))));
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = '×';
    remove.dataset.testid = 'sample-delete';
    remove.setAttribute('aria-label', `Delete this ${sample.label}`);
    remove.addEventListener('click', () => this.#inTurn(() => deleteSample(sample.id)));
    li.title = `${when}, ${guess}`;
    li.append(canvas, select, remove);
    return li;
  }

  #exportLinks(files) {
    this.urls.forEach((u) => URL.revokeObjectURL(u));
    this.urls = [];
    this.$('export-links').hidden = !files;
    if (!files) return;
    for (const [key, bytes] of Object.entries(files)) {
      const a = this.$(`export-${key}`);
      a.href = URL.createObjectURL(new Blob([bytes], { type: 'application/gzip' }));
      a.download = MY_DIGITS_FILES[key];
      this.urls.push(a.href);
    }
  }

  async #import(files) {
    this.#error('');
    const images = files.find((f) => /images|idx3/i.test(f.name));
    const labels = files.find((f) => /labels|idx1/i.test(f.name));
    if (files.length !== 2 || !images || !labels || images === labels) {
      return this.#error('Choose two IDX files together: the images (…images-idx3-ubyte, perhaps .gz) and their labels (…labels-idx1-ubyte).');
    }
    let read;
    try {
      const [im, lb] = await Promise.all([images, labels].map(async (f) => gunzipIfNeeded(new Uint8Array(await f.arrayBuffer()))));
      read = this.engine.readIdxDigits(im, lb);
    } catch (err) {
      return this.#error(`${images.name}, ${labels.name}: ${err.message}`);
    }
    if (read.error) return this.#error(`${images.name}, ${labels.name}: ${read.error}. Nothing was imported; your digits are as they were.`);
    const date = Date.now();
    const records = Array.from({ length: read.count }, (_, i) => ({
      label: read.labels[i], guess: null, date, pixels: read.pixels.slice(i * SIDE * SIDE, (i + 1) * SIDE * SIDE),
    }));
    await this.#inTurn(async () => {
      await addSamples(records);
      this.#say(`Imported ${records.length} digits.`);
    });
  }

  async #adapt() {
    await this.queue;
    const n = this.samples.length;
    if (n < this.minDigits) {
      return this.#say(`Adapting needs at least ${this.minDigits} of your digits; you have ${n}: ` +
        `keep ${this.minDigits - n} more (press the right digit under a reading, or use the guide). A few of each digit is best.`, 'error');
    }
    const model = this.adaptable();
    const pixels = new Uint8Array(n * SIDE * SIDE);
    this.samples.forEach((s, i) => pixels.set(s.pixels, i * SIDE * SIDE));
    const labels = Uint8Array.from(this.samples, (s) => s.label);
    const status = this.$('adapt-status');
    for (const key of ['before', 'after', 'mnist']) delete status.dataset[key];
    this.#busy(true);
    this.#say(`Getting ready to adapt ${model.name} to your ${n} digits…`);
    this.started = performance.now();
    const error = this.client.adapt(model.bytes, pixels, labels, this.#listener(model, n));
    if (error) {
      this.#busy(false);
      this.#say(error, 'error');
    }
  }

  #listener(model, n) {
    const bar = this.$('adapt-progress');
    return {
      progress: (msg) => {
        bar.max = Math.max(1, msg.totalSteps);
        bar.value = msg.step;
        if (msg.phase === 'testing-before') this.#say(`Adapted in ${this.#seconds()} s, and the pad uses it already. Testing the network it started from on the 10,000 MNIST test digits…`);
        else if (msg.phase === 'testing-after') this.#say('Testing the adapted network on the 10,000 MNIST test digits…');
        else if (msg.run === 0) this.#say(`Adapting to your ${n} digits: step ${msg.step} of ${msg.totalSteps / msg.runs}…`);
        else this.#say(`Adapted in ${this.#seconds()} s, and the pad uses it already. Measuring what it gained: each of your ` +
          `digits judged by a run that did not learn it (run ${msg.run} of ${msg.runs - 1})…`);
      },
      ready: async (msg) => {
        const putBack = await this.client.withWorkerHeld(() => this.tryOut(new Uint8Array(msg.model), `${model.name} adapted to my hand (being measured)`));
        // A cancel or failure that came meanwhile has nothing to undo yet.
        if (this.$('adapt-cancel').hidden) putBack();
        else this.putBack = putBack;
      },
      adapted: (msg) => {
        this.#busy(false);
        const f = (x) => x.toFixed(3);
        this.putBack = null;
        const name = `${model.name} adapted to my hand (${n} digits)`;
        this.#say(`Adapted and measured in ${this.#seconds()} s; the pad uses it. Your digits, each judged by a run that had not seen it: ` +
          `${f(msg.before)} right before, ${f(msg.after)} after. MNIST test digits: ${msg.mnistBefore.toFixed(4)} before, ` +
          `${msg.mnistAfter.toFixed(4)} after.`);
        const status = this.$('adapt-status');
        Object.assign(status.dataset, { before: String(msg.before), after: String(msg.after), mnist: String(msg.mnistAfter) });
        // Keeping it follows in a task of its own: loading and storing in one
        // task would make a long task.
        setTimeout(() => this.onAdapted(new Uint8Array(msg.model), { name, accuracy: msg.mnistAfter }), 0);
      },
      failed: (msg) => {
        this.#busy(false);
        this.#undoTryOut();
        this.#say(`Could not adapt: ${msg.message}. Nothing changed.`, 'error');
      },
      cancelled: () => {
        this.#busy(false);
        this.#undoTryOut();
        this.#say('Cancelled. Nothing changed: the pad uses the model it used before.');
      },
    };
  }

  #undoTryOut() {
    this.putBack?.();
    this.putBack = null;
  }

  #seconds() {
    return ((performance.now() - this.started) / 1000).toFixed(1);
  }

  #busy(on) {
    this.$('adapt').disabled = on;
    this.$('adapt-cancel').hidden = !on;
    this.$('adapt-progress').hidden = !on;
    if (!on) this.$('adapt-progress').value = 0;
  }

  #say(text, state = '') {
    const status = this.$('adapt-status');
    status.textContent = text;
    status.dataset.state = state;
  }

  #error(message) {
    const line = this.$('my-digits-error');
    line.textContent = message;
    line.hidden = !message;
  }
}

// The digits as the two files MNIST itself comes in (any MNIST reader and
// `mnist finetune --samples DIR` take them), gzip-compressed; null for none.
async function exportFiles(samples) {
  if (!samples.length) return null;
  const pixels = new Uint8Array(samples.length * SIDE * SIDE);
  samples.forEach((s, i) => pixels.set(s.pixels, i * SIDE * SIDE));
  return {
    images: await gzip(idxImages(pixels, samples.length, SIDE)),
    labels: await gzip(idxLabels(Uint8Array.from(samples, (s) => s.label))),
  };
}
