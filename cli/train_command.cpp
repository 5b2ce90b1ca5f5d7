#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "args.h"
#include "default_data_dir.h"
#include "atomic_write.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "io/checkpoint.h"
#include "io/model_file.h"
#include "io/onnx_file.h"
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

void on_stop_signal(int) {
  if (stop_requests.fetch_add(1) >= 1) {
    remove_file_being_written();
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

// Options that describe the run (what is learned, not how it is watched):
// on --resume they come from the checkpoint, and giving one again with
// another value is a contradiction. Each with its value in a run's config,
// in words.
struct RunOption {
  const char* name;
  std::string (*value)(const TrainConfig&);
};
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
const RunOption kRunOptions[] = {
    {"steps", [](const TrainConfig& c) { return std::to_string(c.steps); }},
    {"epochs", [](const TrainConfig& c) { return std::to_string(c.epochs); }},
    {"batch", [](const TrainConfig& c) { return std::to_string(c.batch); }},
    {"lr", [](const TrainConfig& c) { return number(c.learning_rate); }},
    {"optimizer", [](const TrainConfig& c) { return std::string(optimizer_name(c.optimizer)); }},
    {"seed", [](const TrainConfig& c) { return std::to_string(c.seed); }},
    {"schedule", [](const TrainConfig& c) { return std::string(schedule_name(c.schedule)); }},
    {"warmup", [](const TrainConfig& c) { return std::to_string(c.warmup_steps); }},
    {"final-lr", [](const TrainConfig& c) { return number(c.final_lr_fraction); }},
    {"label-smoothing", [](const TrainConfig& c) { return number(c.label_smoothing); }},
    {"average", [](const TrainConfig& c) { return number(c.weight_average); }},
    {"augment", [](const TrainConfig& c) { return std::string(c.augment.enabled ? "on" : "off"); }},
    {"rotation", [](const TrainConfig& c) { return number(c.augment.max_rotation_deg); }},
    {"shear", [](const TrainConfig& c) { return number(c.augment.max_shear); }},
    {"scale", [](const TrainConfig& c) { return number(c.augment.max_scale); }},
    {"shift", [](const TrainConfig& c) { return number(c.augment.max_shift); }},
    {"elastic", [](const TrainConfig& c) { return number(c.augment.elastic); }},
    {"non-digits", [](const TrainConfig& c) { return number(c.augment.non_digit_fraction); }},
    {"regional-styles", [](const TrainConfig& c) { return number(c.augment.regional_styles); }},
};

// The run the flags describe, on top of `base` (a preset's defaults, or the
// checkpoint's run).
Result<TrainConfig> apply_run_flags(const Args& a, TrainConfig c) {
  auto int_flag = [&](const char* name, int& field) -> Status {
    if (!a.has(name)) return Status::ok();
    auto v = a.get_int(name, field);
    if (v) field = v.value();
    return v.status();
  };
  auto float_flag = [&](const char* name, float& field) -> Status {
    if (!a.has(name)) return Status::ok();
    auto v = a.get_double(name, field);
    if (v) field = static_cast<float>(v.value());
    return v.status();
  };
  int seed = static_cast<int>(c.seed);
  for (Status s : {int_flag("steps", c.steps), int_flag("epochs", c.epochs), int_flag("batch", c.batch),
                   float_flag("lr", c.learning_rate), int_flag("seed", seed), int_flag("warmup", c.warmup_steps),
                   float_flag("final-lr", c.final_lr_fraction), float_flag("label-smoothing", c.label_smoothing),
                   float_flag("average", c.weight_average), float_flag("rotation", c.augment.max_rotation_deg),
                   float_flag("shear", c.augment.max_shear), float_flag("scale", c.augment.max_scale),
                   float_flag("shift", c.augment.max_shift), float_flag("elastic", c.augment.elastic),
                   float_flag("non-digits", c.augment.non_digit_fraction),
                   float_flag("regional-styles", c.augment.regional_styles)}) {
    if (!s) return s;
  }
  c.seed = static_cast<std::uint64_t>(seed);
  if (a.has("steps")) c.epochs = 0;
  if (a.has("epochs")) c.steps = 0;
  if (a.has("optimizer")) {
    auto o = parse_optimizer(a.get("optimizer"));
    if (!o) return o.status();
    c.optimizer = o.value();
  }
  if (a.has("schedule")) {
    auto sc = parse_schedule(a.get("schedule"));
    if (!sc) return sc.status();
    c.schedule = sc.value();
  }
  if (a.has("augment")) c.augment.enabled = true;
  if (Status s = check_train_config(c); !s) return s;
  return c;
}

}  // namespace

int train_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv,
                            {"model", "data", "steps", "epochs", "batch", "lr", "optimizer", "seed", "out", "dtype",
                             "validate-every", "threads", "checkpoint", "checkpoint-every", "resume", "init",
                             "schedule", "warmup", "final-lr", "label-smoothing", "average", "rotation", "shear",
                             "scale", "shift", "elastic", "non-digits", "regional-styles", "initializer", "dropout"},
                            {"augment", "save-partial"});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("out")) return report("train needs --out FILE", kExitUsage);
  auto dtype = parse_dtype(a.get("dtype", "f32"));
  if (!dtype) return report("--dtype: " + dtype.message(), kExitUsage);
  auto threads = a.get_int("threads", parallel::max_threads());
  auto validate_every = a.get_int("validate-every", 0);
  auto checkpoint_every = a.get_int("checkpoint-every", 500);
  for (const Status& s : {threads.status(), validate_every.status(), checkpoint_every.status()}) {
    if (!s) return report(s.message(), kExitUsage);
  }
  if (threads.value() < 1 || threads.value() > parallel::max_threads()) {
    return report("--threads must be between 1 and " + std::to_string(parallel::max_threads()) +
                      " (the cores this machine has, at most " + std::to_string(parallel::kMaxThreads) + ")",
                  kExitUsage);
  }
  if (checkpoint_every.value() < 1) return report("--checkpoint-every must be at least 1 step", kExitUsage);
  if (a.has("resume") && a.has("init")) return report("--init starts a new run; --resume continues one: give one", kExitUsage);
  for (const char* flag : {"initializer", "dropout"}) {
    if ((a.has("resume") || a.has("init")) && a.has(flag)) {
      return report("--" + std::string(flag) + " chooses how a new model is made; --" +
                        (a.has("resume") ? "resume continues a run" : "init starts from a trained one") + ": give one",
                    kExitUsage);
    }
  }
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
    if (a.has("model") && a.get("model") != resumed.model_kind) {
      return report("--model " + a.get("model") + " contradicts the checkpoint, whose run has model " +
                        resumed.model_kind + ": leave it out to continue that run", kExitUsage);
    }
    auto asked = apply_run_flags(a, resumed.config);
    if (!asked) return report(asked.message(), kExitUsage);
    for (const RunOption& option : kRunOptions) {
      const std::string saved = option.value(resumed.config), given = option.value(asked.value());
      if (saved != given) {
        return report("--" + std::string(option.name) + " " + (a.has(option.name) ? a.get(option.name) : given) +
                          " contradicts the checkpoint, whose run has " + option.name + " " + saved +
                          ": leave it out to continue that run", kExitUsage);
      }
    }
    kind = resumed.model_kind;
    config = resumed.config;
    model = std::move(resumed.model);
  } else {
    kind = a.get("model", "");
    auto preset = preset_spec(kind);
    if (!preset) return report(a.has("model") ? preset.message() : "train needs --model softmax|cnn", kExitUsage);
    SpecChoices choices;
    choices.initializer = a.get("initializer", "tutorial");
    auto dropout = a.get_double("dropout", -1.0);
    if (!dropout) return report(dropout.message(), kExitUsage);
    choices.dropout = static_cast<float>(dropout.value());
    auto spec = apply_choices(preset.value(), choices);
    if (!spec) return report(spec.message(), kExitUsage);
    // The tutorial's settings unless told otherwise: softmax = SGD 0.5,
    // batch 100, 1000 steps; CNN = Adam 1e-4, batch 250, 2000 steps.
    const bool is_cnn = kind == "cnn";
    TrainConfig base;
    base.steps = is_cnn ? 2000 : 1000;
    base.batch = is_cnn ? 250 : 100;
    base.learning_rate = is_cnn ? 1e-4f : 0.5f;
    base.optimizer = is_cnn ? OptimizerKind::adam : OptimizerKind::sgd;
    auto asked = apply_run_flags(a, base);
    if (!asked) return report(asked.message(), kExitUsage);
    config = asked.value();
    auto created = Model::create(spec.value());
    if (!created) return report(created.message());
    model = std::move(created.value());
    if (a.has("init")) {
      auto bytes = read_file_bytes(a.get("init"));
      if (!bytes) return report(bytes.message());
      auto start = load_any_model(bytes.value());
      if (!start) return report(a.get("init") + ": " + start.message());
      if (!same_layers(start.value()->spec(), model->spec())) {
        return report(a.get("init") + " is a model of another architecture (" + format_spec(start.value()->spec()) +
                      ") than --model " + kind + " (" + format_spec(model->spec()) + ")", kExitUsage);
      }
      model = std::move(start.value());
      config.initialize = false;
    }
  }
  config.validate_every = validate_every.value();  // how often to look, not what is learned
  parallel::set_thread_count(threads.value());

  auto data = load_mnist_dir(a.get("data", default_data_dir()));
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
  std::string extras;
  if (config.schedule == LrSchedule::cosine) extras += ", cosine schedule";
  if (config.warmup_steps) extras += ", " + std::to_string(config.warmup_steps) + " warm-up steps";
  if (config.label_smoothing > 0) extras += ", label smoothing " + number(config.label_smoothing);
  if (config.weight_average > 0) extras += ", weights averaged (" + number(config.weight_average) + ")";
  if (config.augment.enabled) extras += ", augmented";
  if (config.augment.enabled && config.augment.elastic > 0) extras += " with elastic warp " + number(config.augment.elastic);
  if (config.augment.enabled && config.augment.non_digit_fraction > 0) {
    extras += ", " + number(100 * config.augment.non_digit_fraction) + "% non-digits";
  }
  if (config.augment.enabled && config.augment.regional_styles > 0) {
    extras += ", " + number(100 * config.augment.regional_styles) + "% of 1s and 7s in regional styles";
  }
  if (model->spec().init == InitKind::he) extras += ", He initialisation";
  for (const LayerSpec& l : model->spec().layers) {
    if (l.kind == LayerKind::dropout && l.keep_prob == 1.0f) extras += ", no dropout";
  }
  if (a.has("init")) extras += ", from " + a.get("init");
  std::fprintf(stderr, "%s %s (%zu parameters) on %d images: %s lr %g, batch %d, seed %llu%s, %d steps, on %d thread%s\n",
               a.has("resume") ? "resuming" : "training", kind.c_str(), model->parameter_count(), data.value().train.count,
               optimizer_name(config.optimizer), static_cast<double>(config.learning_rate), config.batch,
               static_cast<unsigned long long>(config.seed), extras.c_str(), total, threads.value(),
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
  if (!trained) return report(trained.message() + " Nothing was written.", kExitNotLearning);
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
      const auto bytes = save_model(*model, dtype.value());
      if (Status s = write_atomically(a.get("out"), bytes); !s) return report(s.message());
      std::fprintf(stderr, "mnist: saved the unfinished model to %s (--save-partial)\n", a.get("out").c_str());
    }
    return kExitInterrupted;
  }

  Evaluation ev = evaluate(*model, data.value().test);
  std::printf("test accuracy %.4f, loss %.4f, %.1f s of training at %.0f images/s on %d thread%s\n", ev.accuracy, ev.loss,
              trainer.progress().elapsed_seconds, trainer.progress().images_per_second, threads.value(),
              threads.value() == 1 ? "" : "s");
  const auto bytes = save_model(*model, dtype.value());
  if (Status s = write_atomically(a.get("out"), bytes); !s) return report(s.message());
  std::printf("saved %s (%zu bytes)\n", a.get("out").c_str(), bytes.size());
  return kExitOk;
}

}  // namespace mnist::cli
