// Over the pad: a photo being read (shown whole in the pad's frame) and each
// digit's box with its guess, marked when the model is unsure. Visual only:
// the results panel says the same in words.
import { describeDigit } from './results_view.js';

export class PadOverlay {
  constructor(frame) {
    this.frame = frame;
    this.photo = frame.querySelector('[data-testid=photo-preview]');
    this.boxes = frame.querySelector('[data-testid=pad-boxes]');
    this.photoSize = null;  // {width, height} of the photo shown, in its pixels
  }

  // url: an object URL this overlay now owns (the previous one is released), or null.
  showPhoto(url, width, height) {
    if (this.photo.src.startsWith('blob:') && this.photo.src !== url) URL.revokeObjectURL(this.photo.src);
    if (url) this.photo.src = url;
    else this.photo.removeAttribute('src');
    this.photo.hidden = !url;
    this.photoSize = url ? { width, height } : null;
    this.frame.classList.toggle('showing-photo', Boolean(url));
  }

  // A box [x, y, w, h] in the photo's pixels -> in the pad's CSS pixels, where
  // the photo is shown (scaled to fit, centred, as object-fit: contain).
  photoToPad([x, y, w, h]) {
    const rect = this.frame.getBoundingClientRect();
    const { width, height } = this.photoSize;
    const scale = Math.min(rect.width / width, rect.height / height);
    const ox = (rect.width - width * scale) / 2, oy = (rect.height - height * scale) / 2;
    return [ox + x * scale, oy + y * scale, w * scale, h * scale];
  }

  // digits: [{digit, probabilities, padBox: [x, y, w, h]}]; boxes are shown
  // only when there is more than one digit or a photo to point into.
  showBoxes(digits) {
    this.boxes.replaceChildren();
    const boxed = digits.length >= 2 || (digits.length > 0 && Boolean(this.photoSize));
    this.frame.classList.toggle('boxed', boxed);  // the boxes' labels stand in for the badge
    if (!boxed) return;
    for (const d of digits) {
      const { digit, runnerUp, unsure } = describeDigit(d);
      const [x, y, w, h] = d.padBox;
      const box = document.createElement('div');
      box.className = unsure ? 'digit-box unsure' : 'digit-box';
      Object.assign(box.style, { left: `${x}px`, top: `${y}px`, width: `${w}px`, height: `${h}px` });
      const label = document.createElement('span');
      label.textContent = unsure ? `${digit}? ${runnerUp}` : String(digit);
      box.append(label);
      this.boxes.append(box);
    }
  }
}
