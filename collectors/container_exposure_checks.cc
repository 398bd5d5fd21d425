// Container checks about what a container shares with the host and the
// network: mounts, namespaces, devices, ports, networks and the engine
// socket, plus the health check and image freshness checks.

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
#include "collectors/checks.h"
#include "collectors/container_checks.h"
#include "collectors/result.h"

namespace dce {
namespace {

using nlohmann::json;

CheckResult Unknown(const Error& error) {
  return {Outcome::kUnknown, error.message};
}

// Only the types that these checks expect are named.
std::string_view TypeWithArticle(json::value_t type) {
  switch (type) {
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    default:
      return "another type";
  }
}

// Returns a reason such as "HostConfig.Devices is string, expected an array".
std::string TypeMismatch(std::string_view name, const json& value,
                         json::value_t expected) {
  return std::string(name) + " is " + value.type_name() + ", expected " +
         std::string(TypeWithArticle(expected));
}

// Returns the member at the dotted `path` when it has type `type`, or an
// Error naming `prefix` + `path` and the type found there instead.
Result<const json*> FindTyped(const json& document, std::string_view path,
                              json::value_t type,
                              std::string_view prefix = "") {
  const std::string name = std::string(prefix) + std::string(path);
  const json* field = FindPath(document, path);
  if (field == nullptr) {
    return Error{name + " is missing"};
  }
  if (field->type() != type) {
    return Error{TypeMismatch(name, *field, type)};
  }
  return field;
}

Result<std::string> ReadString(const json& document, std::string_view path,
                               std::string_view prefix = "") {
  const auto field = FindTyped(document, path, json::value_t::string, prefix);
  if (!field) {
    return field.error();
  }
  return field.value()->get<std::string>();
}

// Verdicts on the items of one check, such as mounts, port bindings or
// processes. One failing item decides the check. Otherwise an item that
// could not be judged makes it unknown, because that item might fail.
class ItemVerdicts {
 public:
  void AddFailure(std::string reason) { Add(std::move(reason), &failures_); }
  void AddUnknown(std::string reason) { Add(std::move(reason), &unknowns_); }

  // Returns a fail or unknown result naming the first such item, or nullopt
  // when every item passed.
  std::optional<CheckResult> Verdict() const {
    if (!failures_.empty()) {
      return CheckResult{Outcome::kFail, Summarize(failures_)};
    }
    if (!unknowns_.empty()) {
      return CheckResult{Outcome::kUnknown, Summarize(unknowns_)};
    }
    return std::nullopt;
  }

 private:
  // Duplicates are dropped because the configured and the live port
  // bindings of a running container usually repeat each other.
  static void Add(std::string reason, std::vector<std::string>* reasons) {
    if (std::find(reasons->begin(), reasons->end(), reason) == reasons->end()) {
      reasons->push_back(std::move(reason));
    }
  }

  static std::string Summarize(const std::vector<std::string>& reasons) {
    if (reasons.size() == 1) {
      return reasons.front();
    }
    return reasons.front() + " (and " + std::to_string(reasons.size() - 1) +
           " more)";
  }

  std::vector<std::string> failures_;
  std::vector<std::string> unknowns_;
};

struct RunningState {
  bool running = false;
  // The field that showed it, such as "State.Running is false".
  std::string evidence;
};

// Reads `State.Running`, or `State.Status` when an engine omits the flag.
// Docker keeps `Running` true while a container is paused or restarting, so
// those statuses count as running too.
Result<RunningState> ReadRunningState(const json& inspect) {
  const json* running = FindPath(inspect, "State.Running");
  if (running != nullptr && running->is_boolean()) {
    const bool value = running->get<bool>();
    return RunningState{
        value, value ? "State.Running is true" : "State.Running is false"};
  }

  const auto status = ReadString(inspect, "State.Status");
  if (!status) {
    return Error{"State.Running and State.Status are missing or invalid"};
  }
  const std::string& value = status.value();
  const bool is_running =
      value == "running" || value == "paused" || value == "restarting";
  return RunningState{is_running, "State.Status is " + value};
}

// Returns the path without trailing slashes, keeping "/" as it is.
std::string_view RemoveTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.ends_with('/')) {
    path.remove_suffix(1);
  }
  return path;
}

// Returns the last component of a path: "docker.sock" for
// "/var/run/docker.sock".
std::string_view BaseName(std::string_view path) {
  const auto slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    return path;
  }
  return path.substr(slash + 1);
}

using MountJudge = std::function<void(
    const json& mount, const std::string& prefix, ItemVerdicts* verdicts)>;

// Judges each entry of `Mounts` with `judge`, which receives the entry's
// name, such as "Mounts[2].", for its reasons.
CheckResult JudgeMounts(const json& inspect, const MountJudge& judge,
                        std::string pass_reason) {
  const auto mounts = FindTyped(inspect, "Mounts", json::value_t::array);
  if (!mounts) {
    return Unknown(mounts.error());
  }

  ItemVerdicts verdicts;
  for (std::size_t i = 0; i < mounts.value()->size(); ++i) {
    const json& mount = (*mounts.value())[i];
    const std::string name = "Mounts[" + std::to_string(i) + "]";
    if (!mount.is_object()) {
      verdicts.AddUnknown(TypeMismatch(name, mount, json::value_t::object));
      continue;
    }
    judge(mount, name + ".", &verdicts);
  }

  if (auto verdict = verdicts.Verdict()) {
    return *verdict;
  }
  return {Outcome::kPass, std::move(pass_reason)};
}

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
    verdicts->AddUnknown(TypeMismatch(path, *port_map, json::value_t::object));
    return;
  }

  for (const auto& [port, list] : port_map->items()) {
    const std::string list_name = path + "[\"" + port + "\"]";
    if (list.is_null()) {
      continue;
    }
    if (!list.is_array()) {
      verdicts->AddUnknown(TypeMismatch(list_name, list, json::value_t::array));
      continue;
    }

    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string name = list_name + "[" + std::to_string(i) + "]";
      if (!list[i].is_object()) {
        verdicts->AddUnknown(
            TypeMismatch(name, list[i], json::value_t::object));
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

// Fails when the namespace mode at `path`, such as `HostConfig.PidMode`, is
// `host`, which puts the container in that namespace of the host.
CheckResult CheckModeNotHost(const json& inspect, std::string_view path) {
  const auto mode = ReadString(inspect, path);
  if (!mode) {
    return Unknown(mode.error());
  }

  const std::string& value = mode.value();
  const std::string reason =
      std::string(path) + " is " + (value.empty() ? "empty" : value);
  if (value == "host") {
    return {Outcome::kFail, reason};
  }
  return {Outcome::kPass, reason};
}

// Whether `Config.Healthcheck.Test` is ["NONE"], which disables the health
// check that the image defines.
bool IsHealthcheckDisabled(const json& document) {
  const json* test = FindPath(document, "Config.Healthcheck.Test");
  return test != nullptr && test->is_array() && !test->empty() &&
         test->front() == "NONE";
}

// Judges `Config.Healthcheck` of a container or image document. `prefix`
// names the document in reasons ("" for the container, "image " for the
// image). After the engine merges the image's settings into a container's,
// an absent health check or an empty `Test` means that none runs.
CheckResult JudgeHealthcheckConfig(const json& document,
                                   const std::string& prefix) {
  const auto config =
      FindTyped(document, "Config", json::value_t::object, prefix);
  if (!config) {
    return Unknown(config.error());
  }

  const auto healthcheck = config.value()->find("Healthcheck");
  if (healthcheck == config.value()->end()) {
    return {Outcome::kFail, prefix + "Config.Healthcheck is missing"};
  }
  if (healthcheck->is_null()) {
    return {Outcome::kFail, prefix + "Config.Healthcheck is null"};
  }
  if (!healthcheck->is_object()) {
    return {Outcome::kUnknown,
            TypeMismatch(prefix + "Config.Healthcheck", *healthcheck,
                         json::value_t::object)};
  }

  const std::string test_name = prefix + "Config.Healthcheck.Test";
  const auto test = healthcheck->find("Test");
  if (test == healthcheck->end()) {
    return {Outcome::kFail, test_name + " is missing"};
  }
  if (test->is_null() || (test->is_array() && test->empty())) {
    return {Outcome::kFail, test_name + " is " + test->dump()};
  }
  if (!test->is_array()) {
    return {Outcome::kUnknown,
            TypeMismatch(test_name, *test, json::value_t::array)};
  }

  const json& kind = test->front();
  if (!kind.is_string()) {
    return {Outcome::kUnknown,
            TypeMismatch(test_name + "[0]", kind, json::value_t::string)};
  }
  const std::string& kind_name = kind.get_ref<const std::string&>();
  if (IsHealthcheckDisabled(document)) {
    return {Outcome::kFail, test_name + " is " + test->dump()};
  }
  if (kind_name == "CMD" || kind_name == "CMD-SHELL") {
    return {Outcome::kPass, test_name + " starts with " + kind_name};
  }
  return {Outcome::kUnknown, test_name + " starts with " + kind_name +
                                 ", expected CMD, CMD-SHELL or NONE"};
}

// Whether a process command line runs sshd: the base name of its first word
// is `sshd`. sshd rewrites its process title to forms such as
// "sshd: root@pts/0", so a trailing colon is ignored.
bool IsSshdCommand(std::string_view command) {
  constexpr std::string_view kBlanks = " \t";
  const auto start = command.find_first_not_of(kBlanks);
  if (start == std::string_view::npos) {
    return false;
  }
  command.remove_prefix(start);

  std::string_view program =
      BaseName(command.substr(0, command.find_first_of(kBlanks)));
  if (program.ends_with(':')) {
    program.remove_suffix(1);
  }
  return program == "sshd";
}

// Returns an image id without its "sha256:" prefix, because engines differ
// in whether they write it.
std::string_view WithoutDigestAlgorithm(std::string_view id) {
  constexpr std::string_view kAlgorithm = "sha256:";
  if (id.starts_with(kAlgorithm)) {
    id.remove_prefix(kAlgorithm.size());
  }
  return id;
}

// Returns the 12-digit id that `docker ps` shows.
std::string ShortImageId(std::string_view id) {
  return std::string(WithoutDigestAlgorithm(id).substr(0, 12));
}

// Whether `Config.Image` names the image by id, such as "sha256:4f2a…" or
// an id prefix such as "4f2a9c1d", rather than by a tag.
bool IsImageIdReference(std::string_view reference, std::string_view image_id) {
  if (reference.starts_with("sha256:")) {
    return true;
  }
  return !reference.empty() &&
         WithoutDigestAlgorithm(image_id).starts_with(reference);
}

// Whether the engine's network list (`GET /networks`) contains a network
// named `bridge`. An entry without a readable name makes the result an
// Error unless another entry is `bridge`.
Result<bool> HasBridgeNetwork(const json& networks) {
  if (!networks.is_array()) {
    return Error{TypeMismatch("GET /networks", networks, json::value_t::array)};
  }

  std::optional<Error> unreadable;
  for (std::size_t i = 0; i < networks.size(); ++i) {
    const auto name = ReadString(networks[i], "Name",
                                 "GET /networks[" + std::to_string(i) + "].");
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

CheckResult CheckSensitiveMounts(const ContainerContext& context) {
  const auto& sensitive_paths = context.settings.sensitive_paths;
  const auto is_sensitive = [&sensitive_paths](std::string_view path) {
    const std::string_view host_path = RemoveTrailingSlashes(path);
    return std::any_of(sensitive_paths.begin(), sensitive_paths.end(),
                       [host_path](const std::string& sensitive) {
                         return RemoveTrailingSlashes(sensitive) == host_path;
                       });
  };

  const auto judge = [&is_sensitive](const json& mount,
                                     const std::string& prefix,
                                     ItemVerdicts* verdicts) {
    // NOTE: a local volume created with o=bind,device=/etc also exposes
    // /etc, but Mounts shows only the volume's own directory as its Source,
    // so such a volume is not caught.
    const auto type = ReadString(mount, "Type", prefix);
    if (type && type.value() != "bind") {
      return;
    }

    // The host side decides: a bind of /etc at /data exposes /etc.
    const auto source = ReadString(mount, "Source", prefix);
    if (!source) {
      verdicts->AddUnknown(source.error().message);
      return;
    }
    if (!is_sensitive(source.value())) {
      return;
    }

    if (!type) {
      verdicts->AddUnknown(type.error().message);
      return;
    }
    const auto read_write =
        FindTyped(mount, "RW", json::value_t::boolean, prefix);
    if (!read_write) {
      verdicts->AddUnknown(read_write.error().message);
      return;
    }
    if (read_write.value()->get<bool>()) {
      verdicts->AddFailure("bind mount of " + source.value() +
                           " is read-write");
    }
  };

  return JudgeMounts(context.inspect, judge,
                     "no sensitive host path is bind-mounted read-write");
}

CheckResult CheckSshdRunning(const ContainerContext& context) {
  const auto state = ReadRunningState(context.inspect);
  if (!state) {
    return Unknown(state.error());
  }
  if (!state.value().running) {
    return {Outcome::kNotApplicable, state.value().evidence};
  }
  if (context.top == nullptr) {
    return {Outcome::kUnknown,
            "the process list (GET /containers/{id}/top) was not fetched"};
  }

  // Docker's ps output names the column CMD, Podman's COMMAND.
  const auto titles =
      FindTyped(*context.top, "Titles", json::value_t::array, "top ");
  if (!titles) {
    return Unknown(titles.error());
  }
  const auto& title_list = *titles.value();
  const auto column = std::find_if(
      title_list.begin(), title_list.end(),
      [](const json& title) { return title == "CMD" || title == "COMMAND"; });
  if (column == title_list.end()) {
    return {Outcome::kUnknown, "top Titles has no CMD or COMMAND column"};
  }
  const auto index =
      static_cast<std::size_t>(std::distance(title_list.begin(), column));

  const auto processes =
      FindTyped(*context.top, "Processes", json::value_t::array, "top ");
  if (!processes) {
    return Unknown(processes.error());
  }

  ItemVerdicts verdicts;
  for (std::size_t i = 0; i < processes.value()->size(); ++i) {
    const json& row = (*processes.value())[i];
    if (!row.is_array() || index >= row.size() || !row[index].is_string()) {
      verdicts.AddUnknown("top Processes[" + std::to_string(i) +
                          "] has no command string in column " +
                          std::to_string(index));
      continue;
    }
    const std::string& command = row[index].get_ref<const std::string&>();
    if (IsSshdCommand(command)) {
      verdicts.AddFailure("process \"" + command + "\" is sshd");
    }
  }

  if (auto verdict = verdicts.Verdict()) {
    return *verdict;
  }
  return {Outcome::kPass, "no sshd process runs"};
}

CheckResult CheckPrivilegedPorts(const ContainerContext& context) {
  // The engine publishes no ports for a container on the host's network.
  const auto network_mode =
      ReadString(context.inspect, "HostConfig.NetworkMode");
  if (!network_mode) {
    return Unknown(network_mode.error());
  }
  if (network_mode.value() == "host") {
    return {Outcome::kNotApplicable, "HostConfig.NetworkMode is host"};
  }

  const auto judge = [](const PortBinding& binding, ItemVerdicts* verdicts) {
    const auto host_port =
        ReadString(*binding.entry, "HostPort", binding.prefix);
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

CheckResult CheckHostNetwork(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.NetworkMode");
}

CheckResult CheckPortsBoundToInterface(const ContainerContext& context) {
  const auto judge = [](const PortBinding& binding, ItemVerdicts* verdicts) {
    const auto host_ip = ReadString(*binding.entry, "HostIp", binding.prefix);
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

CheckResult CheckHostPid(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.PidMode");
}

CheckResult CheckHostIpc(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.IpcMode");
}

CheckResult CheckHostDevices(const ContainerContext& context) {
  const json* devices = FindPath(context.inspect, "HostConfig.Devices");
  if (devices == nullptr) {
    return {Outcome::kUnknown, "HostConfig.Devices is missing"};
  }
  if (devices->is_null()) {
    return {Outcome::kPass, "HostConfig.Devices is null"};
  }
  if (!devices->is_array()) {
    return {Outcome::kUnknown,
            TypeMismatch("HostConfig.Devices", *devices, json::value_t::array)};
  }
  if (devices->empty()) {
    return {Outcome::kPass, "HostConfig.Devices is empty"};
  }

  // Any entry fails, so an entry without a readable PathOnHost is named by
  // its index.
  ItemVerdicts verdicts;
  for (std::size_t i = 0; i < devices->size(); ++i) {
    const auto host_path = ReadString((*devices)[i], "PathOnHost");
    verdicts.AddFailure(
        "HostConfig.Devices maps " +
        (host_path ? host_path.value() : "entry " + std::to_string(i)));
  }
  return *verdicts.Verdict();
}

CheckResult CheckMountPropagation(const ContainerContext& context) {
  const auto judge = [](const json& mount, const std::string& prefix,
                        ItemVerdicts* verdicts) {
    const auto propagation = ReadString(mount, "Propagation", prefix);
    if (propagation) {
      const std::string& mode = propagation.value();
      if (mode == "shared" || mode == "rshared") {
        const auto destination = ReadString(mount, "Destination");
        verdicts->AddFailure(destination ? "mount at " + destination.value() +
                                               " has " + mode + " propagation"
                                         : prefix + "Propagation is " + mode);
      }
      return;
    }

    // Only bind mounts take a propagation mode, so other types may omit it.
    const auto type = ReadString(mount, "Type", prefix);
    if (type && type.value() != "bind") {
      return;
    }
    verdicts->AddUnknown(propagation.error().message);
  };

  return JudgeMounts(context.inspect, judge,
                     "no mount has shared or rshared propagation");
}

CheckResult CheckHostUts(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.UTSMode");
}

CheckResult CheckHealthChecked(const ContainerContext& context) {
  const auto state = ReadRunningState(context.inspect);
  if (!state) {
    return Unknown(state.error());
  }
  if (!state.value().running) {
    return {Outcome::kNotApplicable, state.value().evidence};
  }

  const CheckResult configured = JudgeHealthcheckConfig(context.inspect, "");
  if (configured.outcome == Outcome::kPass) {
    return configured;
  }

  // An explicit NONE fails even when a status is reported, because some
  // Podman versions report one for a disabled check.
  if (IsHealthcheckDisabled(context.inspect)) {
    return configured;
  }

  // Docker reports `State.Health` only while a health check runs. Podman 4
  // reports an empty status for a container without one.
  const auto health_status = ReadString(context.inspect, "State.Health.Status");
  if (health_status && !health_status.value().empty() &&
      health_status.value() != "none") {
    return {Outcome::kPass, "State.Health.Status is " + health_status.value()};
  }
  return configured;
}

CheckResult CheckImageCurrent(const ContainerContext& context) {
  const auto image_id = ReadString(context.inspect, "Image");
  if (!image_id) {
    return Unknown(image_id.error());
  }
  const auto reference = ReadString(context.inspect, "Config.Image");
  if (!reference) {
    return Unknown(reference.error());
  }
  if (reference.value().empty()) {
    return {Outcome::kUnknown, "Config.Image is empty"};
  }

  // A container created from an image id has no tag that could move on.
  if (IsImageIdReference(reference.value(), image_id.value())) {
    return {Outcome::kNotApplicable,
            "Config.Image " + reference.value() + " is an image id"};
  }

  if (context.image_by_tag == nullptr) {
    return {Outcome::kUnknown, "the tag " + reference.value() +
                                   " no longer exists or was not fetched"};
  }
  const auto tag_image_id = ReadString(*context.image_by_tag, "Id",
                                       "image " + reference.value() + " ");
  if (!tag_image_id) {
    return Unknown(tag_image_id.error());
  }

  if (WithoutDigestAlgorithm(tag_image_id.value()) !=
      WithoutDigestAlgorithm(image_id.value())) {
    return {Outcome::kFail, "the tag " + reference.value() + " now names " +
                                ShortImageId(tag_image_id.value()) +
                                ", the container runs " +
                                ShortImageId(image_id.value())};
  }
  return {Outcome::kPass, "the tag " + reference.value() + " still names " +
                              ShortImageId(image_id.value())};
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
                                  json::value_t::object);
  if (!attached) {
    return Unknown(attached.error());
  }
  if (attached.value()->contains("bridge")) {
    return {Outcome::kFail, "NetworkSettings.Networks contains bridge"};
  }
  return {Outcome::kPass, "NetworkSettings.Networks does not contain bridge"};
}

CheckResult CheckDockerSocketMounted(const ContainerContext& context) {
  const std::string_view engine_socket =
      RemoveTrailingSlashes(context.settings.engine_socket_path);

  // NOTE: engine_socket_path is the path the exporter opens. When the
  // exporter runs in a container, the host path of the same socket may
  // differ, and only the docker.sock name then catches it. A mount of the
  // socket's directory, such as /var/run, is not caught either.
  const auto is_socket = [engine_socket](std::string_view path) {
    const std::string_view normalized = RemoveTrailingSlashes(path);
    return BaseName(normalized) == "docker.sock" ||
           (!engine_socket.empty() && normalized == engine_socket);
  };

  const auto judge = [&is_socket](const json& mount, const std::string& prefix,
                                  ItemVerdicts* verdicts) {
    const auto source = ReadString(mount, "Source", prefix);
    const auto destination = ReadString(mount, "Destination", prefix);
    if (source && is_socket(source.value())) {
      verdicts->AddFailure("Source " + source.value() + " is a Docker socket");
      return;
    }
    if (destination && is_socket(destination.value())) {
      verdicts->AddFailure("Destination " + destination.value() +
                           " is a Docker socket");
      return;
    }

    if (!source) {
      verdicts->AddUnknown(source.error().message);
    }
    if (!destination) {
      verdicts->AddUnknown(destination.error().message);
    }
  };

  return JudgeMounts(context.inspect, judge, "no Docker socket is mounted");
}

CheckResult CheckHealthcheckDefined(const ContainerContext& context) {
  if (context.image == nullptr) {
    return {Outcome::kUnknown,
            "the image document (GET /images/{id}/json) was not fetched"};
  }
  return JudgeHealthcheckConfig(*context.image, "image ");
}

}  // namespace dce
