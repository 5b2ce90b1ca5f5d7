// A small W3C WebDriver client for WebKitGTK (the engine of every iPhone
// browser), enough for the page tests: Debian's WebKitWebDriver drives
// MiniBrowser under Xvfb. Playwright's own WebKit is a browser download,
// which does not work here, so the WebKit tests speak WebDriver themselves.
import { spawn } from 'node:child_process';
import net from 'node:net';

const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
// W3C WebDriver's key for an element reference in JSON.
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A process that ends with the test run.
function child(command, args, env = {}) {
  const proc = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...env } });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-4000); });
  proc.lastError = () => stderr;
  return proc;
}

async function waitUntil(what, check, ms) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch { /* not up yet */ }
    if (Date.now() > end) throw new Error(`${what} did not start in ${ms / 1000} s`);
    await sleep(100);
  }
}

// Starts Xvfb on a display of its own and WebKitWebDriver on a free port.
// Returns {url, stop}: the driver's base URL.
export async function startDriver() {
  const display = `:${100 + Math.floor(Math.random() * 400)}`;
  const xvfb = child('Xvfb', [display, '-screen', '0', '1280x1024x24', '-nolisten', 'tcp']);
  const port = await freePort();
  await sleep(300);
  const driver = child('WebKitWebDriver', [`--port=${port}`], { DISPLAY: display });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil('WebKitWebDriver', async () => (await fetch(`${url}/status`)).ok, 15_000);
  return {
    url,
    stop() { driver.kill(); xvfb.kill(); },
  };
}

export class WebDriverError extends Error {}

// One browser window: a WebDriver session.
export class Session {
  static async open(driverUrl) {
    const body = {
      capabilities: {
        alwaysMatch: {
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
        },
      },
    };
    const created = await call(driverUrl, 'POST', '/session', body);
    const session = new Session(driverUrl, created.sessionId);
    await session.command('POST', '/timeouts', { script: 180_000, pageLoad: 60_000 });
    return session;
  }

  constructor(driverUrl, id) {
    this.base = `${driverUrl}/session/${id}`;
  }

  command(method, path, body) {
    return call(this.base, method, path, body);
  }

  goto(url) { return this.command('POST', '/url', { url }); }
  reload() { return this.command('POST', '/refresh', {}); }
  async close() {
    try {
      await this.command('DELETE', '', undefined);
    } catch { /* already gone */ }
  }
  setWindowSize(width, height) { return this.command('POST', '/window/rect', { width, height }); }

  // Runs fn(...args) in the page (fn is sent as source, so it may use only
  // its arguments) and returns its JSON result; an async fn is awaited.
  async run(fn, ...args) {
    const result = await this.command('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        const args = Array.prototype.slice.call(arguments, 0, -1);
        Promise.resolve().then(() => (${fn.toString()})(...args)).then(
          (v) => done({ ok: v === undefined ? null : v }),
          (e) => done({ error: String((e && e.stack) || e) }));`,
      args,
    });
    if (result?.error) throw new WebDriverError(`in the page: ${result.error}`);
    return result?.ok;
  }

  // Polls fn in the page until it returns a truthy value; returns it.
  async waitFor(what, fn, { timeout = 30_000, args = [] } = {}) {
    const end = Date.now() + timeout;
    let last;
    for (;;) {
      try {
        last = await this.run(fn, ...args);
        if (last) return last;
      } catch (err) {
        last = err.message;
      }
      if (Date.now() > end) throw new Error(`timed out after ${timeout / 1000} s waiting for ${what} (last: ${JSON.stringify(last)})`);
      await sleep(200);
    }
  }

  async find(css) {
    const found = await this.command('POST', '/element', { using: 'css selector', value: css });
    return found[ELEMENT];
  }

  // A real click (pointer events through the browser), at the element's centre.
  async click(css) {
    const id = await this.find(css);
    return this.command('POST', `/element/${id}/click`, {});
  }

  // Sends a file path to an <input type=file>.
  async chooseFile(css, filePath) {
    const id = await this.find(css);
    return this.command('POST', `/element/${id}/value`, { text: filePath });
  }

  // Draws strokes ([[{x, y}, ...], ...] in the viewport's CSS pixels) with a
  // pointer of the given type ('mouse' or 'touch'), as WebDriver's actions.
  async strokes(strokes, pointerType = 'mouse') {
    const actions = [];
    for (const points of strokes) {
      const at = (p) => ({ type: 'pointerMove', duration: 0, origin: 'viewport', x: Math.round(p.x), y: Math.round(p.y) });
      actions.push(at(points[0]), { type: 'pointerDown', button: 0 });
      for (const p of points.slice(1)) actions.push(at(p));
      actions.push({ type: 'pointerUp', button: 0 }, { type: 'pause', duration: 30 });
    }
    await this.command('POST', '/actions', {
      actions: [{ type: 'pointer', id: `${pointerType}1`, parameters: { pointerType }, actions }],
    });
    return this.command('DELETE', '/actions', undefined);
  }
}

async function call(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) {
    const v = json.value || {};
    throw new WebDriverError(`${method} ${path}: ${v.error || response.status}: ${v.message || ''}`.trim());
  }
  return json.value;
}
