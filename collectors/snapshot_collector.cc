#include "collectors/snapshot_collector.h"

#include <algorithm>
#include <utility>

namespace dce {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

MetricFamily Family(std::string name, std::string help, MetricType type) {
  return MetricFamily{std::move(name), std::move(help), type, {}};
}

ClientMetric GaugeSample(double value,
                         std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric sample;
  sample.label = std::move(labels);
  sample.gauge.value = value;
  return sample;
}

ClientMetric CounterSample(double value,
                           std::vector<ClientMetric::Label> labels) {
  ClientMetric sample;
  sample.label = std::move(labels);
  sample.counter.value = value;
  return sample;
}

MetricFamily SingleGauge(std::string name, std::string help, double value) {
  auto family = Family(std::move(name), std::move(help), MetricType::Gauge);
  family.metric.push_back(GaugeSample(value));
  return family;
}

MetricFamily RootfsReadonly(const Snapshot& snapshot) {
  auto family = Family(
      "docker_container_rootfs_readonly",
      "Whether the container's root filesystem is read-only (1) or writable "
      "(0), CIS Docker Benchmark 5.13. No sample when the engine does not "
      "report it.",
      MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    const Outcome outcome = container.rootfs_readonly.outcome;
    if (outcome != Outcome::kPass && outcome != Outcome::kFail) {
      continue;
    }
    family.metric.push_back(GaugeSample(outcome == Outcome::kPass ? 1 : 0,
                                        {{"name", container.name}}));
  }
  return family;
}

MetricFamily RefreshFailures(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_refresh_failures_total",
                       "Failed engine requests and rejected engine "
                       "responses since start, by refresh stage.",
                       MetricType::Counter);
  for (const auto stage : kRefreshStages) {
    const auto count = snapshot.refresh_failures.find(stage);
    const double value = count == snapshot.refresh_failures.end()
                             ? 0
                             : static_cast<double>(count->second);
    family.metric.push_back(
        CounterSample(value, {{"stage", std::string(stage)}}));
  }
  return family;
}

MetricFamily EngineInfo(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_engine_info",
                       "The Docker engine's version and the API version in "
                       "use; always 1.",
                       MetricType::Gauge);
  if (snapshot.engine) {
    const auto& engine = *snapshot.engine;
    family.metric.push_back(
        GaugeSample(1, {{"api_version", engine.api_version},
                        {"arch", engine.arch},
                        {"engine_version", engine.engine_version},
                        {"os", engine.os}}));
  }
  return family;
}

MetricFamily ExporterBuildInfo(const BuildInfo& build_info) {
  auto family = Family("docker_compliance_exporter_build_info",
                       "The exporter's version, source revision and "
                       "compiler; always 1.",
                       MetricType::Gauge);
  family.metric.push_back(GaugeSample(1, {{"compiler", build_info.compiler},
                                          {"revision", build_info.revision},
                                          {"version", build_info.version}}));
  return family;
}

}  // namespace

std::vector<MetricFamily> RenderSnapshot(const Snapshot& snapshot,
                                         const BuildInfo& build_info) {
  std::vector<MetricFamily> families;
  families.push_back(RootfsReadonly(snapshot));
  families.push_back(SingleGauge(
      "docker_compliance_up",
      "Whether the last refresh reached the Docker engine (1) or not (0).",
      snapshot.up ? 1 : 0));
  families.push_back(SingleGauge(
      "docker_compliance_last_refresh_success_timestamp_seconds",
      "Unix time of the last successful refresh; 0 before the first.",
      snapshot.last_success_timestamp_seconds));
  families.push_back(
      SingleGauge("docker_compliance_refresh_duration_seconds",
                  "How long the last refresh took, successful or not.",
                  snapshot.refresh_duration_seconds));
  families.push_back(SingleGauge(
      "docker_compliance_containers",
      "Containers evaluated, including the last known ones kept while the "
      "engine is unreachable.",
      static_cast<double>(snapshot.containers.size())));
  families.push_back(RefreshFailures(snapshot));
  families.push_back(EngineInfo(snapshot));
  families.push_back(ExporterBuildInfo(build_info));

  std::sort(families.begin(), families.end(),
            [](const MetricFamily& a, const MetricFamily& b) {
              return a.name < b.name;
            });
  return families;
}

SnapshotCollector::SnapshotCollector(const SnapshotStore& store,
                                     BuildInfo build_info)
    : store_(store), build_info_(std::move(build_info)) {}

std::vector<MetricFamily> SnapshotCollector::Collect() const {
  return RenderSnapshot(*store_.Current(), build_info_);
}

}  // namespace dce
