// Status and Result: how the engine reports failure without exceptions.
//
// Why not exceptions: the same code is compiled to WebAssembly, where an
// exception crossing the Embind boundary is an abort, and where user input
// (a bad file, a diverging learning rate) must become a message, never a crash.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace mnist {

class Status {
 public:
  static Status ok() { return Status(); }
  static Status error(std::string message) { return Status(std::move(message)); }

  bool is_ok() const { return !message_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  // Empty when ok.
  const std::string& message() const {
    static const std::string empty;
    return message_ ? *message_ : empty;
  }

 private:
  Status() = default;
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

// A value or an error message. Access value() only when is_ok().
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {}  // NOLINT

  bool is_ok() const { return value_.has_value(); }
  explicit operator bool() const { return is_ok(); }
  const std::string& message() const { return status_.message(); }
  Status status() const { return is_ok() ? Status::ok() : status_; }

  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }

 private:
  std::optional<T> value_;
  Status status_ = Status::ok();
};

}  // namespace mnist
