#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/engine_address.h"
#include "collectors/engine_client.h"
#include "collectors/host_collector.h"
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
  /// Called after each container of a full refresh is evaluated, with the
  /// number evaluated so far and the number listed, from the inspection
  /// workers, possibly at the same time. Unset means no call.
  std::function<void(std::size_t evaluated, std::size_t listed)> on_progress;
  /// The location of the host's files; nullopt leaves the host checks out.
  std::optional<HostCollectorOptions> host;
};

/// A failed engine request or rejected response.
struct RefreshFailure {
  /// The request, one of kRefreshStages.
  std::string stage;
  /// The failure, naming the request and the container involved.
  std::string message;
};

/// The outcome of one refresh, for the caller to log.
struct RefreshReport {
  bool up = false;
  std::size_t containers = 0;
  std::chrono::duration<double> duration{0};
  std::vector<RefreshFailure> failures;
  /// The API version in use, when the engine responded.
  std::string api_version;
  /// Whether this was RefreshContainers() rather than a full refresh.
  bool partial = false;
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

  /// Inspects the given containers again, with the engine's `/info` and
  /// image list, and publishes a snapshot in which only they and the
  /// engine's results have changed; a container the engine no longer has
  /// is dropped. For changes reported by the engine's event stream. Does
  /// nothing, and reports `up == false`, until a full refresh has
  /// succeeded, since the API version is not known before.
  RefreshReport RefreshContainers(const std::set<std::string>& container_ids);

  /// Makes a Refresh() in progress, and every later one, return within
  /// about a second without counting failures, so that the process can
  /// stop promptly. Thread-safe.
  void Cancel() { cancelled_ = true; }

  /// Replaces the policy (checks, scope, labels, waivers) from the next
  /// refresh on. Thread-safe.
  void SetPolicy(std::shared_ptr<const Policy> policy);

 private:
  struct ContainerDocuments;

  /// Documents that several containers may share (images, services),
  /// fetched once per refresh by whichever worker needs them first.
  /// Thread-safe.
  class DocumentCache {
   public:
    /// The document for `key`, calling `fetch` only the first time; null
    /// for an empty key or when the engine returned none.
    const nlohmann::json* Get(
        const std::string& key,
        const std::function<std::optional<nlohmann::json>()>& fetch);

   private:
    std::mutex mutex_;
    std::map<std::string, std::shared_future<std::optional<nlohmann::json>>>
        entries_;
  };

  struct RefreshCaches {
    DocumentCache images;
    DocumentCache services;
  };

  /// One container's evaluation: its record, or why there is none.
  struct ContainerOutcome {
    std::optional<ContainerRecord> record;
    /// The engine no longer has the container.
    bool removed = false;
  };

  /// Inspects one container and fetches its process list and exec
  /// instances.
  ContainerDocuments FetchContainer(EngineClient& client, const std::string& id,
                                    RefreshReport& report);

  /// Fetches one container's documents and the images and service they
  /// refer to, and evaluates its checks; the documents are dropped on
  /// return. Called from several workers at once.
  ContainerOutcome FetchAndEvaluate(EngineClient& client, const std::string& id,
                                    const std::string& listed_name,
                                    RefreshCaches& caches,
                                    RefreshReport& report);

  /// Fetches `/info`, `/images/json` and, when asked, `/networks` into the
  /// last_* members.
  void FetchEngineDocuments(bool with_networks, RefreshReport& report);

  /// Evaluates every container check on one container's documents.
  ContainerRecord EvaluateContainer(const std::string& id,
                                    const std::string& listed_name,
                                    const nlohmann::json& inspect,
                                    const ContainerDocuments& fetched,
                                    const nlohmann::json* image,
                                    const nlohmann::json* image_by_tag,
                                    const nlohmann::json* service) const;

  /// Evaluates the engine checks and facts from the last_* documents and
  /// the current records.
  void EvaluateEngine();

  void PublishSuccess(RefreshReport& report,
                      std::chrono::steady_clock::time_point started);

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
  /// `/vX.Y`, from the last successful version request.
  std::string api_prefix_;
  bool last_refresh_up_ = false;
  /// The check settings with the host's daemon settings applied, from the
  /// last full refresh.
  CheckSettings settings_;
  std::optional<HostRecord> last_host_;
  /// The policy of the refresh in progress, taken once at its start.
  std::shared_ptr<const Policy> policy_for_refresh_ =
      std::make_shared<const Policy>();
  /// Images of containers outside the scope, which still count as used.
  std::set<std::string> excluded_image_ids_;
  double last_full_refresh_seconds_ = 0;
  std::optional<nlohmann::json> last_info_;
  std::optional<nlohmann::json> last_networks_;
  std::optional<nlohmann::json> last_image_list_;
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
