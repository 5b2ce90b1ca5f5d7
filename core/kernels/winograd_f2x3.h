// Winograd's minimal filtering F(2x2, 3x3) for a 3x3 convolution, stride 1,
// SAME padding (Lavin and Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2015). Each 2x2 block of output pixels (a tile) is computed
// from the 4x4 input pixels around it as
//   Y = A^T [ (G g G^T) (.) (B^T d B) ] A,
// where (.) is an elementwise product of 4x4 matrices. Summed over input
// channels, those 16 elementwise products become 16 independent matrix
// products (tiles x Ci) . (Ci x Co), with 16 instead of 36 multiplies per
// tile, input channel and output channel: 2.25x fewer than the direct
// convolution (im2col + one product), for a few additions in the transforms.
//
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
//
// Element e = 4i + j of the 16 is matrix e of the transformed weights, input
// and output, each stored row-major, `stride` floats apart. Tiles are taken
// row by row over each image ((H+1)/2 x (W+1)/2 per image), images in order;
// tile t of image b is row b * tiles + t. Pixels outside the image are zero
// on input and not written on output.
//
// The SIMD twins take four channels at a time (NHWC keeps them side by
// side); both twins add in the same order, so they agree bit for bit.
#pragma once

#include <cstddef>

namespace mnist::kernels {

inline int winograd_f2x3_tiles(int H, int W) { return ((H + 1) / 2) * ((W + 1) / 2); }

// U: 16 matrices (Co, Ci), `stride` floats apart, U[e] = (G g G^T)[e] for each 3x3 filter g of
// weight (Co,3,3,Ci): the weight's own order, so the products read each
// U[e] transposed, as they read a dense layer's weight. Once per forward
// pass, so there is one plain version (which the compiler vectorises).
void winograd_f2x3_transform_weights(float* U, std::size_t stride, const float* weight, int Ci,
                                     int Co);

// V: 16 matrices (n * tiles, Ci), `stride` floats apart, from the n images
// in (n,H,W,Ci): V[e] = (B^T d B)[e] for each tile d.
void winograd_f2x3_transform_input_simd128(float* V, std::size_t stride, const float* in, int n,
                                           int H, int W, int Ci);
void winograd_f2x3_transform_input_scalar(float* V, std::size_t stride, const float* in, int n,
                                          int H, int W, int Ci);

// out (n,H,W,Co) = A^T m A + bias (Co) for each tile m of the 16 matrices
// (n * tiles, Co) in M, `stride` floats apart.
void winograd_f2x3_transform_output_simd128(float* out, const float* M, std::size_t stride,
                                            const float* bias, int n, int H, int W, int Co);
void winograd_f2x3_transform_output_scalar(float* out, const float* M, std::size_t stride,
                                           const float* bias, int n, int H, int W, int Co);

// The order both twins visit tiles in: body(image, row, y0, x0) for tile
// `row` of the 16 matrices, image `image` of the n, whose first output pixel
// is (y0, x0).
template <typename Body>
void for_each_winograd_f2x3_tile(int n, int H, int W, Body&& body) {
  const int tiles = winograd_f2x3_tiles(H, W), tiles_across = (W + 1) / 2;
  for (int b = 0; b < n; ++b) {
    for (int t = 0; t < tiles; ++t)
      body(b, b * tiles + t, 2 * (t / tiles_across), 2 * (t % tiles_across));
  }
}

// v = B^T d B for one channel of one tile's 4x4 input d (row-major): the
// scalar twin's transform, in the SIMD twin's order.
void winograd_f2x3_input_tile(const float d[16], float v[16]);

// The offsets (in pixels from the image's start) of the 4x4 input of the
// tile whose first output pixel is (y0, x0), or -1 outside the image.
void winograd_f2x3_tile_taps(int taps[16], int y0, int x0, int H, int W);

}  // namespace mnist::kernels
