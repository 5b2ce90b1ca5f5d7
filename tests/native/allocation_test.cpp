// Nothing allocates while a model trains or predicts: after a warm-up pass
// (plans built, workspaces and activations sized), a training step of the
// CNN (augmented, with dropout, on every thread), of the softmax regression,
// a batch prediction and one drawing's prediction make no heap allocation.
// Every allocation of the process is counted, Eigen's and the thread pool's
// included: malloc and its kin are wrapped in this test binary (glibc keeps
// the real ones as __libc_*).
#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstdlib>

#include "model/model_spec.h"
#include "parallel/thread_pool.h"
#include "test_util.h"
#include "train/trainer.h"

namespace {
std::atomic<long> allocations{0};
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);

void* malloc(std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(std::size_t n, std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, size);
}
void* realloc(void* p, std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
void* memalign(std::size_t align, std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(align, n);
}
void* aligned_alloc(std::size_t align, std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, std::size_t align, std::size_t n) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  *out = __libc_memalign(align, n);
  return *out ? 0 : ENOMEM;
}
}

namespace mnist {
namespace {

// Allocations made while `work` runs.
template <typename Work>
long allocations_during(Work&& work) {
  const long before = allocations.load();
  work();
  return allocations.load() - before;
}

TEST(Allocations, TheCounterSeesAllocations) {
  EXPECT_GT(allocations_during([] { std::vector<float> v(1000); (void)v; }), 0);
}

TEST(Allocations, NoneInATrainingStep) {
  const Dataset& train = test::mnist_data().train;
  const int saved = parallel::thread_count();
  for (int threads : {1, parallel::max_threads()}) {
    parallel::set_thread_count(threads);
    for (const char* kind : {"cnn", "softmax"}) {
      auto model = Model::create(preset_spec(kind).value()).value();
      TrainConfig c;
      c.steps = 10, c.batch = 64, c.seed = 3;
      c.optimizer = OptimizerKind::adam, c.learning_rate = 1e-3f;
      c.schedule = LrSchedule::cosine, c.warmup_steps = 2, c.weight_average = 0.99f;
      c.augment.enabled = std::string(kind) == "cnn";
      c.augment.elastic = 1.0f;
      Trainer trainer(*model, train, nullptr, c);
      ASSERT_TRUE(trainer.step());  // warm-up: plans, workspaces, Adam's moments
      ASSERT_TRUE(trainer.step());
      Status s = Status::ok();
      const long made = allocations_during([&] { s = trainer.step(); });
      ASSERT_TRUE(s) << s.message();
      EXPECT_EQ(made, 0) << kind << " on " << threads << " thread(s)";
    }
  }
  parallel::set_thread_count(saved);
}

TEST(Allocations, NoneInAPrediction) {
  auto model = Model::create(preset_spec("cnn").value()).value();
  model->initialize(5);
  const Dataset& test_set = test::mnist_data().test;
  std::vector<float> x(static_cast<std::size_t>(Model::kPredictChunk) * 784), probs(Model::kPredictChunk * 10);
  for (int i = 0; i < Model::kPredictChunk; ++i) image_to_floats(test_set, i, x.data() + i * 784);
  model->predict(x.data(), Model::kPredictChunk, probs.data());
  EXPECT_EQ(allocations_during([&] { model->predict(x.data(), Model::kPredictChunk, probs.data()); }), 0) << "a batch";

  model->prepare_inference();  // one drawing: int8 and transposed weights
  for (int warm = 0; warm < 2; ++warm) model->predict(x.data() + 784 * warm, 1, probs.data());
  EXPECT_EQ(allocations_during([&] { model->predict(x.data() + 784 * 7, 1, probs.data()); }), 0) << "one drawing";
}

}  // namespace
}  // namespace mnist
