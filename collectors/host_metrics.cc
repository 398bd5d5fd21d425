#include "collectors/host_metrics.h"

#include <string>

namespace dce {
namespace {

using prometheus::MetricType;

void WriteCheckPassed(const Snapshot& snapshot, ExpositionWriter& writer) {
  const auto checks = HostChecks();
  const auto& results = snapshot.host->results;
  for (std::size_t i = 0; i < results.size() && i < checks.size(); ++i) {
    if (!CheckEnabled(snapshot.host_checks_enabled, i)) {
      continue;
    }
    const Outcome outcome = results[i].outcome;
    if (outcome == Outcome::kPass || outcome == Outcome::kFail) {
      writer.Sample({{"check", checks[i].info.key}},
                    outcome == Outcome::kPass ? 1 : 0);
    }
  }
}

void WriteCheckWaived(const Snapshot& snapshot, ExpositionWriter& writer) {
  const auto checks = HostChecks();
  const auto& waivers = snapshot.host_waivers;
  for (std::size_t i = 0; i < waivers.size() && i < checks.size(); ++i) {
    // 1 while the waiver holds, 0 once it has expired.
    if (waivers[i] && CheckEnabled(snapshot.host_checks_enabled, i)) {
      writer.Sample({{"check", checks[i].info.key}},
                    waivers[i]->active ? 1 : 0);
    }
  }
}

// A family whose samples `write` writes from the host record, and which
// stays empty while the host collector is off.
template <typename Write>
FamilySource HostFamily(std::string_view name, std::string_view help,
                        const Snapshot& snapshot, Write write) {
  return {name, help, MetricType::Gauge,
          [&snapshot, write](ExpositionWriter& writer) {
            if (snapshot.host) {
              write(snapshot, writer);
            }
          }};
}

}  // namespace

void AppendHostFamilies(const Snapshot& snapshot,
                        std::vector<FamilySource>& families) {
  families.push_back(HostFamily(
      "docker_compliance_host_check_passed",
      "Whether the host passes the check (1) or fails it (0). No sample when "
      "the check does not apply or its outcome is unknown, or the host "
      "collector is off.",
      snapshot, WriteCheckPassed));
  families.push_back(HostFamily(
      "docker_compliance_host_check_waived",
      "Whether a waiver from the configuration file covers the host's check "
      "result (1), or covered it and has expired (0). No sample without a "
      "waiver.",
      snapshot, WriteCheckWaived));
  families.push_back(HostFamily(
      "docker_compliance_host_file_mode",
      "Permission bits of a host file that a CIS section 3 check judges, as "
      "a number: 0644 is 420.",
      snapshot, [](const Snapshot& with_host, ExpositionWriter& writer) {
        for (const auto& [path, mode] : with_host.host->file_modes) {
          writer.Sample({{"path", path}}, mode);
        }
      }));
  families.push_back(HostFamily(
      "docker_compliance_host_docker_group_members",
      "Users in the host's docker group, who control the engine, CIS Docker "
      "Benchmark 1.1.2.",
      snapshot, [](const Snapshot& with_host, ExpositionWriter& writer) {
        const auto& members = with_host.host->docker_group_members;
        if (members) {
          writer.Sample(static_cast<double>(members->size()));
        }
      }));
  families.push_back(HostFamily(
      "docker_compliance_host_docker_group_member_info",
      "A user in the host's docker group, CIS Docker Benchmark 1.1.2; always "
      "1.",
      snapshot, [](const Snapshot& with_host, ExpositionWriter& writer) {
        const auto& members = with_host.host->docker_group_members;
        for (std::size_t i = 0; members && i < members->size(); ++i) {
          writer.Sample({{"user", (*members)[i]}}, 1);
        }
      }));
  families.push_back(HostFamily(
      "docker_compliance_host_default_ulimits_set",
      "Whether the daemon sets default ulimits for containers (1) or not "
      "(0), CIS Docker Benchmark 2.8.",
      snapshot, [](const Snapshot& with_host, ExpositionWriter& writer) {
        const auto& ulimits_set = with_host.host->default_ulimits_set;
        if (ulimits_set) {
          writer.Sample(*ulimits_set ? 1 : 0);
        }
      }));
}

}  // namespace dce
