#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <stop_token>
#include <string>

#include "collectors/inventory.h"

namespace dce {

/// Work that the event stream requests from the refresh thread: containers to
/// inspect again, or a full refresh. Thread-safe.
class RefreshRequests {
 public:
  struct Pending {
    std::set<std::string> container_ids;
    /// Only the engine-wide documents changed (an image event).
    bool engine = false;
    bool full = false;

    bool IsEmpty() const { return container_ids.empty() && !engine && !full; }
  };

  void AddContainer(std::string id);
  void AddEngine();
  void AddFull();

  /// Waits until work is pending, `deadline` passes or `stop` is requested,
  /// and takes whatever is pending. Once work arrives it waits `settle`
  /// longer, so that a burst of events (`docker run` sends create, attach
  /// and start) costs one refresh.
  Pending WaitAndTake(const std::stop_token& stop,
                      std::chrono::steady_clock::time_point deadline,
                      std::chrono::milliseconds settle);

 private:
  std::mutex mutex_;
  std::condition_variable_any wake_;
  Pending pending_;
};

/// Runs a full refresh at once and then every `interval`, and in between
/// the partial refreshes that `requests` contains, until `stop` is requested.
/// Logs each failure (at most once a minute per stage), and the engine
/// becoming unreachable and reachable again. The interval is measured from
/// the end of one full refresh to the start of the next, so slow refreshes
/// never overlap.
void RunRefreshLoop(Inventory& inventory, std::chrono::milliseconds interval,
                    RefreshRequests& requests, const std::stop_token& stop);

}  // namespace dce
