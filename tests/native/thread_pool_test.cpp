// The thread pool: chunks cover a loop exactly once, respect the minimum size
// and the alignment, work really runs on more than one thread, and a thread
// held up by a slow chunk leaves the rest to the others.
#include "parallel/thread_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
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

// Waits, up to 10 s, until `started` reaches `count`: a chunk that waits for
// another thread proves the two run at the same time (the other thread takes
// the next chunk while this one is held up) without depending on timing.
bool wait_for(const std::atomic<int>& started, int count) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (started.load() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

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
        EXPECT_LE(static_cast<int>(chunks.size()),
                  parallel::thread_count() * parallel::kChunksPerThread);
      }
    }
  }
}

TEST(ThreadPool, SplitsAcrossThreadsOnlyWhenAllowedAndWorthIt) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  // Each chunk waits (up to 10 s) until two chunks have started: it can only
  // stop waiting early if another thread took one.
  auto threads_used = [](int n, int min_chunk) {
    std::mutex mutex;
    std::set<std::thread::id> ids;
    std::atomic<int> started{0};
    parallel::parallel_for(n, min_chunk, 1, [&](int, int) {
      {
        std::lock_guard<std::mutex> lock(mutex);
        ids.insert(std::this_thread::get_id());
      }
      ++started;
      if (parallel::thread_count() > 1 && n / min_chunk >= 2) wait_for(started, 2);
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

// Threads take chunks as they come free: while one is held up by a slow
// chunk, the other runs all the rest. (With the loop cut into one half per
// thread, the held-up thread would still have its other chunks to run.)
TEST(ThreadPool, AThreadHeldUpLeavesTheOtherChunksToTheOthers) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  ThreadCountScope scope(2);
  const int chunks = 2 * parallel::kChunksPerThread;
  std::mutex mutex;
  std::map<std::thread::id, std::vector<int>> taken;
  std::atomic<int> others_done{0};
  parallel::parallel_for(chunks, 1, 1, [&](int begin, int end) {
    ASSERT_EQ(end, begin + 1);
    {
      std::lock_guard<std::mutex> lock(mutex);
      taken[std::this_thread::get_id()].push_back(begin);
    }
    // Chunk 0 is held until the other chunks are done (up to 10 s).
    if (begin == 0) {
      wait_for(others_done, chunks - 1);
    } else {
      ++others_done;
    }
  });
  ASSERT_EQ(taken.size(), 2u) << "the chunks after the held one ran on the thread that held it";
  for (const auto& [id, list] : taken) {
    const bool holder = std::find(list.begin(), list.end(), 0) != list.end();
    if (holder) EXPECT_EQ(list.size(), 1u) << "the holder also ran chunks the other could take";
    if (!holder) EXPECT_EQ(static_cast<int>(list.size()), chunks - 1);
  }
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

// side_by_side runs both pieces of work, at the same time on two threads
// when two are in use, one after the other on one, and both inline inside
// another loop.
TEST(ThreadPool, SideBySideRunsBothOnTwoThreadsOrInTurnOnOne) {
  if (parallel::max_threads() < 2) GTEST_SKIP() << "one hardware thread";
  for (int threads : {1, 2}) {
    ThreadCountScope scope(threads);
    std::thread::id first_thread, second_thread;
    std::atomic<int> runs{0}, second_started{0};
    bool first_saw_second = false;
    parallel::side_by_side(
        [&] {
          first_thread = std::this_thread::get_id(), ++runs;
          // On two threads the second starts while the first still runs.
          if (threads == 2) first_saw_second = wait_for(second_started, 1);
        },
        [&] { ++second_started, second_thread = std::this_thread::get_id(), ++runs; });
    EXPECT_EQ(runs, 2) << threads << " threads";
    EXPECT_EQ(first_thread == second_thread, threads == 1) << threads << " threads";
    if (threads == 2) EXPECT_TRUE(first_saw_second);
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
