// mnist finetune: adapts a trained model to one person's digits (the files
// the page's "My digits" exports), with MNIST replay, and reports held-out
// accuracy on their digits and MNIST test accuracy, before and after.
#include <cstdio>

#include "args.h"
#include "default_data_dir.h"
#include "atomic_write.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "io/model_file.h"
#include "io/onnx_file.h"
#include "parallel/thread_pool.h"
#include "train/adaptation.h"
#include "train/evaluator.h"

namespace mnist::cli {

int finetune_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv,
                            {"init", "samples", "out", "data", "steps", "batch", "lr", "replay", "share", "folds",
                             "seed", "threads", "dtype"},
                            {"json", "no-test"});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  for (const char* required : {"init", "samples", "out"}) {
    if (!a.has(required)) return report("finetune needs --init MODEL --samples DIR --out FILE", kExitUsage);
  }
  auto dtype = parse_dtype(a.get("dtype", "f32"));
  if (!dtype) return report("--dtype: " + dtype.message(), kExitUsage);
  AdaptConfig config;
  auto steps = a.get_int("steps", config.steps);
  auto batch = a.get_int("batch", config.batch);
  auto replay = a.get_int("replay", config.replay_count);
  auto folds = a.get_int("folds", config.folds);
  auto seed = a.get_int("seed", 1);
  auto threads = a.get_int("threads", parallel::max_threads());
  auto lr = a.get_double("lr", config.learning_rate);
  auto share = a.get_double("share", config.own_share);
  for (const Status& s : {steps.status(), batch.status(), replay.status(), folds.status(), seed.status(),
                          threads.status(), lr.status(), share.status()}) {
    if (!s) return report(s.message(), kExitUsage);
  }
  if (threads.value() < 1 || threads.value() > parallel::max_threads()) {
    return report("--threads must be between 1 and " + std::to_string(parallel::max_threads()), kExitUsage);
  }
  if (!(share.value() > 0.0 && share.value() < 1.0)) return report("--share must be between 0 and 1 (exclusive)", kExitUsage);
  if (replay.value() < 0) return report("--replay must be 0 or more MNIST examples", kExitUsage);
  config.steps = steps.value();
  config.batch = batch.value();
  config.replay_count = replay.value();
  config.folds = folds.value();
  config.seed = static_cast<std::uint64_t>(seed.value());
  config.learning_rate = static_cast<float>(lr.value());
  config.own_share = static_cast<float>(share.value());
  parallel::set_thread_count(threads.value());

  auto bytes = read_file_bytes(a.get("init"));
  if (!bytes) return report(bytes.message());
  auto model = load_any_model(bytes.value());
  if (!model) return report(a.get("init") + ": " + model.message());
  auto samples = load_idx_pair(a.get("samples"), "my-digits", "your digits");
  if (!samples) return report(samples.message() + " (--samples is a folder with the files the page's My digits exports)");
  auto mnist_data = load_mnist_dir(a.get("data", default_data_dir()));
  if (!mnist_data) return report(mnist_data.message());
  const bool test = !a.has("no-test");
  const double mnist_before = test ? evaluate(*model.value(), mnist_data.value().test).accuracy : -1.0;

  auto adaptation = Adaptation::start(*model.value(), samples.value(), mnist_data.value().train, config);
  if (!adaptation) return report(adaptation.message());
  Adaptation& run = *adaptation.value();
  if (!a.has("json")) {
    std::fprintf(stderr, "adapting %s to %d digits: %d run%s of %d steps (batch %d, %.0f%% yours, %d MNIST replayed), %d thread%s\n",
                 a.get("init").c_str(), samples.value().count, run.progress().runs, run.progress().runs == 1 ? "" : "s",
                 config.steps, config.batch, 100.0 * config.own_share, config.replay_count, threads.value(),
                 threads.value() == 1 ? "" : "s");
  }
  while (!run.finished()) {
    if (Status s = run.step(); !s) return report(s.message() + " Nothing was written.", kExitNotLearning);
  }
  const double mnist_after = test ? evaluate(*model.value(), mnist_data.value().test).accuracy : -1.0;
  const AdaptReport& r = run.report();
  const auto out = save_model(*model.value(), dtype.value());
  if (Status s = write_atomically(a.get("out"), out); !s) return report(s.message());

  if (a.has("json")) {
    std::printf("{\"samples\":%d,\"before\":%.6f,\"after\":%.6f,\"mnist_before\":%.6f,\"mnist_after\":%.6f,\"seconds\":%.3f}\n",
                samples.value().count, r.before(), r.after(), mnist_before, mnist_after, run.progress().elapsed_seconds);
    return kExitOk;
  }
  if (config.folds > 0) {
    std::printf("your digits, each held out of the run that judges it (%d-fold cross-validation): %.4f before, %.4f after\n",
                config.folds, r.before(), r.after());
  }
  if (test) std::printf("MNIST test accuracy: %.4f before, %.4f after\n", mnist_before, mnist_after);
  std::printf("%.1f s of adapting; saved %s (%zu bytes)\n", run.progress().elapsed_seconds, a.get("out").c_str(), out.size());
  return kExitOk;
}

}  // namespace mnist::cli
