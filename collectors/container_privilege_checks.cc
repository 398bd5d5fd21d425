// Container checks on the privileges that a container and its exec
// instances run with: capabilities, privileged mode, the user namespace
// and the user.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// Returns "A", "A and B", or "A, B and C".
std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) {
      joined += i + 1 == names.size() ? " and " : ", ";
    }
    joined += names[i];
  }
  return joined;
}

// Returns a capability name in upper case without the `CAP_` prefix, so
// `cap_sys_admin` and `SYS_ADMIN` compare equal.
std::string NormalizeCapability(std::string_view name) {
  std::string normalized(name);
  std::transform(
      normalized.begin(), normalized.end(), normalized.begin(),
      [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  if (normalized.starts_with("CAP_")) {
    normalized.erase(0, 4);
  }
  return normalized;
}

// The capabilities Docker grants every container. The API does not report
// the set, so it is fixed here.
// NOTE: Podman's default set (containers.conf in containers/common) lacks
// MKNOD, NET_RAW and AUDIT_WRITE, so adding one of them on Podman passes.
constexpr std::array<std::string_view, 14> kDefaultCapabilities = {
    "CHOWN",   "DAC_OVERRIDE", "FSETID",           "FOWNER",
    "MKNOD",   "NET_RAW",      "SETGID",           "SETUID",
    "SETFCAP", "SETPCAP",      "NET_BIND_SERVICE", "SYS_CHROOT",
    "KILL",    "AUDIT_WRITE"};

// Returns whether `user`, in the `user[:group]` form of `Config.User` and
// of exec instances, names root. An empty user runs as root, the engine's
// default. Only the user part counts, so `1000:0` is not root.
bool IsRootUser(std::string_view user) {
  return user.empty() || user == "root" || user == "0" ||
         user.starts_with("root:") || user.starts_with("0:");
}

// The documents of a container's retained exec instances, or the result
// that decides an exec check without them.
struct ExecInstances {
  const std::vector<json>* documents = nullptr;
  CheckResult result;
};

ExecInstances FindExecInstances(const ContainerContext& context) {
  ExecInstances instances;
  const auto exec_ids = ReadStringList(context.inspect, "ExecIDs");
  if (!exec_ids.value) {
    instances.result = exec_ids.unknown;
    return instances;
  }
  if (exec_ids.value->empty()) {
    instances.result = {Outcome::kPass, "no retained exec instances"};
    return instances;
  }
  if (context.execs == nullptr) {
    instances.result = {
        Outcome::kUnknown,
        "ExecIDs is not empty but the exec documents are not available"};
    return instances;
  }
  instances.documents = context.execs;
  return instances;
}

// Returns the name reasons use for an exec instance: its ID shortened to 12
// characters, as `docker` shows IDs, or its position when it has no ID.
std::string ExecName(const json& exec, std::size_t index) {
  const json* id = FindPath(exec, "ID");
  if (id != nullptr && id->is_string() &&
      !id->get_ref<const std::string&>().empty()) {
    return "exec " + id->get<std::string>().substr(0, 12);
  }
  return "exec #" + std::to_string(index + 1);
}

// Reads the user an exec instance runs as. dockerd leaves `user` out when it
// is empty (`json:"user,omitempty"` on ExecProcessConfig in moby's
// api/types/backend), so an absent `user` under a present `ProcessConfig`
// reads as empty: the exec runs as the container's user.
Field<std::string> ReadExecUser(const json& exec, std::string_view source) {
  Field<std::string> field;
  const json* process_config =
      FindMember(exec, "ProcessConfig", source, &field.unknown);
  if (process_config == nullptr) {
    return field;
  }
  if (!process_config->is_object()) {
    field.unknown =
        WrongType(source, "ProcessConfig", *process_config, "an object");
    return field;
  }
  if (!process_config->contains("user")) {
    field.value.emplace();
    return field;
  }
  return ReadString(exec, "ProcessConfig.user", source);
}

}  // namespace

CheckResult CheckCapabilitiesRestricted(const ContainerContext& context) {
  const auto added = ReadStringList(context.inspect, "HostConfig.CapAdd");
  if (!added.value) {
    return added.unknown;
  }

  std::vector<std::string> outside_default;
  for (const std::string& capability : *added.value) {
    const std::string normalized = NormalizeCapability(capability);
    if (normalized == "ALL") {
      return {Outcome::kFail, "HostConfig.CapAdd contains ALL"};
    }
    const bool is_default =
        std::find(kDefaultCapabilities.begin(), kDefaultCapabilities.end(),
                  normalized) != kDefaultCapabilities.end();
    if (!is_default) {
      outside_default.push_back(normalized);
    }
  }

  if (!outside_default.empty()) {
    return {Outcome::kFail, "HostConfig.CapAdd contains " +
                                JoinNames(outside_default) +
                                ", outside the default set"};
  }
  if (added.value->empty()) {
    return {Outcome::kPass, "HostConfig.CapAdd is empty"};
  }
  return {Outcome::kPass,
          "HostConfig.CapAdd contains only capabilities of the default set"};
}

CheckResult CheckPrivileged(const ContainerContext& context) {
  const auto privileged = ReadBool(context.inspect, "HostConfig.Privileged");
  if (!privileged.value) {
    return privileged.unknown;
  }
  if (*privileged.value) {
    return {Outcome::kFail, "HostConfig.Privileged is true"};
  }
  return {Outcome::kPass, "HostConfig.Privileged is false"};
}

CheckResult CheckExecPrivileged(const ContainerContext& context) {
  const ExecInstances instances = FindExecInstances(context);
  if (instances.documents == nullptr) {
    return instances.result;
  }

  // A privileged instance fails the check even when another one cannot be
  // read, so keep looking after an unknown.
  std::optional<CheckResult> first_unknown;
  for (std::size_t i = 0; i < instances.documents->size(); ++i) {
    const json& exec = (*instances.documents)[i];
    const std::string name = ExecName(exec, i);
    const auto privileged = ReadBool(exec, "ProcessConfig.privileged", name);
    if (!privileged.value) {
      if (!first_unknown) {
        first_unknown = privileged.unknown;
      }
      continue;
    }
    if (*privileged.value) {
      return {Outcome::kFail, name + ": ProcessConfig.privileged is true"};
    }
  }

  if (first_unknown) {
    return *first_unknown;
  }
  return {Outcome::kPass, "no retained exec instance is privileged"};
}

CheckResult CheckExecAsRoot(const ContainerContext& context) {
  const auto running = ReadBool(context.inspect, "State.Running");
  if (!running.value) {
    return running.unknown;
  }
  if (!*running.value) {
    return {Outcome::kNotApplicable, "State.Running is false"};
  }

  const ExecInstances instances = FindExecInstances(context);
  if (instances.documents == nullptr) {
    return instances.result;
  }

  // An exec without a user runs as the container's user. Config.User is read
  // only for such an exec, so other containers do not depend on it.
  std::optional<Field<std::string>> container_user;
  std::optional<CheckResult> first_unknown;
  for (std::size_t i = 0; i < instances.documents->size(); ++i) {
    const json& exec = (*instances.documents)[i];
    const std::string name = ExecName(exec, i);
    const auto user = ReadExecUser(exec, name);
    if (!user.value) {
      if (!first_unknown) {
        first_unknown = user.unknown;
      }
      continue;
    }

    if (!user.value->empty()) {
      if (IsRootUser(*user.value)) {
        return {Outcome::kFail,
                name + ": ProcessConfig.user is " + *user.value};
      }
      continue;
    }

    if (!container_user) {
      container_user = ReadString(context.inspect, "Config.User");
    }
    if (!container_user->value) {
      if (!first_unknown) {
        first_unknown = container_user->unknown;
      }
      continue;
    }
    if (IsRootUser(*container_user->value)) {
      return {Outcome::kFail, name +
                                  ": ProcessConfig.user is empty and "
                                  "Config.User is " +
                                  Show(*container_user->value)};
    }
  }

  if (first_unknown) {
    return *first_unknown;
  }
  return {Outcome::kPass, "no retained exec instance runs as root"};
}

CheckResult CheckHostUserns(const ContainerContext& context) {
  const auto mode = ReadString(context.inspect, "HostConfig.UsernsMode");
  if (!mode.value) {
    return mode.unknown;
  }
  const std::string reason = "HostConfig.UsernsMode is " + Show(*mode.value);
  if (*mode.value == "host") {
    return {Outcome::kFail, reason};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckNonRootUser(const ContainerContext& context) {
  const auto user = ReadString(context.inspect, "Config.User");
  if (!user.value) {
    return user.unknown;
  }
  if (user.value->empty()) {
    return {Outcome::kFail,
            "Config.User is empty, so the container runs as root"};
  }
  const std::string reason = "Config.User is " + *user.value;
  if (IsRootUser(*user.value)) {
    return {Outcome::kFail, reason};
  }
  return {Outcome::kPass, reason};
}

}  // namespace dce
