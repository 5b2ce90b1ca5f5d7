// Registers the page's service worker (web/sw.js: offline, installable,
// cross-origin isolation on any host) and offers a new version when one is
// deployed: it waits until the user chooses "Reload to update", then takes
// over and the page reloads, so an old page never runs a new engine.
import { Workbox } from 'workbox-window';

// onUpdate(apply): a new version is installed and waiting; apply() switches.
// Returns the Workbox, or null where service workers are unavailable (or
// in the development server, which rebuilds as files change).
export function registerServiceWorker({ onUpdate }) {
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return null;
  const wb = new Workbox('./sw.js', { scope: './' });
  wb.addEventListener('waiting', () => onUpdate(() => {
    wb.addEventListener('controlling', () => window.location.reload());
    wb.messageSkipWaiting();
  }));
  wb.register().catch(() => { /* the page works without it */ });
  return wb;
}

// Why the page is not cross-origin isolated, for the training panel's note.
export function isolationNote() {
  if (self.crossOriginIsolated) return '';
  if (navigator.serviceWorker?.controller) return 'the page is not cross-origin isolated yet: reload it to train on more threads';
  return 'the page is not cross-origin isolated';
}
