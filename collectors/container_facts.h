#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace dce {

/// The host namespaces a container can share, as the
/// `docker_container_host_namespace_shared` metric labels them, with the
/// `HostConfig` field that sets each.
struct HostNamespace {
  std::string_view label;
  std::string_view field;
};

inline constexpr std::array<HostNamespace, 5> kHostNamespaces = {{
    {"network", "NetworkMode"},
    {"pid", "PidMode"},
    {"ipc", "IpcMode"},
    {"uts", "UTSMode"},
    {"user", "UsernsMode"},
}};

/// Settings of one container exported as plain numbers, beside the check
/// results. Each is nullopt when the engine did not report it with the
/// expected type, and then has no sample.
struct ContainerFacts {
  std::optional<bool> privileged;
  /// `HostConfig.Memory`; 0 means no limit.
  std::optional<double> memory_limit_bytes;
  /// `HostConfig.PidsLimit`; 0 and -1 mean no limit, as does null, which
  /// is exported as 0.
  std::optional<double> pids_limit;
  /// Whether each namespace in kHostNamespaces is the host's.
  std::array<std::optional<bool>, kHostNamespaces.size()> host_namespaces;
  /// Host port bindings, from `NetworkSettings.Ports` for a running
  /// container and `HostConfig.PortBindings` otherwise.
  std::optional<double> published_ports;
  /// Entries in `HostConfig.CapAdd`.
  std::optional<double> capabilities_added;
  /// Entries in `HostConfig.Ulimits`.
  std::optional<double> ulimits_overridden;
};

/// Reads the facts from the document of `GET /containers/{id}/json`.
ContainerFacts ExtractContainerFacts(const nlohmann::json& inspect);

}  // namespace dce
