// Engine checks on swarm mode: whether it is on, whether overlay networks
// are encrypted, manager autolock and the node certificate lifetime.

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
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

using nlohmann::json;

// Every value Docker defines for Swarm.LocalNodeState.
constexpr std::array<std::string_view, 5> kSwarmStates = {
    "inactive", "pending", "active", "error", "locked"};

// Options key that makes the overlay driver encrypt a network whatever its
// value. `--opt encrypted` stores it with an empty value.
constexpr std::string_view kEncryptedOption = "encrypted";

constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerHour = 3600;

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
