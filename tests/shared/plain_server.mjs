// Python's plain static server for the page tests: no COOP/COEP headers, no
// compression, as a cheap static host serves the page (where its service
// worker must make it cross-origin isolated).
import { spawn } from 'node:child_process';

// Waits until url answers; throws after ms.
export async function waitForUrl(url, ms = 30_000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > end) throw new Error(`${url} did not answer in ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

// Serves dir on a free port; resolves to {url (of subPath), stop} once it answers.
export async function servePlain(dir, subPath = '') {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const server = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/${subPath}`;
  await waitForUrl(url);
  return { url, stop: () => server.kill() };
}
