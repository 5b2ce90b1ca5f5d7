// Picks the engine build the training worker runs. A cross-origin isolated
// page can share memory between workers, so it gets the threaded build
// (pthreads: one Web Worker per core, each taking a share of every batch);
// otherwise, or if that build fails to start, the single-threaded one.
import createEngineModule from '../generated/engine.js';
import singleThreadedWasmUrl from '../generated/engine.wasm?url';
import { portCarries, sharedMemory, withThreadPorts } from './thread_ports.js';

// A threaded build whose thread workers never report back must not hold
// training up for good (and the page starts a new worker after 15 s:
// training_client.js).
const THREADED_START_MS = 10_000;
const withinTime = (promise, ms, what) => Promise.race([
  promise,
  new Promise((_, reject) => setTimeout(() => reject(new Error(`it did not start ${what}`)), ms)),
]);

// Why threads are unavailable here, or '' if the threaded engine can run:
// the page must be cross-origin isolated, and its memory must reach other
// workers. WebKitGTK's builds keep SharedArrayBuffer off: an isolated page
// makes shared memory (with no global SharedArrayBuffer) but cannot post it
// to a worker ("The object can not be cloned"); Safari can.
function whyNoThreads() {
  if (!self.crossOriginIsolated) return 'the page is not cross-origin isolated, so threads are unavailable';
  if (!portCarries(sharedMemory)) return 'this browser cannot share memory between workers, so threads are unavailable';
  return '';
}

// threadedUrl: absolute URL of engine-threads.js (public/engine-threads/).
// Resolves to {engine, build: 'threaded' | 'single-threaded', threads, note}.
// threadPorts: ports to the thread workers the page started for it
// (thread_ports.js). stage(text) is told each step of the start.
export async function loadTrainingEngine(threadedUrl, threadPorts = [], stage = () => {}) {
  let note = whyNoThreads();
  if (!note && threadedUrl) {
    try {
      // Emscripten 3.1.6 starts thread workers only from its classic-script
      // output: they importScripts the same file, by this URL.
      stage('loading the threaded engine\'s script');
      importScripts(threadedUrl);
      stage('starting the threaded engine and its thread workers');
      const engine = await withinTime(withThreadPorts(threadPorts, () => self.createEngineThreadsModule({
        mainScriptUrlOrBlob: threadedUrl,
        locateFile: (file) => new URL(file, threadedUrl).href,
      })), THREADED_START_MS, `in ${THREADED_START_MS / 1000} s`);
      engine.setThreadCount(engine.maxThreads());
      return { engine, build: 'threaded', threads: engine.threadCount(), note };
    } catch (err) {
      note = `the threaded engine did not start (${err.message || err})`;
    }
  }
  // The bundler gives the .wasm a hashed name Emscripten cannot guess: hand
  // it the bytes.
  stage('fetching the single-threaded engine');
  const wasmBinary = await (await fetch(singleThreadedWasmUrl)).arrayBuffer();
  stage('starting the single-threaded engine');
  const engine = await createEngineModule({ wasmBinary });
  return { engine, build: 'single-threaded', threads: 1, note };
}
