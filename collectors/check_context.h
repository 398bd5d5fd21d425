#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dce {

/// Settings that change how checks judge, from flags and configuration.
struct CheckSettings {
  /// Host paths that must not be bind-mounted read-write (CIS 5.6),
  /// compared as whole paths after trailing slashes are removed.
  std::vector<std::string> sensitive_paths = {"/",    "/boot", "/dev", "/etc",
                                              "/lib", "/proc", "/sys", "/usr"};
  /// The engine socket the exporter itself uses, such as
  /// /var/run/docker.sock; empty for a TCP engine (CIS 5.32).
  std::string engine_socket_path;
  /// The maximum swarm node certificate lifetime that passes (CIS 7.7).
  std::chrono::seconds max_node_cert_expiry{90LL * 24 * 3600};
  /// Whether the daemon enforces no-new-privileges for every container,
  /// as read from the host's files; nullopt when the host is not read.
  std::optional<bool> daemon_no_new_privileges;
};

/// The documents one container check may read. A pointer is null when the
/// document was not fetched or its request failed; a check that needs it
/// then returns unknown.
struct ContainerContext {
  /// `GET /containers/{id}/json`, always present.
  const nlohmann::json& inspect;
  /// `GET /info`.
  const nlohmann::json* info = nullptr;
  /// `GET /containers/{id}/top`, fetched for running containers only.
  const nlohmann::json* top = nullptr;
  /// `GET /images/{Image}/json` for the image id the container runs.
  const nlohmann::json* image = nullptr;
  /// `GET /images/{Config.Image}/json`: what the tag the container was
  /// created from names now. Null also when the tag no longer exists.
  const nlohmann::json* image_by_tag = nullptr;
  /// `GET /exec/{id}/json` for each id in the container's `ExecIDs`.
  const std::vector<nlohmann::json>* execs = nullptr;
  /// `GET /services/{id}` for a swarm task's service, on managers only.
  const nlohmann::json* service = nullptr;
  /// `GET /networks`: every network, with its name, `Driver` and `Options`.
  const nlohmann::json* networks = nullptr;
  const CheckSettings& settings;
};

/// The documents one engine check may read; null as in ContainerContext.
struct EngineContext {
  /// `GET /info`.
  const nlohmann::json* info = nullptr;
  /// `GET /networks`: every network, with its `Driver` and `Options`.
  const nlohmann::json* networks = nullptr;
  const CheckSettings& settings;
};

/// Returns the member at a dotted path such as `HostConfig.ReadonlyRootfs`,
/// or null when a member on the way is absent or not an object.
const nlohmann::json* FindPath(const nlohmann::json& document,
                               std::string_view dotted_path);

/// Returns the number at a dotted path, or nullopt when it is absent or not
/// a number.
std::optional<double> NumberAt(const nlohmann::json& document,
                               std::string_view dotted_path);

}  // namespace dce
