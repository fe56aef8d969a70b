#pragma once

// The two ways to run Travio, for end-to-end tests that must pass on both: the monolith
// (SQLite, memory hot state, in-process calls and events) and microservices (one process per
// built service over gRPC with mutual TLS, on PostgreSQL and Redis, events through RabbitMQ).

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/testing/temp_dir.h"
#include "platform/testing/test_servers.h"
#include "platform/testing/travio_process.h"

namespace travio::e2e {

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
  virtual std::string Logs() const = 0;
  /// Stops and starts again the process running `service` (the monolith: the only one); it
  /// keeps its data and ports. `environment` changes its environment from then on (an empty
  /// value removes a variable). A process that died (SIGKILL) is started again the same way.
  virtual absl::Status Restart(const std::string& service,
                               const std::map<std::string, std::string>& environment = {}) = 0;
  /// Sends `signal` to the process running `service` (the monolith: the only one).
  virtual void Signal(const std::string& service, int signal) = 0;
};

class Monolith final : public Deployment {
 public:
  explicit Monolith(std::map<std::string, std::string> environment = {})
      : travio_({.environment = std::move(environment)}) {}
  absl::Status Start() override { return travio_.Start(); }
  absl::Status Restart(const std::string&,
                       const std::map<std::string, std::string>& environment = {}) override {
    travio_.Stop();
    for (const auto& [name, value] : environment) travio_.SetEnvironment(name, value);
    return travio_.Start();
  }
  void Signal(const std::string&, int signal) override { travio_.Signal(signal); }
  std::string base_url() const override { return travio_.base_url(); }
  std::filesystem::path mail_dir() const override { return travio_.data_dir() / "mail"; }
  std::filesystem::path keys_dir() const override { return travio_.data_dir() / "keys"; }
  std::string Logs() const override { return travio_.Log(); }

 private:
  testing::TravioProcess travio_;
};

class Microservices final : public Deployment {
 public:
  /// `environment` is given to every process (config overrides such as TRAVIO_CATALOG_*).
  explicit Microservices(std::map<std::string, std::string> environment = {})
      : environment_(std::move(environment)) {}

  absl::Status Start() override {
    const std::string certs_command =
        testing::TravioBinary() + " certs init --out " + certs_.path().string() + " >/dev/null";
    if (std::system(certs_command.c_str()) != 0) return absl::InternalError("certs init failed");
    const auto& servers = testing::SharedTestServers();
    std::map<std::string, std::string> shared = {
        {"TRAVIO_GRPC_TLS_DIR", certs_.path().string()},
        {"TRAVIO_STORAGE", "postgres"},
        {"TRAVIO_POSTGRES_DSN", database_.dsn()},
        {"TRAVIO_HOT_STATE", "redis"},
        {"TRAVIO_REDIS_ADDR", servers.redis_host + ":" + std::to_string(servers.redis_port)},
        {"TRAVIO_EVENTS", "rabbitmq"},
        {"TRAVIO_RABBITMQ_ADDR", "127.0.0.1:" + std::to_string(servers.rabbitmq_port)},
        // Deployments of one test run share the broker: each has an exchange of its own.
        {"TRAVIO_RABBITMQ_EXCHANGE", "travio.e2e." + certs_.path().filename().string()},
    };
    shared.insert(environment_.begin(), environment_.end());
    // Callees first, each told where the services it calls listen.
    const std::vector<std::pair<std::string, std::vector<std::string>>> order = {
        {"notification", {}},
        {"subscription", {}},
        {"identity", {"notification"}},
        {"operator", {"subscription"}},
        {"catalog", {"operator", "subscription"}},
        {"inventory", {}},
        {"search", {"identity", "catalog"}},
        {"payment", {}},
        {"order", {"inventory", "payment", "catalog"}},
        {"gateway", {"identity", "operator", "catalog", "inventory", "search", "order", "payment"}},
    };
    for (const auto& [service, calls] : order) {
      auto environment = shared;
      for (const std::string& callee : calls) {
        std::string variable = "TRAVIO_PEERS_" + callee;
        for (char& c : variable) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        environment[variable] = Peer(*processes_.at(callee));
      }
      auto process = Process(service, service != "gateway", environment);
      if (auto status = process->Start(); !status.ok()) return status;
      processes_[service] = std::move(process);
      started_.push_back(service);
    }
    return absl::OkStatus();
  }
  absl::Status Restart(const std::string& service,
                       const std::map<std::string, std::string>& environment = {}) override {
    processes_.at(service)->Stop();
    for (const auto& [name, value] : environment) {
      processes_.at(service)->SetEnvironment(name, value);
    }
    return processes_.at(service)->Start();
  }
  void Signal(const std::string& service, int signal) override {
    processes_.at(service)->Signal(signal);
  }
  // Callers before callees, the reverse of the start order (a process whose callee vanished
  // first takes seconds longer to stop).
  ~Microservices() override {
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) processes_.at(*it)->Stop();
  }
  std::string base_url() const override { return processes_.at("gateway")->base_url(); }
  std::filesystem::path mail_dir() const override {
    return processes_.at("notification")->data_dir() / "mail";
  }
  std::filesystem::path keys_dir() const override {
    return processes_.at("identity")->data_dir() / "keys";
  }
  std::string Logs() const override {
    std::string logs;
    for (auto it = started_.rbegin(); it != started_.rend(); ++it) {
      logs += "--- " + *it + "\n" + processes_.at(*it)->Log();
    }
    return logs;
  }

 private:
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
  testing::TempDir certs_{"travio-e2e-certs"};
  testing::ScratchPostgresDatabase database_;
  std::map<std::string, std::unique_ptr<testing::TravioProcess>> processes_;
  std::vector<std::string> started_;
};

}  // namespace travio::e2e
