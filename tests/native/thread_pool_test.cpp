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
