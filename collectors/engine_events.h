#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/result.h"

namespace dce {

/// One message of the engine's `GET /events` stream, reduced to what decides
/// which documents to fetch again.
struct EngineEvent {
  /// `container`, `network`, `image`, `daemon`, `service` or `node`.
  std::string type;
  /// The action without the detail some actions carry after a colon, so
  /// `health_status: healthy` becomes `health_status`.
  std::string action;
  /// The id of the object the event is about.
  std::string actor_id;
  /// For network `connect` and `disconnect`: the container's id.
  std::string container_id;
  /// Nanoseconds since the Unix epoch, by the engine's clock; 0 if absent.
  std::int64_t time_nano = 0;
};

/// Parses one line of the `/events` stream. Fails on anything but a JSON
/// object with a string `Type` and `Action`.
Result<EngineEvent> ParseEngineEvent(std::string_view line);

/// The part of the inventory an event makes out of date.
struct EventImpact {
  enum class Kind {
    /// Nothing the checks read.
    kNone,
    /// One container's documents: inspect it again.
    kContainer,
    /// The engine-wide documents (`/info`, `/images/json`) only.
    kEngine,
    /// Something a full refresh reads, such as networks, services or the
    /// daemon's configuration.
    kFull,
  };
  Kind kind = Kind::kNone;
  std::string container_id;
};

EventImpact ClassifyEngineEvent(const EngineEvent& event);

/// The label value `docker_compliance_events_total` counts an event under:
/// its action when that action is in the exporter's list, else `other`, so that
/// an engine cannot create series without bound.
std::string_view CountedEventAction(std::string_view action);

/// The `filters` query parameter, URL-encoded, that limits the stream to the
/// event types ClassifyEngineEvent() acts on.
std::string EventStreamFilter();

/// Splits a streamed body into lines. The engine ends each event with a
/// newline, but a chunk may hold part of one or several.
class EventLineSplitter {
 public:
  /// A longer line is an error, so that a broken engine cannot make the
  /// exporter buffer without bound.
  static constexpr std::size_t kMaxLineBytes = std::size_t{1024} * 1024;

  /// Appends `chunk` and returns the lines it completes, without their
  /// newlines and skipping empty ones; fails once a line grows past
  /// kMaxLineBytes.
  Result<std::vector<std::string>> Append(std::string_view chunk);

 private:
  std::string partial_;
};

/// The state of the event stream for its metrics. Thread-safe: the event
/// thread writes it and scrapes read it.
class EventStreamStatus {
 public:
  struct Counts {
    bool connected = false;
    /// Events received since start, by counted action.
    std::map<std::string, std::uint64_t, std::less<>> events;
    /// Events that were not JSON objects with a type and action, and lines
    /// too long to be events.
    std::uint64_t failures = 0;
  };

  void SetConnected(bool connected);
  void CountEvent(std::string_view action);
  void CountFailure();
  Counts Read() const;

 private:
  mutable std::mutex mutex_;
  Counts counts_;
};

/// Formats every field of `counts` on one line, `connected=1 failures=0
/// create=2 ...`, so that any change gives a different string.
std::string FormatEventCounts(const EventStreamStatus::Counts& counts);

}  // namespace dce
