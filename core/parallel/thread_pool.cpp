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
void parallel_for(int n, int, int, FunctionRef<void(int, int)> body) {
  if (n > 0) body(0, n);
}
int thread_index() { return 0; }

#else

namespace {

// The pool's number for the thread running: 0 for callers, set once in each worker.
thread_local int current_thread = 0;

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

  // Runs chunks 0..chunks-1 on the caller and participants - 1 workers, each
  // taking the next chunk no one has taken until none is left: a thread that
  // runs slower (or wakes late) takes fewer.
  void run(int chunks, int participants, FunctionRef<void(int)> chunk_body) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = &chunk_body;
      job_chunks_ = chunks;
      job_participants_ = participants;
      next_chunk_.store(0, std::memory_order_relaxed);
      pending_ = participants - 1;
      ++generation_;
    }
    wake_.notify_all();
    take_chunks(chunk_body);
    spin_while([this] { return pending_.load(std::memory_order_acquire) != 0; });
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
    job_ = nullptr;
  }

 private:
  // A thread that waits polls first, for up to kSpinTime, and only then
  // sleeps: a training step hands work over a few dozen times with short
  // serial stretches between, and a sleeping thread is slow twice (waking
  // it is slow, and a core that went idle runs its next chunk slowly).
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

  void take_chunks(FunctionRef<void(int)> chunk_body) {
    for (;;) {
      const int chunk = next_chunk_.fetch_add(1, std::memory_order_relaxed);
      if (chunk >= job_chunks_) return;
      chunk_body(chunk);
    }
  }

  void worker_loop(int index) {
    current_thread = index;
    std::uint64_t seen = 0;
    for (;;) {
      const FunctionRef<void(int)>* job = nullptr;
      spin_while([&] {
        return generation_.load(std::memory_order_acquire) == seen &&
               !shutting_down_.load(std::memory_order_acquire);
      });
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return shutting_down_ || generation_ != seen; });
        if (shutting_down_) return;
        seen = generation_;
        if (index >= job_participants_) continue;  // this job needs fewer threads
        job = job_;
      }
      take_chunks(*job);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        if (--pending_ == 0) done_.notify_one();
      }
    }
  }

  std::mutex mutex_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const FunctionRef<void(int)>* job_ = nullptr;
  int job_chunks_ = 0;
  int job_participants_ = 0;
  std::atomic<int> next_chunk_{0};
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
  return std::clamp(static_cast<int>(hardware == 0 ? 1 : hardware), 1, kMaxThreads);
}

void set_thread_count(int count) { active_threads = std::clamp(count, 1, max_threads()); }

int thread_count() { return active_threads; }

int thread_index() { return current_thread; }

void parallel_for(int n, int min_chunk, int align, FunctionRef<void(int, int)> body) {
  if (n <= 0) return;
  align = std::max(1, align);
  const int threads = inside_chunk ? 1 : active_threads.load();
  min_chunk = std::max(1, min_chunk);
  const int wanted = std::clamp(n / min_chunk, 1, threads * kChunksPerThread);
  // Equal chunks, rounded up to the alignment; the last one takes the rest,
  // and the one before too when the rest is smaller than min_chunk.
  const int per_chunk = ((n + wanted - 1) / wanted + align - 1) / align * align;
  int chunks = (n + per_chunk - 1) / per_chunk;
  if (chunks > 1 && n - (chunks - 1) * per_chunk < min_chunk) --chunks;
  if (threads == 1 || chunks == 1) {
    body(0, n);
    return;
  }
  const int participants = std::min(threads, chunks);
  Pool& p = pool();
  p.ensure_workers(participants - 1);
  p.run(chunks, participants, [&](int chunk) {
    const InsideChunk inside;
    const int begin = chunk * per_chunk;
    const int end = chunk == chunks - 1 ? n : begin + per_chunk;
    body(begin, end);  // never empty: (chunks - 1) * per_chunk < n
  });
}

#endif

}  // namespace mnist::parallel
