#include "collectors/engine_fields.h"

#include <string>
#include <string_view>
#include <vector>

namespace dce {

using nlohmann::json;

Lookup ReadField(const json& document, std::string_view dotted_path,
                 FieldType type, std::string_view label) {
  const std::string name(label.empty() ? dotted_path : label);

  const json* value = FindPath(document, dotted_path);
  if (value == nullptr) {
    return {nullptr, Unknown(name + " is missing")};
  }
  if (!HasType(*value, type)) {
    return {nullptr, Unknown(TypeMismatch(name, *value, type))};
  }
  return {value, {}};
}

Lookup ReadInfoField(const EngineContext& context, std::string_view dotted_path,
                     FieldType type) {
  if (context.info == nullptr) {
    return {nullptr, Unknown("the /info document is not available")};
  }
  return ReadField(*context.info, dotted_path, type);
}

Lookup ReadInfoName(const EngineContext& context,
                    std::string_view dotted_path) {
  Lookup name = ReadInfoField(context, dotted_path, FieldType::kString);
  if (name.value != nullptr &&
      name.value->get_ref<const std::string&>() == "") {
    return {nullptr, Unknown(std::string(dotted_path) + " is empty")};
  }
  return name;
}

CheckResult JudgeInfoFlag(const EngineContext& context,
                          std::string_view dotted_path, bool expected) {
  const Lookup flag = ReadInfoField(context, dotted_path, FieldType::kBoolean);
  if (flag.value == nullptr) {
    return flag.fallback;
  }

  const bool value = flag.value->get<bool>();
  const std::string reason =
      std::string(dotted_path) + (value ? " is true" : " is false");
  return {value == expected ? Outcome::kPass : Outcome::kFail, reason};
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) {
    if (!joined.empty()) {
      joined += ", ";
    }
    joined += name;
  }
  return joined;
}

Lookup ReadNetworks(const EngineContext& context) {
  if (context.networks == nullptr) {
    return {nullptr, Unknown("the /networks document is not available")};
  }
  if (!context.networks->is_array()) {
    return {nullptr,
            Unknown(std::string("the /networks document is ") +
                    context.networks->type_name() + ", expected an array")};
  }
  return {context.networks, {}};
}

Lookup ReadNetworkName(const json& network) {
  return ReadField(network, "Name", FieldType::kString, "a network's Name");
}

Lookup ReadNetworkOptions(const json& network, const std::string& name) {
  return ReadField(network, "Options", FieldType::kObjectOrNull,
                   "Options of network " + name);
}

}  // namespace dce
