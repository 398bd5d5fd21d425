#include "exporter/flags.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace dce {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const BuildInfo kBuildInfo{"0.1.0", "abc123", "gcc 12"};

struct FlagRun {
  ParsedFlags parsed;
  std::string out;
  std::string err;
};

FlagRun ParseArguments(const std::vector<std::string>& arguments,
                       const FlagEnvironment& environment = {}) {
  std::ostringstream out;
  std::ostringstream err;
  FlagRun run{ParseFlags(arguments, environment, kBuildInfo, out, err), "", ""};
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST(Flags, DefaultsMatchDocumentation) {
  const auto run = ParseArguments({});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  const Options& options = *run.parsed.options;
  EXPECT_EQ(options.listen_address.host, "");
  EXPECT_EQ(options.listen_address.port, 9795);
  EXPECT_EQ(options.telemetry_path, "/metrics");
  EXPECT_EQ(options.engine_address.original, "unix:///var/run/docker.sock");
  EXPECT_EQ(options.engine_timeout, std::chrono::seconds(10));
  EXPECT_EQ(options.refresh_interval, std::chrono::seconds(15));
  EXPECT_EQ(options.stale_after, std::chrono::minutes(5));
  EXPECT_EQ(options.max_concurrent_requests, 4);
  EXPECT_EQ(options.max_requests, 40);
  EXPECT_FALSE(options.web_config_file);
  EXPECT_EQ(options.log_level, LogLevel::kInfo);
  EXPECT_EQ(options.log_format, LogFormat::kLogfmt);
}

TEST(Flags, DockerHostEnvironmentIsDefault) {
  const auto run =
      ParseArguments({}, {"unix:///run/user/1000/docker.sock", {}, {}, {}});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->engine_address.socket_path,
            "/run/user/1000/docker.sock");
}

TEST(Flags, FlagOverridesDockerHostEnvironment) {
  const auto run = ParseArguments({"--docker.host=tcp://127.0.0.1:2375"},
                                  {"unix:///x.sock", {}, {}, {}});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->engine_address.base_url,
            "http://127.0.0.1:2375");
}

TEST(Flags, AcceptsBothValueForms) {
  const auto run = ParseArguments(
      {"--docker.timeout", "2s", "--docker.refresh-interval=1m",
       "--web.listen-address=127.0.0.1:0", "--log.format", "json"});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->engine_timeout, std::chrono::seconds(2));
  EXPECT_EQ(run.parsed.options->refresh_interval, std::chrono::minutes(1));
  EXPECT_EQ(run.parsed.options->log_format, LogFormat::kJson);
}

TEST(Flags, HelpAndVersionExitZero) {
  const auto help = ParseArguments({"--help"});
  EXPECT_FALSE(help.parsed.options.has_value());
  EXPECT_EQ(help.parsed.exit_code, 0);
  EXPECT_THAT(help.out, HasSubstr("--docker.refresh-interval"));
  EXPECT_THAT(help.out, HasSubstr("--web.listen-address"));

  const auto version = ParseArguments({"--version"});
  EXPECT_EQ(version.parsed.exit_code, 0);
  EXPECT_THAT(version.out, HasSubstr("version 0.1.0"));
  EXPECT_THAT(version.out, HasSubstr("abc123"));
}

TEST(Flags, InvalidValuesExitTwoWithOneLine) {
  struct Case {
    std::vector<std::string> arguments;
    std::string named;
  };
  const Case cases[] = {
      {{"--no-such-flag"}, "--no-such-flag"},
      {{"--docker.timeout=abc"}, "--docker.timeout"},
      {{"--docker.timeout=0s"}, "--docker.timeout"},
      {{"--docker.refresh-interval=0"}, "--docker.refresh-interval"},
      {{"--docker.stale-after=5"}, "--docker.stale-after"},
      {{"--docker.max-concurrent-requests=0"},
       "--docker.max-concurrent-requests"},
      {{"--docker.max-concurrent-requests=many"},
       "--docker.max-concurrent-requests"},
      {{"--log.level=loud"}, "loud"},
      {{"--log.format=xml"}, "xml"},
      {{"--web.listen-address=nonsense"}, "--web.listen-address"},
      {{"--web.telemetry-path=metrics"}, "--web.telemetry-path"},
      {{"--web.telemetry-path=/-/healthy"}, "--web.telemetry-path"},
      {{"--docker.host=ftp://x"}, "ftp://x"},
      {{"--docker.timeout"}, "--docker.timeout"},
      {{"stray"}, "stray"},
      {{"--docker.refresh-interval=300000y"}, "at most 10y"},
      {{"--docker.stale-after=11y"}, "at most 10y"},
      {{"--web.telemetry-path=/.*"}, "--web.telemetry-path"},
      {{"--web.telemetry-path=/m|/-/healthy"}, "--web.telemetry-path"},
      {{"--web.telemetry-path=/api/v1/report"}, "--web.telemetry-path"},
      {{"--docker.host=tcp://127.0.0.1:99999"}, "1 to 65535"},
      {{"--docker.host=tcp://::1:2375"}, "brackets"},
      {{"--docker.host=tcp://user:secret@127.0.0.1:2375"}, "password"},
      {{"--log.level=info", "--log.level=debug"}, "more than once"},
      {{"--web.max-requests=-1"}, "--web.max-requests"},
      {{"--web.max-requests=1025"}, "--web.max-requests"},
      {{"--web.config.file=/nonexistent/web.yml"},
       "/nonexistent/web.yml: cannot read the web configuration file"},
      {{"check", "--web.config.file=web.yml"}, "--web.config.file"},
  };
  for (const auto& test_case : cases) {
    const auto run = ParseArguments(test_case.arguments);
    const std::string context = test_case.arguments.front();
    EXPECT_FALSE(run.parsed.options.has_value()) << context;
    EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage) << context;
    EXPECT_THAT(run.err, HasSubstr(test_case.named)) << context;
    ASSERT_FALSE(run.err.empty()) << context;
    EXPECT_EQ(run.err.find('\n'), run.err.size() - 1)
        << context << ": expected one line, got: " << run.err;
  }
}

TEST(Flags, PasswordInDockerHostIsNotPrinted) {
  const auto run =
      ParseArguments({"--docker.host=tcp://user:secret@127.0.0.1:2375"});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, Not(HasSubstr("secret")));
}

TEST(Flags, LongestDurationIsAccepted) {
  const auto run = ParseArguments({"--docker.stale-after=10y"});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->stale_after, std::chrono::hours(24 * 3650));
}

TEST(Flags, InvalidDockerHostEnvironmentIsNamed) {
  const auto run = ParseArguments({}, {"garbage", {}, {}, {}});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr("DOCKER_HOST"));
  EXPECT_THAT(run.err, Not(HasSubstr("--docker.host:")));
}

// A temporary directory for DOCKER_CERT_PATH with placeholder files. The
// flags only check that the files can be read, and curl parses them.
class CertificateDirectory {
 public:
  CertificateDirectory() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "dce-certs.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("mkdtemp failed");
    }
    path_ = pattern;
  }
  ~CertificateDirectory() { std::filesystem::remove_all(path_); }
  CertificateDirectory(const CertificateDirectory&) = delete;
  CertificateDirectory& operator=(const CertificateDirectory&) = delete;

  std::string Add(const std::string& name) const {
    const auto file = path_ / name;
    std::ofstream(file) << "PEM\n";
    return file.string();
  }
  std::string Path() const { return path_.string(); }

 private:
  std::filesystem::path path_;
};

TEST(Flags, TlsVerifyUsesDockerCertPath) {
  const CertificateDirectory certificates;
  const std::string ca = certificates.Add("ca.pem");
  const std::string cert = certificates.Add("cert.pem");
  const std::string key = certificates.Add("key.pem");
  const auto run = ParseArguments(
      {}, {"tcp://127.0.0.1", "1", certificates.Path(), "/nonexistent"});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  const EngineAddress& engine = run.parsed.options->engine_address;
  EXPECT_EQ(engine.base_url, "https://127.0.0.1:2376");
  ASSERT_TRUE(engine.tls.has_value());
  EXPECT_EQ(engine.tls->ca_file, ca);
  EXPECT_EQ(engine.tls->cert_file, cert);
  EXPECT_EQ(engine.tls->key_file, key);
}

TEST(Flags, TlsDefaultsToDockerDirectoryInHome) {
  const CertificateDirectory home;
  std::filesystem::create_directory(home.Path() + "/.docker");
  const std::string ca = home.Add(".docker/ca.pem");
  const auto run = ParseArguments({"--docker.tls-verify"},
                                  {"tcp://127.0.0.1:9", {}, {}, home.Path()});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  const EngineAddress& engine = run.parsed.options->engine_address;
  EXPECT_EQ(engine.base_url, "https://127.0.0.1:9");
  ASSERT_TRUE(engine.tls.has_value());
  EXPECT_EQ(engine.tls->ca_file, ca);
  // Without cert.pem and key.pem, no client certificate is presented.
  EXPECT_EQ(engine.tls->cert_file, "");
  EXPECT_EQ(engine.tls->key_file, "");
}

TEST(Flags, TlsFileFlagsOverrideCertPath) {
  const CertificateDirectory certificates;
  certificates.Add("ca.pem");
  const std::string other_ca = certificates.Add("other-ca.pem");
  const auto run =
      ParseArguments({"--docker.tls-ca-file=" + other_ca},
                     {"tcp://127.0.0.1:2376", "1", certificates.Path(), {}});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->engine_address.tls->ca_file, other_ca);
}

TEST(Flags, TlsMissingCaIsNamed) {
  const CertificateDirectory certificates;
  const auto run = ParseArguments(
      {}, {"tcp://127.0.0.1:2376", "1", certificates.Path(), {}});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr("--docker.tls-ca-file"));
  EXPECT_THAT(run.err, HasSubstr(certificates.Path() + "/ca.pem"));
  EXPECT_THAT(run.err, HasSubstr("DOCKER_CERT_PATH"));
}

TEST(Flags, TlsKeyWithoutCertificateIsNamed) {
  const CertificateDirectory certificates;
  certificates.Add("ca.pem");
  certificates.Add("key.pem");
  const auto run = ParseArguments(
      {}, {"tcp://127.0.0.1:2376", "1", certificates.Path(), {}});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr("--docker.tls-cert-file"));
}

TEST(Flags, TlsVerifyOffKeepsPlainHttp) {
  const auto run = ParseArguments({"--docker.tls-verify=false"},
                                  {"tcp://127.0.0.1", "1", {}, {}});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->engine_address.base_url,
            "http://127.0.0.1:2375");
  EXPECT_FALSE(run.parsed.options->engine_address.tls.has_value());
}

TEST(Flags, TlsVerifyIgnoredForUnixSocket) {
  const auto run =
      ParseArguments({}, {"unix:///var/run/docker.sock", "1", {}, {}});
  EXPECT_TRUE(run.parsed.options.has_value()) << run.err;
}

TEST(Flags, ServeIsDefaultCommand) {
  const auto run = ParseArguments({});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->command, Command::kServe);
}

TEST(Flags, CheckCommandDefaults) {
  const auto run = ParseArguments({"check"});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  const Options& options = *run.parsed.options;
  EXPECT_EQ(options.command, Command::kCheck);
  EXPECT_EQ(options.check.output, ReportFormat::kTable);
  EXPECT_EQ(options.check.fail_on, FailOn::kAny);
  EXPECT_TRUE(options.check.checks.empty());
}

TEST(Flags, CheckCommandTakesEngineFlags) {
  const auto run =
      ParseArguments({"--log.level=debug", "check", "--docker.timeout=2s",
                      "--docker.host=unix:///tmp/engine.sock", "--output=junit",
                      "--fail-on", "level1"});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  const Options& options = *run.parsed.options;
  EXPECT_EQ(options.log_level, LogLevel::kDebug);
  EXPECT_EQ(options.engine_timeout, std::chrono::seconds(2));
  EXPECT_EQ(options.engine_address.socket_path, "/tmp/engine.sock");
  EXPECT_EQ(options.check.output, ReportFormat::kJunit);
  EXPECT_EQ(options.check.fail_on, FailOn::kLevel1);
}

TEST(Flags, ChecksResolveCisIdsToKeys) {
  const auto run = ParseArguments(
      {"check", "--checks=5.13,privileged,rootfs_readonly,2.15"});
  ASSERT_TRUE(run.parsed.options.has_value()) << run.err;
  EXPECT_EQ(run.parsed.options->check.checks,
            (std::vector<std::string>{"rootfs_readonly", "privileged",
                                      "live_restore"}));
}

TEST(Flags, UnknownCheckIsRejected) {
  for (const std::string value :
       {"--checks=rootfs", "--checks=5.13,", "--checks=5.13,9.9"}) {
    const auto run = ParseArguments({"check", value});
    EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage) << value;
    EXPECT_THAT(run.err, HasSubstr("for --checks")) << value;
    EXPECT_THAT(run.err, HasSubstr("README.md")) << value;
  }
}

TEST(Flags, EmptyCheckListIsRejected) {
  const auto run = ParseArguments({"check", "--checks="});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr("--checks"));
}

TEST(Flags, InvalidCheckValuesAreNamed) {
  const auto output = ParseArguments({"check", "--output=xml"});
  EXPECT_EQ(output.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(output.err, HasSubstr("invalid value \"xml\" for --output"));
  const auto fail_on = ParseArguments({"check", "--fail-on=level2"});
  EXPECT_EQ(fail_on.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(fail_on.err, HasSubstr("invalid value \"level2\" for --fail-on"));
}

TEST(Flags, CheckRejectsServeFlags) {
  const auto before = ParseArguments({"--web.listen-address=:1", "check"});
  EXPECT_EQ(before.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(before.err, HasSubstr("--web.listen-address does not apply"));
  const auto after = ParseArguments({"check", "--docker.stale-after=1m"});
  EXPECT_EQ(after.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(after.err, HasSubstr("--docker.stale-after"));
}

// CLI11's own messages for these name no fix; each must be replaced.
TEST(Flags, ParserErrorsNameTheFix) {
  struct Case {
    std::vector<std::string> arguments;
    std::string message;
  };
  const Case cases[] = {
      {{"--docker.running-only=maybe"},
       "invalid value \"maybe\" for --docker.running-only: use true or "
       "false"},
      {{"--web.max-requests=abc"},
       "invalid value \"abc\" for --web.max-requests: use a whole number"},
      {{"check", "--docker.max-concurrent-requests=x"},
       "invalid value \"x\" for --docker.max-concurrent-requests: use a whole "
       "number"},
      {{"--log.level="}, "--log.level needs a value, given as --log.level="},
      {{"--log.level"}, "--log.level needs a value, given as --log.level="},
      {{"check", "--web.listen-address=:1"},
       "--web.listen-address does not apply to the check command; remove it"},
      {{"--docker.refresh-interval=-1s"},
       "invalid value \"-1s\" for --docker.refresh-interval: durations cannot "
       "be negative"},
  };
  for (const auto& test_case : cases) {
    const auto run = ParseArguments(test_case.arguments);
    const std::string context = test_case.arguments.back();
    EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage) << context;
    EXPECT_THAT(run.err, HasSubstr(test_case.message)) << context;
    EXPECT_THAT(run.err, Not(HasSubstr("Could not convert"))) << context;
    EXPECT_THAT(run.err, Not(HasSubstr("required TEXT"))) << context;
    EXPECT_THAT(run.err, Not(HasSubstr("was not expected"))) << context;
  }
}

TEST(Flags, CheckFlagsNeedCheckCommand) {
  const auto run = ParseArguments({"--output=json"});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr("--output"));
}

TEST(Flags, EngineFlagBeforeAndAfterCheckIsRepeated) {
  const auto run =
      ParseArguments({"--docker.timeout=1s", "check", "--docker.timeout=2s"});
  EXPECT_EQ(run.parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(run.err, HasSubstr("--docker.timeout is given more than once"));
}

}  // namespace
}  // namespace dce
