#pragma once

#include <string_view>

namespace travio {

/// The release version, e.g. "0.1.0".
std::string_view Version();
/// The git commit the binary was built from, or "unknown".
std::string_view Commit();

}  // namespace travio
