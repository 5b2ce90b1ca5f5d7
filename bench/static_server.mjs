// A small static server for the benchmark: the browser workloads, both of our
// engines, TensorFlow.js from node_modules, the MNIST files and the built
// page, all from 127.0.0.1 with the COOP/COEP headers threads need.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.json': 'application/json', '.png': 'image/png', '.svg': 'image/svg+xml' };

// mounts: [[url prefix, folder]], the first match wins.
export function startStaticServer(mounts) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    for (const [prefix, folder] of mounts) {
      if (!url.startsWith(prefix)) continue;
      let file = path.join(folder, path.normalize(url.slice(prefix.length)).replace(/^(\.\.[/\\])+/, ''));
      if (!file.startsWith(path.resolve(folder))) break;
      if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
      if (!fs.existsSync(file)) break;
      res.writeHead(200, {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Content-Length': fs.statSync(file).size,
        'Cache-Control': 'no-store',
        'Cross-Origin-Opener-Policy': 'same-origin',
        'Cross-Origin-Embedder-Policy': 'require-corp',
      });
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.writeHead(404).end('not found');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
