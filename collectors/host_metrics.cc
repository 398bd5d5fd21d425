#include "collectors/host_metrics.h"

#include <string>
#include <utility>

namespace dce {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Gauge(std::string name, std::string help) {
  return MetricFamily{std::move(name), std::move(help), MetricType::Gauge, {}};
}

void AddSample(MetricFamily& family, double value,
               std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric sample;
  sample.label = std::move(labels);
  sample.gauge.value = value;
  family.metric.push_back(std::move(sample));
}

bool HostCheckEnabled(const Snapshot& snapshot, std::size_t index) {
  const auto& enabled = snapshot.host_checks_enabled;
  return enabled.empty() || (index < enabled.size() && enabled[index]);
}

}  // namespace

void AppendHostFamilies(const Snapshot& snapshot,
                        std::vector<MetricFamily>& families) {
  auto passed = Gauge("docker_compliance_host_check_passed",
                      "Whether the host passes the check (1) or fails it "
                      "(0). No sample when the check does not apply or its "
                      "outcome is unknown, or the host collector is off.");
  auto waived = Gauge("docker_compliance_host_check_waived",
                      "Whether a waiver from the configuration file covers "
                      "the host's check result (1), or covered it and has "
                      "expired (0). No sample without a waiver.");
  auto modes = Gauge("docker_compliance_host_file_mode",
                     "Permission bits of a host file that a CIS section 3 "
                     "check judges, as a number: 0644 is 420.");
  auto members = Gauge("docker_compliance_host_docker_group_members",
                       "Users in the host's docker group, who control the "
                       "engine, CIS Docker Benchmark 1.1.2.");
  auto member_info = Gauge("docker_compliance_host_docker_group_member_info",
                           "A user in the host's docker group, CIS Docker "
                           "Benchmark 1.1.2; always 1.");
  auto ulimits = Gauge("docker_compliance_host_default_ulimits_set",
                       "Whether the daemon sets default ulimits for "
                       "containers (1) or not (0), CIS Docker Benchmark "
                       "2.8.");

  if (snapshot.host) {
    const HostRecord& host = *snapshot.host;
    const auto checks = HostChecks();
    for (std::size_t i = 0; i < host.results.size() && i < checks.size(); ++i) {
      if (!HostCheckEnabled(snapshot, i)) {
        continue;
      }
      const Outcome outcome = host.results[i].outcome;
      if (outcome == Outcome::kPass || outcome == Outcome::kFail) {
        AddSample(passed, outcome == Outcome::kPass ? 1 : 0,
                  {{"check", std::string(checks[i].info.key)}});
      }
    }
    for (std::size_t i = 0;
         i < snapshot.host_waivers.size() && i < checks.size(); ++i) {
      // 1 while the waiver holds, 0 once it has expired.
      if (snapshot.host_waivers[i] && HostCheckEnabled(snapshot, i)) {
        AddSample(waived, snapshot.host_waivers[i]->active ? 1 : 0,
                  {{"check", std::string(checks[i].info.key)}});
      }
    }
    for (const auto& [path, mode] : host.file_modes) {
      AddSample(modes, mode, {{"path", path}});
    }
    if (host.docker_group_members) {
      AddSample(members,
                static_cast<double>(host.docker_group_members->size()));
      for (const auto& user : *host.docker_group_members) {
        AddSample(member_info, 1, {{"user", user}});
      }
    }
    if (host.default_ulimits_set) {
      AddSample(ulimits, *host.default_ulimits_set ? 1 : 0);
    }
  }

  families.push_back(std::move(passed));
  families.push_back(std::move(waived));
  families.push_back(std::move(modes));
  families.push_back(std::move(members));
  families.push_back(std::move(member_info));
  families.push_back(std::move(ulimits));
}

}  // namespace dce
