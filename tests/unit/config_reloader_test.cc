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

  std::string path_;
};

TEST_F(ConfigReloaderTest, ValidReloadReplacesWaivers) {
  Write(kOneWaiver);
  SnapshotStore store;
  Inventory inventory({}, store);
  ConfigReloader reloader({"--config.file=" + path_}, {}, kBuildInfo, inventory,
                          std::make_shared<const Policy>());

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
                          std::make_shared<const Policy>());
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

TEST(CollectableList, JoinsFamiliesSortedByName) {
  SnapshotStore store;
  Inventory inventory({}, store);
  const SnapshotCollector collector(store, kBuildInfo);
  const ConfigReloader reloader({}, {}, kBuildInfo, inventory,
                                std::make_shared<const Policy>());
  const CollectableList list({&collector, &reloader});
  const auto families = list.Collect();
  ASSERT_FALSE(families.empty());
  for (std::size_t i = 1; i < families.size(); ++i) {
    EXPECT_LT(families[i - 1].name, families[i].name);
  }
  EXPECT_EQ(families.size(),
            collector.Collect().size() + reloader.Collect().size());
}

}  // namespace
}  // namespace dce
