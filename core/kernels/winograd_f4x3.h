// Winograd's minimal filtering F(4x4, 3x3) for a 3x3 convolution, stride 1,
// SAME padding (Lavin and Gray 2015; points 0, 1, -1, 2, -2, infinity): each
// 4x4 tile of output is
//   Y = A^T [ (G g G^T) (.) (B^T d B) ] A
// from the 6x6 input around it; summed over input channels, the 36
// elementwise products become 36 matrix products (tiles x Ci) . (Ci x Co).
// 2.25 multiplies per output pixel instead of 9 direct (4 with 2x2 tiles);
// the larger coefficients cost a few roundings, which tests bound.
//
//   B^T = [4  0 -5  0 1 0;  0 -4 -4  1 1 0;  0  4 -4 -1 1 0;
//          0 -2 -1  2 1 0;  0  2 -1 -2 1 0;  0  4  0 -5 0 1]
//   G   = [1/4 0 0; -1/6 -1/6 -1/6; -1/6 1/6 -1/6;
//          1/24 1/12 1/6; 1/24 -1/12 1/6; 0 0 1]
//   A^T = [1 1 1 1 1 0;  0 1 -1 2 -2 0;  0 1 1 4 4 0;  0 1 -1 8 -8 1]
//
// Layout: element e = 6i + j of the 36 is matrix e of the transformed
// weights, input and output, each row-major, `stride` floats apart. Tiles go
// row by row over each image (ceil(H/4) x ceil(W/4) per image), images in
// order: tile t of image b is row b * tiles + t. Pixels outside the image
// are zero on input and not written on output. The twins compute in the
// same order without contraction into FMA, so they agree bit for bit.
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
// in (n,H,W,Ci): V[e] = (B^T d B)[e] for each tile d. The SIMD twin's
// scratch: winograd_f4x3_input_scratch_floats, 16-byte aligned.
inline std::size_t winograd_f4x3_input_scratch_floats(int W, int Ci) {
  return static_cast<std::size_t>(Ci) + 36 * static_cast<std::size_t>((W + 3) / 4) * Ci;  // zeros, a band's d B
}
void winograd_f4x3_transform_input_simd128(float* V, std::size_t stride, const float* in, int n,
                                           int H, int W, int Ci, float* scratch);
void winograd_f4x3_transform_input_scalar(float* V, std::size_t stride, const float* in, int n,
                                          int H, int W, int Ci);

// out (n,H,W,Co) = A^T m A + bias (Co) for each tile m of the 36 matrices
// (n * tiles, Co) in M, `stride` floats apart. The SIMD twin's scratch:
// winograd_f4x3_output_scratch_floats, 16-byte aligned.
inline std::size_t winograd_f4x3_output_scratch_floats(int Co) { return 24 * static_cast<std::size_t>(Co); }
void winograd_f4x3_transform_output_simd128(float* out, const float* M, std::size_t stride,
                                            const float* bias, int n, int H, int W, int Co, float* scratch);
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
