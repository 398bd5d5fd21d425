#include "collectors/snapshot_collector.h"

#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <utility>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "collectors/host_metrics.h"
#include "collectors/utf8.h"

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

// Returns the 0/1 sample of an outcome. Not applicable and unknown have none.
std::optional<double> PassedValue(const CheckResult& result) {
  if (result.outcome == Outcome::kPass) {
    return 1;
  }
  if (result.outcome == Outcome::kFail) {
    return 0;
  }
  return std::nullopt;
}

// Whether the configuration enables the check at `index`; empty flags
// enable every check.
bool Enabled(const std::vector<bool>& flags, std::size_t index) {
  return flags.empty() || (index < flags.size() && flags[index]);
}

MetricFamily RootfsReadonly(const Snapshot& snapshot) {
  auto family = Family(
      "docker_container_rootfs_readonly",
      "Whether the container's root filesystem is read-only (1) or writable "
      "(0), CIS Docker Benchmark 5.13. No sample when the engine does not "
      "report it.",
      MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    const auto value = PassedValue(container.rootfs_readonly);
    if (value) {
      family.metric.push_back(GaugeSample(*value, {{"name", container.name}}));
    }
  }
  return family;
}

MetricFamily RefreshFailures(const Snapshot& snapshot,
                             const EventStreamStatus::Counts* events) {
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
  if (events != nullptr) {
    family.metric.push_back(CounterSample(static_cast<double>(events->failures),
                                          {{"stage", "events"}}));
  }
  return family;
}

void AppendEventStream(const EventStreamStatus::Counts& events,
                       std::vector<MetricFamily>& families) {
  families.push_back(SingleGauge(
      "docker_compliance_event_stream_connected",
      "Whether the exporter is following the engine's event stream (1) or "
      "not (0); while it is not, changes appear at the next full refresh.",
      events.connected ? 1 : 0));
  auto family = Family("docker_compliance_events_total",
                       "Events received from the engine since start, by "
                       "action; actions the exporter does not know count as "
                       "other.",
                       MetricType::Counter);
  for (const auto& [action, count] : events.events) {
    family.metric.push_back(
        CounterSample(static_cast<double>(count), {{"action", action}}));
  }
  families.push_back(std::move(family));
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

// Appends to `family` a sample for each enabled check whose entry in
// `entries` has a value, labelled with the check's key and then
// `subject_labels`. `entries` are parallel to `checks`.
template <typename Check, typename Entry, typename ReadValue>
void AppendCheckSamples(std::span<const Check> checks,
                        const std::vector<Entry>& entries,
                        const std::vector<bool>& enabled_flags,
                        const std::vector<ClientMetric::Label>& subject_labels,
                        const ReadValue& read_value, MetricFamily& family) {
  for (std::size_t i = 0; i < entries.size() && i < checks.size(); ++i) {
    if (!Enabled(enabled_flags, i)) {
      continue;
    }
    const std::optional<double> value = read_value(entries[i]);
    if (!value) {
      continue;
    }
    std::vector<ClientMetric::Label> labels = {
        {"check", std::string(checks[i].info.key)}};
    labels.insert(labels.end(), subject_labels.begin(), subject_labels.end());
    family.metric.push_back(GaugeSample(*value, std::move(labels)));
  }
}

MetricFamily ContainerCheckPassed(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_container_check_passed",
                       "Whether the container passes the check (1) or fails "
                       "it (0). No sample when the check does not apply or "
                       "its outcome is unknown.",
                       MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    AppendCheckSamples(ContainerChecks(), container.results,
                       snapshot.container_checks_enabled,
                       {{"name", container.name}}, PassedValue, family);
  }
  return family;
}

MetricFamily EngineCheckPassed(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_engine_check_passed",
                       "Whether the engine passes the check (1) or fails it "
                       "(0). No sample when the check does not apply or its "
                       "outcome is unknown.",
                       MetricType::Gauge);
  AppendCheckSamples(EngineChecks(), snapshot.engine_results,
                     snapshot.engine_checks_enabled, {}, PassedValue, family);
  return family;
}

MetricFamily CheckOutcomes(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_check_outcomes",
                       "Subjects per check and outcome: containers for "
                       "container checks, 1 for the engine's or the host's "
                       "outcome of an engine or host check.",
                       MetricType::Gauge);
  constexpr std::array kOutcomes = {Outcome::kPass, Outcome::kFail,
                                    Outcome::kNotApplicable, Outcome::kUnknown};

  const auto add_counts = [&family, &kOutcomes](
                              std::string_view key,
                              const std::array<double, 4>& counts) {
    for (std::size_t o = 0; o < kOutcomes.size(); ++o) {
      family.metric.push_back(GaugeSample(
          counts[o], {{"check", std::string(key)},
                      {"outcome", std::string(OutcomeName(kOutcomes[o]))}}));
    }
  };

  const auto container_checks = ContainerChecks();
  for (std::size_t i = 0; i < container_checks.size(); ++i) {
    if (!Enabled(snapshot.container_checks_enabled, i)) {
      continue;
    }
    std::array<double, 4> counts{};
    for (const auto& container : snapshot.containers) {
      if (i < container.results.size()) {
        counts[static_cast<std::size_t>(container.results[i].outcome)] += 1;
      }
    }
    add_counts(container_checks[i].info.key, counts);
  }

  const auto engine_checks = EngineChecks();
  for (std::size_t i = 0; i < engine_checks.size(); ++i) {
    if (!Enabled(snapshot.engine_checks_enabled, i)) {
      continue;
    }
    std::array<double, 4> counts{};
    if (i < snapshot.engine_results.size()) {
      counts[static_cast<std::size_t>(snapshot.engine_results[i].outcome)] = 1;
    }
    add_counts(engine_checks[i].info.key, counts);
  }

  // Host checks count only while the host collector is on.
  const auto host_checks = HostChecks();
  for (std::size_t i = 0; snapshot.host && i < host_checks.size(); ++i) {
    if (!Enabled(snapshot.host_checks_enabled, i)) {
      continue;
    }
    std::array<double, 4> counts{};
    if (i < snapshot.host->results.size()) {
      counts[static_cast<std::size_t>(snapshot.host->results[i].outcome)] = 1;
    }
    add_counts(host_checks[i].info.key, counts);
  }
  return family;
}

MetricFamily CheckInfoFamily() {
  auto family = Family("docker_compliance_check_info",
                       "The benchmark recommendation behind each check key; "
                       "always 1.",
                       MetricType::Gauge);
  const auto add = [&family](const CheckInfo& info) {
    family.metric.push_back(
        GaugeSample(1, {{"assessment", std::string(info.assessment)},
                        {"benchmark", std::string(kBenchmark)},
                        {"check", std::string(info.key)},
                        {"cis_id", std::string(info.cis_id)},
                        {"level", std::to_string(info.level)},
                        {"title", std::string(info.title)}}));
  };
  for (const auto& check : ContainerChecks()) {
    add(check.info);
  }
  for (const auto& check : EngineChecks()) {
    add(check.info);
  }
  for (const auto& check : HostChecks()) {
    add(check.info);
  }
  return family;
}

MetricFamily ContainerInfo(const Snapshot& snapshot) {
  auto family = Family("docker_container_info",
                       "The container's id, image reference and state; "
                       "always 1.",
                       MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    std::vector<prometheus::ClientMetric::Label> labels = {
        {"id", container.id},
        {"image", container.image},
        {"name", container.name},
        {"state", container.state}};
    for (const auto& [name, value] : container.exported_labels) {
      labels.push_back({name, value});
    }
    family.metric.push_back(GaugeSample(1, std::move(labels)));
  }
  return family;
}

// 1 while a waiver covers the result, 0 once it has expired; no sample for
// results that no waiver covers.
std::optional<double> WaivedValue(const std::optional<AppliedWaiver>& waiver) {
  if (!waiver) {
    return std::nullopt;
  }
  return waiver->active ? 1 : 0;
}

MetricFamily ContainerCheckWaived(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_container_check_waived",
                       "Whether a waiver from the configuration file covers "
                       "the container's check result (1), or covered it and "
                       "has expired (0). No sample without a waiver.",
                       MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    AppendCheckSamples(ContainerChecks(), container.waivers,
                       snapshot.container_checks_enabled,
                       {{"name", container.name}}, WaivedValue, family);
  }
  return family;
}

MetricFamily EngineCheckWaived(const Snapshot& snapshot) {
  auto family = Family("docker_compliance_engine_check_waived",
                       "Whether a waiver from the configuration file covers "
                       "the engine's check result (1), or covered it and has "
                       "expired (0). No sample without a waiver.",
                       MetricType::Gauge);
  AppendCheckSamples(EngineChecks(), snapshot.engine_waivers,
                     snapshot.engine_checks_enabled, {}, WaivedValue, family);
  return family;
}

// A per-container fact with one sample per container that reports it.
MetricFamily ContainerFact(
    std::string name, std::string help, const Snapshot& snapshot,
    const std::function<std::optional<double>(const ContainerFacts&)>& read) {
  auto family = Family(std::move(name), std::move(help), MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    const auto value = read(container.facts);
    if (value) {
      family.metric.push_back(GaugeSample(*value, {{"name", container.name}}));
    }
  }
  return family;
}

MetricFamily HostNamespaceShared(const Snapshot& snapshot) {
  auto family = Family("docker_container_host_namespace_shared",
                       "Whether the container shares the host's namespace "
                       "(1) or has its own (0), CIS Docker Benchmark 5.10, "
                       "5.16, 5.17, 5.21 and 5.31.",
                       MetricType::Gauge);
  for (const auto& container : snapshot.containers) {
    for (std::size_t i = 0; i < kHostNamespaces.size(); ++i) {
      const auto shared = container.facts.host_namespaces[i];
      if (shared) {
        family.metric.push_back(GaugeSample(
            *shared ? 1 : 0,
            {{"name", container.name},
             {"namespace", std::string(kHostNamespaces[i].label)}}));
      }
    }
  }
  return family;
}

void AppendContainerFacts(const Snapshot& snapshot,
                          std::vector<MetricFamily>& families) {
  families.push_back(ContainerFact(
      "docker_container_privileged",
      "Whether the container runs privileged (1) or not (0), CIS Docker "
      "Benchmark 5.5.",
      snapshot, [](const ContainerFacts& facts) -> std::optional<double> {
        if (!facts.privileged) {
          return std::nullopt;
        }
        return *facts.privileged ? 1 : 0;
      }));
  families.push_back(ContainerFact(
      "docker_container_memory_limit_bytes",
      "The container's memory limit; 0 means none, CIS Docker Benchmark "
      "5.11.",
      snapshot,
      [](const ContainerFacts& facts) { return facts.memory_limit_bytes; }));
  families.push_back(ContainerFact(
      "docker_container_pids_limit",
      "The container's limit on processes; 0 or -1 means none, CIS Docker "
      "Benchmark 5.29.",
      snapshot, [](const ContainerFacts& facts) { return facts.pids_limit; }));
  families.push_back(ContainerFact(
      "docker_container_published_ports",
      "Host port bindings of the container, CIS Docker Benchmark 5.9.",
      snapshot,
      [](const ContainerFacts& facts) { return facts.published_ports; }));
  families.push_back(ContainerFact(
      "docker_container_capabilities_added",
      "Capabilities added with --cap-add, CIS Docker Benchmark 5.4.", snapshot,
      [](const ContainerFacts& facts) { return facts.capabilities_added; }));
  families.push_back(ContainerFact(
      "docker_container_ulimits_overridden",
      "Resource limits set with --ulimit, CIS Docker Benchmark 5.19.", snapshot,
      [](const ContainerFacts& facts) { return facts.ulimits_overridden; }));
  families.push_back(HostNamespaceShared(snapshot));
}

void AppendEngineFacts(const EngineFacts& facts,
                       std::vector<MetricFamily>& families) {
  auto containers = Family("docker_engine_containers",
                           "Containers the engine reports, by state, CIS "
                           "Docker Benchmark 6.2.",
                           MetricType::Gauge);
  const std::pair<const char*, const std::optional<double>*> states[] = {
      {"running", &facts.containers_running},
      {"paused", &facts.containers_paused},
      {"stopped", &facts.containers_stopped},
  };
  for (const auto& [state, count] : states) {
    if (*count) {
      containers.metric.push_back(GaugeSample(**count, {{"state", state}}));
    }
  }
  families.push_back(std::move(containers));

  const auto optional_gauge = [&families](std::string name, std::string help,
                                          const std::optional<double>& value) {
    auto family = Family(std::move(name), std::move(help), MetricType::Gauge);
    if (value) {
      family.metric.push_back(GaugeSample(*value));
    }
    families.push_back(std::move(family));
  };
  optional_gauge("docker_engine_images",
                 "Images on the engine, CIS Docker Benchmark 6.1.",
                 facts.images);
  optional_gauge("docker_engine_images_unused",
                 "Images that no container uses, CIS Docker Benchmark 6.1.",
                 facts.images_unused);
  optional_gauge("docker_engine_swarm_managers",
                 "Manager nodes of the swarm this engine is in, CIS Docker "
                 "Benchmark 7.1. No sample outside swarm.",
                 facts.swarm_managers);

  auto seccomp = Family("docker_engine_seccomp_profile_info",
                        "The engine's default seccomp profile, CIS Docker "
                        "Benchmark 2.17; always 1.",
                        MetricType::Gauge);
  if (facts.seccomp_profile) {
    seccomp.metric.push_back(
        GaugeSample(1, {{"profile", *facts.seccomp_profile}}));
  }
  families.push_back(std::move(seccomp));
}

// The text exposition must be valid UTF-8, and prometheus-cpp's serializer
// escapes label values without checking them. Host user names and file
// paths are arbitrary bytes, so every label value is made valid here, in
// one place, whatever metric it belongs to.
void ReplaceInvalidLabelValues(std::vector<MetricFamily>& families) {
  for (auto& family : families) {
    for (auto& sample : family.metric) {
      for (auto& label : sample.label) {
        if (!IsValidUtf8(label.value)) {
          label.value = ToValidUtf8(label.value);
        }
      }
    }
  }
}

}  // namespace

std::vector<MetricFamily> RenderSnapshot(
    const Snapshot& snapshot, const BuildInfo& build_info,
    const EventStreamStatus::Counts* events) {
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
  families.push_back(RefreshFailures(snapshot, events));
  if (events != nullptr) {
    AppendEventStream(*events, families);
  }
  families.push_back(EngineInfo(snapshot));
  families.push_back(ExporterBuildInfo(build_info));
  families.push_back(ContainerCheckPassed(snapshot));
  families.push_back(EngineCheckPassed(snapshot));
  families.push_back(ContainerCheckWaived(snapshot));
  families.push_back(EngineCheckWaived(snapshot));
  families.push_back(CheckOutcomes(snapshot));
  families.push_back(CheckInfoFamily());
  families.push_back(ContainerInfo(snapshot));
  AppendContainerFacts(snapshot, families);
  AppendEngineFacts(snapshot.engine_facts, families);
  AppendHostFamilies(snapshot, families);
  ReplaceInvalidLabelValues(families);

  std::sort(families.begin(), families.end(),
            [](const MetricFamily& a, const MetricFamily& b) {
              return a.name < b.name;
            });
  return families;
}

SnapshotCollector::SnapshotCollector(const SnapshotStore& store,
                                     BuildInfo build_info,
                                     const EventStreamStatus* events)
    : store_(store), build_info_(std::move(build_info)), events_(events) {}

std::vector<MetricFamily> SnapshotCollector::Collect() const {
  if (events_ == nullptr) {
    return RenderSnapshot(*store_.Current(), build_info_);
  }
  const auto events = events_->Read();
  return RenderSnapshot(*store_.Current(), build_info_, &events);
}

}  // namespace dce
