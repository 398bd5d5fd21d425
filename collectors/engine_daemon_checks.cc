// Engine checks on the daemon's configuration, read from `/info` and from
// the options of the `bridge` network.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/engine_checks.h"
#include "collectors/engine_fields.h"

namespace dce {
namespace {

// Ranges that every engine lists in InsecureRegistryCIDRs by default, so
// they reveal nothing about the daemon's configuration. Docker 20.10 lists
// 127.0.0.0/8, and newer engines also list ::1/128.
constexpr std::array<std::string_view, 2> kBuiltInInsecureRanges = {
    "127.0.0.0/8", "::1/128"};

// Logging drivers that keep logs on the host only.
constexpr std::array<std::string_view, 3> kLocalLoggingDrivers = {
    "json-file", "local", "none"};

constexpr std::string_view kIccOption = "com.docker.network.bridge.enable_icc";

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

// Finds the network named `name` in `GET /networks`. Returns the network,
// or a fallback that is not applicable when no network has that name.
Lookup FindNetwork(const EngineContext& context, std::string_view name) {
  Lookup networks = ReadNetworks(context);
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

}  // namespace dce
