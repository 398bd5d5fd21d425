#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

#include "collectors/engine_events.h"
#include "collectors/snapshot.h"

namespace dce {

/// Facts about the exporter binary, for
/// `docker_compliance_exporter_build_info`.
struct BuildInfo {
  std::string version;
  std::string revision;
  std::string compiler;
};

/// Renders the current snapshot as Prometheus metric families, sorted by
/// name. It reads the store only, so a scrape never calls the engine.
/// Thread-safe.
class SnapshotCollector : public prometheus::Collectable {
 public:
  /// `events` is null when the event stream is not followed; otherwise it
  /// must outlive the collector.
  SnapshotCollector(const SnapshotStore& store, BuildInfo build_info,
                    const EventStreamStatus* events = nullptr);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const SnapshotStore& store_;
  BuildInfo build_info_;
  const EventStreamStatus* events_;
};

/// Builds the metric families of one snapshot, with the event stream's
/// families when `events` is not null; Collect() applies it to the current
/// one.
std::vector<prometheus::MetricFamily> RenderSnapshot(
    const Snapshot& snapshot, const BuildInfo& build_info,
    const EventStreamStatus::Counts* events = nullptr);

}  // namespace dce
