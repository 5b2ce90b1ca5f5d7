// Vite serves and bundles the page in web/; public/ holds the shipped models.
// COOP/COEP make the page cross-origin isolated (threads need SharedArrayBuffer).
import { defineConfig } from 'vite';

const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: 'web',
  publicDir: '../public',
  base: './',
  build: { outDir: '../dist', emptyOutDir: true, target: 'es2022' },
  server: { host: '127.0.0.1', port: Number(process.env.PORT || 8080), strictPort: true, headers: isolationHeaders },
  preview: { host: '127.0.0.1', port: Number(process.env.PORT || 8080), strictPort: true, headers: isolationHeaders },
});
