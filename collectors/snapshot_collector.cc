#include "collectors/snapshot_collector.h"

#include <array>
#include <optional>
#include <span>
#include <utility>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "collectors/host_metrics.h"

namespace dce {
namespace {

using prometheus::MetricType;

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

// 1 while a waiver covers the result, 0 once it has expired; no sample for
// results that no waiver covers.
std::optional<double> WaivedValue(const std::optional<AppliedWaiver>& waiver) {
  if (!waiver) {
    return std::nullopt;
  }
  return waiver->active ? 1 : 0;
}

FamilySource SingleGauge(std::string_view name, std::string_view help,
                         double value) {
  return {name, help, MetricType::Gauge,
          [value](ExpositionWriter& writer) { writer.Sample(value); }};
}

// Writes a sample for each enabled check whose entry in `entries` has a
// value, labelled with the check's key and, for a container, its name.
// `entries` are parallel to `checks`.
template <typename Check, typename Entry, typename ReadValue>
void WriteCheckSamples(std::span<const Check> checks,
                       const std::vector<Entry>& entries,
                       const std::vector<bool>& enabled_flags,
                       const std::string* container_name,
                       const ReadValue& read_value, ExpositionWriter& writer) {
  for (std::size_t i = 0; i < entries.size() && i < checks.size(); ++i) {
    if (!CheckEnabled(enabled_flags, i)) {
      continue;
    }
    const std::optional<double> value = read_value(entries[i]);
    if (!value) {
      continue;
    }
    if (container_name == nullptr) {
      writer.Sample({{"check", checks[i].info.key}}, *value);
    } else {
      writer.Sample({{"check", checks[i].info.key}, {"name", *container_name}},
                    *value);
    }
  }
}

void AppendRefreshFamilies(const Snapshot& snapshot,
                           const EventStreamStatus::Counts* events,
                           std::vector<FamilySource>& families) {
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
  families.push_back(
      {"docker_compliance_refresh_failures_total",
       "Failed engine requests and rejected engine responses since start, "
       "by refresh stage.",
       MetricType::Counter, [&snapshot, events](ExpositionWriter& writer) {
         for (const auto stage : kRefreshStages) {
           const auto count = snapshot.refresh_failures.find(stage);
           const double value = count == snapshot.refresh_failures.end()
                                    ? 0
                                    : static_cast<double>(count->second);
           writer.Sample({{"stage", stage}}, value);
         }
         if (events != nullptr) {
           writer.Sample({{"stage", "events"}},
                         static_cast<double>(events->failures));
         }
       }});
}

void AppendEventStream(const EventStreamStatus::Counts& events,
                       std::vector<FamilySource>& families) {
  families.push_back(SingleGauge(
      "docker_compliance_event_stream_connected",
      "Whether the exporter is following the engine's event stream (1) or "
      "not (0); while it is not, changes appear at the next full refresh.",
      events.connected ? 1 : 0));
  families.push_back(
      {"docker_compliance_events_total",
       "Events received from the engine since start, by action; actions the "
       "exporter does not know count as other.",
       MetricType::Counter, [&events](ExpositionWriter& writer) {
         for (const auto& [action, count] : events.events) {
           writer.Sample({{"action", action}}, static_cast<double>(count));
         }
       }});
}

void AppendInfoFamilies(const Snapshot& snapshot, const BuildInfo& build_info,
                        std::vector<FamilySource>& families) {
  families.push_back(
      {"docker_compliance_engine_info",
       "The Docker engine's version and the API version in use; always 1.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         if (snapshot.engine) {
           const auto& engine = *snapshot.engine;
           writer.Sample({{"api_version", engine.api_version},
                          {"arch", engine.arch},
                          {"engine_version", engine.engine_version},
                          {"os", engine.os}},
                         1);
         }
       }});
  families.push_back(
      {"docker_compliance_exporter_build_info",
       "The exporter's version, source revision and compiler; always 1.",
       MetricType::Gauge, [&build_info](ExpositionWriter& writer) {
         writer.Sample({{"compiler", build_info.compiler},
                        {"revision", build_info.revision},
                        {"version", build_info.version}},
                       1);
       }});
  families.push_back(
      {"docker_compliance_check_info",
       "The benchmark recommendation behind each check key; always 1.",
       MetricType::Gauge, [](ExpositionWriter& writer) {
         const auto write = [&writer](const CheckInfo& info) {
           const std::string level = std::to_string(info.level);
           writer.Sample({{"assessment", info.assessment},
                          {"benchmark", kBenchmark},
                          {"check", info.key},
                          {"cis_id", info.cis_id},
                          {"level", level},
                          {"title", info.title}},
                         1);
         };
         for (const auto& check : ContainerChecks()) {
           write(check.info);
         }
         for (const auto& check : EngineChecks()) {
           write(check.info);
         }
         for (const auto& check : HostChecks()) {
           write(check.info);
         }
       }});
  families.push_back(
      {"docker_container_info",
       "The container's id, image reference and state; always 1.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         std::vector<LabelView> labels;
         for (const auto& container : snapshot.containers) {
           labels = {{"id", container.id},
                     {"image", container.image},
                     {"name", container.name},
                     {"state", container.state}};
           for (const auto& [name, value] : container.exported_labels) {
             labels.push_back({name, value});
           }
           writer.Sample(labels, 1);
         }
       }});
}

void AppendCheckFamilies(const Snapshot& snapshot,
                         std::vector<FamilySource>& families) {
  families.push_back(
      {"docker_compliance_container_check_passed",
       "Whether the container passes the check (1) or fails it (0). No "
       "sample when the check does not apply or its outcome is unknown.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         for (const auto& container : snapshot.containers) {
           WriteCheckSamples(ContainerChecks(), container.results,
                             snapshot.container_checks_enabled, &container.name,
                             PassedValue, writer);
         }
       }});
  families.push_back(
      {"docker_compliance_engine_check_passed",
       "Whether the engine passes the check (1) or fails it (0). No sample "
       "when the check does not apply or its outcome is unknown.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         WriteCheckSamples(EngineChecks(), snapshot.engine_results,
                           snapshot.engine_checks_enabled, nullptr, PassedValue,
                           writer);
       }});
  families.push_back(
      {"docker_compliance_container_check_waived",
       "Whether a waiver from the configuration file covers the container's "
       "check result (1), or covered it and has expired (0). No sample "
       "without a waiver.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         for (const auto& container : snapshot.containers) {
           WriteCheckSamples(ContainerChecks(), container.waivers,
                             snapshot.container_checks_enabled, &container.name,
                             WaivedValue, writer);
         }
       }});
  families.push_back(
      {"docker_compliance_engine_check_waived",
       "Whether a waiver from the configuration file covers the engine's "
       "check result (1), or covered it and has expired (0). No sample "
       "without a waiver.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         WriteCheckSamples(EngineChecks(), snapshot.engine_waivers,
                           snapshot.engine_checks_enabled, nullptr, WaivedValue,
                           writer);
       }});
}

using OutcomeCounts = std::array<double, 4>;

// Writes the four outcome samples of one check.
void WriteOutcomeCounts(std::string_view key, const OutcomeCounts& counts,
                        ExpositionWriter& writer) {
  constexpr std::array kOutcomes = {Outcome::kPass, Outcome::kFail,
                                    Outcome::kNotApplicable, Outcome::kUnknown};
  for (std::size_t o = 0; o < kOutcomes.size(); ++o) {
    writer.Sample({{"check", key}, {"outcome", OutcomeName(kOutcomes[o])}},
                  counts[o]);
  }
}

void WriteCheckOutcomes(const Snapshot& snapshot, ExpositionWriter& writer) {
  const auto container_checks = ContainerChecks();
  for (std::size_t i = 0; i < container_checks.size(); ++i) {
    if (!CheckEnabled(snapshot.container_checks_enabled, i)) {
      continue;
    }
    OutcomeCounts counts{};
    for (const auto& container : snapshot.containers) {
      if (i < container.results.size()) {
        counts[static_cast<std::size_t>(container.results[i].outcome)] += 1;
      }
    }
    WriteOutcomeCounts(container_checks[i].info.key, counts, writer);
  }

  const auto engine_checks = EngineChecks();
  for (std::size_t i = 0; i < engine_checks.size(); ++i) {
    if (!CheckEnabled(snapshot.engine_checks_enabled, i)) {
      continue;
    }
    OutcomeCounts counts{};
    if (i < snapshot.engine_results.size()) {
      counts[static_cast<std::size_t>(snapshot.engine_results[i].outcome)] = 1;
    }
    WriteOutcomeCounts(engine_checks[i].info.key, counts, writer);
  }

  // Host checks count only while the host collector is on.
  const auto host_checks = HostChecks();
  for (std::size_t i = 0; snapshot.host && i < host_checks.size(); ++i) {
    if (!CheckEnabled(snapshot.host_checks_enabled, i)) {
      continue;
    }
    OutcomeCounts counts{};
    if (i < snapshot.host->results.size()) {
      counts[static_cast<std::size_t>(snapshot.host->results[i].outcome)] = 1;
    }
    WriteOutcomeCounts(host_checks[i].info.key, counts, writer);
  }
}

// A per-container value with one sample per container that has it.
template <typename ReadValue>
FamilySource ContainerFact(std::string_view name, std::string_view help,
                           const Snapshot& snapshot, ReadValue read) {
  return {name, help, MetricType::Gauge,
          [&snapshot, read](ExpositionWriter& writer) {
            for (const auto& container : snapshot.containers) {
              const std::optional<double> value = read(container);
              if (value) {
                writer.Sample({{"name", container.name}}, *value);
              }
            }
          }};
}

std::optional<double> BoolValue(const std::optional<bool>& fact) {
  if (!fact) {
    return std::nullopt;
  }
  return *fact ? 1 : 0;
}

void AppendContainerFacts(const Snapshot& snapshot,
                          std::vector<FamilySource>& families) {
  families.push_back(ContainerFact(
      "docker_container_rootfs_readonly",
      "Whether the container's root filesystem is read-only (1) or writable "
      "(0), CIS Docker Benchmark 5.13. No sample when the engine does not "
      "report it.",
      snapshot, [](const ContainerRecord& container) {
        return PassedValue(container.rootfs_readonly);
      }));
  families.push_back(ContainerFact(
      "docker_container_privileged",
      "Whether the container runs privileged (1) or not (0), CIS Docker "
      "Benchmark 5.5.",
      snapshot, [](const ContainerRecord& container) {
        return BoolValue(container.facts.privileged);
      }));
  families.push_back(ContainerFact(
      "docker_container_memory_limit_bytes",
      "The container's memory limit; 0 means none, CIS Docker Benchmark "
      "5.11.",
      snapshot, [](const ContainerRecord& container) {
        return container.facts.memory_limit_bytes;
      }));
  families.push_back(ContainerFact(
      "docker_container_pids_limit",
      "The container's limit on processes; 0 or -1 means none, CIS Docker "
      "Benchmark 5.29.",
      snapshot, [](const ContainerRecord& container) {
        return container.facts.pids_limit;
      }));
  families.push_back(ContainerFact(
      "docker_container_published_ports",
      "Host port bindings of the container, CIS Docker Benchmark 5.9.",
      snapshot, [](const ContainerRecord& container) {
        return container.facts.published_ports;
      }));
  families.push_back(ContainerFact(
      "docker_container_capabilities_added",
      "Capabilities added with --cap-add, CIS Docker Benchmark 5.4.", snapshot,
      [](const ContainerRecord& container) {
        return container.facts.capabilities_added;
      }));
  families.push_back(ContainerFact(
      "docker_container_ulimits_overridden",
      "Resource limits set with --ulimit, CIS Docker Benchmark 5.19.", snapshot,
      [](const ContainerRecord& container) {
        return container.facts.ulimits_overridden;
      }));
  families.push_back(
      {"docker_container_host_namespace_shared",
       "Whether the container shares the host's namespace (1) or has its own "
       "(0), CIS Docker Benchmark 5.10, 5.16, 5.17, 5.21 and 5.31.",
       MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
         for (const auto& container : snapshot.containers) {
           for (std::size_t i = 0; i < kHostNamespaces.size(); ++i) {
             const auto shared = BoolValue(container.facts.host_namespaces[i]);
             if (shared) {
               writer.Sample({{"name", container.name},
                              {"namespace", kHostNamespaces[i].label}},
                             *shared);
             }
           }
         }
       }});
}

// A family of at most one unlabelled sample.
FamilySource OptionalGauge(std::string_view name, std::string_view help,
                           const std::optional<double>& value) {
  return {name, help, MetricType::Gauge, [&value](ExpositionWriter& writer) {
            if (value) {
              writer.Sample(*value);
            }
          }};
}

void AppendEngineFacts(const EngineFacts& facts,
                       std::vector<FamilySource>& families) {
  families.push_back(
      {"docker_engine_containers",
       "Containers the engine reports, by state, CIS Docker Benchmark 6.2.",
       MetricType::Gauge, [&facts](ExpositionWriter& writer) {
         const std::pair<std::string_view, const std::optional<double>*>
             states[] = {
                 {"running", &facts.containers_running},
                 {"paused", &facts.containers_paused},
                 {"stopped", &facts.containers_stopped},
             };
         for (const auto& [state, count] : states) {
           if (*count) {
             writer.Sample({{"state", state}}, **count);
           }
         }
       }});
  families.push_back(OptionalGauge(
      "docker_engine_images", "Images on the engine, CIS Docker Benchmark 6.1.",
      facts.images));
  families.push_back(
      OptionalGauge("docker_engine_images_unused",
                    "Images that no container uses, CIS Docker Benchmark 6.1.",
                    facts.images_unused));
  families.push_back(
      OptionalGauge("docker_engine_swarm_managers",
                    "Manager nodes of the swarm this engine is in, CIS Docker "
                    "Benchmark 7.1. No sample outside swarm.",
                    facts.swarm_managers));
  families.push_back(
      {"docker_engine_seccomp_profile_info",
       "The engine's default seccomp profile, CIS Docker Benchmark 2.17; "
       "always 1.",
       MetricType::Gauge, [&facts](ExpositionWriter& writer) {
         if (facts.seccomp_profile) {
           writer.Sample({{"profile", *facts.seccomp_profile}}, 1);
         }
       }});
}

}  // namespace

std::vector<FamilySource> SnapshotFamilies(
    const Snapshot& snapshot, const BuildInfo& build_info,
    const EventStreamStatus::Counts* events) {
  std::vector<FamilySource> families;
  AppendRefreshFamilies(snapshot, events, families);
  if (events != nullptr) {
    AppendEventStream(*events, families);
  }
  AppendInfoFamilies(snapshot, build_info, families);
  AppendCheckFamilies(snapshot, families);
  families.push_back({"docker_compliance_check_outcomes",
                      "Subjects per check and outcome: containers for "
                      "container checks, 1 for the engine's or the host's "
                      "outcome of an engine or host check.",
                      MetricType::Gauge, [&snapshot](ExpositionWriter& writer) {
                        WriteCheckOutcomes(snapshot, writer);
                      }});
  AppendContainerFacts(snapshot, families);
  AppendEngineFacts(snapshot.engine_facts, families);
  AppendHostFamilies(snapshot, families);
  return families;
}

std::string RenderExposition(
    const Snapshot& snapshot, const BuildInfo& build_info,
    const EventStreamStatus::Counts* events,
    const std::vector<prometheus::MetricFamily>& other_families,
    std::size_t expected_size) {
  auto families = SnapshotFamilies(snapshot, build_info, events);
  auto others = SourcesOf(other_families);
  std::move(others.begin(), others.end(), std::back_inserter(families));

  std::string text;
  text.reserve(expected_size);
  WriteFamilies(std::move(families), text);
  return text;
}

SnapshotCollector::SnapshotCollector(
    const SnapshotStore& store, BuildInfo build_info,
    const EventStreamStatus* events,
    std::vector<const prometheus::Collectable*> other_collectables)
    : store_(store),
      build_info_(std::move(build_info)),
      events_(events),
      other_collectables_(std::move(other_collectables)) {}

std::string SnapshotCollector::Render() const {
  const auto snapshot = store_.Current();
  std::optional<EventStreamStatus::Counts> events;
  if (events_ != nullptr) {
    events = events_->Read();
  }
  std::vector<prometheus::MetricFamily> other_families;
  for (const auto* collectable : other_collectables_) {
    auto collected = collectable->Collect();
    std::move(collected.begin(), collected.end(),
              std::back_inserter(other_families));
  }

  // A rendering is about as large as the previous one. Reserving a little
  // more than that avoids the copies and the doubled capacity of a string
  // that grows, which at 1,000 containers cost megabytes.
  const std::size_t previous_size = previous_size_.load();
  std::string text =
      RenderExposition(*snapshot, build_info_, events ? &*events : nullptr,
                       other_families, previous_size + previous_size / 16);
  previous_size_.store(text.size());
  return text;
}

}  // namespace dce
