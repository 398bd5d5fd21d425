#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

namespace dce {

/// Engine-wide facts behind the benchmark's informational recommendations,
/// which have no pass or fail. Each is nullopt when the engine did not
/// report it with the expected type, and then has no sample.
struct EngineFacts {
  /// From `/info`: ContainersRunning, ContainersPaused, ContainersStopped
  /// (CIS 6.2).
  std::optional<double> containers_running;
  std::optional<double> containers_paused;
  std::optional<double> containers_stopped;
  /// Images in `GET /images/json`, and those that no container uses
  /// (CIS 6.1).
  std::optional<double> images;
  std::optional<double> images_unused;
  /// `/info` `Swarm.Managers`, only while swarm is active (CIS 7.1).
  std::optional<double> swarm_managers;
  /// The `profile=` of the `name=seccomp` entry in `/info`
  /// `SecurityOptions`, such as `default` or `builtin` (CIS 2.17).
  std::optional<std::string> seccomp_profile;
};

/// Reads the facts from `/info` and `GET /images/json`, either of which may
/// be null when its request failed. `used_image_ids` are the image ids of
/// the engine's containers.
EngineFacts ExtractEngineFacts(const nlohmann::json* info,
                               const nlohmann::json* images,
                               const std::set<std::string>& used_image_ids);

}  // namespace dce
