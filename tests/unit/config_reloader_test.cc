#include "exporter/config_reloader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "exporter/http_server.h"

namespace dce {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

const BuildInfo kBuildInfo{"0.1.0", "abc123", "gcc 12"};

constexpr const char* kOneWaiver =
    "waivers:\n  - check: live_restore\n    engine: true\n"
    "    reason: lab\n    expires: 2099-01-01\n";
constexpr const char* kTwoWaivers =
    "waivers:\n  - check: live_restore\n    engine: true\n"
    "    reason: lab\n    expires: 2099-01-01\n"
    "  - check: privileged\n    container: {name: ci}\n"
    "    reason: nested engine\n    expires: 2001-01-01\n";

class ConfigReloaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/dce-reload-test-XXXXXX";
    const int fd = mkstemp(pattern);
    close(fd);
    path_ = pattern;
  }
  void TearDown() override { std::remove(path_.c_str()); }

  void Write(const std::string& text) const {
    std::ofstream(path_, std::ios::trunc) << text;
  }

  std::vector<std::string> Lines(const prometheus::Collectable& collectable) {
    std::vector<std::string> lines;
    std::istringstream stream(SerializeExposition(collectable));
    for (std::string line; std::getline(stream, line);) {
      lines.push_back(line);
    }
    return lines;
  }

  // Returns the options that the process would start with from the file's
  // current content.
  Options Running() const {
    std::ostringstream out;
    std::ostringstream err;
    auto parsed =
        ParseFlags({"--config.file=" + path_}, {}, kBuildInfo, out, err);
    EXPECT_TRUE(parsed.options.has_value()) << err.str();
    return parsed.options.value_or(Options{});
  }

  std::string path_;
};

TEST_F(ConfigReloaderTest, ValidReloadReplacesWaivers) {
  Write(kOneWaiver);
  SnapshotStore store;
  Inventory inventory({}, store);
  ConfigReloader reloader({"--config.file=" + path_}, {}, kBuildInfo, inventory,
                          Running());

  Write(kTwoWaivers);
  EXPECT_FALSE(reloader.Reload().has_value());
  const auto lines = Lines(reloader);
  EXPECT_THAT(lines,
              Contains("docker_compliance_config_last_reload_successful 1"));
  EXPECT_THAT(lines, Contains("docker_compliance_waivers{state=\"active\"} 1"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_waivers{state=\"expired\"} 1"));
}

TEST_F(ConfigReloaderTest, InvalidReloadKeepsRunningPolicy) {
  Write(kOneWaiver);
  SnapshotStore store;
  Inventory inventory({}, store);
  ConfigReloader reloader({"--config.file=" + path_}, {}, kBuildInfo, inventory,
                          Running());
  ASSERT_FALSE(reloader.Reload().has_value());

  Write("waivers:\n  - check: nope\n");
  const auto error = reloader.Reload();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->message,
            path_ +
                ":2:12: unknown check \"nope\" in waiver check; use a check "
                "key or CIS id from the check tables in README.md, such as "
                "rootfs_readonly or 5.13");
  const auto lines = Lines(reloader);
  EXPECT_THAT(lines,
              Contains("docker_compliance_config_last_reload_successful 0"));
  EXPECT_THAT(lines, Contains("docker_compliance_waivers{state=\"active\"} 1"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_waivers{state=\"expired\"} 0"));

  Write(kOneWaiver);
  EXPECT_FALSE(reloader.Reload().has_value());
  EXPECT_THAT(Lines(reloader),
              Contains("docker_compliance_config_last_reload_successful 1"));
}

// The HTTP server watches the web configuration file itself and keeps the
// previous one while it is invalid. So a reload of the other file must not
// fail because of it.
TEST_F(ConfigReloaderTest, InvalidWebConfigDoesNotFailReload) {
  Write(kOneWaiver);
  const std::string web_path = path_ + ".web.yml";
  std::ofstream(web_path) << "basic_auth_users: {}\n";
  const std::vector<std::string> arguments = {"--config.file=" + path_,
                                              "--web.config.file=" + web_path};
  std::ostringstream out;
  std::ostringstream err;
  const auto started = ParseFlags(arguments, {}, kBuildInfo, out, err);
  ASSERT_TRUE(started.options.has_value()) << err.str();
  SnapshotStore store;
  Inventory inventory({}, store);
  ConfigReloader reloader(arguments, {}, kBuildInfo, inventory,
                          *started.options);

  std::ofstream(web_path, std::ios::trunc) << "tls_server_config: [\n";
  Write(kTwoWaivers);
  const auto error = reloader.Reload();
  EXPECT_FALSE(error.has_value()) << error->message;
  EXPECT_THAT(Lines(reloader),
              Contains("docker_compliance_waivers{state=\"active\"} 1"));

  // At start the same file is an error.
  std::ostringstream start_err;
  EXPECT_FALSE(ParseFlags(arguments, {}, kBuildInfo, out, start_err)
                   .options.has_value());
  EXPECT_NE(start_err.str().find(web_path), std::string::npos)
      << start_err.str();
  std::remove(web_path.c_str());
}

TEST_F(ConfigReloaderTest, ValidReloadRunsOnApplied) {
  Write(kOneWaiver);
  SnapshotStore store;
  Inventory inventory({}, store);
  int applied = 0;
  ConfigReloader reloader({"--config.file=" + path_}, {}, kBuildInfo, inventory,
                          Running(), [&applied] { ++applied; });

  Write(kTwoWaivers);
  ASSERT_FALSE(reloader.Reload().has_value());
  EXPECT_EQ(applied, 1);

  Write("waivers:\n  - check: nope\n");
  ASSERT_TRUE(reloader.Reload().has_value());
  EXPECT_EQ(applied, 1);
}

TEST_F(ConfigReloaderTest, CountsHostWaivers) {
  Write(kOneWaiver);
  SnapshotStore store;
  Inventory inventory({}, store);
  ConfigReloader reloader({"--config.file=" + path_}, {}, kBuildInfo, inventory,
                          Running());

  Write(std::string(kTwoWaivers) +
        "  - check: \"3.18\"\n    host: true\n    reason: lab\n"
        "    expires: 2099-01-01\n");
  ASSERT_FALSE(reloader.Reload().has_value());
  const auto lines = Lines(reloader);
  EXPECT_THAT(lines, Contains("docker_compliance_waivers{state=\"active\"} 2"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_waivers{state=\"expired\"} 1"));
}

TEST_F(ConfigReloaderTest, RestartOnlyKeysCompareMeaning) {
  Write("docker:\n  timeout: 10s\nweb:\n  listen_address: \":9795\"\n");
  const Options running = Running();

  Write(
      "docker:\n  timeout: 10000ms\n  refresh_interval: 1m\nweb:\n"
      "  listen_address: \"127.0.0.1:9795\"\npath:\n  procfs: /\n"
      "checks:\n  disable: [privileged]\n");
  const Options reloaded = Running();
  EXPECT_EQ(ChangedRestartOnlyKeys(running.restart_only_settings,
                                   reloaded.restart_only_settings),
            (std::vector<std::string>{"docker.refresh_interval", "path.procfs",
                                      "web.listen_address"}));
  EXPECT_TRUE(ChangedRestartOnlyKeys(running.restart_only_settings,
                                     running.restart_only_settings)
                  .empty());
}

TEST(ChangedRestartOnlyKeys, NamesEachDifference) {
  const std::map<std::string, std::string, std::less<>> running = {
      {"collector.host", "false"}, {"log.level", "info"}};
  const std::map<std::string, std::string, std::less<>> reloaded = {
      {"collector.host", "true"}, {"log.level", "info"}};
  EXPECT_EQ(ChangedRestartOnlyKeys(running, reloaded),
            std::vector<std::string>{"collector.host"});
}

}  // namespace
}  // namespace dce
