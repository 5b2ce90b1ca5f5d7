// Winograd's minimal filtering F(4x4, 3x3) for a 3x3 convolution, stride 1,
// SAME padding (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2015; interpolation points 0, 1, -1, 2, -2 and infinity). Each
// 4x4 block of output pixels (a tile) is computed from the 6x6 input pixels
// around it as
//   Y = A^T [ (G g G^T) (.) (B^T d B) ] A,
// where (.) is an elementwise product of 6x6 matrices. Summed over input
// channels, those 36 elementwise products become 36 independent matrix
// products (tiles x Ci) . (Ci x Co).
//
// Why 4x4 tiles and not 2x2 (kernels/winograd_f2x3.h, 16 products): per
// output pixel 36/16 = 2.25 multiplies instead of 16/4 = 4 (direct: 9). On
// the tutorial CNN's 14x14 second layer the 4x4 tiles overhang the image (16
// tiles cover 16x16), so the products have 576 rows per image, not 784:
// 26% fewer multiply-adds. The transforms' larger coefficients (up to 8)
// cost precision: a few float32 roundings of the terms' magnitude, which
// the tests bound against the direct sum.
//
//   B^T = [4  0 -5  0 1 0;  0 -4 -4  1 1 0;  0  4 -4 -1 1 0;
//          0 -2 -1  2 1 0;  0  2 -1 -2 1 0;  0  4  0 -5 0 1]
//   G   = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6;
//          1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
//   A^T = [1 1 1 1 1 0;  0 1 -1 2 -2 0;  0 1 1 4 4 0;  0 1 -1 8 -8 1]
//
// Element e = 6i + j of the 36 is matrix e of the transformed weights, input
// and output, each stored row-major, `stride` floats apart. Tiles are taken
// row by row over each image (ceil(H/4) x ceil(W/4) per image), images in
// order; tile t of image b is row b * tiles + t. Pixels outside the image
// are zero on input and not written on output.
//
// The SIMD twins take four channels at a time (NHWC keeps them side by
// side); both twins compute in the same order, multiplies and adds in
// separate steps (CMakeLists.txt turns contraction into FMA off for them),
// so they agree bit for bit.
#pragma once

#include <cstddef>

namespace mnist::kernels {

inline constexpr int kF4x3Elements = 36;

inline int winograd_f4x3_tiles(int H, int W) { return ((H + 3) / 4) * ((W + 3) / 4); }

// U: 36 matrices (Co, Ci), `stride` floats apart, U[e] = (G g G^T)[e] for
// each 3x3 filter g of weight (Co,3,3,Ci): the weight's own order, so the
// products read each U[e] transposed, as they read a dense layer's weight.
void winograd_f4x3_transform_weights(float* U, std::size_t stride, const float* weight, int Ci,
                                     int Co);

// V: 36 matrices (n * tiles, Ci), `stride` floats apart, from the n images
// in (n,H,W,Ci): V[e] = (B^T d B)[e] for each tile d.
void winograd_f4x3_transform_input_simd128(float* V, std::size_t stride, const float* in, int n,
                                           int H, int W, int Ci);
void winograd_f4x3_transform_input_scalar(float* V, std::size_t stride, const float* in, int n,
                                          int H, int W, int Ci);

// out (n,H,W,Co) = A^T m A + bias (Co) for each tile m of the 36 matrices
// (n * tiles, Co) in M, `stride` floats apart.
void winograd_f4x3_transform_output_simd128(float* out, const float* M, std::size_t stride,
                                            const float* bias, int n, int H, int W, int Co);
void winograd_f4x3_transform_output_scalar(float* out, const float* M, std::size_t stride,
                                           const float* bias, int n, int H, int W, int Co);

// The tiles in the order of the matrices' rows: body(image, row, y0, x0)
// for tile `row`, of image `image` of the n, whose first output pixel is
// (y0, x0).
template <typename Body>
void for_each_winograd_f4x3_tile(int n, int H, int W, Body&& body) {
  const int tiles = winograd_f4x3_tiles(H, W), tiles_across = (W + 3) / 4;
  for (int b = 0; b < n; ++b) {
    for (int t = 0; t < tiles; ++t)
      body(b, b * tiles + t, 4 * (t / tiles_across), 4 * (t % tiles_across));
  }
}

}  // namespace mnist::kernels
