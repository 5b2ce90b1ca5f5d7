// What the user sees of a reading: the number, large; a strip with each
// digit's 28x28 input and guess (a digit the model is unsure of is marked,
// with its alternative); the probabilities of the chosen digit; the other
// model's reading; and an announcement for screen readers. With one digit it
// looks as it always did: the digit, the verdict and ten bars. Takes plain
// results; knows nothing of the engine.
import { CONFIDENT, MODEL_NAMES } from './constants.js';

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth', 'eleventh', 'twelfth'];

// A digit's guess, its probability and the runner-up.
export function describeDigit(d) {
  const p = d.probabilities;
  let runnerUp = -1;
  for (let k = 0; k < p.length; k++) if (k !== d.digit && (runnerUp < 0 || p[k] > p[runnerUp])) runnerUp = k;
  return { digit: d.digit, p: p[d.digit], runnerUp, unsure: p[d.digit] < CONFIDENT };
}

export class ResultsView {
  constructor(root, badge) {
    this.badge = badge;
    this.prediction = root.querySelector('[data-testid=prediction]');
    this.verdict = root.querySelector('[data-testid=verdict]');
    this.announcement = root.querySelector('[data-testid=announcement]');
    this.otherModel = root.querySelector('[data-testid=other-model]');
    this.inputCanvas = root.querySelector('[data-testid=input-28]');
    this.strip = root.querySelector('[data-testid=digits]');
    this.numbersPanel = root.querySelector('[data-testid=numbers-panel]');
    this.numbers = root.querySelector('[data-testid=numbers]');
    this.sum = root.querySelector('[data-testid=numbers-sum]');
    this.barsTitle = root.querySelector('[data-testid=probabilities-title]');
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
    this.digits = [];
    this.selected = 0;
  }

  // reading: {number, message, digits: [{digit, probabilities, input,
  // padBox: [x, y, w, h] in the pad's CSS pixels]}}; other: {name, number}
  // of the other model on the same digits, or null.
  show(reading, modelName, other) {
    this.#numbers(reading.numbers ?? []);
    this.digits = reading.digits;
    const described = reading.digits.map(describeDigit);
    this.selected = Math.max(0, described.findIndex((d) => d.unsure));
    this.#strip(reading.digits, described);
    if (!reading.digits.length) {
      this.prediction.textContent = '';
      this.prediction.classList.remove('unsure');
      this.badge.textContent = '';
      this.verdict.textContent = reading.message || 'Draw a digit or a number';
      this.otherModel.textContent = '';
      this.#select(-1);
      this.#announce(reading.message ? `Nothing read. ${reading.message}` : 'The pad is empty.');
      return;
    }
    const unsure = described.map((d, i) => ({ ...d, i })).filter((d) => d.unsure);
    this.prediction.textContent = reading.number;
    this.prediction.classList.toggle('unsure', unsure.length > 0);
    this.badge.textContent = described.map((d) => (d.unsure ? `${d.digit}?` : String(d.digit))).join('');
    const name = MODEL_NAMES[modelName];
    if (described.length === 1) {
      const d = described[0];
      this.verdict.textContent = d.unsure ? `Not sure: ${d.digit} or ${d.runnerUp}?` : `${Math.round(d.p * 100)}% sure`;
      this.#announce(d.unsure ? `Not sure. Maybe ${d.digit}, or ${d.runnerUp}.` : `${name}: ${d.digit}, ${Math.round(d.p * 100)} percent sure.`);
    } else {
      const doubts = unsure.map((d) => `the ${ORDINALS[d.i]} digit: ${d.digit} or ${d.runnerUp}?`);
      this.verdict.textContent = unsure.length
        ? `Not sure of ${doubts.join(' Of ')}`
        : `${described.length} digits, all sure`;
      this.#announce(`${name} reads ${spoken(reading.number)}.` + (unsure.length ? ` Not sure of ${doubts.join(', ')}` : ''));
    }
    if (reading.message) this.verdict.textContent += ` ${reading.message}`;
    this.otherModel.textContent = other && !other.error
      ? `${MODEL_NAMES[other.name]} ${other.number === reading.number ? 'agrees' : 'reads'}: ${other.number}` +
        (other.digits.length === 1 ? ` (${Math.round(other.digits[0].p * 100)}%)` : '')
      : '';
    this.#select(this.selected);
  }

  // The strip: one item per digit, in reading order, with its input and
  // guess; choosing one shows its probabilities. Hidden for a single digit,
  // whose probabilities are shown anyway.
  // described: describeDigit of each.
  #strip(digits, described) {
    this.strip.replaceChildren();
    this.strip.hidden = digits.length < 2;
    digits.forEach((d, i) => {
      const { digit, p, runnerUp, unsure } = described[i];
      const item = document.createElement('li');
      item.dataset.digit = String(digit);
      item.dataset.p = p.toFixed(6);
      item.dataset.box = d.padBox.map((v) => v.toFixed(1)).join(',');
      item.classList.toggle('unsure', unsure);
      const button = document.createElement('button');
      button.type = 'button';
      button.setAttribute('aria-pressed', 'false');
      button.setAttribute('aria-label', `${ORDINALS[i] ?? `digit ${i + 1}`} digit: ${digit}, ${Math.round(p * 100)}% sure` +
        (unsure ? `, or ${runnerUp}` : ''));
      const canvas = document.createElement('canvas');
      drawInput(canvas, d.input);
      const label = document.createElement('span');
      label.className = 'guess';
      label.textContent = unsure ? `${digit}?` : String(digit);
      button.append(canvas, label);
      if (unsure) {
        const alt = document.createElement('span');
        alt.className = 'alternative';
        alt.textContent = `or ${runnerUp}`;
        button.append(alt);
      }
      button.addEventListener('click', () => this.#select(i));
      item.append(button);
      this.strip.append(item);
    });
  }

  // Every number read (a photo may hold several), in reading order, with
  // their sum when there are two or more: a column of marks added up.
  // numbers: [{number, padBox}].
  #numbers(numbers) {
    this.numbers.replaceChildren();
    for (const n of numbers) {
      const item = document.createElement('li');
      item.dataset.number = n.number;
      item.dataset.box = (n.padBox ?? n.box).map((v) => v.toFixed(1)).join(',');
      item.textContent = n.number;
      this.numbers.append(item);
    }
    this.numbersPanel.hidden = numbers.length < 2;
    this.sum.textContent = numbers.length >= 2 ? `Sum: ${sumOf(numbers.map((n) => n.number))}` : '';
  }

  #select(i) {
    this.selected = i;
    const d = this.digits[i];
    [...this.strip.children].forEach((item, k) => {
      item.querySelector('button').setAttribute('aria-pressed', String(k === i));
      item.classList.toggle('selected', k === i);
    });
    drawInput(this.inputCanvas, d ? d.input : null);
    this.#bars(d ? d.probabilities : null);
    this.barsTitle.textContent = this.digits.length > 1 && d
      ? `Probabilities of the ${ORDINALS[i] ?? `digit ${i + 1}`} digit`
      : 'Probability of each digit';
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

  #announce(text) {
    if (text === this.lastAnnounced) return;
    this.lastAnnounced = text;
    this.announcement.textContent = text;
  }
}

// "-3.5" as a screen reader should say it: "minus 3 point 5".
function spoken(number) {
  return number.split('').map((c) => (c === '-' ? 'minus' : c === '.' ? 'point' : c)).join(' ');
}

// The sum of numbers as written ("-3.5", "12.75"), with as many decimals as
// the most precise of them, so that 0.1 + 0.2 reads 0.3.
function sumOf(texts) {
  const decimals = Math.max(0, ...texts.map((t) => (t.includes('.') ? t.length - t.indexOf('.') - 1 : 0)));
  const total = texts.reduce((sum, t) => sum + Number(t), 0);
  return total.toFixed(decimals).replace(/^-(0(\.0+)?)$/, '$1');
}

// The engine's input, side x side values in [0, 1] (null: blank), drawn
// one canvas pixel each.
function drawInput(canvas, input) {
  const side = input ? Math.round(Math.sqrt(input.length)) : canvas.width;
  canvas.width = canvas.height = side;
  const ctx = canvas.getContext('2d');
  const image = ctx.createImageData(side, side);
  for (let i = 0; i < side * side; i++) {
    const v = input ? Math.round(input[i] * 255) : 0;
    image.data[i * 4] = image.data[i * 4 + 1] = image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
