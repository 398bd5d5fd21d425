#include "collectors/engine_checks.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dce {
namespace {

using nlohmann::json;

// Ranges that every engine lists in InsecureRegistryCIDRs by default, so
// they reveal nothing about the daemon's configuration. Docker 20.10 lists
// 127.0.0.0/8, and newer engines also list ::1/128.
constexpr std::array<std::string_view, 2> kBuiltInInsecureRanges = {
    "127.0.0.0/8", "::1/128"};

// Logging drivers that keep logs on the host only.
constexpr std::array<std::string_view, 3> kLocalLoggingDrivers = {
    "json-file", "local", "none"};

// Every value Docker defines for Swarm.LocalNodeState.
constexpr std::array<std::string_view, 5> kSwarmStates = {
    "inactive", "pending", "active", "error", "locked"};

constexpr std::string_view kIccOption = "com.docker.network.bridge.enable_icc";

// Options key that makes the overlay driver encrypt a network whatever its
// value. `--opt encrypted` stores it with an empty value.
constexpr std::string_view kEncryptedOption = "encrypted";

constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerHour = 3600;

template <std::size_t N>
bool Contains(const std::array<std::string_view, N>& values,
              std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// The JSON type a rule needs a field to have. Go's encoding/json writes a
// nil slice or map as null, so the `OrNull` types accept null, and callers
// read it as an empty list or object.
enum class FieldType {
  kBoolean,
  kString,
  kInteger,
  kArrayOrNull,
  kObject,
  kObjectOrNull,
};

bool HasType(const json& value, FieldType type) {
  switch (type) {
    case FieldType::kBoolean:
      return value.is_boolean();
    case FieldType::kString:
      return value.is_string();
    case FieldType::kInteger:
      return value.is_number_integer();
    case FieldType::kArrayOrNull:
      return value.is_array() || value.is_null();
    case FieldType::kObject:
      return value.is_object();
    case FieldType::kObjectOrNull:
      return value.is_object() || value.is_null();
  }
  return false;
}

std::string_view TypeDescription(FieldType type) {
  switch (type) {
    case FieldType::kBoolean:
      return "a boolean";
    case FieldType::kString:
      return "a string";
    case FieldType::kInteger:
      return "an integer";
    case FieldType::kArrayOrNull:
      return "an array";
    case FieldType::kObject:
    case FieldType::kObjectOrNull:
      return "an object";
  }
  return "another type";
}

CheckResult Unknown(std::string reason) {
  return {Outcome::kUnknown, std::move(reason)};
}

// A JSON value a check needs, or the result the check returns without it.
struct Lookup {
  const json* value = nullptr;
  // The check's result when `value` is null: unknown, or not applicable.
  CheckResult fallback;
};

// Reads the member at `dotted_path` and requires it to be of `type`.
// Reasons name the member `label`, or `dotted_path` when `label` is empty.
Lookup ReadField(const json& document, std::string_view dotted_path,
                 FieldType type, std::string_view label = {}) {
  const std::string name(label.empty() ? dotted_path : label);

  const json* value = FindPath(document, dotted_path);
  if (value == nullptr) {
    return {nullptr, Unknown(name + " is missing")};
  }
  if (!HasType(*value, type)) {
    return {nullptr,
            Unknown(name + " is " + value->type_name() + ", expected " +
                    std::string(TypeDescription(type)))};
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

// Reads a string field that names a setting, such as `Driver`. An empty
// string names nothing, so it is unknown rather than a value to judge.
Lookup ReadInfoName(const EngineContext& context,
                    std::string_view dotted_path) {
  Lookup name = ReadInfoField(context, dotted_path, FieldType::kString);
  if (name.value != nullptr &&
      name.value->get_ref<const std::string&>() == "") {
    return {nullptr, Unknown(std::string(dotted_path) + " is empty")};
  }
  return name;
}

// Judges a boolean field of /info that passes when it equals `expected`.
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

// Returns whether one SecurityOptions entry, such as
// `name=seccomp,profile=builtin`, has the component `name=<name>`.
bool HasNameComponent(std::string_view option, std::string_view name) {
  while (true) {
    const auto comma = option.find(',');
    const std::string_view component = option.substr(0, comma);
    if (component.starts_with("name=") &&
        component.substr(std::string_view("name=").size()) == name) {
      return true;
    }
    if (comma == std::string_view::npos) {
      return false;
    }
    option.remove_prefix(comma + 1);
  }
}

// Judges a rule that passes when the engine lists the security feature
// `name` in SecurityOptions.
CheckResult JudgeSecurityOption(const EngineContext& context,
                                std::string_view name) {
  const Lookup options =
      ReadInfoField(context, "SecurityOptions", FieldType::kArrayOrNull);
  if (options.value == nullptr) {
    return options.fallback;
  }

  const std::string option_text = "name=" + std::string(name);
  std::optional<CheckResult> unreadable;
  if (options.value->is_array()) {
    for (const auto& option : *options.value) {
      if (!option.is_string()) {
        unreadable = Unknown(std::string("SecurityOptions contains ") +
                             option.type_name() + ", expected strings");
        continue;
      }
      if (HasNameComponent(option.get_ref<const std::string&>(), name)) {
        return {Outcome::kPass, "SecurityOptions contains " + option_text};
      }
    }
  }

  // An entry that cannot be read might have been the one the rule needs.
  if (unreadable) {
    return *unreadable;
  }
  return {Outcome::kFail, "SecurityOptions has no " + option_text};
}

// Reads Swarm.LocalNodeState and requires it to be one of the states Docker
// defines. An absent or empty state does not show whether swarm mode is on.
Lookup ReadSwarmState(const EngineContext& context) {
  Lookup state = ReadInfoName(context, "Swarm.LocalNodeState");
  if (state.value == nullptr) {
    return state;
  }

  const auto& text = state.value->get_ref<const std::string&>();
  if (!Contains(kSwarmStates, text)) {
    return {nullptr, Unknown("Swarm.LocalNodeState is " + text +
                             ", which is not a known state")};
  }
  return state;
}

// Returns the result of a swarm rule on a node that is not an active swarm
// member: not applicable, or unknown when the state cannot be read. Returns
// nullopt on an active member, whose settings the rule then judges.
std::optional<CheckResult> ResultOutsideSwarm(const EngineContext& context) {
  const Lookup state = ReadSwarmState(context);
  if (state.value == nullptr) {
    return state.fallback;
  }

  const auto& text = state.value->get_ref<const std::string&>();
  if (text != "active") {
    return CheckResult{Outcome::kNotApplicable,
                       "Swarm.LocalNodeState is " + text};
  }
  return std::nullopt;
}

// Returns the result of a rule on the swarm's cluster settings for a node
// that is not an active manager, or nullopt on a manager. Only managers
// report Swarm.Cluster.
std::optional<CheckResult> ResultOutsideManagers(const EngineContext& context) {
  if (auto result = ResultOutsideSwarm(context)) {
    return result;
  }

  // A node in an active swarm was read from /info, so info is not null.
  const json* cluster = FindPath(*context.info, "Swarm.Cluster");
  if (cluster != nullptr) {
    if (!cluster->is_object()) {
      return Unknown(std::string("Swarm.Cluster is ") + cluster->type_name() +
                     ", expected an object");
    }
    return std::nullopt;
  }

  // Without Swarm.Cluster, ControlAvailable distinguishes a worker from a
  // manager whose cluster settings the engine failed to report.
  const Lookup control =
      ReadInfoField(context, "Swarm.ControlAvailable", FieldType::kBoolean);
  if (control.value == nullptr) {
    return control.fallback;
  }
  if (control.value->get<bool>()) {
    return Unknown(
        "Swarm.Cluster is missing, but Swarm.ControlAvailable is true");
  }
  return CheckResult{Outcome::kNotApplicable,
                     "Swarm.ControlAvailable is false, so the node is a "
                     "swarm worker"};
}

// Reads `GET /networks` and requires it to be an array.
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

// Reads the `Name` of one entry of `GET /networks`.
Lookup ReadNetworkName(const json& network) {
  return ReadField(network, "Name", FieldType::kString, "a network's Name");
}

// Reads the `Options` of the network `name`, which is an object or null.
Lookup ReadNetworkOptions(const json& network, const std::string& name) {
  return ReadField(network, "Options", FieldType::kObjectOrNull,
                   "Options of network " + name);
}

// Finds the network named `name` in `GET /networks`. Returns the network,
// or a fallback that is not applicable when no network has that name.
Lookup FindNetwork(const EngineContext& context, std::string_view name) {
  const Lookup networks = ReadNetworks(context);
  if (networks.value == nullptr) {
    return networks;
  }

  std::optional<CheckResult> unreadable;
  for (const auto& network : *networks.value) {
    const Lookup network_name = ReadNetworkName(network);
    if (network_name.value == nullptr) {
      unreadable = network_name.fallback;
      continue;
    }
    if (network_name.value->get_ref<const std::string&>() == name) {
      return {&network, {}};
    }
  }

  // An entry without a name might have been the one the rule needs.
  if (unreadable) {
    return {nullptr, *unreadable};
  }
  return {
      nullptr,
      {Outcome::kNotApplicable, "no network is named " + std::string(name)}};
}

// Collects the insecure entries of RegistryConfig.IndexConfigs into
// `insecure`. Returns an unknown result when an entry cannot be read.
std::optional<CheckResult> CollectInsecureIndexes(
    const EngineContext& context, std::vector<std::string>* insecure) {
  const Lookup indexes = ReadInfoField(context, "RegistryConfig.IndexConfigs",
                                       FieldType::kObjectOrNull);
  if (indexes.value == nullptr) {
    return indexes.fallback;
  }
  if (indexes.value->is_null()) {
    return std::nullopt;
  }

  std::optional<CheckResult> unreadable;
  for (const auto& [name, index] : indexes.value->items()) {
    const Lookup secure =
        ReadField(index, "Secure", FieldType::kBoolean,
                  "Secure of registry index " + std::string(name));
    if (secure.value == nullptr) {
      unreadable = secure.fallback;
    } else if (!secure.value->get<bool>()) {
      insecure->push_back(name);
    }
  }
  return unreadable;
}

// Collects the ranges of RegistryConfig.InsecureRegistryCIDRs that the
// engine does not list by default into `extra`. Returns an unknown result
// when an entry cannot be read.
std::optional<CheckResult> CollectExtraInsecureRanges(
    const EngineContext& context, std::vector<std::string>* extra) {
  const Lookup ranges = ReadInfoField(
      context, "RegistryConfig.InsecureRegistryCIDRs", FieldType::kArrayOrNull);
  if (ranges.value == nullptr) {
    return ranges.fallback;
  }
  if (ranges.value->is_null()) {
    return std::nullopt;
  }

  std::optional<CheckResult> unreadable;
  for (const auto& range : *ranges.value) {
    if (!range.is_string()) {
      unreadable = Unknown(std::string("InsecureRegistryCIDRs contains ") +
                           range.type_name() + ", expected strings");
      continue;
    }
    const auto& text = range.get_ref<const std::string&>();
    if (!Contains(kBuiltInInsecureRanges, text)) {
      extra->push_back(text);
    }
  }
  return unreadable;
}

// Formats whole seconds as hours when they divide evenly (`2160h`), else as
// seconds (`90s`).
std::string FormatSeconds(std::int64_t seconds) {
  if (seconds % kSecondsPerHour == 0) {
    return std::to_string(seconds / kSecondsPerHour) + "h";
  }
  return std::to_string(seconds) + "s";
}

std::string FormatNanoseconds(std::int64_t nanoseconds) {
  if (nanoseconds % kNanosecondsPerSecond == 0) {
    return FormatSeconds(nanoseconds / kNanosecondsPerSecond);
  }
  return std::to_string(nanoseconds) + "ns";
}

// Returns whether `nanoseconds` is longer than `maximum`. Compares in whole
// seconds, because a large maximum would overflow in nanoseconds.
bool IsLonger(std::int64_t nanoseconds, std::chrono::seconds maximum) {
  const std::int64_t whole_seconds = nanoseconds / kNanosecondsPerSecond;
  const std::int64_t rest = nanoseconds % kNanosecondsPerSecond;
  return whole_seconds > maximum.count() ||
         (whole_seconds == maximum.count() && rest > 0);
}

}  // namespace

CheckResult CheckRootless(const EngineContext& context) {
  return JudgeSecurityOption(context, "rootless");
}

CheckResult CheckIccDisabled(const EngineContext& context) {
  const Lookup bridge = FindNetwork(context, "bridge");
  if (bridge.value == nullptr) {
    return bridge.fallback;
  }

  const Lookup options = ReadNetworkOptions(*bridge.value, "bridge");
  if (options.value == nullptr) {
    return options.fallback;
  }

  // The bridge driver enables inter-container communication unless the
  // option is "false", so an absent option fails.
  const std::string option_name(kIccOption);
  const auto icc = options.value->is_object() ? options.value->find(option_name)
                                              : options.value->end();
  if (icc == options.value->end()) {
    return {Outcome::kFail, option_name + " is not set on network bridge"};
  }
  if (!icc->is_string()) {
    return Unknown(option_name + " is " + icc->type_name() +
                   ", expected a string");
  }

  const auto& value = icc->get_ref<const std::string&>();
  if (value == "false") {
    return {Outcome::kPass, option_name + " is false"};
  }
  return {Outcome::kFail, option_name + " is " + value};
}

CheckResult CheckInsecureRegistries(const EngineContext& context) {
  std::vector<std::string> insecure_indexes;
  std::vector<std::string> extra_ranges;
  const std::optional<CheckResult> unreadable_index =
      CollectInsecureIndexes(context, &insecure_indexes);
  const std::optional<CheckResult> unreadable_range =
      CollectExtraInsecureRanges(context, &extra_ranges);

  // One insecure entry fails the rule whatever the unreadable ones hold.
  std::vector<std::string> findings;
  if (insecure_indexes.size() == 1) {
    findings.push_back("registry index " + insecure_indexes.front() +
                       " is not secure");
  } else if (!insecure_indexes.empty()) {
    findings.push_back("registry indexes " + JoinNames(insecure_indexes) +
                       " are not secure");
  }
  if (!extra_ranges.empty()) {
    findings.push_back("InsecureRegistryCIDRs contains " +
                       JoinNames(extra_ranges));
  }
  if (!findings.empty()) {
    return {Outcome::kFail, findings.size() == 1
                                ? findings.front()
                                : findings.front() + " and " + findings.back()};
  }

  if (unreadable_index) {
    return *unreadable_index;
  }
  if (unreadable_range) {
    return *unreadable_range;
  }
  return {Outcome::kPass,
          "every registry index is secure, and InsecureRegistryCIDRs contains "
          "only the built-in loopback ranges"};
}

CheckResult CheckAufs(const EngineContext& context) {
  const Lookup driver = ReadInfoName(context, "Driver");
  if (driver.value == nullptr) {
    return driver.fallback;
  }

  const auto& name = driver.value->get_ref<const std::string&>();
  return {name == "aufs" ? Outcome::kFail : Outcome::kPass,
          "Driver is " + name};
}

CheckResult CheckUsernsRemap(const EngineContext& context) {
  return JudgeSecurityOption(context, "userns");
}

CheckResult CheckAuthzPlugin(const EngineContext& context) {
  const Lookup plugins =
      ReadInfoField(context, "Plugins.Authorization", FieldType::kArrayOrNull);
  if (plugins.value == nullptr) {
    return plugins.fallback;
  }
  if (plugins.value->is_null()) {
    return {Outcome::kFail, "Plugins.Authorization is null"};
  }
  if (plugins.value->empty()) {
    return {Outcome::kFail, "Plugins.Authorization is empty"};
  }

  std::vector<std::string> names;
  for (const auto& plugin : *plugins.value) {
    if (!plugin.is_string()) {
      return Unknown(std::string("Plugins.Authorization contains ") +
                     plugin.type_name() + ", expected strings");
    }
    names.push_back(plugin.get<std::string>());
  }
  return {Outcome::kPass, "Plugins.Authorization is " + JoinNames(names)};
}

CheckResult CheckRemoteLogging(const EngineContext& context) {
  const Lookup driver = ReadInfoName(context, "LoggingDriver");
  if (driver.value == nullptr) {
    return driver.fallback;
  }

  const auto& name = driver.value->get_ref<const std::string&>();
  return {
      Contains(kLocalLoggingDrivers, name) ? Outcome::kFail : Outcome::kPass,
      "LoggingDriver is " + name};
}

CheckResult CheckLiveRestore(const EngineContext& context) {
  return JudgeInfoFlag(context, "LiveRestoreEnabled", true);
}

CheckResult CheckExperimental(const EngineContext& context) {
  return JudgeInfoFlag(context, "ExperimentalBuild", false);
}

CheckResult CheckSwarmDisabled(const EngineContext& context) {
  const Lookup state = ReadSwarmState(context);
  if (state.value == nullptr) {
    return state.fallback;
  }

  const auto& text = state.value->get_ref<const std::string&>();
  return {text == "inactive" ? Outcome::kPass : Outcome::kFail,
          "Swarm.LocalNodeState is " + text};
}

CheckResult CheckOverlayEncrypted(const EngineContext& context) {
  if (auto result = ResultOutsideSwarm(context)) {
    return *result;
  }
  const Lookup networks = ReadNetworks(context);
  if (networks.value == nullptr) {
    return networks.fallback;
  }

  std::vector<std::string> encrypted;
  std::vector<std::string> unencrypted;
  std::optional<CheckResult> unreadable;
  for (const auto& network : *networks.value) {
    const Lookup driver =
        ReadField(network, "Driver", FieldType::kString, "a network's Driver");
    const Lookup name = ReadNetworkName(network);
    if (driver.value == nullptr || name.value == nullptr) {
      unreadable = driver.value == nullptr ? driver.fallback : name.fallback;
      continue;
    }
    if (*driver.value != "overlay") {
      continue;
    }

    const auto& network_name = name.value->get_ref<const std::string&>();
    const Lookup options = ReadNetworkOptions(network, network_name);
    if (options.value == nullptr) {
      unreadable = options.fallback;
    } else if (options.value->is_object() &&
               options.value->contains(kEncryptedOption)) {
      encrypted.push_back(network_name);
    } else {
      unencrypted.push_back(network_name);
    }
  }

  // One unencrypted network fails the rule whatever the unreadable ones
  // hold.
  if (!unencrypted.empty()) {
    return {Outcome::kFail,
            "overlay networks not encrypted: " + JoinNames(unencrypted)};
  }
  if (unreadable) {
    return *unreadable;
  }
  if (encrypted.empty()) {
    return {Outcome::kPass, "no overlay networks"};
  }
  return {Outcome::kPass,
          "overlay networks encrypted: " + JoinNames(encrypted)};
}

CheckResult CheckAutolock(const EngineContext& context) {
  if (auto result = ResultOutsideManagers(context)) {
    return *result;
  }
  return JudgeInfoFlag(
      context, "Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers", true);
}

CheckResult CheckNodeCertExpiry(const EngineContext& context) {
  if (auto result = ResultOutsideManagers(context)) {
    return *result;
  }

  // NOTE: Docker omits NodeCertExpiry when it is zero, as it is for a spec
  // that sets none, and swarmkit then issues certificates for its default
  // of 2160h. The check still returns unknown, because the API does not
  // report which lifetime applies.
  constexpr std::string_view kPath =
      "Swarm.Cluster.Spec.CAConfig.NodeCertExpiry";
  const Lookup expiry = ReadInfoField(context, kPath, FieldType::kInteger);
  if (expiry.value == nullptr) {
    return expiry.fallback;
  }

  // Go stores durations as signed 64-bit nanoseconds, so a larger value or
  // a negative one did not come from a valid spec.
  if (expiry.value->is_number_unsigned() &&
      expiry.value->get<std::uint64_t>() >
          static_cast<std::uint64_t>(
              std::numeric_limits<std::int64_t>::max())) {
    return Unknown(std::string(kPath) + " is out of range");
  }
  const auto nanoseconds = expiry.value->get<std::int64_t>();
  if (nanoseconds < 0) {
    return Unknown(std::string(kPath) + " is negative");
  }

  const auto maximum = context.settings.max_node_cert_expiry;
  const std::string comparison =
      std::string(kPath) + " is " + FormatNanoseconds(nanoseconds) +
      ", the maximum is " + FormatSeconds(maximum.count());
  if (IsLonger(nanoseconds, maximum)) {
    return {Outcome::kFail, comparison};
  }
  return {Outcome::kPass, comparison};
}

}  // namespace dce
