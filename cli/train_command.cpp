#include <cstdio>
#include <filesystem>
#include <fstream>

#include "args.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "io/model_file.h"
#include "progress.h"
#include "train/evaluator.h"
#include "train/trainer.h"

namespace mnist::cli {

int report(const std::string& message, int status) {
  std::fprintf(stderr, "mnist: %s\n", message.c_str());
  return status;
}

namespace {

// Writes next to the target and renames, so an interrupted write never
// leaves a half file where a good model was.
Status write_atomically(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  const std::string tmp = path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status::error(path + ": cannot write");
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) return Status::error(path + ": write failed");
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status::error(path + ": " + ec.message());
  return Status::ok();
}

}  // namespace

int train_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv,
                            {"model", "data", "steps", "epochs", "batch", "lr", "optimizer", "seed",
                             "out", "dtype", "validate-every"},
                            {"augment"});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  auto spec = preset_spec(a.get("model", ""));
  if (!spec) return report(a.has("model") ? spec.message() : "train needs --model softmax|cnn", kExitUsage);
  if (!a.has("out")) return report("train needs --out FILE", kExitUsage);
  const bool is_cnn = a.get("model") == "cnn";

  TrainConfig config;
  auto steps = a.get_int("steps", is_cnn ? 2000 : 1000);
  auto epochs = a.get_int("epochs", 0);
  auto batch = a.get_int("batch", is_cnn ? 250 : 100);
  auto lr = a.get_double("lr", is_cnn ? 1e-4 : 0.5);
  auto seed = a.get_int("seed", 1);
  auto validate_every = a.get_int("validate-every", 0);
  auto optimizer = parse_optimizer(a.get("optimizer", is_cnn ? "adam" : "sgd"));
  for (const Status& s : {steps.status(), epochs.status(), batch.status(), lr.status(), seed.status(),
                          validate_every.status(), optimizer.status()}) {
    if (!s) return report(s.message(), kExitUsage);
  }
  const std::string dtype_name = a.get("dtype", "f32");
  if (dtype_name != "f32" && dtype_name != "f16") return report("--dtype must be f32 or f16", kExitUsage);
  if (a.has("steps") && a.has("epochs")) return report("give --steps or --epochs, not both", kExitUsage);
  config.steps = steps.value();
  config.epochs = epochs.value();
  config.batch = batch.value();
  config.learning_rate = static_cast<float>(lr.value());
  config.seed = static_cast<std::uint64_t>(seed.value());
  config.optimizer = optimizer.value();
  config.augment.enabled = a.has("augment");
  config.validate_every = validate_every.value();
  if (Status s = check_train_config(config); !s) return report(s.message(), kExitUsage);

  auto data = load_mnist_dir(a.get("data", MNIST_DEFAULT_DATA_DIR));
  if (!data) return report(data.message());
  auto model = Model::create(spec.value());
  if (!model) return report(model.message());
  if (Status fits = check_batch_fits(*model.value(), config.batch); !fits) return report(fits.message(), kExitUsage);

  std::fprintf(stderr, "training %s (%zu parameters) on %d images: %s lr %g, batch %d, seed %d%s\n",
               a.get("model").c_str(), model.value()->parameter_count(), data.value().train.count,
               optimizer_name(config.optimizer), static_cast<double>(config.learning_rate),
               config.batch, seed.value(), config.augment.enabled ? ", augmented" : "");
  Trainer trainer(*model.value(), data.value().train, &data.value().validation, config);
  ProgressPrinter printer;
  Status trained = trainer.run([&](const TrainProgress& p) {
    printer.update(p);
    return true;
  });
  printer.finish();
  if (!trained) return report(trained.message() + " Nothing was written.", kExitDiverged);

  Evaluation ev = evaluate(*model.value(), data.value().test);
  std::printf("test accuracy %.4f, loss %.4f, %.1f s of training at %.0f images/s\n", ev.accuracy,
              ev.loss, trainer.progress().elapsed_seconds, trainer.progress().images_per_second);
  const auto bytes = save_model(*model.value(), dtype_name == "f16" ? DType::f16 : DType::f32);
  if (Status s = write_atomically(a.get("out"), bytes); !s) return report(s.message());
  std::printf("saved %s (%zu bytes)\n", a.get("out").c_str(), bytes.size());
  return kExitOk;
}

}  // namespace mnist::cli
