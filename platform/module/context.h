#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/config/config.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "platform/module/clients.h"

namespace grpc {
class Service;
}
namespace travio::http {
class Router;
}
namespace travio::db {
class Database;
}
namespace travio::kv {
class KeyValueStore;
}
namespace travio::events {
class Bus;
class Outbox;
}  // namespace travio::events

namespace travio::module {

/// What a module's factory may use. Owned by the runtime; outlives every module.
class Context {
 public:
  virtual ~Context() = default;

  /// The module this context was made for.
  virtual const std::string& module_name() const = 0;
  /// A random id of this process, to tell processes apart in responses and logs.
  virtual const std::string& instance_id() const = 0;

  virtual const config::Config& config() const = 0;
  /// A logger whose lines carry {"module": <name>}.
  virtual const log::Logger& logger() const = 0;
  virtual const Clock& clock() const = 0;
  virtual const IdGenerator& ids() const = 0;
  virtual metrics::Registry& metrics() = 0;

  /// The public HTTP router (the gateway adds /v1 routes; every module may add probes).
  virtual http::Router& router() = 0;
  /// Registers a gRPC service to serve when this process serves gRPC. Must outlive the server.
  virtual void AddGrpcService(grpc::Service* service) = 0;
  virtual Clients& clients() = 0;

  /// The module's own database (SQLite file `<data_dir>/<module>.db`, or the shared
  /// PostgreSQL pool), with the module's migrations applied.
  virtual absl::StatusOr<db::Database*> database() = 0;
  /// The process's hot-state store (memory or Redis, by `hot_state`).
  virtual absl::StatusOr<kv::KeyValueStore*> hot_state() = 0;
  /// The in-process event bus for subscriptions.
  virtual events::Bus& events() = 0;
  /// The module's outbox in its database, relayed to the bus.
  virtual absl::StatusOr<events::Outbox*> outbox() = 0;
};

}  // namespace travio::module
