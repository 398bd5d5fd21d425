#include "collectors/checks.h"

namespace dce {

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kPass:
      return "pass";
    case Outcome::kFail:
      return "fail";
    case Outcome::kNotApplicable:
      return "not_applicable";
    case Outcome::kUnknown:
      return "unknown";
  }
  return "unknown";
}

CheckResult CheckRootfsReadonly(const nlohmann::json& inspect) {
  const auto host_config = inspect.find("HostConfig");
  if (host_config == inspect.end() || !host_config->is_object()) {
    return {Outcome::kUnknown, "HostConfig is missing or not an object"};
  }

  const auto readonly = host_config->find("ReadonlyRootfs");
  if (readonly == host_config->end()) {
    return {Outcome::kUnknown, "HostConfig.ReadonlyRootfs is missing"};
  }
  if (!readonly->is_boolean()) {
    return {Outcome::kUnknown, "HostConfig.ReadonlyRootfs is " +
                                   std::string(readonly->type_name()) +
                                   ", expected a boolean"};
  }

  if (readonly->get<bool>()) {
    return {Outcome::kPass, "the root filesystem is read-only"};
  }
  return {Outcome::kFail, "the root filesystem is writable"};
}

}  // namespace dce
