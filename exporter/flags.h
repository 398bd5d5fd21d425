#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "collectors/engine_address.h"
#include "collectors/host_collector.h"
#include "collectors/policy.h"
#include "collectors/snapshot_collector.h"
#include "exporter/listen_address.h"
#include "exporter/logging.h"
#include "exporter/web_config.h"

namespace dce {

/// The program's mode: serve metrics until stopped, or evaluate once and
/// exit (the `check` subcommand).
enum class Command { kServe, kCheck };

/// The report format of the `check` subcommand.
enum class ReportFormat { kTable, kJson, kJunit };

/// The failing checks that make the `check` subcommand exit with status 1.
enum class FailOn {
  /// Every failing check.
  kAny,
  /// Only failing checks of CIS profile level 1.
  kLevel1,
};

/// Settings of the `check` subcommand, after validation.
struct CheckOptions {
  ReportFormat output = ReportFormat::kTable;
  FailOn fail_on = FailOn::kAny;
  /// Check keys to evaluate, such as `rootfs_readonly`, with CIS ids
  /// resolved to keys. Empty means every check. The configuration file's
  /// `checks.enable` sets it in both modes.
  std::vector<std::string> checks;
};

/// The exporter's settings, after validation.
struct Options {
  Command command = Command::kServe;
  ListenAddress listen_address;
  std::string telemetry_path = "/metrics";
  EngineAddress engine_address;
  std::chrono::milliseconds engine_timeout{10'000};
  std::chrono::milliseconds refresh_interval{15'000};
  std::chrono::milliseconds stale_after{5 * 60'000};
  int max_concurrent_requests = 4;
  /// `--web.config.file`, when given.
  std::optional<std::string> web_config_file;
  /// The content of `web_config_file`; empty without one.
  WebConfig web_config;
  /// `--web.max-requests`: requests served at once, 0 for no limit.
  int max_requests = 40;
  LogLevel log_level = LogLevel::kInfo;
  LogFormat log_format = LogFormat::kLogfmt;
  /// Where the host's files are, from --path.rootfs, --path.procfs and
  /// --collector.host; nullopt leaves the host checks out.
  std::optional<HostCollectorOptions> host;
  /// Used only when `command` is kCheck, except `checks`.
  CheckOptions check;
  /// `--config.file`, when given.
  std::optional<std::string> config_file;
  /// The settings that take effect only at start, by configuration file key
  /// such as `web.listen_address`, as comparable text. A reload warns about
  /// each one that differs from the running process.
  std::map<std::string, std::string, std::less<>> restart_only_settings;
  /// The checks, scope, exported labels and waivers, from the
  /// configuration file and the flags. Never null.
  std::shared_ptr<const Policy> policy = std::make_shared<const Policy>();
};

/// The outcome of parsing the command line: options to run with, or an
/// exit status, after help, the version or an error has been printed.
struct ParsedFlags {
  std::optional<Options> options;
  int exit_code = 0;
};

/// Exit status for invalid flags, as Prometheus' own programs use.
inline constexpr int kExitInvalidUsage = 2;

/// The process environment variables that the flags' defaults read.
struct FlagEnvironment {
  /// DOCKER_HOST, or nullopt when unset.
  std::optional<std::string> docker_host;
  /// DOCKER_TLS_VERIFY, or nullopt when unset.
  std::optional<std::string> docker_tls_verify;
  /// DOCKER_CERT_PATH, or nullopt when unset.
  std::optional<std::string> docker_cert_path;
  /// HOME, for the docker CLI's default certificate directory ~/.docker.
  std::optional<std::string> home;
};

/// The purpose of a ParseFlags() call.
enum class FlagPurpose {
  /// At start: every file a flag names is read and validated.
  kStart,
  /// For a reload of the configuration file. The web configuration file is
  /// not read, because the HTTP server re-reads it on its own and keeps the
  /// previous one while it is invalid.
  kReload,
};

/// Parses the command line (`arguments` excludes the program name) and the
/// configuration file it names, whose values apply to the flags not given on
/// the command line. Prints help and the version to `out`, and one line
/// naming an invalid flag, key or value and its fix to `err`.
ParsedFlags ParseFlags(const std::vector<std::string>& arguments,
                       const FlagEnvironment& environment,
                       const BuildInfo& build_info, std::ostream& out,
                       std::ostream& err,
                       FlagPurpose purpose = FlagPurpose::kStart);

}  // namespace dce
