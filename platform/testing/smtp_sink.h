#pragma once

#include <sys/types.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/testing/temp_dir.h"

namespace travio::testing {

/// A real SMTP server for tests: Debian's aiosmtpd, run by tests/support/smtp_sink.py on a free
/// loopback port, keeping every message it receives as JSON ({"mail_from", "rcpt_tos", "tls",
/// "authenticated", "login", "data"}). Stopped with SIGTERM on destruction.
class SmtpSink {
 public:
  struct Options {
    std::filesystem::path tls_cert;  // offer STARTTLS with this certificate
    std::filesystem::path tls_key;
    std::string auth;  // "user:password" to require AUTH
  };

  explicit SmtpSink(Options options = {});
  ~SmtpSink();
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  /// Starts on a free port (retrying if another process takes it first).
  absl::Status Start();
  void Stop();

  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  /// The messages received so far, in order.
  std::vector<nlohmann::json> Messages() const;
  /// Waits (polling, up to 20 s) until `count` messages arrived; returns what arrived.
  std::vector<nlohmann::json> WaitForMessages(size_t count) const;
  std::string Log() const;

 private:
  absl::Status Launch();

  Options options_;
  TempDir dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace travio::testing
