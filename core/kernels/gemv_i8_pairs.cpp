// The quantisers of gemv_i8_pairs.h, shared by both twins: they run once per
// model (weights) or touch each input once (x). The tests hold them to the
// rounding bound of the quantisation.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

#include "kernels/elementwise.h"
#include "kernels/gemv_i8_pairs.h"

namespace mnist::kernels {

namespace {

float largest_magnitude(const float* row, int n) {
  simde_v128_t largest4 = simde_wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    largest4 = simde_wasm_f32x4_max(largest4, simde_wasm_f32x4_abs(simde_wasm_v128_load(row + i)));
  }
  float lanes[4];
  simde_wasm_v128_store(lanes, largest4);
  float largest = std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
  for (; i < n; ++i) largest = std::max(largest, std::fabs(row[i]));
  return largest;
}

// q[i] = round(row[i] * inverse) for i < n (|row[i] * inverse| <= 127.0x).
// Sixteen at a time: this runs on every weight of the CNN's dense layer
// while the page loads.
void quantize_row(std::int8_t* q, const float* row, float inverse, int n) {
  const simde_v128_t inverse4 = simde_wasm_f32x4_splat(inverse);
  const auto levels = [&](const float* r) {
    return simde_wasm_i32x4_trunc_sat_f32x4(
        simde_wasm_f32x4_nearest(simde_wasm_f32x4_mul(simde_wasm_v128_load(r), inverse4)));
  };
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    const simde_v128_t low = simde_wasm_i16x8_narrow_i32x4(levels(row + i), levels(row + i + 4));
    const simde_v128_t high = simde_wasm_i16x8_narrow_i32x4(levels(row + i + 8), levels(row + i + 12));
    simde_wasm_v128_store(q + i, simde_wasm_i8x16_narrow_i16x8(low, high));
  }
  for (; i < n; ++i) q[i] = static_cast<std::int8_t>(std::nearbyint(row[i] * inverse));
}

}  // namespace

I8PairWeights quantize_i8_pairs(const float* weight, int O, int I) {
  I8PairWeights w;
  w.inputs = I;
  w.outputs = O;
  w.blocks = (O + kI8BlockOutputs - 1) / kI8BlockOutputs;
  w.q.assign(static_cast<std::size_t>(w.blocks) * I * kI8BlockOutputs, 0);
  w.scale.assign(static_cast<std::size_t>(w.blocks) * kI8BlockOutputs, 0.0f);
  std::vector<std::int8_t> row_q(I, 0);
  for (int o = 0; o < O; ++o) {
    const float* row = weight + static_cast<std::size_t>(o) * I;
    const float largest = largest_magnitude(row, I);
    if (largest == 0.0f) continue;  // q and scale stay zero
    w.scale[o] = largest / 127.0f;
    quantize_row(row_q.data(), row, 127.0f / largest, I);
    // Spread the row out to its block's input rows: one byte per 32.
    const int block = o / kI8BlockOutputs, lane = o % kI8BlockOutputs;
    std::int8_t* q = w.q.data() + static_cast<std::size_t>(block) * I * kI8BlockOutputs + lane;
    for (int i = 0; i < I; ++i) q[static_cast<std::size_t>(i) * kI8BlockOutputs] = row_q[i];
  }
  return w;
}

int i8_pairs_x_limit(int pairs) {
  const long long per_step = 2LL * 127 * std::max(pairs, 1);
  return static_cast<int>(std::min<long long>(32767, 2147483647LL / per_step));
}

bool quantize_active_pairs(const float* x, int I, ActivePairs& active) {
  if (!f32_all_finite_scalar(x, I)) return false;
  const int pairs = (I + 1) / 2;
  const float largest = largest_magnitude(x, I);
  active.inputs.resize(I);
  active.levels.resize(I);
  active.first.resize(pairs);
  active.second.resize(pairs);
  active.packed.resize(pairs);
  active.count = 0;
  if (largest == 0.0f) {
    active.x_scale = 0.0f;
    return true;
  }
  const int limit = i8_pairs_x_limit(pairs);
  active.x_scale = largest / static_cast<float>(limit);
  const float inverse = static_cast<float>(limit) / largest;
  // The inputs whose level is not zero, four levels at a time, each kept or
  // not without a branch (half of a drawing's inputs are zero, in no order a
  // predictor sees). Rounding is to nearest even, as nearbyint.
  const simde_v128_t inverse4 = simde_wasm_f32x4_splat(inverse);
  const simde_v128_t high = simde_wasm_i32x4_splat(limit), low = simde_wasm_i32x4_splat(-limit);
  std::int32_t* inputs = active.inputs.data();
  std::int32_t* levels = active.levels.data();
  int n = 0, i = 0;
  for (; i + 4 <= I; i += 4) {
    const simde_v128_t l = simde_wasm_i32x4_trunc_sat_f32x4(
        simde_wasm_f32x4_nearest(simde_wasm_f32x4_mul(simde_wasm_v128_load(x + i), inverse4)));
    std::int32_t four[4];
    simde_wasm_v128_store(four, simde_wasm_i32x4_max(simde_wasm_i32x4_min(l, high), low));
    for (int j = 0; j < 4; ++j) {
      inputs[n] = i + j;
      levels[n] = four[j];
      n += four[j] != 0;
    }
  }
  for (; i < I; ++i) {
    const float l = std::nearbyint(x[i] * inverse);
    inputs[n] = i;
    levels[n] = static_cast<std::int32_t>(
        std::clamp(l, -static_cast<float>(limit), static_cast<float>(limit)));
    n += levels[n] != 0;
  }
  const auto pack = [](std::int32_t first, std::int32_t second) {
    return static_cast<std::int32_t>((static_cast<std::uint32_t>(first) & 0xffffu) |
                                     (static_cast<std::uint32_t>(second) << 16));
  };
  for (int k = 0; k + 1 < n; k += 2, ++active.count) {
    active.first[active.count] = inputs[k];
    active.second[active.count] = inputs[k + 1];
    active.packed[active.count] = pack(levels[k], levels[k + 1]);
  }
  if (n % 2) {  // the odd one out, with itself at level zero
    active.first[active.count] = active.second[active.count] = inputs[n - 1];
    active.packed[active.count] = pack(levels[n - 1], 0);
    ++active.count;
  }
  return true;
}

}  // namespace mnist::kernels
