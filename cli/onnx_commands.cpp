// mnist export and mnist import: a model file to ONNX and back
// (core/io/onnx_file.h says what each way does to the layout).
#include <cstdio>

#include "args.h"
#include "atomic_write.h"
#include "commands.h"
#include "data/mnist_files.h"
#include "io/model_file.h"
#include "io/onnx_file.h"

namespace mnist::cli {

namespace {

// --model and --out, both required: the model read and where to write, or
// the exit status of what stood in the way (reported).
struct Conversion {
  std::unique_ptr<Model> model;
  std::string out;
  DType dtype = DType::f32;
  int status = kExitOk;
};

Conversion read_conversion(const std::vector<std::string>& argv, const char* command, const char* out_kind) {
  Conversion c;
  auto fail = [&](const std::string& message, int status) {
    c.status = report(message, status);
    return std::move(c);
  };
  auto parsed = Args::parse(argv, {"model", "out", "dtype"}, {});
  if (!parsed) return fail(parsed.message(), kExitUsage);
  const Args& a = parsed.value();
  if (!a.has("model") || !a.has("out")) return fail(std::string(command) + " needs --model FILE --out " + out_kind, kExitUsage);
  auto dtype = parse_dtype(a.get("dtype", "f32"));
  if (!dtype) return fail("--dtype: " + dtype.message(), kExitUsage);
  auto bytes = read_file_bytes(a.get("model"));
  if (!bytes) return fail(bytes.message(), kExitError);
  auto model = load_any_model(bytes.value());
  if (!model) return fail(a.get("model") + ": " + model.message(), kExitError);
  c.dtype = dtype.value();
  c.model = std::move(model.value());
  c.out = a.get("out");
  return c;
}

int write(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  if (Status s = write_atomically(path, bytes); !s) return report(s.message());
  std::printf("saved %s (%zu bytes)\n", path.c_str(), bytes.size());
  return kExitOk;
}

}  // namespace

int export_command(const std::vector<std::string>& argv) {
  Conversion c = read_conversion(argv, "export", "FILE.onnx");
  if (c.status != kExitOk) return c.status;
  return write(c.out, save_onnx(*c.model));
}

int import_command(const std::vector<std::string>& argv) {
  Conversion c = read_conversion(argv, "import", "FILE.bin");
  if (c.status != kExitOk) return c.status;
  std::printf("%s\n", format_spec(c.model->spec()).c_str());
  return write(c.out, save_model(*c.model, c.dtype));
}

}  // namespace mnist::cli
