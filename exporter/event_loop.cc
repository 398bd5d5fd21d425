#include "exporter/event_loop.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>

#include "collectors/engine_client.h"
#include "exporter/logging.h"

namespace dce {
namespace {

std::int64_t NowUnixNanoseconds() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Sleeps for `duration` or until `stop` is requested.
void SleepUnlessStopped(const std::stop_token& stop,
                        std::chrono::milliseconds duration) {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::unique_lock lock(mutex);
  wake.wait_for(lock, stop, duration, [] { return false; });
}

std::string SecondsText(std::chrono::milliseconds duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f",
                std::chrono::duration<double>(duration).count());
  return text;
}

}  // namespace

std::string FormatEventTime(std::int64_t unix_nanoseconds) {
  constexpr std::int64_t kNanosecondsPerSecond = 1'000'000'000;
  char text[40];
  std::snprintf(
      text, sizeof text, "%lld.%09lld",
      static_cast<long long>(unix_nanoseconds / kNanosecondsPerSecond),
      static_cast<long long>(unix_nanoseconds % kNanosecondsPerSecond));
  return text;
}

void RunEventLoop(const EventLoopOptions& options, RefreshRequests& requests,
                  EventStreamStatus& status, const std::stop_token& stop) {
  EngineClient client(options.address, options.connect_timeout);
  std::atomic<bool> cancelled{false};
  const std::stop_callback cancel_on_stop(stop, [&] { cancelled = true; });
  client.SetCancellationFlag(&cancelled);

  // The first connection resumes from the exporter's start, which covers
  // the events between the first full refresh's list request and the
  // stream's start.
  std::int64_t resume_from = NowUnixNanoseconds();
  auto backoff = options.initial_backoff;
  bool ever_connected = false;
  bool failure_logged = false;
  int attempts = 0;

  while (!stop.stop_requested()) {
    ++attempts;
    const std::int64_t connecting_at = NowUnixNanoseconds();
    const std::string path = "/events?filters=" + EventStreamFilter() +
                             "&since=" + FormatEventTime(resume_from);
    EventLineSplitter splitter;
    bool connected = false;
    std::string stream_error;

    const auto on_status = [&](long http_status) {
      if (http_status != 200) {
        return;
      }
      connected = true;
      status.SetConnected(true);
      Log(LogLevel::kInfo,
          ever_connected ? "event stream reconnected"
                         : "event stream connected",
          {{"since", FormatEventTime(resume_from)}});
      // The engine may have restarted, and lost the events it kept, while
      // the stream was down; at the very first attempt the startup refresh
      // already covers everything.
      if (ever_connected || attempts > 1) {
        requests.AddFull();
      }
      ever_connected = true;
      failure_logged = false;
      backoff = options.initial_backoff;
    };

    const auto on_chunk = [&](std::string_view chunk) {
      auto lines = splitter.Append(chunk);
      if (!lines) {
        stream_error = lines.error().message;
        status.CountFailure();
        return false;
      }
      for (const auto& line : lines.value()) {
        auto event = ParseEngineEvent(line);
        if (!event) {
          // One bad event is skipped; the next full refresh covers what it
          // might have reported.
          status.CountFailure();
          Log(LogLevel::kWarn, "event skipped",
              {{"err", event.error().message}});
          continue;
        }
        status.CountEvent(event.value().action);
        if (event.value().time_nano > 0) {
          resume_from = event.value().time_nano;
        }
        const auto impact = ClassifyEngineEvent(event.value());
        switch (impact.kind) {
          case EventImpact::Kind::kContainer:
            requests.AddContainer(impact.container_id);
            break;
          case EventImpact::Kind::kEngine:
            requests.AddEngine();
            break;
          case EventImpact::Kind::kFull:
            requests.AddFull();
            break;
          case EventImpact::Kind::kNone:
            break;
        }
      }
      return true;
    };

    const auto ended = client.Stream(path, on_status, on_chunk);
    status.SetConnected(false);
    if (stop.stop_requested()) {
      break;
    }
    // A lost stream often means a stopped engine. A full refresh now shows
    // that in docker_compliance_up at once instead of at the next interval,
    // which may be an hour away. Failed reconnections request none, so an
    // engine that stays down costs one refresh here.
    if (connected) {
      requests.AddFull();
    }
    if (!connected) {
      // Resume from when this attempt began rather than from the exporter's
      // start, so that a long outage does not replay old events.
      resume_from = std::max(resume_from, connecting_at);
    }
    if (stream_error.empty()) {
      stream_error = ended ? "the stream ended" : ended.error().message;
    }

    // Repeated failures to reconnect are logged once until the stream is
    // back, so that an engine that is down for a day logs two lines.
    if (connected || !failure_logged) {
      Log(connected ? LogLevel::kWarn : LogLevel::kError,
          connected ? "event stream lost; reconnecting"
                    : "cannot follow the event stream; retrying",
          {{"err", stream_error}, {"retry_in_seconds", SecondsText(backoff)}});
      failure_logged = true;
    } else {
      Log(LogLevel::kDebug, "event stream still unavailable",
          {{"err", stream_error}});
    }

    SleepUnlessStopped(stop, backoff);
    backoff = std::min(backoff * 2, options.max_backoff);
  }
}

}  // namespace dce
