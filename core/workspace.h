// Scratch memory for ops: sized when a plan is built (model/plan.h), owned
// by the plan, handed to every op that needs some. Ops and kernels never
// allocate while a model trains or predicts.
//
// A workspace is one region for the whole pass (shared: what an op's threads
// all read, such as slot sums) and one per pool thread (private), each used
// as a stack: an op takes what it needs and gives it back when it returns
// (ScratchFrame), so an op that runs another inside it simply needs the sum
// of both. Every op with scratch has a size function beside it that says how
// much it takes, exactly; a plan sums and maxes those over its steps.
#pragma once

#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "aligned_buffer.h"
#include "parallel/thread_pool.h"

namespace mnist {

inline constexpr std::size_t kScratchAlign = 64;  // a cache line: aligned_buffer.h says why

// Bytes that n values of T take in a scratch stack, its alignment included.
template <typename T>
constexpr std::size_t scratch_bytes(std::size_t n) {
  return (n * sizeof(T) + kScratchAlign - 1) / kScratchAlign * kScratchAlign;
}

// How much scratch a step needs, in bytes: shared by all threads, and on
// each thread's own stack.
struct ScratchSize {
  std::size_t shared = 0;
  std::size_t per_thread = 0;
  // Both at once (an op and what it runs inside), or one after the other.
  ScratchSize operator+(const ScratchSize& o) const { return {shared + o.shared, per_thread + o.per_thread}; }
  static ScratchSize larger(const ScratchSize& a, const ScratchSize& b) {
    return {a.shared > b.shared ? a.shared : b.shared, a.per_thread > b.per_thread ? a.per_thread : b.per_thread};
  }
};

// One region, used as a stack.
class ScratchStack {
 public:
  ScratchStack() = default;
  ScratchStack(std::byte* base, std::size_t capacity) : base_(base), capacity_(capacity) {}

  // n values of T, 64-byte aligned, uninitialised. Taking more than the plan
  // sized is a bug in a size function: it stops the program rather than
  // write past the region.
  template <typename T>
  T* take(std::size_t n) {
    const std::size_t bytes = scratch_bytes<T>(n);
    if (used_ + bytes > capacity_) {
      std::fprintf(stderr, "internal error: an op took %zu bytes of scratch past the %zu its plan sized\n",
                   used_ + bytes - capacity_, capacity_);
      std::abort();
    }
    T* p = reinterpret_cast<T*>(base_ + used_);
    used_ += bytes;
    return p;
  }
  std::size_t used() const { return used_; }
  void release_to(std::size_t mark) { used_ = mark; }

 private:
  std::byte* base_ = nullptr;
  std::size_t capacity_ = 0, used_ = 0;
};

// Gives back, when it goes out of scope, what was taken from a stack since
// it was made.
class ScratchFrame {
 public:
  explicit ScratchFrame(ScratchStack& stack) : stack_(stack), mark_(stack.used()) {}
  ~ScratchFrame() { stack_.release_to(mark_); }
  ScratchFrame(const ScratchFrame&) = delete;
  ScratchFrame& operator=(const ScratchFrame&) = delete;

 private:
  ScratchStack& stack_;
  std::size_t mark_;
};

// The scratch of one pass: its memory and its stacks.
class Workspace {
 public:
  // Room for `size` on `threads` threads (at least the pool's count now).
  void reserve(const ScratchSize& size, int threads);
  ScratchSize capacity() const { return size_; }
  std::size_t bytes() const { return memory_.size(); }

  ScratchStack& shared() { return stacks_[0]; }
  // The running thread's own stack (parallel::thread_index()).
  ScratchStack& mine() { return stacks_[1 + parallel::thread_index()]; }

 private:
  ScratchSize size_;
  AlignedVector<std::byte> memory_;
  std::vector<ScratchStack> stacks_;
};

inline void Workspace::reserve(const ScratchSize& size, int threads) {
  threads = threads < parallel::thread_count() ? parallel::thread_count() : threads;
  if (size.shared <= size_.shared && size.per_thread <= size_.per_thread &&
      static_cast<int>(stacks_.size()) >= threads + 1) {
    for (ScratchStack& s : stacks_) s.release_to(0);
    return;
  }
  size_ = ScratchSize::larger(size, size_);
  memory_.assign(size_.shared + size_.per_thread * threads, std::byte{0});
  stacks_.clear();
  stacks_.emplace_back(memory_.data(), size_.shared);
  for (int t = 0; t < threads; ++t) stacks_.emplace_back(memory_.data() + size_.shared + size_.per_thread * t, size_.per_thread);
}

}  // namespace mnist
