#pragma once

#include <prometheus/collectable.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collectors/inventory.h"
#include "collectors/policy.h"
#include "collectors/result.h"
#include "collectors/snapshot_collector.h"
#include "exporter/flags.h"

namespace dce {

/// Logs a warning for each waiver whose expiry date has passed at `now`:
/// such a waiver no longer applies.
void LogExpiredWaivers(const Policy& policy,
                       std::chrono::system_clock::time_point now);

/// Re-reads the configuration file on SIGHUP or `POST /-/reload`, applies
/// its checks, scope, labels and waivers to the inventory, and exports
/// whether the last reload succeeded, as Prometheus does for its own
/// configuration. An invalid file keeps the running policy.
///
/// The other keys (listen address, engine address, timeouts, intervals,
/// logging) are validated on reload but take effect at the next start.
///
/// Thread-safe.
class ConfigReloader : public prometheus::Collectable {
 public:
  /// `arguments` and `environment` are those the process started with; a
  /// reload parses them again with the file's new content.
  ConfigReloader(std::vector<std::string> arguments,
                 FlagEnvironment environment, BuildInfo build_info,
                 Inventory& inventory, std::shared_ptr<const Policy> policy);

  /// Re-reads the file, then applies it or logs why it is invalid. Returns
  /// the error of an invalid file.
  std::optional<Error> Reload();

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<std::string> arguments_;
  FlagEnvironment environment_;
  BuildInfo build_info_;
  Inventory& inventory_;

  /// Serializes reloads, and guards the members below.
  mutable std::mutex mutex_;
  std::shared_ptr<const Policy> policy_;
  bool last_reload_successful_ = true;
  double last_success_timestamp_seconds_ = 0;
};

/// Joins the metric families of several collectables into one response,
/// sorted by name. The collectables must outlive it.
class CollectableList : public prometheus::Collectable {
 public:
  explicit CollectableList(
      std::vector<const prometheus::Collectable*> collectables)
      : collectables_(std::move(collectables)) {}

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<const prometheus::Collectable*> collectables_;
};

}  // namespace dce
