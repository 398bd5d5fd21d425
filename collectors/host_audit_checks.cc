// Host checks on the data root's partition (CIS 1.1.1) and on the audit
// rules that watch Docker's files (CIS 1.1.3 to 1.1.18).

#include <array>
#include <string_view>

#include "collectors/check_fields.h"
#include "collectors/host_checks.h"

namespace dce {
namespace {

// A description of each audit target, for reasons when the host has no
// such path.
constexpr std::array<std::string_view, kAuditTargetCount> kAuditTargetNames = {
    "the dockerd binary",
    "/run/containerd",
    "the engine's data root",
    "/etc/docker",
    "the docker.service unit file",
    "/run/containerd/containerd.sock",
    "the docker.socket unit file",
    "/etc/default/docker",
    "daemon.json",
    "/etc/containerd/config.toml",
    "/etc/sysconfig/docker",
    "the containerd binary",
    "the containerd-shim binary",
    "the containerd-shim-runc-v1 binary",
    "the containerd-shim-runc-v2 binary",
    "the runc binary",
};

}  // namespace

CheckResult CheckDataRootPartition(const HostDocuments& host) {
  const HostFileState& state = host.data_root_state;
  if (state.error) {
    return Unknown(*state.error);
  }
  if (!state.stat.exists) {
    return {Outcome::kNotApplicable,
            "the data root " + host.data_root + " does not exist on the host"};
  }
  if (!host.mount_points) {
    return Unknown(host.mounts_error);
  }

  const auto& mounts = *host.mount_points;
  if (mounts.contains(host.data_root) || mounts.contains(state.stat.resolved)) {
    return {Outcome::kPass,
            "the data root " + host.data_root + " is a mount point"};
  }
  return {Outcome::kFail, "the data root " + host.data_root +
                              " is not a mount point in the host's mount "
                              "table, so it shares a partition"};
}

CheckResult JudgeAudit(const HostDocuments& host, AuditTarget target) {
  const auto index = static_cast<std::size_t>(target);
  const HostFileState& state = host.audit_targets.at(index);
  const std::string name(kAuditTargetNames.at(index));
  if (state.error) {
    return Unknown(*state.error);
  }
  if (state.stat.path.empty()) {
    return {Outcome::kNotApplicable, name + " was not found on the host"};
  }
  const std::string& path = state.stat.path;
  if (!state.stat.exists) {
    return {Outcome::kNotApplicable, path + " does not exist on the host"};
  }

  // A rule may name the path or the file its links lead to.
  const auto& watched = host.audit.watched;
  if (watched.contains(path) || watched.contains(state.stat.resolved)) {
    return {Outcome::kPass, "an audit rule watches " + path};
  }
  // The unreadable file may hold the rule.
  if (host.audit.error) {
    return Unknown(*host.audit.error);
  }
  if (!host.audit.any_rules_file) {
    return {Outcome::kFail,
            "no audit rules file exists (/etc/audit/audit.rules or "
            "/etc/audit/rules.d/*.rules), so nothing watches " +
                path};
  }
  return {Outcome::kFail, "no audit rule watches " + path};
}

}  // namespace dce
