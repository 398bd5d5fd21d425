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

}  // namespace
}  // namespace dce
