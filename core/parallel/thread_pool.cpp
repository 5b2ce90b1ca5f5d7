#include "parallel/thread_pool.h"

#include <algorithm>
#include <cmath>

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define MNIST_NO_THREADS 1
#endif

#ifndef MNIST_NO_THREADS
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>
#endif

namespace mnist::parallel {

int min_chunk_for(double flops_per_item) {
  if (flops_per_item <= 0) return 1 << 30;
  return std::max(1, static_cast<int>(std::ceil(kMinFlopsPerChunk / flops_per_item)));
}

#ifdef MNIST_NO_THREADS

int max_threads() { return 1; }
void set_thread_count(int) {}
int thread_count() { return 1; }
void parallel_for(int n, int, int, const std::function<void(int, int)>& body) {
  if (n > 0) body(0, n);
}

#else

namespace {

// Upper bound on workers whatever the machine reports: the products here
// stop scaling long before, and each WebAssembly thread is a Web Worker
// created at start-up. Must match PTHREAD_POOL_SIZE in
// wasm_bindings/CMakeLists.txt and MAX_TRAINING_THREADS in web/training/messages.js.
constexpr int kThreadLimit = 8;

class Pool {
 public:
  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      shutting_down_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  void ensure_workers(int count) {
    while (static_cast<int>(workers_.size()) < count) {
      const int index = static_cast<int>(workers_.size()) + 1;  // chunk 0 is the caller's
      workers_.emplace_back([this, index] { worker_loop(index); });
    }
  }

  // Runs chunk 0 on the caller and chunks 1..chunks-1 on workers.
  void run(int chunks, const std::function<void(int)>& chunk_body) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &chunk_body;
      job_chunks_ = chunks;
      pending_ = chunks - 1;
      ++generation_;
    }
    wake_.notify_all();
    chunk_body(0);
    spin_while([this] { return pending_.load(std::memory_order_acquire) != 0; });
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  // A thread that waits polls first, for up to kSpinTime, and only then
  // sleeps. A training step of 250 images hands work over about 157 times,
  // with serial stretches between (dropout's random numbers, the loss) of up
  // to about 2 ms. A sleeping thread is slow twice: waking it cost 30 us
  // between Emscripten's pthreads in Node (7-8 us polling), and on these
  // virtual machines a core that went idle then ran its next chunk at about
  // half speed. Polling for 15 us, two threads trained (native SSE build,
  // in turns) at 1.07-1.6x one thread; for up to 5 ms, 1.37-1.85x.
  template <typename Condition>
  static void spin_while(Condition&& condition) {
    const auto deadline = std::chrono::steady_clock::now() + kSpinTime;
    for (;;) {
      for (int i = 0; i < 1024; ++i) {
        if (!condition()) return;
      }
      if (std::chrono::steady_clock::now() >= deadline) return;
    }
  }
  static constexpr std::chrono::microseconds kSpinTime{5000};

  void worker_loop(int index) {
    std::uint64_t seen = 0;
    for (;;) {
      const std::function<void(int)>* job = nullptr;
      spin_while([&] {
        return generation_.load(std::memory_order_acquire) == seen &&
               !shutting_down_.load(std::memory_order_acquire);
      });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return shutting_down_ || generation_ != seen; });
        if (shutting_down_) return;
        seen = generation_;
        if (index >= job_chunks_) continue;  // this job needs fewer threads
        job = job_;
      }
      (*job)(index);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--pending_ == 0) done_.notify_one();
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* job_ = nullptr;
  int job_chunks_ = 0;
  // Changed under mutex_; atomic so that spin_while may read them without it.
  std::atomic<int> pending_{0};
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<bool> shutting_down_{false};
};

Pool& pool() {
  static Pool instance;
  return instance;
}

std::atomic<int> active_threads{1};

// Set while a thread runs a chunk: a parallel_for inside it runs inline.
thread_local bool inside_chunk = false;

struct InsideChunk {
  InsideChunk() { inside_chunk = true; }
  ~InsideChunk() { inside_chunk = false; }
};

}  // namespace

int max_threads() {
  const unsigned hardware = std::thread::hardware_concurrency();
  return std::clamp(static_cast<int>(hardware == 0 ? 1 : hardware), 1, kThreadLimit);
}

void set_thread_count(int count) { active_threads = std::clamp(count, 1, max_threads()); }

int thread_count() { return active_threads; }

void parallel_for(int n, int min_chunk, int align, const std::function<void(int, int)>& body) {
  if (n <= 0) return;
  align = std::max(1, align);
  const int threads = inside_chunk ? 1 : active_threads.load();
  const int chunks = std::clamp(n / std::max(1, min_chunk), 1, threads);
  if (chunks == 1) {
    body(0, n);
    return;
  }
  // Equal chunks, rounded up to the alignment; the last one takes the rest.
  const int per_chunk = ((n + chunks - 1) / chunks + align - 1) / align * align;
  Pool& p = pool();
  p.ensure_workers(chunks - 1);
  p.run(chunks, [&](int chunk) {
    const InsideChunk inside;
    const int begin = std::min(n, chunk * per_chunk);
    const int end = std::min(n, begin + per_chunk);
    if (begin < end) body(begin, end);
  });
}

#endif

}  // namespace mnist::parallel
