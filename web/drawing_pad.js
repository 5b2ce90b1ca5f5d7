// The drawing pad: Pointer Events (mouse, touch, pen) into strokes kept as
// points, drawn smoothly on screen. The engine reads the strokes themselves
// (it renders them for recognition, and knows which ink is which stroke), so
// the pad hands them over as points in its CSS pixels. No knowledge of the
// engine: it reports changes through callbacks.

export class DrawingPad {
  constructor(canvas, { onDraw, onStrokeEnd, onStart }) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.onDraw = onDraw;
    this.onStrokeEnd = onStrokeEnd;
    this.onStart = onStart;
    // Each stroke: [{x, y}] in units of the pad's height, so that a drawing
    // keeps its shape when the pad is resized.
    this.strokes = [];
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

  // {points: Float32Array(2P) of x, y in the pad's CSS pixels, lengths:
  // Int32Array(S)}, or null when the pad is empty.
  strokesInCssPixels() {
    if (this.isEmpty()) return null;
    const unit = this.canvas.getBoundingClientRect().height;
    const lengths = Int32Array.from(this.strokes, (s) => s.length);
    const points = new Float32Array(lengths.reduce((a, b) => a + b, 0) * 2);
    let i = 0;
    for (const s of this.strokes) {
      for (const p of s) {
        points[i++] = p.x * unit;
        points[i++] = p.y * unit;
      }
    }
    return { points, lengths };
  }

  #point(e) {
    const rect = this.canvas.getBoundingClientRect();
    return {
      x: Math.min(rect.width, Math.max(0, e.clientX - rect.left)) / rect.height,
      y: Math.min(rect.height, Math.max(0, e.clientY - rect.top)) / rect.height,
    };
  }

  #down(e) {
    if (this.active !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
    e.preventDefault();
    try {
      this.canvas.setPointerCapture?.(e.pointerId);
    } catch {
      // Firefox refuses capture for a pointer it does not know (a synthetic
      // event, an assistive tool): the stroke is drawn all the same.
    }
    this.active = e.pointerId;
    this.onStart?.();
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
    const width = Math.max(1, Math.round(rect.width * dpr)), height = Math.max(1, Math.round(rect.height * dpr));
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.redraw();
  }

  // Screen drawing: a comfortable pen, smoothed through segment midpoints
  // (core/preprocess/strokes.cpp renders the same curve for recognition).
  redraw() {
    const { ctx, canvas } = this;
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = getComputedStyle(canvas).color || '#111';
    ctx.fillStyle = ctx.strokeStyle;
    drawStrokes(ctx, this.strokes, canvas.height, Math.max(3, canvas.height / 24));
  }
}

function drawStrokes(ctx, strokes, unit, width) {
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const s of strokes) {
    if (s.length === 1) {  // a tap is a dot
      ctx.beginPath();
      ctx.arc(s[0].x * unit, s[0].y * unit, width / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.beginPath();
    ctx.moveTo(s[0].x * unit, s[0].y * unit);
    for (let i = 1; i < s.length - 1; i++) {
      const mx = (s[i].x + s[i + 1].x) / 2, my = (s[i].y + s[i + 1].y) / 2;
      ctx.quadraticCurveTo(s[i].x * unit, s[i].y * unit, mx * unit, my * unit);
    }
    const last = s[s.length - 1];
    ctx.lineTo(last.x * unit, last.y * unit);
    ctx.stroke();
  }
}
