// ApplyMigrations on both drivers (instantiated in database_contract_test.cc): each version once,
// changed or unknown versions refused, failures leaving nothing behind, concurrent appliers.
#include "platform/db/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "platform/db/database.h"
#include "platform/db/database_contract.h"
#include "platform/testing/status_matchers.h"

namespace travio::db {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<int64_t> AppliedVersions(Database& database, std::string_view module) {
  std::vector<int64_t> versions;
  Result result =
      Must(database.Execute("SELECT version FROM schema_migrations WHERE module = $1 "
                            "ORDER BY version",
                            {std::string(module)}));
  for (const Row& row : result.rows) versions.push_back(row.Int(0));
  return versions;
}

constexpr Migration kRoutesV1 = {1, "routes",
                                 "CREATE TABLE routes (\n"
                                 "  id TEXT PRIMARY KEY,\n"
                                 "  name TEXT NOT NULL\n"
                                 ");\n"
                                 "INSERT INTO routes VALUES ('r1', 'Dhaka-Sylhet');\n"};
constexpr Migration kRoutesV2 = {2, "stops",
                                 "-- stops along a route\n"
                                 "CREATE TABLE stops (route_id TEXT NOT NULL, seq BIGINT);\n"
                                 "CREATE INDEX stops_by_route ON stops (route_id);"};

TEST_P(DatabaseContract, MigrationsApplyOnceAndRerunningAppliesNothing) {
  const Migration migrations[] = {kRoutesV1, kRoutesV2};
  ASSERT_OK(ApplyMigrations(db(), "routes", migrations));
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_EQ(Count(db(), "routes"), 1);
  EXPECT_EQ(Count(db(), "stops"), 0);

  absl::Status again = ApplyMigrations(db(), "routes", migrations);
  EXPECT_OK(again);
  EXPECT_EQ(Count(db(), "routes"), 1);  // v1's INSERT did not run twice
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));

  Result row = Must(db().Execute(
      "SELECT name, checksum, applied_at FROM schema_migrations WHERE module = 'routes' "
      "AND version = 2"));
  ASSERT_EQ(row.rows.size(), 1u);
  EXPECT_EQ(row.rows[0].Text(0), "stops");
  EXPECT_EQ(row.rows[0].Text(1).size(), 64u);            // hex SHA-256
  EXPECT_GT(row.rows[0].Int(2), 1'600'000'000'000'000);  // unix microseconds
}

TEST_P(DatabaseContract, MigrationsApplyOnlyTheNewVersions) {
  const Migration first[] = {kRoutesV1};
  ASSERT_OK(ApplyMigrations(db(), "routes", first));
  const Migration both[] = {kRoutesV2, kRoutesV1};  // order of the list does not matter
  absl::Status status = ApplyMigrations(db(), "routes", both);
  EXPECT_OK(status);
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_EQ(Count(db(), "routes"), 1);
}

TEST_P(DatabaseContract, ChangedMigrationIsRefused) {
  const Migration original[] = {kRoutesV1};
  ASSERT_OK(ApplyMigrations(db(), "routes", original));
  const Migration edited[] = {
      {1, "routes", "CREATE TABLE routes (id TEXT PRIMARY KEY, name TEXT, extra TEXT);"}};
  absl::Status status = ApplyMigrations(db(), "routes", edited);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_THAT(status.message(), HasSubstr("changed"));
}

TEST_P(DatabaseContract, UnknownAppliedVersionIsRefused) {
  const Migration newer[] = {kRoutesV1, kRoutesV2};
  ASSERT_OK(ApplyMigrations(db(), "routes", newer));
  const Migration older[] = {kRoutesV1};
  absl::Status status = ApplyMigrations(db(), "routes", older);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
}

TEST_P(DatabaseContract, FailingMigrationLeavesNeitherItsTablesNorItsRow) {
  const Migration broken[] = {
      kRoutesV1, {2, "half", "CREATE TABLE half (id BIGINT);\nINSERT INTO missing VALUES (1);"}};
  absl::Status status = ApplyMigrations(db(), "routes", broken);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_THAT(status.message(), HasSubstr("v2"));
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1));
  EXPECT_FALSE(db().Execute("SELECT COUNT(*) FROM half").ok());

  const Migration fixed[] = {kRoutesV1, {2, "half", "CREATE TABLE half (id BIGINT);"}};
  status = ApplyMigrations(db(), "routes", fixed);
  EXPECT_OK(status);
  EXPECT_EQ(Count(db(), "half"), 0);
}

TEST_P(DatabaseContract, ModulesMigrateIndependently) {
  const Migration routes[] = {kRoutesV1, kRoutesV2};
  const Migration bookings[] = {
      {1, "bookings", "CREATE TABLE bookings (id TEXT PRIMARY KEY, amount BIGINT NOT NULL);"}};
  ASSERT_OK(ApplyMigrations(db(), "routes", routes));
  ASSERT_OK(ApplyMigrations(db(), "bookings", bookings));
  EXPECT_OK(ApplyMigrations(db(), "bookings", bookings));
  EXPECT_OK(ApplyMigrations(db(), "routes", routes));
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_THAT(AppliedVersions(db(), "bookings"), ElementsAre(1));
  EXPECT_EQ(Count(db(), "bookings"), 0);
}

TEST_P(DatabaseContract, PostgresSqlReplacesTheMigrationOnPostgresOnly) {
  const Migration migrations[] = {
      {1, "which", "CREATE TABLE which (engine TEXT);\nINSERT INTO which VALUES ('portable');",
       "CREATE TABLE which (engine TEXT);\nINSERT INTO which VALUES ('postgres');"}};
  ASSERT_OK(ApplyMigrations(db(), "which", migrations));
  EXPECT_EQ(Must(db().Execute("SELECT engine FROM which")).rows.at(0).Text(0),
            postgres() ? "postgres" : "portable");
  EXPECT_OK(ApplyMigrations(db(), "which", migrations));  // same checksum next time
}

TEST_P(DatabaseContract, ConcurrentAppliersApplyEachMigrationOnce) {
  const Migration migrations[] = {kRoutesV1, kRoutesV2};
  constexpr int kProcesses = 4;
  std::vector<std::unique_ptr<Database>> databases;
  for (int i = 0; i < kProcesses; ++i) {
    absl::StatusOr<std::unique_ptr<Database>> database = backend_->Open();
    ASSERT_OK(database);
    databases.push_back(*std::move(database));
  }
  std::vector<absl::Status> results(kProcesses);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcesses; ++i) {
    threads.emplace_back(
        [&, i] { results[i] = ApplyMigrations(*databases[i], "routes", migrations); });
  }
  for (std::thread& thread : threads) thread.join();
  for (const absl::Status& status : results) EXPECT_OK(status);
  EXPECT_THAT(AppliedVersions(db(), "routes"), ElementsAre(1, 2));
  EXPECT_EQ(Count(db(), "routes"), 1);
}

}  // namespace
}  // namespace travio::db
