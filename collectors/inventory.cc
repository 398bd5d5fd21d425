#include "collectors/inventory.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <future>
#include <set>
#include <thread>
#include <utility>

#include "collectors/api_version.h"
#include "collectors/check_catalogue.h"
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

std::string StringAt(const nlohmann::json& document, std::string_view path) {
  const auto* value = FindPath(document, path);
  return value != nullptr && value->is_string() ? value->get<std::string>()
                                                : std::string();
}

bool IsRunning(const nlohmann::json& inspect) {
  const auto* running = FindPath(inspect, "State.Running");
  return running != nullptr && running->is_boolean() && running->get<bool>();
}

// Whether this engine is a swarm manager, which alone may list services.
bool IsSwarmManager(const std::optional<nlohmann::json>& info) {
  if (!info) {
    return false;
  }
  const auto* control = FindPath(*info, "Swarm.ControlAvailable");
  return control != nullptr && control->is_boolean() && control->get<bool>();
}

// The swarm service a task container belongs to. The label key contains
// dots, so FindPath cannot reach it.
std::string SwarmServiceId(const nlohmann::json& inspect) {
  const auto* labels = FindPath(inspect, "Config.Labels");
  if (labels == nullptr || !labels->is_object()) {
    return "";
  }
  const auto service = labels->find("com.docker.swarm.service.id");
  if (service == labels->end() || !service->is_string()) {
    return "";
  }
  return service->get<std::string>();
}

}  // namespace

/// The documents fetched for one container during a refresh.
struct Inventory::ContainerDocuments {
  std::optional<nlohmann::json> inspect;
  bool removed = false;
  bool inspect_failed = false;
  std::optional<nlohmann::json> top;
  /// Set only when every retained exec instance was fetched.
  std::optional<std::vector<nlohmann::json>> execs;
};

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
    clients_.back()->SetCancellationFlag(&cancelled_);
  }
  for (const auto stage : kRefreshStages) {
    failures_[std::string(stage)] = 0;
  }
  if (options_.address.transport == EngineAddress::Transport::kUnix &&
      options_.check_settings.engine_socket_path.empty()) {
    options_.check_settings.engine_socket_path = options_.address.socket_path;
  }
  if (options_.host && options_.host->engine_socket_path.empty()) {
    options_.host->engine_socket_path =
        options_.check_settings.engine_socket_path;
  }
  settings_ = options_.check_settings;
}

void Inventory::SetPolicy(std::shared_ptr<const Policy> policy) {
  std::lock_guard lock(policy_mutex_);
  policy_ = std::move(policy);
}

std::shared_ptr<const Policy> Inventory::CurrentPolicy() const {
  std::lock_guard lock(policy_mutex_);
  return policy_;
}

void Inventory::CountFailure(std::string_view stage, std::string error,
                             RefreshReport& report) {
  // Requests cut short by Cancel() are not engine failures.
  if (cancelled_) {
    return;
  }
  std::lock_guard lock(failures_mutex_);
  ++failures_[std::string(stage)];
  report.failures.push_back({std::string(stage), std::move(error)});
}

std::optional<nlohmann::json> Inventory::FetchJson(EngineClient& client,
                                                   std::string_view stage,
                                                   const std::string& path,
                                                   bool not_found_is_absent,
                                                   RefreshReport& report) {
  auto reply = client.Get(path);
  if (!reply) {
    CountFailure(stage, reply.error().message, report);
    return std::nullopt;
  }
  if (reply.value().status == kHttpNotFound && not_found_is_absent) {
    return std::nullopt;
  }
  if (reply.value().status != kHttpOk) {
    CountFailure(stage, StatusError("GET " + path, reply.value()), report);
    return std::nullopt;
  }
  auto document = nlohmann::json::parse(reply.value().body, nullptr, false);
  if (document.is_discarded()) {
    CountFailure(stage, "GET " + path + " returned a body that is not JSON",
                 report);
    return std::nullopt;
  }
  return document;
}

void Inventory::ForEachConcurrently(
    std::size_t count,
    const std::function<void(EngineClient&, std::size_t)>& task) {
  std::atomic<std::size_t> next_index{0};
  const std::size_t worker_count =
      std::min(clients_.size(), std::max<std::size_t>(1, count));
  std::vector<std::jthread> workers;
  for (std::size_t w = 0; w < worker_count; ++w) {
    workers.emplace_back([&, w] {
      for (std::size_t i = next_index++; i < count && !cancelled_;
           i = next_index++) {
        task(*clients_[w], i);
      }
    });
  }
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
    snapshot->engine_results = last_engine_results_;
    snapshot->engine_facts = last_engine_facts_;
    snapshot->containers = SortedByName(last_records_);
  }
  // The host's files do not depend on the engine, so they are read anyway.
  if (options_.host) {
    snapshot->host = CollectHost(*options_.host, nullptr);
  }
  ApplyPolicyToEngine(*CurrentPolicy(), std::chrono::system_clock::now(),
                      *snapshot);

  report.up = false;
  report.containers = snapshot->containers.size();
  report.duration = now - started;
  snapshot->refresh_duration_seconds = report.duration.count();
  store_.Publish(std::move(snapshot));
}

Inventory::ContainerDocuments Inventory::FetchContainer(EngineClient& client,
                                                        const std::string& id,
                                                        RefreshReport& report) {
  ContainerDocuments fetched;
  const std::string id_segment = EscapePathSegment(id);
  const std::string inspect_path =
      api_prefix_ + "/containers/" + id_segment + "/json";
  auto reply = client.Get(inspect_path);
  if (!reply) {
    CountFailure("inspect", reply.error().message + " container_id=" + id,
                 report);
    fetched.inspect_failed = true;
    return fetched;
  }
  // A container removed between the list and its inspection is gone, which
  // is not an engine failure.
  if (reply.value().status == kHttpNotFound) {
    fetched.removed = true;
    return fetched;
  }
  if (reply.value().status != kHttpOk) {
    CountFailure("inspect",
                 StatusError("GET " + inspect_path, reply.value()) +
                     " container_id=" + id,
                 report);
    fetched.inspect_failed = true;
    return fetched;
  }
  auto inspect = ParseContainerInspect(reply.value().body);
  if (!inspect) {
    CountFailure("inspect", inspect.error().message + " container_id=" + id,
                 report);
    fetched.inspect_failed = true;
    return fetched;
  }
  fetched.inspect = std::move(inspect).value();

  if (IsRunning(*fetched.inspect)) {
    fetched.top = FetchJson(client, "top",
                            api_prefix_ + "/containers/" + id_segment + "/top",
                            true, report);
  }

  const auto* exec_ids = FindPath(*fetched.inspect, "ExecIDs");
  std::vector<nlohmann::json> execs;
  bool all_execs_fetched = true;
  if (exec_ids != nullptr && exec_ids->is_array()) {
    for (const auto& exec_id : *exec_ids) {
      if (!exec_id.is_string()) {
        all_execs_fetched = false;
        continue;
      }
      // An exec instance the engine has dropped since the inspection is no
      // longer retained, so it is skipped like a removed container.
      auto exec =
          FetchJson(client, "exec",
                    api_prefix_ + "/exec/" +
                        EscapePathSegment(exec_id.get<std::string>()) + "/json",
                    true, report);
      if (exec) {
        execs.push_back(std::move(*exec));
      }
    }
  }
  if (all_execs_fetched) {
    fetched.execs = std::move(execs);
  }
  return fetched;
}

const nlohmann::json* Inventory::DocumentCache::Get(
    const std::string& key,
    const std::function<std::optional<nlohmann::json>()>& fetch) {
  if (key.empty()) {
    return nullptr;
  }
  std::promise<std::optional<nlohmann::json>> promise;
  std::shared_future<std::optional<nlohmann::json>> future;
  bool fetch_here = false;
  {
    std::lock_guard lock(mutex_);
    auto [entry, inserted] = entries_.try_emplace(key);
    if (inserted) {
      entry->second = promise.get_future().share();
      fetch_here = true;
    }
    future = entry->second;
  }
  // The first worker to need a document fetches it; the others wait for
  // that request instead of sending their own.
  if (fetch_here) {
    promise.set_value(fetch());
  }
  const auto& document = future.get();
  return document ? &*document : nullptr;
}

Inventory::ContainerOutcome Inventory::FetchAndEvaluate(
    EngineClient& client, const std::string& id, const std::string& listed_name,
    RefreshCaches& caches, RefreshReport& report) {
  ContainerOutcome outcome;
  const ContainerDocuments fetched = FetchContainer(client, id, report);
  outcome.removed = fetched.removed;
  if (!fetched.inspect) {
    return outcome;
  }
  const auto& inspect = *fetched.inspect;
  // A container an event names may lie outside the configured scope, and
  // one listed in scope may have changed state since.
  if (!policy_for_refresh_->scope.Contains(
          StripLeadingSlash(StringFieldOr(inspect, "Name", listed_name)),
          LabelsOfInspect(inspect), StringAt(inspect, "State.Status"))) {
    outcome.removed = true;
    return outcome;
  }

  // Images by id (the image the container runs) and by the reference it was
  // created from, and its swarm service on managers. A tag that no longer
  // exists returns 404, which the check reports as unknown rather than as a
  // failed request.
  const auto fetch_image = [&](const std::string& reference) {
    return [&, reference] {
      return FetchJson(
          client, "image",
          api_prefix_ + "/images/" + EscapePathSegment(reference) + "/json",
          true, report);
    };
  };
  const std::string image_id = StringAt(inspect, "Image");
  const std::string image_reference = StringAt(inspect, "Config.Image");
  const auto* image = caches.images.Get(image_id, fetch_image(image_id));
  const auto* image_by_tag =
      caches.images.Get(image_reference, fetch_image(image_reference));
  const nlohmann::json* service = nullptr;
  const std::string service_id = SwarmServiceId(inspect);
  if (IsSwarmManager(last_info_)) {
    service = caches.services.Get(service_id, [&] {
      return FetchJson(
          client, "service",
          api_prefix_ + "/services/" + EscapePathSegment(service_id), true,
          report);
    });
  }

  outcome.record = EvaluateContainer(id, listed_name, inspect, fetched, image,
                                     image_by_tag, service);
  return outcome;
}

ContainerRecord Inventory::EvaluateContainer(
    const std::string& id, const std::string& listed_name,
    const nlohmann::json& inspect, const ContainerDocuments& fetched,
    const nlohmann::json* image, const nlohmann::json* image_by_tag,
    const nlohmann::json* service) const {
  const ContainerContext context{
      .inspect = inspect,
      .info = last_info_ ? &*last_info_ : nullptr,
      .top = fetched.top ? &*fetched.top : nullptr,
      .image = image,
      .image_by_tag = image_by_tag,
      .execs = fetched.execs ? &*fetched.execs : nullptr,
      .service = service,
      .networks = last_networks_ ? &*last_networks_ : nullptr,
      .settings = settings_,
  };

  ContainerRecord record;
  record.id = id;
  const std::string fallback_name = listed_name.empty() ? id : listed_name;
  record.name =
      StripLeadingSlash(StringFieldOr(inspect, "Name", fallback_name));
  record.image = StringAt(inspect, "Config.Image");
  record.image_id = StringAt(inspect, "Image");
  record.state = StringAt(inspect, "State.Status");
  record.facts = ExtractContainerFacts(inspect);
  for (const auto& check : ContainerChecks()) {
    record.results.push_back(check.evaluate(context));
    if (check.info.key == "rootfs_readonly") {
      record.rootfs_readonly = record.results.back();
    }
  }
  ApplyPolicyToContainer(*policy_for_refresh_, LabelsOfInspect(inspect),
                         std::chrono::system_clock::now(), record);
  return record;
}

void Inventory::EvaluateEngine() {
  const EngineContext engine_context{
      .info = last_info_ ? &*last_info_ : nullptr,
      .networks = last_networks_ ? &*last_networks_ : nullptr,
      .settings = settings_,
  };
  last_engine_results_.clear();
  for (const auto& check : EngineChecks()) {
    last_engine_results_.push_back(check.evaluate(engine_context));
  }

  std::set<std::string> used_image_ids = excluded_image_ids_;
  for (const auto& [id, record] : last_records_) {
    used_image_ids.insert(record.image_id);
  }
  last_engine_facts_ = ExtractEngineFacts(
      last_info_ ? &*last_info_ : nullptr,
      last_image_list_ ? &*last_image_list_ : nullptr, used_image_ids);
}

void Inventory::FetchEngineDocuments(bool with_networks,
                                     RefreshReport& report) {
  // Each document's failure makes the checks that read it unknown but
  // leaves the rest of the refresh standing.
  EngineClient& main_client = *clients_.front();
  last_info_ =
      FetchJson(main_client, "info", api_prefix_ + "/info", false, report);
  if (last_info_ && !last_info_->is_object()) {
    CountFailure("info", "GET /info returned JSON that is not an object",
                 report);
    last_info_.reset();
  }
  if (with_networks) {
    last_networks_ = FetchJson(main_client, "networks",
                               api_prefix_ + "/networks", false, report);
    if (last_networks_ && !last_networks_->is_array()) {
      CountFailure("networks",
                   "GET /networks returned JSON that is not an array", report);
      last_networks_.reset();
    }
  }
  last_image_list_ = FetchJson(main_client, "images",
                               api_prefix_ + "/images/json", false, report);
  if (last_image_list_ && !last_image_list_->is_array()) {
    CountFailure("images",
                 "GET /images/json returned JSON that is not an array", report);
    last_image_list_.reset();
  }
}

void Inventory::PublishSuccess(RefreshReport& report,
                               std::chrono::steady_clock::time_point started) {
  report.duration = std::chrono::steady_clock::now() - started;
  // The duration gauge describes full refreshes, whose cost grows with the
  // number of containers; a partial one leaves it as it was.
  if (!report.partial) {
    last_full_refresh_seconds_ = report.duration.count();
  }
  last_success_ = std::chrono::steady_clock::now();
  last_success_timestamp_seconds_ =
      UnixSeconds(std::chrono::system_clock::now());

  auto snapshot = std::make_shared<Snapshot>();
  snapshot->up = true;
  snapshot->ready = true;
  snapshot->engine = last_engine_;
  snapshot->engine_results = last_engine_results_;
  snapshot->engine_facts = last_engine_facts_;
  snapshot->host = last_host_;
  snapshot->containers = SortedByName(last_records_);
  snapshot->last_success_timestamp_seconds = last_success_timestamp_seconds_;
  snapshot->refresh_failures = failures_;
  ApplyPolicyToEngine(*policy_for_refresh_, std::chrono::system_clock::now(),
                      *snapshot);

  report.up = true;
  report.containers = snapshot->containers.size();
  snapshot->refresh_duration_seconds = last_full_refresh_seconds_;
  store_.Publish(std::move(snapshot));
}

RefreshReport Inventory::Refresh() {
  const auto started = std::chrono::steady_clock::now();
  RefreshReport report;
  EngineClient& main_client = *clients_.front();
  last_refresh_up_ = false;
  // One policy for the whole refresh, even if a reload replaces it meanwhile.
  policy_for_refresh_ = CurrentPolicy();

  // The version is requested on every refresh, because the engine may have
  // been restarted or upgraded since the last one.
  const auto version_document =
      FetchJson(main_client, "version", "/version", false, report);
  if (!version_document) {
    PublishFailure(report, started);
    return report;
  }
  auto engine_version = ParseEngineVersion(version_document->dump());
  if (!engine_version) {
    CountFailure("version", engine_version.error().message, report);
    PublishFailure(report, started);
    return report;
  }
  auto api_version = NegotiateApiVersion(engine_version.value());
  if (!api_version) {
    CountFailure("version", api_version.error().message, report);
    PublishFailure(report, started);
    return report;
  }
  report.api_version = api_version.value().ToString();
  api_prefix_ = "/v" + report.api_version;

  const std::string list_path = api_prefix_ + "/containers/json?all=1";
  auto list_reply = main_client.Get(list_path);
  if (!list_reply || list_reply.value().status != kHttpOk) {
    CountFailure("list",
                 list_reply
                     ? StatusError("GET " + list_path, list_reply.value())
                     : list_reply.error().message,
                 report);
    PublishFailure(report, started);
    return report;
  }
  auto summaries = ParseContainerList(list_reply.value().body);
  if (!summaries) {
    CountFailure("list", summaries.error().message, report);
    PublishFailure(report, started);
    return report;
  }

  FetchEngineDocuments(/*with_networks=*/true, report);

  // The host's files are read before the container checks, because 5.26
  // passes when the daemon enforces no-new-privileges for every container.
  settings_ = ApplyCheckSettings(*policy_for_refresh_, options_.check_settings);
  last_host_.reset();
  if (options_.host) {
    last_host_ =
        CollectHost(*options_.host, last_info_ ? &*last_info_ : nullptr);
    settings_.daemon_no_new_privileges = last_host_->daemon_no_new_privileges;
  }

  // Inspect every container, fetch what its checks read and evaluate it at
  // once, so that only one container's documents per worker are held in
  // memory, whatever the number of containers.
  // Containers outside the configured scope are neither inspected nor
  // evaluated. Their images still count as used in the engine's facts.
  std::vector<ContainerSummary> containers;
  excluded_image_ids_.clear();
  for (auto& summary : summaries.value()) {
    if (policy_for_refresh_->scope.Contains(summary.name, summary.labels,
                                            summary.state)) {
      containers.push_back(std::move(summary));
    } else {
      excluded_image_ids_.insert(summary.image_id);
    }
  }
  std::vector<ContainerOutcome> outcomes(containers.size());
  RefreshCaches caches;
  std::atomic<std::size_t> evaluated{0};
  ForEachConcurrently(
      containers.size(), [&](EngineClient& client, std::size_t i) {
        outcomes[i] = FetchAndEvaluate(client, containers[i].id,
                                       containers[i].name, caches, report);
        const std::size_t done = ++evaluated;
        if (options_.on_progress) {
          options_.on_progress(done, containers.size());
        }
      });

  std::map<std::string, ContainerRecord> records;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    auto& outcome = outcomes[i];
    if (outcome.removed) {
      continue;
    }
    if (!outcome.record) {
      // A container whose inspection failed keeps its last known record,
      // so one bad document does not make its series flap.
      const auto previous = last_records_.find(containers[i].id);
      if (previous != last_records_.end()) {
        records.emplace(previous->first, previous->second);
      }
      continue;
    }
    records.emplace(containers[i].id, std::move(*outcome.record));
  }
  last_records_ = std::move(records);
  EvaluateEngine();

  const auto& engine = engine_version.value();
  last_engine_ = EngineRecord{engine.engine_version, report.api_version,
                              engine.os, engine.arch};
  last_refresh_up_ = true;
  PublishSuccess(report, started);
  return report;
}

RefreshReport Inventory::RefreshContainers(
    const std::set<std::string>& container_ids) {
  const auto started = std::chrono::steady_clock::now();
  RefreshReport report;
  report.partial = true;
  // Without a successful full refresh there is no API version to use and
  // nothing to update; the next full refresh covers these containers.
  if (!last_refresh_up_) {
    report.up = false;
    return report;
  }
  report.api_version = last_engine_ ? last_engine_->api_version : "";
  // The check settings stay those of the last full refresh; a reloaded
  // scope or waiver applies to the containers updated from here on.
  policy_for_refresh_ = CurrentPolicy();

  FetchEngineDocuments(/*with_networks=*/false, report);

  const std::vector<std::string> ids(container_ids.begin(),
                                     container_ids.end());
  std::vector<ContainerOutcome> outcomes(ids.size());
  RefreshCaches caches;
  ForEachConcurrently(ids.size(), [&](EngineClient& client, std::size_t i) {
    outcomes[i] = FetchAndEvaluate(client, ids[i], "", caches, report);
  });

  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto& outcome = outcomes[i];
    if (outcome.removed) {
      last_records_.erase(ids[i]);
      continue;
    }
    // A failed inspection keeps the last known record, as in a full
    // refresh.
    if (outcome.record) {
      last_records_.insert_or_assign(ids[i], std::move(*outcome.record));
    }
  }
  EvaluateEngine();
  PublishSuccess(report, started);
  return report;
}

}  // namespace dce
