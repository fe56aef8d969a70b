#pragma once

// Debian's Abseil (20220623) is built with its own absl::string_view
// (ABSL_OPTION_USE_STD_STRING_VIEW is 0), which std::string_view does not convert to or from.
// These make the crossing explicit wherever our std::string_view APIs meet StrCat, Cord and
// friends.

#include <string_view>

#include "absl/strings/string_view.h"

namespace travio {

inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }
inline std::string_view ToStd(absl::string_view text) { return {text.data(), text.size()}; }

}  // namespace travio
