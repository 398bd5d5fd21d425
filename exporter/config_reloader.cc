#include "exporter/config_reloader.h"

#include <sstream>

#include "exporter/logging.h"

namespace dce {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

double UnixSeconds(std::chrono::system_clock::time_point time) {
  return std::chrono::duration<double>(time.time_since_epoch()).count();
}

MetricFamily Gauge(std::string name, std::string help) {
  MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = MetricType::Gauge;
  return family;
}

ClientMetric GaugeSample(double value,
                         std::vector<ClientMetric::Label> labels = {}) {
  ClientMetric sample;
  sample.label = std::move(labels);
  sample.gauge.value = value;
  return sample;
}

// ParseFlags() prefixes its messages with the program's name, which a log
// line does not need.
std::string WithoutProgramName(std::string message) {
  constexpr std::string_view kPrefix = "docker_compliance_exporter: ";
  if (message.starts_with(kPrefix)) {
    message.erase(0, kPrefix.size());
  }
  while (!message.empty() && message.back() == '\n') {
    message.pop_back();
  }
  return message;
}

}  // namespace

void LogExpiredWaivers(const Policy& policy,
                       std::chrono::system_clock::time_point now) {
  for (const auto& waiver : policy.waivers) {
    if (!waiver.ActiveAt(now)) {
      Log(LogLevel::kWarn, "waiver expired and no longer applies",
          {{"check", waiver.check},
           {"expires", waiver.expires},
           {"location", waiver.location}});
    }
  }
}

void LogIdleHostWaivers(const Policy& policy, bool host_collector_on) {
  if (host_collector_on) {
    return;
  }
  for (const auto& waiver : policy.waivers) {
    if (waiver.subject == WaiverSubject::kHost) {
      Log(LogLevel::kWarn,
          "waiver of a host check has no effect while the host collector is "
          "off; set --path.rootfs or --collector.host, or remove the waiver",
          {{"check", waiver.check}, {"location", waiver.location}});
    }
  }
}

std::vector<std::string> ChangedRestartOnlyKeys(
    const std::map<std::string, std::string, std::less<>>& running,
    const std::map<std::string, std::string, std::less<>>& reloaded) {
  std::vector<std::string> changed;
  for (const auto& [key, value] : reloaded) {
    const auto found = running.find(key);
    if (found == running.end() || found->second != value) {
      changed.push_back(key);
    }
  }
  return changed;
}

ConfigReloader::ConfigReloader(std::vector<std::string> arguments,
                               FlagEnvironment environment,
                               BuildInfo build_info, Inventory& inventory,
                               const Options& running,
                               std::function<void()> on_applied)
    : arguments_(std::move(arguments)),
      environment_(std::move(environment)),
      build_info_(std::move(build_info)),
      inventory_(inventory),
      running_settings_(running.restart_only_settings),
      host_collector_on_(running.host.has_value()),
      on_applied_(std::move(on_applied)),
      policy_(running.policy),
      last_success_timestamp_seconds_(
          UnixSeconds(std::chrono::system_clock::now())) {}

std::optional<Error> ConfigReloader::Reload() {
  std::lock_guard lock(mutex_);
  std::ostringstream out;
  std::ostringstream err;
  const ParsedFlags parsed = ParseFlags(arguments_, environment_, build_info_,
                                        out, err, FlagPurpose::kReload);
  if (!parsed.options) {
    last_reload_successful_ = false;
    Error error{WithoutProgramName(err.str())};
    Log(LogLevel::kError,
        "reloading the configuration failed; keeping the running one",
        {{"err", error.message}});
    return error;
  }

  policy_ = parsed.options->policy;
  inventory_.SetPolicy(policy_);
  last_reload_successful_ = true;
  const auto now = std::chrono::system_clock::now();
  last_success_timestamp_seconds_ = UnixSeconds(now);
  Log(LogLevel::kInfo, "configuration reloaded",
      {{"file", parsed.options->config_file.value_or("")},
       {"waivers", std::to_string(policy_->waivers.size())}});
  LogExpiredWaivers(*policy_, now);
  // The host collector keeps the state it started with, so the waivers are
  // judged against that.
  LogIdleHostWaivers(*policy_, host_collector_on_);
  for (const auto& key : ChangedRestartOnlyKeys(
           running_settings_, parsed.options->restart_only_settings)) {
    Log(LogLevel::kWarn, "configuration key needs a restart to take effect",
        {{"key", key}});
  }
  if (on_applied_) {
    on_applied_();
  }
  return std::nullopt;
}

std::vector<MetricFamily> ConfigReloader::Collect() const {
  std::lock_guard lock(mutex_);
  std::vector<MetricFamily> families;

  auto successful =
      Gauge("docker_compliance_config_last_reload_successful",
            "Whether the last reload of the configuration file succeeded "
            "(1) or failed and left the previous configuration running "
            "(0).");
  successful.metric.push_back(GaugeSample(last_reload_successful_ ? 1 : 0));
  families.push_back(std::move(successful));

  auto timestamp =
      Gauge("docker_compliance_config_last_reload_success_timestamp_seconds",
            "Unix time of the last successful load of the configuration, "
            "at start or by a reload.");
  timestamp.metric.push_back(GaugeSample(last_success_timestamp_seconds_));
  families.push_back(std::move(timestamp));

  const auto now = std::chrono::system_clock::now();
  const auto active = std::count_if(
      policy_->waivers.begin(), policy_->waivers.end(),
      [now](const Waiver& waiver) { return waiver.ActiveAt(now); });
  const auto expired =
      static_cast<std::ptrdiff_t>(policy_->waivers.size()) - active;
  auto waivers = Gauge("docker_compliance_waivers",
                       "Waivers in the configuration file, by state: active "
                       "before their expiry date, expired after it.");
  waivers.metric.push_back(
      GaugeSample(static_cast<double>(active), {{"state", "active"}}));
  waivers.metric.push_back(
      GaugeSample(static_cast<double>(expired), {{"state", "expired"}}));
  families.push_back(std::move(waivers));
  return families;
}

}  // namespace dce
