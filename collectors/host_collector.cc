#include "collectors/host_collector.h"

#include <array>

#include "collectors/engine_fields.h"
#include "collectors/host_daemon_config.h"

namespace dce {
namespace {

// Limits on what is read, so that a huge file cannot exhaust memory.
constexpr std::size_t kMaxAccountsBytes = 16U << 20U;
constexpr std::size_t kMaxConfigBytes = 4U << 20U;

constexpr std::string_view kDefaultEngineSocket = "/var/run/docker.sock";

// systemd's unit search path for the system manager, highest precedence
// first: the first copy found is the one systemd loads.
constexpr std::array<std::string_view, 5> kUnitDirectories = {
    "/etc/systemd/system", "/run/systemd/system",
    "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",
    "/lib/systemd/system"};

// The directories of a root shell's usual PATH, in order.
constexpr std::array<std::string_view, 6> kBinDirectories = {
    "/usr/local/sbin", "/usr/local/bin", "/usr/sbin",
    "/usr/bin",        "/sbin",          "/bin"};

HostFileState StatState(const HostFiles& files, std::string_view path) {
  HostFileState state;
  auto stat = files.Stat(path);
  if (stat) {
    state.stat = std::move(stat).value();
  } else {
    state.stat.path = std::string(path);
    state.error = stat.error().message;
  }
  return state;
}

std::optional<HostAccounts> ReadAccounts(const HostFiles& files,
                                         std::string* error) {
  HostAccounts accounts;
  for (const std::string_view path : {"/etc/passwd", "/etc/group"}) {
    auto text = files.Read(path, kMaxAccountsBytes);
    if (!text) {
      *error = text.error().message;
      return std::nullopt;
    }
    if (!text.value()) {
      *error = std::string(path) + " does not exist on the host";
      return std::nullopt;
    }
    if (path == "/etc/passwd") {
      ParsePasswd(*text.value(), accounts);
    } else {
      ParseGroup(*text.value(), accounts);
    }
  }
  return accounts;
}

AuditRules ReadAuditRules(const HostFiles& files) {
  AuditRules rules;
  std::vector<std::string> paths = {"/etc/audit/audit.rules"};
  auto listed = files.List("/etc/audit/rules.d");
  if (!listed) {
    rules.error = listed.error().message;
  } else if (listed.value()) {
    for (const auto& name : *listed.value()) {
      if (name.ends_with(".rules")) {
        paths.push_back(JoinHostPath("/etc/audit/rules.d", name));
      }
    }
  }

  for (const auto& path : paths) {
    auto text = files.Read(path, kMaxConfigBytes);
    if (!text) {
      if (!rules.error) {
        rules.error = text.error().message;
      }
      continue;
    }
    if (!text.value()) {
      continue;
    }
    rules.any_rules_file = true;
    for (const auto& watch : ParseAuditWatches(*text.value())) {
      rules.watched.insert(watch);
      auto resolved = files.Resolve(watch);
      if (resolved) {
        rules.watched.insert(resolved.value());
      }
    }
  }
  return rules;
}

// Returns the unit file systemd loads for `unit`, or a state with an empty
// path when there is none. A unit linked to /dev/null is masked.
HostFileState FindUnit(const HostFiles& files, std::string_view unit,
                       std::string* absent_reason) {
  for (const auto directory : kUnitDirectories) {
    HostFileState state = StatState(files, JoinHostPath(directory, unit));
    if (state.error) {
      return state;
    }
    // The link marks the unit masked whether or not the rootfs has a
    // /dev/null of its own.
    if (state.stat.resolved == "/dev/null") {
      *absent_reason = std::string(unit) + " is masked";
      return {};
    }
    if (state.stat.exists) {
      return state;
    }
  }
  *absent_reason =
      "no " + std::string(unit) + " unit file is in systemd's unit directories";
  return {};
}

HostFileState FindBinary(const HostFiles& files, std::string_view name) {
  for (const auto directory : kBinDirectories) {
    HostFileState state = StatState(files, JoinHostPath(directory, name));
    if (state.error || state.stat.exists) {
      return state;
    }
  }
  return {};
}

FileTargetState SingleFile(const HostFiles& files, std::string_view path) {
  FileTargetState target;
  target.files.push_back(StatState(files, path));
  return target;
}

FileTargetState UnitTarget(const HostFileState& unit,
                           const std::string& absent_reason) {
  FileTargetState target;
  if (!unit.stat.path.empty()) {
    target.files.push_back(unit);
  }
  target.absent_reason = absent_reason;
  return target;
}

// Every regular file under /etc/docker/certs.d, which contains one directory
// per registry.
FileTargetState CertsDTarget(const HostFiles& files) {
  constexpr std::string_view kCertsD = "/etc/docker/certs.d";
  FileTargetState target;
  std::vector<std::string> pending = {std::string(kCertsD)};
  while (!pending.empty()) {
    const std::string directory = pending.back();
    pending.pop_back();
    auto names = files.List(directory);
    if (!names) {
      target.error = names.error().message;
      continue;
    }
    if (!names.value()) {
      continue;
    }
    for (const auto& name : *names.value()) {
      HostFileState state = StatState(files, JoinHostPath(directory, name));
      if (state.stat.directory) {
        // Links are followed, so a link back up would loop.
        if (pending.size() + target.files.size() < 4096) {
          pending.push_back(state.stat.path);
        }
        continue;
      }
      target.files.push_back(std::move(state));
    }
  }
  if (target.files.empty()) {
    target.absent_reason = "no file is under " + std::string(kCertsD);
  }
  return target;
}

// The file a TLS setting names, or why there is none to judge.
FileTargetState TlsTarget(const HostFiles& files, const HostDocuments& host,
                          std::string_view key) {
  FileTargetState target;
  std::optional<CheckResult> unknown;
  const auto setting = FindDaemonSetting(host, key, &unknown);
  if (unknown) {
    target.error = unknown->reason;
  } else if (!setting || !setting->value.is_string() ||
             setting->value.get<std::string>().empty()) {
    target.absent_reason = std::string(key) + " is not set";
  } else {
    target.files.push_back(StatState(files, setting->value.get<std::string>()));
  }
  return target;
}

// The unix sockets the daemon listens on; its default socket when no
// `hosts` setting names one, also when the setting cannot be read.
FileTargetState EngineSocketTarget(const HostFiles& files,
                                   const HostDocuments& host) {
  FileTargetState target;
  std::optional<CheckResult> unknown;
  const auto hosts = FindDaemonSetting(host, "hosts", &unknown);
  if (hosts && hosts->value.is_array()) {
    for (const auto& address : hosts->value) {
      if (address.is_string() &&
          address.get<std::string>().starts_with("unix://")) {
        target.files.push_back(
            StatState(files, address.get<std::string>().substr(7)));
      }
    }
  }
  if (target.files.empty()) {
    target.files.push_back(StatState(files, kDefaultEngineSocket));
  }
  return target;
}

std::string DataRoot(const HostDocuments& host, const nlohmann::json* info) {
  if (info != nullptr) {
    const auto* root = FindPath(*info, "DockerRootDir");
    if (root != nullptr && root->is_string() &&
        !root->get<std::string>().empty()) {
      return root->get<std::string>();
    }
  }
  std::optional<CheckResult> unknown;
  const auto setting = FindDaemonSetting(host, "data-root", &unknown);
  if (setting && setting->value.is_string() &&
      !setting->value.get<std::string>().empty()) {
    return setting->value.get<std::string>();
  }
  return "/var/lib/docker";
}

}  // namespace

HostDocuments CollectHostDocuments(const HostCollectorOptions& options,
                                   const nlohmann::json* info) {
  const HostFiles files(options.rootfs);
  HostDocuments host;

  host.accounts = ReadAccounts(files, &host.accounts_error);
  host.daemon = ReadDaemonConfig(options, files);

  host.data_root = DataRoot(host, info);
  host.data_root_state = StatState(files, host.data_root);
  // PID 1's mount table is the host's when procfs is the host's /proc.
  const std::string mountinfo_path = options.procfs + "/1/mountinfo";
  const auto mountinfo = ReadProcFile(mountinfo_path);
  if (!mountinfo) {
    host.mounts_error = mountinfo.error().message;
  } else if (!mountinfo.value()) {
    host.mounts_error = "cannot read " + mountinfo_path + ": it does not exist";
  } else {
    host.mount_points = ParseMountPoints(*mountinfo.value());
  }

  std::string service_absent;
  std::string socket_absent;
  const HostFileState service =
      FindUnit(files, "docker.service", &service_absent);
  const HostFileState socket = FindUnit(files, "docker.socket", &socket_absent);

  host.audit = ReadAuditRules(files);
  auto& audit = host.audit_targets;
  const auto at = [&audit](AuditTarget target) -> HostFileState& {
    return audit.at(static_cast<std::size_t>(target));
  };
  at(AuditTarget::kDockerd) = FindBinary(files, "dockerd");
  at(AuditTarget::kRunContainerd) = StatState(files, "/run/containerd");
  at(AuditTarget::kVarLibDocker) = host.data_root_state;
  at(AuditTarget::kEtcDocker) = StatState(files, "/etc/docker");
  at(AuditTarget::kDockerService) = service;
  at(AuditTarget::kContainerdSock) =
      StatState(files, "/run/containerd/containerd.sock");
  at(AuditTarget::kDockerSocket) = socket;
  at(AuditTarget::kEtcDefaultDocker) = StatState(files, "/etc/default/docker");
  at(AuditTarget::kDaemonJson) = StatState(files, host.daemon.config_file);
  at(AuditTarget::kContainerdConfig) =
      StatState(files, "/etc/containerd/config.toml");
  at(AuditTarget::kEtcSysconfigDocker) =
      StatState(files, "/etc/sysconfig/docker");
  at(AuditTarget::kContainerd) = FindBinary(files, "containerd");
  at(AuditTarget::kContainerdShim) = FindBinary(files, "containerd-shim");
  at(AuditTarget::kContainerdShimRuncV1) =
      FindBinary(files, "containerd-shim-runc-v1");
  at(AuditTarget::kContainerdShimRuncV2) =
      FindBinary(files, "containerd-shim-runc-v2");
  at(AuditTarget::kRunc) = FindBinary(files, "runc");

  auto& targets = host.files;
  const auto file = [&targets](FileTarget target) -> FileTargetState& {
    return targets.at(static_cast<std::size_t>(target));
  };
  file(FileTarget::kServiceUnit) = UnitTarget(service, service_absent);
  file(FileTarget::kSocketUnit) = UnitTarget(socket, socket_absent);
  file(FileTarget::kEtcDocker) = SingleFile(files, "/etc/docker");
  file(FileTarget::kCertsD) = CertsDTarget(files);
  file(FileTarget::kTlsCa) = TlsTarget(files, host, "tlscacert");
  file(FileTarget::kTlsCert) = TlsTarget(files, host, "tlscert");
  file(FileTarget::kTlsKey) = TlsTarget(files, host, "tlskey");
  file(FileTarget::kEngineSocket) = EngineSocketTarget(files, host);
  file(FileTarget::kDaemonJson) = SingleFile(files, host.daemon.config_file);
  file(FileTarget::kEtcDefaultDocker) =
      SingleFile(files, "/etc/default/docker");
  file(FileTarget::kEtcSysconfigDocker) =
      SingleFile(files, "/etc/sysconfig/docker");
  file(FileTarget::kContainerdSocket) =
      SingleFile(files, "/run/containerd/containerd.sock");
  return host;
}

HostRecord CollectHost(const HostCollectorOptions& options,
                       const nlohmann::json* info) {
  return EvaluateHost(CollectHostDocuments(options, info));
}

}  // namespace dce
