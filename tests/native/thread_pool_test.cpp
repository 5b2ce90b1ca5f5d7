// The thread pool: chunks cover a loop exactly once, respect the minimum size
// and the alignment, and work really runs on more than one thread.
#include "parallel/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace mnist {
namespace {

// Restores the thread count a test changed.
struct ThreadCountScope {
  explicit ThreadCountScope(int count) : saved(parallel::thread_count()) {
    parallel::set_thread_count(count);
  }
  ~ThreadCountScope() { parallel::set_thread_count(saved); }
  int saved;
};

TEST(ThreadPool, ChunksCoverTheLoopExactlyOnceWithTheirAlignment) {
  ThreadCountScope scope(parallel::max_threads());
  for (int n : {0, 1, 3, 4, 5, 17, 64, 250, 1001}) {
    for (int min_chunk : {1, 4, 100}) {
      for (int align : {1, 4}) {
        std::vector<std::atomic<int>> visits(n);
        std::mutex mutex;
        std::vector<std::pair<int, int>> chunks;
        parallel::parallel_for(n, min_chunk, align, [&](int begin, int end) {
          for (int i = begin; i < end; ++i) ++visits[i];
          std::lock_guard<std::mutex> lock(mutex);
          chunks.emplace_back(begin, end);
        });
        for (int i = 0; i < n; ++i) ASSERT_EQ(visits[i], 1) << "n " << n << " item " << i;
        for (auto [begin, end] : chunks) {
          EXPECT_EQ(begin % align, 0) << "n " << n;
          if (chunks.size() > 1) EXPECT_GE(end - begin, std::min(min_chunk, n)) << "n " << n;
        }
        EXPECT_LE(static_cast<int>(chunks.size()), parallel::thread_count());
      }
    }
  }
}

TEST(ThreadPool, SplitsAcrossThreadsOnlyWhenAllowedAndWorthIt) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  auto threads_used = [](int n, int min_chunk) {
    std::mutex mutex;
    std::set<std::thread::id> ids;
    parallel::parallel_for(n, min_chunk, 1, [&](int, int) {
      std::lock_guard<std::mutex> lock(mutex);
      ids.insert(std::this_thread::get_id());
    });
    return ids.size();
  };
  {
    ThreadCountScope scope(2);
    EXPECT_EQ(parallel::thread_count(), 2);
    EXPECT_EQ(threads_used(1000, 10), 2u);
    EXPECT_EQ(threads_used(1000, 1000), 1u) << "a loop smaller than two chunks runs inline";
  }
  {
    ThreadCountScope scope(1);
    EXPECT_EQ(threads_used(1000, 10), 1u);
  }
  ThreadCountScope scope(1000);
  EXPECT_EQ(parallel::thread_count(), parallel::max_threads()) << "clamped to the machine";
}

// A parallel_for inside a chunk runs inline, all of it, on that chunk's
// thread: the pool runs one job at a time.
TEST(ThreadPool, ALoopInsideAChunkRunsInlineAndWhole) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  ThreadCountScope scope(2);
  std::atomic<int> inner_items{0}, inner_off_thread{0};
  parallel::parallel_for(2, 1, 1, [&](int, int) {
    const auto outer = std::this_thread::get_id();
    parallel::parallel_for(1000, 1, 1, [&](int begin, int end) {
      inner_items += end - begin;
      inner_off_thread += std::this_thread::get_id() != outer;
    });
  });
  EXPECT_EQ(inner_items, 2000);
  EXPECT_EQ(inner_off_thread, 0);
}

// side_by_side runs both pieces of work, on two threads when two are in use,
// one after the other on one, and both inline inside another loop.
TEST(ThreadPool, SideBySideRunsBothOnTwoThreadsOrInTurnOnOne) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  for (int threads : {1, 2}) {
    ThreadCountScope scope(threads);
    std::thread::id first_thread, second_thread;
    std::atomic<int> runs{0};
    parallel::side_by_side([&] { first_thread = std::this_thread::get_id(), ++runs; },
                           [&] { second_thread = std::this_thread::get_id(), ++runs; });
    EXPECT_EQ(runs, 2) << threads << " threads";
    EXPECT_EQ(first_thread == second_thread, threads == 1) << threads << " threads";
  }
  // Inside a parallel_for, where loops run inline: both still run, in turn.
  ThreadCountScope scope(2);
  std::atomic<int> runs{0};
  parallel::parallel_for(2, 1, 1, [&](int, int) { parallel::side_by_side([&] { ++runs; }, [&] { ++runs; }); });
  EXPECT_EQ(runs, 4);
}

TEST(ThreadPool, ManyShortJobsInARowAllComplete) {
  ThreadCountScope scope(parallel::max_threads());
  long long total = 0;
  for (int job = 0; job < 2000; ++job) {
    std::atomic<long long> sum{0};
    parallel::parallel_for(64, 1, 1, [&](int begin, int end) {
      for (int i = begin; i < end; ++i) sum += i;
    });
    total += sum;
  }
  EXPECT_EQ(total, 2000LL * (63 * 64 / 2));
}

}  // namespace
}  // namespace mnist
