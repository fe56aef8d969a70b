#pragma once

// The two ways to run Travio, for end-to-end tests that must pass on both: the monolith
// (SQLite, memory hot state, in-process calls and events) and microservices (one process per
// built service over gRPC with mutual TLS, on PostgreSQL and Redis, events through RabbitMQ).

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/db/database.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "platform/testing/travio_process.h"

namespace travio::e2e {

using testing::BadExitReport;

/// Told each bad end (BadExitReport): tests fail (FailTheTest, platform/testing/fail_the_test.h), a
/// benchmark prints it (PrintBadExit). No default, so no test forgets to fail.
using BadExitHandler = std::function<void(const std::string& report)>;
inline void PrintBadExit(const std::string& report) {
  std::fprintf(stderr, "%s\n", report.c_str());
}

class Deployment {
 public:
  virtual ~Deployment() = default;
  virtual absl::Status Start() = 0;
  /// Where the public API answers (the gateway).
  virtual std::string base_url() const = 0;
  /// Where outgoing mail is written as .eml files.
  virtual std::filesystem::path mail_dir() const = 0;
  /// Identity's key directory (tests mint hostile tokens with its keys).
  virtual std::filesystem::path keys_dir() const = 0;
  /// The queue's key directory (tests sign expired queue tokens with its key).
  virtual std::filesystem::path queue_keys_dir() const = 0;
  /// Runs `use` on a connection of its own to the storage of `module`, as an intruder holding
  /// the database's credentials would. The monolith keeps its SQLite files locked while it
  /// runs: it is stopped meanwhile and started again after (as after an edit of its disk).
  virtual absl::Status WithDatabase(const std::string& module,
                                    const std::function<void(db::Database&)>& use) = 0;
  virtual std::string Logs() const = 0;
  /// Where the process running `service` answers HTTP (its /metrics); the monolith's own.
  virtual std::string ServiceUrl(const std::string& service) const = 0;
  /// Stops and starts again the process running `service` (the monolith: the only one); it
  /// keeps its data and ports. `environment` changes its environment from then on (an empty
  /// value removes a variable). A process that died (SIGKILL) is started again the same way.
  virtual absl::Status Restart(const std::string& service,
                               const std::map<std::string, std::string>& environment = {}) = 0;
  /// Sends `signal` to the process running `service` (the monolith: the only one).
  virtual void Signal(const std::string& service, int signal) = 0;

 protected:
  explicit Deployment(BadExitHandler on_bad_exit) : on_bad_exit_(std::move(on_bad_exit)) {}
  void CheckExit(const std::string& who, int status, const testing::TravioProcess& process) {
    if (std::string report = BadExitReport(who, status, process); !report.empty()) {
      on_bad_exit_(report);
    }
  }

 private:
  BadExitHandler on_bad_exit_;
};

class Monolith final : public Deployment {
 public:
  Monolith(std::map<std::string, std::string> environment, BadExitHandler on_bad_exit)
      : Deployment(std::move(on_bad_exit)), travio_({.environment = std::move(environment)}) {}
  ~Monolith() override { CheckExit("travio", travio_.Stop(), travio_); }
  absl::Status Start() override { return travio_.Start(); }
  absl::Status Restart(const std::string&,
                       const std::map<std::string, std::string>& environment = {}) override {
    CheckExit("travio", travio_.Stop(), travio_);
    for (const auto& [name, value] : environment) travio_.SetEnvironment(name, value);
    return travio_.Start();
  }
  void Signal(const std::string&, int signal) override { travio_.Signal(signal); }
  std::string base_url() const override { return travio_.base_url(); }
  std::filesystem::path mail_dir() const override { return travio_.data_dir() / "mail"; }
  std::filesystem::path keys_dir() const override { return travio_.data_dir() / "keys"; }
  std::filesystem::path queue_keys_dir() const override { return travio_.data_dir() / "keys"; }
  absl::Status WithDatabase(const std::string& module,
                            const std::function<void(db::Database&)>& use) override {
    CheckExit("travio", travio_.Stop(), travio_);
    {
      auto database = db::OpenSqlite({(travio_.data_dir() / (module + ".db")).string()});
      if (!database.ok()) return database.status();
      use(**database);
    }
    return travio_.Start();
  }
  std::string Logs() const override { return travio_.Log(); }
  std::string ServiceUrl(const std::string&) const override { return travio_.base_url(); }

 private:
  testing::TravioProcess travio_;
};

class Microservices final : public Deployment {
 public:
  /// `environment` is given to every process (config overrides such as TRAVIO_CATALOG_*).
  /// Each service in `doubled` runs twice: "<service>" and "<service>-2"; a second instance
  /// calls the second instances of doubled services, a first the first ones.
  Microservices(std::map<std::string, std::string> environment, BadExitHandler on_bad_exit,
                std::set<std::string> doubled = {})
      : Deployment(std::move(on_bad_exit)),
        environment_(std::move(environment)),
        doubled_(std::move(doubled)) {}

  // Fifteen processes on thirty ports chosen up front: when one was taken meanwhile
  // (another test runs beside this one), all start again on new ports.
  absl::Status Start() override {
    absl::Status started;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      started = StartOnce();
      if (started.ok() || !testing::TravioProcess::LostItsPort(started)) break;
      StopAll(/*check_exits=*/false);  // a start cut short says nothing about the code
      processes_.clear();
      started_.clear();
    }
    return started;
  }

 private:
  absl::Status StartOnce() {
    auto certs = SharedCertificates();
    if (!certs.ok()) return certs.status();
    const auto& servers = testing::SharedTestServers();
    std::map<std::string, std::string> shared = {
        {"TRAVIO_GRPC_TLS_DIR", certs->string()},
        // The test servers' guest and password-less accounts, the sandbox payment provider,
        // email to files: a development set-up (production_settings.h).
        {"TRAVIO_DEVELOPMENT", "true"},
        {"TRAVIO_STORAGE", "postgres"},
        {"TRAVIO_POSTGRES_DSN", database_.dsn()},
        {"TRAVIO_HOT_STATE", "redis"},
        {"TRAVIO_REDIS_ADDR", servers.redis_host + ":" + std::to_string(servers.redis_port)},
        {"TRAVIO_EVENTS", "rabbitmq"},
        {"TRAVIO_RABBITMQ_ADDR", "127.0.0.1:" + std::to_string(servers.rabbitmq_port)},
        // Deployments of one test run share the broker: each has an exchange of its own.
        {"TRAVIO_RABBITMQ_EXCHANGE", "travio.e2e." + scratch_.path().filename().string()},
        // Ticket PDFs in the run's S3 server (one bucket; keys name the order).
        {"TRAVIO_FULFILLMENT_STORAGE", "s3"},
        {"TRAVIO_FULFILLMENT_S3_ENDPOINT", "http://127.0.0.1:" + std::to_string(servers.s3_port)},
        {"TRAVIO_FULFILLMENT_S3_BUCKET", "travio-tickets"},
        {"TRAVIO_FULFILLMENT_S3_ACCESS_KEY", servers.s3_access_key},
        {"TRAVIO_FULFILLMENT_S3_SECRET_KEY", servers.s3_secret_key},
    };
    // LeakSanitizer's scan at exit costs each of the some 800 processes a run starts this way
    // a tenth of its CPU time. The monolith cases run the same modules with the scan on (their
    // exit status is checked), and the gRPC services' own tests and the servers tests keep it
    // for the gRPC, PostgreSQL, Redis and RabbitMQ adapters.
    const char* sanitizer_options = std::getenv("ASAN_OPTIONS");
    shared["ASAN_OPTIONS"] = std::string(sanitizer_options != nullptr ? sanitizer_options : "") +
                             (sanitizer_options != nullptr ? ":" : "") + "detect_leaks=0";
    for (const auto& [name, value] : environment_) shared.insert_or_assign(name, value);
    // Each process is told where the services it calls listen; ports are chosen before any
    // starts.
    std::vector<std::pair<std::string, std::vector<std::string>>> services = {
        {"notification", {}},
        {"identity", {"notification"}},
        {"subscription", {"identity", "notification"}},
        {"operator", {"subscription"}},
        {"catalog", {"operator", "subscription"}},
        {"pricing", {}},
        {"inventory", {"pricing"}},
        {"search", {"identity", "catalog", "pricing"}},
        {"payment", {}},
        {"fraud", {}},
        {"audit", {}},
        {"reporting", {}},
        {"order", {"inventory", "payment", "catalog", "fraud", "subscription"}},
        {"queue", {"catalog"}},
        {"fulfillment", {"order", "catalog", "identity", "notification", "operator"}},
        {"gateway",
         {"identity", "operator", "catalog", "inventory", "search", "order", "payment", "queue",
          "fulfillment", "pricing", "fraud", "audit", "subscription", "reporting"}},
    };
    for (const std::string& service : doubled_) {
      const auto first = std::find_if(services.begin(), services.end(),
                                      [&](const auto& entry) { return entry.first == service; });
      if (first == services.end()) return absl::InvalidArgumentError("no service " + service);
      std::vector<std::string> calls;
      for (const std::string& callee : first->second) {
        calls.push_back(doubled_.count(callee) ? callee + "-2" : callee);
      }
      services.emplace_back(service + "-2", std::move(calls));
    }
    for (const auto& [service, calls] : services) {
      const std::string target = service.substr(0, service.find('-'));
      processes_[service] = Process(target, target != "gateway", shared);
      if (target != "gateway") {
        // Only the gateway serves requests over HTTP; the others answer health checks there.
        processes_.at(service)->SetEnvironment("TRAVIO_HTTP_IO_THREADS", "1");
        processes_.at(service)->SetEnvironment("TRAVIO_HTTP_WORKER_THREADS", "2");
      }
      started_.push_back(service);
    }
    for (const auto& [service, calls] : services) {
      for (const std::string& callee : calls) {
        std::string variable = "TRAVIO_PEERS_" + callee.substr(0, callee.find('-'));
        for (char& c : variable) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        processes_.at(service)->SetEnvironment(variable, Peer(*processes_.at(callee)));
      }
    }
    // Three waves, each started side by side once the one before is ready. No service calls
    // a peer before it is ready (a client connects on its first call), except search, which
    // reads the catalog's stations as it starts: it comes last. First come the services that
    // call no one, among them the event consumers whose queues must exist before a producer
    // publishes at its start (audit keeps identity's new signing key).
    for (int wave = 0; wave < 3; ++wave) {
      std::vector<std::string> starting;
      for (const auto& [service, calls] : services) {
        const bool search = service.substr(0, service.find('-')) == "search";
        if ((calls.empty() ? 0 : search ? 2 : 1) == wave) starting.push_back(service);
      }
      for (const std::string& service : starting) {
        if (auto status = processes_.at(service)->Launch(); !status.ok()) return status;
      }
      for (const std::string& service : starting) {
        if (auto status = processes_.at(service)->AwaitReady(); !status.ok()) return status;
      }
    }
    return absl::OkStatus();
  }
  void StopAll(bool check_exits = true) {
    for (const std::string& service : started_) processes_.at(service)->Signal(SIGTERM);
    for (const std::string& service : started_) {
      const int status = processes_.at(service)->Wait();
      if (check_exits) CheckExit(service, status, *processes_.at(service));
    }
  }

 public:
  absl::Status Restart(const std::string& service,
                       const std::map<std::string, std::string>& environment = {}) override {
    CheckExit(service, processes_.at(service)->Stop(), *processes_.at(service));
    for (const auto& [name, value] : environment) {
      processes_.at(service)->SetEnvironment(name, value);
    }
    return processes_.at(service)->Start();
  }
  void Signal(const std::string& service, int signal) override {
    processes_.at(service)->Signal(signal);
  }
  // All at once: each drains its own requests, and none is waiting for another.
  ~Microservices() override { StopAll(); }
  std::string base_url() const override { return processes_.at("gateway")->base_url(); }
  /// Where the public API of one gateway answers ("gateway", "gateway-2").
  std::string base_url(const std::string& gateway) const {
    return processes_.at(gateway)->base_url();
  }
  std::filesystem::path mail_dir() const override {
    return processes_.at("notification")->data_dir() / "mail";
  }
  std::filesystem::path keys_dir() const override {
    return processes_.at("identity")->data_dir() / "keys";
  }
  std::filesystem::path queue_keys_dir() const override {
    return processes_.at("queue")->data_dir() / "keys";
  }
  absl::Status WithDatabase(const std::string&,
                            const std::function<void(db::Database&)>& use) override {
    auto database = db::OpenPostgres({database_.dsn()});
    if (!database.ok()) return database.status();
    use(**database);
    return absl::OkStatus();
  }
  /// The process id of each service, for benchmarks that read where the CPU time went.
  std::map<std::string, pid_t> ProcessIds() const {
    std::map<std::string, pid_t> ids;
    for (const auto& [service, process] : processes_) ids[service] = process->pid();
    return ids;
  }
  std::string ServiceUrl(const std::string& service) const override {
    return processes_.at(service)->base_url();
  }
  std::string Logs() const override {
    std::string logs;
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
      logs += "--- " + *it + "\n" + processes_.at(*it)->Log();
    }
    return logs;
  }

 private:
  // The development CA and service certificates (`travio certs init`), made once per test run
  // beside the shared servers' state and reused by every deployment of the run.
  static absl::StatusOr<std::filesystem::path> SharedCertificates() {
    const char* servers_file = std::getenv("TRAVIO_TEST_SERVERS_FILE");
    static testing::TempDir own("travio-e2e-certs");
    const std::filesystem::path root =
        servers_file != nullptr ? std::filesystem::path(servers_file).parent_path() : own.path();
    const std::filesystem::path certs = root / "certs";
    const int lock = ::open((root / "certs.lock").c_str(), O_CREAT | O_RDWR, 0600);
    if (lock < 0) return absl::InternalError("cannot open the certificates' lock file");
    ::flock(lock, LOCK_EX);
    absl::Status made = absl::OkStatus();
    if (!std::filesystem::exists(certs / "ca.pem")) {
      const std::filesystem::path fresh = root / "certs.new";
      const std::filesystem::path ca = root / "certs-ca";
      std::filesystem::remove_all(fresh);
      std::filesystem::remove_all(certs);
      std::filesystem::remove_all(ca);
      const std::string command = testing::TravioBinary() + " certs init --out " + fresh.string() +
                                  " --ca-dir " + ca.string() + " >/dev/null";
      if (std::system(command.c_str()) != 0) {
        made = absl::InternalError("certs init failed");
      } else {
        std::filesystem::rename(fresh, certs);
      }
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
    if (!made.ok()) return made;
    return certs;
  }

  static std::string Peer(const testing::TravioProcess& process) {
    return "127.0.0.1:" + std::to_string(process.grpc_port());
  }
  static std::unique_ptr<testing::TravioProcess> Process(
      const std::string& target, bool grpc, std::map<std::string, std::string> environment) {
    return std::make_unique<testing::TravioProcess>(
        testing::TravioProcess::Options{.args = {"serve", "--target=" + target},
                                        .environment = std::move(environment),
                                        .grpc = grpc});
  }

  std::map<std::string, std::string> environment_;
  std::set<std::string> doubled_;
  testing::TempDir scratch_{"travio-e2e-deployment"};
  testing::ScratchPostgresDatabase database_;
  std::map<std::string, std::unique_ptr<testing::TravioProcess>> processes_;
  std::vector<std::string> started_;
};

}  // namespace travio::e2e
