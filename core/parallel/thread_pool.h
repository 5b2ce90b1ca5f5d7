// One process-wide pool of worker threads that splits a loop into contiguous
// chunks, a few per thread, which the caller and the workers take in turn
// until none is left. The ops use it to split a batch's matrix products by
// output rows, so every output element is computed by one thread in the same
// order whatever the thread count or whichever thread takes its chunk:
// results do not depend on it (for our own kernels, bit for bit). Natively it
// is plain std::thread; in the threaded WebAssembly build those are
// Emscripten pthreads (Web Workers over one SharedArrayBuffer); in the
// single-threaded WebAssembly build it always runs inline.
#pragma once

#include <cstddef>

#include "parallel/function_ref.h"

namespace mnist::parallel {

// The most threads the engine runs whatever the machine reports (set in
// CMakeLists.txt, which sizes the WebAssembly build's pool of workers too).
inline constexpr int kMaxThreads = MNIST_MAX_THREADS;
// How many threads this build can run at once (1 without thread support).
int max_threads();
// Threads that parallel_for may use from now on, clamped to [1, max_threads()].
// Workers are started on first use and kept for the life of the process.
void set_thread_count(int count);
int thread_count();

// Calls body(begin, end) on disjoint chunks covering [0, n), at most
// kChunksPerThread per thread in use. Each chunk holds at least min_chunk
// items (the whole loop runs inline when splitting would not pay), chunk
// boundaries are multiples of `align` (for register tiles). A parallel_for
// that body calls runs inline, on the thread running body.
//
// Why several chunks per thread: a thread takes the next chunk when it is
// free, so one that runs slower for a while (another process, the page's
// main thread) gets fewer, and the caller does not wait for it; four per
// thread costs a little more packing of shared operands.
constexpr int kChunksPerThread = 4;
void parallel_for(int n, int min_chunk, int align, FunctionRef<void(int, int)> body);

// Which thread of the pool is running: 0 for the thread that called
// parallel_for (or any thread outside one), 1 to thread_count() - 1 for the
// pool's workers. Ops index their per-thread scratch by it (workspace.h).
int thread_index();

// Runs first() and second(), two independent pieces of work of about the
// same size (a layer's weight and input gradients), one on each thread when
// two are in use (side_by_side_on_two_threads(); the caller runs both if
// the other thread comes late), else one after the other, each splitting its
// own loops across the threads. On two threads that beats
// splitting each in two: the compressions and packing are not repeated, and
// one hand-off replaces one per loop. The results are the same either way
// (each loop's results do not depend on how it is split).
inline bool side_by_side_on_two_threads() { return thread_count() == 2; }
template <typename First, typename Second>
void side_by_side(First&& first, Second&& second) {
  if (!side_by_side_on_two_threads()) {
    first();
    second();
    return;
  }
  // Inside another parallel_for this runs inline as one chunk: both, in turn.
  parallel_for(2, 1, 1, [&](int begin, int end) {
    for (int which = begin; which < end; ++which) which == 0 ? first() : second();
  });
}

// Items per chunk so that a chunk holds at least kMinFlopsPerChunk of work
// (about half a millisecond on one core): waking a thread costs tens of
// microseconds natively and more between Web Workers.
constexpr double kMinFlopsPerChunk = 1e7;
int min_chunk_for(double flops_per_item);

// Elementwise work (a few operations per element, memory-bound) in chunks of
// at least kMinElementsPerChunk: body(first, count).
constexpr int kMinElementsPerChunk = 1 << 16;
template <typename Body>
void parallel_elements(std::size_t n, Body&& body) {
  parallel_for(static_cast<int>(n), kMinElementsPerChunk, 4, [&](int begin, int end) {
    body(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
  });
}

}  // namespace mnist::parallel
