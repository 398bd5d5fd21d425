#include "collectors/engine_facts.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

nlohmann::json Parse(const char* text) { return nlohmann::json::parse(text); }

TEST(EngineFacts, ReadsInfoCounts) {
  const auto info = Parse(R"({
    "ContainersRunning": 3, "ContainersPaused": 1, "ContainersStopped": 7,
    "SecurityOptions": ["name=apparmor", "name=seccomp,profile=builtin"],
    "Swarm": {"LocalNodeState": "active", "Managers": 3}})");
  const auto facts = ExtractEngineFacts(&info, nullptr, {});
  EXPECT_EQ(facts.containers_running, 3);
  EXPECT_EQ(facts.containers_paused, 1);
  EXPECT_EQ(facts.containers_stopped, 7);
  EXPECT_EQ(facts.swarm_managers, 3);
  EXPECT_EQ(facts.seccomp_profile, "builtin");
  EXPECT_FALSE(facts.images.has_value());
}

TEST(EngineFacts, SeccompProfileOfDocker2010) {
  const auto info = Parse(R"({
    "SecurityOptions": ["name=seccomp,profile=default", "name=cgroupns"]})");
  EXPECT_EQ(ExtractEngineFacts(&info, nullptr, {}).seccomp_profile, "default");
}

TEST(EngineFacts, NoSwarmManagersOutsideSwarm) {
  const auto info =
      Parse(R"({"Swarm": {"LocalNodeState": "inactive", "Managers": 0}})");
  EXPECT_FALSE(ExtractEngineFacts(&info, nullptr, {}).swarm_managers);
}

TEST(EngineFacts, CountsUnusedImages) {
  const auto images = Parse(R"([{"Id": "sha256:a"}, {"Id": "sha256:b"},
                                {"Id": "sha256:c"}])");
  const auto facts = ExtractEngineFacts(nullptr, &images, {"sha256:b"});
  EXPECT_EQ(facts.images, 3);
  EXPECT_EQ(facts.images_unused, 2);
}

TEST(EngineFacts, UnreadableImageIdLeavesUnusedUnknown) {
  const auto images = Parse(R"([{"Id": "sha256:a"}, {"Id": 5}])");
  const auto facts = ExtractEngineFacts(nullptr, &images, {});
  EXPECT_EQ(facts.images, 2);
  EXPECT_FALSE(facts.images_unused.has_value());
}

TEST(EngineFacts, WrongTypesHaveNoValue) {
  const auto info = Parse(R"({"ContainersRunning": "3",
                              "SecurityOptions": "name=seccomp"})");
  const auto facts = ExtractEngineFacts(&info, nullptr, {});
  EXPECT_FALSE(facts.containers_running.has_value());
  EXPECT_FALSE(facts.seccomp_profile.has_value());
}

}  // namespace
}  // namespace dce
