// Container checks on published ports and networks: privileged host
// ports, ports bound to every interface and the default bridge.

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// One entry of a port map such as
// {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "8080"}]}.
struct PortBinding {
  // The map's key, such as "80/tcp".
  std::string container_port;
  const json* entry = nullptr;
  // The entry's name for reasons, such as
  // `HostConfig.PortBindings["80/tcp"][0].`.
  std::string prefix;
};

// Appends the bindings of the port map at `path`. A null map, and a null
// list for a port that is exposed but not published, add nothing.
void CollectPortMap(const json& inspect, const std::string& path,
                    std::vector<PortBinding>* bindings,
                    ItemVerdicts* verdicts) {
  const json* port_map = FindPath(inspect, path);
  if (port_map == nullptr) {
    verdicts->AddUnknown(path + " is missing");
    return;
  }
  if (port_map->is_null()) {
    return;
  }
  if (!port_map->is_object()) {
    verdicts->AddUnknown(TypeMismatch(path, *port_map, FieldType::kObject));
    return;
  }

  for (const auto& [port, list] : port_map->items()) {
    const std::string list_name = path + "[\"" + port + "\"]";
    if (list.is_null()) {
      continue;
    }
    if (!list.is_array()) {
      verdicts->AddUnknown(TypeMismatch(list_name, list, FieldType::kArray));
      continue;
    }

    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = list_name + "[" + std::to_string(i) + "]";
      if (!list[i].is_object()) {
        verdicts->AddUnknown(TypeMismatch(name, list[i], FieldType::kObject));
        continue;
      }
      bindings->push_back({port, &list[i], name + "."});
    }
  }
}

// Collects the configured bindings (`HostConfig.PortBindings`) and, for a
// running container, the live ones (`NetworkSettings.Ports`), which show
// the ephemeral ports the engine chose and list IPv4 and IPv6 separately.
// NOTE: a stopped container created with --publish-all has no bindings in
// either map, so its ports are judged only once it runs.
std::vector<PortBinding> CollectPortBindings(const json& inspect,
                                             ItemVerdicts* verdicts) {
  std::vector<PortBinding> bindings;
  const auto state = ReadRunningState(inspect);
  if (!state) {
    verdicts->AddUnknown(state.error().message);
  } else if (state.value().running) {
    CollectPortMap(inspect, "NetworkSettings.Ports", &bindings, verdicts);
  }
  CollectPortMap(inspect, "HostConfig.PortBindings", &bindings, verdicts);
  return bindings;
}

using BindingJudge =
    std::function<void(const PortBinding& binding, ItemVerdicts* verdicts)>;

// Judges every published port binding with `judge`. Not applicable when no
// port is published.
CheckResult JudgePortBindings(const json& inspect, const BindingJudge& judge,
                              std::string pass_reason) {
  ItemVerdicts verdicts;
  const auto bindings = CollectPortBindings(inspect, &verdicts);
  for (const auto& binding : bindings) {
    judge(binding, &verdicts);
  }

  if (auto verdict = verdicts.Verdict()) {
    return *verdict;
  }
  if (bindings.empty()) {
    return {Outcome::kNotApplicable, "no ports are published"};
  }
  return {Outcome::kPass, std::move(pass_reason)};
}

std::optional<int> ParsePort(std::string_view text) {
  int port = 0;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), port);
  if (error != std::errc() || end != text.data() + text.size() || port < 0 ||
      port > 65535) {
    return std::nullopt;
  }
  return port;
}

// Returns the lowest port that a `HostPort` value can bind, or nullopt when
// the value is invalid. Empty and "0" ask the engine for an ephemeral port,
// returned as 0. A range such as "8000-8010" binds its first free port, so
// its start is returned.
std::optional<int> LowestHostPort(std::string_view host_port) {
  if (host_port.empty()) {
    return 0;
  }

  const auto dash = host_port.find('-');
  const auto start = ParsePort(host_port.substr(0, dash));
  if (!start) {
    return std::nullopt;
  }
  if (dash != std::string_view::npos &&
      !ParsePort(host_port.substr(dash + 1))) {
    return std::nullopt;
  }
  return start;
}

// Whether `address` is the IPv4 or IPv6 wildcard in any spelling, such as
// "0.0.0.0", "::" or "0:0:0:0:0:0:0:0".
bool IsUnspecifiedAddress(const std::string& address) {
  in_addr ipv4{};
  if (inet_pton(AF_INET, address.c_str(), &ipv4) == 1) {
    return ipv4.s_addr == 0;
  }
  in6_addr ipv6{};
  if (inet_pton(AF_INET6, address.c_str(), &ipv6) == 1) {
    return std::all_of(std::begin(ipv6.s6_addr), std::end(ipv6.s6_addr),
                       [](unsigned char byte) { return byte == 0; });
  }
  return false;
}

// Whether the engine's network list (`GET /networks`) contains a network
// named `bridge`. An entry without a readable name makes the result an
// Error unless another entry is `bridge`.
Result<bool> HasBridgeNetwork(const json& networks) {
  if (!networks.is_array()) {
    return Error{TypeMismatch("GET /networks", networks, FieldType::kArray)};
  }

  std::optional<Error> unreadable;
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const auto name = ReadStringOrError(
        networks[i], "Name", "GET /networks[" + std::to_string(i) + "].");
    if (!name) {
      unreadable = name.error();
      continue;
    }
    if (name.value() == "bridge") {
      return true;
    }
  }
  if (unreadable) {
    return *unreadable;
  }
  return false;
}

}  // namespace

CheckResult CheckPrivilegedPorts(const ContainerContext& context) {
  // The engine publishes no ports for a container on the host's network.
  const auto network_mode =
      ReadStringOrError(context.inspect, "HostConfig.NetworkMode");
  if (!network_mode) {
    return Unknown(network_mode.error());
  }
  if (network_mode.value() == "host") {
    return {Outcome::kNotApplicable, "HostConfig.NetworkMode is host"};
  }

  const auto judge = [](const PortBinding& binding, ItemVerdicts* verdicts) {
    const auto host_port =
        ReadStringOrError(*binding.entry, "HostPort", binding.prefix);
    if (!host_port) {
      verdicts->AddUnknown(host_port.error().message);
      return;
    }

    const auto lowest = LowestHostPort(host_port.value());
    if (!lowest) {
      verdicts->AddUnknown(binding.prefix + "HostPort is \"" +
                           host_port.value() +
                           "\", expected a port number or range");
      return;
    }
    if (*lowest != 0 && *lowest < 1024) {
      verdicts->AddFailure(binding.container_port +
                           " is published on host port " + host_port.value());
    }
  };

  return JudgePortBindings(context.inspect, judge,
                           "no published host port is below 1024");
}

CheckResult CheckPortsBoundToInterface(const ContainerContext& context) {
  const auto judge = [](const PortBinding& binding, ItemVerdicts* verdicts) {
    const auto host_ip =
        ReadStringOrError(*binding.entry, "HostIp", binding.prefix);
    if (!host_ip) {
      verdicts->AddUnknown(host_ip.error().message);
      return;
    }

    if (host_ip.value().empty()) {
      verdicts->AddFailure(binding.container_port +
                           " is published on every interface (HostIp is "
                           "empty)");
    } else if (IsUnspecifiedAddress(host_ip.value())) {
      verdicts->AddFailure(binding.container_port +
                           " is published on the wildcard address " +
                           host_ip.value());
    }
  };

  return JudgePortBindings(
      context.inspect, judge,
      "every published port is bound to a specific host address");
}

CheckResult CheckDefaultBridge(const ContainerContext& context) {
  if (context.networks == nullptr) {
    return {Outcome::kUnknown,
            "the network list (GET /networks) was not fetched"};
  }
  const auto has_bridge = HasBridgeNetwork(*context.networks);
  if (!has_bridge) {
    return Unknown(has_bridge.error());
  }
  if (!has_bridge.value()) {
    return {Outcome::kNotApplicable, "the engine has no network named bridge"};
  }

  const auto attached = FindTyped(context.inspect, "NetworkSettings.Networks",
                                  FieldType::kObject);
  if (!attached) {
    return Unknown(attached.error());
  }
  if (attached.value()->contains("bridge")) {
    return {Outcome::kFail, "NetworkSettings.Networks contains bridge"};
  }
  return {Outcome::kPass, "NetworkSettings.Networks does not contain bridge"};
}

}  // namespace dce
