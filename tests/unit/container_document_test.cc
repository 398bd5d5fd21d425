#include "collectors/container_document.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

TEST(ContainerList, ParsesIdsAndNames) {
  const auto list = ParseContainerList(R"([
    {"Id": "aaa", "Names": ["/web"], "State": "running"},
    {"Id": "bbb", "Names": ["/db", "/web/db"]},
    {"Id": "ccc", "Names": []},
    {"Id": "ddd"}])");
  ASSERT_TRUE(list.ok()) << list.error().message;
  ASSERT_EQ(list.value().size(), 4u);
  EXPECT_EQ(list.value()[0].id, "aaa");
  EXPECT_EQ(list.value()[0].name, "web");
  EXPECT_EQ(list.value()[1].name, "db");
  EXPECT_EQ(list.value()[2].name, "");
  EXPECT_EQ(list.value()[3].name, "");
}

TEST(ContainerList, AcceptsEmptyArray) {
  const auto list = ParseContainerList("[]");
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list.value().empty());
}

TEST(ContainerList, RejectsDocumentsOfTheWrongShape) {
  EXPECT_FALSE(ParseContainerList("").ok());
  EXPECT_FALSE(ParseContainerList("[{\"Id\": \"a\"").ok());
  EXPECT_FALSE(ParseContainerList("{}").ok());
  EXPECT_FALSE(ParseContainerList("null").ok());
  EXPECT_FALSE(ParseContainerList(R"(["abc"])").ok());
  EXPECT_FALSE(ParseContainerList(R"([{"Id": 5}])").ok());
  EXPECT_FALSE(ParseContainerList(R"([{"Names": ["/x"]}])").ok());
}

TEST(ContainerInspect, AcceptsObjectWithId) {
  const auto inspect = ParseContainerInspect(R"({"Id": "abc", "Name": "/x"})");
  ASSERT_TRUE(inspect.ok()) << inspect.error().message;
  EXPECT_EQ(StringFieldOr(inspect.value(), "Name", ""), "/x");
}

TEST(ContainerInspect, RejectsDocumentsOfTheWrongShape) {
  EXPECT_FALSE(ParseContainerInspect("not json").ok());
  EXPECT_FALSE(ParseContainerInspect("[]").ok());
  EXPECT_FALSE(ParseContainerInspect("\"abc\"").ok());
  EXPECT_FALSE(ParseContainerInspect("{}").ok());
  EXPECT_FALSE(ParseContainerInspect(R"({"Id": null})").ok());
}

TEST(StringFieldOr, FallsBackForMissingOrWrongType) {
  const auto document = nlohmann::json::parse(R"({"a": "x", "b": 3})");
  EXPECT_EQ(StringFieldOr(document, "a", "f"), "x");
  EXPECT_EQ(StringFieldOr(document, "b", "f"), "f");
  EXPECT_EQ(StringFieldOr(document, "c", "f"), "f");
  EXPECT_EQ(StringFieldOr(nlohmann::json::array(), "a", "f"), "f");
}

TEST(StripLeadingSlash, RemovesOneSlashOnly) {
  EXPECT_EQ(StripLeadingSlash("/web"), "web");
  EXPECT_EQ(StripLeadingSlash("web"), "web");
  EXPECT_EQ(StripLeadingSlash("//web"), "/web");
  EXPECT_EQ(StripLeadingSlash(""), "");
}

}  // namespace
}  // namespace dce
