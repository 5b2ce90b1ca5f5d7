#include "model/model_spec.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace mnist {

namespace {

// Limits that keep a corrupt or hostile spec from allocating gigabytes.
constexpr int kMaxSide = 1024;
constexpr int kMaxChannels = 4096;
constexpr int kMaxUnits = 65536;
constexpr int kMaxLayers = 64;
constexpr double kMaxParameters = 64.0 * 1024 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    std::size_t at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return parts;
}

std::vector<std::string_view> words(std::string_view s) {
  std::vector<std::string_view> out;
  for (auto w : split(trim(s), ' ')) {
    if (!trim(w).empty()) out.push_back(trim(w));
  }
  return out;
}

bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_float(std::string_view s, float& out) {
  // from_chars for float is missing in some standard libraries; strtof on a copy.
  std::string copy(s);
  char* end = nullptr;
  out = std::strtof(copy.c_str(), &end);
  return !copy.empty() && end == copy.c_str() + copy.size() && std::isfinite(out);
}

std::string format_float(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
  return buf;
}

}  // namespace

std::string format_spec(const ModelSpec& spec) {
  std::string s = "input " + std::to_string(spec.height) + "x" + std::to_string(spec.width) + "x" +
                  std::to_string(spec.channels);
  for (const LayerSpec& l : spec.layers) {
    switch (l.kind) {
      case LayerKind::conv3x3: s += "; conv3x3 " + std::to_string(l.units); break;
      case LayerKind::maxpool2x2: s += "; maxpool2x2"; break;
      case LayerKind::relu: s += "; relu"; break;
      case LayerKind::dropout: s += "; dropout " + format_float(l.keep_prob); break;
      case LayerKind::dense: s += "; dense " + std::to_string(l.units); break;
    }
  }
  if (spec.init == InitKind::zeros) {
    s += "; init zeros";
  } else if (spec.init == InitKind::he) {
    s += "; init he";
  } else {
    s += "; init truncated_normal " + format_float(spec.init_stddev) + " " +
         format_float(spec.init_bias);
  }
  return s;
}

Result<ModelSpec> parse_spec(std::string_view text) {
  auto fail = [](const std::string& why) {
    return Result<ModelSpec>(Status::error("invalid model spec: " + why));
  };
  if (text.size() > 4096) return fail("longer than 4096 characters");
  auto clauses = split(text, ';');
  if (clauses.size() > kMaxLayers + 2) return fail("more than 64 layers");

  ModelSpec spec;
  bool seen_input = false, seen_init = false;
  int h = 0, w = 0, c = 0;  // running activation shape
  double params = 0;
  for (std::size_t i = 0; i < clauses.size(); ++i) {
    auto wds = words(clauses[i]);
    if (wds.empty()) return fail("empty clause " + std::to_string(i + 1));
    const std::string_view op = wds[0];
    const std::string where = "'" + std::string(trim(clauses[i])) + "'";
    if (i == 0) {
      if (op != "input" || wds.size() != 2) return fail("must start with 'input HxWxC'");
      auto dims = split(wds[1], 'x');
      if (dims.size() != 3 || !parse_int(dims[0], h) || !parse_int(dims[1], w) ||
          !parse_int(dims[2], c) || h < 1 || w < 1 || c < 1 || h > kMaxSide || w > kMaxSide ||
          c > kMaxChannels) {
        return fail("bad input shape in " + where);
      }
      spec.height = h, spec.width = w, spec.channels = c;
      seen_input = true;
      continue;
    }
    if (seen_init) return fail("'init' must be the last clause");
    LayerSpec layer{};
    if (op == "conv3x3" || op == "dense") {
      int units = 0;
      if (wds.size() != 2 || !parse_int(wds[1], units) || units < 1 ||
          units > (op == "dense" ? kMaxUnits : kMaxChannels)) {
        return fail("bad unit count in " + where);
      }
      layer.kind = op == "dense" ? LayerKind::dense : LayerKind::conv3x3;
      layer.units = units;
      if (layer.kind == LayerKind::conv3x3) {
        if (w == 0) return fail(where + " after a dense layer");
        params += 9.0 * c * units + units;
        c = units;
      } else {
        params += static_cast<double>(h) * (w ? w : 1) * c * units + units;
        h = units, w = 0, c = 1;  // w == 0 marks a flat (B,I) activation
      }
    } else if (op == "maxpool2x2" || op == "relu") {
      if (wds.size() != 1) return fail("unexpected argument in " + where);
      layer.kind = op == "relu" ? LayerKind::relu : LayerKind::maxpool2x2;
      if (layer.kind == LayerKind::maxpool2x2) {
        if (w == 0) return fail(where + " after a dense layer");
        h = (h + 1) / 2, w = (w + 1) / 2;
      }
    } else if (op == "dropout") {
      float keep = 0;
      if (wds.size() != 2 || !parse_float(wds[1], keep) || !(keep > 0.0f) || keep > 1.0f) {
        return fail("dropout needs a keep probability in (0, 1] in " + where);
      }
      layer.kind = LayerKind::dropout;
      layer.keep_prob = keep;
    } else if (op == "init") {
      if (wds.size() == 2 && wds[1] == "zeros") {
        spec.init = InitKind::zeros;
      } else if (wds.size() == 2 && wds[1] == "he") {
        spec.init = InitKind::he;
      } else if (wds.size() == 4 && wds[1] == "truncated_normal" &&
                 parse_float(wds[2], spec.init_stddev) && parse_float(wds[3], spec.init_bias) &&
                 spec.init_stddev >= 0.0f) {
        spec.init = InitKind::truncated_normal;
      } else {
        return fail("bad initialiser in " + where);
      }
      seen_init = true;
      continue;
    } else {
      return fail("unknown layer '" + std::string(op) + "'");
    }
    if (params > kMaxParameters) return fail("more than 64M parameters");
    spec.layers.push_back(layer);
  }
  if (!seen_input) return fail("missing input");
  if (spec.layers.empty() || spec.layers.back().kind != LayerKind::dense) {
    return fail("the last layer must be dense (the class scores)");
  }
  const int classes = spec.layers.back().units;
  if (classes < 2 || classes > 256) return fail("the last dense layer needs 2 to 256 classes");
  return spec;
}

ModelSpec softmax_spec() {
  ModelSpec spec;
  spec.layers = {{LayerKind::dense, 10, 1.0f}};
  spec.init = InitKind::zeros;
  return spec;
}

ModelSpec cnn_spec() {
  ModelSpec spec;
  spec.layers = {
      {LayerKind::conv3x3, 32, 1.0f}, {LayerKind::relu, 0, 1.0f},   {LayerKind::maxpool2x2, 0, 1.0f},
      {LayerKind::conv3x3, 64, 1.0f}, {LayerKind::relu, 0, 1.0f},   {LayerKind::maxpool2x2, 0, 1.0f},
      {LayerKind::dense, 1024, 1.0f}, {LayerKind::relu, 0, 1.0f},   {LayerKind::dropout, 0, 0.5f},
      {LayerKind::dense, 10, 1.0f},
  };
  spec.init = InitKind::truncated_normal;
  spec.init_stddev = 0.1f;
  spec.init_bias = 0.1f;
  return spec;
}

Result<ModelSpec> preset_spec(std::string_view name) {
  if (name == "softmax") return softmax_spec();
  if (name == "cnn") return cnn_spec();
  return Status::error("unknown model '" + std::string(name) + "': choose softmax or cnn");
}

Result<ModelSpec> apply_choices(ModelSpec spec, const SpecChoices& choices) {
  if (choices.initializer == "he") {
    spec.init = InitKind::he;
  } else if (choices.initializer != "tutorial") {
    return Status::error("unknown initializer '" + choices.initializer + "': choose tutorial or he");
  }
  if (choices.dropout >= 0.0f) {
    if (!(choices.dropout < 1.0f)) return Status::error("the dropout rate must be at least 0 and below 1");
    bool any = false;
    for (LayerSpec& l : spec.layers) {
      if (l.kind == LayerKind::dropout) l.keep_prob = 1.0f - choices.dropout, any = true;
    }
    if (!any && choices.dropout > 0.0f) return Status::error("this model has no dropout layer");
  }
  return spec;
}

bool same_layers(const ModelSpec& a, const ModelSpec& b) {
  if (a.height != b.height || a.width != b.width || a.channels != b.channels || a.layers.size() != b.layers.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.layers.size(); ++i) {
    if (a.layers[i].kind != b.layers[i].kind || a.layers[i].units != b.layers[i].units) return false;
  }
  return true;
}

}  // namespace mnist
