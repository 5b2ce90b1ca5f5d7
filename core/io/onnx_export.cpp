// Writing a model as ONNX (onnx_file.h). Field numbers are onnx.proto's.
#include <string>

#include "io/onnx_file.h"
#include "io/protobuf_wire.h"

namespace mnist {

namespace {

using protobuf::Writer;

constexpr int kFloat = 1;  // TensorProto.DataType FLOAT

// TensorProto: dims 1, data_type 2, name 8, raw_data 9.
Writer tensor(const std::string& name, const std::vector<std::int64_t>& dims, const std::vector<float>& values) {
  Writer t;
  t.packed_varints(1, dims);
  t.varint_field(2, kFloat);
  t.string_field(8, name);
  t.bytes_field(9, {reinterpret_cast<const std::uint8_t*>(values.data()), values.size() * sizeof(float)});
  return t;
}

// ValueInfoProto name 1, type 2 -> TypeProto tensor_type 1 -> elem_type 1,
// shape 2 -> dim 1 -> dim_value 1 | dim_param 2. The first dim is "N".
Writer value_info(const std::string& name, const std::vector<std::int64_t>& dims_after_batch) {
  Writer shape;
  Writer batch;
  batch.string_field(2, "N");
  shape.message_field(1, batch);
  for (std::int64_t d : dims_after_batch) {
    Writer dim;
    dim.varint_field(1, static_cast<std::uint64_t>(d));
    shape.message_field(1, dim);
  }
  Writer tensor_type;
  tensor_type.varint_field(1, kFloat);
  tensor_type.message_field(2, shape);
  Writer type;
  type.message_field(1, tensor_type);
  Writer info;
  info.string_field(1, name);
  info.message_field(2, type);
  return info;
}

// AttributeProto: name 1, f 2, i 3, ints 8, type 20 (FLOAT 1, INT 2, INTS 7).
Writer ints_attribute(const std::string& name, const std::vector<std::int64_t>& values) {
  Writer a;
  a.string_field(1, name);
  for (std::int64_t v : values) a.varint_field(8, static_cast<std::uint64_t>(v));
  a.varint_field(20, 7);
  return a;
}
Writer int_attribute(const std::string& name, std::int64_t value) {
  Writer a;
  a.string_field(1, name);
  a.varint_field(3, static_cast<std::uint64_t>(value));
  a.varint_field(20, 2);
  return a;
}

// NodeProto: input 1, output 2, name 3, op_type 4, attribute 5.
Writer node(const std::string& op, const std::string& name, const std::vector<std::string>& inputs,
            const std::string& output, const std::vector<Writer>& attributes = {}) {
  Writer n;
  for (const std::string& in : inputs) n.string_field(1, in);
  n.string_field(2, output);
  n.string_field(3, name);
  n.string_field(4, op);
  for (const Writer& a : attributes) n.message_field(5, a);
  return n;
}

}  // namespace

std::vector<std::uint8_t> save_onnx(const Model& model) {
  const ModelSpec& spec = model.spec();
  const auto& params = model.params();
  Writer graph;
  std::vector<Writer> initializers;
  std::string current = "image";
  int h = spec.height, w = spec.width, c = spec.channels;
  bool flat = false;
  std::size_t param = 0;
  int convs = 0, denses = 0, relus = 0, pools = 0;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& l = spec.layers[i];
    std::string name, out;
    switch (l.kind) {
      case LayerKind::conv3x3: {
        name = "conv" + std::to_string(++convs);
        const Tensor& weight = *params[param++].value;  // (Co,3,3,Ci)
        const Tensor& bias = *params[param++].value;
        const int co = l.units;
        std::vector<float> oihw(weight.size());
        for (int o = 0; o < co; ++o) {
          for (int ky = 0; ky < 3; ++ky) {
            for (int kx = 0; kx < 3; ++kx) {
              for (int ci = 0; ci < c; ++ci) {
                oihw[((static_cast<std::size_t>(o) * c + ci) * 3 + ky) * 3 + kx] = weight.data[((static_cast<std::size_t>(o) * 3 + ky) * 3 + kx) * c + ci];
              }
            }
          }
        }
        initializers.push_back(tensor(name + ".weight", {co, c, 3, 3}, oihw));
        initializers.push_back(tensor(name + ".bias", {co}, std::vector<float>(bias.data.begin(), bias.data.end())));
        out = name + "_out";
        graph.message_field(1, node("Conv", name, {current, name + ".weight", name + ".bias"}, out,
                                    {ints_attribute("kernel_shape", {3, 3}), ints_attribute("pads", {1, 1, 1, 1}),
                                     ints_attribute("strides", {1, 1})}));
        c = co;
        break;
      }
      case LayerKind::relu:
        name = "relu" + std::to_string(++relus);
        out = name + "_out";
        graph.message_field(1, node("Relu", name, {current}, out));
        break;
      case LayerKind::maxpool2x2:
        name = "pool" + std::to_string(++pools);
        out = name + "_out";
        graph.message_field(1, node("MaxPool", name, {current}, out,
                                    {ints_attribute("kernel_shape", {2, 2}), ints_attribute("strides", {2, 2})}));
        h /= 2, w /= 2;
        break;
      case LayerKind::dropout:
        continue;  // inference: nothing to do
      case LayerKind::dense: {
        if (!flat) {
          graph.message_field(1, node("Flatten", "flatten", {current}, "flatten_out", {int_attribute("axis", 1)}));
          current = "flatten_out";
        }
        name = "dense" + std::to_string(++denses);
        const Tensor& weight = *params[param++].value;  // (O, I), I in (h, w, c) order when it follows a convolution
        const Tensor& bias = *params[param++].value;
        const int outputs = l.units, inputs = weight.shape[1];
        std::vector<float> rows(weight.size());
        for (int o = 0; o < outputs; ++o) {
          const float* src = weight.data.data() + static_cast<std::size_t>(o) * inputs;
          float* dst = rows.data() + static_cast<std::size_t>(o) * inputs;
          if (flat) {
            std::copy(src, src + inputs, dst);
            continue;
          }
          for (int y = 0; y < h; ++y) {
            for (int x = 0; x < w; ++x) {
              for (int ch = 0; ch < c; ++ch) dst[(static_cast<std::size_t>(ch) * h + y) * w + x] = src[(static_cast<std::size_t>(y) * w + x) * c + ch];
            }
          }
        }
        flat = true;
        initializers.push_back(tensor(name + ".weight", {outputs, inputs}, rows));
        initializers.push_back(tensor(name + ".bias", {outputs}, std::vector<float>(bias.data.begin(), bias.data.end())));
        out = name + "_out";
        graph.message_field(1, node("Gemm", name, {current, name + ".weight", name + ".bias"}, out,
                                    {int_attribute("transB", 1)}));
        break;
      }
    }
    current = out;
  }
  graph.message_field(1, node("Softmax", "softmax", {current}, "probabilities", {int_attribute("axis", 1)}));
  graph.string_field(2, "digits");
  for (const Writer& t : initializers) graph.message_field(5, t);
  graph.message_field(11, value_info("image", {spec.channels, spec.height, spec.width}));
  graph.message_field(12, value_info("probabilities", {model.num_classes()}));

  Writer opset;
  opset.string_field(1, "");
  opset.varint_field(2, kOnnxOpset);
  Writer m;  // ModelProto: ir_version 1, producer_name 2, producer_version 3, graph 7, opset_import 8
  m.varint_field(1, kOnnxIrVersion);
  m.string_field(2, "mnist-in-the-browser");
  m.string_field(3, "1");
  m.message_field(7, graph);
  m.message_field(8, opset);
  return std::move(m.out);
}

}  // namespace mnist
