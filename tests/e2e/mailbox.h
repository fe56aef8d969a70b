#pragma once

// Reading what a deployment mailed: the notification module writes .eml files, in another
// process in microservices mode, so readers poll briefly.

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "platform/testing/command.h"

namespace travio::e2e {

/// The files of `dir` whose name ends in `suffix` and whose text holds `needle`.
inline std::vector<std::string> FilesWith(const std::filesystem::path& dir,
                                          const std::string& suffix, const std::string& needle) {
  std::vector<std::string> found;
  std::error_code ignored;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ignored)) {
    const std::string name = entry.path().filename().string();
    if (name.size() < suffix.size() ||
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    const std::string text = testing::ReadFile(entry.path());
    if (text.find(needle) != std::string::npos) found.push_back(text);
  }
  return found;
}

/// The .eml files under `mail_dir` holding `needle`, once at least one is there (polled for ten
/// seconds: another process may be writing it); empty when none came.
inline std::vector<std::string> AwaitMailWith(const std::filesystem::path& mail_dir,
                                              const std::string& needle) {
  for (int attempt = 0; attempt < 200; ++attempt) {
    std::vector<std::string> found = FilesWith(mail_dir, ".eml", needle);
    if (!found.empty()) return found;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return {};
}

/// The invite token of the newest .eml under `mail_dir` addressed to `email`; a test failure
/// and "" when none arrives within five seconds.
inline std::string InviteTokenFromMail(const std::filesystem::path& mail_dir,
                                       const std::string& email) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::filesystem::path newest;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(mail_dir, error)) {
      if (entry.path().extension() != ".eml") continue;
      const std::string text = testing::ReadFile(entry.path());
      if (text.find("To: " + email + "\r\n") == std::string::npos) continue;
      if (newest.empty() || entry.path().filename() > newest.filename()) newest = entry.path();
    }
    if (!newest.empty()) {
      const std::string text = testing::ReadFile(newest);
      const std::string label = "Invite token: ";
      const size_t start = text.find(label) + label.size();
      return text.substr(start, text.find_first_of("\r\n", start) - start);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ADD_FAILURE() << "no invite mail for " << email << " in " << mail_dir;
  return "";
}

}  // namespace travio::e2e
