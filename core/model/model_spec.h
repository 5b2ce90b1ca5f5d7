// A sequential model described as one line of text, stored in model files so
// a file says which network its tensors belong to. Example (the "cnn" preset):
//   input 28x28x1; conv3x3 32; relu; maxpool2x2; conv3x3 64; relu; maxpool2x2;
//   dense 1024; relu; dropout 0.5; dense 10; init truncated_normal 0.1 0.1
// "dropout P" takes the keep probability, as the tutorial's keep_prob does.
// "init zeros", "init truncated_normal STDDEV BIAS" or "init he" says how
// weights start.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace mnist {

enum class LayerKind { conv3x3, maxpool2x2, relu, dropout, dense };

struct LayerSpec {
  LayerKind kind;
  int units = 0;          // conv3x3: output channels; dense: outputs
  float keep_prob = 1.0f; // dropout only
};

// zeros; truncated_normal STDDEV BIAS (the tutorial's); he: weights from a
// truncated normal of standard deviation sqrt(2 / fan-in), biases zero (He
// et al. 2015: each ReLU layer starts with its input's scale).
enum class InitKind { zeros, truncated_normal, he };

struct ModelSpec {
  int height = 28, width = 28, channels = 1;
  std::vector<LayerSpec> layers;
  InitKind init = InitKind::zeros;
  float init_stddev = 0.1f;  // truncated_normal only
  float init_bias = 0.1f;    // truncated_normal only
};

std::string format_spec(const ModelSpec& spec);
// Rejects anything malformed or absurdly large with a message saying what.
Result<ModelSpec> parse_spec(std::string_view text);

// The tutorial's two networks.
ModelSpec softmax_spec();  // 784 -> 10, zero-initialised
ModelSpec cnn_spec();      // conv32, pool, conv64, pool, dense1024, dropout 0.5, dense10
// "softmax" or "cnn"; anything else is an error naming the choices.
Result<ModelSpec> preset_spec(std::string_view name);

// Training choices that keep the layers' shapes, so a model trained with
// them is still the preset's network: how its weights start ("tutorial": as
// the spec says; "he": init he) and the dropout rate (the part of units
// dropped; 0: none; negative: as the spec says).
struct SpecChoices {
  std::string initializer = "tutorial";
  float dropout = -1.0f;
};
Result<ModelSpec> apply_choices(ModelSpec spec, const SpecChoices& choices);
// The same network: input, layers and their sizes (not how it was
// initialised or how much it drops out in training).
bool same_layers(const ModelSpec& a, const ModelSpec& b);

}  // namespace mnist
