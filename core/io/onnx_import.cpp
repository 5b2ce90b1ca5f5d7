// Reading an ONNX file into a model of the engine (onnx_file.h): first the
// protobuf messages into plain structs (every size checked against the
// limits), then the graph walked from its input, node by node, into layers.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>
#include <string>

#include "io/model_file.h"
#include "io/onnx_file.h"
#include "io/protobuf_wire.h"

namespace mnist {

namespace {

using protobuf::Field;
using protobuf::Wire;
using protobuf::for_each_field;

constexpr int kFloat = 1, kInt64 = 7;

struct OnnxTensor {
  std::string name;
  int type = 0;
  std::vector<std::int64_t> dims;
  std::vector<float> floats;         // type FLOAT
  std::vector<std::int64_t> ints;    // type INT64
  std::size_t elements() const {
    std::size_t n = 1;
    for (std::int64_t d : dims) n *= static_cast<std::size_t>(d);
    return n;
  }
};

struct OnnxAttribute {
  std::string name;
  float f = 0;
  std::int64_t i = 0;
  std::string s;
  std::vector<std::int64_t> ints;
  OnnxTensor t;
};

struct OnnxNode {
  std::string name, op;
  std::vector<std::string> inputs, outputs;
  std::vector<OnnxAttribute> attributes;
  const OnnxAttribute* attribute(const std::string& n) const {
    for (const OnnxAttribute& a : attributes) {
      if (a.name == n) return &a;
    }
    return nullptr;
  }
  std::string describe() const { return "node " + (name.empty() ? outputs.empty() ? op : outputs[0] : name) + " (" + op + ")"; }
};

struct OnnxValue {
  std::string name;
  int type = 0;
  std::vector<std::int64_t> dims;  // -1: symbolic or unknown
};

struct OnnxGraph {
  std::vector<OnnxNode> nodes;
  std::map<std::string, OnnxTensor> initializers;
  std::vector<OnnxValue> inputs, outputs;
};

Status wrong_wire(const std::string& what) { return Status::error(what + " has the wrong wire type (the file is damaged)"); }

std::string text(const Field& f) { return std::string(f.as_string().substr(0, 256)); }

Status parse_tensor(std::span<const std::uint8_t> bytes, OnnxTensor& t) {
  std::span<const std::uint8_t> raw;
  bool has_raw = false;
  Status s = for_each_field(bytes, "a tensor", [&](const Field& f) -> Status {
    switch (f.number) {
      case 1: return protobuf::read_varints(f, "a tensor's dimensions", t.dims, 8);
      case 2: t.type = static_cast<int>(f.value); return Status::ok();
      case 8: t.name = text(f); return Status::ok();
      case 9: raw = f.bytes, has_raw = true; return f.wire == Wire::bytes ? Status::ok() : wrong_wire("raw_data");
      case 4:  // float_data: packed fixed32, or one unpacked
        if (f.wire == Wire::fixed32) {
          if (t.floats.size() >= kOnnxMaxTensorElements) return Status::error("tensor " + t.name + " is too large");
          t.floats.push_back(f.as_float());
          return Status::ok();
        }
        if (f.wire != Wire::bytes || f.bytes.size() % 4) return wrong_wire("float_data");
        if (t.floats.size() + f.bytes.size() / 4 > kOnnxMaxTensorElements) return Status::error("tensor " + t.name + " is too large");
        for (std::size_t k = 0; k < f.bytes.size(); k += 4) {
          float v;
          std::memcpy(&v, f.bytes.data() + k, 4);
          t.floats.push_back(v);
        }
        return Status::ok();
      case 7: return protobuf::read_varints(f, "int64_data", t.ints, kOnnxMaxTensorElements);
      case 13:
      case 14:
        if (f.number == 14 && f.value == 0) return Status::ok();
        return Status::error("tensor " + t.name + " keeps its data in an external file, which is not supported: save the model with its weights inside");
      default: return Status::ok();
    }
  });
  if (!s) return s;
  std::size_t n = 1;
  for (std::int64_t d : t.dims) {
    if (d < 0 || d > static_cast<std::int64_t>(kOnnxMaxTensorElements) || (n *= static_cast<std::size_t>(std::max<std::int64_t>(d, 1))) > kOnnxMaxTensorElements) {
      return Status::error("tensor " + t.name + " declares dimensions too large (limit " + std::to_string(kOnnxMaxTensorElements) + " values)");
    }
  }
  n = t.elements();
  if (t.type != kFloat && t.type != kInt64) {
    return Status::error("tensor " + t.name + " has data type " + std::to_string(t.type) + "; only float32 weights (and int64 shapes) are read");
  }
  const std::size_t width = t.type == kFloat ? 4 : 8;
  if (has_raw) {
    if (raw.size() != n * width) {
      return Status::error("tensor " + t.name + " holds " + std::to_string(raw.size()) + " bytes for " + std::to_string(n) + " values");
    }
    if (t.type == kFloat) {
      t.floats.resize(n);
      std::memcpy(t.floats.data(), raw.data(), raw.size());
    } else {
      t.ints.resize(n);
      std::memcpy(t.ints.data(), raw.data(), raw.size());
    }
  }
  const std::size_t held = t.type == kFloat ? t.floats.size() : t.ints.size();
  if (held != n) return Status::error("tensor " + t.name + " holds " + std::to_string(held) + " values for its " + std::to_string(n));
  for (float v : t.floats) {
    if (!std::isfinite(v)) return Status::error("tensor " + t.name + " holds a value that is not finite");
  }
  return Status::ok();
}

Status parse_attribute(std::span<const std::uint8_t> bytes, OnnxAttribute& a) {
  return for_each_field(bytes, "an attribute", [&](const Field& f) -> Status {
    switch (f.number) {
      case 1: a.name = text(f); return Status::ok();
      case 2: a.f = f.as_float(); return Status::ok();
      case 3: a.i = static_cast<std::int64_t>(f.value); return Status::ok();
      case 4: a.s = text(f); return Status::ok();
      case 5: return f.wire == Wire::bytes ? parse_tensor(f.bytes, a.t) : wrong_wire("an attribute's tensor");
      case 8: return protobuf::read_varints(f, "attribute " + a.name, a.ints, 16);
      default: return Status::ok();
    }
  });
}

Status parse_node(std::span<const std::uint8_t> bytes, OnnxNode& n) {
  return for_each_field(bytes, "a node", [&](const Field& f) -> Status {
    if (f.number >= 1 && f.number <= 5 && f.wire != Wire::bytes) return wrong_wire("a node's field");
    switch (f.number) {
      case 1: if (n.inputs.size() >= 16) return Status::error("a node has too many inputs"); n.inputs.push_back(text(f)); return Status::ok();
      case 2: if (n.outputs.size() >= 16) return Status::error("a node has too many outputs"); n.outputs.push_back(text(f)); return Status::ok();
      case 3: n.name = text(f); return Status::ok();
      case 4: n.op = text(f); return Status::ok();
      case 5:
        if (n.attributes.size() >= 32) return Status::error("a node has too many attributes");
        n.attributes.emplace_back();
        return parse_attribute(f.bytes, n.attributes.back());
      default: return Status::ok();
    }
  });
}

// ValueInfoProto -> name, and type.tensor_type.{elem_type, shape.dim[]}.
Status parse_value(std::span<const std::uint8_t> bytes, OnnxValue& v) {
  return for_each_field(bytes, "a graph input or output", [&](const Field& f) -> Status {
    if (f.wire != Wire::bytes) return Status::ok();
    if (f.number == 1) v.name = text(f);
    if (f.number != 2) return Status::ok();
    return for_each_field(f.bytes, "a type", [&](const Field& type) -> Status {
      if (type.number != 1 || type.wire != Wire::bytes) return Status::ok();  // not a tensor: left as type 0
      return for_each_field(type.bytes, "a tensor type", [&](const Field& tt) -> Status {
        if (tt.number == 1) v.type = static_cast<int>(tt.value);
        if (tt.number != 2 || tt.wire != Wire::bytes) return Status::ok();
        return for_each_field(tt.bytes, "a shape", [&](const Field& dim) -> Status {
          if (dim.number != 1 || dim.wire != Wire::bytes) return Status::ok();
          if (v.dims.size() >= 8) return Status::error("an input has too many dimensions");
          std::int64_t d = -1;
          Status s = for_each_field(dim.bytes, "a dimension", [&](const Field& x) -> Status {
            if (x.number == 1 && x.wire == Wire::varint) d = static_cast<std::int64_t>(x.value);
            return Status::ok();
          });
          v.dims.push_back(d);
          return s;
        });
      });
    });
  });
}

Status parse_graph(std::span<const std::uint8_t> bytes, OnnxGraph& g) {
  return for_each_field(bytes, "the graph", [&](const Field& f) -> Status {
    if ((f.number == 1 || f.number == 5 || f.number == 11 || f.number == 12) && f.wire != Wire::bytes) return wrong_wire("a graph field");
    switch (f.number) {
      case 1:
        if (static_cast<int>(g.nodes.size()) >= kOnnxMaxNodes) return Status::error("the graph has more than " + std::to_string(kOnnxMaxNodes) + " nodes");
        g.nodes.emplace_back();
        return parse_node(f.bytes, g.nodes.back());
      case 5: {
        if (g.initializers.size() >= static_cast<std::size_t>(kOnnxMaxNodes)) return Status::error("the graph has too many weights");
        OnnxTensor t;
        if (Status s = parse_tensor(f.bytes, t); !s) return s;
        g.initializers[t.name] = std::move(t);
        return Status::ok();
      }
      case 11:
      case 12: {
        auto& list = f.number == 11 ? g.inputs : g.outputs;
        if (list.size() >= static_cast<std::size_t>(kOnnxMaxNodes)) return Status::error("the graph has too many inputs or outputs");
        list.emplace_back();
        return parse_value(f.bytes, list.back());
      }
      default: return Status::ok();
    }
  });
}

// What the walk holds between nodes: the tensor's name, its layout and the
// shape of an image tensor (h, w, c).
enum class Layout { nchw, nhwc, flat };

struct Walk {
  std::string current;
  Layout layout = Layout::nchw;
  int h = 0, w = 0, c = 0;
  int features = 0;      // flat: values per example
  bool chw_order = false;  // flat after an NCHW image with c > 1: the next dense's columns need reordering
  std::vector<LayerSpec> layers;
  std::vector<std::vector<float>> weights;  // in the order of the model's params
};

const char* kSupported =
    "this engine runs Conv 3x3 (SAME padding, stride 1), Relu, MaxPool 2x2 (stride 2), Flatten or Reshape, Gemm or "
    "MatMul then Add, Softmax or LogSoftmax, Dropout, Identity and Transpose between NHWC and NCHW";

Status unsupported(const OnnxNode& n, const std::string& why) {
  return Status::error(n.describe() + ": " + why + "; " + kSupported);
}

bool ints_are(const OnnxAttribute* a, std::initializer_list<std::int64_t> values) {
  return a && std::equal(a->ints.begin(), a->ints.end(), values.begin(), values.end());
}

// A float weight by name: an initializer, or a Constant node's value.
const OnnxTensor* find_tensor(const OnnxGraph& g, const std::map<std::string, const OnnxTensor*>& constants,
                              const std::string& name) {
  if (auto it = g.initializers.find(name); it != g.initializers.end()) return &it->second;
  if (auto it = constants.find(name); it != constants.end()) return it->second;
  return nullptr;
}

// Adds a layer with its weight (in the engine's layout) and its bias (zeros
// when the node has none; else one float per output, named `per`).
Status push_layer(Walk& walk, const OnnxNode& n, LayerSpec layer, std::vector<float> weight, const OnnxTensor* bias,
                  const char* per) {
  std::vector<float> b(layer.units, 0.0f);
  if (bias) {
    if (bias->type != kFloat || bias->elements() != static_cast<std::size_t>(layer.units)) {
      return unsupported(n, std::string("its bias does not have one value per ") + per);
    }
    b = bias->floats;
  }
  walk.layers.push_back(layer);
  walk.weights.push_back(std::move(weight));
  walk.weights.push_back(std::move(b));
  return Status::ok();
}

Status add_dense(Walk& walk, const OnnxNode& n, const OnnxTensor& weight, bool transposed_b, const OnnxTensor* bias) {
  if (walk.layout != Layout::flat) return unsupported(n, "a dense layer on an image (Flatten or Reshape it first)");
  if (weight.type != kFloat || weight.dims.size() != 2) return unsupported(n, "its weight is not a float matrix");
  const int outputs = static_cast<int>(transposed_b ? weight.dims[0] : weight.dims[1]);
  const int inputs = static_cast<int>(transposed_b ? weight.dims[1] : weight.dims[0]);
  if (inputs != walk.features) {
    return Status::error(n.describe() + ": its weight takes " + std::to_string(inputs) + " inputs but " + std::to_string(walk.features) + " arrive");
  }
  std::vector<float> rows(static_cast<std::size_t>(outputs) * inputs);  // (O, I) in the engine's column order
  for (int o = 0; o < outputs; ++o) {
    for (int i = 0; i < inputs; ++i) {
      // Column i as ONNX orders it; with chw_order it is (c, y, x) and the
      // engine's is (y, x, c).
      int j = i;
      if (walk.chw_order) {
        const int ch = i / (walk.h * walk.w), y = (i / walk.w) % walk.h, x = i % walk.w;
        j = (y * walk.w + x) * walk.c + ch;
      }
      rows[static_cast<std::size_t>(o) * inputs + j] =
          transposed_b ? weight.floats[static_cast<std::size_t>(o) * inputs + i] : weight.floats[static_cast<std::size_t>(i) * outputs + o];
    }
  }
  if (Status s = push_layer(walk, n, {LayerKind::dense, outputs}, std::move(rows), bias, "output"); !s) return s;
  walk.features = outputs;
  walk.chw_order = false;
  return Status::ok();
}

Status add_conv(Walk& walk, const OnnxNode& n, const OnnxTensor& weight, const OnnxTensor* bias) {
  if (walk.layout != Layout::nchw) return unsupported(n, "a convolution on data that is not NCHW");
  if (weight.type != kFloat || weight.dims.size() != 4) return unsupported(n, "its weight is not a 4-D float tensor");
  const int co = static_cast<int>(weight.dims[0]), ci = static_cast<int>(weight.dims[1]);
  if (weight.dims[2] != 3 || weight.dims[3] != 3) {
    return unsupported(n, "a " + std::to_string(weight.dims[2]) + "x" + std::to_string(weight.dims[3]) + " convolution is not supported");
  }
  const OnnxAttribute* strides = n.attribute("strides");
  if (strides && !ints_are(strides, {1, 1})) return unsupported(n, "a stride other than 1 is not supported");
  const OnnxAttribute* dilations = n.attribute("dilations");
  if (dilations && !ints_are(dilations, {1, 1})) return unsupported(n, "dilation is not supported");
  const OnnxAttribute* group = n.attribute("group");
  if (group && group->i != 1) return unsupported(n, "grouped convolution is not supported");
  const OnnxAttribute* pads = n.attribute("pads");
  const OnnxAttribute* auto_pad = n.attribute("auto_pad");
  const bool same = (auto_pad && (auto_pad->s == "SAME_UPPER" || auto_pad->s == "SAME_LOWER")) || ints_are(pads, {1, 1, 1, 1});
  if (!same) return unsupported(n, "only SAME padding (1 pixel each side) is supported");
  if (ci != walk.c) return Status::error(n.describe() + ": its weight takes " + std::to_string(ci) + " channels but " + std::to_string(walk.c) + " arrive");
  std::vector<float> ohwi(weight.floats.size());
  for (int o = 0; o < co; ++o) {
    for (int c = 0; c < ci; ++c) {
      for (int k = 0; k < 9; ++k) ohwi[(static_cast<std::size_t>(o) * 9 + k) * ci + c] = weight.floats[(static_cast<std::size_t>(o) * ci + c) * 9 + k];
    }
  }
  if (Status s = push_layer(walk, n, {LayerKind::conv3x3, co}, std::move(ohwi), bias, "channel"); !s) return s;
  walk.c = co;
  return Status::ok();
}

// Flatten, or a Reshape to [N, -1]; a Reshape of a flat input to
// [N, 1, H, W] or [N, H, W, 1] (a single channel: the same values in the
// same order) is taken as the image it is.
Status reshape(Walk& walk, const OnnxNode& n, const std::vector<std::int64_t>* target) {
  if (n.op == "Flatten") {
    const OnnxAttribute* axis = n.attribute("axis");
    if (axis && axis->i != 1) return unsupported(n, "Flatten on an axis other than 1 is not supported");
  } else if (walk.layout == Layout::flat && target && target->size() == 4) {
    const auto& t = *target;
    const bool nchw = t[1] == 1 && t[2] == walk.h && t[3] == walk.w, nhwc = t[3] == 1 && t[1] == walk.h && t[2] == walk.w;
    if (!walk.layers.empty() || walk.c != 1 || !(nchw || nhwc)) return unsupported(n, "this reshape of the input is not supported");
    walk.layout = nchw ? Layout::nchw : Layout::nhwc;
    return Status::ok();
  } else {
    // [-1 | 0 | 1, -1 | values per example]: the batch stays, the rest is one row.
    const bool batch_kept = target && target->size() == 2 && (target->at(0) == -1 || target->at(0) == 0 || target->at(0) == 1);
    const std::int64_t row = walk.layout == Layout::flat ? walk.features : static_cast<std::int64_t>(walk.h) * walk.w * walk.c;
    if (!batch_kept || (target->at(1) != -1 && target->at(1) != row)) {
      return unsupported(n, "only a reshape to [N, -1] (a flatten) is supported");
    }
  }
  if (walk.layout == Layout::flat) return Status::ok();
  walk.chw_order = walk.layout == Layout::nchw && walk.c > 1;
  walk.features = walk.h * walk.w * walk.c;
  walk.layout = Layout::flat;
  return Status::ok();
}

Result<std::unique_ptr<Model>> build_model(const OnnxGraph& g) {
  // Constant nodes give values (Reshape's shape) as initializers do.
  std::map<std::string, const OnnxTensor*> constants;
  for (const OnnxNode& n : g.nodes) {
    if (n.op != "Constant") continue;
    const OnnxAttribute* value = n.attribute("value");
    if (!value || n.outputs.size() != 1) return unsupported(n, "a Constant without a tensor value is not supported");
    constants[n.outputs[0]] = &value->t;
  }
  std::vector<const OnnxValue*> real_inputs;
  for (const OnnxValue& v : g.inputs) {
    if (!g.initializers.count(v.name)) real_inputs.push_back(&v);
  }
  if (real_inputs.size() != 1) return Status::error("the graph has " + std::to_string(real_inputs.size()) + " inputs; a digit model takes one (the image)");
  if (g.outputs.size() != 1) return Status::error("the graph has " + std::to_string(g.outputs.size()) + " outputs; a digit model gives one");
  const OnnxValue& input = *real_inputs[0];
  if (input.type != kFloat) return Status::error("the input " + input.name + " is not float32");
  Walk walk;
  walk.current = input.name;
  walk.h = walk.w = 28;
  walk.c = 1;
  const auto& d = input.dims;
  if (d.size() == 4 && d[1] == 1 && d[2] == 28 && d[3] == 28) {
    walk.layout = Layout::nchw;
  } else if (d.size() == 4 && d[1] == 28 && d[2] == 28 && d[3] == 1) {
    walk.layout = Layout::nhwc;
  } else if (d.size() == 2 && d[1] == 784) {
    walk.layout = Layout::flat;
    walk.features = 784;
  } else {
    std::string shape;
    for (std::int64_t x : d) shape += (shape.empty() ? "" : ", ") + (x < 0 ? std::string("?") : std::to_string(x));
    return Status::error("the input " + input.name + " has shape [" + shape + "]; digits here are [N, 1, 28, 28], [N, 28, 28, 1] or [N, 784]");
  }

  std::vector<bool> used(g.nodes.size(), false);
  bool ended = false;
  for (int steps = 0; !ended && walk.current != g.outputs[0].name; ++steps) {
    if (steps > kOnnxMaxNodes) return Status::error("the graph loops");
    int found = -1;
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      const OnnxNode& n = g.nodes[k];
      if (used[k] || n.op == "Constant" || n.inputs.empty() || n.inputs[0] != walk.current) continue;
      if (found >= 0) return unsupported(n, "the graph branches (two nodes read " + walk.current + ")");
      found = static_cast<int>(k);
    }
    if (found < 0) return Status::error("no node reads " + walk.current + ", and it is not the graph's output " + g.outputs[0].name);
    used[found] = true;
    const OnnxNode& n = g.nodes[found];
    if (n.outputs.empty()) return unsupported(n, "it has no output");
    const OnnxTensor* second = n.inputs.size() > 1 ? find_tensor(g, constants, n.inputs[1]) : nullptr;
    const OnnxTensor* third = n.inputs.size() > 2 ? find_tensor(g, constants, n.inputs[2]) : nullptr;
    Status s = Status::ok();
    if (n.op == "Identity" || n.op == "Dropout") {
    } else if (n.op == "Relu") {
      walk.layers.push_back({LayerKind::relu});
    } else if (n.op == "Transpose") {
      const OnnxAttribute* perm = n.attribute("perm");
      if (walk.layout == Layout::nhwc && ints_are(perm, {0, 3, 1, 2})) walk.layout = Layout::nchw;
      else if (walk.layout == Layout::nchw && ints_are(perm, {0, 2, 3, 1})) walk.layout = Layout::nhwc;
      else s = unsupported(n, "a Transpose that does more than switch between NHWC and NCHW is not supported");
    } else if (n.op == "Conv") {
      s = second ? add_conv(walk, n, *second, third) : unsupported(n, "its weight is not a constant");
    } else if (n.op == "MaxPool") {
      if (walk.layout != Layout::nchw) s = unsupported(n, "pooling data that is not NCHW");
      else if (!ints_are(n.attribute("kernel_shape"), {2, 2})) s = unsupported(n, "only 2x2 pooling is supported");
      else if (!ints_are(n.attribute("strides"), {2, 2})) s = unsupported(n, "only stride 2 pooling is supported");
      else if (const OnnxAttribute* pads = n.attribute("pads"); pads && !ints_are(pads, {0, 0, 0, 0})) s = unsupported(n, "padded pooling is not supported");
      else {
        walk.layers.push_back({LayerKind::maxpool2x2});
        walk.h /= 2, walk.w /= 2;
      }
    } else if (n.op == "Flatten") {
      s = reshape(walk, n, nullptr);
    } else if (n.op == "Reshape") {
      if (!second || second->type != kInt64) s = unsupported(n, "its shape is not a constant");
      else s = reshape(walk, n, &second->ints);
    } else if (n.op == "Gemm") {
      const OnnxAttribute* alpha = n.attribute("alpha");
      const OnnxAttribute* beta = n.attribute("beta");
      const OnnxAttribute* trans_a = n.attribute("transA");
      const OnnxAttribute* trans_b = n.attribute("transB");
      if ((alpha && alpha->f != 1.0f) || (beta && beta->f != 1.0f) || (trans_a && trans_a->i != 0)) s = unsupported(n, "Gemm with alpha, beta or transA is not supported");
      else if (!second) s = unsupported(n, "its weight is not a constant");
      else s = add_dense(walk, n, *second, trans_b && trans_b->i != 0, third);
    } else if (n.op == "MatMul") {
      if (!second) {
        s = unsupported(n, "its weight is not a constant");
      } else {
        // An Add of a constant right after is the bias.
        const OnnxTensor* bias = nullptr;
        std::string out = n.outputs[0];
        for (std::size_t k = 0; k < g.nodes.size() && !bias; ++k) {
          const OnnxNode& next = g.nodes[k];
          if (used[k] || next.op != "Add" || next.inputs.size() != 2 || next.outputs.empty()) continue;
          const int other = next.inputs[0] == out ? 1 : next.inputs[1] == out ? 0 : -1;
          if (other < 0 || !(bias = find_tensor(g, constants, next.inputs[other]))) continue;
          used[k] = true;
          out = next.outputs[0];
        }
        if (Status dense = add_dense(walk, n, *second, false, bias); !dense) return dense;
        walk.current = out;
        continue;
      }
    } else if (n.op == "Softmax" || n.op == "LogSoftmax") {
      // The engine gives probabilities; softmax of log-probabilities is the
      // same probabilities, so a LogSoftmax end (PyTorch's MNIST example)
      // reads the same digits.
      const OnnxAttribute* axis = n.attribute("axis");
      if (walk.layout != Layout::flat || (axis && axis->i != 1 && axis->i != -1)) s = unsupported(n, "Softmax over anything but the classes");
      else ended = true;
    } else {
      s = unsupported(n, n.op + " is not supported");
    }
    if (!s) return s;
    walk.current = n.outputs[0];
  }
  if (walk.current != g.outputs[0].name) return Status::error("the graph goes on after its Softmax");
  if (walk.layers.empty() || walk.layers.back().kind != LayerKind::dense) {
    return Status::error("the graph does not end in a dense layer (Gemm or MatMul), perhaps with a Softmax");
  }
  if (walk.layers.back().units != 10) {
    return Status::error("the model gives " + std::to_string(walk.layers.back().units) + " outputs; a digit model gives 10");
  }
  ModelSpec spec;
  spec.layers = walk.layers;
  auto model = Model::create(spec);
  if (!model) return Status::error("the graph's layers do not make a model here: " + model.message());
  const auto& params = model.value()->mutable_params();
  for (std::size_t k = 0; k < params.size(); ++k) {
    if (params[k].value->data.size() != walk.weights[k].size()) return Status::error("a weight's size does not match its layer");
    std::copy(walk.weights[k].begin(), walk.weights[k].end(), params[k].value->data.begin());
  }
  return std::move(model.value());
}

}  // namespace

Result<std::unique_ptr<Model>> load_onnx(std::span<const std::uint8_t> bytes) {
  if (bytes.empty()) return Status::error("the ONNX file is empty");
  if (bytes.size() > kOnnxMaxBytes) return Status::error("the ONNX file is larger than 256 MiB");
  std::int64_t ir_version = -1;
  bool has_graph = false;
  OnnxGraph graph;
  Status s = for_each_field(bytes, "the ONNX file", [&](const Field& f) -> Status {
    switch (f.number) {
      case 1: ir_version = static_cast<std::int64_t>(f.value); return Status::ok();
      case 7:
        if (f.wire != Wire::bytes || has_graph) return Status::error("the ONNX file's graph is damaged or given twice");
        has_graph = true;
        return parse_graph(f.bytes, graph);
      default: return Status::ok();
    }
  });
  if (!s) return s;
  if (!has_graph || ir_version < 1) return Status::error("this is not an ONNX model (it has no graph or no IR version)");
  auto model = build_model(graph);
  if (!model) return Status::error("ONNX: " + model.message());
  return model;
}

Result<std::unique_ptr<Model>> load_any_model(std::span<const std::uint8_t> bytes) {
  static const char magic[] = "MNISTMDL";
  if (bytes.size() < 8 || std::memcmp(bytes.data(), magic, 8) == 0) return load_model(bytes);
  auto onnx = load_onnx(bytes);
  if (onnx || onnx.message().rfind("ONNX: ", 0) == 0) return onnx;  // read as ONNX, or refused as one
  return Status::error("not a model file: neither this engine's (it starts with MNISTMDL) nor ONNX (" + onnx.message() + ")");
}

}  // namespace mnist
