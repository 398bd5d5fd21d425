// Container checks on what a container mounts from the host: sensitive
// paths, devices, shared propagation and the engine socket.

#include <algorithm>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

using nlohmann::json;

// Returns the path without trailing slashes, keeping "/" as it is.
std::string_view RemoveTrailingSlashes(std::string_view path) {
  while (path.size() > 1 && path.ends_with('/')) {
    path.remove_suffix(1);
  }
  return path;
}

using MountJudge = std::function<void(
    const json& mount, const std::string& prefix, ItemVerdicts* verdicts)>;

// Judges each entry of `Mounts` with `judge`, which receives the entry's
// name, such as "Mounts[2].", for its reasons.
CheckResult JudgeMounts(const json& inspect, const MountJudge& judge,
                        std::string pass_reason) {
  const auto mounts = FindTyped(inspect, "Mounts", FieldType::kArray);
  if (!mounts) {
    return Unknown(mounts.error());
  }

  ItemVerdicts verdicts;
  for (std::size_t i = 0; i < mounts.value()->size(); ++i) {
    const json& mount = (*mounts.value())[i];
    const std::string name = "Mounts[" + std::to_string(i) + "]";
    if (!mount.is_object()) {
      verdicts.AddUnknown(TypeMismatch(name, mount, FieldType::kObject));
      continue;
    }
    judge(mount, name + ".", &verdicts);
  }

  if (auto verdict = verdicts.Verdict()) {
    return *verdict;
  }
  return {Outcome::kPass, std::move(pass_reason)};
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
    const auto type = ReadStringOrError(mount, "Type", prefix);
    if (type && type.value() != "bind") {
      return;
    }

    // The host side decides: a bind of /etc at /data exposes /etc.
    const auto source = ReadStringOrError(mount, "Source", prefix);
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
    const auto read_write = FindTyped(mount, "RW", FieldType::kBoolean, prefix);
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
            TypeMismatch("HostConfig.Devices", *devices, FieldType::kArray)};
  }
  if (devices->empty()) {
    return {Outcome::kPass, "HostConfig.Devices is empty"};
  }

  // Any entry fails, so an entry without a readable PathOnHost is named by
  // its index.
  ItemVerdicts verdicts;
  for (std::size_t i = 0; i < devices->size(); ++i) {
    const auto host_path = ReadStringOrError((*devices)[i], "PathOnHost");
    verdicts.AddFailure(
        "HostConfig.Devices maps " +
        (host_path ? host_path.value() : "entry " + std::to_string(i)));
  }
  return *verdicts.Verdict();
}

CheckResult CheckMountPropagation(const ContainerContext& context) {
  const auto judge = [](const json& mount, const std::string& prefix,
                        ItemVerdicts* verdicts) {
    const auto propagation = ReadStringOrError(mount, "Propagation", prefix);
    if (propagation) {
      const std::string& mode = propagation.value();
      if (mode == "shared" || mode == "rshared") {
        const auto destination = ReadStringOrError(mount, "Destination");
        verdicts->AddFailure(destination ? "mount at " + destination.value() +
                                               " has " + mode + " propagation"
                                         : prefix + "Propagation is " + mode);
      }
      return;
    }

    // Only bind mounts take a propagation mode, so other types may omit it.
    const auto type = ReadStringOrError(mount, "Type", prefix);
    if (type && type.value() != "bind") {
      return;
    }
    verdicts->AddUnknown(propagation.error().message);
  };

  return JudgeMounts(context.inspect, judge,
                     "no mount has shared or rshared propagation");
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
    const auto source = ReadStringOrError(mount, "Source", prefix);
    const auto destination = ReadStringOrError(mount, "Destination", prefix);
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

}  // namespace dce
