#include "args.h"

#include <cmath>
#include <cstdlib>

namespace mnist::cli {

Result<Args> Args::parse(const std::vector<std::string>& argv,
                         const std::set<std::string>& value_options,
                         const std::set<std::string>& flag_options) {
  Args args;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      args.positional_.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) value = name.substr(eq + 1), name = name.substr(0, eq);
    if (flag_options.count(name)) {
      if (inline_value) return Status::error("--" + name + " takes no value");
      args.flags_.insert(name);
    } else if (value_options.count(name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) return Status::error("--" + name + " needs a value");
        value = argv[++i];
      }
      args.values_[name] = value;
    } else {
      return Status::error("unknown option --" + name);
    }
  }
  return args;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
  auto it = values_.find(name);
  return it == values_.end() ? fallback : it->second;
}

Result<int> Args::get_int(const std::string& name, int fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  const long v = std::strtol(it->second.c_str(), &end, 10);
  if (it->second.empty() || *end != '\0' || v < -2147483647L || v > 2147483647L) {
    return Status::error("--" + name + " needs a whole number, not '" + it->second + "'");
  }
  return static_cast<int>(v);
}

Result<double> Args::get_double(const std::string& name, double fallback) const {
  auto it = values_.find(name);
  if (it == values_.end()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(it->second.c_str(), &end);
  if (it->second.empty() || *end != '\0' || !std::isfinite(v)) {
    return Status::error("--" + name + " needs a number, not '" + it->second + "'");
  }
  return v;
}

}  // namespace mnist::cli
