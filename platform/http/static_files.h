#pragma once

#include <filesystem>

#include "platform/http/router.h"

namespace travio::http {

/// A handler serving the files under `root` to GET and HEAD: `index.html` for directories,
/// Content-Type by extension, and nothing outside `root` (`..` and symlinks leading out are
/// answered 404).
Handler StaticFiles(std::filesystem::path root);

}  // namespace travio::http
