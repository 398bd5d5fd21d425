#include "exporter/config_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "exporter/flags.h"

namespace dce {
namespace {

using ::testing::HasSubstr;

const BuildInfo kBuildInfo{"0.1.0", "abc123", "gcc 12"};

std::string ErrorOf(const std::string& text) {
  const auto parsed = ParseConfigFile(text, "test.yml");
  if (parsed) {
    return "(no error)";
  }
  return parsed.error().message;
}

struct ErrorCase {
  const char* name;
  const char* text;
  const char* message;
};

// Every validation error, with the position it names and its full text.
const ErrorCase kErrorCases[] = {
    {"UnknownTopLevelKey", "dockr:\n  timeout: 5s\n",
     "test.yml:1:1: unknown key \"dockr\" in the top level; use one of web, "
     "docker, path, collector, log, check, checks, containers, waivers"},
    {"UnknownNestedKey", "docker:\n  timeout: 5s\n  refresh: 5s\n",
     "test.yml:3:3: unknown key \"refresh\" in docker; use one of host, "
     "tls_verify, tls_ca_file, tls_cert_file, tls_key_file, timeout, "
     "refresh_interval, stale_after, max_concurrent_requests, "
     "running_only"},
    {"DuplicateKey", "log:\n  level: info\n  level: debug\n",
     "test.yml:3:3: duplicate key \"level\" in log; give each key once"},
    {"TopLevelNotMapping", "- docker\n",
     "test.yml:1:1: the file must be a mapping of sections such as docker: "
     "and waivers:, see config/example.yml"},
    {"SectionNotMapping", "docker: fast\n",
     "test.yml:1:9: docker must be a mapping of keys to values; write "
     "docker: followed by indented keys such as host: ..."},
    {"InvalidDuration", "docker:\n  timeout: 10x\n",
     "test.yml:2:12: invalid duration \"10x\" for docker.timeout; use a "
     "duration such as 500ms, 10s, 5m or 1h30m"},
    {"ListWhereValueExpected", "docker:\n  timeout: [1s]\n",
     "test.yml:2:12: docker.timeout must be a single value, not a list or "
     "mapping"},
    {"MissingValue", "docker:\n  timeout:\n",
     "test.yml:2:3: docker.timeout has no value; give one or remove the key"},
    {"WrongTypeInteger", "docker:\n  max_concurrent_requests: four\n",
     "test.yml:2:28: docker.max_concurrent_requests must be a whole number, "
     "not \"four\""},
    {"WrongTypeBoolean", "docker:\n  running_only: sometimes\n",
     "test.yml:2:17: docker.running_only must be true or false, not "
     "\"sometimes\""},
    {"InvalidYaml", "docker: [unclosed\n",
     "test.yml:2:1: invalid YAML: end of sequence flow not found"},
    {"UnknownCheckKey", "checks:\n  disable: [rootfs_readonly, nope]\n",
     "test.yml:2:30: unknown check \"nope\" in checks.disable; use a check "
     "key or CIS id from the check tables in README.md, such as "
     "rootfs_readonly or 5.13"},
    {"UnknownCisId", "checks:\n  enable: [\"9.9\"]\n",
     "test.yml:2:12: unknown check \"9.9\" in checks.enable; use a check key "
     "or CIS id from the check tables in README.md, such as rootfs_readonly "
     "or 5.13"},
    {"EmptyEnable", "checks:\n  enable: []\n",
     "test.yml:2:11: checks.enable is empty, which would enable no check; "
     "list checks, or remove the key to enable every check"},
    {"UnknownSection", "checks:\n  disable_sections: [\"9\"]\n",
     "test.yml:2:22: unknown CIS section \"9\" in checks.disable_sections; "
     "use one of 1, 2, 3, 4, 5, 7"},
    {"RelativeSensitivePath", "checks:\n  sensitive_paths: [etc]\n",
     "test.yml:2:21: invalid path \"etc\" in checks.sensitive_paths; use an "
     "absolute host path such as /etc"},
    {"InvalidCertLifetime", "checks:\n  max_node_cert_lifetime: 0\n",
     "test.yml:2:27: invalid duration \"0\" for "
     "checks.max_node_cert_lifetime; use a duration greater than zero such "
     "as 90d"},
    {"InvalidRegex", "containers:\n  exclude:\n    - name: \"web(\"\n",
     "test.yml:3:13: invalid regular expression \"web(\": missing ): web( "
     "in containers.exclude[0].name; write an RE2 regular expression that "
     "matches whole names, such as \"web-[0-9]+\""},
    {"BackreferenceRejected",
     "containers:\n  include:\n    - name: \"(a)\\\\1\"\n",
     "test.yml:3:13: invalid regular expression \"(a)\\1\": invalid escape "
     "sequence: \\1 in containers.include[0].name; write an RE2 regular "
     "expression that matches whole names, such as \"web-[0-9]+\""},
    {"EmptySelector", "containers:\n  include:\n    - {}\n",
     "test.yml:3:7: containers.include[0] selects every container; give "
     "name, labels or both, such as name: \"web-.*\""},
    {"UnknownSelectorKey", "containers:\n  include:\n    - image: x\n",
     "test.yml:3:7: unknown key \"image\" in containers.include[0]; use one "
     "of name, labels"},
    {"EmptyLabelKey", "containers:\n  exclude:\n    - labels: [\"=x\"]\n",
     "test.yml:3:16: invalid label selector \"=x\": use key, key=value or "
     "key!=value with a non-empty key in containers.exclude[0].labels"},
    {"SanitizedLabelCollision",
     "containers:\n  labels: [com.example.team, com_example_team]\n",
     "test.yml:2:30: labels \"com.example.team\" and \"com_example_team\" in "
     "containers.labels both become label_com_example_team; keep one of "
     "them"},
    {"WaiversNotList", "waivers:\n  check: privileged\n",
     "test.yml:2:3: waivers must be a list, with one \"- check: ...\" entry "
     "per waiver"},
    {"WaiverWithoutCheck",
     "waivers:\n  - engine: true\n    reason: r\n    expires: 2030-01-01\n",
     "test.yml:2:5: waiver has no check; add check: with a check key or CIS "
     "id"},
    {"WaiverWithoutSubject",
     "waivers:\n  - check: privileged\n    reason: r\n    expires: "
     "2030-01-01\n",
     "test.yml:2:5: waiver must have exactly one subject; give container: "
     "with a selector, engine: true or host: true"},
    {"WaiverWithTwoSubjects",
     "waivers:\n  - check: live_restore\n    engine: true\n    container: "
     "{name: x}\n    reason: r\n    expires: 2030-01-01\n",
     "test.yml:2:5: waiver must have exactly one subject; give container: "
     "with a selector, engine: true or host: true"},
    {"WaiverWithoutReason",
     "waivers:\n  - check: live_restore\n    engine: true\n    expires: "
     "2030-01-01\n",
     "test.yml:2:5: waiver has no reason; add reason: saying why the check "
     "may fail"},
    {"WaiverWithoutExpiry",
     "waivers:\n  - check: live_restore\n    engine: true\n    reason: r\n",
     "test.yml:2:5: waiver has no expiry date; add expires: with the last "
     "day it holds, such as 2027-06-30"},
    {"WaiverInvalidDate",
     "waivers:\n  - check: live_restore\n    engine: true\n    reason: r\n"
     "    expires: 2030-02-30\n",
     "test.yml:5:14: invalid date \"2030-02-30\" in waiver expires; write "
     "the last day the waiver holds as YYYY-MM-DD from 2000 to 2199, such as "
     "2027-06-30"},
    {"WaiverEngineFalse",
     "waivers:\n  - check: live_restore\n    engine: false\n    reason: r\n"
     "    expires: 2030-01-01\n",
     "test.yml:3:13: waiver engine must be true; remove it for a waiver of "
     "another subject"},
    {"WaiverEngineCheckOnContainer",
     "waivers:\n  - check: \"2.15\"\n    container: {name: web}\n"
     "    reason: r\n    expires: 2030-01-01\n",
     "test.yml:2:12: check \"live_restore\" judges the engine; write engine: "
     "true instead of container:"},
    {"WaiverContainerCheckOnEngine",
     "waivers:\n  - check: privileged\n    engine: true\n    reason: r\n"
     "    expires: 2030-01-01\n",
     "test.yml:2:12: check \"privileged\" judges containers; write "
     "container: with a selector instead of engine: true"},
    {"WaiverHostOfContainerCheck",
     "waivers:\n  - check: privileged\n    host: true\n    reason: r\n"
     "    expires: 2030-01-01\n",
     "test.yml:2:12: check \"privileged\" judges containers; write "
     "container: with a selector instead of host: true"},
    {"WaiverHostOfEngineCheck",
     "waivers:\n  - check: \"2.15\"\n    host: true\n    reason: r\n"
     "    expires: 2030-01-01\n",
     "test.yml:2:12: check \"live_restore\" judges the engine; write "
     "engine: true instead of host: true"},
    {"WaiverEngineOfHostCheck",
     "waivers:\n  - check: \"3.18\"\n    engine: true\n    reason: r\n"
     "    expires: 2030-01-01\n",
     "test.yml:2:12: check \"daemon_json_mode\" judges the host; write "
     "host: true instead of engine: true"},
    {"WaiverContainerOfHostCheck",
     "waivers:\n  - check: audit_dockerd\n    container: {name: web}\n"
     "    reason: r\n    expires: 2030-01-01\n",
     "test.yml:2:12: check \"audit_dockerd\" judges the host; write "
     "host: true instead of container:"},
    {"WaiverHostFalse",
     "waivers:\n  - check: audit_dockerd\n    host: false\n    reason: r\n"
     "    expires: 2030-01-01\n",
     "test.yml:3:11: waiver host must be true; remove it for a waiver of "
     "another subject"},
    {"WaiverHostAndEngine",
     "waivers:\n  - check: audit_dockerd\n    host: true\n    engine: true\n"
     "    reason: r\n    expires: 2030-01-01\n",
     "test.yml:2:5: waiver must have exactly one subject; give container: "
     "with a selector, engine: true or host: true"},
    {"OverlappingHostWaivers",
     "waivers:\n  - check: \"1.1.3\"\n    host: true\n    reason: a\n"
     "    expires: 2030-01-01\n  - check: audit_dockerd\n    host: true\n"
     "    reason: b\n    expires: 2031-01-01\n",
     "test.yml:6:5: waiver overlaps the waiver at test.yml:2:5: both cover "
     "check \"audit_dockerd\" for the same subject; merge them into one "
     "waiver"},
    {"UnknownPathKey", "path:\n  sysfs: /sys\n",
     "test.yml:2:3: unknown key \"sysfs\" in path; use one of rootfs, "
     "procfs"},
    {"CollectorHostNotBoolean", "collector:\n  host: maybe\n",
     "test.yml:2:9: collector.host must be true or false, not \"maybe\""},
    {"WaiverEmptyReason",
     "waivers:\n  - check: live_restore\n    engine: true\n    reason: \"\"\n"
     "    expires: 2030-01-01\n",
     "test.yml:4:13: waiver reason is empty; say why the check may fail"},
    {"OverlappingEngineWaivers",
     "waivers:\n  - check: live_restore\n    engine: true\n    reason: a\n"
     "    expires: 2030-01-01\n  - check: \"2.15\"\n    engine: true\n"
     "    reason: b\n    expires: 2031-01-01\n",
     "test.yml:6:5: waiver overlaps the waiver at test.yml:2:5: both cover "
     "check \"live_restore\" for the same subject; merge them into one "
     "waiver"},
    {"OverlappingContainerWaivers",
     "waivers:\n  - check: privileged\n    container: {name: ci, labels: "
     "[a, b=1]}\n    reason: a\n    expires: 2030-01-01\n"
     "  - check: \"5.5\"\n    container: {labels: [b=1, a], name: ci}\n"
     "    reason: b\n    expires: 2030-01-01\n",
     "test.yml:6:5: waiver overlaps the waiver at test.yml:2:5: both cover "
     "check \"privileged\" for the same subject; merge them into one "
     "waiver"},
};

class ConfigFileError : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ConfigFileError, NamesPositionAndFix) {
  EXPECT_EQ(ErrorOf(GetParam().text), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Validation, ConfigFileError, ::testing::ValuesIn(kErrorCases),
    [](const ::testing::TestParamInfo<ErrorCase>& case_info) {
      return std::string(case_info.param.name);
    });

TEST(ConfigFile, EmptyFileSetsNothing) {
  const auto parsed = ParseConfigFile("# only a comment\n", "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_TRUE(parsed.value().flags.empty());
  EXPECT_TRUE(parsed.value().policy.waivers.empty());
}

TEST(ConfigFile, MissingFileNamesPath) {
  const auto parsed = LoadConfigFile("/nonexistent/dce.yml");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().message,
            "/nonexistent/dce.yml: cannot read the configuration file: No "
            "such file or directory; check --config.file");
}

TEST(ConfigFile, FlagKeysBecomeFlagValues) {
  const auto parsed = ParseConfigFile(
      "docker:\n  timeout: 3s\n  max_concurrent_requests: 0x10\n"
      "  running_only: yes\ncheck:\n  output: json\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& flags = parsed.value().flags;
  EXPECT_EQ(flags.at("--docker.timeout").value, "3s");
  EXPECT_EQ(flags.at("--docker.timeout").key, "docker.timeout");
  EXPECT_EQ(flags.at("--docker.timeout").location, "test.yml:2:12");
  EXPECT_EQ(flags.at("--docker.max-concurrent-requests").value, "16");
  EXPECT_EQ(flags.at("--docker.running-only").value, "true");
  EXPECT_EQ(flags.at("--output").value, "json");
}

TEST(ConfigFile, ChecksResolveCisIds) {
  const auto parsed = ParseConfigFile(
      "checks:\n  enable: [\"5.13\", privileged]\n  disable: [\"2.15\"]\n"
      "  disable_sections: [7]\n  max_node_cert_lifetime: 30d\n"
      "  sensitive_paths: [/srv]\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& config = parsed.value();
  EXPECT_EQ(config.flags.at("--checks").value, "rootfs_readonly,privileged");
  EXPECT_EQ(config.disabled_checks, std::vector<std::string>{"live_restore"});
  EXPECT_EQ(config.disabled_sections, std::vector<std::string>{"7"});
  EXPECT_EQ(config.policy.max_node_cert_lifetime, std::chrono::hours(24 * 30));
  EXPECT_EQ(config.policy.sensitive_paths, std::vector<std::string>{"/srv"});
}

TEST(ConfigFile, HostChecksResolve) {
  const auto parsed = ParseConfigFile(
      "checks:\n  enable: [\"1.1.3\", daemon_json_mode]\n"
      "  disable: [\"3.17\"]\n  disable_sections: [1, 2, 3]\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& config = parsed.value();
  EXPECT_EQ(config.flags.at("--checks").value,
            "audit_dockerd,daemon_json_mode");
  EXPECT_EQ(config.disabled_checks,
            std::vector<std::string>{"daemon_json_owner"});
  EXPECT_EQ(config.disabled_sections,
            (std::vector<std::string>{"1", "2", "3"}));
}

TEST(ConfigFile, HostWaiverIsKept) {
  const auto parsed = ParseConfigFile(
      "waivers:\n  - check: \"3.18\"\n    host: true\n"
      "    reason: the image's daemon.json\n    expires: 2030-01-31\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed.value().policy.waivers.size(), 1u);
  const Waiver& waiver = parsed.value().policy.waivers.front();
  EXPECT_EQ(waiver.check, "daemon_json_mode");
  EXPECT_EQ(waiver.subject, WaiverSubject::kHost);
  EXPECT_EQ(waiver.reason, "the image's daemon.json");
  EXPECT_EQ(waiver.location, "test.yml:2:5");
}

TEST(ConfigFile, HostKeysBecomeFlagValues) {
  const auto parsed = ParseConfigFile(
      "path:\n  rootfs: /host\n  procfs: /host/proc\ncollector:\n"
      "  host: yes\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& flags = parsed.value().flags;
  EXPECT_EQ(flags.at("--path.rootfs").value, "/host");
  EXPECT_EQ(flags.at("--path.rootfs").key, "path.rootfs");
  EXPECT_EQ(flags.at("--path.procfs").value, "/host/proc");
  EXPECT_EQ(flags.at("--collector.host").value, "true");
}

TEST(ConfigFile, WaiverFieldsAreKept) {
  const auto parsed = ParseConfigFile(
      "waivers:\n  - check: \"5.32\"\n    container:\n      name: agent\n"
      "      labels: [role=monitoring]\n    reason: reads events\n"
      "    expires: 2030-01-31\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed.value().policy.waivers.size(), 1u);
  const Waiver& waiver = parsed.value().policy.waivers.front();
  EXPECT_EQ(waiver.check, "docker_socket_mounted");
  EXPECT_EQ(waiver.subject, WaiverSubject::kContainer);
  EXPECT_EQ(waiver.containers.name_pattern, "agent");
  ASSERT_EQ(waiver.containers.labels.size(), 1u);
  EXPECT_EQ(waiver.containers.labels.front().key, "role");
  EXPECT_EQ(waiver.reason, "reads events");
  EXPECT_EQ(waiver.expires, "2030-01-31");
  EXPECT_EQ(waiver.location, "test.yml:2:5");
}

TEST(ConfigFile, ExpiredWaiverIsNotAnError) {
  const auto parsed = ParseConfigFile(
      "waivers:\n  - check: live_restore\n    engine: true\n"
      "    reason: r\n    expires: 2001-01-01\n",
      "test.yml");
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_FALSE(parsed.value().policy.waivers.front().ActiveAt(
      std::chrono::system_clock::now()));
}

TEST(ConfigFile, ShippedExampleLoads) {
  const std::string path = std::string(DCE_SOURCE_DIR) + "/config/example.yml";
  const auto parsed = LoadConfigFile(path);
  ASSERT_TRUE(parsed) << parsed.error().message;
  const auto& config = parsed.value();
  EXPECT_EQ(config.policy.waivers.size(), 4u);
  EXPECT_EQ(config.policy.exported_labels,
            std::vector<std::string>{"com.example.team"});
  EXPECT_EQ(config.flags.at("--web.listen-address").value, ":9795");
  EXPECT_EQ(config.policy.max_node_cert_lifetime, std::chrono::hours(24 * 90));
}

// Every flag listed by --help has a key in the shipped example.
TEST(ConfigFile, ShippedExampleDocumentsEveryFlag) {
  std::ifstream file(std::string(DCE_SOURCE_DIR) + "/config/example.yml");
  std::stringstream text;
  text << file.rdbuf();
  const std::string example = text.str();
  for (const char* key : {"listen_address:",
                          "telemetry_path:",
                          "config_file:",
                          "max_requests:",
                          "host:",
                          "tls_verify:",
                          "tls_ca_file:",
                          "tls_cert_file:",
                          "tls_key_file:",
                          "timeout:",
                          "refresh_interval:",
                          "stale_after:",
                          "max_concurrent_requests:",
                          "running_only:",
                          "level:",
                          "format:",
                          "output:",
                          "fail_on:",
                          "rootfs:",
                          "procfs:",
                          "collector:",
                          "enable:",
                          "disable:",
                          "disable_sections:",
                          "sensitive_paths:",
                          "max_node_cert_lifetime:",
                          "include:",
                          "exclude:",
                          "labels:",
                          "waivers:",
                          "check:",
                          "container:",
                          "engine:",
                          "host: true",
                          "reason:",
                          "expires:"}) {
    EXPECT_THAT(example, HasSubstr(key)) << key;
  }
}

// A configuration file in a temporary directory, removed at the end.
class TempConfig {
 public:
  explicit TempConfig(const std::string& text) {
    char pattern[] = "/tmp/dce-config-test-XXXXXX";
    const int fd = mkstemp(pattern);
    path_ = pattern;
    const auto written = write(fd, text.data(), text.size());
    static_cast<void>(written);
    close(fd);
  }
  ~TempConfig() { std::remove(path_.c_str()); }
  TempConfig(const TempConfig&) = delete;
  TempConfig& operator=(const TempConfig&) = delete;

  const std::string& Path() const { return path_; }

 private:
  std::string path_;
};

struct FlagRun {
  ParsedFlags parsed;
  std::string err;
};

FlagRun Parse(const std::vector<std::string>& arguments,
              const FlagEnvironment& environment = {}) {
  std::ostringstream out;
  std::ostringstream err;
  FlagRun run{ParseFlags(arguments, environment, kBuildInfo, out, err), ""};
  run.err = err.str();
  return run;
}

TEST(ConfigPrecedence, FileSetsFlagsNotGiven) {
  const TempConfig config(
      "docker:\n  timeout: 3s\n  running_only: true\nlog:\n  level: debug\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_TRUE(run.parsed.options) << run.err;
  EXPECT_EQ(run.parsed.options->engine_timeout, std::chrono::seconds(3));
  EXPECT_EQ(run.parsed.options->log_level, LogLevel::kDebug);
  EXPECT_TRUE(run.parsed.options->policy->scope.running_only);
  EXPECT_EQ(run.parsed.options->config_file, config.Path());
}

TEST(ConfigPrecedence, HostCheckWithoutHostCollectorIsLocated) {
  const TempConfig config("checks:\n  enable: [rootfs_readonly, \"1.1.3\"]\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr(config.Path() + ":2:"));
  EXPECT_THAT(run.err,
              HasSubstr("checks.enable: \"audit_dockerd\" is a host check"));
}

TEST(ConfigPrecedence, CommandLineOverridesFile) {
  const TempConfig config(
      "docker:\n  timeout: 3s\n  host: unix:///file.sock\nlog:\n"
      "  level: debug\n");
  const auto run =
      Parse({"--config.file=" + config.Path(), "--docker.timeout=7s",
             "--docker.host=unix:///flag.sock"});
  ASSERT_TRUE(run.parsed.options) << run.err;
  EXPECT_EQ(run.parsed.options->engine_timeout, std::chrono::seconds(7));
  EXPECT_EQ(run.parsed.options->engine_address.socket_path, "/flag.sock");
  EXPECT_EQ(run.parsed.options->log_level, LogLevel::kDebug);
}

TEST(ConfigPrecedence, FileOverridesDockerHostEnvironment) {
  const TempConfig config("docker:\n  host: unix:///file.sock\n");
  const auto run = Parse({"--config.file=" + config.Path()},
                         {"unix:///env.sock", {}, {}, {}});
  ASSERT_TRUE(run.parsed.options) << run.err;
  EXPECT_EQ(run.parsed.options->engine_address.socket_path, "/file.sock");
}

TEST(ConfigPrecedence, ChecksFlagOverridesEnable) {
  const TempConfig config(
      "checks:\n  enable: [privileged]\n  disable: [rootfs_readonly]\n");
  const auto run = Parse({"check", "--config.file=" + config.Path(),
                          "--checks=rootfs_readonly,host_network"});
  ASSERT_TRUE(run.parsed.options) << run.err;
  const Policy& policy = *run.parsed.options->policy;
  const auto checks = ContainerChecks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    // rootfs_readonly is selected by the flag but disabled by the file,
    // and disabling wins.
    EXPECT_EQ(policy.ContainerCheckEnabled(i),
              checks[i].info.key == "host_network")
        << checks[i].info.key;
  }
}

TEST(ConfigPrecedence, RunningOnlyFlagOverridesFile) {
  const TempConfig config("docker:\n  running_only: false\n");
  const auto run = Parse(
      {"check", "--config.file=" + config.Path(), "--docker.running-only"});
  ASSERT_TRUE(run.parsed.options) << run.err;
  EXPECT_TRUE(run.parsed.options->policy->scope.running_only);
}

TEST(ConfigPrecedence, ServeOnlyKeysIgnoredByCheckCommand) {
  const TempConfig config(
      "web:\n  listen_address: \"bad address\"\ndocker:\n"
      "  refresh_interval: 1s\n");
  const auto run = Parse({"check", "--config.file=" + config.Path()});
  EXPECT_TRUE(run.parsed.options) << run.err;
}

TEST(ConfigPrecedence, InvalidValueNamesKeyAndPosition) {
  const TempConfig config("docker:\n  refresh_interval: 0s\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_FALSE(run.parsed.options);
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_EQ(run.err, "docker_compliance_exporter: " + config.Path() +
                         ":2:21: invalid value \"0s\" for "
                         "docker.refresh_interval: use a duration greater "
                         "than zero, such as 10s\n");
}

TEST(ConfigPrecedence, InvalidTelemetryPathNamesKey) {
  const TempConfig config("web:\n  telemetry_path: metrics\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_FALSE(run.parsed.options);
  EXPECT_THAT(run.err,
              HasSubstr(config.Path() + ":2:19: invalid value \"metrics\" for "
                                        "web.telemetry_path: use a path"));
}

TEST(ConfigPrecedence, FileTurnsOnHostCollector) {
  const TempConfig config("path:\n  rootfs: /tmp\n  procfs: /\n");
  const auto run = Parse({"check", "--config.file=" + config.Path()});
  ASSERT_TRUE(run.parsed.options) << run.err;
  ASSERT_TRUE(run.parsed.options->host.has_value());
  EXPECT_EQ(run.parsed.options->host->rootfs, "/tmp");
  EXPECT_EQ(run.parsed.options->host->procfs, "/");
}

TEST(ConfigPrecedence, CollectorHostKeyReadsRoot) {
  const TempConfig config("collector:\n  host: true\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_TRUE(run.parsed.options) << run.err;
  ASSERT_TRUE(run.parsed.options->host.has_value());
  EXPECT_EQ(run.parsed.options->host->rootfs, "/");
  EXPECT_EQ(run.parsed.options->host->procfs, "/proc");
}

TEST(ConfigPrecedence, HostCollectorOffByDefault) {
  const TempConfig config("collector:\n  host: false\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_TRUE(run.parsed.options) << run.err;
  EXPECT_FALSE(run.parsed.options->host.has_value());
}

TEST(ConfigPrecedence, RootfsFlagOverridesFile) {
  const TempConfig config("path:\n  rootfs: /nonexistent\n");
  const auto run =
      Parse({"--config.file=" + config.Path(), "--path.rootfs=/tmp"});
  ASSERT_TRUE(run.parsed.options) << run.err;
  ASSERT_TRUE(run.parsed.options->host.has_value());
  EXPECT_EQ(run.parsed.options->host->rootfs, "/tmp");
}

TEST(ConfigPrecedence, InvalidRootfsNamesKey) {
  const TempConfig config("path:\n  rootfs: /nonexistent\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_FALSE(run.parsed.options);
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_EQ(run.err, "docker_compliance_exporter: " + config.Path() +
                         ":2:11: invalid value \"/nonexistent\" for "
                         "path.rootfs: name an existing directory, such as "
                         "/host for the host's / mounted there\n");
}

TEST(ConfigPrecedence, DisablesHostChecks) {
  const TempConfig config(
      "checks:\n  disable: [daemon_json_mode]\n  disable_sections: [\"1\"]\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_TRUE(run.parsed.options) << run.err;
  const Policy& policy = *run.parsed.options->policy;
  const auto checks = HostChecks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    const bool disabled = checks[i].info.key == "daemon_json_mode" ||
                          checks[i].info.cis_id.starts_with("1.");
    EXPECT_EQ(policy.HostCheckEnabled(i), !disabled) << checks[i].info.key;
  }
}

TEST(ConfigPrecedence, InvalidFileExitsTwo) {
  const TempConfig config("docker:\n  timeout: soon\n");
  const auto run = Parse({"--config.file=" + config.Path()});
  ASSERT_FALSE(run.parsed.options);
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_EQ(run.err, "docker_compliance_exporter: " + config.Path() +
                         ":2:12: invalid duration \"soon\" for "
                         "docker.timeout; use a duration such as 500ms, "
                         "10s, 5m or 1h30m\n");
}

}  // namespace
}  // namespace dce
