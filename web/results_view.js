// What the user sees of a recognition: the digit, the verdict, ten bars, the
// 28x28 input, the other model's guess, and an announcement for screen
// readers. Takes plain results; knows nothing of the engine.
import { CONFIDENT, INPUT_SIDE, MODEL_NAMES } from './constants.js';

export class ResultsView {
  constructor(root, badge) {
    this.badge = badge;
    this.prediction = root.querySelector('[data-testid=prediction]');
    this.verdict = root.querySelector('[data-testid=verdict]');
    this.announcement = root.querySelector('[data-testid=announcement]');
    this.otherModel = root.querySelector('[data-testid=other-model]');
    this.inputCanvas = root.querySelector('[data-testid=input-28]');
    this.photo = root.querySelector('[data-testid=photo-preview]');
    const list = root.querySelector('[data-testid=probabilities]');
    this.bars = [];
    for (let d = 0; d < 10; d++) {
      const item = document.createElement('li');
      item.dataset.digit = String(d);
      item.dataset.p = '0';
      item.innerHTML = `<span class="digit">${d}</span><span class="bar"><span class="fill"></span></span><span class="value">0%</span>`;
      list.append(item);
      this.bars.push(item);
    }
    this.lastAnnounced = '';
  }

  // result: {empty, input, digit, probabilities} for the chosen model;
  // other: {name, digit, probabilities} or null.
  show(result, modelName, other) {
    this.#drawInput(result.input);
    if (result.empty) {
      this.prediction.textContent = '';
      this.badge.textContent = '';
      this.verdict.textContent = 'Draw a digit';
      this.otherModel.textContent = '';
      this.#bars(null);
      this.#announce('The pad is empty.');
      return;
    }
    const p = result.probabilities;
    const top = p[result.digit];
    this.prediction.textContent = String(result.digit);
    this.badge.textContent = top < CONFIDENT ? `${result.digit}?` : String(result.digit);
    this.prediction.classList.toggle('unsure', top < CONFIDENT);
    const runnerUp = [...p.keys()].filter((k) => k !== result.digit).sort((a, b) => p[b] - p[a])[0];
    this.verdict.textContent = top < CONFIDENT
      ? `Not sure: ${result.digit} or ${runnerUp}?`
      : `${Math.round(top * 100)}% sure`;
    this.#bars(p);
    if (other && !other.error) {
      const agree = other.digit === result.digit ? 'agrees' : 'says';
      this.otherModel.textContent = `${MODEL_NAMES[other.name]} ${agree}: ${other.digit} (${Math.round(other.probabilities[other.digit] * 100)}%)`;
    } else {
      this.otherModel.textContent = '';
    }
    this.#announce(top < CONFIDENT
      ? `Not sure. Maybe ${result.digit}, or ${runnerUp}.`
      : `${MODEL_NAMES[modelName]}: ${result.digit}, ${Math.round(top * 100)} percent sure.`);
  }

  // url: an object URL this view now owns (the previous one is released), or null.
  showPhoto(url) {
    if (this.photo.src.startsWith('blob:') && this.photo.src !== url) URL.revokeObjectURL(this.photo.src);
    if (url) this.photo.src = url;
    else this.photo.removeAttribute('src');
    this.photo.hidden = !url;
  }

  #bars(p) {
    const top = p ? Math.max(...p) : -1;
    this.bars.forEach((item, d) => {
      const value = p ? p[d] : 0;
      item.dataset.p = value.toFixed(6);
      item.querySelector('.fill').style.width = `${(value * 100).toFixed(1)}%`;
      item.querySelector('.value').textContent = `${Math.round(value * 100)}%`;
      item.classList.toggle('top', value === top);
    });
  }

  #drawInput(input) {
    const ctx = this.inputCanvas.getContext('2d');
    const image = ctx.createImageData(INPUT_SIDE, INPUT_SIDE);
    for (let i = 0; i < INPUT_SIDE * INPUT_SIDE; i++) {
      const v = input ? Math.round(input[i] * 255) : 0;
      image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = v;
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
  }

  #announce(text) {
    if (text === this.lastAnnounced) return;
    this.lastAnnounced = text;
    this.announcement.textContent = text;
  }
}
