// The four-wide blocks of a row that are not all zero bits (a -0.0 counts
// as not zero), listed without a branch per block: a branch per block
// mispredicts on a digit's irregular strokes. Shared by the narrow products
// (gemm_nt_narrow_skip_zero.h, gemm_tn_narrow_skip_zero.h), whose rows are
// images' pixels.
#pragma once

#include <simde/wasm/simd128.h>

namespace mnist::kernels {

// Blocks listed at a time (on the stack): a 28x28 image has 196.
inline constexpr int kListedBlocks = 256;

// Writes the starts k in [begin, end) (multiples of four from begin, at most
// kListedBlocks of them) of the blocks row[k..k+3] that are not all zero
// bits to active; returns how many.
inline int list_nonzero_blocks(const float* row, int begin, int end, int* active) {
  int count = 0;
  for (int k = begin; k < end; k += 4) {
    active[count] = k;
    count += simde_wasm_v128_any_true(simde_wasm_v128_load(row + k)) ? 1 : 0;
  }
  return count;
}

}  // namespace mnist::kernels
