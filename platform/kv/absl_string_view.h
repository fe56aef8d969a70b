#pragma once

// This abseil build has its own absl::string_view (ABSL_OPTION_USE_STD_STRING_VIEW is 0), which
// std::string_view does not convert to. Private to platform/kv.

#include <string_view>

#include "absl/strings/string_view.h"

namespace travio::kv {

inline absl::string_view ToAbsl(std::string_view text) { return {text.data(), text.size()}; }

}  // namespace travio::kv
