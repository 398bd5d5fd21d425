#include "collectors/engine_facts.h"

#include <string_view>

#include "collectors/check_context.h"

namespace dce {
namespace {

// Returns the value of `key=` in a comma-separated SecurityOptions entry,
// such as `profile` in "name=seccomp,profile=builtin".
std::optional<std::string> OptionValue(std::string_view entry,
                                       std::string_view key) {
  while (!entry.empty()) {
    const auto comma = entry.find(',');
    const std::string_view part = entry.substr(0, comma);
    if (part.size() > key.size() && part.starts_with(key) &&
        part[key.size()] == '=') {
      return std::string(part.substr(key.size() + 1));
    }
    if (comma == std::string_view::npos) {
      break;
    }
    entry.remove_prefix(comma + 1);
  }
  return std::nullopt;
}

std::optional<std::string> SeccompProfile(const nlohmann::json& info) {
  const auto* options = FindPath(info, "SecurityOptions");
  if (options == nullptr || !options->is_array()) {
    return std::nullopt;
  }
  for (const auto& option : *options) {
    if (!option.is_string()) {
      continue;
    }
    const auto entry = option.get<std::string>();
    if (OptionValue(entry, "name") == "seccomp") {
      return OptionValue(entry, "profile");
    }
  }
  return std::nullopt;
}

}  // namespace

EngineFacts ExtractEngineFacts(const nlohmann::json* info,
                               const nlohmann::json* images,
                               const std::set<std::string>& used_image_ids) {
  EngineFacts facts;

  if (info != nullptr) {
    facts.containers_running = NumberAt(*info, "ContainersRunning");
    facts.containers_paused = NumberAt(*info, "ContainersPaused");
    facts.containers_stopped = NumberAt(*info, "ContainersStopped");
    const auto* state = FindPath(*info, "Swarm.LocalNodeState");
    if (state != nullptr && state->is_string() &&
        state->get<std::string>() == "active") {
      facts.swarm_managers = NumberAt(*info, "Swarm.Managers");
    }
    facts.seccomp_profile = SeccompProfile(*info);
  }

  if (images != nullptr && images->is_array()) {
    double unused = 0;
    bool every_id_read = true;
    for (const auto& image : *images) {
      const auto* id = FindPath(image, "Id");
      if (id == nullptr || !id->is_string()) {
        every_id_read = false;
        continue;
      }
      if (!used_image_ids.contains(id->get<std::string>())) {
        unused += 1;
      }
    }
    facts.images = static_cast<double>(images->size());
    if (every_id_read) {
      facts.images_unused = unused;
    }
  }
  return facts;
}

}  // namespace dce
