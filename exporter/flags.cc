#include "exporter/flags.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "exporter/config_file.h"
#include "exporter/duration.h"

namespace dce {
namespace {

constexpr std::string_view kProgram = "docker_compliance_exporter";
constexpr int kMaxConcurrentRequests = 64;
constexpr int kMaxHttpRequests = 1024;

// Durations are added to clock readings in nanoseconds, which overflow a
// 64-bit count past about 292 years; 10 years keeps far clear of that.
constexpr std::chrono::milliseconds kMaxDuration =
    std::chrono::hours(24 * 365 * 10);

// The flag values as typed, before validation.
struct RawFlags {
  std::string listen_address = ":9795";
  std::string telemetry_path = "/metrics";
  std::optional<std::string> web_config_file;
  int max_requests = 40;
  std::string docker_host;
  bool docker_host_from_environment = false;
  bool tls_verify = false;
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string docker_timeout = "10s";
  std::string refresh_interval = "15s";
  std::string stale_after = "5m";
  int max_concurrent_requests = 4;
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string output = "table";
  std::string fail_on = "any";
  std::optional<std::string> checks;
  std::optional<std::string> rootfs;
  std::string procfs = "/proc";
  bool collector_host = false;
  std::optional<std::string> config_file;
  bool running_only = false;
};

// Flags of the exporter that the `check` subcommand has no use for: it
// serves nothing and refreshes once.
constexpr std::array<std::string_view, 6> kServeOnlyFlags = {
    "--web.listen-address",      "--web.telemetry-path",
    "--web.config.file",         "--web.max-requests",
    "--docker.refresh-interval", "--docker.stale-after"};

std::string InvalidValue(std::string_view flag, std::string_view value,
                         std::string_view fix) {
  return "invalid value \"" + std::string(value) + "\" for " +
         std::string(flag) + ": " + std::string(fix);
}

// Returns the key of the check whose key or CIS id is `name`, or nullopt.
std::optional<std::string_view> FindCheckKey(std::string_view name) {
  for (const auto& check : ContainerChecks()) {
    if (check.info.key == name || check.info.cis_id == name) {
      return check.info.key;
    }
  }
  for (const auto& check : EngineChecks()) {
    if (check.info.key == name || check.info.cis_id == name) {
      return check.info.key;
    }
  }
  for (const auto& check : HostChecks()) {
    if (check.info.key == name || check.info.cis_id == name) {
      return check.info.key;
    }
  }
  return std::nullopt;
}

bool IsHostCheckKey(std::string_view key) {
  const auto checks = HostChecks();
  return std::any_of(checks.begin(), checks.end(), [key](const auto& check) {
    return check.info.key == key;
  });
}

// Resolves the comma-separated keys and CIS ids of --checks to keys,
// without duplicates, in the order given.
Result<std::vector<std::string>> ParseCheckList(const std::string& text) {
  std::vector<std::string> keys;
  std::set<std::string_view> seen;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto key = FindCheckKey(name);
    if (!key) {
      return Error{InvalidValue(
          "--checks", name,
          "use check keys or CIS ids separated by commas, such as "
          "rootfs_readonly,5.5; the check tables in README.md list them")};
    }
    if (seen.insert(*key).second) {
      keys.emplace_back(*key);
    }
    if (comma == std::string::npos) {
      return keys;
    }
    start = comma + 1;
  }
}

// Returns the first name in the comma-separated --checks list that names a
// host check, as written, or nullopt.
std::optional<std::string> FindHostCheckName(const std::string& text) {
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string name = text.substr(
        start, comma == std::string::npos ? std::string::npos : comma - start);
    const auto key = FindCheckKey(name);
    if (key && IsHostCheckKey(*key)) {
      return name;
    }
    if (comma == std::string::npos) {
      return std::nullopt;
    }
    start = comma + 1;
  }
}

Result<CheckOptions> ValidateCheckFlags(const RawFlags& raw) {
  CheckOptions check;
  if (raw.output == "table") {
    check.output = ReportFormat::kTable;
  } else if (raw.output == "json") {
    check.output = ReportFormat::kJson;
  } else if (raw.output == "junit") {
    check.output = ReportFormat::kJunit;
  } else {
    return Error{
        InvalidValue("--output", raw.output, "use table, json or junit")};
  }

  if (raw.fail_on == "any") {
    check.fail_on = FailOn::kAny;
  } else if (raw.fail_on == "level1") {
    check.fail_on = FailOn::kLevel1;
  } else {
    return Error{InvalidValue("--fail-on", raw.fail_on, "use any or level1")};
  }

  if (raw.checks) {
    auto keys = ParseCheckList(*raw.checks);
    if (!keys) {
      return keys.error();
    }
    check.checks = std::move(keys).value();
  }
  return check;
}

// The host collector is on when the user names the host's files: inside a
// container, `/` is the container's own filesystem.
Result<std::optional<HostCollectorOptions>> ValidateHostFlags(
    const RawFlags& raw) {
  if (!raw.rootfs && !raw.collector_host) {
    return std::optional<HostCollectorOptions>();
  }
  HostCollectorOptions host;
  host.rootfs = raw.rootfs.value_or("/");
  host.procfs = raw.procfs;
  const std::pair<std::string_view, const std::string&> directories[] = {
      {"--path.rootfs", host.rootfs}, {"--path.procfs", host.procfs}};
  for (const auto& [flag, path] : directories) {
    std::error_code error;
    if (path.empty() || !std::filesystem::is_directory(path, error)) {
      return Error{InvalidValue(flag, path,
                                "name an existing directory, such as /host "
                                "for the host's / mounted there")};
    }
  }
  return std::optional<HostCollectorOptions>(std::move(host));
}

bool IsReadableFile(const std::string& path) {
  std::error_code error;
  return std::filesystem::is_regular_file(path, error) &&
         std::ifstream(path).is_open();
}

// Finds the TLS files as the docker CLI does: each from its flag, else in
// DOCKER_CERT_PATH, else in ~/.docker. A client certificate and key that are
// both missing from that directory are left out, and the engine decides
// whether it needs them.
Result<EngineTls> ValidateEngineTls(const RawFlags& raw,
                                    const FlagEnvironment& environment) {
  std::filesystem::path directory;
  if (environment.docker_cert_path && !environment.docker_cert_path->empty()) {
    directory = *environment.docker_cert_path;
  } else {
    directory =
        std::filesystem::path(environment.home.value_or("/")) / ".docker";
  }

  EngineTls tls;
  struct TlsFile {
    std::string_view flag;
    const std::string& given;
    std::string_view default_name;
    std::string& target;
  };
  const TlsFile files[] = {
      {"--docker.tls-ca-file", raw.tls_ca_file, "ca.pem", tls.ca_file},
      {"--docker.tls-cert-file", raw.tls_cert_file, "cert.pem", tls.cert_file},
      {"--docker.tls-key-file", raw.tls_key_file, "key.pem", tls.key_file},
  };
  for (const auto& file : files) {
    file.target = file.given.empty() ? (directory / file.default_name).string()
                                     : file.given;
  }
  const bool client_files_given =
      !raw.tls_cert_file.empty() || !raw.tls_key_file.empty();
  std::error_code error;
  if (!client_files_given && !std::filesystem::exists(tls.cert_file, error) &&
      !std::filesystem::exists(tls.key_file, error)) {
    tls.cert_file.clear();
    tls.key_file.clear();
  }

  for (const auto& file : files) {
    if (!file.target.empty() && !IsReadableFile(file.target)) {
      return Error{InvalidValue(
          file.flag, file.target,
          "name a readable PEM file, or set DOCKER_CERT_PATH to the "
          "directory that holds ca.pem, cert.pem and key.pem")};
    }
  }
  return tls;
}

// Converts and checks every value, returning the first problem found.
Result<Options> Validate(const RawFlags& raw,
                         const FlagEnvironment& environment,
                         FlagPurpose purpose) {
  Options options;

  auto listen = ParseListenAddress(raw.listen_address);
  if (!listen) {
    return listen.error();
  }
  options.listen_address = listen.value();

  // The HTTP router matches paths as regular expressions, so only
  // characters without a meaning there are accepted.
  const bool plain_path = std::all_of(
      raw.telemetry_path.begin(), raw.telemetry_path.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' ||
               c == '_' || c == '-';
      });
  if (!raw.telemetry_path.starts_with('/') || raw.telemetry_path == "/" ||
      raw.telemetry_path.starts_with("/-/") ||
      raw.telemetry_path.starts_with("/api/") || !plain_path) {
    return Error{InvalidValue(
        "--web.telemetry-path", raw.telemetry_path,
        "use a path of letters, digits, /, _ and - that starts with / and "
        "is not / or under /-/ or /api/, such as /metrics")};
  }
  options.telemetry_path = raw.telemetry_path;

  if (raw.max_requests < 0 || raw.max_requests > kMaxHttpRequests) {
    return Error{InvalidValue("--web.max-requests",
                              std::to_string(raw.max_requests),
                              "use a number from 0 (no limit) to 1024")};
  }
  options.max_requests = raw.max_requests;

  options.web_config_file = raw.web_config_file;
  if (raw.web_config_file && purpose == FlagPurpose::kStart) {
    auto web_config = LoadWebConfig(*raw.web_config_file);
    if (!web_config) {
      return web_config.error();
    }
    options.web_config = std::move(web_config).value();
  }

  auto engine = ParseEngineAddress(raw.docker_host);
  if (engine && raw.tls_verify &&
      engine.value().transport == EngineAddress::Transport::kTcp) {
    auto tls = ValidateEngineTls(raw, environment);
    if (!tls) {
      return tls.error();
    }
    engine = ParseEngineAddress(raw.docker_host, std::move(tls).value());
  }
  if (!engine) {
    const std::string source =
        raw.docker_host_from_environment ? "DOCKER_HOST" : "--docker.host";
    return Error{source + ": " + engine.error().message};
  }
  options.engine_address = engine.value();

  struct DurationFlag {
    std::string_view flag;
    const std::string& text;
    std::chrono::milliseconds& target;
    bool zero_allowed;
  };
  const DurationFlag durations[] = {
      {"--docker.timeout", raw.docker_timeout, options.engine_timeout, false},
      {"--docker.refresh-interval", raw.refresh_interval,
       options.refresh_interval, false},
      {"--docker.stale-after", raw.stale_after, options.stale_after, true},
  };
  for (const auto& duration : durations) {
    const auto parsed = ParseDuration(duration.text);
    if (!parsed) {
      const std::string_view fix =
          duration.text.starts_with('-')
              ? "durations cannot be negative; use one such as 500ms, 10s, "
                "5m or 1h30m"
              : "use a duration such as 500ms, 10s, 5m or 1h30m";
      return Error{InvalidValue(duration.flag, duration.text, fix)};
    }
    if (*parsed > kMaxDuration) {
      return Error{InvalidValue(duration.flag, duration.text,
                                "use a duration of at most 10y")};
    }
    if (parsed->count() == 0 && !duration.zero_allowed) {
      return Error{InvalidValue(duration.flag, duration.text,
                                "use a duration greater than zero, such as "
                                "10s")};
    }
    duration.target = *parsed;
  }

  if (raw.max_concurrent_requests < 1 ||
      raw.max_concurrent_requests > kMaxConcurrentRequests) {
    return Error{InvalidValue("--docker.max-concurrent-requests",
                              std::to_string(raw.max_concurrent_requests),
                              "use a number from 1 to 64")};
  }
  options.max_concurrent_requests = raw.max_concurrent_requests;

  const auto level = ParseLogLevel(raw.log_level);
  if (!level) {
    return Error{InvalidValue("--log.level", raw.log_level,
                              "use debug, info, warn or error")};
  }
  options.log_level = *level;

  const auto format = ParseLogFormat(raw.log_format);
  if (!format) {
    return Error{
        InvalidValue("--log.format", raw.log_format, "use logfmt or json")};
  }
  options.log_format = *format;

  auto host = ValidateHostFlags(raw);
  if (!host) {
    return host.error();
  }
  options.host = std::move(host).value();

  auto check = ValidateCheckFlags(raw);
  if (!check) {
    return check.error();
  }
  options.check = std::move(check).value();

  // Without the host collector a selected host check would be reported as
  // nothing at all, and the check command would exit 0. The file's
  // checks.enable arrives here as --checks too.
  if (!options.host && raw.checks) {
    const auto host_check = FindHostCheckName(*raw.checks);
    if (host_check) {
      return Error{"--checks: \"" + *host_check +
                   "\" is a host check; add --collector.host, or "
                   "--path.rootfs=DIR for the host's / mounted at DIR, to "
                   "evaluate host checks"};
    }
  }
  return options;
}

// Keeps CLI11's message on one line: "run with --help" is appended by the
// caller instead of CLI11's second line.
std::string OneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  while (!text.empty() && text.back() == ' ') {
    text.pop_back();
  }
  return text;
}

// Returns the option named `flag` of the exporter or of `check`, or null.
const CLI::Option* FindOption(const CLI::App& app,
                              const CLI::App& check_command,
                              const std::string& flag) {
  const CLI::Option* option = app.get_option_no_throw(flag);
  return option != nullptr ? option : check_command.get_option_no_throw(flag);
}

// Returns CLI11's message for a command line it rejected, reworded where
// CLI11's own words name no fix: a value of the wrong type, a flag without
// its value, and an exporter flag given to `check`.
std::string DescribeParseError(const CLI::ParseError& error,
                               const CLI::App& app,
                               const CLI::App& check_command) {
  const std::string message = OneLine(error.what());

  // CLI11 writes "Could not convert: --flag = value".
  constexpr std::string_view kConversion = "Could not convert: ";
  const auto separator = message.find(" = ");
  if (message.starts_with(kConversion) && separator != std::string::npos) {
    const std::string flag =
        message.substr(kConversion.size(), separator - kConversion.size());
    const std::string value = message.substr(separator + 3);
    const CLI::Option* option = FindOption(app, check_command, flag);
    const std::string type = option == nullptr ? "" : option->get_type_name();
    if (type == "BOOLEAN" ||
        (option != nullptr && option->get_expected_max() == 0)) {
      return InvalidValue(flag, value, "use true or false");
    }
    if (type == "INT" || type == "UINT") {
      return InvalidValue(flag, value, "use a whole number");
    }
    return InvalidValue(flag, value, "see --help for the values it takes");
  }

  // CLI11 writes "--flag: 1 required TEXT missing" for "--flag" alone or
  // "--flag=" with nothing after the equals sign.
  constexpr std::string_view kMissing = " required ";
  const auto colon = message.find(':');
  if (colon != std::string::npos && message.ends_with(" missing") &&
      message.find(kMissing) != std::string::npos) {
    const std::string flag = message.substr(0, colon);
    const CLI::Option* option = FindOption(app, check_command, flag);
    if (option != nullptr) {
      return flag + " needs a value, given as " + flag +
             "=VALUE: " + option->get_description();
    }
  }

  // CLI11 writes "The following argument was not expected: --flag=value".
  constexpr std::string_view kExtra = "not expected: ";
  const auto extra = message.find(kExtra);
  if (check_command.parsed() && extra != std::string::npos) {
    const std::string argument = message.substr(extra + kExtra.size());
    const std::string flag = argument.substr(0, argument.find_first_of("= "));
    if (app.get_option_no_throw(flag) != nullptr) {
      return flag + " does not apply to the check command; remove it";
    }
  }
  return message + "; run with --help for the list of flags";
}

// Adds the flags that both the exporter and the `check` subcommand take.
void AddEngineOptions(CLI::App& app, RawFlags& raw) {
  app.add_option("--docker.host", raw.docker_host,
                 "Docker engine address, unix:///path or tcp://host:port "
                 "(default: $DOCKER_HOST, else " +
                     std::string(kDefaultEngineAddress) + ")");
  app.add_flag("--docker.tls-verify", raw.tls_verify,
               "Reach a tcp:// engine over TLS and verify its certificate "
               "(default: on when $DOCKER_TLS_VERIFY is set)");
  app.add_option("--docker.tls-ca-file", raw.tls_ca_file,
                 "CA certificate that signed the engine's certificate "
                 "(default: ca.pem in $DOCKER_CERT_PATH, else ~/.docker)");
  app.add_option("--docker.tls-cert-file", raw.tls_cert_file,
                 "Client certificate to present to the engine (default: "
                 "cert.pem there, when it exists)");
  app.add_option("--docker.tls-key-file", raw.tls_key_file,
                 "Key of the client certificate (default: key.pem there, "
                 "when it exists)");
  app.add_option("--docker.timeout", raw.docker_timeout,
                 "Time limit for connecting to the engine and for each "
                 "request")
      ->capture_default_str();
  app.add_option("--docker.max-concurrent-requests",
                 raw.max_concurrent_requests,
                 "Maximum inspect requests sent to the engine at once")
      ->capture_default_str();
  app.add_option("--log.level", raw.log_level,
                 "Only log messages at or above this level: debug, info, "
                 "warn or error")
      ->capture_default_str();
  app.add_option("--log.format", raw.log_format,
                 "Log line format: logfmt or json")
      ->capture_default_str();
  app.add_option("--path.rootfs", raw.rootfs,
                 "Directory holding the host's / (such as /host, mounted "
                 "read-only); turns on the host checks");
  app.add_option("--path.procfs", raw.procfs,
                 "The host's /proc, for the dockerd command line and the "
                 "mount table")
      ->capture_default_str();
  app.add_flag("--collector.host", raw.collector_host,
               "Turn on the host checks with the host's files at / (for an "
               "exporter installed on the host)");
}

// Adds the flags of the configuration file and the container scope, which
// both the exporter and the `check` subcommand take.
void AddConfigOptions(CLI::App& app, RawFlags& raw) {
  app.add_option("--config.file", raw.config_file,
                 "YAML configuration file; flags given on the command line "
                 "override its values (config/example.yml documents it)");
  app.add_flag("--docker.running-only", raw.running_only,
               "Evaluate running containers only, instead of every "
               "container");
}

// Sets the raw flag `flag` to a value from the configuration file, which
// the loader has already checked for type.
void SetRawFlag(RawFlags& raw, std::string_view flag,
                const std::string& value) {
  const std::pair<std::string_view, std::string*> strings[] = {
      {"--web.listen-address", &raw.listen_address},
      {"--web.telemetry-path", &raw.telemetry_path},
      {"--docker.host", &raw.docker_host},
      {"--docker.tls-ca-file", &raw.tls_ca_file},
      {"--docker.tls-cert-file", &raw.tls_cert_file},
      {"--docker.tls-key-file", &raw.tls_key_file},
      {"--docker.timeout", &raw.docker_timeout},
      {"--docker.refresh-interval", &raw.refresh_interval},
      {"--docker.stale-after", &raw.stale_after},
      {"--log.level", &raw.log_level},
      {"--log.format", &raw.log_format},
      {"--output", &raw.output},
      {"--fail-on", &raw.fail_on},
      {"--path.procfs", &raw.procfs},
  };
  for (const auto& [name, target] : strings) {
    if (name == flag) {
      *target = value;
      return;
    }
  }
  if (flag == "--docker.max-concurrent-requests") {
    raw.max_concurrent_requests = std::stoi(value);
  } else if (flag == "--docker.running-only") {
    raw.running_only = value == "true";
  } else if (flag == "--docker.tls-verify") {
    raw.tls_verify = value == "true";
  } else if (flag == "--checks") {
    raw.checks = value;
  } else if (flag == "--path.rootfs") {
    raw.rootfs = value;
  } else if (flag == "--collector.host") {
    raw.collector_host = value == "true";
  } else if (flag == "--web.config.file") {
    raw.web_config_file = value;
  } else if (flag == "--web.max-requests") {
    raw.max_requests = std::stoi(value);
  }
}

// Returns the settings that a reload cannot change, by configuration file
// key, in a form where equal values compare equal: 10s and 10000ms give the
// same text.
std::map<std::string, std::string, std::less<>> RestartOnlySettings(
    const RawFlags& raw, const Options& options) {
  return {
      {"web.listen_address", FormatListenAddress(options.listen_address)},
      {"web.telemetry_path", options.telemetry_path},
      {"docker.host", options.engine_address.original},
      {"docker.tls_verify", raw.tls_verify ? "true" : "false"},
      {"docker.tls_ca_file", raw.tls_ca_file},
      {"docker.tls_cert_file", raw.tls_cert_file},
      {"docker.tls_key_file", raw.tls_key_file},
      {"web.config_file", raw.web_config_file.value_or("")},
      {"web.max_requests", std::to_string(raw.max_requests)},
      {"docker.timeout", FormatDuration(options.engine_timeout)},
      {"docker.refresh_interval", FormatDuration(options.refresh_interval)},
      {"docker.stale_after", FormatDuration(options.stale_after)},
      {"docker.max_concurrent_requests",
       std::to_string(options.max_concurrent_requests)},
      {"log.level", raw.log_level},
      {"log.format", raw.log_format},
      {"path.rootfs", raw.rootfs.value_or("")},
      {"path.procfs", raw.procfs},
      {"collector.host", raw.collector_host ? "true" : "false"},
  };
}

// Rewrites an error about a flag whose value came from the file so that it
// names the key and where it is written instead.
std::string LocateError(std::string message, const ConfigFile& file,
                        const std::map<std::string, std::size_t, std::less<>>&
                            command_line_counts) {
  for (const auto& [flag, value] : file.flags) {
    const auto command_line_count = command_line_counts.find(flag);
    if (command_line_count != command_line_counts.end() &&
        command_line_count->second > 0) {
      continue;
    }
    const std::size_t at = message.find(flag);
    if (at == std::string::npos) {
      continue;
    }
    const char after =
        at + flag.size() < message.size() ? message[at + flag.size()] : ':';
    if (after != ':' && after != ' ') {
      continue;
    }
    message.replace(at, flag.size(), value.key);
    return value.location + ": " + message;
  }
  return file.path + ": " + message;
}

}  // namespace

ParsedFlags ParseFlags(const std::vector<std::string>& arguments,
                       const FlagEnvironment& environment,
                       const BuildInfo& build_info, std::ostream& out,
                       std::ostream& err, FlagPurpose purpose) {
  RawFlags raw;
  raw.docker_host =
      environment.docker_host.value_or(std::string(kDefaultEngineAddress));
  if (raw.docker_host.empty()) {
    raw.docker_host = std::string(kDefaultEngineAddress);
  }
  // As with the docker CLI, any value but an empty one turns TLS on.
  raw.tls_verify = environment.docker_tls_verify.has_value() &&
                   !environment.docker_tls_verify->empty();

  CLI::App app{
      "Exports how the containers of a Docker engine measure up against the "
      "CIS Docker Benchmark, as Prometheus metrics.",
      std::string(kProgram)};
  app.set_version_flag("--version", std::string(kProgram) + ", version " +
                                        build_info.version + " (revision " +
                                        build_info.revision + ", " +
                                        build_info.compiler + ")");
  app.get_formatter()->column_width(40);
  // Repeated flags are parsed without an error here and rejected below with
  // a clearer message.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.require_subcommand(0, 1);

  app.add_option("--web.listen-address", raw.listen_address,
                 "Address to serve metrics on: host:port, :port or "
                 "[ipv6]:port")
      ->capture_default_str();
  app.add_option("--web.telemetry-path", raw.telemetry_path,
                 "Path under which to expose metrics")
      ->capture_default_str();
  app.add_option("--web.config.file", raw.web_config_file,
                 "Path of a YAML file that turns on TLS and basic "
                 "authentication, in the Prometheus exporter-toolkit's "
                 "format; re-read when it changes");
  app.add_option("--web.max-requests", raw.max_requests,
                 "Maximum HTTP requests handled at once; more get 503 "
                 "(0: no limit)")
      ->capture_default_str();
  app.add_option("--docker.refresh-interval", raw.refresh_interval,
                 "Time between full refreshes of all containers")
      ->capture_default_str();
  app.add_option("--docker.stale-after", raw.stale_after,
                 "How long containers stay exported while the engine is "
                 "unreachable")
      ->capture_default_str();
  AddEngineOptions(app, raw);
  AddConfigOptions(app, raw);

  // The subcommand gets its own copy of the engine flags, so that they may
  // follow `check`. The serve-only flags are not added to it, so CLI11
  // rejects them after `check`, and the loop below before it.
  CLI::App* check_command = app.add_subcommand(
      "check",
      "Evaluates every check once, prints a report and exits: 0 when no "
      "check fails, 1 when one fails, 2 for invalid flags, 3 when the "
      "engine cannot be reached");
  check_command->option_defaults()->multi_option_policy(
      CLI::MultiOptionPolicy::TakeLast);
  AddEngineOptions(*check_command, raw);
  AddConfigOptions(*check_command, raw);
  check_command
      ->add_option("--output", raw.output,
                   "Report format: table, json (the document of "
                   "/api/v1/report) or junit (JUnit XML)")
      ->capture_default_str();
  check_command
      ->add_option("--fail-on", raw.fail_on,
                   "Failing checks that make the exit status 1: any, or "
                   "level1 for CIS level 1 checks only")
      ->capture_default_str();
  check_command->add_option("--checks", raw.checks,
                            "Evaluate only these checks: keys or CIS ids "
                            "separated by commas (default: every check)");

  std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::Success& success) {
    return {std::nullopt, app.exit(success, out, err)};
  } catch (const CLI::ParseError& error) {
    err << kProgram << ": " << DescribeParseError(error, app, *check_command)
        << "\n";
    return {std::nullopt, kExitInvalidUsage};
  }

  // CLI11 reports a repeated flag as "At Most 1 required but received 2",
  // which does not say what to change. An engine flag counts as repeated
  // also when it is given once before `check` and once after it.
  std::map<std::string, std::size_t, std::less<>> counts;
  for (const CLI::App* command : {&app, check_command}) {
    for (const CLI::Option* option : command->get_options()) {
      counts[option->get_name()] += option->count();
    }
  }
  for (const auto& [name, count] : counts) {
    if (count > 1) {
      err << kProgram << ": flag " << name
          << " is given more than once; give it once\n";
      return {std::nullopt, kExitInvalidUsage};
    }
  }

  const bool check_mode = check_command->parsed();
  if (check_mode) {
    for (const std::string_view flag : kServeOnlyFlags) {
      if (app.get_option(std::string(flag))->count() > 0) {
        err << kProgram << ": flag " << flag
            << " does not apply to the check command; remove it\n";
        return {std::nullopt, kExitInvalidUsage};
      }
    }
  }

  raw.docker_host_from_environment = counts["--docker.host"] == 0 &&
                                     environment.docker_host.has_value() &&
                                     !environment.docker_host->empty();

  // The file fills in the flags not given on the command line. Its
  // serve-only keys do not apply to the check command, and are ignored
  // there instead of rejected, so that one file serves both.
  std::optional<ConfigFile> file;
  if (raw.config_file) {
    auto loaded = LoadConfigFile(*raw.config_file);
    if (!loaded) {
      err << kProgram << ": " << loaded.error().message << "\n";
      return {std::nullopt, kExitInvalidUsage};
    }
    file = std::move(loaded).value();
    for (const auto& [flag, value] : file->flags) {
      const bool serve_only =
          std::find(kServeOnlyFlags.begin(), kServeOnlyFlags.end(), flag) !=
          kServeOnlyFlags.end();
      if (counts[flag] > 0 || (check_mode && serve_only)) {
        continue;
      }
      SetRawFlag(raw, flag, value.value);
      if (flag == "--docker.host") {
        raw.docker_host_from_environment = false;
      }
    }
  }

  auto options = Validate(raw, environment, purpose);
  if (!options) {
    const std::string message =
        file ? LocateError(options.error().message, *file, counts)
             : options.error().message;
    err << kProgram << ": " << message << "\n";
    return {std::nullopt, kExitInvalidUsage};
  }
  options.value().command = check_mode ? Command::kCheck : Command::kServe;
  options.value().config_file = raw.config_file;
  options.value().restart_only_settings =
      RestartOnlySettings(raw, options.value());

  auto policy = std::make_shared<Policy>();
  if (file) {
    *policy = file->policy;
  }
  policy->scope.running_only = raw.running_only;
  SetEnabledChecks(*policy, options.value().check.checks,
                   file ? file->disabled_checks : std::vector<std::string>{},
                   file ? file->disabled_sections : std::vector<std::string>{});
  options.value().policy = std::move(policy);
  return {std::move(options).value(), 0};
}

}  // namespace dce
