#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <locale>
#include <sstream>

#include "collectors/snapshot_collector.h"
#include "exporter/http_server.h"

namespace dce {
namespace {

using ::testing::Contains;
using ::testing::Not;

const BuildInfo kBuildInfo{"0.1.0", "abc123", "gcc 12"};

ContainerRecord Container(std::string name, Outcome rootfs) {
  ContainerRecord record;
  record.id = "id-" + name;
  record.name = std::move(name);
  record.rootfs_readonly = {rootfs, ""};
  return record;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::string Expose(const Snapshot& snapshot) {
  SnapshotStore store;
  store.Publish(std::make_shared<const Snapshot>(snapshot));
  return SerializeExposition(SnapshotCollector(store, kBuildInfo));
}

Snapshot UpSnapshot() {
  Snapshot snapshot;
  snapshot.up = true;
  snapshot.ready = true;
  snapshot.engine = EngineRecord{"20.10.24", "1.41", "linux", "amd64"};
  snapshot.last_success_timestamp_seconds = 1796400000.5;
  snapshot.refresh_duration_seconds = 0.25;
  snapshot.refresh_failures = {{"version", 2}, {"list", 0}, {"inspect", 1}};
  snapshot.containers = {Container("db", Outcome::kFail),
                         Container("web", Outcome::kPass)};
  return snapshot;
}

TEST(Exposition, RendersEveryFamilyLineByLine) {
  // Long lines are split into adjacent literals on purpose.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  const std::vector<std::string> expected = {
      "# HELP docker_compliance_containers Containers evaluated, including "
      "the last known ones kept while the engine is unreachable.",
      "# TYPE docker_compliance_containers gauge",
      "docker_compliance_containers 2",
      "# HELP docker_compliance_engine_info The Docker engine's version and "
      "the API version in use; always 1.",
      "# TYPE docker_compliance_engine_info gauge",
      "docker_compliance_engine_info{api_version=\"1.41\",arch=\"amd64\","
      "engine_version=\"20.10.24\",os=\"linux\"} 1",
      "# HELP docker_compliance_exporter_build_info The exporter's version, "
      "source revision and compiler; always 1.",
      "# TYPE docker_compliance_exporter_build_info gauge",
      "docker_compliance_exporter_build_info{compiler=\"gcc 12\","
      "revision=\"abc123\",version=\"0.1.0\"} 1",
      "# HELP docker_compliance_last_refresh_success_timestamp_seconds Unix "
      "time of the last successful refresh; 0 before the first.",
      "# TYPE docker_compliance_last_refresh_success_timestamp_seconds gauge",
      "docker_compliance_last_refresh_success_timestamp_seconds "
      "1796400000.5",
      "# HELP docker_compliance_refresh_duration_seconds How long the last "
      "refresh took, successful or not.",
      "# TYPE docker_compliance_refresh_duration_seconds gauge",
      "docker_compliance_refresh_duration_seconds 0.25",
      "# HELP docker_compliance_refresh_failures_total Failed engine "
      "requests and rejected engine responses since start, by refresh "
      "stage.",
      "# TYPE docker_compliance_refresh_failures_total counter",
      "docker_compliance_refresh_failures_total{stage=\"version\"} 2",
      "docker_compliance_refresh_failures_total{stage=\"list\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"inspect\"} 1",
      "# HELP docker_compliance_up Whether the last refresh reached the "
      "Docker engine (1) or not (0).",
      "# TYPE docker_compliance_up gauge",
      "docker_compliance_up 1",
      "# HELP docker_container_rootfs_readonly Whether the container's root "
      "filesystem is read-only (1) or writable (0), CIS Docker Benchmark "
      "5.13. No sample when the engine does not report it.",
      "# TYPE docker_container_rootfs_readonly gauge",
      "docker_container_rootfs_readonly{name=\"db\"} 0",
      "docker_container_rootfs_readonly{name=\"web\"} 1",
  };
  // NOLINTEND(bugprone-suspicious-missing-comma)
  const auto lines = Lines(Expose(UpSnapshot()));
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(lines[i], expected[i]) << "line " << i + 1;
  }
}

TEST(Exposition, UnknownOutcomeHasNoSample) {
  Snapshot snapshot = UpSnapshot();
  snapshot.containers.push_back(Container("mystery", Outcome::kUnknown));
  const auto lines = Lines(Expose(snapshot));
  EXPECT_THAT(lines, Not(Contains(::testing::HasSubstr("mystery"))));
  EXPECT_THAT(lines, Contains("docker_compliance_containers 3"));
}

TEST(Exposition, InitialSnapshotIsDownWithZeroCounters) {
  const auto lines = Lines(Expose(Snapshot{}));
  EXPECT_THAT(lines, Contains("docker_compliance_up 0"));
  EXPECT_THAT(lines, Contains("docker_compliance_containers 0"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_last_refresh_success_timestamp_"
                       "seconds 0"));
  for (const char* stage : {"version", "list", "inspect"}) {
    EXPECT_THAT(lines,
                Contains("docker_compliance_refresh_failures_total{stage=\"" +
                         std::string(stage) + "\"} 0"));
  }
  EXPECT_THAT(
      lines,
      Not(Contains(::testing::StartsWith("docker_compliance_engine_info{"))));
}

TEST(Exposition, EscapesHostileContainerNames) {
  Snapshot snapshot = UpSnapshot();
  snapshot.containers = {
      Container("quote\"back\\slash\nnewline", Outcome::kPass),
      Container("caf\xC3\xA9-\xE5\xAE\xB9\xE5\x99\xA8", Outcome::kFail)};
  const auto lines = Lines(Expose(snapshot));
  EXPECT_THAT(lines, Contains("docker_container_rootfs_readonly{name="
                              "\"quote\\\"back\\\\slash\\nnewline\"} 1"));
  EXPECT_THAT(lines, Contains("docker_container_rootfs_readonly{name="
                              "\"caf\xC3\xA9-\xE5\xAE\xB9\xE5\x99\xA8\"} 0"));
}

// A locale whose decimal separator is a comma, built in the test so that no
// system locale needs to be installed.
class CommaDecimal : public std::numpunct<char> {
 protected:
  char do_decimal_point() const override { return ','; }
  std::string do_grouping() const override { return "\3"; }
  char do_thousands_sep() const override { return '.'; }
};

TEST(Exposition, IgnoresGlobalLocale) {
  const std::locale previous = std::locale::global(
      std::locale(std::locale::classic(), new CommaDecimal));
  const auto lines = Lines(Expose(UpSnapshot()));
  std::locale::global(previous);

  EXPECT_THAT(lines, Contains("docker_compliance_refresh_duration_seconds "
                              "0.25"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_last_refresh_success_timestamp_"
                       "seconds 1796400000.5"));
}

}  // namespace
}  // namespace dce
