#include "collectors/container_facts.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

nlohmann::json Parse(const char* text) { return nlohmann::json::parse(text); }

TEST(ContainerFacts, ReadsConfiguredSettings) {
  const auto facts = ExtractContainerFacts(Parse(R"({
    "State": {"Running": false},
    "HostConfig": {
      "Privileged": true, "Memory": 67108864, "PidsLimit": 100,
      "NetworkMode": "host", "PidMode": "", "IpcMode": "private",
      "UTSMode": "host", "UsernsMode": "",
      "PortBindings": {"80/tcp": [{"HostIp": "", "HostPort": "80"},
                                  {"HostIp": "::", "HostPort": "80"}],
                       "443/tcp": null},
      "CapAdd": ["NET_ADMIN", "SYS_TIME"],
      "Ulimits": [{"Name": "nofile", "Soft": 1024, "Hard": 2048}]}})"));
  EXPECT_EQ(facts.privileged, true);
  EXPECT_EQ(facts.memory_limit_bytes, 67108864);
  EXPECT_EQ(facts.pids_limit, 100);
  EXPECT_EQ(facts.host_namespaces[0], true);   // network
  EXPECT_EQ(facts.host_namespaces[1], false);  // pid
  EXPECT_EQ(facts.host_namespaces[2], false);  // ipc
  EXPECT_EQ(facts.host_namespaces[3], true);   // uts
  EXPECT_EQ(facts.host_namespaces[4], false);  // user
  EXPECT_EQ(facts.published_ports, 2);
  EXPECT_EQ(facts.capabilities_added, 2);
  EXPECT_EQ(facts.ulimits_overridden, 1);
}

TEST(ContainerFacts, RunningContainerCountsActualBindings) {
  const auto facts = ExtractContainerFacts(Parse(R"({
    "State": {"Running": true},
    "HostConfig": {"PortBindings": {"80/tcp": [{"HostPort": "80"}]}},
    "NetworkSettings": {"Ports": {"80/tcp": [
        {"HostIp": "0.0.0.0", "HostPort": "80"},
        {"HostIp": "::", "HostPort": "80"}], "8080/tcp": null}}})"));
  EXPECT_EQ(facts.published_ports, 2);
}

TEST(ContainerFacts, NullListsCountAsEmpty) {
  const auto facts = ExtractContainerFacts(Parse(R"({
    "HostConfig": {"CapAdd": null, "Ulimits": null, "PortBindings": null,
                   "PidsLimit": null}})"));
  EXPECT_EQ(facts.capabilities_added, 0);
  EXPECT_EQ(facts.ulimits_overridden, 0);
  EXPECT_EQ(facts.published_ports, 0);
  EXPECT_EQ(facts.pids_limit, 0);
}

TEST(ContainerFacts, MissingOrWrongTypesHaveNoValue) {
  const auto facts = ExtractContainerFacts(Parse(R"({
    "HostConfig": {"Privileged": "yes", "Memory": "64m", "CapAdd": "ALL",
                   "NetworkMode": 5}})"));
  EXPECT_FALSE(facts.privileged.has_value());
  EXPECT_FALSE(facts.memory_limit_bytes.has_value());
  EXPECT_FALSE(facts.pids_limit.has_value());
  EXPECT_FALSE(facts.capabilities_added.has_value());
  EXPECT_FALSE(facts.ulimits_overridden.has_value());
  EXPECT_FALSE(facts.host_namespaces[0].has_value());
  EXPECT_FALSE(facts.published_ports.has_value());
}

}  // namespace
}  // namespace dce
