// ONNX files in and out, so models trained here run elsewhere (ONNX
// Runtime, a Python script, Netron) and models trained elsewhere (PyTorch,
// Keras through tf2onnx) run here. No protobuf library: the wire format is
// small (protobuf_wire.h), and reading is a parser of untrusted input like
// the model and IDX readers: bounds-checked, with limits and a fuzzer.
//
// Export: IR version 8, opset 13; input "image" [N, 1, H, W] float32 in
// 0..1 (MNIST's scale, NCHW), output "probabilities" [N, K]. Weights are
// initializers (not graph inputs). The engine's tensors are NHWC (tensor.h),
// so convolution weights (Co,3,3,Ci) become ONNX's (Co,Ci,3,3) and the first
// dense layer's columns are put in NCHW flatten order (c, h, w).
//
// Import: a chain of the ops this engine has: Conv 3x3 (SAME padding,
// stride 1), Relu, MaxPool 2x2 stride 2, Flatten or Reshape, Gemm or MatMul
// then Add, Softmax or LogSoftmax (or logits without either), Dropout and Identity (no-ops),
// and Transpose where it only changes the layout (NHWC <-> NCHW, as tf2onnx
// writes around a Keras model); input [N,1,H,W], [N,H,W,1] or [N,H*W].
// Anything else is refused with a message naming the node.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "model/model.h"
#include "status.h"

namespace mnist {

inline constexpr int kOnnxIrVersion = 8;
inline constexpr int kOnnxOpset = 13;
// Limits on what an ONNX file may declare.
inline constexpr std::size_t kOnnxMaxBytes = std::size_t{256} << 20;
inline constexpr int kOnnxMaxNodes = 512;
inline constexpr std::size_t kOnnxMaxTensorElements = std::size_t{1} << 26;

std::vector<std::uint8_t> save_onnx(const Model& model);
Result<std::unique_ptr<Model>> load_onnx(std::span<const std::uint8_t> bytes);

// A model file of either kind: the engine's own (it starts with MNISTMDL)
// or ONNX.
Result<std::unique_ptr<Model>> load_any_model(std::span<const std::uint8_t> bytes);

}  // namespace mnist
