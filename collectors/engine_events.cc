#include "collectors/engine_events.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

namespace dce {
namespace {

std::string StringMember(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>()
                                                     : std::string();
}

bool IsOneOf(std::string_view value,
             std::initializer_list<std::string_view> candidates) {
  return std::find(candidates.begin(), candidates.end(), value) !=
         candidates.end();
}

// Actions whose name becomes a label value; the rest count as `other`.
constexpr std::array<std::string_view, 24> kCountedActions = {
    "connect",       "create", "delete",  "destroy", "die",     "disconnect",
    "health_status", "import", "kill",    "load",    "oom",     "pause",
    "pull",          "reload", "remove",  "rename",  "restart", "start",
    "stop",          "tag",    "unpause", "untag",   "update",  "prune"};

}  // namespace

Result<EngineEvent> ParseEngineEvent(std::string_view line) {
  const auto document = nlohmann::json::parse(line, nullptr, false);
  if (document.is_discarded()) {
    return Error{"an event from GET /events is not JSON"};
  }
  if (!document.is_object()) {
    return Error{"an event from GET /events is not a JSON object"};
  }

  EngineEvent event;
  event.type = StringMember(document, "Type");
  event.action = StringMember(document, "Action");
  if (event.type.empty() || event.action.empty()) {
    return Error{"an event from GET /events has no Type or Action string"};
  }
  // `health_status: healthy` and `exec_start: sh -c ...` carry details
  // after a colon that must not reach a label value.
  event.action = event.action.substr(0, event.action.find(':'));

  const auto actor = document.find("Actor");
  if (actor != document.end() && actor->is_object()) {
    event.actor_id = StringMember(*actor, "ID");
    const auto attributes = actor->find("Attributes");
    if (attributes != actor->end() && attributes->is_object()) {
      event.container_id = StringMember(*attributes, "container");
    }
  }
  const auto time_nano = document.find("timeNano");
  if (time_nano != document.end() && time_nano->is_number_integer()) {
    event.time_nano = time_nano->get<std::int64_t>();
  }
  return event;
}

EventImpact ClassifyEngineEvent(const EngineEvent& event) {
  using Kind = EventImpact::Kind;
  if (event.type == "container") {
    // exec_* events are left out: health checks run an exec every interval,
    // and the exec checks are evaluated at each full refresh instead.
    if (!event.actor_id.empty() &&
        IsOneOf(event.action, {"create", "start", "restart", "die", "stop",
                               "kill", "oom", "destroy", "rename", "update",
                               "pause", "unpause", "health_status"})) {
      return {Kind::kContainer, event.actor_id};
    }
    return {};
  }
  if (event.type == "network") {
    if (IsOneOf(event.action, {"connect", "disconnect"})) {
      if (event.container_id.empty()) {
        return {};
      }
      return {Kind::kContainer, event.container_id};
    }
    if (IsOneOf(event.action, {"create", "destroy", "remove", "update"})) {
      return {Kind::kFull, ""};
    }
    return {};
  }
  if (event.type == "image") {
    if (IsOneOf(event.action, {"delete", "import", "load", "pull", "tag",
                               "untag", "prune"})) {
      return {Kind::kEngine, ""};
    }
    return {};
  }
  if (event.type == "daemon" || event.type == "service" ||
      event.type == "node") {
    return {Kind::kFull, ""};
  }
  return {};
}

std::string_view CountedEventAction(std::string_view action) {
  const auto* found =
      std::find(kCountedActions.begin(), kCountedActions.end(), action);
  return found == kCountedActions.end() ? std::string_view("other") : *found;
}

std::string EventStreamFilter() {
  // {"type":["container","network","image","daemon","service","node"]}
  return "%7B%22type%22%3A%5B%22container%22%2C%22network%22%2C%22image%22"
         "%2C%22daemon%22%2C%22service%22%2C%22node%22%5D%7D";
}

Result<std::vector<std::string>> EventLineSplitter::Append(
    std::string_view chunk) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < chunk.size()) {
    const std::size_t newline = chunk.find('\n', start);
    const std::size_t end =
        newline == std::string_view::npos ? chunk.size() : newline;
    if (partial_.size() + (end - start) > kMaxLineBytes) {
      partial_.clear();
      return Error{"an event from GET /events is longer than " +
                   std::to_string(kMaxLineBytes) + " bytes"};
    }
    partial_.append(chunk.substr(start, end - start));
    if (newline == std::string_view::npos) {
      break;
    }
    if (!partial_.empty() && partial_.back() == '\r') {
      partial_.pop_back();
    }
    if (!partial_.empty()) {
      lines.push_back(std::move(partial_));
    }
    partial_.clear();
    start = newline + 1;
  }
  return lines;
}

void EventStreamStatus::SetConnected(bool connected) {
  std::lock_guard lock(mutex_);
  counts_.connected = connected;
}

void EventStreamStatus::CountEvent(std::string_view action) {
  std::lock_guard lock(mutex_);
  const auto counted = CountedEventAction(action);
  const auto found = counts_.events.find(counted);
  if (found == counts_.events.end()) {
    counts_.events.emplace(std::string(counted), 1);
  } else {
    ++found->second;
  }
}

void EventStreamStatus::CountFailure() {
  std::lock_guard lock(mutex_);
  ++counts_.failures;
}

EventStreamStatus::Counts EventStreamStatus::Read() const {
  std::lock_guard lock(mutex_);
  return counts_;
}

std::string FormatEventCounts(const EventStreamStatus::Counts& counts) {
  std::string text = counts.connected ? "connected=1" : "connected=0";
  text += " failures=" + std::to_string(counts.failures);
  for (const auto& [action, count] : counts.events) {
    text += " " + action + "=" + std::to_string(count);
  }
  return text;
}

}  // namespace dce
