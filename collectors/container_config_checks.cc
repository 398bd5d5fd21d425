#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// A field's value, or the unknown result that names why it could not be
// read.
template <typename T>
struct Field {
  std::optional<T> value;
  CheckResult unknown;
};

// Returns `path` prefixed with the name of its document, such as "/info" or
// "exec 1a2b3c4d5e6f". The container's inspect document has no name, so its
// paths stay bare.
std::string Qualify(std::string_view source, std::string_view path) {
  std::string name;
  if (!source.empty()) {
    name = std::string(source) + ": ";
  }
  name += path;
  return name;
}

CheckResult Missing(std::string_view source, std::string_view path) {
  return {Outcome::kUnknown, Qualify(source, path) + " is missing"};
}

CheckResult WrongType(std::string_view source, std::string_view path,
                      const json& value, std::string_view expected) {
  return {Outcome::kUnknown, Qualify(source, path) + " is " +
                                 value.type_name() + ", expected " +
                                 std::string(expected)};
}

// Returns the member at the dotted `path`, or null after setting `unknown`.
const json* FindMember(const json& document, std::string_view path,
                       std::string_view source, CheckResult* unknown) {
  const json* member = FindPath(document, path);
  if (member != nullptr) {
    return member;
  }

  // Name the first member on the way that stops the lookup, so the reason
  // points at the value that is absent or has the wrong type.
  for (auto dot = path.find('.'); dot != std::string_view::npos;
       dot = path.find('.', dot + 1)) {
    const std::string_view parent_path = path.substr(0, dot);
    const json* parent = FindPath(document, parent_path);
    if (parent == nullptr) {
      *unknown = Missing(source, parent_path);
      return nullptr;
    }
    if (!parent->is_object()) {
      *unknown = WrongType(source, parent_path, *parent, "an object");
      return nullptr;
    }
  }
  *unknown = Missing(source, path);
  return nullptr;
}

Field<bool> ReadBool(const json& document, std::string_view path,
                     std::string_view source = {}) {
  Field<bool> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (!member->is_boolean()) {
    field.unknown = WrongType(source, path, *member, "a boolean");
    return field;
  }
  field.value = member->get<bool>();
  return field;
}

// Reads a signed 64-bit integer, the type the engine uses for limits and
// counts. Floating-point numbers are the wrong type.
Field<std::int64_t> ReadInteger(const json& document, std::string_view path,
                                std::string_view source = {}) {
  Field<std::int64_t> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (!member->is_number_integer()) {
    field.unknown = WrongType(source, path, *member, "an integer");
    return field;
  }
  if (member->is_number_unsigned() &&
      member->get<std::uint64_t>() >
          static_cast<std::uint64_t>(
              std::numeric_limits<std::int64_t>::max())) {
    field.unknown = {Outcome::kUnknown,
                     Qualify(source, path) + " is out of the int64 range"};
    return field;
  }
  field.value = member->get<std::int64_t>();
  return field;
}

Field<std::string> ReadString(const json& document, std::string_view path,
                              std::string_view source = {}) {
  Field<std::string> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (!member->is_string()) {
    field.unknown = WrongType(source, path, *member, "a string");
    return field;
  }
  field.value = member->get<std::string>();
  return field;
}

// Reads an array of strings. The engine is written in Go, whose JSON encoder
// writes an empty slice as null, so null reads as an empty list.
Field<std::vector<std::string>> ReadStringList(const json& document,
                                               std::string_view path,
                                               std::string_view source = {}) {
  Field<std::vector<std::string>> field;
  const json* member = FindMember(document, path, source, &field.unknown);
  if (member == nullptr) {
    return field;
  }
  if (member->is_null()) {
    field.value.emplace();
    return field;
  }
  if (!member->is_array()) {
    field.unknown = WrongType(source, path, *member, "an array");
    return field;
  }

  std::vector<std::string> entries;
  entries.reserve(member->size());
  for (std::size_t i = 0; i < member->size(); ++i) {
    const json& entry = (*member)[i];
    if (!entry.is_string()) {
      const std::string entry_path =
          std::string(path) + "[" + std::to_string(i) + "]";
      field.unknown = WrongType(source, entry_path, entry, "a string");
      return field;
    }
    entries.push_back(entry.get<std::string>());
  }
  field.value = std::move(entries);
  return field;
}

// Returns a string value as reasons show it, so an empty value stays
// visible.
std::string Show(std::string_view value) {
  return value.empty() ? "empty" : std::string(value);
}

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

// Parses a boolean as Go's strconv.ParseBool does, because dockerd reads
// `no-new-privileges=VALUE` with it. Returns nullopt for any other text.
std::optional<bool> ParseGoBool(std::string_view value) {
  for (const std::string_view text : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (value == text) {
      return true;
    }
  }
  for (const std::string_view text :
       {"0", "f", "F", "FALSE", "false", "False"}) {
    if (value == text) {
      return false;
    }
  }
  return std::nullopt;
}

// One `HostConfig.SecurityOpt` entry, such as `seccomp=unconfined`.
struct SecurityOpt {
  std::string_view key;
  std::string_view value;
  bool has_value = false;
};

// Splits an entry as dockerd does, at the first `=` or, in the legacy form
// without `=`, at the first `:`. So `label=type:svirt_t` has the key `label`
// and `seccomp:unconfined` the key `seccomp`.
SecurityOpt ParseSecurityOpt(std::string_view entry) {
  auto separator = entry.find('=');
  if (separator == std::string_view::npos) {
    separator = entry.find(':');
  }
  if (separator == std::string_view::npos) {
    return {entry, {}, false};
  }
  return {entry.substr(0, separator), entry.substr(separator + 1), true};
}

// Returns whether `/info` `SecurityOptions` lists the feature `name`. Each
// entry is a comma-separated list of key=value pairs, such as
// `name=seccomp,profile=builtin`, and the `name` pair names the feature.
Field<bool> HostHasSecurityFeature(const ContainerContext& context,
                                   std::string_view name) {
  Field<bool> field;
  if (context.info == nullptr) {
    field.unknown = {Outcome::kUnknown, "the /info document is not available"};
    return field;
  }

  const auto options =
      ReadStringList(*context.info, "SecurityOptions", "/info");
  if (!options.value) {
    field.unknown = options.unknown;
    return field;
  }

  const std::string name_pair = "name=" + std::string(name);
  field.value = false;
  for (const std::string& option : *options.value) {
    std::string_view rest = option;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      if (rest.substr(0, comma) == name_pair) {
        field.value = true;
        return field;
      }
      if (comma == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(comma + 1);
    }
  }
  return field;
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

// The maximum restart count that CIS Docker Benchmark 5.15 allows.
constexpr std::int64_t kMaxRestartAttempts = 5;

// Judges a restart limit in which 0 means unlimited. `policy` describes
// the policy, as in "HostConfig.RestartPolicy is on-failure", and
// `count_name` names the limit field.
CheckResult JudgeRestartLimit(const std::string& policy,
                              std::string_view count_name,
                              std::int64_t attempts) {
  const std::string limit = policy + " with " + std::string(count_name) + " " +
                            std::to_string(attempts);
  if (attempts < 0) {
    return {Outcome::kUnknown, limit + ", expected 0 or more"};
  }
  if (attempts == 0) {
    return {Outcome::kFail, limit + ", which is unlimited"};
  }
  if (attempts > kMaxRestartAttempts) {
    return {Outcome::kFail,
            limit + ", more than " + std::to_string(kMaxRestartAttempts)};
  }
  return {Outcome::kPass, limit};
}

// Judges a swarm task by its service's restart policy, because swarm, not
// the container's own policy, restarts the task.
CheckResult JudgeServiceRestartPolicy(const ContainerContext& context) {
  if (context.service == nullptr) {
    return {Outcome::kUnknown,
            "the container is a swarm task and its service document is not "
            "available"};
  }

  constexpr std::string_view kSource = "service";
  const auto condition = ReadString(
      *context.service, "Spec.TaskTemplate.RestartPolicy.Condition", kSource);
  if (!condition.value) {
    return condition.unknown;
  }
  const std::string policy =
      "service: Spec.TaskTemplate.RestartPolicy is " + Show(*condition.value);
  if (*condition.value == "none") {
    return {Outcome::kPass, policy};
  }
  if (*condition.value != "on-failure" && *condition.value != "any") {
    return {Outcome::kUnknown, policy + ", not a known condition"};
  }

  const auto attempts = ReadInteger(
      *context.service, "Spec.TaskTemplate.RestartPolicy.MaxAttempts", kSource);
  if (!attempts.value) {
    return attempts.unknown;
  }
  return JudgeRestartLimit(policy, "MaxAttempts", *attempts.value);
}

CheckResult JudgeContainerRestartPolicy(const json& inspect) {
  const auto name = ReadString(inspect, "HostConfig.RestartPolicy.Name");
  if (!name.value) {
    return name.unknown;
  }
  const std::string policy = "HostConfig.RestartPolicy is " + Show(*name.value);

  // moby's RestartPolicy.IsNone reads an empty name as `no`.
  if (name.value->empty() || *name.value == "no") {
    return {Outcome::kPass, policy};
  }
  if (*name.value == "always" || *name.value == "unless-stopped") {
    return {Outcome::kFail, policy};
  }
  if (*name.value != "on-failure") {
    return {Outcome::kUnknown, policy + ", not a known policy"};
  }

  const auto count =
      ReadInteger(inspect, "HostConfig.RestartPolicy.MaximumRetryCount");
  if (!count.value) {
    return count.unknown;
  }
  return JudgeRestartLimit(policy, "MaximumRetryCount", *count.value);
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

CheckResult CheckApparmorProfile(const ContainerContext& context) {
  const auto host_apparmor = HostHasSecurityFeature(context, "apparmor");
  if (!host_apparmor.value) {
    return host_apparmor.unknown;
  }
  if (!*host_apparmor.value) {
    return {Outcome::kNotApplicable,
            "/info: SecurityOptions has no name=apparmor"};
  }

  const auto profile = ReadString(context.inspect, "AppArmorProfile");
  if (!profile.value) {
    return profile.unknown;
  }
  const std::string reason = "AppArmorProfile is " + Show(*profile.value);
  if (profile.value->empty() || *profile.value == "unconfined") {
    return {Outcome::kFail, reason};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckSelinuxOptions(const ContainerContext& context) {
  const auto host_selinux = HostHasSecurityFeature(context, "selinux");
  if (!host_selinux.value) {
    return host_selinux.unknown;
  }
  if (!*host_selinux.value) {
    return {Outcome::kNotApplicable,
            "/info: SecurityOptions has no name=selinux"};
  }

  const auto options =
      ReadStringList(context.inspect, "HostConfig.SecurityOpt");
  if (!options.value) {
    return options.unknown;
  }

  // `label=disable` turns SELinux off for the container even when other
  // label options are set, so it decides before any of them. dockerd also
  // reads a bare `disable` entry as `label=disable`.
  const std::string* first_label = nullptr;
  for (const std::string& option : *options.value) {
    if (option == "disable") {
      return {Outcome::kFail, "HostConfig.SecurityOpt contains disable"};
    }
    const SecurityOpt parsed = ParseSecurityOpt(option);
    if (parsed.key != "label" || !parsed.has_value) {
      continue;
    }
    if (parsed.value == "disable") {
      return {Outcome::kFail, "HostConfig.SecurityOpt contains " + option};
    }
    if (first_label == nullptr) {
      first_label = &option;
    }
  }

  if (first_label == nullptr) {
    return {Outcome::kFail, "HostConfig.SecurityOpt has no label option"};
  }
  return {Outcome::kPass, "HostConfig.SecurityOpt contains " + *first_label};
}

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

CheckResult CheckMemoryLimited(const ContainerContext& context) {
  const auto memory = ReadInteger(context.inspect, "HostConfig.Memory");
  if (!memory.value) {
    return memory.unknown;
  }
  const std::string reason =
      "HostConfig.Memory is " + std::to_string(*memory.value);
  if (*memory.value == 0) {
    return {Outcome::kFail, reason + ", no memory limit"};
  }
  if (*memory.value < 0) {
    return {Outcome::kUnknown, reason + ", expected 0 or a byte count"};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckCpuLimited(const ContainerContext& context) {
  const auto shares = ReadInteger(context.inspect, "HostConfig.CpuShares");
  const auto nano_cpus = ReadInteger(context.inspect, "HostConfig.NanoCpus");
  const auto quota = ReadInteger(context.inspect, "HostConfig.CpuQuota");

  // Shares of 0 mean unset and 1024 is the default weight, so neither limits
  // CPU. A negative value cannot limit it either.
  if (shares.value && *shares.value > 0 && *shares.value != 1024) {
    return {Outcome::kPass,
            "HostConfig.CpuShares is " + std::to_string(*shares.value)};
  }
  if (nano_cpus.value && *nano_cpus.value > 0) {
    return {Outcome::kPass,
            "HostConfig.NanoCpus is " + std::to_string(*nano_cpus.value)};
  }
  if (quota.value && *quota.value > 0) {
    return {Outcome::kPass,
            "HostConfig.CpuQuota is " + std::to_string(*quota.value)};
  }

  // A field that could not be read may hold the limit, so failing needs
  // all three.
  for (const auto* field : {&shares, &nano_cpus, &quota}) {
    if (!field->value) {
      return field->unknown;
    }
  }
  return {Outcome::kFail, "no CPU limit: HostConfig.CpuShares is " +
                              std::to_string(*shares.value) + ", NanoCpus is " +
                              std::to_string(*nano_cpus.value) +
                              " and CpuQuota is " +
                              std::to_string(*quota.value)};
}

CheckResult CheckRestartPolicy(const ContainerContext& context) {
  constexpr std::string_view kSwarmServiceLabel = "com.docker.swarm.service.id";

  // Labels decide which policy applies, so they must be readable. Go writes
  // a container without labels as null.
  CheckResult unknown;
  const json* labels =
      FindMember(context.inspect, "Config.Labels", {}, &unknown);
  if (labels == nullptr) {
    return unknown;
  }
  if (!labels->is_null() && !labels->is_object()) {
    return WrongType({}, "Config.Labels", *labels, "an object");
  }

  if (labels->is_object() && labels->contains(kSwarmServiceLabel)) {
    return JudgeServiceRestartPolicy(context);
  }
  return JudgeContainerRestartPolicy(context.inspect);
}

CheckResult CheckSeccompEnabled(const ContainerContext& context) {
  // NOTE: the rule reads only the container's settings, so a container on
  // an engine without seccomp support passes.
  const auto options =
      ReadStringList(context.inspect, "HostConfig.SecurityOpt");
  if (options.value) {
    for (const std::string& option : *options.value) {
      const SecurityOpt parsed = ParseSecurityOpt(option);
      if (parsed.key == "seccomp" && parsed.value == "unconfined") {
        return {Outcome::kFail, "HostConfig.SecurityOpt contains " + option};
      }
    }
  }

  const auto privileged = ReadBool(context.inspect, "HostConfig.Privileged");
  if (privileged.value && *privileged.value) {
    return {Outcome::kFail,
            "HostConfig.Privileged is true, so seccomp is not applied"};
  }

  if (!options.value) {
    return options.unknown;
  }
  if (!privileged.value) {
    return privileged.unknown;
  }
  return {Outcome::kPass,
          "HostConfig.SecurityOpt does not disable seccomp and "
          "HostConfig.Privileged is false"};
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

CheckResult CheckCgroupParent(const ContainerContext& context) {
  const auto parent = ReadString(context.inspect, "HostConfig.CgroupParent");
  if (!parent.value) {
    return parent.unknown;
  }
  const std::string reason =
      "HostConfig.CgroupParent is " + Show(*parent.value);
  if (!parent.value->empty()) {
    return {Outcome::kFail, reason + ", not the default"};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckNoNewPrivileges(const ContainerContext& context) {
  if (context.settings.daemon_no_new_privileges.value_or(false)) {
    return {Outcome::kPass,
            "the daemon sets no-new-privileges for every container"};
  }

  const auto options =
      ReadStringList(context.inspect, "HostConfig.SecurityOpt");
  if (!options.value) {
    return options.unknown;
  }

  // dockerd applies the entries in order, so the last no-new-privileges
  // entry decides. The bare form means true.
  const std::string* deciding = nullptr;
  bool enabled = false;
  for (const std::string& option : *options.value) {
    const SecurityOpt parsed = ParseSecurityOpt(option);
    if (parsed.key != "no-new-privileges") {
      continue;
    }
    if (!parsed.has_value) {
      enabled = true;
    } else {
      const std::optional<bool> value = ParseGoBool(parsed.value);
      if (!value) {
        return {Outcome::kUnknown, "HostConfig.SecurityOpt contains " + option +
                                       ", expected a boolean value"};
      }
      enabled = *value;
    }
    deciding = &option;
  }

  if (deciding == nullptr) {
    return {Outcome::kFail,
            "HostConfig.SecurityOpt has no no-new-privileges option"};
  }
  const std::string reason = "HostConfig.SecurityOpt contains " + *deciding;
  return {enabled ? Outcome::kPass : Outcome::kFail, reason};
}

CheckResult CheckPidsLimited(const ContainerContext& context) {
  // The engine writes null when no limit was set, so null fails. An absent
  // field is unknown.
  CheckResult unknown;
  const json* limit =
      FindMember(context.inspect, "HostConfig.PidsLimit", {}, &unknown);
  if (limit == nullptr) {
    return unknown;
  }
  if (limit->is_null()) {
    return {Outcome::kFail, "HostConfig.PidsLimit is null, no PID limit"};
  }

  const auto value = ReadInteger(context.inspect, "HostConfig.PidsLimit");
  if (!value.value) {
    return value.unknown;
  }
  const std::string reason =
      "HostConfig.PidsLimit is " + std::to_string(*value.value);

  // The API documents 0 and -1 as unlimited, and no other value below 1 can
  // limit the number of processes either.
  if (*value.value <= 0) {
    return {Outcome::kFail, reason + ", no PID limit"};
  }
  return {Outcome::kPass, reason};
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
