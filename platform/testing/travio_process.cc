#include "platform/testing/travio_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "platform/testing/free_port.h"
#include "platform/testing/http_client.h"

extern char** environ;

namespace travio::testing {

std::string BadExitReport(const std::string& who, int status, const TravioProcess& process) {
  if (status == 0 || status == 128 + SIGKILL || status == -1) return "";
  const std::string log = process.Log();
  const size_t tail = log.size() > 16384 ? log.size() - 16384 : 0;
  const std::string how = status == TravioProcess::kHungAtExit
                              ? " did not exit within a minute of its signal (killed)"
                              : " exited with status " + std::to_string(status);
  return who + how + "; its log ends:\n" + log.substr(tail);
}

std::string TravioBinary() {
  const char* binary = std::getenv("TRAVIO_TEST_BINARY");
  return binary != nullptr ? binary : TRAVIO_BUILT_BINARY;
}

TravioProcess::TravioProcess(Options options)
    : options_(std::move(options)), scratch_("travio-e2e") {
  data_dir_ = options_.data_dir.empty() ? scratch_.path() / "data" : options_.data_dir;
  // A restarted process keeps its ports, so its peers and clients find it again.
  http_port_ = FreePort();
  if (options_.grpc) grpc_port_ = FreePort();
}

TravioProcess::~TravioProcess() {
  if (pid_ > 0) Stop();
}

std::string TravioProcess::Log() const {
  std::ifstream in(scratch_.path() / "travio.log");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

absl::Status TravioProcess::Start() {
  for (int attempt = 1;; ++attempt) {
    absl::Status status = Launch();
    if (status.ok()) status = AwaitReady();
    if (status.ok() || started_ || attempt == 3 || !LostItsPort(status)) {
      started_ = started_ || status.ok();
      return status;
    }
    // Someone took a port between choosing it and binding it: choose others.
    http_port_ = FreePort();
    if (options_.grpc) grpc_port_ = FreePort();
  }
}

bool TravioProcess::LostItsPort(const absl::Status& status) {
  return absl::StrContains(status.message(), "Address already in use") ||
         absl::StrContains(status.message(), "the address is in use");
}

absl::Status TravioProcess::Launch() {
  std::vector<std::string> args = {TravioBinary()};
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  args.push_back("--data-dir=" + data_dir_.string());
  args.push_back("--http-addr=127.0.0.1:" + std::to_string(http_port_));
  if (options_.grpc) {
    args.push_back("--grpc-addr=127.0.0.1:" + std::to_string(grpc_port_));
  }
  // The child's environment: ours without TRAVIO_ settings (a developer's shell may have some)
  // and without what the test sets itself (the first of two equal names would win), plus the
  // test's own.
  std::vector<std::string> environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    if (variable.rfind("TRAVIO_", 0) == 0 && variable.rfind("TRAVIO_TEST_", 0) != 0) continue;
    if (options_.environment.contains(variable.substr(0, variable.find('=')))) continue;
    environment.push_back(variable);
  }
  for (const auto& [name, value] : options_.environment) environment.push_back(name + "=" + value);
  // Every test client comes from 127.0.0.1, so per-address limits would make tests about
  // something else refuse each other; the suites about those limits turn them on.
  if (!options_.environment.contains("TRAVIO_GATEWAY_CLIENT_LIMITS")) {
    environment.push_back("TRAVIO_GATEWAY_CLIENT_LIMITS=off");
  }
  // The pages of the source tree, wherever the test runs from.
  if (!options_.environment.contains("TRAVIO_HTTP_STATIC_DIR")) {
    environment.push_back(std::string("TRAVIO_HTTP_STATIC_DIR=") + TRAVIO_STATIC_DIR);
  }

  const std::string log_path = (scratch_.path() / "travio.log").string();
  pid_ = ::fork();
  if (pid_ < 0) return absl::InternalError("fork failed");
  if (pid_ == 0) {
    const int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    std::vector<char*> argv, envp;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    for (auto& variable : environment) envp.push_back(variable.data());
    envp.push_back(nullptr);
    ::execve(argv[0], argv.data(), envp.data());
    std::_Exit(127);
  }
  return absl::OkStatus();
}

absl::Status TravioProcess::AwaitReady() {
  if (pid_ <= 0) return absl::FailedPreconditionError("travio is not running:\n" + Log());
  HttpClient client(base_url());
  // A refused connection costs next to nothing, and a deployment starts its processes in
  // waves, each waiting for the one before: polling often saves most of a poll per wave.
  for (int attempt = 0; attempt < 3000; ++attempt) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return absl::FailedPreconditionError("travio exited during startup:\n" + Log());
    }
    if (client.Get("/readyz").status == 200) {
      started_ = true;
      return absl::OkStatus();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::DeadlineExceededError("travio did not become ready:\n" + Log());
}

void TravioProcess::Signal(int signal) {
  if (pid_ > 0) ::kill(pid_, signal);
}

int TravioProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  return Wait();
}

int TravioProcess::Wait() {
  if (pid_ <= 0) return -1;
  int status = 0;
  // A process that does not exit after its signal (seen once: a crash inside the sanitizer's
  // exit-time leak check, which then deadlocks) is killed after a minute and said so, rather
  // than holding the test until CTest's timeout.
  constexpr int kPolls = 1200;  // 50 ms each
  bool exited = false;
  for (int poll = 0; poll < kPolls && !exited; ++poll) {
    exited = ::waitpid(pid_, &status, WNOHANG) == pid_;
    if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!exited) {
    // Its log's end (a crash report, the last thing it did) goes with it, or it is lost with
    // the scratch directory.
    const std::string log = Log();
    const size_t tail = log.size() > 16384 ? log.size() - 16384 : 0;
    std::fprintf(stderr,
                 "travio process %d did not exit within 60 s of its signal; killed. Its log ends:"
                 "\n%s\n",
                 static_cast<int>(pid_), log.c_str() + tail);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, &status, 0);
  }
  pid_ = -1;
  const int ended = !exited             ? kHungAtExit
                    : WIFEXITED(status) ? WEXITSTATUS(status)
                                        : 128 + WTERMSIG(status);
  if (options_.on_bad_exit) {
    if (std::string report = BadExitReport("travio", ended, *this); !report.empty()) {
      options_.on_bad_exit(report);
    }
  }
  return ended;
}

}  // namespace travio::testing
