#include "collectors/checks.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

nlohmann::json Inspect(const char* text) { return nlohmann::json::parse(text); }

TEST(RootfsCheck, ReadOnlyPasses) {
  const auto result = CheckRootfsReadonly(
      Inspect(R"({"HostConfig": {"ReadonlyRootfs": true}})"));
  EXPECT_EQ(result.outcome, Outcome::kPass);
  EXPECT_EQ(result.reason, "the root filesystem is read-only");
}

TEST(RootfsCheck, WritableFails) {
  const auto result = CheckRootfsReadonly(
      Inspect(R"({"HostConfig": {"ReadonlyRootfs": false}})"));
  EXPECT_EQ(result.outcome, Outcome::kFail);
  EXPECT_EQ(result.reason, "the root filesystem is writable");
}

TEST(RootfsCheck, MissingFieldIsUnknown) {
  // Other checkers treat a missing field as a pass; a missing field proves
  // nothing.
  const auto result = CheckRootfsReadonly(Inspect(R"({"HostConfig": {}})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason, "HostConfig.ReadonlyRootfs is missing");
}

TEST(RootfsCheck, NullFieldIsUnknown) {
  const auto result = CheckRootfsReadonly(
      Inspect(R"({"HostConfig": {"ReadonlyRootfs": null}})"));
  EXPECT_EQ(result.outcome, Outcome::kUnknown);
  EXPECT_EQ(result.reason,
            "HostConfig.ReadonlyRootfs is null, expected a boolean");
}

TEST(RootfsCheck, WrongTypeIsUnknown) {
  for (const char* document :
       {R"({"HostConfig": {"ReadonlyRootfs": "true"}})",
        R"({"HostConfig": {"ReadonlyRootfs": 1}})",
        R"({"HostConfig": {"ReadonlyRootfs": [true]}})"}) {
    EXPECT_EQ(CheckRootfsReadonly(Inspect(document)).outcome, Outcome::kUnknown)
        << document;
  }
}

TEST(RootfsCheck, MissingHostConfigIsUnknown) {
  EXPECT_EQ(CheckRootfsReadonly(Inspect(R"({"Id": "abc"})")).outcome,
            Outcome::kUnknown);
  EXPECT_EQ(CheckRootfsReadonly(Inspect(R"({"HostConfig": null})")).outcome,
            Outcome::kUnknown);
  EXPECT_EQ(CheckRootfsReadonly(Inspect(R"({"HostConfig": "x"})")).outcome,
            Outcome::kUnknown);
}

// Trimmed documents in the shape each engine family returns, with the
// fields around ReadonlyRootfs that differ between them.
TEST(RootfsCheck, JudgesDocumentsFromEachEngineFamily) {
  struct Case {
    const char* engine;
    const char* document;
    Outcome expected;
  };
  const Case cases[] = {
      {"Docker 20.10, API 1.41",
       R"({"Id": "f37f", "Name": "/ro", "State": {"Status": "running"},
           "HostConfig": {"NetworkMode": "default", "ReadonlyRootfs": true,
                          "Privileged": false, "CapAdd": null}})",
       Outcome::kPass},
      {"Docker 28, API 1.50",
       R"({"Id": "a1b2", "Name": "/web", "State": {"Status": "created"},
           "HostConfig": {"NetworkMode": "bridge", "ReadonlyRootfs": false,
                          "Annotations": null, "CgroupnsMode": "private"},
           "ImageManifestDescriptor": {"mediaType": "x"}})",
       Outcome::kFail},
      {"Podman 4.3 compatibility API",
       R"({"Id": "c3d4", "Name": "db", "State": {"Status": "configured"},
           "HostConfig": {"ReadonlyRootfs": true, "CgroupManager": "systemd"}})",
       Outcome::kPass},
  };
  for (const auto& test_case : cases) {
    EXPECT_EQ(CheckRootfsReadonly(Inspect(test_case.document)).outcome,
              test_case.expected)
        << test_case.engine;
  }
}

TEST(Outcome, NamesAreLabelValues) {
  EXPECT_EQ(OutcomeName(Outcome::kPass), "pass");
  EXPECT_EQ(OutcomeName(Outcome::kFail), "fail");
  EXPECT_EQ(OutcomeName(Outcome::kNotApplicable), "not_applicable");
  EXPECT_EQ(OutcomeName(Outcome::kUnknown), "unknown");
}

}  // namespace
}  // namespace dce
