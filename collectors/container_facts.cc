#include "collectors/container_facts.h"

#include "collectors/check_context.h"

namespace dce {
namespace {

// Counts the entries of an array; null counts as empty, as the engine
// writes null for lists that were never set.
std::optional<double> CountEntries(const nlohmann::json* list) {
  if (list == nullptr) {
    return std::nullopt;
  }
  if (list->is_null()) {
    return 0;
  }
  if (!list->is_array()) {
    return std::nullopt;
  }
  return static_cast<double>(list->size());
}

// Counts the host bindings in a map from port to a list of bindings, such
// as {"80/tcp": [{"HostIp": "", "HostPort": "8080"}]}. An exposed port that
// is not published maps to null.
std::optional<double> CountBindings(const nlohmann::json* ports) {
  if (ports == nullptr) {
    return std::nullopt;
  }
  if (ports->is_null()) {
    return 0;
  }
  if (!ports->is_object()) {
    return std::nullopt;
  }
  double count = 0;
  for (const auto& [port, bindings] : ports->items()) {
    if (bindings.is_array()) {
      count += static_cast<double>(bindings.size());
    }
  }
  return count;
}

}  // namespace

ContainerFacts ExtractContainerFacts(const nlohmann::json& inspect) {
  ContainerFacts facts;

  const auto* privileged = FindPath(inspect, "HostConfig.Privileged");
  if (privileged != nullptr && privileged->is_boolean()) {
    facts.privileged = privileged->get<bool>();
  }

  facts.memory_limit_bytes = NumberAt(inspect, "HostConfig.Memory");

  const auto* pids_limit = FindPath(inspect, "HostConfig.PidsLimit");
  if (pids_limit != nullptr && pids_limit->is_null()) {
    facts.pids_limit = 0;
  } else {
    facts.pids_limit = NumberAt(inspect, "HostConfig.PidsLimit");
  }

  for (std::size_t i = 0; i < kHostNamespaces.size(); ++i) {
    const auto* host_config = FindPath(inspect, "HostConfig");
    if (host_config == nullptr || !host_config->is_object()) {
      continue;
    }
    const auto mode = host_config->find(std::string(kHostNamespaces[i].field));
    if (mode != host_config->end() && mode->is_string()) {
      facts.host_namespaces[i] = mode->get<std::string>() == "host";
    }
  }

  const auto* running = FindPath(inspect, "State.Running");
  const bool is_running =
      running != nullptr && running->is_boolean() && running->get<bool>();
  facts.published_ports =
      is_running ? CountBindings(FindPath(inspect, "NetworkSettings.Ports"))
                 : CountBindings(FindPath(inspect, "HostConfig.PortBindings"));

  facts.capabilities_added =
      CountEntries(FindPath(inspect, "HostConfig.CapAdd"));
  facts.ulimits_overridden =
      CountEntries(FindPath(inspect, "HostConfig.Ulimits"));
  return facts;
}

}  // namespace dce
