#pragma once

#include <filesystem>
#include <string>
#include <utility>

namespace travio::testing {

/// Runs `command` with /bin/sh and returns {exit code (-1 when killed), its standard output}.
std::pair<int, std::string> RunCommand(const std::string& command);

/// The whole content of a file; empty when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace travio::testing
