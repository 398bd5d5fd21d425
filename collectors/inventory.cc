#include "collectors/inventory.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
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
  report.errors.push_back(std::move(error));
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
  ApplyPolicyToEngine(*CurrentPolicy(), std::chrono::system_clock::now(),
                      *snapshot);

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
  // One policy for the whole refresh, even if a reload replaces it meanwhile.
  const std::shared_ptr<const Policy> policy = CurrentPolicy();
  const CheckSettings settings =
      ApplyCheckSettings(*policy, options_.check_settings);

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
  const std::string api_prefix = "/v" + report.api_version;

  const std::string list_path = api_prefix + "/containers/json?all=1";
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

  // Engine-wide documents. Their failure makes the checks that read them
  // unknown but leaves the rest of the refresh standing.
  auto info =
      FetchJson(main_client, "info", api_prefix + "/info", false, report);
  if (info && !info->is_object()) {
    CountFailure("info", "GET /info returned JSON that is not an object",
                 report);
    info.reset();
  }
  auto networks = FetchJson(main_client, "networks", api_prefix + "/networks",
                            false, report);
  if (networks && !networks->is_array()) {
    CountFailure("networks", "GET /networks returned JSON that is not an array",
                 report);
    networks.reset();
  }
  auto image_list_document = FetchJson(
      main_client, "images", api_prefix + "/images/json", false, report);
  if (image_list_document && !image_list_document->is_array()) {
    CountFailure("images",
                 "GET /images/json returned JSON that is not an array", report);
    image_list_document.reset();
  }

  // Containers outside the configured scope are neither inspected nor
  // evaluated. Their images still count as used in the engine's facts.
  std::vector<ContainerSummary> containers;
  std::set<std::string> excluded_image_ids;
  for (auto& summary : summaries.value()) {
    if (policy->scope.Contains(summary.name, summary.labels, summary.state)) {
      containers.push_back(std::move(summary));
    } else {
      excluded_image_ids.insert(summary.image_id);
    }
  }

  // Inspect every container, and fetch the process list of running ones
  // and their retained exec instances.
  std::vector<ContainerDocuments> documents(containers.size());
  ForEachConcurrently(containers.size(), [&](EngineClient& client,
                                             std::size_t i) {
    const std::string id_segment = EscapePathSegment(containers[i].id);
    auto& fetched = documents[i];

    const std::string inspect_path =
        api_prefix + "/containers/" + id_segment + "/json";
    auto reply = client.Get(inspect_path);
    if (!reply) {
      CountFailure("inspect",
                   reply.error().message + " container_id=" + containers[i].id,
                   report);
      fetched.inspect_failed = true;
      return;
    }
    // A container removed between the list and its inspection is gone,
    // which is not an engine failure.
    if (reply.value().status == kHttpNotFound) {
      fetched.removed = true;
      return;
    }
    if (reply.value().status != kHttpOk) {
      CountFailure("inspect",
                   StatusError("GET " + inspect_path, reply.value()) +
                       " container_id=" + containers[i].id,
                   report);
      fetched.inspect_failed = true;
      return;
    }
    auto inspect = ParseContainerInspect(reply.value().body);
    if (!inspect) {
      CountFailure(
          "inspect",
          inspect.error().message + " container_id=" + containers[i].id,
          report);
      fetched.inspect_failed = true;
      return;
    }
    fetched.inspect = std::move(inspect).value();

    if (IsRunning(*fetched.inspect)) {
      fetched.top = FetchJson(client, "top",
                              api_prefix + "/containers/" + id_segment + "/top",
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
        // An exec instance the engine has dropped since the inspection is
        // no longer retained, so it is skipped like a removed container.
        auto exec = FetchJson(
            client, "exec",
            api_prefix + "/exec/" +
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
  });

  // Images by id (the image each container runs) and by the reference it
  // was created from, and swarm services on managers; each fetched once.
  std::set<std::string> image_keys;
  std::set<std::string> service_ids;
  const bool swarm_manager = IsSwarmManager(info);
  for (const auto& fetched : documents) {
    if (!fetched.inspect) {
      continue;
    }
    for (const auto* path : {"Image", "Config.Image"}) {
      const std::string reference = StringAt(*fetched.inspect, path);
      if (!reference.empty()) {
        image_keys.insert(reference);
      }
    }
    const std::string service_id = SwarmServiceId(*fetched.inspect);
    if (swarm_manager && !service_id.empty()) {
      service_ids.insert(service_id);
    }
  }

  const std::vector<std::string> image_list(image_keys.begin(),
                                            image_keys.end());
  std::vector<std::optional<nlohmann::json>> images(image_list.size());
  ForEachConcurrently(
      image_list.size(), [&](EngineClient& client, std::size_t i) {
        // A tag that no longer exists returns 404, which the check reports as
        // unknown rather than as a failed request.
        images[i] = FetchJson(client, "image",
                              api_prefix + "/images/" +
                                  EscapePathSegment(image_list[i]) + "/json",
                              true, report);
      });
  std::map<std::string, const nlohmann::json*> image_by_reference;
  for (std::size_t i = 0; i < image_list.size(); ++i) {
    image_by_reference[image_list[i]] = images[i] ? &*images[i] : nullptr;
  }

  const std::vector<std::string> service_list(service_ids.begin(),
                                              service_ids.end());
  std::vector<std::optional<nlohmann::json>> services(service_list.size());
  ForEachConcurrently(
      service_list.size(), [&](EngineClient& client, std::size_t i) {
        services[i] = FetchJson(
            client, "service",
            api_prefix + "/services/" + EscapePathSegment(service_list[i]),
            true, report);
      });
  std::map<std::string, const nlohmann::json*> service_by_id;
  for (std::size_t i = 0; i < service_list.size(); ++i) {
    service_by_id[service_list[i]] = services[i] ? &*services[i] : nullptr;
  }

  // Evaluate. No request is sent from here on.
  const auto lookup = [](const auto& map, const std::string& key) {
    const auto found = map.find(key);
    return found == map.end() ? nullptr : found->second;
  };
  std::map<std::string, ContainerRecord> records;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    auto& fetched = documents[i];
    if (fetched.removed) {
      continue;
    }
    if (!fetched.inspect) {
      // A container whose inspection failed keeps its last known record,
      // so one bad document does not make its series flap.
      const auto previous = last_records_.find(containers[i].id);
      if (previous != last_records_.end()) {
        records.emplace(previous->first, previous->second);
      }
      continue;
    }

    const auto& inspect = *fetched.inspect;
    const ContainerContext context{
        .inspect = inspect,
        .info = info ? &*info : nullptr,
        .top = fetched.top ? &*fetched.top : nullptr,
        .image = lookup(image_by_reference, StringAt(inspect, "Image")),
        .image_by_tag =
            lookup(image_by_reference, StringAt(inspect, "Config.Image")),
        .execs = fetched.execs ? &*fetched.execs : nullptr,
        .service = lookup(service_by_id, SwarmServiceId(inspect)),
        .networks = networks ? &*networks : nullptr,
        .settings = settings,
    };

    ContainerRecord record;
    record.id = containers[i].id;
    const std::string fallback_name =
        containers[i].name.empty() ? containers[i].id : containers[i].name;
    record.name =
        StripLeadingSlash(StringFieldOr(inspect, "Name", fallback_name));
    record.image = StringAt(inspect, "Config.Image");
    record.state = StringAt(inspect, "State.Status");
    record.facts = ExtractContainerFacts(inspect);
    for (const auto& check : ContainerChecks()) {
      record.results.push_back(check.evaluate(context));
      if (check.info.key == "rootfs_readonly") {
        record.rootfs_readonly = record.results.back();
      }
    }
    ApplyPolicyToContainer(*policy, LabelsOfInspect(inspect),
                           std::chrono::system_clock::now(), record);
    records.emplace(record.id, std::move(record));
  }

  const EngineContext engine_context{
      .info = info ? &*info : nullptr,
      .networks = networks ? &*networks : nullptr,
      .settings = settings,
  };
  std::vector<CheckResult> engine_results;
  for (const auto& check : EngineChecks()) {
    engine_results.push_back(check.evaluate(engine_context));
  }

  std::set<std::string> used_image_ids = std::move(excluded_image_ids);
  for (const auto& fetched : documents) {
    if (fetched.inspect) {
      used_image_ids.insert(StringAt(*fetched.inspect, "Image"));
    }
  }
  last_engine_facts_ = ExtractEngineFacts(
      info ? &*info : nullptr,
      image_list_document ? &*image_list_document : nullptr, used_image_ids);

  const auto& engine = engine_version.value();
  last_engine_ = EngineRecord{engine.engine_version, report.api_version,
                              engine.os, engine.arch};
  last_engine_results_ = std::move(engine_results);
  last_records_ = std::move(records);
  last_success_ = std::chrono::steady_clock::now();
  last_success_timestamp_seconds_ =
      UnixSeconds(std::chrono::system_clock::now());

  auto snapshot = std::make_shared<Snapshot>();
  snapshot->up = true;
  snapshot->ready = true;
  snapshot->engine = last_engine_;
  snapshot->engine_results = last_engine_results_;
  snapshot->engine_facts = last_engine_facts_;
  snapshot->containers = SortedByName(last_records_);
  snapshot->last_success_timestamp_seconds = last_success_timestamp_seconds_;
  snapshot->refresh_failures = failures_;
  ApplyPolicyToEngine(*policy, std::chrono::system_clock::now(), *snapshot);

  report.up = true;
  report.containers = snapshot->containers.size();
  report.duration = std::chrono::steady_clock::now() - started;
  snapshot->refresh_duration_seconds = report.duration.count();
  store_.Publish(std::move(snapshot));
  return report;
}

}  // namespace dce
