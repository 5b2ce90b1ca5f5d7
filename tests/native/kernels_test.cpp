// Every SIMD kernel against its scalar twin, on lengths below, equal to, above
// and multiples of the 4-wide tile, with NaN-prefilled outputs so an element
// the kernel forgot to write shows up.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "kernels/conv3x3_c1.h"
#include "kernels/conv3x3_c1_relu_pool.h"
#include "kernels/elementwise.h"
#include "kernels/exp.h"
#include "kernels/gemm_nt.h"
#include "kernels/gemm_nt_narrow_skip_zero.h"
#include "kernels/gemm_packed.h"
#include "kernels/gemm_skip_zero_rows.h"
#include "kernels/gemm_sparse_a.h"
#include "kernels/gemm_tn_narrow_skip_zero.h"
#include "kernels/maxpool2x2.h"
#include "kernels/transpose.h"
#include "kernels/winograd_f2x3.h"
#include "kernels/winograd_f4x3.h"
#include "test_util.h"

namespace mnist {
namespace {

// Scratch for a kernel, full of NaN: a kernel that read it before writing
// it would show in its output.
AlignedVector<float> nan_scratch(std::size_t floats) {
  return AlignedVector<float>(floats, std::numeric_limits<float>::quiet_NaN());
}

const std::size_t kLengths[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 64, 1001};
const float kNaN = std::numeric_limits<float>::quiet_NaN();

void expect_same(const std::vector<float>& a, const std::vector<float>& b, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_FALSE(std::isnan(a[i])) << "element " << i << " of " << n << " not written";
    ASSERT_NEAR(a[i], b[i], 1e-6f * (1 + std::fabs(b[i]))) << "element " << i << " of " << n;
  }
}

TEST(Kernels, ReluForwardMatchesScalar) {
  Rng rng(1);
  for (std::size_t n : kLengths) {
    auto in = test::random_vector(n, rng);
    std::vector<float> simd(n, kNaN), scalar(n, kNaN);
    kernels::f32_relu_forward_simd128(simd.data(), in.data(), n);
    kernels::f32_relu_forward_scalar(scalar.data(), in.data(), n);
    expect_same(simd, scalar, n);
  }
}

TEST(Kernels, ReluForwardInPlaceAndNaN) {
  std::vector<float> x = {-1.0f, 2.0f, kNaN, -0.0f, 3.0f};
  kernels::f32_relu_forward_simd128(x.data(), x.data(), x.size());
  EXPECT_EQ(x[0], 0.0f);
  EXPECT_EQ(x[1], 2.0f);
  EXPECT_TRUE(std::isnan(x[2])) << "a NaN must not be hidden by ReLU";
  EXPECT_EQ(x[4], 3.0f);
}

TEST(Kernels, ReluBackwardMatchesScalar) {
  Rng rng(2);
  for (std::size_t n : kLengths) {
    auto out = test::random_vector(n, rng), dout = test::random_vector(n, rng);
    auto base = test::random_vector(n, rng);
    auto simd = base, scalar = base;
    kernels::f32_relu_backward_simd128(simd.data(), dout.data(), out.data(), n);
    kernels::f32_relu_backward_scalar(scalar.data(), dout.data(), out.data(), n);
    expect_same(simd, scalar, n);
  }
}

TEST(Kernels, MultiplyMatchesScalar) {
  Rng rng(3);
  for (std::size_t n : kLengths) {
    auto a = test::random_vector(n, rng), b = test::random_vector(n, rng);
    std::vector<float> simd(n, kNaN), scalar(n, kNaN);
    kernels::f32_multiply_simd128(simd.data(), a.data(), b.data(), n);
    kernels::f32_multiply_scalar(scalar.data(), a.data(), b.data(), n);
    expect_same(simd, scalar, n);
  }
}

TEST(Kernels, SgdAndAdamMatchScalar) {
  Rng rng(4);
  for (std::size_t n : kLengths) {
    auto w = test::random_vector(n, rng), g = test::random_vector(n, rng);
    auto w2 = w;
    kernels::f32_sgd_update_simd128(w.data(), g.data(), 0.1f, n);
    kernels::f32_sgd_update_scalar(w2.data(), g.data(), 0.1f, n);
    expect_same(w, w2, n);

    auto m = test::random_vector(n, rng), v = test::random_vector(n, rng, 0.0f, 1.0f);
    auto m2 = m, v2 = v, w3 = w;
    kernels::f32_adam_update_simd128(w.data(), m.data(), v.data(), g.data(), 1e-3f, 0.9f, 0.999f,
                                     1e-8f, n);
    kernels::f32_adam_update_scalar(w3.data(), m2.data(), v2.data(), g.data(), 1e-3f, 0.9f, 0.999f,
                                    1e-8f, n);
    expect_same(w, w3, n);
    expect_same(m, m2, n);
    expect_same(v, v2, n);
  }
}

// Distance in units in the last place of the float nearest to `exact`.
double ulps(float got, double exact) {
  const double ulp = std::ldexp(1.0, std::ilogb(static_cast<float>(exact)) - 23);
  return std::fabs(got - exact) / ulp;
}

// Both twins within 2 ulp of exp in double over the whole normal range,
// densely near 0 (where the softmax's shifted logits are); 0 below it, the
// largest float short of infinity above, NaN kept, at every tail length.
TEST(Kernels, ExpWithinTwoUlpOverTheNormalRange) {
  std::vector<float> x;
  for (float v = kernels::kExpLowest; v <= kernels::kExpHighest; v += 0.00731f) x.push_back(v);
  for (float v = -1.0f; v <= 1.0f; v += 1.0f / 4096) x.push_back(v);
  x.push_back(0.0f);
  x.push_back(-0.0f);
  std::vector<float> simd(x.size(), kNaN), scalar(x.size(), kNaN);
  kernels::f32_exp_simd128(simd.data(), x.data(), x.size());
  kernels::f32_exp_scalar(scalar.data(), x.data(), x.size());
  double worst = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double exact = std::exp(static_cast<double>(x[i]));
    worst = std::max({worst, ulps(simd[i], exact), ulps(scalar[i], exact)});
    ASSERT_LE(ulps(simd[i], exact), 2.0) << "exp(" << x[i] << ")";
    ASSERT_LE(ulps(scalar[i], exact), 2.0) << "exp(" << x[i] << ")";
  }
  std::printf("exp: worst %.2f ulp over %zu inputs\n", worst, x.size());
  EXPECT_EQ(simd[x.size() - 1], 1.0f);
  const float inf = std::numeric_limits<float>::infinity();
  for (std::size_t n : kLengths) {
    std::vector<float> edge(n);
    for (std::size_t i = 0; i < n; ++i) {
      const float cases[] = {-88.0f, -1000.0f, -inf, 89.0f, inf, kNaN, 0.0f};
      edge[i] = cases[i % 7];
    }
    std::vector<float> out(n, 1.5f), out_scalar(n, 1.5f);
    kernels::f32_exp_simd128(out.data(), edge.data(), n);
    kernels::f32_exp_scalar(out_scalar.data(), edge.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      for (float got : {out[i], out_scalar[i]}) {
        if (std::isnan(edge[i])) {
          ASSERT_TRUE(std::isnan(got)) << "NaN at " << i << " of " << n;
        } else if (edge[i] < kernels::kExpLowest) {
          ASSERT_EQ(got, 0.0f) << "exp(" << edge[i] << ")";
        } else if (edge[i] > kernels::kExpHighest) {
          ASSERT_TRUE(std::isfinite(got) && got > 3.3e38f) << "exp(" << edge[i] << ") = " << got;
        } else {
          ASSERT_EQ(got, 1.0f) << "exp(0)";
        }
      }
    }
  }
}

TEST(Kernels, UnalignedPointers) {
  Rng rng(5);
  auto in = test::random_vector(40, rng);
  std::vector<float> simd(40, kNaN), scalar(40, kNaN);
  kernels::f32_relu_forward_simd128(simd.data() + 1, in.data() + 3, 33);
  kernels::f32_relu_forward_scalar(scalar.data() + 1, in.data() + 3, 33);
  for (int i = 1; i < 34; ++i) EXPECT_EQ(simd[i], scalar[i]);
  EXPECT_TRUE(std::isnan(simd[0]) && std::isnan(simd[34])) << "wrote outside its range";
}

TEST(Kernels, ColumnSumsMatchScalarOnAwkwardShapes) {
  Rng rng(8);
  for (std::size_t rows : {1u, 3u, 250u}) {
    for (std::size_t cols : {1u, 3u, 4u, 10u, 32u, 63u, 64u, 65u, 130u, 1024u}) {
      auto x = test::random_vector(rows * cols, rng);
      auto start = test::random_vector(cols + 1, rng);
      start[cols] = kNaN;  // just past the end: must stay untouched
      auto simd = start, scalar = start;
      kernels::f32_column_sums_add_simd128(simd.data(), x.data(), rows, cols);
      kernels::f32_column_sums_add_scalar(scalar.data(), x.data(), rows, cols);
      for (std::size_t c = 0; c < cols; ++c)
        ASSERT_NEAR(simd[c], scalar[c], 1e-4f * rows) << rows << "x" << cols;
      EXPECT_TRUE(std::isnan(simd[cols])) << "wrote past the end";
    }
  }
}

TEST(Kernels, PixelsToFloatsMatchScalarAtEveryLength) {
  std::vector<std::uint8_t> pixels(70);
  for (std::size_t i = 0; i < pixels.size(); ++i)
    pixels[i] = static_cast<std::uint8_t>(i * 37 + (i == 5 ? 255 : 0));
  pixels[3] = 255;
  for (std::size_t n : {0u, 1u, 15u, 16u, 17u, 33u, 64u, 69u}) {
    std::vector<float> simd(n + 1, kNaN), scalar(n + 1, kNaN);
    kernels::f32_from_u8_simd128(simd.data(), pixels.data(), 1.0f / 255.0f, n);
    kernels::f32_from_u8_scalar(scalar.data(), pixels.data(), 1.0f / 255.0f, n);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_EQ(simd[i], scalar[i]) << "length " << n << " element " << i;
    EXPECT_TRUE(std::isnan(simd[n])) << "wrote past the end";
  }
}

// Every one of the 65,536 halves (zeros, subnormals, normals, infinities and
// NaNs of both signs), bit for bit against the definition (test_util.h), in
// both twins; then the finite verdict with one special value placed in the
// 8-wide body and in the tail, and nothing written past the end.
TEST(Kernels, HalvesToFloatsExactForEveryHalf) {
  std::vector<std::uint8_t> bytes(2 * 65536);
  for (std::uint32_t h = 0; h < 65536; ++h) {
    bytes[2 * h] = static_cast<std::uint8_t>(h & 0xFF);
    bytes[2 * h + 1] = static_cast<std::uint8_t>(h >> 8);
  }
  for (auto decode : {kernels::f32_from_f16_simd128, kernels::f32_from_f16_scalar}) {
    std::vector<float> out(65536, kNaN);
    EXPECT_FALSE(decode(out.data(), bytes.data(), 65536)) << "holds infinities and NaNs";
    for (std::uint32_t h = 0; h < 65536; ++h) {
      std::uint32_t got, want;
      const float expected = test::half_to_float_by_definition(static_cast<std::uint16_t>(h));
      std::memcpy(&got, &out[h], 4);
      std::memcpy(&want, &expected, 4);
      ASSERT_EQ(got, want) << "half 0x" << std::hex << h;
    }
  }
  const std::uint16_t one = 0x3C00, infinity = 0x7C00, nan = 0xFE01;
  for (std::size_t n : {1u, 7u, 8u, 9u, 16u, 21u}) {
    for (std::uint16_t special : {infinity, nan}) {
      for (std::size_t at = 0; at <= n; ++at) {  // at == n: all finite
        std::vector<std::uint8_t> in(2 * n);
        for (std::size_t i = 0; i < n; ++i) {
          const std::uint16_t h = i == at ? special : one;
          in[2 * i] = static_cast<std::uint8_t>(h & 0xFF);
          in[2 * i + 1] = static_cast<std::uint8_t>(h >> 8);
        }
        std::vector<float> simd(n + 1, kNaN), scalar(n + 1, kNaN);
        EXPECT_EQ(kernels::f32_from_f16_simd128(simd.data(), in.data(), n), at == n) << n << " " << at;
        EXPECT_EQ(kernels::f32_from_f16_scalar(scalar.data(), in.data(), n), at == n) << n << " " << at;
        EXPECT_TRUE(std::isnan(simd[n])) << "wrote past the end";
        if (at < n) EXPECT_TRUE(std::isinf(simd[at]) || std::isnan(simd[at]));
      }
    }
  }
}

// Shapes inside one 32x32 tile, across tiles, and with rows and columns
// that leave edges of 1-3 outside the 4x4 blocks; every element checked
// against the definition, and the SIMD twin against the scalar bit for bit.
TEST(Kernels, TransposeMatchesTheDefinition) {
  Rng rng(17);
  for (int rows : {1, 3, 4, 5, 10, 33, 70}) {
    for (int cols : {1, 2, 4, 7, 32, 37, 784}) {
      auto in = test::random_vector(std::size_t(rows) * cols, rng);
      std::vector<float> simd(in.size() + 1, kNaN), scalar(in.size() + 1, kNaN);
      kernels::f32_transpose_simd128(simd.data(), in.data(), rows, cols);
      kernels::f32_transpose_scalar(scalar.data(), in.data(), rows, cols);
      for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
          const std::size_t at = std::size_t(c) * rows + r;
          ASSERT_EQ(simd[at], in[std::size_t(r) * cols + c]) << rows << "x" << cols << " at " << r << "," << c;
          ASSERT_EQ(scalar[at], simd[at]) << rows << "x" << cols;
        }
      }
      EXPECT_TRUE(std::isnan(simd[in.size()])) << "wrote past the end";
    }
  }
}

TEST(Kernels, Conv3x3OneChannelMatchesScalar) {
  Rng rng(9);
  for (auto [B, H, W, Co] : {std::tuple{1, 1, 1, 1}, {2, 5, 3, 3}, {2, 28, 28, 32}, {1, 4, 6, 7}}) {
    auto in = test::random_vector(std::size_t(B) * H * W, rng),
         w = test::random_vector(Co * 9, rng), bias = test::random_vector(Co, rng);
    const std::size_t n = std::size_t(B) * H * W * Co;
    std::vector<float> simd(n + 1, kNaN), scalar(n + 1, kNaN);
    // The second image alone must land in its own place.
    auto room = nan_scratch(9 * Co);
    kernels::f32_conv3x3_c1_simd128(simd.data(), in.data(), w.data(), bias.data(), 0, B, H, W, Co, room.data());
    kernels::f32_conv3x3_c1_scalar(scalar.data(), in.data(), w.data(), bias.data(), B - 1, B, H, W,
                                   Co);
    kernels::f32_conv3x3_c1_scalar(scalar.data(), in.data(), w.data(), bias.data(), 0, B - 1, H, W,
                                   Co);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_NEAR(simd[i], scalar[i], 1e-5f) << B << "x" << H << "x" << W << "x" << Co;
    EXPECT_TRUE(std::isnan(simd[n])) << "wrote past the end";
  }
}

// The fused first block against the three kernels it replaces (direct
// convolution, ReLU, pooling): the same up to the Winograd transforms'
// rounding; the twins bit for bit. Odd sizes pool over the pixels that exist.
TEST(Kernels, Conv3x3OneChannelReluPoolMatchesTheThreeStepsAndItsTwin) {
  Rng rng(12);
  for (auto [B, H, W, Co] :
       {std::tuple{1, 1, 1, 1}, {2, 5, 3, 6}, {2, 28, 28, 32}, {1, 7, 8, 5}, {1, 2, 9, 4}}) {
    auto in = test::random_vector(std::size_t(B) * H * W, rng),
         w = test::random_vector(Co * 9, rng), bias = test::random_vector(Co, rng);
    const std::size_t stride = Co + 3;  // any stride
    std::vector<float> U(16 * stride, kNaN);
    kernels::winograd_f2x3_transform_weights(U.data(), stride, w.data(), 1, Co);
    const int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
    const std::size_t n = std::size_t(B) * Ho * Wo * Co;
    std::vector<float> conv(std::size_t(B) * H * W * Co), pooled(n), expected(n);
    std::vector<std::int32_t> at(n);
    kernels::f32_conv3x3_c1_scalar(conv.data(), in.data(), w.data(), bias.data(), 0, B, H, W, Co);
    kernels::f32_maxpool2x2_scalar(pooled.data(), at.data(), conv.data(), 0, B, H, W, Co);
    kernels::f32_relu_forward_scalar(expected.data(), pooled.data(), n);
    std::vector<float> simd(n + 1, kNaN), scalar(n + 1, kNaN);
    // The second image alone must land in its own place.
    kernels::f32_conv3x3_c1_relu_pool_simd128(simd.data(), in.data(), U.data(), stride,
                                              bias.data(), 0, B, H, W, Co);
    kernels::f32_conv3x3_c1_relu_pool_scalar(scalar.data(), in.data(), U.data(), stride,
                                             bias.data(), B - 1, B, H, W, Co);
    kernels::f32_conv3x3_c1_relu_pool_scalar(scalar.data(), in.data(), U.data(), stride,
                                             bias.data(), 0, B - 1, H, W, Co);
    int zeros = 0;
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(simd[i], scalar[i]) << B << "x" << H << "x" << W << "x" << Co << " at " << i;
      ASSERT_NEAR(simd[i], expected[i], 1e-5f) << B << "x" << H << "x" << W << "x" << Co << " at " << i;
      zeros += simd[i] == 0.0f;
    }
    EXPECT_TRUE(std::isnan(simd[n])) << "wrote past the end";
    if (n > 100) EXPECT_GT(zeros, 0) << "ReLU cut something";
  }
}

TEST(Kernels, MaxPoolMatchesScalarWithTiesAndNaN) {
  Rng rng(10);
  for (auto [B, H, W, C] :
       {std::tuple{1, 2, 2, 4}, {2, 28, 28, 32}, {1, 7, 5, 6}, {2, 3, 3, 3}, {1, 1, 1, 8}}) {
    auto in = test::random_vector(std::size_t(B) * H * W * C, rng);
    for (std::size_t i = 0; i < in.size(); i += 7)
      in[i] = in[i + 1 < in.size() ? i + 1 : i];  // ties
    for (std::size_t i = 3; i < in.size(); i += 11) in[i] = kNaN;
    const int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
    const std::size_t n = std::size_t(B) * Ho * Wo * C;
    std::vector<float> simd(n), scalar(n);
    std::vector<std::int32_t> simd_at(n, -1), scalar_at(n, -1);
    kernels::f32_maxpool2x2_simd128(simd.data(), simd_at.data(), in.data(), 0, B, H, W, C);
    kernels::f32_maxpool2x2_scalar(scalar.data(), scalar_at.data(), in.data(), 0, B, H, W, C);
    // Without the winners (a prediction), the same maxima.
    std::vector<float> simd_only(n), scalar_only(n);
    kernels::f32_maxpool2x2_simd128(simd_only.data(), nullptr, in.data(), 0, B, H, W, C);
    kernels::f32_maxpool2x2_scalar(scalar_only.data(), nullptr, in.data(), 0, B, H, W, C);
    const auto same = [](float x, float y) { return x == y || (std::isnan(x) && std::isnan(y)); };
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_EQ(simd_at[i], scalar_at[i]) << B << "x" << H << "x" << W << "x" << C << " at " << i;
      ASSERT_TRUE(same(simd[i], scalar[i]));
      ASSERT_TRUE(same(simd_only[i], simd[i]) && same(scalar_only[i], scalar[i])) << i;
    }
  }
}

TEST(Kernels, AllFinite) {
  std::vector<float> x(10, 1.0f);
  EXPECT_TRUE(kernels::f32_all_finite_scalar(x.data(), x.size()));
  x[7] = std::numeric_limits<float>::infinity();
  EXPECT_FALSE(kernels::f32_all_finite_scalar(x.data(), x.size()));
  x[7] = kNaN;
  EXPECT_FALSE(kernels::f32_all_finite_scalar(x.data(), x.size()));
}

}  // namespace
}  // namespace mnist

namespace mnist {
namespace {

TEST(Kernels, GemmNtMatchesScalarOnAwkwardShapes) {
  Rng rng(6);
  for (int M : {1, 2, 3, 4, 5, 9}) {
    for (int N : {1, 2, 3, 5, 10, 33}) {
      for (int K : {1, 3, 4, 7, 9, 288}) {
        auto A = test::random_vector(std::size_t(M) * K, rng),
             B = test::random_vector(std::size_t(N) * K, rng);
        auto bias = test::random_vector(N, rng);
        std::vector<float> simd(std::size_t(M) * N, kNaN), scalar(std::size_t(M) * N, kNaN);
        const float* b = (M + N) % 2 ? bias.data() : nullptr;  // with and without bias
        kernels::f32_gemm_nt_bias_simd128(simd.data(), A.data(), B.data(), b, M, N, K);
        kernels::f32_gemm_nt_bias_scalar(scalar.data(), A.data(), B.data(), b, M, N, K);
        for (std::size_t i = 0; i < simd.size(); ++i) {
          ASSERT_FALSE(std::isnan(simd[i])) << M << "x" << N << "x" << K << " element " << i;
          ASSERT_NEAR(simd[i], scalar[i], 1e-5f * (1 + K)) << M << "x" << N << "x" << K;
        }
      }
    }
  }
}

}  // namespace
}  // namespace mnist

namespace mnist {
namespace {

// Inputs with zeros in some rows only, in every row, and none; N below, at
// and above the 4-wide body; against the twin (same order of additions) and
// against the plain product (any order).
TEST(Kernels, GemmSkipZeroRowsMatchesScalarAndTheProduct) {
  Rng rng(8);
  for (int M : {1, 2, 3, 5}) {
    for (int N : {1, 3, 4, 10, 33}) {
      for (int K : {1, 3, 4, 5, 9, 301}) {
        auto A = test::random_vector(std::size_t(M) * K, rng);
        for (int k = 0; k < K; ++k) {
          const int kind = k % 3;  // 0: zero in every row, 1: zero in row 0 only, 2: none
          if (kind == 0) for (int m = 0; m < M; ++m) A[std::size_t(m) * K + k] = 0.0f;
          if (kind == 1) A[k] = 0.0f;
        }
        auto B = test::random_vector(std::size_t(K) * N, rng);
        auto bias = test::random_vector(N, rng);
        const float* b = (M + K) % 2 ? bias.data() : nullptr;
        std::vector<float> simd(std::size_t(M) * N, kNaN), scalar(std::size_t(M) * N, kNaN);
        kernels::f32_gemm_skip_zero_rows_simd128(simd.data(), A.data(), B.data(), b, M, N, K);
        kernels::f32_gemm_skip_zero_rows_scalar(scalar.data(), A.data(), B.data(), b, M, N, K);
        for (int m = 0; m < M; ++m) {
          for (int n = 0; n < N; ++n) {
            double product = b ? b[n] : 0.0;
            for (int k = 0; k < K; ++k) product += double(A[std::size_t(m) * K + k]) * B[std::size_t(k) * N + n];
            const std::size_t i = std::size_t(m) * N + n;
            ASSERT_FALSE(std::isnan(simd[i])) << M << "x" << N << "x" << K << " element " << i;
            ASSERT_NEAR(simd[i], scalar[i], 1e-6f * (1 + K)) << M << "x" << N << "x" << K;
            ASSERT_NEAR(simd[i], product, 1e-5f * (1 + K)) << M << "x" << N << "x" << K;
          }
        }
      }
    }
  }
}

// A (M,K) with the given share of zeros, and whole rows and columns of zeros.
std::vector<float> mostly_zeros(int M, int K, double zero_share, Rng& rng) {
  auto A = test::random_vector(std::size_t(M) * K, rng);
  for (float& a : A)
    if (rng.uniform() < zero_share) a = 0.0f;
  if (M > 2) std::fill_n(A.begin() + std::size_t(M / 2) * K, K, 0.0f);
  if (K > 2) for (int m = 0; m < M; ++m) A[std::size_t(m) * K + K / 2] = 0.0f;
  return A;
}

// Both twins, from A plain and transposed, on widths below, at and above
// the four-wide body, compress to the same rows: A's entries that are not
// zero (NaN included), in order of column.
// Every width up to kNarrowMaxN, K below, at and past the four-wide blocks
// and past the 256 blocks the SIMD twin lists at a time; B with whole blocks of zeros, lone zeros inside blocks, and none; C
// starting from values that must be kept (+=). Against the twin (same sums
// in the same order) and the plain product.
TEST(Kernels, GemmTnNarrowSkipZeroMatchesScalarAndTheProduct) {
  Rng rng(19);
  for (int M : {1, 2, 7}) {
    for (int N = 1; N <= kernels::kNarrowMaxN; ++N) {
      for (int K : {1, 3, 4, 6, 9, 37, 1030}) {
        auto A = test::random_vector(std::size_t(M) * N, rng);
        auto B = test::random_vector(std::size_t(M) * K, rng);
        for (int m = 0; m < M; ++m) {
          for (int k = 0; k < K; ++k) {
            const int block = k / 4;
            if ((block + m) % 3 == 0 || k % 5 == 1) B[std::size_t(m) * K + k] = 0.0f;
          }
        }
        const auto start = test::random_vector(std::size_t(N) * K, rng);
        auto simd = start, scalar = start;
        kernels::f32_gemm_tn_narrow_skip_zero_simd128(simd.data(), A.data(), B.data(), M, N, K);
        kernels::f32_gemm_tn_narrow_skip_zero_scalar(scalar.data(), A.data(), B.data(), M, N, K);
        for (int n = 0; n < N; ++n) {
          for (int k = 0; k < K; ++k) {
            double product = start[std::size_t(n) * K + k];
            for (int m = 0; m < M; ++m) product += double(A[std::size_t(m) * N + n]) * B[std::size_t(m) * K + k];
            const std::size_t i = std::size_t(n) * K + k;
            ASSERT_NEAR(simd[i], scalar[i], 1e-6f) << M << "x" << N << "x" << K << " at " << n << "," << k;
            ASSERT_NEAR(simd[i], product, 1e-5f) << M << "x" << N << "x" << K << " at " << n << "," << k;
          }
        }
      }
    }
  }
}

// The forward twin: every width up to kNarrowMaxN, K below, at and past the
// four-wide blocks and past the 256 blocks the SIMD twin lists at a time; A
// with whole blocks of zeros (one of them -0.0, which is kept), lone zeros
// inside blocks, and none; rows [m0, m1) only, C's other rows untouched;
// with and without a bias. Against the twin bit for bit and the plain
// product.
TEST(Kernels, GemmNtNarrowSkipZeroMatchesScalarAndTheProduct) {
  Rng rng(23);
  for (int M : {1, 2, 7}) {
    for (int N = 1; N <= kernels::kNarrowMaxN; ++N) {
      for (int K : {1, 3, 4, 6, 9, 37, 1030}) {
        auto A = test::random_vector(std::size_t(M) * K, rng);
        for (int m = 0; m < M; ++m) {
          for (int k = 0; k < K; ++k) {
            const int block = k / 4;
            if ((block + m) % 3 == 0 || k % 5 == 1) A[std::size_t(m) * K + k] = 0.0f;
          }
        }
        if (K >= 8) A[4] = A[5] = A[6] = A[7] = -0.0f;
        const auto B = test::random_vector(std::size_t(N) * K, rng);
        const auto bias = test::random_vector(N, rng);
        const int m0 = M > 2 ? 1 : 0, m1 = M;
        for (const float* b : {bias.data(), static_cast<const float*>(nullptr)}) {
          std::vector<float> simd(std::size_t(M) * N, kNaN), scalar = simd;
          kernels::f32_gemm_nt_narrow_skip_zero_simd128(simd.data(), A.data(), B.data(), b, m0, m1, N, K);
          kernels::f32_gemm_nt_narrow_skip_zero_scalar(scalar.data(), A.data(), B.data(), b, m0, m1, N, K);
          for (int m = 0; m < M; ++m) {
            for (int n = 0; n < N; ++n) {
              const std::size_t i = std::size_t(m) * N + n;
              if (m < m0) {
                ASSERT_TRUE(std::isnan(simd[i])) << "row " << m << " is not its to write";
                continue;
              }
              double product = b ? b[n] : 0.0;
              for (int k = 0; k < K; ++k) product += double(A[std::size_t(m) * K + k]) * B[std::size_t(n) * K + k];
              ASSERT_EQ(simd[i], scalar[i]) << M << "x" << N << "x" << K << " at " << m << "," << n;
              ASSERT_NEAR(simd[i], product, 1e-5f * (1 + K)) << M << "x" << N << "x" << K << " at " << m << "," << n;
            }
          }
        }
      }
    }
  }
}

TEST(Kernels, CompressRowsKeepsEveryEntryInOrder) {
  Rng rng(11);
  for (int M : {1, 3, 4, 17}) {
    for (int K : {1, 4, 5, 300}) {
      for (double zeros : {0.0, 0.8, 1.0}) {
        auto A = mostly_zeros(M, K, zeros, rng);
        A[std::size_t(M - 1) * K + K - 1] = -0.0f;  // zero too
        if (zeros < 1.0) A[0] = kNaN;               // not zero: kept
        std::vector<float> At(A.size());  // A stored transposed: (K,M)
        for (int m = 0; m < M; ++m)
          for (int k = 0; k < K; ++k) At[std::size_t(k) * M + m] = A[std::size_t(m) * K + k];
        for (bool transposed : {false, true}) {
          const StridedMatrix a = transposed ? StridedMatrix{At.data(), 1, M}
                                                      : StridedMatrix{A.data(), K, 1};
          for (bool simd : {true, false}) {
            std::vector<int> row_start(M + 1, -1), column(std::size_t(M) * K, -1);
            std::vector<float> value(std::size_t(M) * K, kNaN);
            const int entries = simd ? kernels::compress_rows_simd128(row_start.data(), column.data(), value.data(), a, M, K)
                                     : kernels::compress_rows_scalar(row_start.data(), column.data(), value.data(), a, M, K);
            int e = 0;
            for (int m = 0; m < M; ++m) {
              ASSERT_EQ(row_start[m], e) << "row " << m << " transposed " << transposed;
              for (int k = 0; k < K; ++k) {
                const float want = A[std::size_t(m) * K + k];
                if (want == 0.0f) continue;
                ASSERT_EQ(column[e], k) << "row " << m << " transposed " << transposed;
                ASSERT_TRUE(value[e] == want || (std::isnan(value[e]) && std::isnan(want)));
                ++e;
              }
            }
            ASSERT_EQ(row_start[M], e);
            ASSERT_EQ(entries, e) << M << "x" << K << " zeros " << zeros << " simd " << simd;
          }
        }
      }
    }
  }
}

// Column ranges inside and across the 32-wide strips, with 4-wide and
// scalar tails; K across the 192-row blocks of B, whose rows are read in
// place (ldb 104) or packed (ldb 400); C with a row stride wider than its
// columns, and columns outside the range left untouched; C's starting
// values kept when accumulating and never read otherwise (NaN). Against
// the twin and the plain product.
TEST(Kernels, GemmSparseAMatchesScalarAndTheProduct) {
  Rng rng(12);
  const std::pair<int, int> ranges[] = {{0, 1}, {0, 7}, {0, 32}, {3, 45}, {32, 101}, {0, 101}};
  for (int M : {1, 4, 9}) {
    for (int K : {1, 6, 193, 500}) {
      for (double zeros : {0.0, 0.75, 1.0}) {
      for (int ldb : {104, 400}) {
        const int N = 101, ldc = N + 2;
        const auto A = mostly_zeros(M, K, zeros, rng);
        const auto B = test::random_vector(std::size_t(K) * ldb, rng);
        std::vector<int> row_start(M + 1), column(std::size_t(M) * K);
        std::vector<float> value(std::size_t(M) * K);
        kernels::compress_rows_scalar(row_start.data(), column.data(), value.data(), {A.data(), K, 1}, M, K);
        const kernels::SparseRows sparse{row_start.data(), column.data(), value.data(), M};
        for (auto [n0, n1] : ranges) {
          for (bool accumulate : {false, true}) {
            auto start = test::random_vector(std::size_t(M) * ldc, rng);
            if (!accumulate) {
              for (int m = 0; m < M; ++m)
                for (int n = n0; n < n1; ++n) start[std::size_t(m) * ldc + n] = kNaN;
            }
            auto simd = start, scalar = start;
            auto block = nan_scratch(kernels::kGemmSparseABlockFloats);
            std::vector<int> next_entry(kernels::gemm_sparse_a_next_entry_ints(M), -1);
            kernels::f32_gemm_sparse_a_simd128(simd.data(), ldc, sparse, B.data(), ldb, n0, n1, accumulate,
                                               block.data(), next_entry.data());
            kernels::f32_gemm_sparse_a_scalar(scalar.data(), ldc, sparse, B.data(), ldb, n0, n1, accumulate);
            for (int m = 0; m < M; ++m) {
              for (int n = 0; n < ldc; ++n) {
                const std::size_t i = std::size_t(m) * ldc + n;
                if (n < n0 || n >= n1) {
                  ASSERT_EQ(simd[i], start[i]) << "wrote outside its columns at " << m << "," << n;
                  continue;
                }
                double product = accumulate ? start[i] : 0.0;
                for (int k = 0; k < K; ++k) product += double(A[std::size_t(m) * K + k]) * B[std::size_t(k) * ldb + n];
                ASSERT_NEAR(simd[i], scalar[i], 1e-6f * (1 + K)) << M << "x" << K << " at " << m << "," << n;
                ASSERT_NEAR(simd[i], product, 1e-5f * (1 + K)) << M << "x" << K << " at " << m << "," << n;
              }
            }
          }
        }
      }
      }
    }
  }
}

// Sizes below, at and above the register tile (4x8), the rows read in place
// (12) and the cache blocks (96 rows, 512 columns, 256 deep), A and B each
// plain or transposed, C with a row stride wider than N whose extra columns
// must stay untouched.
TEST(Kernels, GemmPackedMatchesScalarForEveryLayout) {
  Rng rng(7);
  for (int M : {1, 3, 4, 5, 9, 12, 13, 100}) {
    for (int N : {1, 3, 7, 8, 13, 520}) {
      for (int K : {1, 2, 5, 300}) {
        auto A = test::random_vector(std::size_t(M) * K, rng);
        auto B = test::random_vector(std::size_t(K) * N, rng);
        auto bias = test::random_vector(N, rng);
        const int ldc = N + 3;
        for (int layout = 0; layout < 4; ++layout) {
          const bool a_t = layout & 1, b_t = layout & 2;
          const StridedMatrix a{A.data(), a_t ? 1 : K, a_t ? M : 1};
          const StridedMatrix b{B.data(), b_t ? 1 : N, b_t ? K : 1};
          for (bool accumulate : {false, true}) {
            auto start = test::random_vector(std::size_t(M) * ldc, rng);
            for (int m = 0; m < M; ++m)
              for (int n = N; n < ldc; ++n) start[m * ldc + n] = kNaN;  // outside C
            auto simd = start, scalar = start;
            if (!accumulate) {  // every element of C must be written
              for (int m = 0; m < M; ++m) std::fill_n(simd.begin() + m * ldc, N, kNaN);
            }
            const float* with_bias = (M + layout) % 2 ? bias.data() : nullptr;
            auto packs = nan_scratch(kernels::kGemmPackedScratchFloats);
            kernels::f32_gemm_packed_simd128(simd.data(), ldc, a, b, with_bias, M, N, K, accumulate, packs.data());
            kernels::f32_gemm_packed_scalar(scalar.data(), ldc, a, b, with_bias, M, N, K,
                                            accumulate);
            for (int m = 0; m < M; ++m) {
              for (int n = 0; n < ldc; ++n) {
                const float got = simd[m * ldc + n], want = scalar[m * ldc + n];
                if (n >= N) {
                  ASSERT_TRUE(std::isnan(got)) << "wrote outside C at " << m << "," << n;
                  continue;
                }
                ASSERT_FALSE(std::isnan(got))
                    << M << "x" << N << "x" << K << " at " << m << "," << n;
                ASSERT_NEAR(got, want, 1e-4f * (1 + K))
                    << M << "x" << N << "x" << K << " layout " << layout;
              }
            }
          }
        }
      }
    }
  }
}

// Both transforms of F(4x4, 3x3), bit for bit (the twins compute in the
// same order), on images whose edge cuts tiles (sizes not multiples of
// four) and with the 36 matrices further apart than their rows need: every
// element written, nothing written past them.
TEST(Kernels, WinogradTransformsMatchScalar) {
  constexpr int kMatrices = kernels::kF4x3Elements;
  Rng rng(12);
  for (auto [n, H, W, C] : {std::tuple{1, 14, 14, 32}, {2, 5, 3, 8}, {1, 1, 1, 4}, {3, 4, 7, 12}, {1, 9, 6, 4}}) {
    const int rows = n * kernels::winograd_f4x3_tiles(H, W);
    const std::size_t stride = static_cast<std::size_t>(rows) * C + 5;
    const auto in = test::random_vector(static_cast<std::size_t>(n) * H * W * C, rng);
    std::vector<float> simd(kMatrices * stride + 5, kNaN), scalar = simd;
    auto room = nan_scratch(kernels::winograd_f4x3_input_scratch_floats(W, C));
    kernels::winograd_f4x3_transform_input_simd128(simd.data(), stride, in.data(), n, H, W, C, room.data());
    kernels::winograd_f4x3_transform_input_scalar(scalar.data(), stride, in.data(), n, H, W, C);
    for (std::size_t i = 0; i < simd.size(); ++i) {
      const bool in_a_matrix = i % stride < static_cast<std::size_t>(rows) * C && i < kMatrices * stride;
      ASSERT_EQ(std::isnan(simd[i]), !in_a_matrix) << "input transform, element " << i;
      if (in_a_matrix) ASSERT_EQ(simd[i], scalar[i]) << "input transform, element " << i;
    }
    const auto products = test::random_vector(kMatrices * stride, rng), bias = test::random_vector(C, rng);
    const std::size_t pixels = static_cast<std::size_t>(n) * H * W * C;
    std::vector<float> out_simd(pixels + 4, kNaN), out_scalar = out_simd;
    auto columns = nan_scratch(kernels::winograd_f4x3_output_scratch_floats(C));
    kernels::winograd_f4x3_transform_output_simd128(out_simd.data(), products.data(), stride, bias.data(), n, H, W, C,
                                                    columns.data());
    kernels::winograd_f4x3_transform_output_scalar(out_scalar.data(), products.data(), stride, bias.data(), n, H, W, C);
    for (std::size_t i = 0; i < out_simd.size(); ++i) {
      ASSERT_EQ(std::isnan(out_simd[i]), i >= pixels) << "output transform, element " << i;
      if (i < pixels) ASSERT_EQ(out_simd[i], out_scalar[i]) << "output transform, element " << i;
    }
  }
}

}  // namespace
}  // namespace mnist
