#include "platform/testing/smtp_sink.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "platform/testing/command.h"
#include "platform/testing/free_port.h"

namespace travio::testing {
namespace {

namespace fs = std::filesystem;

// aiosmtpd is a Debian package for the system interpreter, not for another python3 on PATH.
constexpr char kPython[] = "/usr/bin/python3";

}  // namespace

SmtpSink::SmtpSink(Options options) : options_(std::move(options)), dir_("travio-smtp-sink") {}

SmtpSink::~SmtpSink() { Stop(); }

absl::Status SmtpSink::Start() {
  absl::Status status;
  for (int attempt = 0; attempt < 5; ++attempt) {
    port_ = FreePort();
    status = Launch();
    if (status.ok()) return status;
  }
  return status;
}

void SmtpSink::Stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::vector<nlohmann::json> SmtpSink::Messages() const {
  std::vector<nlohmann::json> messages;
  for (int n = 1;; ++n) {
    char name[16];
    std::snprintf(name, sizeof(name), "%04d.json", n);
    const fs::path file = dir_.path() / "out" / name;
    if (!fs::exists(file)) break;
    messages.push_back(nlohmann::json::parse(ReadFile(file)));
  }
  return messages;
}

std::vector<nlohmann::json> SmtpSink::WaitForMessages(size_t count) const {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  std::vector<nlohmann::json> messages = Messages();
  while (messages.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    messages = Messages();
  }
  return messages;
}

std::string SmtpSink::Log() const { return ReadFile(dir_.path() / "sink.log"); }

absl::Status SmtpSink::Launch() {
  const fs::path out = dir_.path() / "out";
  fs::remove_all(out);
  fs::create_directories(out);
  std::vector<std::string> args = {kPython, TRAVIO_SMTP_SINK, "--port", std::to_string(port_),
                                   "--out", out.string()};
  if (!options_.tls_cert.empty()) {
    args.insert(args.end(),
                {"--tls-cert", options_.tls_cert.string(), "--tls-key", options_.tls_key.string()});
  }
  if (!options_.auth.empty()) args.insert(args.end(), {"--auth", options_.auth});
  const std::string log = (dir_.path() / "sink.log").string();
  pid_ = ::fork();
  if (pid_ < 0) return absl::InternalError("fork failed");
  if (pid_ == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    std::_Exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    if (fs::exists(out / "ready")) return absl::OkStatus();
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::UnavailableError(
          "smtp_sink.py exited (is python3-aiosmtpd installed? run scripts/bootstrap): " + Log());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Stop();
  return absl::DeadlineExceededError("smtp_sink.py did not start: " + Log());
}

}  // namespace travio::testing
