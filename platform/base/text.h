#pragma once

#include <string_view>

namespace travio {

/// Well-formed UTF-8 (no overlong forms, no surrogates, nothing above U+10FFFF) without C0 or
/// C1 control characters or DEL: text fit for names, labels and queries.
bool IsPrintableUtf8(std::string_view text);

}  // namespace travio
