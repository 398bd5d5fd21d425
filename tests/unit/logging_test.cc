#include "exporter/logging.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace dce {
namespace {

TEST(Logfmt, LeavesPlainValuesBare) {
  EXPECT_EQ(FormatLogFields(LogFormat::kLogfmt, "listening",
                            {{"address", "127.0.0.1:9795"}}),
            "msg=listening address=127.0.0.1:9795");
}

TEST(Logfmt, QuotesAndEscapesValues) {
  EXPECT_EQ(FormatLogFields(LogFormat::kLogfmt, "engine request failed",
                            {{"err", "say \"hi\"\\\n"}, {"empty", ""}}),
            "msg=\"engine request failed\" err=\"say \\\"hi\\\"\\\\\\n\" "
            "empty=\"\"");
}

TEST(Logfmt, EscapesControlCharactersAndEquals) {
  EXPECT_EQ(FormatLogFields(LogFormat::kLogfmt, "m", {{"k", "a=b\x01"}}),
            "msg=m k=\"a=b\\x01\"");
}

TEST(JsonLog, WritesValidObjectMembers) {
  const std::string fields = FormatLogFields(LogFormat::kJson, "engine \"x\"",
                                             {{"err", "line\nbreak"}});
  const auto object = nlohmann::json::parse("{" + fields + "}");
  EXPECT_EQ(object["msg"], "engine \"x\"");
  EXPECT_EQ(object["err"], "line\nbreak");
}

TEST(JsonLog, ReplacesInvalidUtf8) {
  const std::string fields =
      FormatLogFields(LogFormat::kJson, "m", {{"name", "bad\xff"}});
  const auto object = nlohmann::json::parse("{" + fields + "}", nullptr, false);
  ASSERT_FALSE(object.is_discarded()) << fields;
  EXPECT_EQ(object["name"], "bad\xEF\xBF\xBD");
}

TEST(LogFlags, ParseKnownValuesOnly) {
  EXPECT_EQ(ParseLogLevel("warn"), LogLevel::kWarn);
  EXPECT_FALSE(ParseLogLevel("warning").has_value());
  EXPECT_FALSE(ParseLogLevel("INFO").has_value());
  EXPECT_EQ(ParseLogFormat("json"), LogFormat::kJson);
  EXPECT_FALSE(ParseLogFormat("xml").has_value());
}

}  // namespace
}  // namespace dce
