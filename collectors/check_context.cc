#include "collectors/check_context.h"

namespace dce {

const nlohmann::json* FindPath(const nlohmann::json& document,
                               std::string_view dotted_path) {
  const nlohmann::json* current = &document;
  while (true) {
    const auto dot = dotted_path.find('.');
    const std::string key(dotted_path.substr(0, dot));
    if (!current->is_object()) {
      return nullptr;
    }
    const auto member = current->find(key);
    if (member == current->end()) {
      return nullptr;
    }
    current = &*member;
    if (dot == std::string_view::npos) {
      return current;
    }
    dotted_path.remove_prefix(dot + 1);
  }
}

std::optional<double> NumberAt(const nlohmann::json& document,
                               std::string_view dotted_path) {
  const auto* value = FindPath(document, dotted_path);
  if (value == nullptr || !value->is_number()) {
    return std::nullopt;
  }
  return value->get<double>();
}

}  // namespace dce
