#pragma once

// The Debian build of Abseil has its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW is
// 0), so the std::string_view of the public API needs converting before it meets StrCat and
// friends. Private to platform/db.

#include <string_view>

#include "absl/strings/string_view.h"

namespace travio::db::internal {

inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }
inline std::string_view ToStd(absl::string_view text) { return {text.data(), text.size()}; }

}  // namespace travio::db::internal
