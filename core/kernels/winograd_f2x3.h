// Winograd's minimal filtering F(2x2, 3x3) for a 3x3 convolution, stride 1,
// SAME padding (Lavin and Gray 2015): each 2x2 output tile is
//   Y = A^T [ (G g G^T) (.) (B^T d B) ] A
// from the 4x4 input around it: 16 multiplies per tile and channel pair
// instead of 36 direct.
//
//   B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1]
//   G   = [1 0 0; 1/2 1/2 1/2; 1/2 -1/2 1/2; 0 0 1]
//   A^T = [1 1 1 0; 0 1 -1 -1]
//
// Used by the first layer's fused kernel (kernels/conv3x3_c1_relu_pool.h),
// whose 2x2 tiles are its pooling windows; more input channels take 4x4
// tiles (kernels/winograd_f4x3.h). Element e = 4i + j of the 16 is matrix e
// of the transformed weights, row-major, `stride` floats apart.
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

// v = B^T d B for one channel of one tile's 4x4 input d (row-major).
void winograd_f2x3_input_tile(const float d[16], float v[16]);

// The offsets (in pixels from the image's start) of the 4x4 input of the
// tile whose first output pixel is (y0, x0), or -1 outside the image.
void winograd_f2x3_tile_taps(int taps[16], int y0, int x0, int H, int W);

}  // namespace mnist::kernels
