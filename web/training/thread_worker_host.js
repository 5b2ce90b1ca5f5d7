// One of the threaded engine's thread workers, started by the page rather
// than by the training worker (see thread_ports.js for why). The page hands
// it a MessagePort to the training worker and the URL of Emscripten's
// thread script; from then on that script runs as if the training worker
// had started it: what it posts goes to the port, what comes in on the
// port reaches its onmessage.
self.onmessage = (event) => {
  const { port, threadScriptUrl } = event.data;
  self.onmessage = null;
  self.postMessage = (message, transfer) => port.postMessage(message, transfer);
  importScripts(threadScriptUrl);  // sets self.onmessage
  port.onmessage = self.onmessage;
  self.onmessage = null;
};
