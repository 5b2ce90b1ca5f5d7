// Saying what a reading really was: ten "it is a N" buttons under the
// result keep the chosen digit's 28x28 input with that label in "my digits"
// (with the date and the model's guess). A guided round asks for each digit
// a few times, so a new user has enough to adapt to in a minute.
import { addSamples } from './sample_store.js';
import { inputToBytes } from './idx_files.js';

const GUIDED_ROUNDS = 3;

export class Corrections {
  // root: the element holding label-0..9 and teach-status; guideButton;
  // current(): the digit to correct, {input, digit, alone} or null (alone:
  // it is the only digit read, and the pad is cleared once it is kept);
  // clearPad(); onKept(): the gallery should refresh.
  constructor(root, guideButton, { current, clearPad, onKept }) {
    this.status = root.querySelector('[data-testid=teach-status]');
    this.buttons = [...Array(10).keys()].map((n) => root.querySelector(`[data-testid=label-${n}]`));
    this.guideButton = guideButton;
    this.current = current;
    this.clearPad = clearPad;
    this.onKept = onKept;
    this.guide = null;  // {queue: digits still to ask for, done, total}
    this.buttons.forEach((b, n) => b.addEventListener('click', () => this.keep(n)));
    guideButton.addEventListener('click', () => (this.guide ? this.#stopGuide('') : this.#startGuide()));
    // Enter keeps the drawing as the digit the guide asks for.
    document.addEventListener('keydown', (e) => {
      if (!this.guide || e.key !== 'Enter' || e.target !== document.body) return;
      e.preventDefault();
      this.keep(this.guide.queue[0]);
    });
    this.update();
  }

  // Enables the buttons when there is a digit to correct.
  update() {
    const digit = this.current();
    for (const b of this.buttons) b.disabled = !digit;
  }

  async keep(label) {
    const digit = this.current();
    if (!digit) return;
    const record = { label, guess: digit.digit, date: Date.now(), pixels: inputToBytes(digit.input) };
    try {
      await addSamples([record]);
    } catch (err) {
      this.#say(`Not kept: ${err.message}`, 'error');
      return;
    }
    if (digit.alone) this.clearPad();
    this.onKept();
    if (this.guide && label === this.guide.queue[0]) {
      this.guide.queue.shift();
      this.guide.done++;
      if (!this.guide.queue.length) return this.#stopGuide(`Thank you: ${this.guide.total} digits kept. Now adapt the network to your hand (below).`);
      return this.#ask();
    }
    const was = digit.digit === label ? 'read right' : `read as ${digit.digit}`;
    this.#say(`Kept as a ${label} (${was}) in your digits.`);
  }

  #startGuide() {
    const queue = [];
    for (let round = 0; round < GUIDED_ROUNDS; round++) for (let n = 0; n <= 9; n++) queue.push(n);
    this.guide = { queue, done: 0, total: queue.length };
    this.guideButton.textContent = 'Stop the guide';
    this.guideButton.setAttribute('aria-pressed', 'true');
    this.clearPad();
    this.#ask();
  }

  #stopGuide(message) {
    this.guide = null;
    this.guideButton.textContent = `Write each digit ${GUIDED_ROUNDS} times`;
    this.guideButton.setAttribute('aria-pressed', 'false');
    this.buttons.forEach((b) => b.classList.remove('asked'));
    this.#say(message);
  }

  #ask() {
    const n = this.guide.queue[0];
    this.buttons.forEach((b, k) => b.classList.toggle('asked', k === n));
    this.#say(`Write a ${n} (${this.guide.done + 1} of ${this.guide.total}), then press "${n}" below it or Enter.`);
  }

  #say(text, state = '') {
    this.status.textContent = text;
    this.status.dataset.state = state;
  }
}
