// The catalogue of host checks and the evaluation of one host.

#include <array>

#include "collectors/host_checks.h"

namespace dce {
namespace {

constexpr std::string_view kAutomated = "automated";

template <AuditTarget kTarget>
CheckResult CheckAudit(const HostDocuments& host) {
  return JudgeAudit(host, kTarget);
}

template <FileTarget kTarget>
CheckResult CheckRootOwned(const HostDocuments& host) {
  return JudgeFileOwner(host, kTarget, "root");
}

template <FileTarget kTarget, std::uint32_t kAllowed>
CheckResult CheckMode(const HostDocuments& host) {
  return JudgeFileMode(host, kTarget, kAllowed);
}

// The socket belongs to the group that dockerd's `group` setting names,
// `docker` unless set otherwise.
CheckResult CheckEngineSocketOwner(const HostDocuments& host) {
  std::optional<CheckResult> unknown;
  const auto group = FindDaemonSetting(host, "group", &unknown);
  if (group && group->value.is_string() &&
      !group->value.get<std::string>().empty()) {
    return JudgeFileOwner(host, FileTarget::kEngineSocket,
                          group->value.get<std::string>());
  }
  return JudgeFileOwner(host, FileTarget::kEngineSocket, "docker");
}

constexpr std::string_view kAuditTitle =
    "Ensure auditing is configured for Docker files and directories";

// NOTE: titles, levels and assessments are transcribed from the CIS Docker
// Benchmark v1.6.0 and not yet compared line by line with the published
// document. The audit titles name their path after a dash there.
constexpr std::array kHostChecks = {
    HostCheck{{"data_root_partition", "1.1.1",
               "Ensure a separate partition for containers has been created", 2,
               kAutomated},
              &CheckDataRootPartition},
    HostCheck{
        {"audit_dockerd", "1.1.3",
         "Ensure auditing is configured for the Docker daemon", 2, kAutomated},
        &CheckAudit<AuditTarget::kDockerd>},
    HostCheck{{"audit_run_containerd", "1.1.4", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kRunContainerd>},
    HostCheck{{"audit_var_lib_docker", "1.1.5", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kVarLibDocker>},
    HostCheck{{"audit_etc_docker", "1.1.6", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kEtcDocker>},
    HostCheck{{"audit_docker_service", "1.1.7", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kDockerService>},
    HostCheck{{"audit_containerd_sock", "1.1.8", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kContainerdSock>},
    HostCheck{{"audit_docker_socket", "1.1.9", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kDockerSocket>},
    HostCheck{
        {"audit_etc_default_docker", "1.1.10", kAuditTitle, 2, kAutomated},
        &CheckAudit<AuditTarget::kEtcDefaultDocker>},
    HostCheck{{"audit_daemon_json", "1.1.11", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kDaemonJson>},
    HostCheck{{"audit_containerd_config", "1.1.12", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kContainerdConfig>},
    HostCheck{
        {"audit_etc_sysconfig_docker", "1.1.13", kAuditTitle, 2, kAutomated},
        &CheckAudit<AuditTarget::kEtcSysconfigDocker>},
    HostCheck{{"audit_containerd", "1.1.14", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kContainerd>},
    HostCheck{{"audit_containerd_shim", "1.1.15", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kContainerdShim>},
    HostCheck{
        {"audit_containerd_shim_runc_v1", "1.1.16", kAuditTitle, 2, kAutomated},
        &CheckAudit<AuditTarget::kContainerdShimRuncV1>},
    HostCheck{
        {"audit_containerd_shim_runc_v2", "1.1.17", kAuditTitle, 2, kAutomated},
        &CheckAudit<AuditTarget::kContainerdShimRuncV2>},
    HostCheck{{"audit_runc", "1.1.18", kAuditTitle, 2, kAutomated},
              &CheckAudit<AuditTarget::kRunc>},
    HostCheck{{"log_level", "2.3", "Ensure the logging level is set to 'info'",
               1, kAutomated},
              &CheckLogLevel},
    HostCheck{
        {"iptables", "2.4",
         "Ensure Docker is allowed to make changes to iptables", 1, kAutomated},
        &CheckIptables},
    HostCheck{{"tcp_tls", "2.7",
               "Ensure TLS authentication for Docker daemon is configured", 1,
               kAutomated},
              &CheckTcpTls},
    HostCheck{{"daemon_cgroup_parent", "2.10",
               "Ensure that the default cgroup usage has been confirmed", 2,
               kAutomated},
              &CheckDaemonCgroupParent},
    HostCheck{{"daemon_no_new_privileges", "2.14",
               "Ensure containers are restricted from acquiring new "
               "privileges",
               1, kAutomated},
              &CheckDaemonNoNewPrivileges},
    HostCheck{{"userland_proxy", "2.16", "Ensure Userland Proxy is Disabled", 1,
               kAutomated},
              &CheckUserlandProxy},
    HostCheck{{"service_file_owner", "3.1",
               "Ensure that the docker.service file ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kServiceUnit>},
    HostCheck{{"service_file_mode", "3.2",
               "Ensure that docker.service file permissions are "
               "appropriately set",
               1, kAutomated},
              &CheckMode<FileTarget::kServiceUnit, 0644>},
    HostCheck{{"socket_file_owner", "3.3",
               "Ensure that docker.socket file ownership is set to root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kSocketUnit>},
    HostCheck{{"socket_file_mode", "3.4",
               "Ensure that docker.socket file permissions are set to 644 or "
               "more restrictive",
               1, kAutomated},
              &CheckMode<FileTarget::kSocketUnit, 0644>},
    HostCheck{{"etc_docker_owner", "3.5",
               "Ensure that the /etc/docker directory ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kEtcDocker>},
    HostCheck{{"etc_docker_mode", "3.6",
               "Ensure that /etc/docker directory permissions are set to 755 "
               "or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kEtcDocker, 0755>},
    HostCheck{{"certs_d_owner", "3.7",
               "Ensure that registry certificate file ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kCertsD>},
    HostCheck{{"certs_d_mode", "3.8",
               "Ensure that registry certificate file permissions are set to "
               "444 or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kCertsD, 0444>},
    HostCheck{{"tls_ca_owner", "3.9",
               "Ensure that TLS CA certificate file ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kTlsCa>},
    HostCheck{{"tls_ca_mode", "3.10",
               "Ensure that TLS CA certificate file permissions are set to "
               "444 or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kTlsCa, 0444>},
    HostCheck{{"tls_cert_owner", "3.11",
               "Ensure that Docker server certificate file ownership is set "
               "to root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kTlsCert>},
    HostCheck{{"tls_cert_mode", "3.12",
               "Ensure that the Docker server certificate file permissions "
               "are set to 444 or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kTlsCert, 0444>},
    HostCheck{{"tls_key_owner", "3.13",
               "Ensure that the Docker server certificate key file ownership "
               "is set to root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kTlsKey>},
    HostCheck{{"tls_key_mode", "3.14",
               "Ensure that the Docker server certificate key file "
               "permissions are set to 400",
               1, kAutomated},
              &CheckMode<FileTarget::kTlsKey, 0400>},
    HostCheck{{"docker_sock_owner", "3.15",
               "Ensure that the Docker socket file ownership is set to "
               "root:docker",
               1, kAutomated},
              &CheckEngineSocketOwner},
    HostCheck{{"docker_sock_mode", "3.16",
               "Ensure that the Docker socket file permissions are set to 660 "
               "or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kEngineSocket, 0660>},
    HostCheck{{"daemon_json_owner", "3.17",
               "Ensure that the daemon.json file ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kDaemonJson>},
    HostCheck{{"daemon_json_mode", "3.18",
               "Ensure that daemon.json file permissions are set to 644 or "
               "more restrictive",
               1, kAutomated},
              &CheckMode<FileTarget::kDaemonJson, 0644>},
    HostCheck{{"etc_default_docker_owner", "3.19",
               "Ensure that the /etc/default/docker file ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kEtcDefaultDocker>},
    HostCheck{{"etc_default_docker_mode", "3.20",
               "Ensure that the /etc/default/docker file permissions are set "
               "to 644 or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kEtcDefaultDocker, 0644>},
    HostCheck{{"etc_sysconfig_docker_owner", "3.21",
               "Ensure that the /etc/sysconfig/docker file ownership is set "
               "to root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kEtcSysconfigDocker>},
    HostCheck{{"etc_sysconfig_docker_mode", "3.22",
               "Ensure that the /etc/sysconfig/docker file permissions are "
               "set to 644 or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kEtcSysconfigDocker, 0644>},
    HostCheck{{"containerd_sock_owner", "3.23",
               "Ensure that the Containerd socket file ownership is set to "
               "root:root",
               1, kAutomated},
              &CheckRootOwned<FileTarget::kContainerdSocket>},
    HostCheck{{"containerd_sock_mode", "3.24",
               "Ensure that the Containerd socket file permissions are set to "
               "660 or more restrictively",
               1, kAutomated},
              &CheckMode<FileTarget::kContainerdSocket, 0660>},
};

// The targets whose modes the section 3 checks judge, for the
// docker_compliance_host_file_mode facts.
constexpr std::array kModeTargets = {
    FileTarget::kServiceUnit,
    FileTarget::kSocketUnit,
    FileTarget::kEtcDocker,
    FileTarget::kCertsD,
    FileTarget::kTlsCa,
    FileTarget::kTlsCert,
    FileTarget::kTlsKey,
    FileTarget::kEngineSocket,
    FileTarget::kDaemonJson,
    FileTarget::kEtcDefaultDocker,
    FileTarget::kEtcSysconfigDocker,
    FileTarget::kContainerdSocket,
};

}  // namespace

std::span<const HostCheck> HostChecks() { return kHostChecks; }

HostRecord EvaluateHost(const HostDocuments& host) {
  HostRecord record;
  for (const auto& check : HostChecks()) {
    record.results.push_back(check.evaluate(host));
    if (check.info.key == "daemon_no_new_privileges") {
      const Outcome outcome = record.results.back().outcome;
      if (outcome == Outcome::kPass || outcome == Outcome::kFail) {
        record.daemon_no_new_privileges = outcome == Outcome::kPass;
      }
    }
  }

  if (host.accounts) {
    record.docker_group_members = GroupMembers(*host.accounts, "docker");
  }

  std::optional<CheckResult> unknown;
  const auto ulimits = FindDaemonSetting(host, "default-ulimits", &unknown);
  if (!unknown) {
    record.default_ulimits_set =
        ulimits.has_value() && !ulimits->value.is_null() &&
        !(ulimits->value.is_structured() && ulimits->value.empty());
  }

  for (const FileTarget target : kModeTargets) {
    for (const auto& file :
         host.files.at(static_cast<std::size_t>(target)).files) {
      if (!file.error && file.stat.exists) {
        record.file_modes[file.stat.path] = file.stat.mode;
      }
    }
  }
  return record;
}

}  // namespace dce
