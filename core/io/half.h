// IEEE 754 binary32 -> binary16, for model files half the size. Conversion
// rounds to nearest even; values beyond half's range become infinity (and are
// then rejected by the loader's finite check). The loader turns halves back
// into floats in bulk: kernels/elementwise.h, f32_from_f16_*.
#pragma once

#include <cstdint>

namespace mnist {

std::uint16_t float_to_half(float value);

}  // namespace mnist
