#pragma once

#include <string>
#include <string_view>

namespace dce {

/// Returns whether `text` is well-formed UTF-8: no overlong encodings, no
/// surrogates (U+D800 to U+DFFF), nothing above U+10FFFF and no truncated
/// sequences.
bool IsValidUtf8(std::string_view text);

/// Returns `text` with each ill-formed sequence replaced by U+FFFD, the
/// replacement character, and valid text unchanged. Each maximal subpart
/// is one replacement: a lead byte with the continuation bytes that could
/// still complete it, or else a single byte. Unicode has recommended this
/// since version 5.2 (public review 121), so "\xE2\x82" becomes one U+FFFD
/// and the overlong "\xC0\xAF" two.
///
/// Strings read from outside the program, such as host user names, file
/// paths, engine labels and image names, go through it before they reach a
/// Prometheus label value or a report, because both must be valid UTF-8.
std::string ToValidUtf8(std::string_view text);

}  // namespace dce
