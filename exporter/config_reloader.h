#pragma once

#include <prometheus/collectable.h>

#include <functional>
#include <map>
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

/// Logs a warning for each waiver of the host while the host collector is
/// off: such a waiver covers no result.
void LogIdleHostWaivers(const Policy& policy, bool host_collector_on);

/// Returns the keys of the settings that differ between `running` and
/// `reloaded`, both Options::restart_only_settings, in key order.
std::vector<std::string> ChangedRestartOnlyKeys(
    const std::map<std::string, std::string, std::less<>>& running,
    const std::map<std::string, std::string, std::less<>>& reloaded);

/// Re-reads the configuration file on SIGHUP or `POST /-/reload`, applies
/// its checks, scope, labels and waivers to the inventory, and exports
/// whether the last reload succeeded, as Prometheus does for its own
/// configuration. An invalid file keeps the running policy.
///
/// The other keys (listen address, engine address, timeouts, intervals,
/// logging, host paths) are validated on reload but take effect at the next
/// start; a reload logs a warning naming each one that changed.
///
/// Thread-safe.
class ConfigReloader : public prometheus::Collectable {
 public:
  /// `arguments` and `environment` are those the process started with; a
  /// reload parses them again with the file's new content. `running` is
  /// what the process started with. `on_applied` runs after each successful
  /// reload, such as to request a full refresh that applies the new policy
  /// at once; it must not call Reload().
  ConfigReloader(std::vector<std::string> arguments,
                 FlagEnvironment environment, BuildInfo build_info,
                 Inventory& inventory, const Options& running,
                 std::function<void()> on_applied = {});

  /// Re-reads the file, then applies it or logs why it is invalid. Returns
  /// the error of an invalid file.
  std::optional<Error> Reload();

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  std::vector<std::string> arguments_;
  FlagEnvironment environment_;
  BuildInfo build_info_;
  Inventory& inventory_;
  std::map<std::string, std::string, std::less<>> running_settings_;
  bool host_collector_on_ = false;
  std::function<void()> on_applied_;

  /// Serializes reloads, and guards the members below.
  mutable std::mutex mutex_;
  std::shared_ptr<const Policy> policy_;
  bool last_reload_successful_ = true;
  double last_success_timestamp_seconds_ = 0;
};

}  // namespace dce
