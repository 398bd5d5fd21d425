#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/result.h"

namespace dce {

/// One entry of `GET /containers/json`.
struct ContainerSummary {
  std::string id;
  /// The first of the entry's names, without the leading slash.
  std::string name;
  /// `Labels`, keeping string values only.
  std::map<std::string, std::string, std::less<>> labels;
  /// `State`, such as `running`; empty when absent.
  std::string state;
  /// `ImageID`; empty when absent.
  std::string image_id;
};

/// Parses the body of `GET /containers/json`: a JSON array of objects, each
/// with a string `Id`. Rejects the whole list otherwise.
Result<std::vector<ContainerSummary>> ParseContainerList(std::string_view body);

/// Parses the body of `GET /containers/{id}/json`: a JSON object with a
/// string `Id`. Other fields are left for the checks to judge one by one,
/// so a field of the wrong type affects only the checks that read it.
Result<nlohmann::json> ParseContainerInspect(std::string_view body);

/// Returns a container name as `docker ps` shows it: `/web` becomes `web`.
std::string StripLeadingSlash(std::string_view name);

/// Returns the string at `document[key]`, or `fallback` when it is absent
/// or not a string.
std::string StringFieldOr(const nlohmann::json& document, const char* key,
                          std::string_view fallback);

}  // namespace dce
