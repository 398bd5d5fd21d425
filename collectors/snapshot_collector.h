#pragma once

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <string>
#include <vector>

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
  SnapshotCollector(const SnapshotStore& store, BuildInfo build_info);

  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  const SnapshotStore& store_;
  BuildInfo build_info_;
};

/// Builds the metric families of one snapshot; Collect() applies it to the
/// current one.
std::vector<prometheus::MetricFamily> RenderSnapshot(
    const Snapshot& snapshot, const BuildInfo& build_info);

}  // namespace dce
