#pragma once

// The host checks of CIS Docker Benchmark sections 1 to 3 that the Engine
// API does not report: audit rules, the daemon's configuration, and the
// owners and modes of the engine's files. Each check is a pure function of
// HostDocuments, which the host collector reads from the host's files.

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "collectors/check_catalogue.h"
#include "collectors/checks.h"
#include "collectors/host_files.h"
#include "collectors/host_parsers.h"

namespace dce {

/// A host path that a check judges, or why it could not be looked at.
struct HostFileState {
  /// Stat of the path; `exists` is false when it is not on the host.
  HostFileStat stat;
  /// Set when the path could not be looked up, such as permission denied.
  std::optional<std::string> error;
};

/// The paths that the audit checks (CIS 1.1.3 to 1.1.18) look for, in
/// benchmark order.
enum class AuditTarget : std::size_t {
  kDockerd,
  kRunContainerd,
  kVarLibDocker,
  kEtcDocker,
  kDockerService,
  kContainerdSock,
  kDockerSocket,
  kEtcDefaultDocker,
  kDaemonJson,
  kContainerdConfig,
  kEtcSysconfigDocker,
  kContainerd,
  kContainerdShim,
  kContainerdShimRuncV1,
  kContainerdShimRuncV2,
  kRunc,
};
inline constexpr std::size_t kAuditTargetCount = 16;

/// The files whose owner and mode the checks of CIS section 3 judge.
enum class FileTarget : std::size_t {
  kServiceUnit,
  kSocketUnit,
  kEtcDocker,
  kCertsD,
  kTlsCa,
  kTlsCert,
  kTlsKey,
  kEngineSocket,
  kDaemonJson,
  kEtcDefaultDocker,
  kEtcSysconfigDocker,
  kContainerdSocket,
};
inline constexpr std::size_t kFileTargetCount = 12;

/// The files of one FileTarget.
struct FileTargetState {
  /// Empty when the target names no file, and `absent_reason` then gives
  /// the reason.
  std::vector<HostFileState> files;
  std::string absent_reason;
  /// Set when the files could not be listed, such as certs.d unreadable.
  std::optional<std::string> error;
};

/// The persistent audit rules.
struct AuditRules {
  /// Watched paths as written, and after their links on the host.
  std::set<std::string> watched;
  /// Whether any rules file exists.
  bool any_rules_file = false;
  /// The first rules file that could not be read.
  std::optional<std::string> error;
};

/// The daemon's configuration: daemon.json and the dockerd command line.
struct DaemonConfig {
  /// The daemon.json path, from --config-file or the default.
  std::string config_file = "/etc/docker/daemon.json";
  /// Set when daemon.json could not be read or parsed; the daemon checks
  /// are then unknown.
  std::optional<std::string> error;
  /// The merged settings; daemon.json alone when the command line is
  /// unknown.
  DaemonSettings settings;
  /// The reason the dockerd command line could not be read, if it could
  /// not.
  std::optional<std::string> command_line_error;
  /// The pid of the dockerd whose command line was read; empty when none.
  std::string pid;
};

/// Everything the host checks read, gathered by the host collector.
struct HostDocuments {
  /// Names from the host's passwd and group files; nullopt with
  /// `accounts_error` when they could not be read.
  std::optional<HostAccounts> accounts;
  std::string accounts_error;
  /// The engine's data root: `/info` `DockerRootDir`, else daemon.json's
  /// `data-root`, else /var/lib/docker.
  std::string data_root = "/var/lib/docker";
  HostFileState data_root_state;
  /// Mount points of the host's mount table; nullopt with `mounts_error`
  /// when it could not be read.
  std::optional<std::set<std::string>> mount_points;
  std::string mounts_error;
  AuditRules audit;
  /// The path each audit check looks for; an empty path means none was
  /// found, such as a binary in none of the host's bin directories.
  std::array<HostFileState, kAuditTargetCount> audit_targets;
  DaemonConfig daemon;
  std::array<FileTargetState, kFileTargetCount> files;
};

/// A check of the host.
struct HostCheck {
  CheckInfo info;
  CheckResult (*evaluate)(const HostDocuments& host);
};

/// Every host check, in benchmark order.
std::span<const HostCheck> HostChecks();

/// The evaluated host, for the snapshot.
struct HostRecord {
  /// One result per entry of HostChecks(), in that order.
  std::vector<CheckResult> results;
  /// Members of the host's docker group (CIS 1.1.2); nullopt when the
  /// group file could not be read.
  std::optional<std::vector<std::string>> docker_group_members;
  /// Whether daemon.json or the command line sets default ulimits (CIS
  /// 2.8); nullopt when unknown.
  std::optional<bool> default_ulimits_set;
  /// Permission bits of each path a mode check judged, by host path.
  std::map<std::string, std::uint32_t> file_modes;
  /// Whether the daemon enforces no-new-privileges for every container, as
  /// CIS 2.14 judged it; nullopt when unknown.
  std::optional<bool> daemon_no_new_privileges;
};

/// Evaluates every host check and the host facts.
HostRecord EvaluateHost(const HostDocuments& host);

// The checks, one function per key, in host_audit_checks.cc,
// host_daemon_checks.cc and host_file_checks.cc.
CheckResult CheckDataRootPartition(const HostDocuments& host);  // 1.1.1
CheckResult JudgeAudit(const HostDocuments& host, AuditTarget target);
CheckResult CheckLogLevel(const HostDocuments& host);               // 2.3
CheckResult CheckIptables(const HostDocuments& host);               // 2.4
CheckResult CheckTcpTls(const HostDocuments& host);                 // 2.7
CheckResult CheckDaemonCgroupParent(const HostDocuments& host);     // 2.10
CheckResult CheckDaemonNoNewPrivileges(const HostDocuments& host);  // 2.14
CheckResult CheckUserlandProxy(const HostDocuments& host);          // 2.16
/// Judges that every file of `target` is owned by user root and group
/// `group`.
CheckResult JudgeFileOwner(const HostDocuments& host, FileTarget target,
                           std::string_view group);
/// Judges that no file of `target` has a permission bit outside `allowed`.
CheckResult JudgeFileMode(const HostDocuments& host, FileTarget target,
                          std::uint32_t allowed);

/// Returns the daemon setting `key` as the checks read it: the merged value,
/// or nullopt with `unknown` set when it cannot be known, or nullopt with
/// `unknown` unset when the daemon uses its default.
std::optional<DaemonSetting> FindDaemonSetting(
    const HostDocuments& host, std::string_view key,
    std::optional<CheckResult>* unknown);

}  // namespace dce
