#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/container_scope.h"
#include "collectors/snapshot.h"
#include "collectors/waivers.h"

namespace dce {

/// The evaluation settings from the configuration file and the flags: the
/// checks to run and their settings, the containers in scope, the labels to
/// export and the waivers. Immutable once built, because a reload replaces
/// the whole policy.
struct Policy {
  /// One flag per entry of ContainerChecks(); empty enables every check.
  std::vector<bool> container_checks_enabled;
  /// One flag per entry of EngineChecks(); empty enables every check.
  std::vector<bool> engine_checks_enabled;
  /// One flag per entry of HostChecks(); empty enables every check.
  std::vector<bool> host_checks_enabled;
  /// Host paths for CIS 5.6; nullopt keeps CheckSettings' default.
  std::optional<std::vector<std::string>> sensitive_paths;
  /// Maximum node certificate lifetime for CIS 7.7; nullopt keeps the
  /// default.
  std::optional<std::chrono::seconds> max_node_cert_lifetime;
  ContainerScope scope;
  /// Engine label keys copied into `docker_container_info`.
  std::vector<std::string> exported_labels;
  std::vector<Waiver> waivers;

  bool ContainerCheckEnabled(std::size_t index) const {
    return container_checks_enabled.empty() ||
           (index < container_checks_enabled.size() &&
            container_checks_enabled[index]);
  }
  bool EngineCheckEnabled(std::size_t index) const {
    return engine_checks_enabled.empty() ||
           (index < engine_checks_enabled.size() &&
            engine_checks_enabled[index]);
  }
  bool HostCheckEnabled(std::size_t index) const {
    return host_checks_enabled.empty() ||
           (index < host_checks_enabled.size() && host_checks_enabled[index]);
  }
};

/// The kind of subject a check judges.
enum class CheckKind { kContainer, kEngine, kHost };

/// A check found by ResolveCheck().
struct ResolvedCheck {
  std::string_view key;
  CheckKind kind;
};

/// Finds the check whose key or CIS id is `name`.
std::optional<ResolvedCheck> ResolveCheck(std::string_view name);

/// Returns the CIS section of a check, the part of its CIS id before the
/// first dot: `5` for `5.13`.
std::string_view CisSection(std::string_view cis_id);

/// Whether some check belongs to the CIS section `section`, such as `7`.
bool IsKnownSection(std::string_view section);

/// Builds the enabled flags for Policy from the checks to run (keys; empty
/// means every check), the keys to disable and the sections to disable.
/// Disabling wins over enabling.
void SetEnabledChecks(Policy& policy, const std::vector<std::string>& enabled,
                      const std::vector<std::string>& disabled,
                      const std::vector<std::string>& disabled_sections);

/// Returns the labels of a container's inspect document
/// (`Config.Labels`), keeping only string values.
ContainerLabels LabelsOfInspect(const nlohmann::json& inspect);

/// Returns the allow-listed labels that the container has, as (sanitized
/// Prometheus label name, value) pairs in allow-list order.
std::vector<std::pair<std::string, std::string>> ExportedLabels(
    const Policy& policy, const ContainerLabels& labels);

/// Returns `base` with the policy's settings for CIS 5.6 and 7.7 applied.
CheckSettings ApplyCheckSettings(const Policy& policy, CheckSettings base);

/// Sets the record's exported labels and the waiver of each of its results
/// (which must be evaluated already), as of `now`.
void ApplyPolicyToContainer(const Policy& policy, const ContainerLabels& labels,
                            std::chrono::system_clock::time_point now,
                            ContainerRecord& record);

/// Sets the snapshot's enabled-check flags and the waivers of its engine
/// and host results, as of `now`.
void ApplyPolicyToEngine(const Policy& policy,
                         std::chrono::system_clock::time_point now,
                         Snapshot& snapshot);

}  // namespace dce
