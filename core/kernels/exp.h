// out[i] = exp(in[i]), for the softmax (ops/softmax_cross_entropy.h), all
// of a batch's rows in one call, vectorised where std::exp is not.
//
// Cephes' expf, as both twins compute it: x = n ln2 + r with n = round(x /
// ln2) and |r| <= ln2/2 (ln2 in two parts, so r is exact), exp(r) by a
// degree-6 polynomial, then 2^n put into the exponent bits. Within 2 ulp of
// the exact value for x in [-87.3, 88.7] (the tests check every input range
// against std::exp in double). Below -87.3, where exp is under the smallest
// normal float, it returns 0; above 88.7 it returns the value at 88.7
// (about 3.3e38) rather than infinity. NaN stays NaN. out may alias in.
#pragma once

#include <cstddef>

namespace mnist::kernels {

inline constexpr float kExpLowest = -87.33654f;  // below: 0
inline constexpr float kExpHighest = 88.72283f;  // above: clamped

void f32_exp_simd128(float* out, const float* in, std::size_t n);
void f32_exp_scalar(float* out, const float* in, std::size_t n);

}  // namespace mnist::kernels
