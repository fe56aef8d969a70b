#include "platform/base/text.h"

#include <cstdint>
#include <utility>

namespace travio {

namespace {

// The well-formed UTF-8 sequence starting at `text[i]`: its length, with its code point in
// `code`; 0 when the bytes there are not one (overlong, a surrogate, above U+10FFFF, cut short).
size_t DecodeUtf8(std::string_view text, size_t i, uint32_t& code) {
  const auto c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    code = c;
    return 1;
  }
  size_t length = 0;
  if ((c & 0xe0) == 0xc0) {
    length = 2;
    code = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    length = 3;
    code = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    length = 4;
    code = c & 0x07;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(text[i + k]);
    if ((next & 0xc0) != 0x80) return 0;
    code = (code << 6) | (next & 0x3f);
  }
  const uint32_t minimum = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (code < minimum || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return 0;
  return length;
}

bool IsControl(uint32_t code) { return code < 0x20 || (code >= 0x7f && code <= 0x9f); }

// Characters that change how the text around them reads without showing themselves: the
// bidirectional controls (U+061C, U+200E/F, U+202A..E, U+2066..9), line and paragraph
// separators, the other invisible format and default-ignorable characters (soft hyphen, the
// combining grapheme joiner, U+17B4/5, U+180E, U+200B, U+2060..F, U+FEFF, U+FFF0..B, shorthand
// format controls, musical format marks, tags) and the Hangul fillers that display as nothing.
// U+200C and U+200D stay (Bangla spells with them), and so do the variation selectors (emoji,
// CJK and Mongolian spelling use them).
bool HidesText(uint32_t code) {
  static constexpr std::pair<uint32_t, uint32_t> kHidden[] = {
      {0x00ad, 0x00ad},   {0x034f, 0x034f},   {0x061c, 0x061c},   {0x115f, 0x1160},
      {0x17b4, 0x17b5},   {0x180e, 0x180e},   {0x200b, 0x200b},   {0x200e, 0x200f},
      {0x2028, 0x202e},   {0x2060, 0x206f},   {0x3164, 0x3164},   {0xfeff, 0xfeff},
      {0xffa0, 0xffa0},   {0xfff0, 0xfffb},   {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a},
      {0xe0000, 0xe00ff}, {0xe01f0, 0xe0fff},
  };
  for (const auto& [first, last] : kHidden) {
    if (code >= first && code <= last) return true;
  }
  return false;
}

}  // namespace

bool IsPrintableUtf8(std::string_view text) {
  for (size_t i = 0; i < text.size();) {
    uint32_t code = 0;
    const size_t length = DecodeUtf8(text, i, code);
    if (length == 0 || IsControl(code)) return false;
    i += length;
  }
  return true;
}

std::string FitPrintableUtf8(std::string_view text, size_t max_bytes) {
  constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
  std::string fit;
  for (size_t i = 0; i < text.size();) {
    uint32_t code = 0;
    const size_t length = DecodeUtf8(text, i, code);
    std::string_view piece = length == 0                          ? kReplacement
                             : IsControl(code) || HidesText(code) ? std::string_view("?")
                                                                  : text.substr(i, length);
    if (fit.size() + piece.size() > max_bytes) break;
    fit.append(piece);
    i += length == 0 ? 1 : length;
  }
  return fit;
}

size_t CodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace travio
