#pragma once

#include <compare>
#include <optional>
#include <string>
#include <string_view>

#include "collectors/result.h"

namespace dce {

/// A Docker Engine API version, such as 1.41.
struct ApiVersion {
  int major = 0;
  int minor = 0;

  auto operator<=>(const ApiVersion&) const = default;

  /// Formats the version as the API spells it: `1.41`.
  std::string ToString() const;
};

/// Parses `MAJOR.MINOR`; returns nullopt for anything else.
std::optional<ApiVersion> ParseApiVersion(std::string_view text);

/// The oldest API the exporter supports: Docker 20.10.
inline constexpr ApiVersion kMinApiVersion{1, 41};

/// The newest API version the exporter supports: Docker 27. A newer engine
/// is sent requests in this version, which newer engines still serve.
inline constexpr ApiVersion kMaxApiVersion{1, 47};

/// The fields of `GET /version` that the exporter uses.
struct EngineVersion {
  std::string engine_version;
  ApiVersion api_version;
  std::string os;
  std::string arch;
};

/// Parses the body of `GET /version`.
Result<EngineVersion> ParseEngineVersion(std::string_view body);

/// Chooses the API version to speak: the engine's, capped at
/// kMaxApiVersion. Fails for an engine older than kMinApiVersion.
Result<ApiVersion> NegotiateApiVersion(const EngineVersion& engine);

}  // namespace dce
