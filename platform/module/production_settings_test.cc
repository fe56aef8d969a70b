#include "platform/module/production_settings.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "absl/strings/match.h"
#include "platform/module/registry.h"
#include "platform/module/runtime.h"
#include "platform/testing/status_matchers.h"

namespace travio::module {
namespace {

class ProductionSettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(registry_.Add({.name = "ledger",
                             .description = "takes payments",
                             .production_check = [](const config::Config&) {
                               return std::vector<std::string>{"ledger.provider is a toy"};
                             }}));
    ASSERT_OK(registry_.Add({.name = "desk", .description = "no check of its own"}));
    ASSERT_OK(registry_.Validate());
    ASSERT_OK(DeclareCoreConfig(registry_, schema_));
  }

  // The check for a process running `target` with `flags` as its settings (and `postgres`
  // as libpq's environment).
  absl::Status Check(const std::string& target, std::map<std::string, std::string> flags,
                     const PostgresEnvironment& postgres = {}) {
    flags["target"] = target;
    auto config = config::Config::Load(schema_, {.files = {}, .environment = {}, .flags = flags});
    EXPECT_OK(config);
    if (!config.ok()) return config.status();
    auto specs = registry_.Resolve(target);
    EXPECT_OK(specs);
    return CheckProductionSettings(*config, *specs, postgres);
  }

  // Default accounts and example passwords on servers other machines reach, in a process
  // serving gRPC.
  static std::map<std::string, std::string> Careless() {
    return {{"grpc.addr", "0.0.0.0:9090"},
            {"events", "rabbitmq"},
            {"rabbitmq.addr", "rabbitmq:5672"},
            {"storage", "postgres"},
            {"postgres.dsn", "postgresql://travio:change-me@db:5432/travio"},
            {"hot_state", "redis"},
            {"redis.addr", "redis-1:6379,redis-2:6379"}};
  }
  // The same servers on this machine only, as the test harness starts them.
  static std::map<std::string, std::string> OnLoopback() {
    return {{"grpc.addr", "127.0.0.1:9090"},
            {"events", "rabbitmq"},
            {"rabbitmq.addr", "127.0.0.1:5672"},
            {"storage", "postgres"},
            {"postgres.dsn", "postgresql://postgres@127.0.0.1:5432/postgres"},
            {"hot_state", "redis"},
            {"redis.addr", "127.0.0.1:7001,localhost:7002,[::1]:7003"}};
  }

  Registry registry_;
  config::Schema schema_;
};

TEST_F(ProductionSettingsTest, ADistributedProcessRefusesEveryDevelopmentSettingAtOnce) {
  const absl::Status refused = Check("ledger", Careless());
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  for (const char* named :
       {"rabbitmq.user is RabbitMQ's default guest account", "postgres.dsn", "redis.password",
        "ledger.provider is a toy", "TRAVIO_DEVELOPMENT=true"}) {
    EXPECT_TRUE(absl::StrContains(refused.message(), named)) << named << ": " << refused;
  }
  EXPECT_FALSE(absl::StrContains(refused.message(), "change-me")) << "a password is repeated";
  // A module without a check of its own is held to the shared ones only.
  auto desk = Check("desk", Careless());
  EXPECT_FALSE(absl::StrContains(desk.message(), "ledger")) << desk;
  // A gateway serves no gRPC but calls its peers over it: distributed too.
  auto flags = Careless();
  flags.erase("grpc.addr");
  flags["peers.ledger"] = "ledger:9090";
  EXPECT_EQ(Check("desk", flags).code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(ProductionSettingsTest, DevelopmentAllowsTheSandboxButNeverWellKnownPasswords) {
  auto flags = Careless();
  flags["development"] = "true";
  const absl::Status refused = Check("ledger", flags);
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(refused.message(), "postgres.dsn")) << refused;
  EXPECT_FALSE(absl::StrContains(refused.message(), "ledger.provider")) << refused;
  flags["rabbitmq.user"] = "travio";
  flags["rabbitmq.password"] = "Vq3nL9x2Rk7pZ4tB";
  flags["postgres.dsn"] = "host=db user=travio password=Hs8dK2mQ9wLx3cVb dbname=travio";
  flags["redis.password"] = "Yt6gN1rP8sJ5kD0a";
  EXPECT_OK(Check("ledger", flags));
}

TEST_F(ProductionSettingsTest, ServersOnLoopbackKeepTheirDefaultAccounts) {
  auto flags = OnLoopback();
  flags["development"] = "true";
  EXPECT_OK(Check("ledger", flags));
  flags["postgres.dsn"] = "host=/var/run/postgresql user=postgres password=postgres";
  EXPECT_OK(Check("ledger", flags));
  // In production, a server on this machine may listen on every interface too: its default
  // accounts are refused as well, beside the sandbox.
  flags.erase("development");
  const absl::Status refused = Check("ledger", flags);
  for (const char* named : {"ledger.provider", "rabbitmq.user", "postgres.dsn", "redis.password"}) {
    EXPECT_TRUE(absl::StrContains(refused.message(), named)) << named << ": " << refused;
  }
  // One remote host among the list is enough to be reachable.
  flags["development"] = "true";
  flags["redis.addr"] = "127.0.0.1:7001,10.0.0.7:7002";
  EXPECT_FALSE(Check("ledger", flags).ok());
}

// libpq fills in what the DSN leaves out from PGHOST, PGSERVICE and PGPASSWORD: so does the
// check.
TEST_F(ProductionSettingsTest, WhatLibpqTakesFromTheEnvironmentIsCheckedToo) {
  auto flags = OnLoopback();
  flags["development"] = "true";
  flags["postgres.dsn"] = "user=postgres password=postgres dbname=travio";
  EXPECT_OK(Check("desk", flags));  // the local socket
  EXPECT_FALSE(Check("desk", flags, {.host = "db.example.com"}).ok());
  EXPECT_FALSE(Check("desk", flags, {.service = "prod"}).ok());
  flags["postgres.dsn"] = "service=prod user=postgres password=postgres";
  EXPECT_FALSE(Check("desk", flags).ok());
  flags["postgres.dsn"] = "host=db.example.com user=travio dbname=travio";
  EXPECT_OK(Check("desk", flags, {.password = "Hs8dK2mQ9wLx3cVb"}));
  EXPECT_FALSE(Check("desk", flags, {.password = "change-me"}).ok());
}

TEST_F(ProductionSettingsTest, OnlyTheMonolithOnItsEmbeddedStorageIsLeftAlone) {
  EXPECT_OK(Check("all", {}));
  // A single process on networked servers is held to the same rules.
  auto flags = Careless();
  flags.erase("grpc.addr");
  EXPECT_EQ(Check("all", flags).code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Check("all", {{"storage", "postgres"},
                          {"postgres.dsn", "postgresql://travio:travio@db/travio"}})
                .code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ProductionSettingsTest, GeneratedPasswordsPass) {
  auto flags = Careless();
  flags["rabbitmq.user"] = "travio";
  flags["rabbitmq.password"] = "Vq3nL9x2Rk7pZ4tB";
  flags["postgres.dsn"] = "host=db user=travio password=Hs8dK2mQ9wLx3cVb dbname=travio";
  flags["redis.password"] = "Yt6gN1rP8sJ5kD0a";
  EXPECT_OK(Check("desk", flags));
  // No password in the DSN: libpq takes it from PGPASSWORD or a password file.
  flags["postgres.dsn"] = "postgresql://travio@db:5432/travio";
  EXPECT_OK(Check("desk", flags));
  // Well-known ones, whatever their case, and a password that is the user's name.
  flags["postgres.dsn"] = "host=db user=travio password=Postgres dbname=travio";
  EXPECT_FALSE(Check("desk", flags).ok());
  flags["postgres.dsn"] = "host=db user=travio password=travio dbname=travio";
  EXPECT_FALSE(Check("desk", flags).ok());
  flags["postgres.dsn"] = "postgresql://travio@db:5432/travio";
  flags["rabbitmq.password"] = "GUEST";
  EXPECT_FALSE(Check("desk", flags).ok());
}

TEST(LoopbackHostTest, OnlyThisMachinesAddressesAndSockets) {
  for (const char* local :
       {"127.0.0.1", "127.9.9.9", "localhost", "LOCALHOST", "::1", "", "/var/run/postgresql"}) {
    EXPECT_TRUE(IsLoopbackHost(local)) << local;
  }
  for (const char* remote : {"10.0.0.1", "db", "127.evil.example", "::ffff:10.0.0.1", "0.0.0.0"}) {
    EXPECT_FALSE(IsLoopbackHost(remote)) << remote;
  }
}

TEST(WellKnownPasswordTest, NamesTheFirstGuesses) {
  EXPECT_TRUE(IsWellKnownPassword("", "travio"));
  EXPECT_TRUE(IsWellKnownPassword("change-me", "travio"));
  EXPECT_TRUE(IsWellKnownPassword("Guest", "travio"));
  EXPECT_TRUE(IsWellKnownPassword("Booking", "booking"));
  EXPECT_FALSE(IsWellKnownPassword("Vq3nL9x2Rk7pZ4tB", "travio"));
}

}  // namespace
}  // namespace travio::module
