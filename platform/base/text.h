#pragma once

#include <cstddef>
#include <string_view>

namespace travio {

/// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without C0 or
/// C1 control characters or DEL: text fit for names, labels and queries.
bool IsPrintableUtf8(std::string_view text);

/// The characters (code points) of UTF-8 `text`: its bytes that do not continue a sequence.
size_t CodePoints(std::string_view text);

}  // namespace travio
