#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <locale>
#include <set>
#include <sstream>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "collectors/snapshot_collector.h"
#include "collectors/utf8.h"
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
  return SnapshotCollector(store, kBuildInfo).Render();
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
      "docker_compliance_refresh_failures_total{stage=\"info\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"networks\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"images\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"inspect\"} 1",
      "docker_compliance_refresh_failures_total{stage=\"top\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"exec\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"image\"} 0",
      "docker_compliance_refresh_failures_total{stage=\"service\"} 0",
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
  // The check families have tests of their own below; keep the families
  // named in `expected`.
  std::set<std::string> families;
  for (const auto& line : expected) {
    if (line.starts_with("# TYPE ")) {
      families.insert(line.substr(7, line.find(' ', 7) - 7));
    }
  }
  std::vector<std::string> lines;
  for (const auto& line : Lines(Expose(UpSnapshot()))) {
    const std::size_t name_start = line.starts_with("# ") ? 7 : 0;
    const std::string name = line.substr(
        name_start, line.find_first_of(" {", name_start) - name_start);
    if (families.contains(name)) {
      lines.push_back(line);
    }
  }
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(lines[i], expected[i]) << "line " << i + 1;
  }
}

TEST(Exposition, CheckResultsAndOutcomeCounts) {
  Snapshot snapshot = UpSnapshot();
  const auto checks = ContainerChecks();
  snapshot.containers[0].results.assign(checks.size(),
                                        {Outcome::kNotApplicable, ""});
  snapshot.containers[1].results.assign(checks.size(), {Outcome::kUnknown, ""});
  snapshot.containers[0].results[0] = {Outcome::kFail, "user is root"};
  snapshot.containers[1].results[0] = {Outcome::kPass, "user is 1000"};
  snapshot.engine_results.assign(EngineChecks().size(), {Outcome::kFail, ""});
  const std::string first_key(checks[0].info.key);
  const std::string engine_key(EngineChecks()[0].info.key);
  const auto lines = Lines(Expose(snapshot));

  EXPECT_THAT(lines, Contains("docker_compliance_container_check_passed{"
                              "check=\"" +
                              first_key + "\",name=\"db\"} 0"));
  EXPECT_THAT(lines, Contains("docker_compliance_container_check_passed{"
                              "check=\"" +
                              first_key + "\",name=\"web\"} 1"));
  EXPECT_THAT(lines, Contains("docker_compliance_engine_check_passed{check=\"" +
                              engine_key + "\"} 0"));
  const std::string second_key(checks[1].info.key);
  EXPECT_THAT(lines, Not(Contains(::testing::HasSubstr("check_passed{check=\"" +
                                                       second_key + "\""))));

  for (const auto& [outcome, count] :
       std::vector<std::pair<std::string, std::string>>{{"pass", "1"},
                                                        {"fail", "1"},
                                                        {"not_applicable", "0"},
                                                        {"unknown", "0"}}) {
    EXPECT_THAT(lines, Contains("docker_compliance_check_outcomes{check=\"" +
                                first_key + "\",outcome=\"" + outcome + "\"} " +
                                count));
  }
  EXPECT_THAT(lines, Contains("docker_compliance_check_outcomes{check=\"" +
                              second_key + "\",outcome=\"unknown\"} 1"));
}

TEST(Exposition, CheckInfoDescribesEveryCheck) {
  const auto lines = Lines(Expose(UpSnapshot()));
  const auto info_lines =
      std::count_if(lines.begin(), lines.end(), [](const std::string& line) {
        return line.starts_with("docker_compliance_check_info{");
      });
  EXPECT_EQ(
      static_cast<std::size_t>(info_lines),
      ContainerChecks().size() + EngineChecks().size() + HostChecks().size());
  EXPECT_THAT(lines,
              Contains("docker_compliance_check_info{assessment=\"automated\","
                       "benchmark=\"CIS Docker Benchmark v1.6.0\","
                       "check=\"rootfs_readonly\",cis_id=\"5.13\",level=\"1\","
                       "title=\"Ensure that the container's root filesystem is "
                       "mounted as read only\"} 1"));
}

TEST(Exposition, UnknownOutcomeHasNoSample) {
  Snapshot snapshot = UpSnapshot();
  snapshot.containers.push_back(Container("mystery", Outcome::kUnknown));
  const auto lines = Lines(Expose(snapshot));
  EXPECT_THAT(lines,
              Not(Contains(::testing::StartsWith(
                  "docker_container_rootfs_readonly{name=\"mystery\"}"))));
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

TEST(Exposition, EventStreamFamiliesWhenFollowed) {
  SnapshotStore store;
  EventStreamStatus events;
  events.SetConnected(true);
  events.CountEvent("start");
  events.CountEvent("exec_start");
  events.CountFailure();
  const auto lines =
      Lines(SnapshotCollector(store, kBuildInfo, &events).Render());
  EXPECT_THAT(lines, Contains("docker_compliance_event_stream_connected 1"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_events_total{action=\"start\"} 1"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_events_total{action=\"other\"} 1"));
  EXPECT_THAT(lines, Contains("docker_compliance_refresh_failures_total{"
                              "stage=\"events\"} 1"));

  events.SetConnected(false);
  const auto after =
      Lines(SnapshotCollector(store, kBuildInfo, &events).Render());
  EXPECT_THAT(after, Contains("docker_compliance_event_stream_connected 0"));
}

TEST(Exposition, NoEventStreamFamiliesWithoutStream) {
  SnapshotStore store;
  const std::string text = SnapshotCollector(store, kBuildInfo).Render();
  EXPECT_EQ(text.find("docker_compliance_event_stream_connected"),
            std::string::npos);
  EXPECT_EQ(text.find("stage=\"events\""), std::string::npos);
}

TEST(Exposition, WaivedResultsKeepTheirOutcome) {
  Snapshot snapshot = UpSnapshot();
  const auto checks = ContainerChecks();
  snapshot.containers[0].results.assign(checks.size(), {Outcome::kPass, ""});
  snapshot.containers[0].results[0] = {Outcome::kFail, "user is root"};
  snapshot.containers[0].waivers.resize(checks.size());
  snapshot.containers[0].waivers[0] =
      AppliedWaiver{"legacy", "2030-01-01", true};
  snapshot.containers[0].waivers[1] = AppliedWaiver{"old", "2020-01-01", false};
  const auto engine_checks = EngineChecks();
  snapshot.engine_results.assign(engine_checks.size(), {Outcome::kFail, ""});
  snapshot.engine_waivers.resize(engine_checks.size());
  snapshot.engine_waivers[0] = AppliedWaiver{"lab", "2030-01-01", true};

  const auto lines = Lines(Expose(snapshot));
  const std::string first = std::string(checks[0].info.key);
  const std::string second = std::string(checks[1].info.key);
  EXPECT_THAT(lines, Contains("docker_compliance_container_check_passed{"
                              "check=\"" +
                              first + "\",name=\"db\"} 0"));
  EXPECT_THAT(lines, Contains("docker_compliance_container_check_waived{"
                              "check=\"" +
                              first + "\",name=\"db\"} 1"));
  EXPECT_THAT(lines, Contains("docker_compliance_container_check_waived{"
                              "check=\"" +
                              second + "\",name=\"db\"} 0"));
  EXPECT_THAT(lines,
              Contains("docker_compliance_engine_check_waived{"
                       "check=\"" +
                       std::string(engine_checks[0].info.key) + "\"} 1"));
  std::size_t waived_samples = 0;
  for (const auto& line : lines) {
    if (line.starts_with("docker_compliance_container_check_waived{")) {
      ++waived_samples;
    }
  }
  EXPECT_EQ(waived_samples, 2u);
}

TEST(Exposition, HostWaiversAndDisabledHostChecks) {
  Snapshot snapshot = UpSnapshot();
  const auto checks = HostChecks();
  snapshot.host = HostRecord{};
  snapshot.host->results.assign(checks.size(), {Outcome::kFail, ""});
  snapshot.host_waivers.resize(checks.size());
  snapshot.host_waivers[0] = AppliedWaiver{"lab", "2030-01-01", true};
  snapshot.host_waivers[1] = AppliedWaiver{"old", "2020-01-01", false};
  snapshot.host_waivers[2] = AppliedWaiver{"off", "2030-01-01", true};
  snapshot.host_checks_enabled.assign(checks.size(), true);
  snapshot.host_checks_enabled[2] = false;
  const std::string first = std::string(checks[0].info.key);
  const std::string second = std::string(checks[1].info.key);
  const std::string disabled = std::string(checks[2].info.key);

  const auto lines = Lines(Expose(snapshot));
  EXPECT_THAT(lines, Contains("docker_compliance_host_check_passed{check=\"" +
                              first + "\"} 0"));
  EXPECT_THAT(lines, Contains("docker_compliance_host_check_waived{check=\"" +
                              first + "\"} 1"));
  EXPECT_THAT(lines, Contains("docker_compliance_host_check_waived{check=\"" +
                              second + "\"} 0"));
  std::size_t waived_samples = 0;
  for (const auto& line : lines) {
    if (line.starts_with("docker_compliance_host_check_waived{")) {
      ++waived_samples;
    }
    const bool check_series =
        line.starts_with("docker_compliance_host_check_") ||
        line.starts_with("docker_compliance_check_outcomes{");
    if (check_series) {
      EXPECT_EQ(line.find("check=\"" + disabled + "\""), std::string::npos)
          << line;
    }
  }
  EXPECT_EQ(waived_samples, 2u);
}

TEST(Exposition, ContainerInfoCarriesAllowListedLabels) {
  Snapshot snapshot = UpSnapshot();
  snapshot.containers[0].exported_labels = {
      {"label_com_example_team", "build"}};
  EXPECT_THAT(Lines(Expose(snapshot)),
              Contains("docker_container_info{id=\"id-db\",image=\"\","
                       "name=\"db\",state=\"\","
                       "label_com_example_team=\"build\"} 1"));
}

TEST(Exposition, ReplacesInvalidUtf8InLabelValues) {
  Snapshot snapshot = UpSnapshot();
  snapshot.containers[0].name = "db\xFF";
  snapshot.containers[0].image = "registry/\xC0\xAFimage";
  snapshot.containers[0].exported_labels = {
      {"label_team", "caf\xC3\xA9 \xED\xA0\x80"}};
  const std::string exposition = Expose(snapshot);
  EXPECT_TRUE(IsValidUtf8(exposition));
  // Each invalid byte becomes U+FFFD, and valid multibyte text is kept.
  EXPECT_THAT(
      Lines(exposition),
      Contains("docker_container_info{id=\"id-db\",image=\"registry/"
               "\xEF\xBF\xBD\xEF\xBF\xBDimage\",name=\"db\xEF\xBF\xBD\","
               "state=\"\",label_team=\"caf\xC3\xA9 \xEF\xBF\xBD\xEF\xBF\xBD"
               "\xEF\xBF\xBD\"} 1"));
  EXPECT_THAT(Lines(exposition),
              Contains("docker_container_rootfs_readonly{name="
                       "\"db\xEF\xBF\xBD\"} 0"));
}

TEST(Exposition, DisabledChecksHaveNoSeries) {
  Snapshot snapshot = UpSnapshot();
  const auto checks = ContainerChecks();
  snapshot.containers[0].results.assign(checks.size(), {Outcome::kFail, ""});
  snapshot.containers[0].waivers.assign(checks.size(),
                                        AppliedWaiver{"r", "2030-01-01", true});
  snapshot.container_checks_enabled.assign(checks.size(), false);
  snapshot.container_checks_enabled[1] = true;
  const std::string enabled = std::string(checks[1].info.key);
  const std::string disabled = std::string(checks[2].info.key);
  const auto lines = Lines(Expose(snapshot));
  EXPECT_THAT(lines, Contains("docker_compliance_container_check_passed{"
                              "check=\"" +
                              enabled + "\",name=\"db\"} 0"));
  EXPECT_THAT(lines, Contains("docker_compliance_check_outcomes{check=\"" +
                              enabled + "\",outcome=\"fail\"} 1"));
  for (const auto& line : lines) {
    const bool check_series =
        line.starts_with("docker_compliance_container_check_") ||
        line.starts_with("docker_compliance_check_outcomes{");
    if (check_series) {
      EXPECT_EQ(line.find("check=\"" + disabled + "\""), std::string::npos)
          << line;
    }
  }
}

// A collectable outside the snapshot, as the configuration reloader is.
class OneFamilyCollectable : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override {
    prometheus::ClientMetric sample;
    sample.gauge.value = 5;
    return {{"docker_compliance_exporter_test_value",
             "A value outside the snapshot.",
             prometheus::MetricType::Gauge,
             {sample}}};
  }
};

TEST(Exposition, MergesOtherCollectablesInNameOrder) {
  SnapshotStore store;
  store.Publish(std::make_shared<const Snapshot>(UpSnapshot()));
  const OneFamilyCollectable other;
  const auto lines =
      Lines(SnapshotCollector(store, kBuildInfo, nullptr, {&other}).Render());
  EXPECT_THAT(lines, Contains("docker_compliance_exporter_test_value 5"));

  std::vector<std::string> names;
  for (const auto& line : lines) {
    if (line.starts_with("# TYPE ")) {
      names.push_back(line.substr(7, line.find(' ', 7) - 7));
    }
  }
  ASSERT_GT(names.size(), 20u);
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
}

}  // namespace
}  // namespace dce
