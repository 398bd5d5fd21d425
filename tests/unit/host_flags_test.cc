#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "exporter/flags.h"

namespace dce {
namespace {

using ::testing::HasSubstr;

const BuildInfo kBuildInfo{"0.1.0", "abc123", "gcc 12"};

ParsedFlags Parse(const std::vector<std::string>& arguments,
                  std::string* err = nullptr) {
  std::ostringstream out;
  std::ostringstream errors;
  ParsedFlags parsed = ParseFlags(arguments, {}, kBuildInfo, out, errors);
  if (err != nullptr) {
    *err = errors.str();
  }
  return parsed;
}

TEST(HostFlags, OffByDefault) {
  const auto parsed = Parse({"--path.procfs=/proc"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_FALSE(parsed.options->host.has_value());
}

TEST(HostFlags, RootfsTurnsCollectorOn) {
  const auto parsed = Parse({"--path.rootfs=/", "--path.procfs=/proc"});
  ASSERT_TRUE(parsed.options.has_value());
  ASSERT_TRUE(parsed.options->host.has_value());
  EXPECT_EQ(parsed.options->host->rootfs, "/");
  EXPECT_EQ(parsed.options->host->procfs, "/proc");
}

TEST(HostFlags, CollectorHostReadsRoot) {
  const auto parsed = Parse({"check", "--collector.host"});
  ASSERT_TRUE(parsed.options.has_value());
  ASSERT_TRUE(parsed.options->host.has_value());
  EXPECT_EQ(parsed.options->host->rootfs, "/");
  EXPECT_EQ(parsed.options->command, Command::kCheck);
}

TEST(HostFlags, MissingDirectoryIsInvalid) {
  std::string err;
  const auto parsed = Parse({"--path.rootfs=/nonexistent/host"}, &err);
  EXPECT_FALSE(parsed.options.has_value());
  EXPECT_EQ(parsed.exit_code, kExitInvalidUsage);
  EXPECT_THAT(err, HasSubstr("--path.rootfs"));
  EXPECT_THAT(err, HasSubstr("name an existing directory"));
}

TEST(HostFlags, HostCheckKeysSelectable) {
  const auto parsed =
      Parse({"check", "--collector.host", "--checks=daemon_json_mode,1.1.1"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_THAT(
      parsed.options->check.checks,
      ::testing::ElementsAre("daemon_json_mode", "data_root_partition"));
}

TEST(HostFlags, HostCheckWithoutCollectorIsInvalid) {
  struct Case {
    std::string checks;
    std::string named;
  };
  const Case cases[] = {
      {"audit_dockerd", "audit_dockerd"},
      {"1.1.3", "1.1.3"},
      {"rootfs_readonly,daemon_json_mode", "daemon_json_mode"},
  };
  for (const auto& [checks, named] : cases) {
    std::string err;
    const auto parsed = Parse({"check", "--checks=" + checks}, &err);
    EXPECT_FALSE(parsed.options.has_value()) << checks;
    EXPECT_EQ(parsed.exit_code, kExitInvalidUsage) << checks;
    EXPECT_EQ(err, "docker_compliance_exporter: --checks: \"" + named +
                       "\" is a host check; add --collector.host, or "
                       "--path.rootfs=DIR for the host's / mounted at DIR, "
                       "to evaluate host checks\n");
  }
}

TEST(HostFlags, EngineChecksNeedNoCollector) {
  const auto parsed = Parse({"check", "--checks=rootfs_readonly,2.15"});
  ASSERT_TRUE(parsed.options.has_value());
  EXPECT_FALSE(parsed.options->host.has_value());
}

}  // namespace
}  // namespace dce
