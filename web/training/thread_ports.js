// The threaded engine's thread workers, made by the page and reached by the
// training worker through MessagePorts.
//
// Why: Emscripten's glue makes its thread workers with `new Worker` inside
// the training worker (nested workers). Under Firefox ESR's WebDriver BiDi
// automation that call now and then never returned (never without it),
// which froze the training worker before its engine started; nested workers are also the part of
// workers that browsers came to last (Safari only in 15.5). Workers the page
// makes are the ordinary kind everywhere.

// Whether a MessagePort carries the values these functions make (one that
// cannot be made, or a postMessage that throws, says no). WebKitGTK refuses
// shared memory ("The object can not be cloned"), to a port as to a worker:
// there threads are unavailable (engine_loader.js asks this too).
export function portCarries(...makers) {
  const { port1, port2 } = new MessageChannel();
  try {
    for (const make of makers) port1.postMessage(make());
    return true;
  } catch {
    return false;
  } finally {
    port1.close();
    port2.close();
  }
}
export const sharedMemory = () => new WebAssembly.Memory({ initial: 0, maximum: 0, shared: true });
const emptyModule = () => new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));

// How many threads the threaded engine's pool has: its PTHREAD_POOL_SIZE
// (wasm_bindings/CMakeLists.txt; must match), one thread worker each.
export const threadPoolSize = (maxThreads) => Math.min(maxThreads, navigator.hardwareConcurrency || 1);

// Page side: starts count thread workers and returns {ports (to transfer to
// the training worker), terminate()}; no ports where a port cannot carry
// what the glue sends a thread worker (the shared memory and the compiled
// module): there the training worker makes its own, nested, as before.
export function startThreadWorkers(count, threadScriptUrl) {
  const workers = [], ports = [];
  if (!portCarries(sharedMemory, emptyModule)) return { ports, terminate() {} };
  for (let i = 0; i < count; i++) {
    const worker = new Worker(new URL('./thread_worker_host.js', import.meta.url));
    const channel = new MessageChannel();
    worker.postMessage({ port: channel.port1, threadScriptUrl }, [channel.port1]);
    workers.push(worker);
    ports.push(channel.port2);
  }
  return { ports, terminate: () => workers.forEach((w) => w.terminate()) };
}

// Training worker side: while fn() runs, `new Worker` hands out a port
// instead, as long as there are ports (then real workers again); returns
// fn()'s result.
export async function withThreadPorts(ports, fn) {
  const RealWorker = self.Worker;
  const left = [...ports];
  self.Worker = function ThreadPortWorker(url, options) {
    const port = left.shift();
    return port ? new PortWorker(port) : new RealWorker(url, options);
  };
  try {
    return await fn();
  } finally {
    self.Worker = RealWorker;
  }
}

// What Emscripten's glue uses of a Worker (onmessage, onerror, postMessage,
// terminate), over a port. Errors stay in the page's thread worker.
class PortWorker {
  constructor(port) {
    this.port = port;
    this.onmessage = null;
    this.onerror = null;
    port.onmessage = (event) => this.onmessage?.(event);
  }
  postMessage(message, transfer) { this.port.postMessage(message, transfer); }
  terminate() { this.port.close(); }
}
