// One engine per worker: ours (single-threaded or threaded build) or
// TensorFlow.js (wasm or cpu backend), on the same workloads and the same
// MNIST bytes. Every workload reports {workload, unit, value, detail} or
// {workload, error} when the engine cannot run it, with the reason.
importScripts('workloads.js');

const post = (result) => self.postMessage({ result });

async function fetchBytes(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function loadData() {
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(names.map((n) => fetchBytes(`/data/${n}`)));
  return { trainImages, trainLabels, testImages, testLabels };
}

self.onmessage = async ({ data: job }) => {
  try {
    const data = await loadData();
    const engine = job.engine.startsWith('ours')
      ? await oursEngine(job, data)
      : await tfjsEngine(job, data);
    for (const workload of WORKLOADS) {
      if (job.only && !job.only.includes(workload.name)) continue;
      try {
        const r = await workload.run(engine, job.quick);
        post({ engine: job.engine, threads: engine.threads, workload: workload.name, ...r });
      } catch (err) {
        post({ engine: job.engine, threads: engine.threads, workload: workload.name, error: String(err.message || err).split('\n')[0] });
      }
    }
  } catch (err) {
    post({ engine: job.engine, error: `did not start: ${err.message || err}` });
  }
  self.postMessage({ done: true });
};
