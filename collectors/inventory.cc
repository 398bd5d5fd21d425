#include "collectors/inventory.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>
#include <utility>

#include "collectors/api_version.h"
#include "collectors/checks.h"
#include "collectors/container_document.h"

namespace dce {
namespace {

constexpr long kHttpOk = 200;
constexpr long kHttpNotFound = 404;

double UnixSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

std::string StatusError(std::string_view request, const EngineResponse& reply) {
  std::string body = reply.body.substr(0, 200);
  while (!body.empty() && (body.back() == '\n' || body.back() == '\r')) {
    body.pop_back();
  }
  return std::string(request) + " returned HTTP " +
         std::to_string(reply.status) + ": " + body;
}

std::vector<ContainerRecord> SortedByName(
    const std::map<std::string, ContainerRecord>& records) {
  std::vector<ContainerRecord> sorted;
  sorted.reserve(records.size());
  for (const auto& [id, record] : records) {
    sorted.push_back(record);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const ContainerRecord& a, const ContainerRecord& b) {
              return a.name < b.name;
            });
  return sorted;
}

}  // namespace

std::string EscapePathSegment(std::string_view segment) {
  std::string escaped;
  escaped.reserve(segment.size());
  for (const char c : segment) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'a' && byte <= 'z') ||
                            (byte >= 'A' && byte <= 'Z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' ||
                            byte == '_' || byte == '.' || byte == '~';
    if (unreserved) {
      escaped.push_back(c);
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", byte);
      escaped.append(hex);
    }
  }
  return escaped;
}

Inventory::Inventory(InventoryOptions options, SnapshotStore& store)
    : options_(std::move(options)), store_(store) {
  const int client_count = std::max(1, options_.max_concurrent_requests);
  for (int i = 0; i < client_count; ++i) {
    clients_.push_back(
        std::make_unique<EngineClient>(options_.address, options_.timeout));
  }
  for (const auto stage : kRefreshStages) {
    failures_[std::string(stage)] = 0;
  }
}

Inventory::InspectResult Inventory::Inspect(EngineClient& client,
                                            const std::string& api_prefix,
                                            const std::string& id,
                                            const std::string& list_name) {
  const std::string path =
      api_prefix + "/containers/" + EscapePathSegment(id) + "/json";
  auto reply = client.Get(path);
  if (!reply) {
    return {std::nullopt, false, reply.error().message};
  }

  // A container removed between the list and its inspection is gone, which
  // is not an engine failure.
  if (reply.value().status == kHttpNotFound) {
    return {std::nullopt, true, std::nullopt};
  }
  if (reply.value().status != kHttpOk) {
    return {std::nullopt, false,
            StatusError("GET " + path, reply.value()) + " container_id=" + id};
  }

  auto document = ParseContainerInspect(reply.value().body);
  if (!document) {
    return {std::nullopt, false,
            document.error().message + " container_id=" + id};
  }

  const auto& inspect = document.value();
  ContainerRecord record;
  record.id = id;
  record.name = StripLeadingSlash(
      StringFieldOr(inspect, "Name", list_name.empty() ? id : list_name));
  const auto config = inspect.find("Config");
  record.image = config != inspect.end() ? StringFieldOr(*config, "Image", "")
                                         : std::string();
  const auto state = inspect.find("State");
  record.state = state != inspect.end() ? StringFieldOr(*state, "Status", "")
                                        : std::string();
  record.rootfs_readonly = CheckRootfsReadonly(inspect);
  return {std::move(record), false, std::nullopt};
}

void Inventory::PublishFailure(RefreshReport& report,
                               std::chrono::steady_clock::time_point started) {
  const auto now = std::chrono::steady_clock::now();
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->up = false;
  snapshot->ready = last_success_.has_value();
  snapshot->last_success_timestamp_seconds = last_success_timestamp_seconds_;
  snapshot->refresh_failures = failures_;

  // Containers stay exported for the stale-after period, so that a short
  // engine restart does not break `for:` clauses in alerting rules.
  const bool fresh_enough =
      last_success_ && now - *last_success_ < options_.stale_after;
  if (fresh_enough) {
    snapshot->engine = last_engine_;
    snapshot->containers = SortedByName(last_records_);
  }

  report.up = false;
  report.containers = snapshot->containers.size();
  report.duration = now - started;
  snapshot->refresh_duration_seconds = report.duration.count();
  store_.Publish(std::move(snapshot));
}

RefreshReport Inventory::Refresh() {
  const auto started = std::chrono::steady_clock::now();
  RefreshReport report;
  EngineClient& main_client = *clients_.front();

  // The version is asked on every refresh, because the engine may have been
  // restarted or upgraded since the last one.
  auto version_reply = main_client.Get("/version");
  if (!version_reply) {
    ++failures_["version"];
    report.errors.push_back(version_reply.error().message);
    PublishFailure(report, started);
    return report;
  }
  if (version_reply.value().status != kHttpOk) {
    ++failures_["version"];
    report.errors.push_back(StatusError("GET /version", version_reply.value()));
    PublishFailure(report, started);
    return report;
  }
  auto engine_version = ParseEngineVersion(version_reply.value().body);
  if (!engine_version) {
    ++failures_["version"];
    report.errors.push_back(engine_version.error().message);
    PublishFailure(report, started);
    return report;
  }
  auto api_version = NegotiateApiVersion(engine_version.value());
  if (!api_version) {
    ++failures_["version"];
    report.errors.push_back(api_version.error().message);
    PublishFailure(report, started);
    return report;
  }
  report.api_version = api_version.value().ToString();
  const std::string api_prefix = "/v" + report.api_version;

  const std::string list_path = api_prefix + "/containers/json?all=1";
  auto list_reply = main_client.Get(list_path);
  if (!list_reply || list_reply.value().status != kHttpOk) {
    ++failures_["list"];
    report.errors.push_back(
        list_reply ? StatusError("GET " + list_path, list_reply.value())
                   : list_reply.error().message);
    PublishFailure(report, started);
    return report;
  }
  auto summaries = ParseContainerList(list_reply.value().body);
  if (!summaries) {
    ++failures_["list"];
    report.errors.push_back(summaries.error().message);
    PublishFailure(report, started);
    return report;
  }

  // Inspect with bounded concurrency: each worker owns one client and takes
  // the next unclaimed container until none is left.
  const auto& containers = summaries.value();
  std::vector<InspectResult> results(containers.size());
  std::atomic<std::size_t> next_index{0};
  const std::size_t worker_count =
      std::min(clients_.size(), std::max<std::size_t>(1, containers.size()));
  {
    std::vector<std::jthread> workers;
    for (std::size_t w = 0; w < worker_count; ++w) {
      workers.emplace_back([&, w] {
        for (std::size_t i = next_index++; i < containers.size();
             i = next_index++) {
          results[i] = Inspect(*clients_[w], api_prefix, containers[i].id,
                               containers[i].name);
        }
      });
    }
  }

  // A container whose inspection failed keeps its last known record, so one
  // bad document does not make its series flap.
  std::map<std::string, ContainerRecord> records;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    auto& result = results[i];
    if (result.record) {
      records.emplace(containers[i].id, std::move(*result.record));
      continue;
    }
    if (result.error) {
      ++failures_["inspect"];
      report.errors.push_back(*result.error);
      const auto previous = last_records_.find(containers[i].id);
      if (previous != last_records_.end()) {
        records.emplace(previous->first, previous->second);
      }
    }
  }

  const auto& engine = engine_version.value();
  last_engine_ = EngineRecord{engine.engine_version, report.api_version,
                              engine.os, engine.arch};
  last_records_ = std::move(records);
  last_success_ = std::chrono::steady_clock::now();
  last_success_timestamp_seconds_ =
      UnixSeconds(std::chrono::system_clock::now());

  auto snapshot = std::make_shared<Snapshot>();
  snapshot->up = true;
  snapshot->ready = true;
  snapshot->engine = last_engine_;
  snapshot->containers = SortedByName(last_records_);
  snapshot->last_success_timestamp_seconds = last_success_timestamp_seconds_;
  snapshot->refresh_failures = failures_;

  report.up = true;
  report.containers = snapshot->containers.size();
  report.duration = std::chrono::steady_clock::now() - started;
  snapshot->refresh_duration_seconds = report.duration.count();
  store_.Publish(std::move(snapshot));
  return report;
}

}  // namespace dce
