#include "platform/module/production_settings.h"

#include <array>
#include <cstdlib>
#include <optional>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/db/database.h"
#include "platform/http/client_address.h"

namespace travio::module {
namespace {

// The host of "host:port", "[v6]:port" or a bare host.
std::string_view HostOf(std::string_view address) {
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    return close == std::string_view::npos ? address : address.substr(1, close - 1);
  }
  const size_t colon = address.rfind(':');
  // Two colons or more and no brackets: an IPv6 address without a port.
  if (colon != std::string_view::npos && address.find(':') == colon) {
    return address.substr(0, colon);
  }
  return address;
}

// Every host of a comma-separated list of addresses is on loopback.
bool AllLoopback(const std::string& addresses) {
  bool any = false;
  for (absl::string_view address : absl::StrSplit(addresses, ',', absl::SkipWhitespace())) {
    any = true;
    address = absl::StripAsciiWhitespace(address);
    if (!IsLoopbackHost(HostOf(std::string_view(address.data(), address.size())))) return false;
  }
  return any;
}

}  // namespace

PostgresEnvironment PostgresEnvironment::FromProcess() {
  auto variable = [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  PostgresEnvironment environment;
  environment.host = variable("PGHOST").value_or(variable("PGHOSTADDR").value_or(""));
  environment.service = variable("PGSERVICE").value_or("");
  environment.password = variable("PGPASSWORD");
  return environment;
}

bool IsNetworked(const config::Config& config) {
  if (!config.String("grpc.addr").empty() || config.String("storage") == "postgres" ||
      config.String("hot_state") == "redis" || config.String("events") == "rabbitmq") {
    return true;
  }
  for (const auto& [name, spec] : config.schema().keys()) {
    if (name.rfind("peers.", 0) == 0 && !config.String(name).empty()) return true;
  }
  return false;
}

bool IsLoopbackHost(std::string_view host) {
  if (host.empty() || host.front() == '/' ||
      absl::AsciiStrToLower(std::string(host)) == "localhost") {
    return true;
  }
  const std::optional<std::string> address = http::CanonicalAddress(host);
  if (!address) return false;
  return *address == "::1" || address->rfind("127.", 0) == 0;
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
                                     const std::vector<const ModuleSpec*>& specs,
                                     const PostgresEnvironment& postgres_environment) {
  if (!IsNetworked(config)) return absl::OkStatus();
  std::vector<std::string> problems;
  const bool development = config.Bool("development");
  // Passwords, in every set-up: a server other machines reach is attacked with these first.
  // (In production even one on this machine: it may listen on every interface too.)
  auto reachable = [development](const std::string& addresses) {
    return !development || !AllLoopback(addresses);
  };
  if (config.String("events") == "rabbitmq" && reachable(config.String("rabbitmq.addr"))) {
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
    if (login.ok()) {
      // What the DSN leaves out, libpq takes from the environment (or a service file, whose
      // hosts cannot be known here: taken as reachable).
      if (login->hosts.empty()) {
        for (absl::string_view host :
             absl::StrSplit(postgres_environment.host, ',', absl::SkipEmpty())) {
          login->hosts.emplace_back(host);
        }
        if (!postgres_environment.service.empty() || login->service) {
          login->hosts.push_back("service");
        }
      }
      if (!login->password && postgres_environment.password) {
        login->password = postgres_environment.password;
      }
    }
    bool remote = !development;
    if (login.ok()) {
      for (const std::string& host : login->hosts) remote = remote || !IsLoopbackHost(host);
    }
    if (login.ok() && remote && login->password &&
        IsWellKnownPassword(*login->password, login->user)) {
      problems.push_back(
          "postgres.dsn logs in with an empty or well-known password: set a generated one (or "
          "leave it out of the DSN and use PGPASSWORD, a password file or certificates)");
    }
  }
  if (config.String("hot_state") == "redis" && reachable(config.String("redis.addr")) &&
      IsWellKnownPassword(config.String("redis.password"), "default")) {
    problems.push_back(
        "redis.password is empty or well known: Redis answers anyone who reaches it; set "
        "requirepass (and masterauth in a cluster) to a generated one and give it here");
  }
  // What only a development set-up may use.
  if (!development) {
    for (const ModuleSpec* spec : specs) {
      if (!spec->production_check) continue;
      for (std::string& problem : spec->production_check(config)) {
        problems.push_back(std::move(problem));
      }
    }
  }
  if (problems.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "refusing to start with settings unfit for ",
      development ? "servers other machines can reach" : "production", ": ",
      absl::StrJoin(problems, "; "),
      development ? "."
                  : ". (A development set-up on machines of your own may use the sandbox "
                    "provider and unencrypted email: set development: true, or "
                    "TRAVIO_DEVELOPMENT=true.)"));
}

}  // namespace travio::module
