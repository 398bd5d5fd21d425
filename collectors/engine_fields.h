#pragma once

// Helpers that the engine check files share to read the documents of
// `GET /info` and `GET /networks`. The typed reading itself is in
// check_fields.h.

#include <algorithm>
#include <array>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"

namespace dce {

/// Returns whether `values` contains `value`.
template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& values,
              std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

/// A JSON value a check needs, or the result the check returns without it.
struct Lookup {
  const nlohmann::json* value = nullptr;
  /// The check's result when `value` is null: unknown, or not applicable.
  CheckResult fallback;
};

/// Reads the member at `dotted_path` and requires it to be of `type`.
/// Reasons name the member `label`, or `dotted_path` when `label` is empty.
Lookup ReadField(const nlohmann::json& document, std::string_view dotted_path,
                 FieldType type, std::string_view label = {});

/// Reads a member of `/info` as ReadField does, or returns an unknown
/// fallback when `/info` was not fetched.
Lookup ReadInfoField(const EngineContext& context, std::string_view dotted_path,
                     FieldType type);

/// Reads a string field of `/info` that names a setting, such as `Driver`.
/// An empty string names nothing, so it is unknown, not a value to judge.
Lookup ReadInfoName(const EngineContext& context, std::string_view dotted_path);

/// Judges a boolean field of `/info` that passes when it equals `expected`.
CheckResult JudgeInfoFlag(const EngineContext& context,
                          std::string_view dotted_path, bool expected);

/// Returns the names separated by commas, as in "a, b, c".
std::string JoinNames(const std::vector<std::string>& names);

/// Reads `GET /networks` and requires it to be an array.
Lookup ReadNetworks(const EngineContext& context);

/// Reads the `Name` of one entry of `GET /networks`.
Lookup ReadNetworkName(const nlohmann::json& network);

/// Reads the `Options` of the network `name`, which is an object or null.
Lookup ReadNetworkOptions(const nlohmann::json& network,
                          const std::string& name);

}  // namespace dce
