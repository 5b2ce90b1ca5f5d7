// IEEE 754 binary16 <-> binary32, for model files half the size. Conversion
// rounds to nearest even; values beyond half's range become infinity (and are
// then rejected by the loader's finite check).
#pragma once

#include <cstdint>

namespace mnist {

std::uint16_t float_to_half(float value);
float half_to_float(std::uint16_t half);

}  // namespace mnist
