#include "collectors/host_parsers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace dce {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

using namespace std::string_literals;

TEST(AuditWatches, WatchAndPathFilters) {
  const auto watches = ParseAuditWatches(
      "# comment -w /ignored\n"
      "-w /usr/bin/dockerd -k docker\n"
      "  -a always,exit -F path=/usr/bin/runc -F perm=x -k docker\n"
      "-a always,exit -F dir=/etc/docker -F perm=wa\n"
      "\n");
  EXPECT_THAT(watches,
              ElementsAre("/usr/bin/dockerd", "/usr/bin/runc", "/etc/docker"));
}

TEST(AuditWatches, RemovalAndDeleteAll) {
  const auto watches = ParseAuditWatches(
      "-w /etc/docker -k docker\n"
      "-D\n"
      "-w /usr/bin/dockerd -k docker\n"
      "-w /run/containerd -k docker\n"
      "-W /run/containerd -k docker\n");
  EXPECT_THAT(watches, ElementsAre("/usr/bin/dockerd"));
}

TEST(AuditWatches, OtherFiltersAreNotWatches) {
  EXPECT_THAT(ParseAuditWatches("-a always,exit -F arch=b64 -S mount\n"
                                "-w\n"
                                "-F key=path=/x\n"),
              IsEmpty());
}

TEST(Accounts, PasswdAndGroupNames) {
  HostAccounts accounts;
  ParsePasswd(
      "root:x:0:0:root:/root:/bin/bash\n"
      "alice:x:1500:1500::/home/alice:/bin/sh\n"
      "bob:x:1501:4242::/home/bob:/bin/sh\n"
      "broken line\n"
      "nouid:x:abc:1:::\n"
      "toor:x:0:0:second root:/root:/bin/sh\n",
      accounts);
  ParseGroup(
      "root:x:0:\n"
      "docker:x:4242:alice,carol\n"
      "bad:x:-1:\n",
      accounts);
  EXPECT_EQ(accounts.user_names.at(0), "root");
  EXPECT_EQ(accounts.user_names.at(1500), "alice");
  EXPECT_FALSE(accounts.user_names.contains(4242));
  EXPECT_EQ(accounts.group_names.at(4242), "docker");
  EXPECT_FALSE(accounts.group_ids.contains("bad"));
  EXPECT_THAT(GroupMembers(accounts, "docker"),
              ElementsAre("alice", "bob", "carol"));
  EXPECT_THAT(GroupMembers(accounts, "absent"), IsEmpty());
}

TEST(MountPoints, DecodesOctalEscapes) {
  const auto mounts = ParseMountPoints(
      "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
      "40 22 8:2 / /var/lib/docker rw - ext4 /dev/sda2 rw\n"
      "41 22 8:3 / /srv/my\\040data rw - ext4 /dev/sda3 rw\n"
      "short line\n");
  EXPECT_TRUE(mounts.contains("/"));
  EXPECT_TRUE(mounts.contains("/var/lib/docker"));
  EXPECT_TRUE(mounts.contains("/srv/my data"));
  EXPECT_EQ(mounts.size(), 3U);
}

TEST(DaemonJson, InvalidAndNonObjectAreErrors) {
  const auto invalid = ParseDaemonJson("{\"log-level\": ");
  ASSERT_FALSE(invalid.ok());
  EXPECT_EQ(invalid.error().message, "is not valid JSON");

  const auto array = ParseDaemonJson("[1]");
  ASSERT_FALSE(array.ok());
  EXPECT_THAT(array.error().message, HasSubstr("expected an object"));

  const auto good = ParseDaemonJson("{\"iptables\": false}");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good.value().at("iptables"), false);
}

TEST(CommandLine, SplitsAtNul) {
  EXPECT_THAT(SplitCommandLine("dockerd\0-H\0fd://\0"s),
              ElementsAre("dockerd", "-H", "fd://"));
}

TEST(DockerdFlags, FormsOfValues) {
  const auto flags = ParseDockerdFlags(
      {"-H", "fd://", "-Hunix:///run/a.sock", "-H=tcp://0.0.0.0:2376",
       "--host=tcp://127.0.0.1:2375", "--log-level", "debug", "--tlsverify",
       "--iptables=false", "--userland-proxy=0", "--data-root", "/srv/d",
       "--config-file=/etc/docker/other.json", "--unknown-flag", "value",
       "stray"});
  const auto& settings = flags.settings;
  EXPECT_EQ(settings.at("hosts").value,
            nlohmann::json({"fd://", "unix:///run/a.sock", "tcp://0.0.0.0:2376",
                            "tcp://127.0.0.1:2375"}));
  EXPECT_EQ(settings.at("log-level").value, "debug");
  EXPECT_EQ(settings.at("log-level").source, "--log-level");
  EXPECT_EQ(settings.at("tlsverify").value, true);
  EXPECT_EQ(settings.at("iptables").value, false);
  EXPECT_EQ(settings.at("userland-proxy").value, false);
  EXPECT_EQ(settings.at("data-root").value, "/srv/d");
  EXPECT_EQ(settings.at("unknown-flag").value, "value");
  EXPECT_EQ(flags.config_file, "/etc/docker/other.json");
  EXPECT_FALSE(settings.contains("config-file"));
}

TEST(DockerdFlags, BooleanTakesNoSeparateValue) {
  // A boolean flag's value follows `=` only, so "false" here is a stray
  // word, not the flag's value.
  const auto flags = ParseDockerdFlags({"--no-new-privileges", "false", "-D"});
  EXPECT_EQ(flags.settings.at("no-new-privileges").value, true);
  EXPECT_EQ(flags.settings.at("debug").value, true);
  EXPECT_EQ(flags.settings.at("debug").source, "-D");
}

TEST(DaemonSettings, FlagAndFileKeyConflict) {
  const auto flags = ParseDockerdFlags({"--log-level=debug", "-H", "fd://"});
  const auto merged = MergeDaemonSettings(
      flags, nlohmann::json{{"log-level", "info"}, {"iptables", false}});
  EXPECT_EQ(merged.conflicts.at("log-level"), "--log-level");
  EXPECT_FALSE(merged.settings.contains("log-level"));
  EXPECT_EQ(merged.settings.at("iptables").source, "daemon.json");
  EXPECT_EQ(merged.settings.at("hosts").source, "-H");
}

}  // namespace
}  // namespace dce
