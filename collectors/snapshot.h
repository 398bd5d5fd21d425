#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/checks.h"
#include "collectors/container_facts.h"
#include "collectors/engine_facts.h"
#include "collectors/host_checks.h"
#include "collectors/waivers.h"

namespace dce {

/// The stages of a refresh whose failures are counted separately, each
/// named after the engine request it sends.
inline constexpr std::array<std::string_view, 10> kRefreshStages = {
    "version", "list", "info", "networks", "images",
    "inspect", "top",  "exec", "image",    "service"};

/// The evaluated state of one container.
struct ContainerRecord {
  std::string id;
  /// The name without its leading slash.
  std::string name;
  std::string image;
  /// The id of the image it runs (`sha256:...`).
  std::string image_id;
  /// `created`, `running`, `paused`, `restarting`, `removing`, `exited` or
  /// `dead`.
  std::string state;
  CheckResult rootfs_readonly;
  ContainerFacts facts;
  /// One result per entry of ContainerChecks(), in that order; empty when
  /// the checks were not evaluated.
  std::vector<CheckResult> results;
  /// The allow-listed engine labels it has, as (Prometheus label name,
  /// value) pairs for `docker_container_info`.
  std::vector<std::pair<std::string, std::string>> exported_labels;
  /// The waiver covering each result, parallel to `results`; empty when no
  /// waiver covers any of them.
  std::vector<std::optional<AppliedWaiver>> waivers;
};

/// The engine's `GET /version` fields, with the API version in use.
struct EngineRecord {
  std::string engine_version;
  std::string api_version;
  std::string os;
  std::string arch;
};

/// Returns whether `flags`, one of a snapshot's `*_checks_enabled`, enables
/// the check at `index`. Empty flags enable every check.
inline bool CheckEnabled(const std::vector<bool>& flags, std::size_t index) {
  return flags.empty() || (index < flags.size() && flags[index]);
}

/// The evaluated state that one scrape renders. Immutable once published.
struct Snapshot {
  /// Whether the last refresh reached the engine and listed its containers.
  bool up = false;
  /// Whether any refresh has succeeded since the exporter started.
  bool ready = false;
  std::optional<EngineRecord> engine;
  /// One result per entry of EngineChecks(), in that order; empty when the
  /// engine was not reached.
  std::vector<CheckResult> engine_results;
  /// The waiver covering each engine result, parallel to `engine_results`;
  /// empty when no waiver covers any of them.
  std::vector<std::optional<AppliedWaiver>> engine_waivers;
  /// Enabled flags of the checks, one per entry of ContainerChecks() and
  /// EngineChecks(); empty enables every check.
  /// Disabled checks are still evaluated, but neither exported nor
  /// reported.
  std::vector<bool> container_checks_enabled;
  std::vector<bool> engine_checks_enabled;
  /// Enabled flags of the host checks, one per entry of HostChecks(); empty
  /// enables every check.
  std::vector<bool> host_checks_enabled;
  EngineFacts engine_facts;
  /// The host checks and facts; nullopt unless the host collector is on.
  std::optional<HostRecord> host;
  /// The waiver covering each host result, parallel to `host->results`;
  /// empty when no waiver covers any of them or the host collector is off.
  std::vector<std::optional<AppliedWaiver>> host_waivers;
  /// Sorted by name. After failed refreshes these are the last known
  /// containers, until they are older than the stale-after period.
  std::vector<ContainerRecord> containers;
  /// Unix time of the last successful refresh; 0 before the first.
  double last_success_timestamp_seconds = 0;
  double refresh_duration_seconds = 0;
  /// Failures since start, by stage, for every stage in kRefreshStages.
  std::map<std::string, std::uint64_t, std::less<>> refresh_failures;
};

/// Holds the current snapshot. A refresh publishes a new one by swapping the
/// pointer, so a scrape never waits for the engine. Thread-safe.
class SnapshotStore {
 public:
  SnapshotStore() : current_(std::make_shared<const Snapshot>()) {}

  void Publish(std::shared_ptr<const Snapshot> snapshot) {
    std::lock_guard lock(mutex_);
    current_ = std::move(snapshot);
  }

  std::shared_ptr<const Snapshot> Current() const {
    std::lock_guard lock(mutex_);
    return current_;
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_;
};

}  // namespace dce
