#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace travio {

/// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without C0 or
/// C1 control characters or DEL: text fit for names, labels and queries.
bool IsPrintableUtf8(std::string_view text);

/// `text` made fit for a log or a label of at most `max_bytes`: what is not UTF-8 becomes
/// U+FFFD; control characters (C0, DEL, C1) and the characters that change how text reads
/// without showing themselves (bidirectional controls, line and paragraph separators,
/// zero-width spaces, tags; not the joiners Bangla spells with) become '?'; and a cut falls
/// between characters, never inside one.
std::string FitPrintableUtf8(std::string_view text, size_t max_bytes);

/// The characters (code points) of UTF-8 `text`: its bytes that do not continue a sequence.
size_t CodePoints(std::string_view text);

}  // namespace travio
