// The page's service worker (built by vite-plugin-pwa's injectManifest, which
// puts the build's file list in self.__WB_MANIFEST):
// - precaches the page, both engines and the shipped models, and serves
//   them, offline too; the training data is cached by the page itself when
//   first used (web/training/dataset_files.js);
// - adds the headers that make the page cross-origin isolated (the
//   technique of coi-serviceworker) to whatever it serves, so threads work
//   on hosts that cannot send them;
// - waits, when a new version is installed, until the page asks it to take
//   over (web/app_updates.js), so a page never mixes two versions.
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, addPlugins } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';

// COOP + COEP make the page cross-origin isolated (SharedArrayBuffer for the
// threaded engine); CORP lets an isolated page load what this worker serves.
const isolation = {
  handlerWillRespond: async ({ response }) => {
    if (!response || response.status === 0 || response.type === 'opaque') return response;
    const headers = new Headers(response.headers);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
    headers.set('Cross-Origin-Resource-Policy', 'same-origin');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  },
};

addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Every navigation inside the page's scope is the page.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
// Everything else (the MNIST files, anything not precached) from the network.
setDefaultHandler(new NetworkOnly({ plugins: [isolation] }));

self.addEventListener('message', (event) => {
  if (event.data?.type === 'SKIP_WAITING') self.skipWaiting();
});
// The first version takes the open page at once (nothing older to mix
// with): its later requests are then served, and made isolated, from here.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
