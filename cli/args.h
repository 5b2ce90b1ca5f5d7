// A tiny command-line parser: "--name value" options, "--flag" switches and
// positional arguments, with typed getters that report bad values clearly.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "status.h"

namespace mnist::cli {

class Args {
 public:
  // value_options take a value; flag_options do not. Anything else starting
  // with "--" is an error.
  static Result<Args> parse(const std::vector<std::string>& argv,
                            const std::set<std::string>& value_options,
                            const std::set<std::string>& flag_options);

  bool has(const std::string& name) const { return values_.count(name) || flags_.count(name); }
  std::string get(const std::string& name, const std::string& fallback = "") const;
  Result<int> get_int(const std::string& name, int fallback) const;
  Result<double> get_double(const std::string& name, double fallback) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::string> values_;
  std::set<std::string> flags_;
  std::vector<std::string> positional_;
};

}  // namespace mnist::cli
