#include <cstdio>

#include "args.h"
#include "default_data_dir.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "io/model_file.h"
#include "io/onnx_file.h"
#include "train/evaluator.h"

namespace mnist::cli {

int eval_command(const std::vector<std::string>& argv) {
  auto parsed = Args::parse(argv, {"model", "data"}, {"json"});
  if (!parsed) return report(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("model")) return report("eval needs --model FILE", kExitUsage);
  auto bytes = read_file_bytes(a.get("model"));
  if (!bytes) return report(bytes.message());
  auto model = load_any_model(bytes.value());
  if (!model) return report(a.get("model") + ": " + model.message());
  auto test = load_mnist_test(a.get("data", default_data_dir()));
  if (!test) return report(test.message());
  if (test.value().image_size() != model.value()->input_size()) {
    return report("the model expects " + std::to_string(model.value()->input_size()) +
                  " pixels per image but the test images have " +
                  std::to_string(test.value().image_size()));
  }
  const Evaluation ev = evaluate(*model.value(), test.value());
  const int K = ev.num_classes;
  if (a.has("json")) {
    std::printf("{\"accuracy\":%.6f,\"loss\":%.6f,\"count\":%d,\"confusion\":[", ev.accuracy, ev.loss,
                ev.count);
    for (int t = 0; t < K; ++t) {
      std::printf("%s[", t ? "," : "");
      for (int g = 0; g < K; ++g) std::printf("%s%d", g ? "," : "", ev.confusion[t * K + g]);
      std::printf("]");
    }
    std::printf("]}\n");
    return kExitOk;
  }
  std::printf("accuracy %.4f  loss %.4f  (%d test images)\n", ev.accuracy, ev.loss, ev.count);
  std::printf("confusion matrix (rows: true digit, columns: guess)\n      ");
  for (int g = 0; g < K; ++g) std::printf("%6d", g);
  std::printf("\n");
  for (int t = 0; t < K; ++t) {
    std::printf("%6d", t);
    for (int g = 0; g < K; ++g) std::printf("%6d", ev.confusion[t * K + g]);
    std::printf("\n");
  }
  return kExitOk;
}

}  // namespace mnist::cli
