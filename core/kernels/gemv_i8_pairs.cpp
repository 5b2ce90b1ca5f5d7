// The quantisers of gemv_i8_pairs.h, shared by both twins: they run once per
// model (weights) or touch each input once (x). The tests hold them to the
// rounding bound of the quantisation.
#include <simde/wasm/simd128.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>

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
  w.pairs = (I + 1) / 2;
  w.blocks = (O + kI8BlockOutputs - 1) / kI8BlockOutputs;
  w.q.assign(static_cast<std::size_t>(w.blocks) * w.pairs * kI8PairBytes, 0);
  w.scale.assign(static_cast<std::size_t>(w.blocks) * kI8BlockOutputs, 0.0f);
  std::vector<std::int8_t> row_q(static_cast<std::size_t>(w.pairs) * 2, 0);
  for (int o = 0; o < O; ++o) {
    const float* row = weight + static_cast<std::size_t>(o) * I;
    const float largest = largest_magnitude(row, I);
    if (largest == 0.0f) continue;  // q and scale stay zero
    w.scale[o] = largest / 127.0f;
    quantize_row(row_q.data(), row, 127.0f / largest, I);
    // Spread the row's pairs out to their lines: two bytes per 64.
    const int block = o / kI8BlockOutputs, lane = o % kI8BlockOutputs;
    std::int8_t* q = w.q.data() + static_cast<std::size_t>(block) * w.pairs * kI8PairBytes + 2 * lane;
    for (int p = 0; p < w.pairs; ++p) {
      std::memcpy(q + static_cast<std::size_t>(p) * kI8PairBytes, row_q.data() + 2 * p, 2);
    }
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
  active.pair.resize(pairs);
  active.packed.resize(pairs);
  active.count = 0;
  if (largest == 0.0f) {
    active.x_scale = 0.0f;
    return true;
  }
  const int limit = i8_pairs_x_limit(pairs);
  active.x_scale = largest / static_cast<float>(limit);
  const float inverse = static_cast<float>(limit) / largest;
  const auto level = [&](int i) -> std::int32_t {
    if (i >= I) return 0;
    const float l = std::nearbyint(x[i] * inverse);
    return static_cast<std::int32_t>(std::clamp(l, -static_cast<float>(limit), static_cast<float>(limit)));
  };
  // Four pairs at a time: eight levels narrowed to int16 side by side are the
  // four packed pairs (low half first), each kept or not without a branch
  // (a quarter of a drawing's pairs are zero, in no order a predictor sees).
  // Rounding is to nearest even, as nearbyint; 0.021-0.026 ms -> 0.008 per drawing.
  const simde_v128_t inverse4 = simde_wasm_f32x4_splat(inverse);
  const simde_v128_t high = simde_wasm_i32x4_splat(limit), low = simde_wasm_i32x4_splat(-limit);
  const auto levels4 = [&](const float* at) {
    const simde_v128_t l = simde_wasm_i32x4_trunc_sat_f32x4(
        simde_wasm_f32x4_nearest(simde_wasm_f32x4_mul(simde_wasm_v128_load(at), inverse4)));
    return simde_wasm_i32x4_max(simde_wasm_i32x4_min(l, high), low);
  };
  int p = 0;
  for (; 2 * p + 8 <= I; p += 4) {
    std::int32_t packed[4];
    simde_wasm_v128_store(packed, simde_wasm_i16x8_narrow_i32x4(levels4(x + 2 * p),
                                                                levels4(x + 2 * p + 4)));
    for (int j = 0; j < 4; ++j) {
      active.pair[active.count] = p + j;
      active.packed[active.count] = packed[j];
      active.count += packed[j] != 0;
    }
  }
  for (; p < pairs; ++p) {
    const std::int32_t low = level(2 * p), high = level(2 * p + 1);
    if (low == 0 && high == 0) continue;
    active.pair[active.count] = p;
    active.packed[active.count] =
        static_cast<std::int32_t>((static_cast<std::uint32_t>(low) & 0xffffu) |
                                  (static_cast<std::uint32_t>(high) << 16));
    ++active.count;
  }
  return true;
}

}  // namespace mnist::kernels
