// Turns the benchmark's measurements into the Markdown report: the machine,
// a table of figures, the ratios to each peer, and the issue's targets.

const ENGINES = [
  ['ours-single', 1, 'ours, wasm, single-threaded build'],
  ['ours-threaded', 1, 'ours, wasm, threaded build, 1 thread'],
  ['ours-threaded', 2, 'ours, wasm, threaded build, 2 threads'],
  ['native', 1, 'ours, native AVX2, 1 thread'],
  ['native', 2, 'ours, native AVX2, 2 threads'],
  ['native-sse', 1, 'ours, native SSE, 1 thread'],
  ['native-sse', 2, 'ours, native SSE, 2 threads'],
  ['tfjs-wasm', 1, 'TF.js wasm, 1 thread'],
  ['tfjs-wasm', 2, 'TF.js wasm, 2 threads'],
  ['tfjs-cpu', 1, 'TF.js cpu'],
];
const WORKLOADS = [
  ['cnn_train_b250', 'CNN training, batch 250 (Adam 1e-4, dropout)'],
  ['cnn_train_b64', 'CNN training, batch 64'],
  ['cnn_infer_one', 'CNN inference, one image (median)'],
  ['cnn_infer_batch1000', 'CNN inference, 10,000 test images in batches of 1000'],
  ['softmax_1000_steps', 'softmax regression, 1000 steps of batch 100 (SGD 0.5)'],
  ['fast_cnn_to_99', 'the page\'s Fast CNN preset: seconds of training of a run that ends at 0.99 test accuracy or more'],
];

const format = (r) => {
  if (!r) return '';
  if (r.error) return `cannot run: ${r.error}`;
  const digits = r.unit === 'ms' ? 3 : r.unit === 's' ? 3 : 0;
  const value = r.value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${value} ${r.unit}${r.detail ? ` (${r.detail})` : ''}`;
};
// Higher is better for throughput, lower for times: a speed either way.
const speed = (r) => (!r || r.error ? NaN : r.unit === 'images/s' || r.unit === 'GFLOP/s' ? r.value : 1 / r.value);
const times = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');

export function formatReport({ results, figures, machine }) {
  // Requested thread counts name the columns; TF.js reports what it got.
  const find = (engine, threads, workload) => results.find((r) => r.engine === engine &&
    (r.requestedThreads ?? r.threads) === threads && r.workload === workload);
  const engineError = (engine, threads) => results.find((r) => r.engine === engine && (r.requestedThreads ?? r.threads) === threads && !r.workload && r.error);
  const columns = ENGINES.filter(([e, t]) => results.some((r) => r.engine === e && (r.requestedThreads ?? r.threads) === t));
  const ratio = (workload, [e1, t1], [e2, t2]) => speed(find(e1, t1, workload)) / speed(find(e2, t2, workload));

  const lines = [];
  lines.push('# Benchmarks', '');
  lines.push(`Made by \`npm run bench\` on ${machine.date}${machine.quick ? ' (a partial or quick run, not a reference)' : ''}.`);
  lines.push('Every figure comes from the same run on the same machine; engines ran one after another, never two at once. Throughputs are the best of three rounds (training) or two passes (inference) and the softmax regression\'s time the best of three runs (as many as fit in about 12 s for TF.js\'s cpu backend), since the machine is shared and a round another process interrupted says nothing about the engine; latencies are medians.', '');
  lines.push(`- Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb.toFixed(0)} GB, ${machine.os}, no GPU used`);
  lines.push(`- Browser: ${machine.browser}; Node ${machine.node}`);
  lines.push(`- Ours: ${machine.emcc}, \`-O3 -msimd128\`. Natively, the same C++ built twice with GCC \`-O3\`: "native AVX2" with \`-march=native\` and Eigen's products (AVX2, FMA); "native SSE" with \`-msse4.2\` and the WebAssembly build's own kernels (SIMDe turns SIMD128 into SSE: the same 128-bit vectors, no FMA), the reference issue 5 names`);
  lines.push(`- Peer: TensorFlow.js ${machine.tfjs} (\`@tensorflow/tfjs\`), \`@tensorflow/tfjs-backend-wasm\` ${machine.tfjsWasm} (XNNPACK, SIMD), on the page's main thread as it is normally used (its threaded backend starts no threads inside a worker). It caps its threads at half of \`navigator.hardwareConcurrency\`, so the page reports twice the cores to let it use them all.`);
  lines.push('- Ours runs in a Web Worker, as the app trains: the single-threaded ES-module build, and the threaded classic build (pthreads) with 1 and 2 threads.');
  lines.push('- Workloads: the tutorial CNN (conv 3x3x32, pool, conv 3x3x64, pool, dense 1024, dropout 0.5, dense 10) and the tutorial softmax regression, on the real MNIST files. Inference reads the probabilities back to JavaScript. One image goes through our recogniser\'s path, which keeps the CNN\'s large dense layer as int8 weights (a scale per output, sums exact in int32; it recognises the same 9,920 of the 10,000 test images as float32, \`tests/native/int8_dense_test.cpp\`); TF.js computes it in float32. Batches are float32 on both sides.', '');

  lines.push('## Figures', '');
  lines.push(`| workload | ${columns.map((c) => c[2]).join(' | ')} |`);
  lines.push(`|---|${columns.map(() => '---').join('|')}|`);
  for (const [w, label] of WORKLOADS) {
    lines.push(`| ${label} | ${columns.map(([e, t]) => format(find(e, t, w)) || (engineError(e, t) ? `cannot run: ${engineError(e, t).error}` : '')).join(' | ')} |`);
  }
  lines.push('');
  const measured = find('ours-threaded', 2, 'cnn_train_b250_threads_in_turns');
  const inTurns = measured && !measured.error ? measured : null;
  if (inTurns) {
    lines.push(`Two threads against one, measured in turns on one trainer of the threaded build (batch 250), so that the machine's slow moments fall on both: **${inTurns.value.toFixed(2)}x** (median; ${inTurns.detail}). The columns above come from separate runs minutes apart.`, '');
  }

  lines.push('## Ratios (how many times faster ours is; above 1 is better)', '');
  const pairs = [
    ['ours 1 thread / TF.js wasm 1 thread', ['ours-single', 1], ['tfjs-wasm', 1]],
    ['ours 2 threads / TF.js wasm 2 threads', ['ours-threaded', 2], ['tfjs-wasm', 2]],
    ['ours 1 thread / TF.js cpu', ['ours-single', 1], ['tfjs-cpu', 1]],
    ['ours wasm / ours native SSE, 1 thread', ['ours-single', 1], ['native-sse', 1]],
    ['ours wasm / ours native SSE, 2 threads', ['ours-threaded', 2], ['native-sse', 2]],
    ['ours wasm / ours native AVX2, 1 thread', ['ours-single', 1], ['native', 1]],
    ['ours wasm / ours native AVX2, 2 threads', ['ours-threaded', 2], ['native', 2]],
    ['ours 2 threads / ours 1 thread (threaded build)', ['ours-threaded', 2], ['ours-threaded', 1]],
  ];
  lines.push(`| ratio | ${WORKLOADS.map((w) => w[0]).join(' | ')} |`);
  lines.push(`|---|${WORKLOADS.map(() => '---').join('|')}|`);
  for (const [label, a, b] of pairs) {
    lines.push(`| ${label} | ${WORKLOADS.map(([w]) => {
      const peer = find(b[0], b[1], w);
      if (peer?.error) return 'peer cannot run it';
      return times(ratio(w, a, b));
    }).join(' | ')} |`);
  }
  lines.push('');

  if (figures) {
    lines.push('## The page', '');
    lines.push(`- Navigation to the first possible prediction (engine and the softmax regression ready; the CNN follows), cold cache, median of 5: ${figures.readyMs.toFixed(0)} ms`);
    for (const c of figures.coldLoads ?? []) {
      lines.push(`- Cold load at ${c.name} (Chromium's network emulation, median of 3): ready to read after ${c.readyMs.toFixed(0)} ms, the CNN in after ${c.cnnMs.toFixed(0)} ms`);
    }
    if (figures.modelBytes) lines.push(`- Shipped models: cnn.bin ${(figures.modelBytes.cnn / 1048576).toFixed(2)} MB, softmax.bin ${(figures.modelBytes.softmax / 1024).toFixed(0)} KB`);
    const reading = (m) => `median ${m.median.toFixed(2)} ms, p95 ${m.p95.toFixed(2)} ms (${m.right} of ${m.count} read right)`;
    lines.push(`- One digit drawn on the pad, read as the page does when a stroke ends (the engine renders the strokes, reads the number with the CNN and each digit again with the softmax regression), on the page's main thread: ${reading(figures.drawingMs)}`);
    if (figures.numberMs) lines.push(`- A 6-digit number drawn on the pad, the same way: ${reading(figures.numberMs)}`);
    if (figures.photoMs) lines.push(`- A ${figures.photoMs.width}x${figures.photoMs.height} photo of a 6-digit number, read whole by the engine (the page shrinks photos to 1024 px first): median ${figures.photoMs.median.toFixed(0)} ms; read "${figures.photoMs.read}", written "${figures.photoMs.truth}"`);
    const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
    lines.push(`- engine.wasm (single-threaded): ${kb(figures.wasm.single.raw)} raw, ${kb(figures.wasm.single.gzip)} gzip; engine-threads.wasm: ${kb(figures.wasm.threaded.raw)} raw, ${kb(figures.wasm.threaded.gzip)} gzip`, '');
  }

  lines.push('## Targets', '');
  const v = (e, t, w) => find(e, t, w)?.value;
  const bestTfjs = (w) => Math.max(...['tfjs-wasm', 'tfjs-cpu'].flatMap((e) => [1, 2].map((t) => speed(find(e, t, w)))).filter(Number.isFinite));
  const targets = [
    ['CNN training at batch 250, one thread: at least 500 images/s', v('ours-single', 1, 'cnn_train_b250'), (x) => x >= 500, (x) => `${x?.toFixed(0)} images/s`],
    ['... two threads: at least 1.8x one thread (threaded build, in turns)', inTurns ? inTurns.value : NaN, (x) => x >= 1.8, times],
    ['... two threads against the single-threaded build, separate runs', ratio('cnn_train_b250', ['ours-threaded', 2], ['ours-single', 1]), (x) => x >= 1.8, times],
    ['WebAssembly within 70% of native SSE (CNN training b250, 1 thread)', ratio('cnn_train_b250', ['ours-single', 1], ['native-sse', 1]), (x) => x >= 0.7, times],
    ['One image: at least 2x TF.js wasm', ratio('cnn_infer_one', ['ours-single', 1], ['tfjs-wasm', 1]), (x) => x >= 2, times],
    ['One image: under 0.35 ms', v('ours-single', 1, 'cnn_infer_one'), (x) => x < 0.35, (x) => `${x?.toFixed(3)} ms`],
    ['Batches: at least 1.2x TF.js wasm, 1 thread', ratio('cnn_infer_batch1000', ['ours-single', 1], ['tfjs-wasm', 1]), (x) => x >= 1.2, times],
    ['Batches: at least 1.2x TF.js wasm, 2 threads', ratio('cnn_infer_batch1000', ['ours-threaded', 2], ['tfjs-wasm', 2]), (x) => x >= 1.2, times],
    ['Softmax 1000 steps: at least 10x the fastest TF.js backend', speed(find('ours-single', 1, 'softmax_1000_steps')) / bestTfjs('softmax_1000_steps'), (x) => x >= 10, times],
    ['Softmax 1000 steps: under 0.15 s', v('ours-single', 1, 'softmax_1000_steps'), (x) => x < 0.15, (x) => `${x?.toFixed(3)} s`],
    ['Fast CNN preset: 0.99 within 30 s of training, two threads (issue 22)', v('ours-threaded', 2, 'fast_cnn_to_99'), (x) => x <= 30, (x) => `${x.toFixed(1)} s`],
    ...(figures ? [
      ['Page ready within 1 s', figures.readyMs, (x) => x < 1000, (x) => `${x.toFixed(0)} ms`],
      ['.wasm under 300 KB gzip', figures.wasm.single.gzip / 1024, (x) => x < 300, (x) => `${x.toFixed(0)} KB`],
      ...(figures.coldLoads ?? []).map((c, i) => [`Cold load at ${c.name}: ready to read within ${i ? '3.5' : '1.5'} s (issue 20)`, c.readyMs, (x) => x <= (i ? 3500 : 1500), (x) => `${x.toFixed(0)} ms`]),
      ...(figures.numberMs ? [['A 6-digit number drawn on the pad: at most 4 ms on the main thread (issue 19)', figures.numberMs.median, (x) => x <= 4, (x) => `${x.toFixed(2)} ms`]] : []),
      ...(figures.photoMs ? [['A 3000x2000 photo of a 6-digit number: at most 150 ms (issue 19)', figures.photoMs.median, (x) => x <= 150, (x) => `${x.toFixed(0)} ms`]] : []),
    ] : []),
  ];
  lines.push('| target | measured | |', '|---|---|---|');
  for (const [label, x, ok, show] of targets) {
    const known = Number.isFinite(x);
    lines.push(`| ${label} | ${known ? show(x) : 'n/a'} | ${known ? (ok(x) ? 'met' : '**not met**') : ''} |`);
  }
  lines.push('');
  return lines.join('\n');
}
