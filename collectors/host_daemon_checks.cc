// Host checks on the daemon's configuration (CIS 2.3 to 2.16) that the
// Engine API does not report: daemon.json merged with dockerd's command
// line.

#include <string>
#include <vector>

#include "collectors/check_fields.h"
#include "collectors/engine_fields.h"
#include "collectors/host_checks.h"

namespace dce {
namespace {

std::string ValueText(const nlohmann::json& value) {
  // A string from the command line may be invalid UTF-8, which dump()
  // would throw on.
  return value.is_string()
             ? value.get<std::string>()
             : value.dump(-1, ' ', false,
                          nlohmann::json::error_handler_t::replace);
}

// Names a setting and its source, as in "log-level is debug in daemon.json"
// or "--log-level is debug on the dockerd command line".
std::string Describe(std::string_view key, const DaemonSetting& setting) {
  if (setting.source == "daemon.json") {
    return std::string(key) + " is " + ValueText(setting.value) +
           " in daemon.json";
  }
  return setting.source + " is " + ValueText(setting.value) +
         " on the dockerd command line";
}

// Judges a boolean setting whose default is `default_value`: it passes when
// the effective value equals `expected`.
CheckResult JudgeBoolean(const HostDocuments& host, std::string_view key,
                         bool default_value, bool expected) {
  std::optional<CheckResult> unknown;
  const auto setting = FindDaemonSetting(host, key, &unknown);
  if (unknown) {
    return *unknown;
  }
  if (!setting) {
    return {default_value == expected ? Outcome::kPass : Outcome::kFail,
            std::string(key) + " is not set, so it is " +
                (default_value ? "true" : "false")};
  }
  if (!setting->value.is_boolean()) {
    return Unknown(Describe(key, *setting) + ", expected a boolean");
  }
  return {
      setting->value.get<bool>() == expected ? Outcome::kPass : Outcome::kFail,
      Describe(key, *setting)};
}

// Returns whether a daemon address listens on TCP. dockerd reads an
// address without a scheme, such as 0.0.0.0:2375, as TCP.
bool IsTcpAddress(const std::string& address) {
  if (address.starts_with("tcp://")) {
    return true;
  }
  return address.find("://") == std::string::npos && !address.empty();
}

}  // namespace

std::optional<DaemonSetting> FindDaemonSetting(
    const HostDocuments& host, std::string_view key,
    std::optional<CheckResult>* unknown) {
  const DaemonConfig& daemon = host.daemon;
  if (daemon.error) {
    *unknown = Unknown(*daemon.error);
    return std::nullopt;
  }

  const auto conflict = daemon.settings.conflicts.find(key);
  if (conflict != daemon.settings.conflicts.end()) {
    *unknown = Unknown(std::string(key) + " is set both by " +
                       conflict->second + " and in " + daemon.config_file +
                       ", which dockerd rejects at startup; the value in use "
                       "is not known");
    return std::nullopt;
  }

  const auto found = daemon.settings.settings.find(key);
  if (found != daemon.settings.settings.end()) {
    return found->second;
  }
  // A flag may set what daemon.json leaves out.
  if (daemon.command_line_error) {
    *unknown = Unknown(std::string(key) + " is not in " + daemon.config_file +
                       ", and the dockerd command line is unknown: " +
                       *daemon.command_line_error);
  }
  return std::nullopt;
}

CheckResult CheckLogLevel(const HostDocuments& host) {
  std::optional<CheckResult> unknown;
  const auto setting = FindDaemonSetting(host, "log-level", &unknown);
  if (unknown) {
    return *unknown;
  }
  if (!setting) {
    return {Outcome::kPass, "log-level is not set, so it is info"};
  }
  if (!setting->value.is_string()) {
    return Unknown(Describe("log-level", *setting) + ", expected a string");
  }
  return {setting->value.get<std::string>() == "info" ? Outcome::kPass
                                                      : Outcome::kFail,
          Describe("log-level", *setting)};
}

CheckResult CheckIptables(const HostDocuments& host) {
  return JudgeBoolean(host, "iptables", true, true);
}

CheckResult CheckTcpTls(const HostDocuments& host) {
  std::optional<CheckResult> unknown;
  const auto hosts = FindDaemonSetting(host, "hosts", &unknown);
  if (unknown) {
    return *unknown;
  }

  std::vector<std::string> tcp_hosts;
  if (hosts) {
    const nlohmann::json list = hosts->value.is_array()
                                    ? hosts->value
                                    : nlohmann::json::array({hosts->value});
    for (const auto& address : list) {
      if (!address.is_string()) {
        return Unknown(Describe("hosts", *hosts) + ", expected strings");
      }
      if (IsTcpAddress(address.get<std::string>())) {
        tcp_hosts.push_back(address.get<std::string>());
      }
    }
  }
  if (tcp_hosts.empty()) {
    return {Outcome::kNotApplicable, "the daemon listens on no TCP address"};
  }

  std::vector<std::string> missing;
  const auto tlsverify = FindDaemonSetting(host, "tlsverify", &unknown);
  if (unknown) {
    return *unknown;
  }
  if (!tlsverify || !tlsverify->value.is_boolean() ||
      !tlsverify->value.get<bool>()) {
    missing.emplace_back("tlsverify");
  }
  for (const char* key : {"tlscacert", "tlscert", "tlskey"}) {
    const auto file = FindDaemonSetting(host, key, &unknown);
    if (unknown) {
      return *unknown;
    }
    if (!file || !file->value.is_string() ||
        file->value.get<std::string>().empty()) {
      missing.emplace_back(key);
    }
  }

  const std::string listeners = JoinNames(tcp_hosts);
  if (!missing.empty()) {
    return {Outcome::kFail, "the daemon listens on " + listeners + " without " +
                                JoinNames(missing)};
  }
  return {Outcome::kPass, "the daemon listens on " + listeners +
                              " with tlsverify, tlscacert, tlscert and "
                              "tlskey"};
}

CheckResult CheckDaemonCgroupParent(const HostDocuments& host) {
  std::optional<CheckResult> unknown;
  const auto setting = FindDaemonSetting(host, "cgroup-parent", &unknown);
  if (unknown) {
    return *unknown;
  }
  if (!setting) {
    return {Outcome::kPass,
            "cgroup-parent is not set, so containers use the default"};
  }
  if (!setting->value.is_string()) {
    return Unknown(Describe("cgroup-parent", *setting) + ", expected a string");
  }

  // The defaults of the cgroupfs and systemd cgroup drivers.
  const auto& value = setting->value.get_ref<const std::string&>();
  if (value.empty() || value == "/docker" || value == "system.slice") {
    return {Outcome::kPass, Describe("cgroup-parent", *setting) +
                                ", the cgroup driver's default"};
  }
  return {Outcome::kFail, Describe("cgroup-parent", *setting) +
                              "; confirm that it is intended"};
}

CheckResult CheckDaemonNoNewPrivileges(const HostDocuments& host) {
  return JudgeBoolean(host, "no-new-privileges", false, true);
}

CheckResult CheckUserlandProxy(const HostDocuments& host) {
  return JudgeBoolean(host, "userland-proxy", true, false);
}

}  // namespace dce
