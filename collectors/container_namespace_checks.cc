// Container checks on the host namespaces that a container joins:
// network, PID, IPC and UTS.

#include <string>
#include <string_view>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// Fails when the namespace mode at `path`, such as `HostConfig.PidMode`, is
// `host`, which puts the container in that namespace of the host.
CheckResult CheckModeNotHost(const json& inspect, std::string_view path) {
  const auto mode = ReadStringOrError(inspect, path);
  if (!mode) {
    return Unknown(mode.error());
  }

  const std::string& value = mode.value();
  const std::string reason = std::string(path) + " is " + Show(value);
  if (value == "host") {
    return {Outcome::kFail, reason};
  }
  return {Outcome::kPass, reason};
}

}  // namespace

CheckResult CheckHostNetwork(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.NetworkMode");
}

CheckResult CheckHostPid(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.PidMode");
}

CheckResult CheckHostIpc(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.IpcMode");
}

CheckResult CheckHostUts(const ContainerContext& context) {
  return CheckModeNotHost(context.inspect, "HostConfig.UTSMode");
}

}  // namespace dce
