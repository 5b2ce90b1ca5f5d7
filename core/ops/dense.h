// Dense (fully connected) layer op.
#pragma once

namespace mnist {

// out (B,O) = in (B,I) . weight(O,I)^T + bias (O)
void dense_forward(float* out, const float* in, const float* weight, const float* bias, int B,
                   int I, int O);

// Accumulates (+=) into every gradient it is given:
//   din (B,I) += dout . weight        (skipped when din is nullptr: first layer)
//   dweight (O,I) += dout^T . in
//   dbias (O) += sum over B of dout
void dense_backward(float* din, float* dweight, float* dbias, const float* dout, const float* in,
                    const float* weight, int B, int I, int O);

}  // namespace mnist
