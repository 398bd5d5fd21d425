#include "exporter/report_formats.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <sstream>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "collectors/policy.h"
#include "collectors/report.h"
#include "exporter/check_command.h"

namespace dce {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// Returns a result for each check of `catalogue`: pass, unless `exceptions`
// names the check's key.
template <typename Catalogue>
std::vector<CheckResult> Results(
    Catalogue catalogue, const std::map<std::string, CheckResult>& exceptions) {
  std::vector<CheckResult> results;
  for (const auto& check : catalogue) {
    const auto found = exceptions.find(std::string(check.info.key));
    results.push_back(found == exceptions.end()
                          ? CheckResult{Outcome::kPass, "ok"}
                          : found->second);
  }
  return results;
}

ContainerRecord Container(
    std::string name, const std::map<std::string, CheckResult>& exceptions) {
  ContainerRecord record;
  record.id = "id-" + name;
  record.name = std::move(name);
  record.image = "busybox";
  record.state = "running";
  record.results = Results(ContainerChecks(), exceptions);
  return record;
}

// An engine with one failing check, and two containers listed out of name
// order: `web` with one outcome of each kind but pass, and `db` with a
// failing CIS level 2 check.
Snapshot FixedSnapshot() {
  Snapshot snapshot;
  snapshot.up = true;
  snapshot.ready = true;
  snapshot.engine = EngineRecord{"27.1.1", "1.46", "linux", "amd64"};
  snapshot.engine_results = Results(
      EngineChecks(),
      {{"rootless", {Outcome::kFail, "SecurityOptions has no name=rootless"}}});
  snapshot.containers.push_back(Container(
      "web",
      {{"apparmor_profile", {Outcome::kNotApplicable, "no AppArmor"}},
       {"privileged", {Outcome::kUnknown, "HostConfig.Privileged is missing"}},
       {"rootfs_readonly",
        {Outcome::kFail, "HostConfig.ReadonlyRootfs is false"}}}));
  snapshot.containers.push_back(Container(
      "db", {{"selinux_options", {Outcome::kFail, "no label option"}}}));
  snapshot.last_success_timestamp_seconds = 1'700'000'000;
  return snapshot;
}

std::size_t ContainerCheckIndex(std::string_view key) {
  const auto checks = ContainerChecks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].info.key == key) {
      return i;
    }
  }
  ADD_FAILURE() << "no container check " << key;
  return 0;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);) {
    lines.push_back(line);
  }
  return lines;
}

TEST(FormatTable, ListsFailingAndUnknownChecks) {
  const auto lines = Lines(FormatTable(BuildReport(FixedSnapshot()), false));
  // Long lines are split into adjacent literals, which clang-tidy takes for
  // a missing comma.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  const std::vector<std::string> expected = {
      "engine: 13 checks: 12 pass, 1 fail, 0 not_applicable, 0 unknown",
      "  FAIL    2.1   rootless  Run the Docker daemon as a non-root user, if "
      "possible: SecurityOptions has no name=rootless",
      "container db: 31 checks: 30 pass, 1 fail, 0 not_applicable, 0 unknown",
      "  FAIL    5.3   selinux_options  Ensure that, if applicable, SELinux "
      "security options are set: no label option",
      "container web: 31 checks: 28 pass, 1 fail, 1 not_applicable, 1 unknown",
      "  UNKNOWN 5.5   privileged  Ensure that privileged containers are not "
      "used: HostConfig.Privileged is missing",
      "  FAIL    5.13  rootfs_readonly  Ensure that the container's root "
      "filesystem is mounted as read only: HostConfig.ReadonlyRootfs is false",
      "summary: 3 subjects, 75 checks: 70 pass, 3 fail, 1 not_applicable, 1 "
      "unknown",
  };
  // NOLINTEND(bugprone-suspicious-missing-comma)
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(lines[i], expected[i]) << "line " << i + 1;
  }
}

TEST(FormatTable, ShowsWaiverAfterReason) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootfs_readonly"});
  for (auto& container : report.at("containers")) {
    for (auto& check : container.at("checks")) {
      check["waiver"] = {
          {"reason", "cache"}, {"expires", "2030-01-01"}, {"active", true}};
    }
  }
  EXPECT_THAT(FormatTable(report, false),
              HasSubstr("(waived until 2030-01-01: cache)\n"));
}

TEST(FormatTable, SummaryCountsWaivedFailures) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootfs_readonly"});
  std::size_t failures = 0;
  for (auto& container : report.at("containers")) {
    for (auto& check : container.at("checks")) {
      if (check.at("outcome") == "fail") {
        ++failures;
        check["waiver"] = {
            {"reason", "cache"}, {"expires", "2030-01-01"}, {"active", true}};
      }
    }
  }
  ASSERT_EQ(failures, 1u);
  EXPECT_THAT(FormatTable(report, false), HasSubstr("; 1 failure waived\n"));

  // An expired waiver no longer excuses the failure.
  for (auto& container : report.at("containers")) {
    for (auto& check : container.at("checks")) {
      if (check.contains("waiver")) {
        check["waiver"]["active"] = false;
      }
    }
  }
  EXPECT_THAT(FormatTable(report, false), Not(HasSubstr("waived\n")));
}

TEST(FormatTable, ColoursOnlyOutcomeLabels) {
  const std::string table = FormatTable(BuildReport(FixedSnapshot()), true);
  EXPECT_THAT(table, HasSubstr("  \x1b[31mFAIL\x1b[0m    5.13  rootfs"));
  EXPECT_THAT(table, HasSubstr("  \x1b[33mUNKNOWN\x1b[0m 5.5   privileged"));
  EXPECT_THAT(FormatTable(BuildReport(FixedSnapshot()), false),
              Not(HasSubstr("\x1b")));
}

TEST(FormatTable, EscapesControlCharacters) {
  Snapshot snapshot = FixedSnapshot();
  snapshot.containers[0].name = "web\x1b[2J\nx";
  const std::string table = FormatTable(BuildReport(snapshot), false);
  EXPECT_THAT(table, HasSubstr("container web\\x1b[2J\\x0ax: 31 checks"));
  EXPECT_THAT(table, Not(HasSubstr("\x1b")));
}

TEST(FormatTable, UnreachableEngine) {
  Snapshot snapshot;
  EXPECT_THAT(Lines(FormatTable(BuildReport(snapshot), false)),
              ElementsAre("engine: unreachable, or its API version is not "
                          "supported; no checks evaluated",
                          "summary: 0 subjects, 0 checks: 0 pass, 0 fail, 0 "
                          "not_applicable, 0 unknown"));
}

TEST(FormatJunit, OneTestcasePerCheck) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootless", "apparmor_profile", "selinux_options",
                        "privileged", "rootfs_readonly"});
  const auto lines = Lines(FormatJunit(report));
  // Long lines are split into adjacent literals, which clang-tidy takes for
  // a missing comma.
  // NOLINTBEGIN(bugprone-suspicious-missing-comma)
  const std::vector<std::string> expected = {
      R"(<?xml version="1.0" encoding="UTF-8"?>)",
      R"(<testsuites name="CIS Docker Benchmark v1.6.0" tests="9" )"
      R"(failures="3" errors="1" skipped="1">)",
      R"(  <testsuite name="engine" tests="1" failures="1" errors="0" )"
      R"(skipped="0">)",
      R"(    <testcase classname="engine" name="2.1 rootless">)",
      R"(      <failure message="SecurityOptions has no name=rootless"/>)",
      R"(    </testcase>)",
      R"(  </testsuite>)",
      R"(  <testsuite name="container/db" tests="4" failures="1" errors="0" )"
      R"(skipped="0">)",
      R"(    <testcase classname="container/db" name="5.2 apparmor_profile"/>)",
      R"(    <testcase classname="container/db" name="5.3 selinux_options">)",
      R"(      <failure message="no label option"/>)",
      R"(    </testcase>)",
      R"(    <testcase classname="container/db" name="5.5 privileged"/>)",
      R"(    <testcase classname="container/db" name="5.13 rootfs_readonly"/>)",
      R"(  </testsuite>)",
      R"(  <testsuite name="container/web" tests="4" failures="1" errors="1" )"
      R"(skipped="1">)",
      R"(    <testcase classname="container/web" name="5.2 apparmor_profile">)",
      R"(      <skipped message="no AppArmor"/>)",
      R"(    </testcase>)",
      R"(    <testcase classname="container/web" name="5.3 selinux_options"/>)",
      R"(    <testcase classname="container/web" name="5.5 privileged">)",
      R"(      <error message="HostConfig.Privileged is missing"/>)",
      R"(    </testcase>)",
      R"(    <testcase classname="container/web" name="5.13 rootfs_readonly">)",
      R"(      <failure message="HostConfig.ReadonlyRootfs is false"/>)",
      R"(    </testcase>)",
      R"(  </testsuite>)",
      R"(</testsuites>)",
  };
  // NOLINTEND(bugprone-suspicious-missing-comma)
  ASSERT_EQ(lines.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(lines[i], expected[i]) << "line " << i + 1;
  }
}

TEST(FormatJunit, EscapesHostileNamesAndReasons) {
  Snapshot snapshot = FixedSnapshot();
  snapshot.containers[0].name = "a\"b'c<d>&e";
  snapshot.containers[0].results[ContainerCheckIndex("rootfs_readonly")] = {
      Outcome::kFail, "x\ny\tz\x01\x1b\x7f<&>\xef\xbf\xbe!"};
  nlohmann::json report = BuildReport(snapshot);
  SelectChecks(report, {"rootfs_readonly"});
  const std::string junit = FormatJunit(report);
  EXPECT_THAT(junit, HasSubstr(R"(classname="container/a&quot;b&apos;c)"
                               R"(&lt;d&gt;&amp;e" name="5.13 )"));
  EXPECT_THAT(junit, HasSubstr("<failure message=\"x&#10;y&#9;z\x7f"
                               "&lt;&amp;&gt;!\"/>"));
  EXPECT_THAT(junit, Not(HasSubstr("\x01")));
  EXPECT_THAT(junit, Not(HasSubstr("\x1b")));
}

TEST(EscapeXml, EscapesMarkupCharacters) {
  EXPECT_EQ(EscapeXml(R"(<a href="x">'&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
}

TEST(EscapeXml, DropsForbiddenCharacters) {
  EXPECT_EQ(EscapeXml(std::string("a\0b\x1f\x08"
                                  "c",
                                  6)),
            "abc");
  EXPECT_EQ(EscapeXml("\xef\xbf\xbf\xef\xbf\xbe"), "");
  // U+FFFD, the replacement character, is allowed.
  EXPECT_EQ(EscapeXml("\xef\xbf\xbd"), "\xef\xbf\xbd");
  EXPECT_EQ(EscapeXml("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(EscapeXml, KeepsWhitespaceAsReferences) {
  EXPECT_EQ(EscapeXml("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
}

TEST(SelectChecks, KeepsOnlyNamedChecks) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootfs_readonly", "live_restore"});
  ASSERT_EQ(report["engine"]["checks"].size(), 1U);
  EXPECT_EQ(report["engine"]["checks"][0]["check"], "live_restore");
  for (const auto& container : report["containers"]) {
    ASSERT_EQ(container["checks"].size(), 1U);
    EXPECT_EQ(container["checks"][0]["check"], "rootfs_readonly");
  }
  EXPECT_EQ(report["version"], kReportVersion);
}

TEST(SelectChecks, EmptySelectionKeepsEveryCheck) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {});
  EXPECT_EQ(report, BuildReport(FixedSnapshot()));
}

TEST(CheckExitStatus, AnyFailureFails) {
  EXPECT_EQ(CheckExitStatus(BuildReport(FixedSnapshot()), FailOn::kAny),
            kExitCheckFailed);
}

TEST(CheckExitStatus, Level1IgnoresLevel2Failures) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  // selinux_options (5.3) is a CIS level 2 check, and only db fails it.
  SelectChecks(report, {"selinux_options"});
  EXPECT_EQ(CheckExitStatus(report, FailOn::kLevel1), 0);
  EXPECT_EQ(CheckExitStatus(report, FailOn::kAny), kExitCheckFailed);
}

TEST(CheckExitStatus, Level1FailureFails) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootfs_readonly"});
  EXPECT_EQ(CheckExitStatus(report, FailOn::kLevel1), kExitCheckFailed);
}

TEST(CheckExitStatus, UnknownAndNotApplicablePass) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"privileged", "apparmor_profile", "live_restore"});
  EXPECT_EQ(CheckExitStatus(report, FailOn::kAny), 0);
}

TEST(CheckExitStatus, ActiveWaiverAcceptsFailure) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootfs_readonly"});
  for (auto& container : report.at("containers")) {
    for (auto& check : container.at("checks")) {
      check["waiver"] = {
          {"reason", "r"}, {"expires", "2030-01-01"}, {"active", true}};
    }
  }
  EXPECT_EQ(CheckExitStatus(report, FailOn::kAny), 0);
}

TEST(CheckExitStatus, ExpiredWaiverStillFails) {
  nlohmann::json report = BuildReport(FixedSnapshot());
  SelectChecks(report, {"rootfs_readonly"});
  for (auto& container : report.at("containers")) {
    for (auto& check : container.at("checks")) {
      check["waiver"] = {
          {"reason", "r"}, {"expires", "2020-01-01"}, {"active", false}};
    }
  }
  EXPECT_EQ(CheckExitStatus(report, FailOn::kAny), kExitCheckFailed);
}

// The host passes every check but daemon_json_mode, which `expires` waives
// when given.
nlohmann::json HostReport(std::optional<std::string> expires) {
  Snapshot snapshot;
  snapshot.up = true;
  snapshot.engine_results.resize(EngineChecks().size(),
                                 CheckResult{Outcome::kPass, ""});
  snapshot.host = HostRecord{};
  const auto checks = HostChecks();
  for (const auto& check : checks) {
    snapshot.host->results.push_back(check.info.key == "daemon_json_mode"
                                         ? CheckResult{Outcome::kFail, "0666"}
                                         : CheckResult{Outcome::kPass, ""});
  }
  Policy policy;
  if (expires) {
    Waiver waiver;
    waiver.check = "daemon_json_mode";
    waiver.subject = WaiverSubject::kHost;
    waiver.reason = "lab";
    waiver.expires = *expires;
    waiver.expires_at = *ParseExpiryDate(*expires);
    policy.waivers.push_back(waiver);
  }
  const auto now = std::chrono::sys_days(std::chrono::year(2029) / 1 / 1);
  ApplyPolicyToEngine(policy, now, snapshot);
  return BuildReport(snapshot);
}

TEST(CheckExitStatus, WaivedHostFailurePasses) {
  EXPECT_EQ(CheckExitStatus(HostReport(std::nullopt), FailOn::kAny),
            kExitCheckFailed);
  EXPECT_EQ(CheckExitStatus(HostReport("2030-01-01"), FailOn::kAny), 0);
  EXPECT_EQ(CheckExitStatus(HostReport("2028-12-31"), FailOn::kAny),
            kExitCheckFailed);
}

TEST(CheckExitStatus, EngineDownIsThree) {
  Snapshot snapshot = FixedSnapshot();
  snapshot.up = false;
  EXPECT_EQ(CheckExitStatus(BuildReport(snapshot), FailOn::kAny),
            kExitEngineUnreachable);
}

TEST(ShouldColour, OnlyTerminalsWithoutNoColor) {
  EXPECT_TRUE(ShouldColour(true, std::nullopt));
  EXPECT_TRUE(ShouldColour(true, std::string()));
  EXPECT_FALSE(ShouldColour(true, std::string("1")));
  EXPECT_FALSE(ShouldColour(false, std::nullopt));
}

}  // namespace
}  // namespace dce
