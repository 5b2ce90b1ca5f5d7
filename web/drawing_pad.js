// The drawing pad: Pointer Events (mouse, touch, pen) into strokes kept as
// points, drawn smoothly on screen, and rendered again for recognition with
// a line width proportional to the drawing's size (see INK_FRACTION). No
// knowledge of the engine: it reports changes through callbacks.
import { INK_FRACTION } from './constants.js';

// px of the canvas handed to preprocessing: over 6x the 20 px digit is plenty,
// and preprocessing time grows with its area.
const RECOGNITION_SIDE = 128;

export class DrawingPad {
  constructor(canvas, { onDraw, onStrokeEnd }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onDraw = onDraw;
    this.onStrokeEnd = onStrokeEnd;
    this.strokes = [];  // each stroke: [{x, y}] in 0..1 of the pad's size
    this.active = null;  // pointerId of the stroke being drawn
    canvas.addEventListener('pointerdown', (e) => this.#down(e));
    canvas.addEventListener('pointermove', (e) => this.#move(e));
    canvas.addEventListener('pointerup', (e) => this.#up(e));
    canvas.addEventListener('pointercancel', (e) => this.#up(e));
    // No scrolling, zooming or context menu while drawing on touch screens.
    canvas.addEventListener('touchstart', (e) => e.preventDefault(), { passive: false });
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    new ResizeObserver(() => this.#resize()).observe(canvas);
    this.#resize();
  }

  isEmpty() {
    return this.strokes.length === 0;
  }

  clear() {
    this.strokes = [];
    this.active = null;
    this.redraw();
  }

  undo() {
    this.strokes.pop();
    this.active = null;
    this.redraw();
  }

  #point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width)),
      y: Math.min(1, Math.max(0, (e.clientY - rect.top) / rect.height)),
    };
  }

  #down(e) {
    if (this.active !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    this.canvas.setPointerCapture?.(e.pointerId);
    this.active = e.pointerId;
    this.strokes.push([this.#point(e)]);
    this.redraw();
    this.onDraw?.();
  }

  #move(e) {
    if (e.pointerId !== this.active) return;
    e.preventDefault();
    const stroke = this.strokes[this.strokes.length - 1];
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) stroke.push(this.#point(ev));
    this.redraw();
    this.onDraw?.();
  }

  #up(e) {
    if (e.pointerId !== this.active) return;
    this.active = null;
    this.onStrokeEnd?.();
  }

  #resize() {
    const dpr = window.devicePixelRatio || 1;
    const rect = this.canvas.getBoundingClientRect();
    const side = Math.max(1, Math.round(rect.width * dpr));
    if (this.canvas.width !== side) {
      this.canvas.width = side;
      this.canvas.height = side;
    }
    this.redraw();
  }

  // Screen drawing: a comfortable pen, smoothed through segment midpoints.
  redraw() {
    const { ctx, canvas } = this;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = getComputedStyle(canvas).color || '#111';
    ctx.fillStyle = ctx.strokeStyle;
    drawStrokes(ctx, this.strokes, canvas.width, Math.max(3, canvas.width / 22));
  }

  // The drawing again, white on black at RECOGNITION_SIDE px, its ink an
  // eighth of its size as in MNIST: {rgba, width, height}, or null if empty.
  renderForRecognition() {
    if (this.isEmpty()) return null;
    let minX = 1, minY = 1, maxX = 0, maxY = 0;
    for (const s of this.strokes) {
      for (const p of s) {
        minX = Math.min(minX, p.x), maxX = Math.max(maxX, p.x);
        minY = Math.min(minY, p.y), maxY = Math.max(maxY, p.y);
      }
    }
    const size = Math.max(maxX - minX, maxY - minY) * RECOGNITION_SIDE;
    const canvas = new OffscreenCanvas(RECOGNITION_SIDE, RECOGNITION_SIDE);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, RECOGNITION_SIDE, RECOGNITION_SIDE);
    ctx.strokeStyle = ctx.fillStyle = '#fff';
    drawStrokes(ctx, this.strokes, RECOGNITION_SIDE, Math.max(2, size * INK_FRACTION));
    const image = ctx.getImageData(0, 0, RECOGNITION_SIDE, RECOGNITION_SIDE);
    return { rgba: new Uint8Array(image.data.buffer), width: RECOGNITION_SIDE, height: RECOGNITION_SIDE };
  }
}

function drawStrokes(ctx, strokes, side, width) {
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    if (s.length === 1) {  // a tap is a dot
      ctx.beginPath();
      ctx.arc(s[0].x * side, s[0].y * side, width / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(s[0].x * side, s[0].y * side);
    for (let i = 1; i < s.length - 1; i++) {
      const mx = (s[i].x + s[i + 1].x) / 2, my = (s[i].y + s[i + 1].y) / 2;
      ctx.quadraticCurveTo(s[i].x * side, s[i].y * side, mx * side, my * side);
    }
    const last = s[s.length - 1];
    ctx.lineTo(last.x * side, last.y * side);
    ctx.stroke();
  }
}
