#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace dce {

/// Parses a duration as Prometheus writes them: one or more number-unit
/// pairs in decreasing unit order, such as `500ms`, `15s`, `5m` or `1h30m`.
/// Units are y (365 days), w, d, h, m, s and ms; a lone `0` is zero.
/// Returns nullopt for anything else.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);

/// Formats a duration the way ParseDuration reads it, such as `1h30m`.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace dce
