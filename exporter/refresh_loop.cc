#include "exporter/refresh_loop.h"

#include <condition_variable>
#include <mutex>

#include "exporter/logging.h"

namespace dce {
namespace {

std::string Seconds(std::chrono::duration<double> duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f", duration.count());
  return text;
}

void LogReport(const RefreshReport& report, bool was_up, bool first) {
  for (const auto& error : report.errors) {
    Log(LogLevel::kWarn, "engine request failed", {{"err", error}});
  }

  if (report.up && (first || !was_up)) {
    Log(LogLevel::kInfo, first ? "engine reachable" : "engine reachable again",
        {{"api_version", report.api_version},
         {"containers", std::to_string(report.containers)}});
  } else if (!report.up && (first || was_up)) {
    Log(LogLevel::kError,
        "refresh failed: the engine is unreachable or its version or "
        "container list was rejected; retrying at each refresh",
        {{"containers_kept", std::to_string(report.containers)}});
  }

  Log(LogLevel::kDebug, "refresh finished",
      {{"up", report.up ? "1" : "0"},
       {"containers", std::to_string(report.containers)},
       {"duration_seconds", Seconds(report.duration)}});
}

}  // namespace

void RunRefreshLoop(Inventory& inventory, std::chrono::milliseconds interval,
                    const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any wake;
  bool first = true;
  bool was_up = false;

  while (!stop.stop_requested()) {
    const RefreshReport report = inventory.Refresh();
    LogReport(report, was_up, first);
    was_up = report.up;
    first = false;

    std::unique_lock lock(mutex);
    wake.wait_for(lock, stop, interval, [] { return false; });
  }
}

}  // namespace dce
