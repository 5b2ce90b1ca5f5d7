// Fuzz target: the ONNX reader must reject any bytes with a message, never
// crash or over-allocate; a file it accepts must predict, and write back.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "io/onnx_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto model = mnist::load_onnx(std::span<const std::uint8_t>(data, size));
  if (model) {
    std::vector<float> x(model.value()->input_size(), 0.5f), probs(model.value()->num_classes());
    model.value()->predict(x.data(), 1, probs.data());
    (void)mnist::save_onnx(*model.value());
  }
  return 0;
}
