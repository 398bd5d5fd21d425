#include "exporter/duration.h"

#include <gtest/gtest.h>

namespace dce {
namespace {

using std::chrono::milliseconds;

TEST(Duration, ParsesPrometheusDurations) {
  struct Case {
    const char* text;
    long long milliseconds;
  };
  const Case cases[] = {
      {"0", 0},
      {"0s", 0},
      {"500ms", 500},
      {"15s", 15'000},
      {"5m", 300'000},
      {"1h30m", 5'400'000},
      {"1m30s", 90'000},
      {"2d", 172'800'000},
      {"1w", 604'800'000},
      {"1y", 31'536'000'000},
      {"1s500ms", 1'500},
  };
  for (const auto& test_case : cases) {
    const auto parsed = ParseDuration(test_case.text);
    ASSERT_TRUE(parsed.has_value()) << test_case.text;
    EXPECT_EQ(parsed->count(), test_case.milliseconds) << test_case.text;
  }
}

TEST(Duration, RejectsMalformedDurations) {
  for (const char* text :
       {"", "abc", "10", "s", "-5s", "1.5s", "5 m", "30s1m", "1m1m", "5S",
        "1h 30m", "10sec", "99999999999999999999s", "9223372036854775807y"}) {
    EXPECT_FALSE(ParseDuration(text).has_value()) << text;
  }
}

TEST(Duration, FormatsLikeItParses) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(15'000)), "15s");
  EXPECT_EQ(FormatDuration(milliseconds(5'400'000)), "1h30m");
  EXPECT_EQ(FormatDuration(milliseconds(1'500)), "1s500ms");
}

}  // namespace
}  // namespace dce
