#include "collectors/utf8.h"

#include <cstddef>

namespace dce {
namespace {

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

// The length of the sequence that `lead` starts, and the range its second
// byte must fall in. The narrow ranges after E0, ED, F0 and F4 exclude
// overlong encodings, surrogates and code points above U+10FFFF (Unicode
// Standard, table 3-7 "Well-Formed UTF-8 Byte Sequences").
struct LeadByte {
  std::size_t length = 0;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
};

LeadByte DescribeLead(unsigned char lead) {
  if (lead < 0x80) {
    return {1, 0, 0};
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    return {2, 0x80, 0xBF};
  }
  if (lead == 0xE0) {
    return {3, 0xA0, 0xBF};
  }
  if (lead == 0xED) {
    return {3, 0x80, 0x9F};
  }
  if (lead >= 0xE1 && lead <= 0xEF) {
    return {3, 0x80, 0xBF};
  }
  if (lead == 0xF0) {
    return {4, 0x90, 0xBF};
  }
  if (lead >= 0xF1 && lead <= 0xF3) {
    return {4, 0x80, 0xBF};
  }
  if (lead == 0xF4) {
    return {4, 0x80, 0x8F};
  }
  // Continuation bytes alone, C0 and C1 (always overlong) and F5 to FF.
  return {0, 0, 0};
}

// Returns the number of bytes at `position` that form one valid code
// point, or 0 when they do not. `consumed` is set to the length of the
// sequence, or of the maximal subpart to replace, and is at least 1.
std::size_t MeasureSequence(std::string_view text, std::size_t position,
                            std::size_t* consumed) {
  const auto lead = static_cast<unsigned char>(text[position]);
  const LeadByte sequence = DescribeLead(lead);
  if (sequence.length == 0) {
    *consumed = 1;
    return 0;
  }

  std::size_t length = 1;
  while (length < sequence.length) {
    if (position + length >= text.size()) {
      *consumed = length;
      return 0;
    }
    const auto byte = static_cast<unsigned char>(text[position + length]);
    const unsigned char min = length == 1 ? sequence.second_min : 0x80;
    const unsigned char max = length == 1 ? sequence.second_max : 0xBF;
    if (byte < min || byte > max) {
      *consumed = length;
      return 0;
    }
    ++length;
  }
  *consumed = length;
  return length;
}

}  // namespace

bool IsValidUtf8(std::string_view text) {
  std::size_t position = 0;
  while (position < text.size()) {
    if (static_cast<unsigned char>(text[position]) < 0x80) {
      ++position;
      continue;
    }
    std::size_t consumed = 0;
    if (MeasureSequence(text, position, &consumed) == 0) {
      return false;
    }
    position += consumed;
  }
  return true;
}

std::string ToValidUtf8(std::string_view text) {
  if (IsValidUtf8(text)) {
    return std::string(text);
  }
  std::string valid;
  valid.reserve(text.size() + 8);
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t consumed = 0;
    if (MeasureSequence(text, position, &consumed) == 0) {
      valid += kReplacementCharacter;
    } else {
      valid.append(text.substr(position, consumed));
    }
    position += consumed;
  }
  return valid;
}

}  // namespace dce
