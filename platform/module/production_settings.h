#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "platform/config/config.h"
#include "platform/module/module.h"

namespace travio::module {

/// Whether this process keeps or reaches anything over the network: it is part of a
/// distributed deployment (it serves gRPC or calls a peer over it) or it runs on PostgreSQL,
/// Redis or RabbitMQ. The monolith on its embedded storage (`make run`) is not.
bool IsNetworked(const config::Config& config);

/// True for a host only this machine reaches: localhost, 127.0.0.0/8, ::1, or a Unix socket's
/// directory (a path, or none at all).
bool IsLoopbackHost(std::string_view host);

/// A password anyone would try first: empty, a default of the servers Travio uses (guest,
/// postgres), one from an example file (change-me), a dictionary staple, or the user's name.
bool IsWellKnownPassword(std::string_view password, std::string_view user);

/// What libpq takes from the environment when the DSN leaves it out (PGHOST or PGHOSTADDR,
/// PGSERVICE, PGPASSWORD).
struct PostgresEnvironment {
  std::string host;
  std::string service;
  std::optional<std::string> password;
  static PostgresEnvironment FromProcess();
};

/// Refuses, naming every setting at fault (never a password) and what to do, the settings a
/// networked process must not start with:
/// - always: RabbitMQ's guest account, or an empty or well-known password for the broker,
///   the database (its DSN, or PGPASSWORD) or Redis; in a development set-up only for a
///   server other machines reach (one on loopback, as the test harness and
///   `make run-cluster` start them, is left alone);
/// - unless `development` is on: what each module in `specs` refuses
///   (ModuleSpec::production_check: the sandbox payment provider, email that stays on the
///   machine or may travel unencrypted).
absl::Status CheckProductionSettings(
    const config::Config& config, const std::vector<const ModuleSpec*>& specs,
    const PostgresEnvironment& postgres_environment = PostgresEnvironment::FromProcess());

}  // namespace travio::module
