#pragma once

#include <string>
#include <utility>
#include <variant>

namespace dce {

/// A failure described for a person: what failed, on which value, and what
/// to do about it where that is known.
struct Error {
  std::string message;
};

/// A value or the Error that prevented it. Engine calls and parsers return
/// one so that the caller has to look at the failure.
///
/// A small stand-in for std::expected, which libstdc++ 12 has only for
/// C++23 and which clang 14 (used by clang-tidy) cannot compile.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  const T& value() const& { return std::get<T>(state_); }
  T& value() & { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }

  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

}  // namespace dce
