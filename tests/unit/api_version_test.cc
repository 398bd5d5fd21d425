#include "collectors/api_version.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

TEST(ApiVersion, ParsesMajorAndMinor) {
  const auto version = ParseApiVersion("1.41");
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(version->major, 1);
  EXPECT_EQ(version->minor, 41);
  EXPECT_EQ(version->ToString(), "1.41");
}

TEST(ApiVersion, RejectsMalformedText) {
  for (const char* text :
       {"", "1", "1.", ".41", "1.41.0", "v1.41", "a.b", "1.-4"}) {
    EXPECT_FALSE(ParseApiVersion(text).has_value()) << text;
  }
}

TEST(ApiVersion, ComparesNumericallyNotAsText) {
  EXPECT_LT((ApiVersion{1, 9}), (ApiVersion{1, 41}));
  EXPECT_LT((ApiVersion{1, 47}), (ApiVersion{2, 0}));
}

TEST(EngineVersion, ParsesDockerVersionDocument) {
  const auto engine = ParseEngineVersion(R"({
    "Version": "20.10.24+dfsg1", "ApiVersion": "1.41",
    "MinAPIVersion": "1.12", "Os": "linux", "Arch": "amd64"})");
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EXPECT_EQ(engine.value().engine_version, "20.10.24+dfsg1");
  EXPECT_EQ(engine.value().api_version, (ApiVersion{1, 41}));
  EXPECT_EQ(engine.value().os, "linux");
  EXPECT_EQ(engine.value().arch, "amd64");
}

TEST(EngineVersion, ParsesPodmanVersionDocument) {
  // Podman's compatibility API reports its own version under Version and
  // the Docker API version it emulates under ApiVersion.
  const auto engine = ParseEngineVersion(R"({
    "Platform": {"Name": "linux/amd64/debian-12"},
    "Components": [{"Name": "Podman Engine", "Version": "4.3.1"}],
    "Version": "4.3.1", "ApiVersion": "1.41", "MinAPIVersion": "1.24",
    "Os": "linux", "Arch": "amd64"})");
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  EXPECT_EQ(engine.value().api_version, (ApiVersion{1, 41}));
}

TEST(EngineVersion, RejectsDocumentsOfTheWrongShape) {
  EXPECT_FALSE(ParseEngineVersion("not json").ok());
  EXPECT_FALSE(ParseEngineVersion("[]").ok());
  EXPECT_FALSE(ParseEngineVersion("{}").ok());
  EXPECT_FALSE(ParseEngineVersion(R"({"ApiVersion": 1.41})").ok());
  EXPECT_FALSE(ParseEngineVersion(R"({"ApiVersion": null})").ok());
}

TEST(NegotiateApiVersion, UsesEngineVersionWithinRange) {
  const auto version = NegotiateApiVersion({"20.10.24", {1, 41}, "", ""});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version.value(), (ApiVersion{1, 41}));
}

TEST(NegotiateApiVersion, CapsNewerEngineAtNewestKnown) {
  const auto version = NegotiateApiVersion({"28.2.2", {1, 50}, "", ""});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version.value(), kMaxApiVersion);
}

TEST(NegotiateApiVersion, RejectsEngineOlderThanOldestSupported) {
  const auto version = NegotiateApiVersion({"19.03.15", {1, 40}, "", ""});
  ASSERT_FALSE(version.ok());
  EXPECT_NE(version.error().message.find("1.40"), std::string::npos);
  EXPECT_NE(version.error().message.find("1.41"), std::string::npos);
  EXPECT_NE(version.error().message.find("upgrade"), std::string::npos);
}

}  // namespace
}  // namespace dce
