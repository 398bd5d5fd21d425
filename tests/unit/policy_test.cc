#include "collectors/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "collectors/check_catalogue.h"
#include "collectors/host_checks.h"
#include "collectors/report.h"

namespace dce {
namespace {

using std::chrono::sys_days;
using std::chrono::system_clock;
using namespace std::chrono_literals;

ContainerSelector NameSelector(const std::string& pattern) {
  ContainerSelector selector;
  selector.name_pattern = pattern;
  selector.name_regex = CompileNamePattern(pattern).value();
  return selector;
}

ContainerSelector LabelSelector(const std::vector<std::string>& matchers) {
  ContainerSelector selector;
  for (const auto& text : matchers) {
    selector.labels.push_back(ParseLabelMatcher(text).value());
  }
  return selector;
}

TEST(ContainerSelector, NamePatternIsAnchored) {
  const auto nil = NameSelector("nil");
  EXPECT_TRUE(nil.Matches("nil", {}));
  EXPECT_FALSE(nil.Matches("vanilla", {}));
  EXPECT_FALSE(nil.Matches("nil-2", {}));
  EXPECT_FALSE(nil.Matches("a-nil", {}));
}

TEST(ContainerSelector, PatternMatchesWholeName) {
  const auto web = NameSelector("web-[0-9]+");
  EXPECT_TRUE(web.Matches("web-12", {}));
  EXPECT_FALSE(web.Matches("web-12a", {}));
  EXPECT_FALSE(web.Matches("xweb-1", {}));
}

TEST(ContainerSelector, AlternationStaysAnchored) {
  // Without anchoring the whole expression, "a|b" would match "cab".
  const auto either = NameSelector("a|b");
  EXPECT_TRUE(either.Matches("b", {}));
  EXPECT_FALSE(either.Matches("cab", {}));
}

// std::regex recursed once per character here and overflowed the stack on
// names of tens of thousands of characters.
TEST(ContainerSelector, LongNameMatchesInLinearTime) {
  const auto any = NameSelector(".*");
  const std::string name(100'000, 'x');
  const auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(any.Matches(name, {}));
  EXPECT_FALSE(NameSelector("x*y").Matches(name, {}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

// A backtracking engine takes time exponential in the number of a's here.
TEST(ContainerSelector, NestedQuantifierDoesNotBacktrack) {
  const auto nested = NameSelector("(a+)+b");
  const std::string name(10'000, 'a');
  const auto started = std::chrono::steady_clock::now();
  EXPECT_FALSE(nested.Matches(name, {}));
  EXPECT_TRUE(nested.Matches(name + "b", {}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
}

TEST(CompileNamePattern, InvalidPatternNamesProblem) {
  const auto compiled = CompileNamePattern("web(");
  ASSERT_FALSE(compiled);
  EXPECT_EQ(compiled.error().message,
            "invalid regular expression \"web(\": missing ): web(");
  // RE2 has no backreferences, so a pattern with one is rejected at load
  // rather than matched differently.
  EXPECT_FALSE(CompileNamePattern("(a)\\1"));
}

TEST(LabelMatcher, ParsesThreeForms) {
  const auto exists = ParseLabelMatcher("team").value();
  EXPECT_EQ(exists.kind, LabelMatcher::Kind::kExists);
  EXPECT_EQ(exists.key, "team");
  const auto equals = ParseLabelMatcher("team=build").value();
  EXPECT_EQ(equals.kind, LabelMatcher::Kind::kEquals);
  EXPECT_EQ(equals.value, "build");
  const auto not_equals = ParseLabelMatcher("team!=build").value();
  EXPECT_EQ(not_equals.kind, LabelMatcher::Kind::kNotEquals);
  EXPECT_EQ(not_equals.key, "team");
  EXPECT_EQ(not_equals.value, "build");
  const auto value_with_equals = ParseLabelMatcher("url=a=b").value();
  EXPECT_EQ(value_with_equals.key, "url");
  EXPECT_EQ(value_with_equals.value, "a=b");
  EXPECT_FALSE(ParseLabelMatcher("!=x"));
}

TEST(LabelMatcher, MatchesLabels) {
  const ContainerLabels labels = {{"team", "build"}, {"empty", ""}};
  EXPECT_TRUE(LabelSelector({"team"}).Matches("x", labels));
  EXPECT_TRUE(LabelSelector({"empty"}).Matches("x", labels));
  EXPECT_FALSE(LabelSelector({"owner"}).Matches("x", labels));
  EXPECT_TRUE(LabelSelector({"team=build"}).Matches("x", labels));
  EXPECT_FALSE(LabelSelector({"team=web"}).Matches("x", labels));
  EXPECT_TRUE(LabelSelector({"team!=web"}).Matches("x", labels));
  EXPECT_FALSE(LabelSelector({"team!=build"}).Matches("x", labels));
  EXPECT_TRUE(LabelSelector({"owner!=x"}).Matches("x", labels));
  EXPECT_FALSE(LabelSelector({"team", "owner"}).Matches("x", labels));
}

TEST(ContainerScope, IncludeAndExclude) {
  ContainerScope scope;
  EXPECT_TRUE(scope.Contains("any", {}, "exited"));

  scope.include = {NameSelector("web-.*"), LabelSelector({"keep"})};
  scope.exclude = {NameSelector("web-old")};
  EXPECT_TRUE(scope.Contains("web-1", {}, "running"));
  EXPECT_TRUE(scope.Contains("db", {{"keep", "1"}}, "running"));
  EXPECT_FALSE(scope.Contains("db", {}, "running"));
  EXPECT_FALSE(scope.Contains("web-old", {}, "running"));
}

TEST(ContainerScope, RunningOnly) {
  ContainerScope scope;
  scope.running_only = true;
  EXPECT_TRUE(scope.Contains("web", {}, "running"));
  EXPECT_FALSE(scope.Contains("web", {}, "created"));
  EXPECT_FALSE(scope.Contains("web", {}, "exited"));
  EXPECT_FALSE(scope.Contains("web", {}, "paused"));
}

TEST(SanitizeLabelName, ReplacesInvalidCharacters) {
  EXPECT_EQ(SanitizeLabelName("team"), "label_team");
  EXPECT_EQ(SanitizeLabelName("com.example/owner"), "label_com_example_owner");
  EXPECT_EQ(SanitizeLabelName("a-b:c"), "label_a_b_c");
  EXPECT_EQ(SanitizeLabelName("Team_2"), "label_Team_2");
  // Each byte of a multi-byte character becomes one underscore.
  EXPECT_EQ(SanitizeLabelName("\xc3\xa9t\xc3\xa9"), "label___t__");
  EXPECT_EQ(SanitizeLabelName("9lives"), "label_9lives");
}

TEST(ParseExpiryDate, EndOfDayUtc) {
  using std::chrono::year;
  const auto end = ParseExpiryDate("2030-01-31");
  ASSERT_TRUE(end);
  EXPECT_EQ(*end, sys_days(year(2030) / 2 / 1));
  EXPECT_TRUE(ParseExpiryDate("2028-02-29"));
  EXPECT_FALSE(ParseExpiryDate("2027-02-29"));
  EXPECT_FALSE(ParseExpiryDate("2030-13-01"));
  EXPECT_FALSE(ParseExpiryDate("2030-1-31"));
  EXPECT_FALSE(ParseExpiryDate("2030-01-31T00:00:00Z"));
  EXPECT_FALSE(ParseExpiryDate("30-01-2030"));
  EXPECT_FALSE(ParseExpiryDate("+030-01-31"));
  EXPECT_TRUE(ParseExpiryDate("2199-12-31"));
  // Years outside 1678 to 2262 would overflow system_clock's nanosecond
  // count; the fuzzer found both ends.
  EXPECT_FALSE(ParseExpiryDate("6741-02-28"));
  EXPECT_FALSE(ParseExpiryDate("0002-02-28"));
  EXPECT_FALSE(ParseExpiryDate("1999-12-31"));
  EXPECT_TRUE(ParseExpiryDate("2000-01-01"));
}

Waiver ContainerWaiver(std::string check, ContainerSelector selector,
                       const std::string& expires) {
  Waiver waiver;
  waiver.check = std::move(check);
  waiver.containers = std::move(selector);
  waiver.reason = "reason for " + expires;
  waiver.expires = expires;
  waiver.expires_at = *ParseExpiryDate(expires);
  return waiver;
}

TEST(Waivers, HoldsThroughExpiryDay) {
  const Waiver waiver =
      ContainerWaiver("privileged", NameSelector("ci"), "2030-01-31");
  using std::chrono::year;
  const auto last_day = sys_days(year(2030) / 1 / 31);
  EXPECT_TRUE(waiver.ActiveAt(last_day + 23h + 59min));
  EXPECT_FALSE(waiver.ActiveAt(last_day + 24h));
}

TEST(Waivers, FindsByCheckAndSelector) {
  const std::vector<Waiver> waivers = {
      ContainerWaiver("privileged", NameSelector("ci-.*"), "2030-01-31"),
      ContainerWaiver("docker_socket_mounted", LabelSelector({"role=agent"}),
                      "2030-01-31")};
  const auto now = sys_days(std::chrono::year(2029) / 1 / 1);
  const auto found =
      FindContainerWaiver(waivers, "privileged", "ci-1", {}, now);
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->active);
  EXPECT_EQ(found->reason, "reason for 2030-01-31");
  EXPECT_FALSE(FindContainerWaiver(waivers, "privileged", "web", {}, now));
  EXPECT_FALSE(FindContainerWaiver(waivers, "host_network", "ci-1", {}, now));
  EXPECT_TRUE(FindContainerWaiver(waivers, "docker_socket_mounted", "x",
                                  {{"role", "agent"}}, now));
}

TEST(Waivers, ExpiredWaiverIsInactive) {
  const std::vector<Waiver> waivers = {
      ContainerWaiver("privileged", NameSelector("ci"), "2020-01-01")};
  const auto found =
      FindContainerWaiver(waivers, "privileged", "ci", {},
                          sys_days(std::chrono::year(2021) / 1 / 1));
  ASSERT_TRUE(found);
  EXPECT_FALSE(found->active);
}

TEST(Waivers, ActiveWinsOverExpired) {
  const std::vector<Waiver> waivers = {
      ContainerWaiver("privileged", NameSelector("ci.*"), "2020-01-01"),
      ContainerWaiver("privileged", LabelSelector({"ci"}), "2030-01-01")};
  const auto found =
      FindContainerWaiver(waivers, "privileged", "ci", {{"ci", ""}},
                          sys_days(std::chrono::year(2021) / 1 / 1));
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->active);
  EXPECT_EQ(found->expires, "2030-01-01");
}

TEST(Waivers, OverlapNeedsSameCheckAndSubject) {
  const Waiver a =
      ContainerWaiver("privileged", NameSelector("ci"), "2030-01-01");
  const Waiver same =
      ContainerWaiver("privileged", NameSelector("ci"), "2031-01-01");
  const Waiver other_name =
      ContainerWaiver("privileged", NameSelector("cd"), "2030-01-01");
  const Waiver other_check =
      ContainerWaiver("host_network", NameSelector("ci"), "2030-01-01");
  EXPECT_TRUE(WaiversOverlap(a, same));
  EXPECT_FALSE(WaiversOverlap(a, other_name));
  EXPECT_FALSE(WaiversOverlap(a, other_check));
}

TEST(Policy, EnabledChecksFromListsAndSections) {
  Policy policy;
  SetEnabledChecks(policy, {}, {"privileged"}, {"7"});
  const auto containers = ContainerChecks();
  for (std::size_t i = 0; i < containers.size(); ++i) {
    EXPECT_EQ(policy.ContainerCheckEnabled(i),
              containers[i].info.key != "privileged")
        << containers[i].info.key;
  }
  const auto engine = EngineChecks();
  for (std::size_t i = 0; i < engine.size(); ++i) {
    EXPECT_EQ(policy.EngineCheckEnabled(i),
              CisSection(engine[i].info.cis_id) != "7")
        << engine[i].info.key;
  }
}

TEST(Policy, ResolvesKeysAndCisIds) {
  EXPECT_EQ(ResolveCheck("5.5")->key, "privileged");
  EXPECT_EQ(ResolveCheck("privileged")->kind, CheckKind::kContainer);
  EXPECT_EQ(ResolveCheck("2.15")->kind, CheckKind::kEngine);
  EXPECT_FALSE(ResolveCheck("5"));
  EXPECT_TRUE(IsKnownSection("5"));
  EXPECT_FALSE(IsKnownSection("9"));
}

TEST(Policy, ResolvesHostChecks) {
  EXPECT_EQ(ResolveCheck("3.18")->key, "daemon_json_mode");
  EXPECT_EQ(ResolveCheck("3.18")->kind, CheckKind::kHost);
  EXPECT_EQ(ResolveCheck("audit_dockerd")->kind, CheckKind::kHost);
  EXPECT_TRUE(IsKnownSection("1"));
  EXPECT_TRUE(IsKnownSection("2"));
  EXPECT_TRUE(IsKnownSection("3"));
}

TEST(Policy, EnabledChecksCoverHost) {
  Policy policy;
  SetEnabledChecks(policy, {}, {"daemon_json_mode"}, {"1"});
  const auto host = HostChecks();
  ASSERT_EQ(policy.host_checks_enabled.size(), host.size());
  for (std::size_t i = 0; i < host.size(); ++i) {
    const bool disabled = host[i].info.key == "daemon_json_mode" ||
                          CisSection(host[i].info.cis_id) == "1";
    EXPECT_EQ(policy.HostCheckEnabled(i), !disabled) << host[i].info.key;
  }

  // Section 2 contains engine and host checks, and disabling it disables both.
  SetEnabledChecks(policy, {}, {}, {"2"});
  for (std::size_t i = 0; i < host.size(); ++i) {
    EXPECT_EQ(policy.HostCheckEnabled(i),
              CisSection(host[i].info.cis_id) != "2")
        << host[i].info.key;
  }
  const auto engine = EngineChecks();
  for (std::size_t i = 0; i < engine.size(); ++i) {
    EXPECT_EQ(policy.EngineCheckEnabled(i),
              CisSection(engine[i].info.cis_id) != "2")
        << engine[i].info.key;
  }
}

Waiver SubjectWaiver(const std::string& check, WaiverSubject subject,
                     const std::string& expires) {
  Waiver waiver;
  waiver.check = check;
  waiver.subject = subject;
  waiver.reason = "reason for " + check;
  waiver.expires = expires;
  waiver.expires_at = *ParseExpiryDate(expires);
  return waiver;
}

std::size_t HostCheckIndex(std::string_view key) {
  const auto checks = HostChecks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].info.key == key) {
      return i;
    }
  }
  ADD_FAILURE() << "no host check " << key;
  return 0;
}

Snapshot HostSnapshot() {
  Snapshot snapshot;
  snapshot.up = true;
  snapshot.engine_results.resize(EngineChecks().size(),
                                 CheckResult{Outcome::kPass, "fine"});
  snapshot.host = HostRecord{};
  snapshot.host->results.resize(HostChecks().size(),
                                CheckResult{Outcome::kPass, "fine"});
  snapshot.host->results[HostCheckIndex("daemon_json_mode")] = {
      Outcome::kFail, "/etc/docker/daemon.json is mode 0666"};
  return snapshot;
}

TEST(Policy, AppliesHostWaivers) {
  Policy policy;
  policy.waivers = {
      SubjectWaiver("daemon_json_mode", WaiverSubject::kHost, "2030-01-01"),
      SubjectWaiver("live_restore", WaiverSubject::kEngine, "2030-01-01")};
  Snapshot snapshot = HostSnapshot();
  ApplyPolicyToEngine(policy, sys_days(std::chrono::year(2029) / 1 / 1),
                      snapshot);

  const auto checks = HostChecks();
  ASSERT_EQ(snapshot.host_waivers.size(), checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(snapshot.host_waivers[i].has_value(),
              checks[i].info.key == "daemon_json_mode")
        << checks[i].info.key;
  }
  const auto& waiver =
      snapshot.host_waivers[HostCheckIndex("daemon_json_mode")];
  EXPECT_TRUE(waiver->active);
  EXPECT_EQ(waiver->reason, "reason for daemon_json_mode");
  // The engine waiver does not cover the host, nor the host one the engine.
  ASSERT_EQ(snapshot.engine_waivers.size(), EngineChecks().size());
  const auto engine_waived = std::count_if(
      snapshot.engine_waivers.begin(), snapshot.engine_waivers.end(),
      [](const auto& applied) { return applied.has_value(); });
  EXPECT_EQ(engine_waived, 1);
}

TEST(Policy, HostWaiversNeedHostCollector) {
  Policy policy;
  policy.waivers = {
      SubjectWaiver("daemon_json_mode", WaiverSubject::kHost, "2030-01-01")};
  Snapshot snapshot = HostSnapshot();
  snapshot.host.reset();
  ApplyPolicyToEngine(policy, sys_days(std::chrono::year(2029) / 1 / 1),
                      snapshot);
  EXPECT_TRUE(snapshot.host_waivers.empty());
  EXPECT_TRUE(snapshot.engine_waivers.empty());
}

TEST(Report, HostEntriesCarryWaiver) {
  Policy policy;
  policy.waivers = {
      SubjectWaiver("daemon_json_mode", WaiverSubject::kHost, "2030-01-01")};
  SetEnabledChecks(policy, {}, {"daemon_json_owner"}, {});
  Snapshot snapshot = HostSnapshot();
  ApplyPolicyToEngine(policy, sys_days(std::chrono::year(2029) / 1 / 1),
                      snapshot);
  const auto report = BuildReport(snapshot);

  const auto& checks = report["host"]["checks"];
  EXPECT_EQ(checks.size(), HostChecks().size() - 1);
  bool found = false;
  for (const auto& check : checks) {
    EXPECT_NE(check["check"], "daemon_json_owner");
    if (check["check"] == "daemon_json_mode") {
      found = true;
      EXPECT_EQ(check["outcome"], "fail");
      EXPECT_EQ(check["waiver"]["reason"], "reason for daemon_json_mode");
      EXPECT_EQ(check["waiver"]["expires"], "2030-01-01");
      EXPECT_EQ(check["waiver"]["active"], true);
    } else {
      EXPECT_FALSE(check.contains("waiver")) << check["check"];
    }
  }
  EXPECT_TRUE(found);
}

TEST(Policy, ExportsAllowListedLabelsOnly) {
  Policy policy;
  policy.exported_labels = {"com.example.team", "absent"};
  const auto exported =
      ExportedLabels(policy, {{"com.example.team", "build"}, {"secret", "x"}});
  ASSERT_EQ(exported.size(), 1u);
  EXPECT_EQ(exported[0].first, "label_com_example_team");
  EXPECT_EQ(exported[0].second, "build");
}

TEST(Policy, LabelsOfInspectKeepsStrings) {
  const auto inspect = nlohmann::json::parse(
      R"({"Config": {"Labels": {"a": "1", "b": 2, "c": null}}})");
  const ContainerLabels labels = LabelsOfInspect(inspect);
  EXPECT_EQ(labels, (ContainerLabels{{"a", "1"}}));
  EXPECT_TRUE(LabelsOfInspect(nlohmann::json::parse("{}")).empty());
}

TEST(Policy, AppliesWaiversToRecord) {
  Policy policy;
  policy.waivers = {
      ContainerWaiver("privileged", NameSelector("ci"), "2030-01-01")};
  ContainerRecord record;
  record.name = "ci";
  record.results.resize(ContainerChecks().size(),
                        CheckResult{Outcome::kFail, "x"});
  ApplyPolicyToContainer(policy, {}, sys_days(std::chrono::year(2029) / 1 / 1),
                         record);
  ASSERT_EQ(record.waivers.size(), record.results.size());
  const auto checks = ContainerChecks();
  for (std::size_t i = 0; i < checks.size(); ++i) {
    EXPECT_EQ(record.waivers[i].has_value(),
              checks[i].info.key == "privileged");
  }
}

TEST(Report, ShowsWaiverBesideRealOutcome) {
  Snapshot snapshot;
  snapshot.up = true;
  ContainerRecord record;
  record.name = "ci";
  record.results.resize(ContainerChecks().size(),
                        CheckResult{Outcome::kPass, "fine"});
  const auto checks = ContainerChecks();
  record.waivers.resize(checks.size());
  for (std::size_t i = 0; i < checks.size(); ++i) {
    if (checks[i].info.key == "privileged") {
      record.results[i] = {Outcome::kFail, "the container is privileged"};
      record.waivers[i] = AppliedWaiver{"nested engine", "2030-01-01", true};
    }
  }
  snapshot.containers = {record};
  const auto report = BuildReport(snapshot);
  bool found = false;
  for (const auto& check : report["containers"][0]["checks"]) {
    if (check["check"] == "privileged") {
      found = true;
      EXPECT_EQ(check["outcome"], "fail");
      EXPECT_EQ(check["waiver"]["reason"], "nested engine");
      EXPECT_EQ(check["waiver"]["expires"], "2030-01-01");
      EXPECT_EQ(check["waiver"]["active"], true);
    } else {
      EXPECT_FALSE(check.contains("waiver")) << check["check"];
    }
  }
  EXPECT_TRUE(found);
}

TEST(Report, LeavesOutDisabledChecks) {
  Snapshot snapshot;
  snapshot.up = true;
  ContainerRecord record;
  record.name = "web";
  record.results.resize(ContainerChecks().size());
  snapshot.containers = {record};
  Policy policy;
  SetEnabledChecks(policy, {"privileged"}, {}, {});
  ApplyPolicyToEngine(policy, system_clock::now(), snapshot);
  const auto report = BuildReport(snapshot);
  ASSERT_EQ(report["containers"][0]["checks"].size(), 1u);
  EXPECT_EQ(report["containers"][0]["checks"][0]["check"], "privileged");
}

}  // namespace
}  // namespace dce
