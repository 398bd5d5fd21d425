#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "collectors/engine_events.h"
#include "collectors/exposition_writer.h"
#include "collectors/snapshot.h"

namespace dce {

/// Facts about the exporter binary, for
/// `docker_compliance_exporter_build_info`.
struct BuildInfo {
  std::string version;
  std::string revision;
  std::string compiler;
};

/// Renders the current snapshot, and the families of other collectables, as
/// the text exposition. It reads the store only, so a scrape never calls
/// the engine. Thread-safe.
class SnapshotCollector {
 public:
  /// `events` is null when the event stream is not followed; otherwise it,
  /// and each of `other_collectables`, must outlive the collector.
  SnapshotCollector(
      const SnapshotStore& store, BuildInfo build_info,
      const EventStreamStatus* events = nullptr,
      std::vector<const prometheus::Collectable*> other_collectables = {});

  /// Renders every family in name order.
  std::string Render() const;

 private:
  const SnapshotStore& store_;
  BuildInfo build_info_;
  const EventStreamStatus* events_;
  std::vector<const prometheus::Collectable*> other_collectables_;
  // The size of the last rendering, to reserve the next one's buffer.
  mutable std::atomic<std::size_t> previous_size_{0};
};

/// Returns the metric families of one snapshot, with the event stream's
/// families when `events` is not null. The sources refer to `snapshot`,
/// `build_info` and `events`, which must outlive them.
std::vector<FamilySource> SnapshotFamilies(
    const Snapshot& snapshot, const BuildInfo& build_info,
    const EventStreamStatus::Counts* events = nullptr);

/// Renders the families of `snapshot` and `other_families` in name order,
/// into a buffer that starts with room for `expected_size` bytes.
std::string RenderExposition(
    const Snapshot& snapshot, const BuildInfo& build_info,
    const EventStreamStatus::Counts* events = nullptr,
    const std::vector<prometheus::MetricFamily>& other_families = {},
    std::size_t expected_size = 0);

}  // namespace dce
