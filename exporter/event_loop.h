#pragma once

#include <chrono>
#include <stop_token>

#include "collectors/engine_address.h"
#include "collectors/engine_events.h"
#include "exporter/refresh_loop.h"

namespace dce {

struct EventLoopOptions {
  EngineAddress address;
  /// Bounds connecting to the engine; the stream itself has no end.
  std::chrono::milliseconds connect_timeout{10'000};
  /// The wait before reconnecting after the stream ends, doubled after each
  /// failed attempt up to `max_backoff`.
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
};

/// Follows the engine's `/events` stream until `stop` is requested, and
/// turns each event into work for the refresh thread: the container to
/// inspect again, or a full refresh. Reconnects with backoff when the
/// stream ends, resuming from the last event's time so that nothing in
/// between is missed, and requests a full refresh after every reconnection.
/// Records the stream's state and counts events in `status`.
void RunEventLoop(const EventLoopOptions& options, RefreshRequests& requests,
                  EventStreamStatus& status, const std::stop_token& stop);

/// The `since` parameter for `/events`: Unix seconds with nine decimals.
std::string FormatEventTime(std::int64_t unix_nanoseconds);

}  // namespace dce
