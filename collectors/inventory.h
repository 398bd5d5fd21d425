#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/engine_address.h"
#include "collectors/engine_client.h"
#include "collectors/snapshot.h"

namespace dce {

/// Settings of the inventory, from the `--docker.*` flags.
struct InventoryOptions {
  EngineAddress address;
  std::chrono::milliseconds timeout{10'000};
  /// How long containers stay exported after the engine stops responding.
  std::chrono::milliseconds stale_after{5 * 60'000};
  /// The maximum number of inspect requests in flight at once.
  int max_concurrent_requests = 4;
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

/// Keeps the list of containers and their inspect documents and publishes
/// an evaluated Snapshot after each refresh.
///
/// Refresh() is not thread-safe: call it from one thread. The store it
/// publishes to may be read from any thread.
class Inventory {
 public:
  Inventory(InventoryOptions options, SnapshotStore& store);

  /// Asks the engine for its version and containers, inspects each
  /// container, evaluates the checks and publishes the result. Never
  /// throws for engine failures: they are counted, reported and published
  /// as `up == false`.
  RefreshReport Refresh();

 private:
  struct InspectResult {
    std::optional<ContainerRecord> record;
    bool removed = false;
    std::optional<std::string> error;
  };

  InspectResult Inspect(EngineClient& client, const std::string& api_prefix,
                        const std::string& id, const std::string& list_name);

  void PublishFailure(RefreshReport& report,
                      std::chrono::steady_clock::time_point started);

  InventoryOptions options_;
  SnapshotStore& store_;
  /// One client per concurrent request, kept between refreshes so that
  /// their connections are reused. clients_[0] also sends the version and
  /// list requests.
  std::vector<std::unique_ptr<EngineClient>> clients_;

  std::map<std::string, std::uint64_t, std::less<>> failures_;
  std::optional<std::chrono::steady_clock::time_point> last_success_;
  double last_success_timestamp_seconds_ = 0;
  std::optional<EngineRecord> last_engine_;
  /// The last known record of each container, by id.
  std::map<std::string, ContainerRecord> last_records_;
};

/// Percent-encodes everything but unreserved URL characters, so that an id
/// or name taken from the engine stays one path segment.
std::string EscapePathSegment(std::string_view segment);

}  // namespace dce
