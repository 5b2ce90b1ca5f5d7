// The int8 path of a large dense layer for one drawing (kernels/gemv_i8_pairs.h):
// the twins agree exactly, the result stays within the error bound of its two
// roundings, the int32 sums cannot overflow, inputs int16 cannot carry are
// refused, and on the shipped CNN it recognises the test set as the float
// path does, the same bits whichever end of the weights a call starts from.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "data/dataset.h"
#include "io/model_file.h"
#include "kernels/gemv_i8_pairs.h"
#include "train/evaluator.h"
#include "test_util.h"
#include "test_paths.h"

namespace mnist {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

// x (I) with zeros in runs and alone, negatives and a range of sizes.
std::vector<float> awkward_input(int I, Rng& rng) {
  auto x = test::random_vector(I, rng, -2.0f, 3.0f);
  for (int i = 0; i < I; ++i) {
    const int pair = i / 2;
    if (pair % 3 == 0) x[i] = 0.0f;                // two in a row
    if (pair % 3 == 1 && i % 2 == 1) x[i] = 0.0f;  // one alone
    if (pair % 7 == 5) x[i] *= 1e-3f;              // small against the largest
  }
  return x;
}

// The pairs hold each input whose level is not zero exactly once, in order,
// and no other: an odd one out goes with itself at level zero.
void expect_pairs_of_the_inputs_not_zero(const std::vector<float>& x,
                                         const kernels::ActivePairs& active) {
  std::vector<int> paired;
  for (int k = 0; k < active.count; ++k) {
    const auto high = static_cast<std::int16_t>(static_cast<std::uint32_t>(active.packed[k]) >> 16);
    paired.push_back(active.first[k]);
    if (active.second[k] == active.first[k]) {
      EXPECT_EQ(k, active.count - 1) << "only the last pair may hold one input";
      EXPECT_EQ(high, 0) << "the odd one out's partner is at level zero";
    } else {
      paired.push_back(active.second[k]);
    }
  }
  const int I = static_cast<int>(x.size());
  float largest = 0.0f;
  for (float v : x) largest = std::max(largest, std::fabs(v));
  const float inverse = static_cast<float>(kernels::i8_pairs_x_limit((I + 1) / 2)) / largest;
  std::vector<int> not_zero;
  for (int i = 0; i < I && largest > 0.0f; ++i) {
    if (std::nearbyint(x[i] * inverse) != 0.0f) not_zero.push_back(i);
  }
  EXPECT_EQ(paired, not_zero);
}

// Every output block shape (one, part of one, exactly one, several and a
// part) and odd input counts; one output's weights all zero, one with a
// single large weight. Against the scalar twin exactly, and against the
// float64 product within the bound of the roundings: for output o,
//   sum_i |x_i| (w_step_o / 2) + |W_oi| (x_step / 2) + w_step_o x_step / 4
// plus float32 rounding of the final scaling.
TEST(Int8Dense, TwinsAgreeAndStayWithinTheRoundingBound) {
  Rng rng(31);
  for (int O : {1, 5, 32, 33, 70}) {
    for (int I : {1, 2, 3, 17, 64, 301}) {
      auto W = test::random_vector(std::size_t(O) * I, rng);
      std::fill_n(W.begin(), I, 0.0f);  // output 0: all zero
      if (O > 2) W[std::size_t(2) * I + I / 2] = 40.0f;
      auto bias = test::random_vector(O, rng);
      const float* b = (O + I) % 2 ? bias.data() : nullptr;
      const auto x = awkward_input(I, rng);
      const kernels::I8PairWeights w = kernels::quantize_i8_pairs(W.data(), O, I);
      kernels::ActivePairs active;
      ASSERT_TRUE(kernels::quantize_active_pairs(x.data(), I, active));
      expect_pairs_of_the_inputs_not_zero(x, active);
      std::vector<float> simd(O, kNaN), simd_last_first(O, kNaN), scalar(O, kNaN);
      kernels::i8_gemv_pairs_simd128(simd.data(), w, active, b);
      kernels::i8_gemv_pairs_simd128(simd_last_first.data(), w, active, b,
                                     kernels::BlockOrder::kLastToFirst);
      kernels::i8_gemv_pairs_scalar(scalar.data(), w, active, b);
      for (int o = 0; o < O; ++o) {
        ASSERT_EQ(simd[o], scalar[o]) << O << "x" << I << " output " << o;
        ASSERT_EQ(simd_last_first[o], scalar[o]) << O << "x" << I << " output " << o;
        double exact = b ? b[o] : 0.0, bound = 0.0, magnitude = 0.0;
        for (int i = 0; i < I; ++i) {
          const double wi = W[std::size_t(o) * I + i];
          exact += wi * x[i];
          bound += std::fabs(x[i]) * w.scale[o] / 2 + std::fabs(wi) * active.x_scale / 2 +
                   w.scale[o] * active.x_scale / 4;
          magnitude += std::fabs(wi * x[i]);
        }
        bound += 1e-6 * (magnitude + std::fabs(exact));
        ASSERT_LE(std::fabs(simd[o] - exact), bound) << O << "x" << I << " output " << o;
        if (o == 0) EXPECT_EQ(simd[o], b ? b[0] : 0.0f) << "all-zero weights give the bias";
      }
    }
  }
}

// The largest sum there can be: every weight at +127 steps and every input
// at the limit. It must come out exact, not wrapped around.
TEST(Int8Dense, LargestPossibleSumDoesNotOverflow) {
  for (int I : {2, 3136, 20000, 100001}) {
    const int O = 3;
    std::vector<float> W(std::size_t(O) * I, 0.5f), x(I, 2.0f);
    const auto w = kernels::quantize_i8_pairs(W.data(), O, I);
    kernels::ActivePairs active;
    ASSERT_TRUE(kernels::quantize_active_pairs(x.data(), I, active));
    const int limit = kernels::i8_pairs_x_limit((I + 1) / 2);
    EXPECT_LE(2.0 * ((I + 1) / 2) * 127 * limit, 2147483647.0);
    std::vector<float> y(O), y_scalar(O);
    kernels::i8_gemv_pairs_simd128(y.data(), w, active, nullptr);
    kernels::i8_gemv_pairs_scalar(y_scalar.data(), w, active, nullptr);
    for (int o = 0; o < O; ++o) {
      EXPECT_NEAR(y[o], 1.0 * I, 1e-5 * I) << I << " inputs";
      EXPECT_NEAR(y_scalar[o], 1.0 * I, 1e-5 * I) << I << " inputs";
    }
  }
}

TEST(Int8Dense, InputsInt16CannotCarryAreRefused) {
  kernels::ActivePairs active;
  std::vector<float> x(9, 0.5f);
  EXPECT_TRUE(kernels::quantize_active_pairs(x.data(), 9, active));
  for (float bad : {kNaN, std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity()}) {
    for (int at : {0, 4, 8}) {
      auto y = x;
      y[at] = bad;
      EXPECT_FALSE(kernels::quantize_active_pairs(y.data(), 9, active)) << bad << " at " << at;
    }
  }
  std::vector<float> zeros(9, 0.0f);
  ASSERT_TRUE(kernels::quantize_active_pairs(zeros.data(), 9, active));
  EXPECT_EQ(active.count, 0);
}

// The page's recogniser prepares the CNN for inference and so takes the
// int8 path for each drawing. On the 10,000 test images one at a time it
// must recognise as many as the float path (here in batches), to within a
// few images, and disagree with it on almost none; its probabilities stay
// close.
TEST(Int8Dense, ShippedCnnOneImageAtATimeRecognisesAsTheFloatPathDoes) {
  auto bytes = read_file_bytes(std::string(kTestModelsDir) + "/cnn.bin");
  ASSERT_TRUE(bytes) << bytes.message();
  auto float_model = load_model(bytes.value()), int8_model = load_model(bytes.value());
  ASSERT_TRUE(float_model && int8_model);
  int8_model.value()->prepare_inference();
  const Dataset& test = test::mnist_data().test;
  std::vector<float> x(std::size_t(test.count) * 784), p_float(std::size_t(test.count) * 10);
  for (int i = 0; i < test.count; ++i) image_to_floats(test, i, x.data() + std::size_t(i) * 784);
  float_model.value()->predict(x.data(), test.count, p_float.data());
  int right_float = 0, right_int8 = 0, disagree = 0;
  double largest_difference = 0.0;
  for (int i = 0; i < test.count; ++i) {
    float p_int8[10], again[10];
    int8_model.value()->predict(x.data() + std::size_t(i) * 784, 1, p_int8);
    if (i < 20) {  // the next call reads the weights' blocks in the other order
      int8_model.value()->predict(x.data() + std::size_t(i) * 784, 1, again);
      for (int k = 0; k < 10; ++k) ASSERT_EQ(again[k], p_int8[k]) << "image " << i;
    }
    const float* p = p_float.data() + std::size_t(i) * 10;
    const int k_float = std::max_element(p, p + 10) - p;
    const int k_int8 = std::max_element(p_int8, p_int8 + 10) - p_int8;
    right_float += k_float == test.labels[i];
    right_int8 += k_int8 == test.labels[i];
    disagree += k_float != k_int8;
    for (int k = 0; k < 10; ++k) {
      largest_difference = std::max(largest_difference, double(std::fabs(p[k] - p_int8[k])));
    }
  }
  std::printf("float in batches %d, int8 one at a time %d right of %d; %d disagree; largest "
              "probability difference %.4f\n", right_float, right_int8, test.count, disagree,
              largest_difference);
  EXPECT_GT(largest_difference, 0.0) << "the int8 path was not taken";
  EXPECT_LE(std::abs(right_int8 - right_float), 3);
  EXPECT_LE(disagree, 5);
  EXPECT_LT(largest_difference, 0.05);
}

}  // namespace
}  // namespace mnist
