#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/engine_address.h"
#include "collectors/engine_client.h"
#include "collectors/policy.h"
#include "collectors/snapshot.h"

namespace dce {

/// Settings of the inventory, from the `--docker.*` flags.
struct InventoryOptions {
  EngineAddress address;
  std::chrono::milliseconds timeout{10'000};
  /// How long containers stay exported after the engine stops responding.
  std::chrono::milliseconds stale_after{5 * 60'000};
  /// The maximum number of requests in flight at once.
  int max_concurrent_requests = 4;
  CheckSettings check_settings;
};

/// The outcome of one refresh, for the caller to log.
struct RefreshReport {
  bool up = false;
  std::size_t containers = 0;
  std::chrono::duration<double> duration{0};
  /// One line per failure, naming the request and the container involved.
  std::vector<std::string> errors;
  /// The API version in use, when the engine responded.
  std::string api_version;
};

/// Fetches the engine's containers and the documents the checks need,
/// evaluates every check, and publishes the result as a Snapshot.
///
/// Refresh() is not thread-safe: call it from one thread. The store it
/// publishes to may be read from any thread.
class Inventory {
 public:
  Inventory(InventoryOptions options, SnapshotStore& store);

  /// Requests the engine's version, containers, `/info` and networks,
  /// inspects each container, fetches what the checks need, evaluates them
  /// and publishes the result. Engine failures are counted, reported and
  /// published; a failed version or list request publishes `up == false`.
  RefreshReport Refresh();

  /// Makes a Refresh() in progress, and every later one, return within
  /// about a second without counting failures, so that the process can
  /// stop promptly. Thread-safe.
  void Cancel() { cancelled_ = true; }

  /// Replaces the policy (checks, scope, labels, waivers) from the next
  /// refresh on. Thread-safe.
  void SetPolicy(std::shared_ptr<const Policy> policy);

 private:
  struct ContainerDocuments;

  /// Sends GET `path` and parses a JSON reply with status 200. Counts and
  /// reports any other outcome under `stage`, except 404 when
  /// `not_found_is_absent`, which returns null without an error.
  std::optional<nlohmann::json> FetchJson(EngineClient& client,
                                          std::string_view stage,
                                          const std::string& path,
                                          bool not_found_is_absent,
                                          RefreshReport& report);

  /// Runs `task(client, index)` for every index below `count`, on at most
  /// `max_concurrent_requests` threads, each with its own client.
  void ForEachConcurrently(
      std::size_t count,
      const std::function<void(EngineClient&, std::size_t)>& task);

  void CountFailure(std::string_view stage, std::string error,
                    RefreshReport& report);

  void PublishFailure(RefreshReport& report,
                      std::chrono::steady_clock::time_point started);

  InventoryOptions options_;
  SnapshotStore& store_;
  /// One client per concurrent request, kept between refreshes so that
  /// their connections are reused. clients_[0] also sends the version and
  /// list requests.
  std::vector<std::unique_ptr<EngineClient>> clients_;

  std::shared_ptr<const Policy> CurrentPolicy() const;

  std::atomic<bool> cancelled_{false};
  mutable std::mutex policy_mutex_;
  std::shared_ptr<const Policy> policy_ = std::make_shared<const Policy>();
  /// Guards failures_ and the report's errors while workers run.
  std::mutex failures_mutex_;
  std::map<std::string, std::uint64_t, std::less<>> failures_;
  std::optional<std::chrono::steady_clock::time_point> last_success_;
  double last_success_timestamp_seconds_ = 0;
  std::optional<EngineRecord> last_engine_;
  std::vector<CheckResult> last_engine_results_;
  EngineFacts last_engine_facts_;
  /// The last known record of each container, by id.
  std::map<std::string, ContainerRecord> last_records_;
};

/// Percent-encodes everything but unreserved URL characters, so that an id
/// or name taken from the engine stays one path segment.
std::string EscapePathSegment(std::string_view segment);

}  // namespace dce
