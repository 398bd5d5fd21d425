#include "collectors/report.h"

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "collectors/utf8.h"

namespace dce {
namespace {

const std::optional<AppliedWaiver>* WaiverAt(
    const std::vector<std::optional<AppliedWaiver>>& waivers,
    std::size_t index) {
  return index < waivers.size() && waivers[index] ? &waivers[index] : nullptr;
}

nlohmann::json CheckEntry(const CheckInfo& info, const CheckResult& result,
                          const std::optional<AppliedWaiver>* waiver) {
  nlohmann::json entry = {
      {"check", info.key},
      {"cis_id", info.cis_id},
      {"title", info.title},
      {"level", info.level},
      {"assessment", info.assessment},
      {"outcome", OutcomeName(result.outcome)},
      {"reason", result.reason},
  };
  // The outcome stays the real one; the waiver is shown beside it.
  if (waiver != nullptr) {
    entry["waiver"] = {{"reason", (*waiver)->reason},
                       {"expires", (*waiver)->expires},
                       {"active", (*waiver)->active}};
  }
  return entry;
}

// Replaces invalid UTF-8 in every string value of `value`. Reasons quote
// host paths and user names, which are arbitrary bytes, and the JSON and
// JUnit formats must be valid UTF-8. The keys are the report's own.
void ReplaceInvalidUtf8(nlohmann::json& value) {
  if (value.is_string()) {
    auto& text = value.get_ref<std::string&>();
    if (!IsValidUtf8(text)) {
      text = ToValidUtf8(text);
    }
    return;
  }
  if (value.is_array() || value.is_object()) {
    for (auto& element : value) {
      ReplaceInvalidUtf8(element);
    }
  }
}

}  // namespace

nlohmann::json BuildReport(const Snapshot& snapshot) {
  nlohmann::json engine = {{"up", snapshot.up}};
  if (snapshot.engine) {
    engine["engine_version"] = snapshot.engine->engine_version;
    engine["api_version"] = snapshot.engine->api_version;
  }
  nlohmann::json engine_checks = nlohmann::json::array();
  const auto engine_catalogue = EngineChecks();
  for (std::size_t i = 0;
       i < snapshot.engine_results.size() && i < engine_catalogue.size(); ++i) {
    if (!CheckEnabled(snapshot.engine_checks_enabled, i)) {
      continue;
    }
    engine_checks.push_back(CheckEntry(engine_catalogue[i].info,
                                       snapshot.engine_results[i],
                                       WaiverAt(snapshot.engine_waivers, i)));
  }
  engine["checks"] = std::move(engine_checks);

  nlohmann::json containers = nlohmann::json::array();
  const auto container_catalogue = ContainerChecks();
  for (const auto& container : snapshot.containers) {
    nlohmann::json checks = nlohmann::json::array();
    for (std::size_t i = 0;
         i < container.results.size() && i < container_catalogue.size(); ++i) {
      if (!CheckEnabled(snapshot.container_checks_enabled, i)) {
        continue;
      }
      checks.push_back(CheckEntry(container_catalogue[i].info,
                                  container.results[i],
                                  WaiverAt(container.waivers, i)));
    }
    containers.push_back({
        {"name", container.name},
        {"id", container.id},
        {"image", container.image},
        {"state", container.state},
        {"checks", std::move(checks)},
    });
  }

  nlohmann::json report = {
      {"version", kReportVersion},
      {"benchmark", kBenchmark},
      {"last_refresh_success_timestamp_seconds",
       snapshot.last_success_timestamp_seconds},
      {"engine", std::move(engine)},
      {"containers", std::move(containers)},
  };

  // Present only while the host collector is on.
  if (snapshot.host) {
    nlohmann::json host_checks = nlohmann::json::array();
    const auto host_catalogue = HostChecks();
    for (std::size_t i = 0;
         i < snapshot.host->results.size() && i < host_catalogue.size(); ++i) {
      if (!CheckEnabled(snapshot.host_checks_enabled, i)) {
        continue;
      }
      host_checks.push_back(CheckEntry(host_catalogue[i].info,
                                       snapshot.host->results[i],
                                       WaiverAt(snapshot.host_waivers, i)));
    }
    report["host"] = {{"checks", std::move(host_checks)}};
  }
  ReplaceInvalidUtf8(report);
  return report;
}

}  // namespace dce
