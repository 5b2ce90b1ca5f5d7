// Scalar twin of gemv_i8_pairs.h: the definition, output by output.
#include <cstddef>

#include "kernels/gemv_i8_pairs.h"

namespace mnist::kernels {

void i8_gemv_pairs_scalar(float* y, const I8PairWeights& w, const ActivePairs& x,
                          const float* bias) {
  for (int o = 0; o < w.outputs; ++o) {
    const int block = o / kI8BlockOutputs, lane = o % kI8BlockOutputs;
    const std::int8_t* q =
        w.q.data() + static_cast<std::size_t>(block) * w.inputs * kI8BlockOutputs + lane;
    std::int32_t sum = 0;
    for (int k = 0; k < x.count; ++k) {
      const auto low = static_cast<std::int16_t>(x.packed[k] & 0xffff);
      const auto high = static_cast<std::int16_t>(static_cast<std::uint32_t>(x.packed[k]) >> 16);
      sum += q[static_cast<std::size_t>(x.first[k]) * kI8BlockOutputs] * low +
             q[static_cast<std::size_t>(x.second[k]) * kI8BlockOutputs] * high;
    }
    // Two statements, so that no compiler fuses them into a multiply-add the
    // SIMD twin does not do.
    const float scaled = static_cast<float>(sum) * (x.x_scale * w.scale[o]);
    y[o] = (bias ? bias[o] : 0.0f) + scaled;
  }
}

}  // namespace mnist::kernels
