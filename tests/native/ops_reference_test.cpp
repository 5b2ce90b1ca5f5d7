// Forward ops against naive, obviously-correct loops (llm.c's "algorithmic
// reference"), in double, to 1e-5.
#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

#include "ops/conv2d.h"
#include "ops/dense.h"
#include "ops/dropout.h"
#include "model/kernel_choice.h"
#include "ops/conv2d_winograd.h"
#include "ops/matmul.h"
#include "ops/maxpool2x2.h"
#include "ops/softmax_cross_entropy.h"
#include "parallel/thread_pool.h"
#include "test_util.h"

namespace mnist {
namespace {

std::vector<float> naive_dense(const std::vector<float>& in, const std::vector<float>& w,
                               const std::vector<float>& b, int B, int I, int O) {
  std::vector<float> out(B * O);
  for (int n = 0; n < B; ++n)
    for (int o = 0; o < O; ++o) {
      double s = b[o];
      for (int i = 0; i < I; ++i) s += double(in[n * I + i]) * w[o * I + i];
      out[n * O + o] = float(s);
    }
  return out;
}

// Direct 3x3 SAME convolution, NHWC, weight (Co,3,3,Ci).
// magnitude, if given, gets each output's sum of |terms| (bias included).
std::vector<float> naive_conv(const std::vector<float>& in, const std::vector<float>& w,
                              const std::vector<float>& b, int B, int H, int W, int Ci, int Co,
                              std::vector<double>* magnitude = nullptr) {
  std::vector<float> out(B * H * W * Co);
  if (magnitude) magnitude->assign(out.size(), 0.0);
  for (int n = 0; n < B; ++n)
    for (int y = 0; y < H; ++y)
      for (int x = 0; x < W; ++x)
        for (int co = 0; co < Co; ++co) {
          double s = b[co], m = std::fabs(b[co]);
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx) {
              int sy = y + ky - 1, sx = x + kx - 1;
              if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
              for (int ci = 0; ci < Ci; ++ci) {
                const double t = double(in[((n * H + sy) * W + sx) * Ci + ci]) * w[((co * 3 + ky) * 3 + kx) * Ci + ci];
                s += t;
                m += std::fabs(t);
              }
            }
          out[((n * H + y) * W + x) * Co + co] = float(s);
          if (magnitude) (*magnitude)[((n * H + y) * W + x) * Co + co] = m;
        }
  return out;
}

std::vector<float> naive_pool(const std::vector<float>& in, int B, int H, int W, int C) {
  int Ho = (H + 1) / 2, Wo = (W + 1) / 2;
  std::vector<float> out(B * Ho * Wo * C);
  for (int n = 0; n < B; ++n)
    for (int oy = 0; oy < Ho; ++oy)
      for (int ox = 0; ox < Wo; ++ox)
        for (int c = 0; c < C; ++c) {
          float m = -INFINITY;
          for (int y = 2 * oy; y < std::min(H, 2 * oy + 2); ++y)
            for (int x = 2 * ox; x < std::min(W, 2 * ox + 2); ++x)
              m = std::max(m, in[((n * H + y) * W + x) * C + c]);
          out[((n * Ho + oy) * Wo + ox) * C + c] = m;
        }
  return out;
}

// The backward passes' products with a mostly-zero gradient on the left:
// on both sides of the density where the dense product takes over, A plain
// and transposed, split by rows (M >= N) and by columns, against the plain
// product; and the same bits on one and two threads (each element of C is
// one thread's work, added in order; natively, Eigen's dense products are
// not held to that).
TEST(OpsReference, SparseProductAtEveryDensityAndThreadCount) {
  Rng rng(13);
  const int saved_threads = parallel::thread_count();
  for (auto [M, N, K] : {std::tuple{700, 300, 150}, std::tuple{90, 1100, 210}}) {
    for (double density : {0.0, 0.1, kSparseMaxDensity - 0.02, kSparseMaxDensity + 0.02, 0.9}) {
      std::vector<float> A(std::size_t(M) * K);
      for (float& a : A) a = rng.uniform() < density ? rng.uniform(-1, 1) : 0.0f;
      std::vector<float> At(A.size());
      for (int m = 0; m < M; ++m)
        for (int k = 0; k < K; ++k) At[std::size_t(k) * M + m] = A[std::size_t(m) * K + k];
      const auto B = test::random_vector(std::size_t(K) * N, rng);
      const auto start = test::random_vector(std::size_t(M) * N, rng);
      for (bool transposed : {false, true}) {
        const StridedMatrix a = transposed ? StridedMatrix{At.data(), 1, M} : StridedMatrix{A.data(), K, 1};
        std::vector<float> by_threads[2];
        for (int threads : {1, 2}) {
          parallel::set_thread_count(threads);
          auto C = start;
          matmul_sparse_a(C.data(), N, a, B.data(), N, M, N, K, true, test::workspace());
          by_threads[threads - 1] = C;
        }
        parallel::set_thread_count(saved_threads);
        for (int m = 0; m < M; m += 7) {
          for (int n = 0; n < N; ++n) {
            double want = start[std::size_t(m) * N + n];
            for (int k = 0; k < K; ++k) want += double(A[std::size_t(m) * K + k]) * B[std::size_t(k) * N + n];
            ASSERT_NEAR(by_threads[0][std::size_t(m) * N + n], want, 1e-5 * (1 + K))
                << M << "x" << N << "x" << K << " density " << density << " at " << m << "," << n;
          }
        }
        ASSERT_EQ(by_threads[0], by_threads[1]) << M << "x" << N << "x" << K << " density " << density;
      }
    }
  }
}

TEST(OpsReference, DenseForward) {
  Rng rng(1);
  for (auto [B, I, O] : {std::tuple{1, 1, 1}, {3, 7, 5}, {16, 784, 10}, {5, 33, 129}}) {
    auto in = test::random_vector(B * I, rng), w = test::random_vector(O * I, rng),
         b = test::random_vector(O, rng);
    std::vector<float> out(B * O, NAN);
    dense_forward_product(out.data(), in.data(), w.data(), b.data(), B, I, O, test::workspace());
    auto ref = naive_dense(in, w, b, B, I, O);
    for (std::size_t i = 0; i < out.size(); ++i) EXPECT_NEAR(out[i], ref[i], 1e-5 * (1 + std::fabs(ref[i])));
  }
}

TEST(OpsReference, ConvForwardAnyChannels) {
  Rng rng(2);
  // More than one channel runs Winograd's F(4x4, 3x3): odd sizes (tiles cut
  // by the edge), channel counts that are not multiples of four (the scalar
  // transforms), and 9 images of 14x14 (chunks of 4: 4 + 4 + 1).
  for (auto [B, H, W, Ci, Co] : {std::tuple{1, 1, 1, 1, 1}, {2, 5, 4, 1, 3}, {2, 28, 28, 1, 32}, {1, 3, 3, 1, 6}, {2, 7, 7, 3, 5}, {1, 14, 14, 32, 64}, {9, 14, 14, 32, 5}, {9, 14, 14, 32, 8}, {3, 6, 9, 2, 1}, {2, 1, 1, 4, 4}, {2, 5, 3, 8, 12}}) {
    auto in = test::random_vector(B * H * W * Ci, rng), w = test::random_vector(Co * 9 * Ci, rng),
         b = test::random_vector(Co, rng);
    std::vector<double> magnitude;
    auto ref = naive_conv(in, w, b, B, H, W, Ci, Co, &magnitude);
    std::vector<float> out(B * H * W * Co, NAN);
    if (Ci == 1) conv2d_direct_c1(out.data(), in.data(), w.data(), b.data(), B, H, W, Co, test::workspace());
    else conv2d_3x3_winograd_forward(out.data(), in.data(), w.data(), nullptr, b.data(), B, H, W, Ci, Co, test::workspace());
    // Winograd's transforms add and scale terms before the products: the
    // error is a few float32 roundings of the terms' magnitude (at most
    // 1.2e-6 of it in these cases with F(4x4, 3x3)); a wrong tap or
    // coefficient is off by a whole term.
    for (std::size_t i = 0; i < out.size(); ++i)
      ASSERT_NEAR(out[i], ref[i], 1e-5 * magnitude[i])
          << B << "x" << H << "x" << W << "x" << Ci << " -> " << Co << ", element " << i;
  }
}

// Winograd's chunks of images are the same whatever the thread count, and
// so are its sums (Trainer.ThreadCountDoesNotChangeWhatIsLearned needs it).
TEST(OpsReference, ConvForwardSameOnOneAndTwoThreads) {
  Rng rng(5);
  const int B = 11, H = 14, W = 14, Ci = 32, Co = 64;
  auto in = test::random_vector(B * H * W * Ci, rng), w = test::random_vector(Co * 9 * Ci, rng),
       b = test::random_vector(Co, rng);
  const int saved_threads = parallel::thread_count();
  std::vector<float> by_threads[2];
  for (int threads : {1, 2}) {
    parallel::set_thread_count(threads);
    by_threads[threads - 1].assign(B * H * W * Co, NAN);
    if (Ci == 1) conv2d_direct_c1(by_threads[threads - 1].data(), in.data(), w.data(), b.data(), B, H, W, Co, test::workspace());
    else conv2d_3x3_winograd_forward(by_threads[threads - 1].data(), in.data(), w.data(), nullptr, b.data(), B, H, W, Ci, Co, test::workspace());
  }
  parallel::set_thread_count(saved_threads);
  ASSERT_EQ(by_threads[0], by_threads[1]);
}

// Backward deals chunks of images into slots that threads take whole, each
// slot summing its own gradients: 37 images of the second layer's shape are
// 10 chunks of 4 in 8 slots, some of two chunks, the last chunk short; 80 of
// the first layer's, 3 chunks of 37 (the last short) in 3 slots. Against
// naive loops in double, and the same bits on one and two threads, with
// dout mostly zeros (the sparse products) and dense (their fallback).
TEST(OpsReference, ConvBackwardInSlotsMatchesNaiveAndThreads) {
  Rng rng(9);
  for (auto [B, H, W, Ci, Co] : {std::tuple{37, 14, 14, 32, 8}, {80, 28, 28, 1, 32}}) {
  const int K = 9 * Ci;
  auto in = test::random_vector(B * H * W * Ci, rng), w = test::random_vector(Co * K, rng);
  for (float zero_share : {0.8f, 0.0f}) {
    auto dout = test::random_vector(B * H * W * Co, rng);
    for (float& v : dout) v = rng.uniform() < zero_share ? 0.0f : v;
    // Naive: dw[co][ky][kx][ci] = sum dout * in at the tap; din likewise; db = sums.
    // dw_size: the sum of its terms' sizes, for float rounding over up to 29,000 terms.
    std::vector<double> dw(Co * K, 0.0), dw_size(Co * K, 0.0), db(Co, 0.0), din(in.size(), 0.0);
    for (int b = 0; b < B; ++b)
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
          for (int co = 0; co < Co; ++co) {
            const double g = dout[((b * H + y) * W + x) * Co + co];
            db[co] += g;
            for (int ky = 0; ky < 3; ++ky)
              for (int kx = 0; kx < 3; ++kx) {
                const int sy = y + ky - 1, sx = x + kx - 1;
                if (sy < 0 || sy >= H || sx < 0 || sx >= W) continue;
                for (int ci = 0; ci < Ci; ++ci) {
                  const std::size_t at = ((std::size_t(b) * H + sy) * W + sx) * Ci + ci;
                  dw[co * K + (ky * 3 + kx) * Ci + ci] += g * in[at];
                  dw_size[co * K + (ky * 3 + kx) * Ci + ci] += std::fabs(g * in[at]);
                  din[at] += g * w[co * K + (ky * 3 + kx) * Ci + ci];
                }
              }
          }
    const int saved_threads = parallel::thread_count();
    std::vector<float> got[2][3];
    for (int threads : {1, 2}) {
      parallel::set_thread_count(threads);
      auto& [gw, gb, gin] = got[threads - 1];
      gw.assign(Co * K, 0.5f), gb.assign(Co, 0.5f), gin.assign(in.size(), NAN);  // adds; writes din
      conv2d_backward(gin.data(), gw.data(), gb.data(), dout.data(), in.data(), w.data(),
                      B, H, W, Ci, Co, test::workspace());
    }
    parallel::set_thread_count(saved_threads);
    for (int i = 0; i < 3; ++i) ASSERT_EQ(got[0][i], got[1][i]) << "gradient " << i << ", zero share " << zero_share;
    auto& [gw, gb, gin] = got[0];
    for (int i = 0; i < Co * K; ++i) ASSERT_NEAR(gw[i], 0.5 + dw[i], 1e-4 * (1 + std::fabs(dw[i])) + 3e-7 * dw_size[i]) << "dweight " << i;
    for (int i = 0; i < Co; ++i) ASSERT_NEAR(gb[i], 0.5 + db[i], 1e-4 * (1 + std::fabs(db[i]))) << "dbias " << i;
    for (std::size_t i = 0; i < din.size(); ++i) ASSERT_NEAR(gin[i], din[i], 1e-4 * (1 + std::fabs(din[i]))) << "din " << i;
  }
  }
}

// Dropout's mask is drawn in blocks, each from its own stream, so threads can
// draw them: the same mask and output on one and two threads, and a mask
// that still looks random (keeps about keep_prob, blocks not alike).
TEST(OpsReference, DropoutSameOnOneAndTwoThreadsAndRandom) {
  Rng rng(8);
  const std::size_t n = 5 * kDropoutBlock + 123;  // the last block is short
  const float keep = 0.5f;
  auto in = test::random_vector(n, rng);
  const int saved_threads = parallel::thread_count();
  std::vector<float> mask[2], out[2];
  for (int threads : {1, 2}) {
    parallel::set_thread_count(threads);
    mask[threads - 1].assign(n, NAN);
    out[threads - 1].assign(n, NAN);
    Rng layer_rng(3);
    dropout_forward(out[threads - 1].data(), mask[threads - 1].data(), in.data(), n, keep, layer_rng);
  }
  parallel::set_thread_count(saved_threads);
  ASSERT_EQ(mask[0], mask[1]);
  ASSERT_EQ(out[0], out[1]);
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_TRUE(mask[0][i] == 0.0f || mask[0][i] == 1.0f / keep) << i;
    ASSERT_EQ(out[0][i], in[i] * mask[0][i]) << i;
    kept += mask[0][i] != 0.0f;
  }
  EXPECT_NEAR(double(kept) / n, keep, 0.01);
  for (std::size_t b = 1; b * kDropoutBlock + 1000 <= n; ++b) {
    int same = 0;
    for (std::size_t i = 0; i < 1000; ++i) same += mask[0][i] == mask[0][b * kDropoutBlock + i];
    EXPECT_LT(same, 600) << "block " << b << " repeats block 0";
  }
}

// The patches backward reads (the first layer has its own copy loop).
TEST(OpsReference, Im2colAnyChannels) {
  Rng rng(4);
  for (auto [B, H, W, Ci] : {std::tuple{1, 1, 1, 1}, {3, 5, 4, 1}, {2, 28, 28, 1}, {2, 7, 6, 3}, {1, 14, 14, 32}}) {
    auto in = test::random_vector(B * H * W * Ci, rng);
    std::vector<float> cols(conv2d_3x3_cols_size(B, H, W, Ci), NAN);
    conv2d_3x3_im2col(cols.data(), in.data(), B, H, W, Ci, test::workspace());
    std::size_t i = 0;
    for (int n = 0; n < B; ++n)
      for (int y = 0; y < H; ++y)
        for (int x = 0; x < W; ++x)
          for (int ky = 0; ky < 3; ++ky)
            for (int kx = 0; kx < 3; ++kx)
              for (int ci = 0; ci < Ci; ++ci, ++i) {
                const int sy = y + ky - 1, sx = x + kx - 1;
                const bool inside = sy >= 0 && sy < H && sx >= 0 && sx < W;
                ASSERT_EQ(cols[i], inside ? in[((n * H + sy) * W + sx) * Ci + ci] : 0.0f)
                    << "image " << n << " pixel " << y << "," << x << " tap " << ky << "," << kx;
              }
  }
}

TEST(OpsReference, MaxPoolForwardEvenAndOdd) {
  Rng rng(3);
  for (auto [B, H, W, C] : {std::tuple{1, 2, 2, 1}, {2, 28, 28, 4}, {1, 7, 7, 3}, {2, 5, 6, 2}, {1, 1, 1, 1}, {2, 14, 14, 32}, {1, 5, 7, 6}}) {
    auto in = test::random_vector(B * H * W * C, rng);
    const int Ho = maxpool2x2_out_size(H), Wo = maxpool2x2_out_size(W);
    std::vector<float> out(B * Ho * Wo * C, NAN);
    std::vector<std::int32_t> argmax(out.size(), -1);
    maxpool2x2_forward(out.data(), argmax.data(), in.data(), B, H, W, C);
    auto ref = naive_pool(in, B, H, W, C);
    for (std::size_t i = 0; i < out.size(); ++i) {
      EXPECT_EQ(out[i], ref[i]);
      EXPECT_EQ(in[argmax[i]], out[i]) << "argmax must point at the winner";
    }
  }
}

TEST(OpsReference, SoftmaxAndCrossEntropy) {
  Rng rng(4);
  const int B = 6, K = 10;
  auto logits = test::random_vector(B * K, rng, -5, 5);
  std::vector<std::uint8_t> labels = {0, 3, 9, 1, 5, 5};
  std::vector<float> probs(B * K, NAN);
  const float loss = softmax_cross_entropy_forward(probs.data(), logits.data(), labels.data(), B, K);
  double ref_loss = 0;
  for (int b = 0; b < B; ++b) {
    double z = 0;
    for (int k = 0; k < K; ++k) z += std::exp(double(logits[b * K + k]));
    for (int k = 0; k < K; ++k) EXPECT_NEAR(probs[b * K + k], std::exp(double(logits[b * K + k])) / z, 1e-6);
    ref_loss += -std::log(std::exp(double(logits[b * K + labels[b]])) / z);
  }
  EXPECT_NEAR(loss, ref_loss / B, 1e-5);
}

TEST(OpsReference, SoftmaxIsStableForHugeLogits) {
  // A naive exp() overflows to inf here; the shifted form must not.
  std::vector<float> logits = {1000.0f, 0.0f, -1000.0f, 999.0f};
  std::vector<std::uint8_t> labels = {2};
  std::vector<float> probs(4);
  const float loss = softmax_cross_entropy_forward(probs.data(), logits.data(), labels.data(), 1, 4);
  EXPECT_TRUE(std::isfinite(loss));
  EXPECT_NEAR(loss, 2000.0f + std::log1p(std::exp(-1.0f)), 1e-2);
  EXPECT_NEAR(probs[0], 1.0f / (1.0f + std::exp(-1.0f)), 1e-6);
}

}  // namespace
}  // namespace mnist
