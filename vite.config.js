// Vite serves and bundles the page in web/; public/ holds the shipped models
// and (generated at build) the gzipped MNIST files. COOP/COEP make the page
// cross-origin isolated (threads need SharedArrayBuffer).
import fs from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Serve *.gz files as the gzip files they are. Vite's static server would add
// "Content-Encoding: gzip", the browser would unpack them on the way, and the
// download progress (bytes of Content-Length) would no longer add up. Static
// hosts such as nginx serve them as application/gzip, as this does.
function gzipFilesAsIs(root) {
  return (req, res, next) => {
    const url = decodeURIComponent((req.url || '').split('?')[0]);
    if (!url.endsWith('.gz')) return next();
    const file = path.join(root, path.normalize(url).replace(/^(\.\.[/\\])+/, ''));
    if (!file.startsWith(root) || !fs.existsSync(file)) return next();
    res.writeHead(200, {
      'Content-Type': 'application/gzip',
      'Content-Length': fs.statSync(file).size,
      'Cache-Control': 'no-cache',
      ...isolationHeaders,
    });
    fs.createReadStream(file).pipe(res);
  };
}

export default defineConfig({
  root: 'web',
  publicDir: '../public',
  base: './',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  // The training worker is a classic script (one bundle), so it can
  // importScripts the threaded engine (web/training/engine_loader.js).
  worker: { format: 'iife' },
  server: { host: '127.0.0.1', port: Number(process.env.PORT || 8080), strictPort: true, headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT || 8080), strictPort: true, headers: isolationHeaders },
  plugins: [{
    name: 'gzip-files-as-is',
    configureServer(server) { server.middlewares.use(gzipFilesAsIs(path.resolve('public'))); },
    configurePreviewServer(server) { server.middlewares.use(gzipFilesAsIs(path.resolve('dist'))); },
  }, VitePWA({
    // Our own service worker (web/sw.js) with Workbox's precaching; the page
    // registers it itself (web/app_updates.js).
    strategies: 'injectManifest',
    srcDir: '.',
    filename: 'sw.js',
    injectRegister: false,
    injectManifest: {
      // The page, both engines, the shipped models, icons. Not the MNIST
      // files: the page caches those when it first trains.
      globPatterns: ['**/*.{html,js,css,wasm,bin,png,svg,ico}'],
      globIgnores: ['data/**'],
      maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
    },
    // Icons made at build from one source image.
    pwaAssets: { image: '../public/icon.svg', preset: 'minimal-2023', overrideManifestIcons: true },
    manifest: {
      name: 'Digits: write a number, read on your device',
      short_name: 'Digits',
      description: 'Recognise handwritten digits and numbers, and train your own models, entirely in the browser.',
      display: 'standalone',
      start_url: './',
      scope: './',
      background_color: '#f6f5f1',
      theme_color: '#2f6fde',
    },
  })],
});
