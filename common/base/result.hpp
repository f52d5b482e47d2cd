// Result<T>: a value or an error message, for expected failures (bad input, Redis trouble).
// Exceptions are kept for startup; everything on the request path returns one of these.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace seckill {

/// Why an operation failed, in words fit for a log line or a 4000 message.
struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { return std::get<1>(state_); }

 private:
  std::variant<T, Error> state_;
};

/// For operations that return nothing but may fail.
struct Done {};
using Status = Result<Done>;

}  // namespace seckill
