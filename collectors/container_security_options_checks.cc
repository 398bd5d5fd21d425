// Container checks on the security modules and options that confine a
// container: AppArmor, SELinux, seccomp and no-new-privileges.

#include <optional>
#include <string>
#include <string_view>

#include "collectors/check_context.h"
#include "collectors/check_fields.h"
#include "collectors/checks.h"
#include "collectors/container_checks.h"

namespace dce {
namespace {

// Parses a boolean as Go's strconv.ParseBool does, because dockerd reads
// `no-new-privileges=VALUE` with it. Returns nullopt for any other text.
std::optional<bool> ParseGoBool(std::string_view value) {
  for (const std::string_view text : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (value == text) {
      return true;
    }
  }
  for (const std::string_view text :
       {"0", "f", "F", "FALSE", "false", "False"}) {
    if (value == text) {
      return false;
    }
  }
  return std::nullopt;
}

// One `HostConfig.SecurityOpt` entry, such as `seccomp=unconfined`.
struct SecurityOpt {
  std::string_view key;
  std::string_view value;
  bool has_value = false;
};

// Splits an entry as dockerd does, at the first `=` or, in the legacy form
// without `=`, at the first `:`. So `label=type:svirt_t` has the key `label`
// and `seccomp:unconfined` the key `seccomp`.
SecurityOpt ParseSecurityOpt(std::string_view entry) {
  auto separator = entry.find('=');
  if (separator == std::string_view::npos) {
    separator = entry.find(':');
  }
  if (separator == std::string_view::npos) {
    return {entry, {}, false};
  }
  return {entry.substr(0, separator), entry.substr(separator + 1), true};
}

// Returns whether `/info` `SecurityOptions` lists the feature `name`. Each
// entry is a comma-separated list of key=value pairs, such as
// `name=seccomp,profile=builtin`, and the `name` pair names the feature.
Field<bool> HostHasSecurityFeature(const ContainerContext& context,
                                   std::string_view name) {
  Field<bool> field;
  if (context.info == nullptr) {
    field.unknown = {Outcome::kUnknown, "the /info document is not available"};
    return field;
  }

  const auto options =
      ReadStringList(*context.info, "SecurityOptions", "/info");
  if (!options.value) {
    field.unknown = options.unknown;
    return field;
  }

  field.value = false;
  for (const std::string& option : *options.value) {
    if (HasNameComponent(option, name)) {
      field.value = true;
      break;
    }
  }
  return field;
}

}  // namespace

CheckResult CheckApparmorProfile(const ContainerContext& context) {
  const auto host_apparmor = HostHasSecurityFeature(context, "apparmor");
  if (!host_apparmor.value) {
    return host_apparmor.unknown;
  }
  if (!*host_apparmor.value) {
    return {Outcome::kNotApplicable,
            "/info: SecurityOptions has no name=apparmor"};
  }

  const auto profile = ReadString(context.inspect, "AppArmorProfile");
  if (!profile.value) {
    return profile.unknown;
  }
  const std::string reason = "AppArmorProfile is " + Show(*profile.value);
  if (profile.value->empty() || *profile.value == "unconfined") {
    return {Outcome::kFail, reason};
  }
  return {Outcome::kPass, reason};
}

CheckResult CheckSelinuxOptions(const ContainerContext& context) {
  const auto host_selinux = HostHasSecurityFeature(context, "selinux");
  if (!host_selinux.value) {
    return host_selinux.unknown;
  }
  if (!*host_selinux.value) {
    return {Outcome::kNotApplicable,
            "/info: SecurityOptions has no name=selinux"};
  }

  const auto options =
      ReadStringList(context.inspect, "HostConfig.SecurityOpt");
  if (!options.value) {
    return options.unknown;
  }

  // `label=disable` turns SELinux off for the container even when other
  // label options are set, so it decides before any of them. dockerd also
  // reads a bare `disable` entry as `label=disable`.
  const std::string* first_label = nullptr;
  for (const std::string& option : *options.value) {
    if (option == "disable") {
      return {Outcome::kFail, "HostConfig.SecurityOpt contains disable"};
    }
    const SecurityOpt parsed = ParseSecurityOpt(option);
    if (parsed.key != "label" || !parsed.has_value) {
      continue;
    }
    if (parsed.value == "disable") {
      return {Outcome::kFail, "HostConfig.SecurityOpt contains " + option};
    }
    if (first_label == nullptr) {
      first_label = &option;
    }
  }

  if (first_label == nullptr) {
    return {Outcome::kFail, "HostConfig.SecurityOpt has no label option"};
  }
  return {Outcome::kPass, "HostConfig.SecurityOpt contains " + *first_label};
}

CheckResult CheckSeccompEnabled(const ContainerContext& context) {
  // NOTE: the rule reads only the container's settings, so a container on
  // an engine without seccomp support passes.
  const auto options =
      ReadStringList(context.inspect, "HostConfig.SecurityOpt");
  if (options.value) {
    for (const std::string& option : *options.value) {
      const SecurityOpt parsed = ParseSecurityOpt(option);
      if (parsed.key == "seccomp" && parsed.value == "unconfined") {
        return {Outcome::kFail, "HostConfig.SecurityOpt contains " + option};
      }
    }
  }

  const auto privileged = ReadBool(context.inspect, "HostConfig.Privileged");
  if (privileged.value && *privileged.value) {
    return {Outcome::kFail,
            "HostConfig.Privileged is true, so seccomp is not applied"};
  }

  if (!options.value) {
    return options.unknown;
  }
  if (!privileged.value) {
    return privileged.unknown;
  }
  return {Outcome::kPass,
          "HostConfig.SecurityOpt does not disable seccomp and "
          "HostConfig.Privileged is false"};
}

CheckResult CheckNoNewPrivileges(const ContainerContext& context) {
  if (context.settings.daemon_no_new_privileges.value_or(false)) {
    return {Outcome::kPass,
            "the daemon sets no-new-privileges for every container"};
  }

  const auto options =
      ReadStringList(context.inspect, "HostConfig.SecurityOpt");
  if (!options.value) {
    return options.unknown;
  }

  // dockerd applies the entries in order, so the last no-new-privileges
  // entry decides. The bare form means true.
  const std::string* deciding = nullptr;
  bool enabled = false;
  for (const std::string& option : *options.value) {
    const SecurityOpt parsed = ParseSecurityOpt(option);
    if (parsed.key != "no-new-privileges") {
      continue;
    }
    if (!parsed.has_value) {
      enabled = true;
    } else {
      const std::optional<bool> value = ParseGoBool(parsed.value);
      if (!value) {
        return {Outcome::kUnknown, "HostConfig.SecurityOpt contains " + option +
                                       ", expected a boolean value"};
      }
      enabled = *value;
    }
    deciding = &option;
  }

  if (deciding == nullptr) {
    return {Outcome::kFail,
            "HostConfig.SecurityOpt has no no-new-privileges option"};
  }
  const std::string reason = "HostConfig.SecurityOpt contains " + *deciding;
  return {enabled ? Outcome::kPass : Outcome::kFail, reason};
}

}  // namespace dce
