#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "services/notification/app/ports.h"

namespace travio::notification {

/// The file filename of a message: "<UTC yyyymmddThhmmss>-<message id>.eml", so a directory
/// listing sorts by time.
std::string EmlFileName(const OutgoingMessage& message);

/// Writes each message as an .eml file in `directory` (created with mode 0700 when missing):
/// into a hidden temporary file first, flushed to disk, then renamed, so a reader sees whole
/// files only. Files are mode 0600: bodies carry secrets such as invite tokens.
std::shared_ptr<EmailTransport> MakeFileTransport(std::filesystem::path directory);

}  // namespace travio::notification
