#include "exporter/refresh_loop.h"

#include <malloc.h>

#include <cstdio>
#include <map>
#include <optional>
#include <utility>

#include "exporter/logging.h"

namespace dce {
namespace {

// How long repeated failures of one stage stay out of the log after one is
// logged.
constexpr std::chrono::minutes kFailureLogInterval{1};

std::string Seconds(std::chrono::duration<double> duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", duration.count());
  return text;
}

// Logs the first failure of each stage, then at most one a minute with the
// number left out since, so that an engine that fails every request of
// every refresh cannot flood the log.
class FailureLog {
 public:
  void Write(const RefreshFailure& failure) {
    const auto now = std::chrono::steady_clock::now();
    auto& stage = stages_[failure.stage];
    if (stage.logged_at && now - *stage.logged_at < kFailureLogInterval) {
      ++stage.suppressed;
      return;
    }
    if (stage.suppressed > 0) {
      Log(LogLevel::kWarn, "engine request failed",
          {{"stage", failure.stage},
           {"err", failure.message},
           {"suppressed", std::to_string(stage.suppressed)}});
    } else {
      Log(LogLevel::kWarn, "engine request failed",
          {{"stage", failure.stage}, {"err", failure.message}});
    }
    stage.logged_at = now;
    stage.suppressed = 0;
  }

 private:
  struct StageState {
    std::optional<std::chrono::steady_clock::time_point> logged_at;
    std::uint64_t suppressed = 0;
  };
  std::map<std::string, StageState, std::less<>> stages_;
};

void LogReport(const RefreshReport& report, bool was_up, bool first,
               FailureLog& failure_log) {
  for (const auto& failure : report.failures) {
    failure_log.Write(failure);
  }

  // A partial refresh only runs while the engine is up, so the engine's
  // reachability is reported by full refreshes alone.
  if (!report.partial) {
    if (report.up && (first || !was_up)) {
      Log(LogLevel::kInfo,
          first ? "engine reachable" : "engine reachable again",
          {{"api_version", report.api_version},
           {"containers", std::to_string(report.containers)}});
    } else if (!report.up && (first || was_up)) {
      Log(LogLevel::kError,
          "refresh failed: the engine is unreachable or its version or "
          "container list was rejected; retrying at each refresh",
          {{"containers_kept", std::to_string(report.containers)}});
    }
  }

  Log(LogLevel::kDebug, report.partial ? "update finished" : "refresh finished",
      {{"up", report.up ? "1" : "0"},
       {"containers", std::to_string(report.containers)},
       {"duration_seconds", Seconds(report.duration)}});
}

}  // namespace

void RefreshRequests::AddContainer(std::string id) {
  {
    std::lock_guard lock(mutex_);
    pending_.container_ids.insert(std::move(id));
  }
  wake_.notify_all();
}

void RefreshRequests::AddEngine() {
  {
    std::lock_guard lock(mutex_);
    pending_.engine = true;
  }
  wake_.notify_all();
}

void RefreshRequests::AddFull() {
  {
    std::lock_guard lock(mutex_);
    pending_.full = true;
  }
  wake_.notify_all();
}

RefreshRequests::Pending RefreshRequests::WaitAndTake(
    const std::stop_token& stop, std::chrono::steady_clock::time_point deadline,
    std::chrono::milliseconds settle) {
  std::unique_lock lock(mutex_);
  const bool has_work = wake_.wait_until(lock, stop, deadline,
                                         [&] { return !pending_.IsEmpty(); });
  if (has_work && !pending_.full) {
    wake_.wait_for(lock, stop, settle, [&] { return pending_.full; });
  }
  return std::exchange(pending_, Pending{});
}

void RunRefreshLoop(Inventory& inventory, std::chrono::milliseconds interval,
                    RefreshRequests& requests, const std::stop_token& stop) {
  constexpr std::chrono::milliseconds kSettle{50};
  FailureLog failure_log;
  bool first = true;
  bool was_up = false;
  auto next_full = std::chrono::steady_clock::now();

  while (!stop.stop_requested()) {
    const auto pending = requests.WaitAndTake(stop, next_full, kSettle);
    if (stop.stop_requested()) {
      break;
    }

    // Work taken before a full refresh starts is covered by it, since the
    // full refresh lists and inspects every container afterwards.
    if (pending.full || std::chrono::steady_clock::now() >= next_full) {
      const RefreshReport report = inventory.Refresh();
      // A full refresh frees thousands of parsed documents; free() keeps
      // the pages they leave in the middle of glibc's heaps resident until
      // malloc_trim() returns them.
      malloc_trim(0);
      LogReport(report, was_up, first, failure_log);
      was_up = report.up;
      first = false;
      next_full = std::chrono::steady_clock::now() + interval;
    } else if (!pending.IsEmpty()) {
      const RefreshReport report =
          inventory.RefreshContainers(pending.container_ids);
      LogReport(report, was_up, first, failure_log);
    }
  }
}

}  // namespace dce
