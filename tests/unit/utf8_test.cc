#include "collectors/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace dce {
namespace {

// U+FFFD as UTF-8.
const std::string kReplacement = "\xEF\xBF\xBD";

std::string Replacements(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) {
    text += kReplacement;
  }
  return text;
}

TEST(Utf8, AsciiAndEmptyAreKept) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_EQ(ToValidUtf8(""), "");
  EXPECT_TRUE(IsValidUtf8("alice \"quoted\" \\ \n"));
  EXPECT_EQ(ToValidUtf8("alice"), "alice");
}

TEST(Utf8, ValidMultibyteIsKept) {
  // Two, three and four bytes, and the edges of the code space.
  const std::string cases[] = {
      // Joined with +, because "\xA9a" would read as one escape.
      std::string("b\xC3\xA9") + "atrice",  // U+00E9
      "\xE2\x82\xAC",                       // U+20AC
      "\xF0\x9F\x90\xB3",                   // U+1F433
      "\xC2\x80",          // U+0080, the first two-byte code point
      "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
      "\xEE\x80\x80",      // U+E000, just above them
      "\xEF\xBF\xBF",      // U+FFFF
      "\xF4\x8F\xBF\xBF",  // U+10FFFF, the last code point
      kReplacement,
  };
  for (const auto& text : cases) {
    EXPECT_TRUE(IsValidUtf8(text)) << text;
    EXPECT_EQ(ToValidUtf8(text), text);
  }
}

TEST(Utf8, LoneHighBytesAreReplacedEach) {
  for (int byte = 0x80; byte <= 0xFF; ++byte) {
    const std::string text =
        "a" + std::string(1, static_cast<char>(byte)) + "z";
    EXPECT_FALSE(IsValidUtf8(text)) << byte;
    EXPECT_EQ(ToValidUtf8(text), "a" + kReplacement + "z") << byte;
  }
}

TEST(Utf8, ContinuationBytesAloneAreReplacedEach) {
  EXPECT_EQ(ToValidUtf8("\x80\xBF\x80"), Replacements(3));
}

TEST(Utf8, OverlongEncodingsAreReplaced) {
  // "/" as two, three and four bytes; C0 and C1 never start a valid
  // sequence, and E0 and F0 reject the second bytes of overlong forms.
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_EQ(ToValidUtf8("\xC0\xAF"), Replacements(2));
  EXPECT_EQ(ToValidUtf8("\xC1\xBF"), Replacements(2));
  EXPECT_EQ(ToValidUtf8("\xE0\x80\xAF"), Replacements(3));
  EXPECT_EQ(ToValidUtf8("\xE0\x9F\xBF"), Replacements(3));
  EXPECT_EQ(ToValidUtf8("\xF0\x80\x80\xAF"), Replacements(4));
  EXPECT_EQ(ToValidUtf8("\xF0\x8F\xBF\xBF"), Replacements(4));
}

TEST(Utf8, SurrogatesAreReplaced) {
  // U+D800 and U+DFFF encoded as if they were code points, and a pair.
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_EQ(ToValidUtf8("\xED\xA0\x80"), Replacements(3));
  EXPECT_EQ(ToValidUtf8("\xED\xBF\xBF"), Replacements(3));
  EXPECT_EQ(ToValidUtf8("\xED\xA0\xBD\xED\xB0\xB3"), Replacements(6));
}

TEST(Utf8, AboveLastCodePointIsReplaced) {
  EXPECT_EQ(ToValidUtf8("\xF4\x90\x80\x80"), Replacements(4));
  EXPECT_EQ(ToValidUtf8("\xF5\x80\x80\x80"), Replacements(4));
}

TEST(Utf8, TruncatedSequenceIsOneReplacement) {
  // The maximal subpart of a sequence cut short becomes one U+FFFD, and the
  // byte that cut it is judged on its own.
  EXPECT_FALSE(IsValidUtf8("\xE2\x82"));
  EXPECT_EQ(ToValidUtf8("\xE2\x82"), kReplacement);
  EXPECT_EQ(ToValidUtf8("\xE2\x82x"), kReplacement + "x");
  EXPECT_EQ(ToValidUtf8("\xF0\x9F\x90"), kReplacement);
  EXPECT_EQ(ToValidUtf8("\xF0\x9F\x90\xE2\x82\xAC"),
            kReplacement + "\xE2\x82\xAC");
  EXPECT_EQ(ToValidUtf8("\xC3"), kReplacement);
  EXPECT_EQ(ToValidUtf8("end\xC3"), "end" + kReplacement);
}

TEST(Utf8, UnicodeReviewExample) {
  // The example of Unicode public review 121: F1 80 80 and E1 80 are each
  // the maximal subpart of a sequence, and C2 is cut short by "b".
  EXPECT_EQ(ToValidUtf8("a\xF1\x80\x80\xE1\x80\xC2"
                        "b"),
            "a" + Replacements(3) + "b");
}

TEST(Utf8, ValidTextAroundInvalidBytesIsKept) {
  EXPECT_EQ(ToValidUtf8("b\xE9"
                        "atrice \xC3\xA9t\xC3\xA9"),
            "b" + kReplacement + "atrice \xC3\xA9t\xC3\xA9");
  EXPECT_TRUE(IsValidUtf8(ToValidUtf8("\xFF\xFE\xC0\xE0\x80\xED\xA0")));
}

TEST(Utf8, NulBytesAreValid) {
  const std::string text("a\0b", 3);
  EXPECT_TRUE(IsValidUtf8(text));
  EXPECT_EQ(ToValidUtf8(text), text);
}

}  // namespace
}  // namespace dce
