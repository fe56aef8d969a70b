#pragma once

#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/testing/temp_dir.h"

namespace travio::testing {

/// The built `travio` binary (see TravioBinary()) run as a child process on free
/// loopback ports with a fresh data directory, for end-to-end and topology tests.
class TravioProcess {
 public:
  struct Options {
    std::vector<std::string> args = {"serve"};
    /// Extra environment, e.g. {"TRAVIO_STORAGE", "postgres"}.
    std::map<std::string, std::string> environment;
    /// Serve gRPC on a free port too (--grpc-addr).
    bool grpc = false;
    /// Data directory to use instead of a fresh one (shared certificates, restarts).
    std::filesystem::path data_dir;
    /// Told when the process, once signalled, ends badly (BadExitReport): tests pass
    /// FailTheTest (platform/testing/fail_the_test.h).
    std::function<void(const std::string& report)> on_bad_exit;
  };

  explicit TravioProcess(Options options);
  /// Stops the process with SIGTERM if still running.
  ~TravioProcess();
  TravioProcess(const TravioProcess&) = delete;
  TravioProcess& operator=(const TravioProcess&) = delete;

  /// Starts and waits until /readyz answers 200. On failure the status carries the log tail.
  /// Started again after Stop, it keeps its data directory and ports (a restart). The first
  /// start moves to other ports when one it chose was taken meanwhile.
  absl::Status Start();
  /// Whether a failed start failed because a port was taken (see Start).
  static bool LostItsPort(const absl::Status& status);
  /// Start in two halves, so that several processes start side by side: Launch forks and
  /// execs, AwaitReady waits for /readyz.
  absl::Status Launch();
  absl::Status AwaitReady();
  /// SIGTERM, then waits; returns the exit code (or 128 + signal, or kHungAtExit).
  int Stop();
  /// Waits for the process to exit (after a signal); returns as Stop. A process still running a
  /// minute after its signal is killed and reported as kHungAtExit, not as a SIGKILL a test
  /// sent.
  int Wait();
  static constexpr int kHungAtExit = -2;
  /// Sends `signal` without waiting.
  void Signal(int signal);
  /// Sets (or, with an empty value, removes) an environment variable for the next Start.
  void SetEnvironment(const std::string& name, const std::string& value) {
    if (value.empty()) {
      options_.environment.erase(name);
    } else {
      options_.environment[name] = value;
    }
  }

  /// Chosen when the process is made, so that peers can be told before it starts.
  int http_port() const { return http_port_; }
  int grpc_port() const { return grpc_port_; }
  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(http_port_); }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  /// The running process's id (-1 before the first start); benchmarks read its CPU time.
  pid_t pid() const { return pid_; }
  /// Everything the process wrote to stderr so far.
  std::string Log() const;

 private:
  Options options_;
  TempDir scratch_;
  std::filesystem::path data_dir_;
  int http_port_ = 0;
  int grpc_port_ = 0;
  pid_t pid_ = -1;
  bool started_ = false;  // ready once: its ports are known to its peers from then on
};

/// What a process's end (a status from Stop or Wait) says when it ended badly: otherwise than
/// cleanly (exit 0), by the SIGKILL a test or a crash point sent it, or not running at all (-1).
/// A sanitizer's report at exit (a leak: 23, an error: 1), an abort, a crash or a hang at
/// shutdown would otherwise stay in a scratch log that no one reads. Empty when it ended well.
std::string BadExitReport(const std::string& who, int status, const TravioProcess& process);

/// The built binary's path: TRAVIO_TEST_BINARY when set, else the one in this build tree.
std::string TravioBinary();

}  // namespace travio::testing
