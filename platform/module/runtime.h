#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "platform/config/config.h"
#include "platform/db/database.h"
#include "platform/log/logger.h"
#include "platform/module/clients.h"
#include "platform/module/registry.h"

namespace travio::module {

/// Declares the keys the runtime itself reads: target, data_dir, http.*, grpc.*, peers.*,
/// storage, postgres.*, hot_state, redis.*, log.*. Module sections come from their specs.
absl::Status DeclareCoreConfig(const Registry& registry, config::Schema& schema);

/// Runs the modules of one process: opens storage, applies migrations, creates the modules in
/// start order, starts them, then serves HTTP (and gRPC when grpc.addr is set). Shutdown
/// reverses it: readiness off, HTTP drained, gRPC stopped, modules stopped in reverse order.
class Runtime {
 public:
  static absl::StatusOr<std::unique_ptr<Runtime>> Create(const Registry& registry,
                                                         const config::Config& config,
                                                         const log::Logger& logger,
                                                         const Clock& clock);
  virtual ~Runtime() = default;

  virtual absl::Status Start() = 0;
  virtual void Shutdown() = 0;

  virtual int http_port() const = 0;
  /// 0 when this process serves no gRPC.
  virtual int grpc_port() const = 0;
  /// The modules of this process, in start order.
  virtual std::vector<std::string> modules() const = 0;
  /// How this process reaches services (in-process here, or their gRPC peers): for commands
  /// that act through the services' own use cases, such as `travio seed`.
  virtual Clients& clients() = 0;
};

/// Applies the migrations of the target's modules and returns; `travio migrate`.
absl::Status MigrateOnly(const Registry& registry, const config::Config& config,
                         const log::Logger& logger);

/// Opens the storage of the module `name` as `serve` would (migrations applied) and runs
/// `work` on it: commands that maintain one module's data (`travio audit export`).
absl::Status WithModuleDatabase(const Registry& registry, const config::Config& config,
                                std::string_view name,
                                const std::function<absl::Status(db::Database&)>& work);

}  // namespace travio::module
