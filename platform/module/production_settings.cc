#include "platform/module/production_settings.h"

#include <array>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/db/database.h"

namespace travio::module {

bool IsDistributed(const config::Config& config) {
  if (!config.String("grpc.addr").empty()) return true;
  for (const auto& [name, spec] : config.schema().keys()) {
    if (name.rfind("peers.", 0) == 0 && !config.String(name).empty()) return true;
  }
  return false;
}

bool IsWellKnownPassword(std::string_view password, std::string_view user) {
  static constexpr std::array<std::string_view, 14> kWellKnown = {
      "guest",  "postgres", "password", "passw0rd", "change-me", "changeme", "change_me",
      "secret", "travio",   "admin",    "root",     "123456",    "redis",    "rabbitmq"};
  const std::string lowered = absl::AsciiStrToLower(std::string(password));
  if (lowered.empty() || lowered == absl::AsciiStrToLower(std::string(user))) return true;
  for (std::string_view known : kWellKnown) {
    if (lowered == known) return true;
  }
  return false;
}

absl::Status CheckProductionSettings(const config::Config& config,
                                     const std::vector<const ModuleSpec*>& specs) {
  if (config.Bool("development") || !IsDistributed(config)) return absl::OkStatus();
  std::vector<std::string> problems;
  if (config.String("events") == "rabbitmq") {
    const std::string& user = config.String("rabbitmq.user");
    if (user == "guest") {
      problems.push_back(
          "rabbitmq.user is RabbitMQ's default guest account: create a user of "
          "Travio's own");
    } else if (IsWellKnownPassword(config.String("rabbitmq.password"), user)) {
      problems.push_back("rabbitmq.password is empty or well known: set a generated one");
    }
  }
  if (config.String("storage") == "postgres") {
    auto login = db::PostgresLoginOf(config.String("postgres.dsn"));
    if (login.ok() && login->password && IsWellKnownPassword(*login->password, login->user)) {
      problems.push_back(
          "postgres.dsn logs in with an empty or well-known password: set a generated one (or "
          "leave it out of the DSN and use PGPASSWORD, a password file or certificates)");
    }
  }
  if (config.String("hot_state") == "redis" &&
      IsWellKnownPassword(config.String("redis.password"), "default")) {
    problems.push_back(
        "redis.password is empty or well known: Redis answers anyone who reaches it; set "
        "requirepass (and masterauth in a cluster) to a generated one and give it here");
  }
  for (const ModuleSpec* spec : specs) {
    if (!spec->production_check) continue;
    for (std::string& problem : spec->production_check(config)) {
      problems.push_back(std::move(problem));
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to start a production deployment with settings fit only for development: ",
      absl::StrJoin(problems, "; "),
      ". (For a development set-up on machines of your own, set development: true, or "
      "TRAVIO_DEVELOPMENT=true.)"));
}

}  // namespace travio::module
