#include "exporter/duration.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <limits>

namespace dce {
namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t milliseconds;
};

// Ordered from the largest unit down, as a duration must list them. `ms`
// precedes `m` so that the longer suffix is tried first at the end.
constexpr std::array<Unit, 7> kUnits = {{
    {"y", 365LL * 24 * 3600 * 1000},
    {"w", 7LL * 24 * 3600 * 1000},
    {"d", 24LL * 3600 * 1000},
    {"h", 3600LL * 1000},
    {"m", 60LL * 1000},
    {"s", 1000},
    {"ms", 1},
}};

}  // namespace

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  if (text == "0") {
    return std::chrono::milliseconds(0);
  }
  if (text.empty()) {
    return std::nullopt;
  }

  std::int64_t total = 0;
  std::size_t next_unit = 0;
  while (!text.empty()) {
    std::int64_t number = 0;
    std::size_t digits = 0;
    while (digits < text.size() &&
           std::isdigit(static_cast<unsigned char>(text[digits])) != 0) {
      const std::int64_t digit = text[digits] - '0';
      if (number > (std::numeric_limits<std::int64_t>::max() - digit) / 10) {
        return std::nullopt;
      }
      number = number * 10 + digit;
      ++digits;
    }
    if (digits == 0) {
      return std::nullopt;
    }
    text.remove_prefix(digits);

    // Match the unit: `ms` must win over `m` when both could apply.
    std::optional<std::size_t> matched;
    for (std::size_t u = next_unit; u < kUnits.size(); ++u) {
      if (!text.starts_with(kUnits[u].suffix)) {
        continue;
      }
      const std::string_view rest = text.substr(kUnits[u].suffix.size());
      if (kUnits[u].suffix == "m" && rest.starts_with('s')) {
        continue;
      }
      matched = u;
      break;
    }
    if (!matched) {
      return std::nullopt;
    }

    const std::int64_t scale = kUnits[*matched].milliseconds;
    if (number > (std::numeric_limits<std::int64_t>::max() - total) / scale) {
      return std::nullopt;
    }
    total += number * scale;
    text.remove_prefix(kUnits[*matched].suffix.size());
    next_unit = *matched + 1;
  }
  return std::chrono::milliseconds(total);
}

std::string FormatDuration(std::chrono::milliseconds duration) {
  std::int64_t remaining = duration.count();
  if (remaining <= 0) {
    return "0s";
  }
  std::string text;
  for (const auto& unit : kUnits) {
    const std::int64_t count = remaining / unit.milliseconds;
    if (count > 0) {
      text += std::to_string(count) + std::string(unit.suffix);
      remaining -= count * unit.milliseconds;
    }
  }
  return text;
}

}  // namespace dce
