#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "args.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "io/checkpoint.h"
#include "io/model_file.h"
#include "parallel/thread_pool.h"
#include "progress.h"
#include "train/evaluator.h"
#include "train/trainer.h"

namespace mnist::cli {

int report(const std::string& message, int status) {
  std::fprintf(stderr, "mnist: %s\n", message.c_str());
  return status;
}

namespace {

// Ctrl+C (SIGINT) or SIGTERM asks the run to stop after the current step; a
// second one exits at once, removing a file half written.
std::atomic<int> stop_requests{0};
char writing_now[4096] = "";  // the temporary file being written, if any

void on_stop_signal(int) {
  if (stop_requests.fetch_add(1) >= 1) {
    if (writing_now[0]) unlink(writing_now);
    _exit(kExitInterrupted);
  }
}

void catch_stop_signals() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  // A file size limit (ulimit -f) then fails a write with a message instead
  // of killing the process, as a full disk does.
  signal(SIGXFSZ, SIG_IGN);
}

// Writes next to the target and renames, so an interrupted write never
// leaves a half file where a good one was; a failed write leaves the old
// file and no temporary behind.
Status write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  const std::string tmp = path + ".writing-" + std::to_string(getpid());
  std::snprintf(writing_now, sizeof writing_now, "%s", tmp.c_str());
  bool written;
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      writing_now[0] = '\0';
      return Status::error(path + ": cannot write (" + std::strerror(errno) + ")");
    }
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    written = static_cast<bool>(out);
  }
  std::error_code ec;
  if (written) std::filesystem::rename(tmp, path, ec);
  if (!written || ec) {
    std::filesystem::remove(tmp, ec);
    writing_now[0] = '\0';
    return Status::error(path + ": the write failed (disk full?); the file there before, if any, is unchanged");
  }
  writing_now[0] = '\0';
  return Status::ok();
}

// Options that describe the run: on --resume they come from the checkpoint,
// and giving them again with another value is a contradiction.
constexpr const char* kRunOptions[] = {"model", "steps", "epochs", "batch", "lr", "optimizer", "seed"};

// A run's options against the checkpoint's run, in words for the message.
std::string run_value(const Checkpoint& c, const std::string& name) {
  char buf[64];
  if (name == "model") return c.model_kind;
  if (name == "steps") return std::to_string(c.config.steps);
  if (name == "epochs") return std::to_string(c.config.epochs);
  if (name == "batch") return std::to_string(c.config.batch);
  if (name == "optimizer") return optimizer_name(c.config.optimizer);
  if (name == "seed") return std::to_string(c.config.seed);
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(c.config.learning_rate));
  return buf;
}

bool same_value(const std::string& name, const std::string& given, const std::string& saved) {
  if (name == "lr") return std::stod(given) == std::stod(saved) || std::abs(std::stod(given) - std::stod(saved)) <= 1e-6 * std::stod(saved);
  return given == saved;
}

}  // namespace

int train_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv,
                            {"model", "data", "steps", "epochs", "batch", "lr", "optimizer", "seed", "out", "dtype",
                             "validate-every", "threads", "checkpoint", "checkpoint-every", "resume", "init"},
                            {"augment", "save-partial"});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("out")) return report("train needs --out FILE", kExitUsage);
  const std::string dtype_name = a.get("dtype", "f32");
  if (dtype_name != "f32" && dtype_name != "f16") return report("--dtype must be f32 or f16", kExitUsage);
  auto threads = a.get_int("threads", parallel::max_threads());
  auto validate_every = a.get_int("validate-every", 0);
  auto checkpoint_every = a.get_int("checkpoint-every", 500);
  for (const Status& s : {threads.status(), validate_every.status(), checkpoint_every.status()}) {
    if (!s) return report(s.message(), kExitUsage);
  }
  if (threads.value() < 1 || threads.value() > parallel::max_threads()) {
    return report("--threads must be between 1 and " + std::to_string(parallel::max_threads()) +
                      " (the cores this machine has, at most 8)", kExitUsage);
  }
  if (checkpoint_every.value() < 1) return report("--checkpoint-every must be at least 1 step", kExitUsage);
  if (a.has("resume") && a.has("init")) return report("--init starts a new run; --resume continues one: give one", kExitUsage);
  if (a.has("steps") && a.has("epochs")) return report("give --steps or --epochs, not both", kExitUsage);

  std::string kind;
  TrainConfig config;
  std::unique_ptr<Model> model;
  Checkpoint resumed;
  if (a.has("resume")) {
    auto bytes = read_file_bytes(a.get("resume"));
    if (!bytes) return report(bytes.message());
    auto loaded = load_checkpoint(bytes.value());
    if (!loaded) return report(a.get("resume") + ": " + loaded.message());
    resumed = std::move(loaded.value());
    for (const char* name : kRunOptions) {
      if (!a.has(name)) continue;
      const std::string saved = run_value(resumed, name);
      if (!same_value(name, a.get(name), saved)) {
        return report("--" + std::string(name) + " " + a.get(name) + " contradicts the checkpoint, whose run has " + name +
                          " " + saved + ": leave it out to continue that run", kExitUsage);
      }
    }
    if (a.has("augment") && !resumed.config.augment.enabled) {
      return report("--augment contradicts the checkpoint, whose run is not augmented", kExitUsage);
    }
    kind = resumed.model_kind;
    config = resumed.config;
    model = std::move(resumed.model);
  } else {
    kind = a.get("model", "");
    auto spec = preset_spec(kind);
    if (!spec) return report(a.has("model") ? spec.message() : "train needs --model softmax|cnn", kExitUsage);
    const bool is_cnn = kind == "cnn";
    auto steps = a.get_int("steps", is_cnn ? 2000 : 1000);
    auto epochs = a.get_int("epochs", 0);
    auto batch = a.get_int("batch", is_cnn ? 250 : 100);
    auto lr = a.get_double("lr", is_cnn ? 1e-4 : 0.5);
    auto seed = a.get_int("seed", 1);
    auto optimizer = parse_optimizer(a.get("optimizer", is_cnn ? "adam" : "sgd"));
    for (const Status& s : {steps.status(), epochs.status(), batch.status(), lr.status(), seed.status(), optimizer.status()}) {
      if (!s) return report(s.message(), kExitUsage);
    }
    config.steps = steps.value();
    config.epochs = epochs.value();
    config.batch = batch.value();
    config.learning_rate = static_cast<float>(lr.value());
    config.seed = static_cast<std::uint64_t>(seed.value());
    config.optimizer = optimizer.value();
    config.augment.enabled = a.has("augment");
    if (Status s = check_train_config(config); !s) return report(s.message(), kExitUsage);
    auto created = Model::create(spec.value());
    if (!created) return report(created.message());
    model = std::move(created.value());
    if (a.has("init")) {
      auto bytes = read_file_bytes(a.get("init"));
      if (!bytes) return report(bytes.message());
      auto start = load_model(bytes.value());
      if (!start) return report(a.get("init") + ": " + start.message());
      if (format_spec(start.value()->spec()) != format_spec(model->spec())) {
        return report(a.get("init") + " is a model of another architecture (" + format_spec(start.value()->spec()) +
                      ") than --model " + kind + " (" + format_spec(model->spec()) + ")", kExitUsage);
      }
      model = std::move(start.value());
      config.initialize = false;
    }
  }
  config.validate_every = validate_every.value();  // how often to look, not what is learned
  parallel::set_thread_count(threads.value());

  auto data = load_mnist_dir(a.get("data", MNIST_DEFAULT_DATA_DIR));
  if (!data) return report(data.message());
  // Only a run that saves or continues a checkpoint needs to know its data.
  const bool checkpointing = a.has("resume") || a.has("checkpoint");
  const DataFingerprint data_id = checkpointing ? fingerprint(data.value().train) : DataFingerprint{};
  if (a.has("resume") && !(data_id == resumed.data)) {
    return report("the training data differ from the checkpoint's (" + std::to_string(data_id.count) + " examples, " +
                  (data_id.count == resumed.data.count ? "other content" : "not " + std::to_string(resumed.data.count)) +
                  "): resume with the data the run started on (--data)", kExitUsage);
  }
  if (Status fits = check_batch_fits(*model, config.batch); !fits) return report(fits.message(), kExitUsage);

  Trainer trainer(*model, data.value().train, &data.value().validation, config);
  if (a.has("resume")) {
    if (Status s = trainer.restore(resumed.trainer); !s) return report(a.get("resume") + ": " + s.message());
  }
  const int total = trainer.progress().total_steps;
  std::fprintf(stderr, "%s %s (%zu parameters) on %d images: %s lr %g, batch %d, seed %llu%s%s, %d steps, on %d thread%s\n",
               a.has("resume") ? "resuming" : "training", kind.c_str(), model->parameter_count(), data.value().train.count,
               optimizer_name(config.optimizer), static_cast<double>(config.learning_rate), config.batch,
               static_cast<unsigned long long>(config.seed), config.augment.enabled ? ", augmented" : "",
               a.has("init") ? (", from " + a.get("init")).c_str() : "", total, threads.value(),
               threads.value() == 1 ? "" : "s");
  if (a.has("resume")) std::fprintf(stderr, "continuing at step %d of %d\n", trainer.progress().step, total);

  const std::string checkpoint = a.get("checkpoint");
  auto save_run = [&]() {
    const auto bytes = save_checkpoint(kind, config, data_id, *model, trainer.state());
    Status s = write_atomically(checkpoint, bytes);
    if (!s) std::fprintf(stderr, "\nmnist: could not write the checkpoint: %s\n", s.message().c_str());
    return s;
  };
  catch_stop_signals();
  ProgressPrinter printer(threads.value());
  Status trained = Status::ok();
  while (!trainer.finished() && stop_requests.load() == 0) {
    trained = trainer.step();
    if (!trained) break;
    printer.update(trainer.progress());
    if (!checkpoint.empty() && trainer.progress().step % checkpoint_every.value() == 0 && !trainer.finished()) save_run();
  }
  printer.finish();
  if (!trained) return report(trained.message() + " Nothing was written.", kExitDiverged);
  if (!checkpoint.empty() && !save_run() && trainer.finished()) {
    std::fprintf(stderr, "mnist: the model is still written; only the checkpoint is missing\n");
  }

  if (!trainer.finished()) {
    const int step = trainer.progress().step;
    std::fprintf(stderr, "mnist: stopped after step %d of %d (%.0f%%).", step, total, 100.0 * step / total);
    if (!checkpoint.empty()) {
      std::fprintf(stderr, " To continue: mnist train --resume %s --out %s\n", checkpoint.c_str(), a.get("out").c_str());
    } else {
      std::fprintf(stderr, " No checkpoint was asked for (--checkpoint FILE), so this run cannot be continued.\n");
    }
    if (a.has("save-partial")) {
      const auto bytes = save_model(*model, dtype_name == "f16" ? DType::f16 : DType::f32);
      if (Status s = write_atomically(a.get("out"), bytes); !s) return report(s.message());
      std::fprintf(stderr, "mnist: saved the unfinished model to %s (--save-partial)\n", a.get("out").c_str());
    }
    return kExitInterrupted;
  }

  Evaluation ev = evaluate(*model, data.value().test);
  std::printf("test accuracy %.4f, loss %.4f, %.1f s of training at %.0f images/s on %d thread%s\n", ev.accuracy, ev.loss,
              trainer.progress().elapsed_seconds, trainer.progress().images_per_second, threads.value(),
              threads.value() == 1 ? "" : "s");
  const auto bytes = save_model(*model, dtype_name == "f16" ? DType::f16 : DType::f32);
  if (Status s = write_atomically(a.get("out"), bytes); !s) return report(s.message());
  std::printf("saved %s (%zu bytes)\n", a.get("out").c_str(), bytes.size());
  return kExitOk;
}

}  // namespace mnist::cli
