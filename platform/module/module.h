#pragma once

#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/config/config.h"
#include "platform/config/schema.h"
#include "platform/db/migrations.h"
#include "platform/module/clients.h"

namespace travio::module {

class Context;

/// A running part of the process: a service, or the gateway. Created by its spec's factory
/// after every module of the process exists, started in dependency order, stopped in reverse.
class Module {
 public:
  virtual ~Module() = default;
  /// Starts background work (relays, sweepers). Routes and RPC handlers are registered by the
  /// factory, so Start is often empty.
  virtual absl::Status Start() { return absl::OkStatus(); }
  /// Stops background work. Called once, after the HTTP and gRPC servers stopped.
  virtual void Stop() {}
  /// Whether the module can serve (for /readyz).
  virtual bool Ready() const { return true; }
};

/// Who may call one of a module's gRPC services from another process: per caller (a target
/// name, as its certificate's common name says), the methods it may call. The gRPC server
/// refuses every other call, so a compromised process can do only what its own target does.
struct GrpcAccess {
  /// The service's full name ("travio.payment.v1.PaymentService").
  std::string service;
  std::map<std::string, std::vector<std::string>> methods_by_caller;
};

/// How a module is declared: everything the runtime needs to know before creating it.
struct ModuleSpec {
  /// Target name, lower-case ("inventory").
  std::string name;
  /// One line for `travio targets`.
  std::string description;
  /// Modules that must run in the same process and start first.
  std::vector<std::string> dependencies = {};
  /// Services this module calls through their clients: in-process when they run here,
  /// over gRPC otherwise. When both run here, the callee starts first.
  std::vector<std::string> calls = {};
  /// Adds the module's config keys (its section) to the schema.
  std::function<absl::Status(config::Schema&)> declare_config = {};
  /// The module's schema migrations, applied at start and by `travio migrate`.
  std::vector<db::Migration> migrations = {};
  /// How a process without this module reaches it: RemoteClientOf<its client interface>().
  /// Empty for a module nobody calls.
  RemoteClient remote_client = {};
  /// Who may call the module's gRPC services: every method of every service it registers is
  /// listed with its callers (the modules whose `calls` name this one). A method no caller
  /// lists refuses everyone.
  std::vector<GrpcAccess> grpc_access = {};
  /// What in the config is fit for development only (a sandbox provider, mail that stays on
  /// the machine), each a sentence naming the key and what to set instead; a distributed
  /// process running the module refuses to start with any unless `development` is on
  /// (production_settings.h).
  std::function<std::vector<std::string>(const config::Config&)> production_check = {};
  /// Builds the module. Null for a service that is not built yet: it runs as an empty module.
  std::function<absl::StatusOr<std::unique_ptr<Module>>(Context&)> factory = {};
};

}  // namespace travio::module
