#include "collectors/container_document.h"

namespace dce {

std::string StripLeadingSlash(std::string_view name) {
  if (name.starts_with('/')) {
    name.remove_prefix(1);
  }
  return std::string(name);
}

std::string StringFieldOr(const nlohmann::json& document, const char* key,
                          std::string_view fallback) {
  if (!document.is_object()) {
    return std::string(fallback);
  }
  const auto field = document.find(key);
  if (field == document.end() || !field->is_string()) {
    return std::string(fallback);
  }
  return field->get<std::string>();
}

Result<std::vector<ContainerSummary>> ParseContainerList(
    std::string_view body) {
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) {
    return Error{"the container list is not valid JSON"};
  }
  if (!document.is_array()) {
    return Error{"the container list is not a JSON array"};
  }

  std::vector<ContainerSummary> containers;
  containers.reserve(document.size());
  for (const auto& entry : document) {
    const std::string id = StringFieldOr(entry, "Id", "");
    if (id.empty()) {
      return Error{"a container list entry has no string Id"};
    }

    ContainerSummary summary{id, "", {}, "", ""};
    const auto names = entry.find("Names");
    if (names != entry.end() && names->is_array() && !names->empty() &&
        names->front().is_string()) {
      summary.name = StripLeadingSlash(names->front().get<std::string>());
    }
    const auto labels = entry.find("Labels");
    if (labels != entry.end() && labels->is_object()) {
      for (const auto& [key, value] : labels->items()) {
        if (value.is_string()) {
          summary.labels.emplace(key, value.get<std::string>());
        }
      }
    }
    summary.state = StringFieldOr(entry, "State", "");
    summary.image_id = StringFieldOr(entry, "ImageID", "");
    containers.push_back(std::move(summary));
  }
  return containers;
}

Result<nlohmann::json> ParseContainerInspect(std::string_view body) {
  auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) {
    return Error{"the container document is not valid JSON"};
  }
  if (!document.is_object()) {
    return Error{"the container document is not a JSON object"};
  }
  if (StringFieldOr(document, "Id", "").empty()) {
    return Error{"the container document has no string Id"};
  }
  return document;
}

}  // namespace dce
