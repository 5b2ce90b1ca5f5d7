// Runs one job of the benchmark (workloads.js) in this worker, posting each
// result as it comes, then {done}.
importScripts('workloads.js');

self.onmessage = async ({ data: job }) => {
  await runJob(job, (result) => self.postMessage({ result }));
  self.postMessage({ done: true });
};
