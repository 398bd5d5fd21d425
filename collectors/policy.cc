#include "collectors/policy.h"

#include <algorithm>

#include "collectors/check_catalogue.h"
#include "collectors/check_context.h"
#include "collectors/host_checks.h"

namespace dce {
namespace {

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

template <typename Check>
std::vector<bool> EnabledFlags(std::span<const Check> checks,
                               const std::vector<std::string>& enabled,
                               const std::vector<std::string>& disabled,
                               const std::vector<std::string>& sections) {
  std::vector<bool> flags;
  flags.reserve(checks.size());
  for (const auto& check : checks) {
    const bool selected = enabled.empty() || Contains(enabled, check.info.key);
    const bool removed = Contains(disabled, check.info.key) ||
                         Contains(sections, CisSection(check.info.cis_id));
    flags.push_back(selected && !removed);
  }
  return flags;
}

// Returns the waiver of each of the first `results` checks of `checks` for
// `subject`, or an empty list when no waiver covers any of them.
template <typename Check>
std::vector<std::optional<AppliedWaiver>> SubjectWaivers(
    const Policy& policy, WaiverSubject subject, std::span<const Check> checks,
    std::size_t results, std::chrono::system_clock::time_point now) {
  std::vector<std::optional<AppliedWaiver>> waivers;
  if (policy.waivers.empty()) {
    return waivers;
  }
  bool any = false;
  for (std::size_t i = 0; i < results && i < checks.size(); ++i) {
    waivers.push_back(
        FindSubjectWaiver(policy.waivers, subject, checks[i].info.key, now));
    any = any || waivers.back().has_value();
  }
  if (!any) {
    waivers.clear();
  }
  return waivers;
}

}  // namespace

std::optional<ResolvedCheck> ResolveCheck(std::string_view name) {
  for (const auto& check : ContainerChecks()) {
    if (check.info.key == name || check.info.cis_id == name) {
      return ResolvedCheck{check.info.key, CheckKind::kContainer};
    }
  }
  for (const auto& check : EngineChecks()) {
    if (check.info.key == name || check.info.cis_id == name) {
      return ResolvedCheck{check.info.key, CheckKind::kEngine};
    }
  }
  for (const auto& check : HostChecks()) {
    if (check.info.key == name || check.info.cis_id == name) {
      return ResolvedCheck{check.info.key, CheckKind::kHost};
    }
  }
  return std::nullopt;
}

std::string_view CisSection(std::string_view cis_id) {
  return cis_id.substr(0, cis_id.find('.'));
}

bool IsKnownSection(std::string_view section) {
  const auto in_section = [section](const auto& check) {
    return CisSection(check.info.cis_id) == section;
  };
  const auto container_checks = ContainerChecks();
  const auto engine_checks = EngineChecks();
  const auto host_checks = HostChecks();
  return std::any_of(container_checks.begin(), container_checks.end(),
                     in_section) ||
         std::any_of(engine_checks.begin(), engine_checks.end(), in_section) ||
         std::any_of(host_checks.begin(), host_checks.end(), in_section);
}

void SetEnabledChecks(Policy& policy, const std::vector<std::string>& enabled,
                      const std::vector<std::string>& disabled,
                      const std::vector<std::string>& disabled_sections) {
  policy.container_checks_enabled =
      EnabledFlags(ContainerChecks(), enabled, disabled, disabled_sections);
  policy.engine_checks_enabled =
      EnabledFlags(EngineChecks(), enabled, disabled, disabled_sections);
  policy.host_checks_enabled =
      EnabledFlags(HostChecks(), enabled, disabled, disabled_sections);
}

ContainerLabels LabelsOfInspect(const nlohmann::json& inspect) {
  ContainerLabels labels;
  const auto* object = FindPath(inspect, "Config.Labels");
  if (object == nullptr || !object->is_object()) {
    return labels;
  }
  for (const auto& [key, value] : object->items()) {
    if (value.is_string()) {
      labels.emplace(key, value.get<std::string>());
    }
  }
  return labels;
}

std::vector<std::pair<std::string, std::string>> ExportedLabels(
    const Policy& policy, const ContainerLabels& labels) {
  std::vector<std::pair<std::string, std::string>> exported;
  for (const auto& key : policy.exported_labels) {
    const auto found = labels.find(key);
    if (found != labels.end()) {
      exported.emplace_back(SanitizeLabelName(key), found->second);
    }
  }
  return exported;
}

CheckSettings ApplyCheckSettings(const Policy& policy, CheckSettings base) {
  if (policy.sensitive_paths) {
    base.sensitive_paths = *policy.sensitive_paths;
  }
  if (policy.max_node_cert_lifetime) {
    base.max_node_cert_expiry = *policy.max_node_cert_lifetime;
  }
  return base;
}

void ApplyPolicyToContainer(const Policy& policy, const ContainerLabels& labels,
                            std::chrono::system_clock::time_point now,
                            ContainerRecord& record) {
  record.exported_labels = ExportedLabels(policy, labels);
  record.waivers.clear();
  if (policy.waivers.empty()) {
    return;
  }
  const auto checks = ContainerChecks();
  std::vector<std::optional<AppliedWaiver>> waivers;
  bool any = false;
  for (std::size_t i = 0; i < record.results.size() && i < checks.size(); ++i) {
    waivers.push_back(FindContainerWaiver(policy.waivers, checks[i].info.key,
                                          record.name, labels, now));
    any = any || waivers.back().has_value();
  }
  if (any) {
    record.waivers = std::move(waivers);
  }
}

void ApplyPolicyToEngine(const Policy& policy,
                         std::chrono::system_clock::time_point now,
                         Snapshot& snapshot) {
  snapshot.container_checks_enabled = policy.container_checks_enabled;
  snapshot.engine_checks_enabled = policy.engine_checks_enabled;
  snapshot.host_checks_enabled = policy.host_checks_enabled;
  snapshot.engine_waivers =
      SubjectWaivers(policy, WaiverSubject::kEngine, EngineChecks(),
                     snapshot.engine_results.size(), now);
  snapshot.host_waivers.clear();
  if (snapshot.host) {
    snapshot.host_waivers =
        SubjectWaivers(policy, WaiverSubject::kHost, HostChecks(),
                       snapshot.host->results.size(), now);
  }
}

}  // namespace dce
