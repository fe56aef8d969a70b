// One contract for both drivers: every test in DatabaseContract runs on SQLite and on a real
// PostgreSQL, so a service written against one behaves the same on the other. Transactions and
// migrations have files of their own (their cases are instantiated here too); driver-specific
// behaviour (pooling, reconnects, file locking) is tested in postgres_database_test.cc and
// sqlite_database_test.cc.

#include "platform/db/database_contract.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/db/database.h"
#include "platform/testing/status_matchers.h"

namespace travio::db {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// ---------------------------------------------------------------------------------------------
// Row accessors (no database needed)

TEST(Row, AccessorsConvertBetweenCompatibleRepresentations) {
  const Row row(
      {int64_t{42}, 2.0, std::string("123456789012"), Bytes{"raw"}, std::monostate(), 0.25});
  EXPECT_EQ(row.Int(0), 42);
  EXPECT_EQ(row.Double(0), 42.0);
  EXPECT_EQ(row.Text(0), "42");
  EXPECT_EQ(row.Int(1), 2);             // an integral double
  EXPECT_EQ(row.Int(2), 123456789012);  // PostgreSQL NUMERIC arrives as text
  EXPECT_EQ(row.Double(2), 123456789012.0);
  EXPECT_EQ(row.Blob(2), "123456789012");
  EXPECT_EQ(row.Blob(3), "raw");
  EXPECT_EQ(row.Text(3), "raw");
  EXPECT_TRUE(row.IsNull(4));
  EXPECT_EQ(row.Int(4), 0);
  EXPECT_EQ(row.Double(4), 0.0);
  EXPECT_EQ(row.Text(4), "");
  EXPECT_EQ(row.Blob(4), "");
  EXPECT_EQ(row.Text(5), "0.25");
}

TEST(RowDeathTest, ReadingAColumnAsAnIncompatibleTypeStopsWithTheColumn) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const Row row({Bytes{"raw"}, std::string("abc"), 0.5});
  EXPECT_DEATH(row.Int(0), "Row::Int\\(column 0\\): the value is bytes");
  EXPECT_DEATH(row.Int(1), "Row::Int\\(column 1\\): the text \"abc\" is not an integer");
  EXPECT_DEATH(row.Int(2), "Row::Int\\(column 2\\)");
  EXPECT_DEATH(row.Double(0), "Row::Double\\(column 0\\)");
  EXPECT_DEATH(row.Text(3), "Row::Text\\(column 3\\): the row has only 3 columns");
}

// ---------------------------------------------------------------------------------------------
// Values and parameters

TEST_P(DatabaseContract, EveryValueTypeRoundTripsThroughAColumn) {
  Must(db().Execute(absl::StrCat("CREATE TABLE v (id BIGINT PRIMARY KEY, i BIGINT, ",
                                 "d DOUBLE PRECISION, t TEXT, b ", BlobType(), ")")));
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes.push_back(static_cast<char>(c));
  const std::vector<std::vector<Value>> rows = {
      {int64_t{1}, std::monostate(), std::monostate(), std::monostate(), std::monostate()},
      {int64_t{2}, std::numeric_limits<int64_t>::min(), 0.1, std::string(), Bytes{""}},
      {int64_t{3}, std::numeric_limits<int64_t>::max(), -1.5e308, std::string("plain"),
       Bytes{std::string("\0\x01\xff\xfe\x80", 5)}},
      {int64_t{4}, int64_t{0}, 3.141592653589793, std::string("ঢাকা → চট্টগ্রাম 🚌 naïve"),
       Bytes{all_bytes}},
      {int64_t{5}, int64_t{-1}, std::numeric_limits<double>::min(),
       std::string("O'Brien \\ \"quoted\" $1 ; --"), Bytes{"\xc3\x28 not utf-8"}},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(Must(db().Execute("INSERT INTO v (id, i, d, t, b) VALUES ($1, $2, $3, $4, $5)",
                                std::span<const Value>(row)))
                  .affected_rows,
              1);
  }
  Result result = Must(db().Execute("SELECT id, i, d, t, b FROM v ORDER BY id"));
  ASSERT_EQ(result.rows.size(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t c = 0; c < rows[r].size(); ++c) {
      EXPECT_EQ(result.rows[r].at(c), rows[r][c]) << "row " << r << " column " << c;
    }
  }
  EXPECT_TRUE(result.rows[0].IsNull(1));
  EXPECT_EQ(result.rows[0].Int(1), 0);
  EXPECT_EQ(result.rows[0].Text(3), "");
  EXPECT_EQ(result.rows[0].Blob(4), "");
  EXPECT_FALSE(result.rows[1].IsNull(3));  // empty text is not NULL
  EXPECT_FALSE(result.rows[1].IsNull(4));  // nor is an empty blob
}

TEST_P(DatabaseContract, ParametersKeepTheirTypeInASelectList) {
  Result result = Must(db().Execute(
      "SELECT $1 AS n, $2 AS i, $3 AS d, $4 AS t, $5 AS b",
      {std::monostate(), int64_t{-42}, 2.5, std::string("tëxt"), Bytes{std::string("\0z", 2)}}));
  EXPECT_THAT(result.columns, ElementsAre("n", "i", "d", "t", "b"));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].at(0), Value(std::monostate()));
  EXPECT_EQ(result.rows[0].at(1), Value(int64_t{-42}));
  EXPECT_EQ(result.rows[0].at(2), Value(2.5));
  EXPECT_EQ(result.rows[0].at(3), Value(std::string("tëxt")));
  EXPECT_EQ(result.rows[0].at(4), Value(Bytes{std::string("\0z", 2)}));
}

TEST_P(DatabaseContract, IntegerExpressionsReadAsInt64) {
  Result result = Must(db().Execute("SELECT 7 AS small, COUNT(*) AS counted, 1 = 1 AS flag"));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].at(0), Value(int64_t{7}));
  EXPECT_EQ(result.rows[0].at(1), Value(int64_t{1}));
  EXPECT_EQ(result.rows[0].at(2), Value(int64_t{1}));  // a boolean is 1 on both engines
}

TEST_P(DatabaseContract, PlaceholdersMayBeOutOfOrderAndRepeated) {
  CreateItems();
  Must(db().Execute("INSERT INTO items (name, id) VALUES ($2, $1)", {int64_t{10}, "ten"}));
  Result result = Must(db().Execute("SELECT $2 AS a, $1 AS b, $2 AS c", {"first", "second"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].Text(0), "second");
  EXPECT_EQ(result.rows[0].Text(1), "first");
  EXPECT_EQ(result.rows[0].Text(2), "second");

  result = Must(db().Execute("SELECT name FROM items WHERE id = $1 OR name = $2 OR id = $1 + 1",
                             {int64_t{10}, "none"}));
  ASSERT_EQ(result.rows.size(), 1u);
  EXPECT_EQ(result.rows[0].Text(0), "ten");
}

TEST_P(DatabaseContract, MissingParameterIsInvalidArgument) {
  absl::StatusOr<Result> result = db().Execute("SELECT $1, $2", {int64_t{1}});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
}

TEST_P(DatabaseContract, OneStatementPerExecute) {
  absl::StatusOr<Result> result = db().Execute("SELECT 1; SELECT 2");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
}

// ---------------------------------------------------------------------------------------------
// Statements

TEST_P(DatabaseContract, AffectedRowsCountInsertsUpdatesAndDeletes) {
  CreateItems();
  EXPECT_EQ(
      Must(db().Execute("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, 'c')")).affected_rows, 3);
  EXPECT_EQ(Must(db().Execute("UPDATE items SET name = name || '!' WHERE id <= $1", {int64_t{2}}))
                .affected_rows,
            2);
  EXPECT_EQ(Must(db().Execute("UPDATE items SET name = 'x' WHERE id = 99")).affected_rows, 0);
  EXPECT_EQ(Must(db().Execute("DELETE FROM items WHERE id = 3")).affected_rows, 1);
  EXPECT_EQ(Must(db().Execute("SELECT * FROM items")).affected_rows, 0);
  EXPECT_EQ(Must(db().Execute("CREATE TABLE other (id BIGINT)")).affected_rows, 0);

  Result result = Must(db().Execute("SELECT id, name FROM items ORDER BY id"));
  EXPECT_THAT(result.columns, ElementsAre("id", "name"));
  ASSERT_EQ(result.rows.size(), 2u);
  EXPECT_EQ(result.rows[0].Text(1), "a!");
  EXPECT_EQ(result.rows[1].Text(1), "b!");
}

TEST_P(DatabaseContract, ReturningGivesTheWrittenRows) {
  CreateItems();
  Result inserted = Must(db().Execute(
      "INSERT INTO items (id, name) VALUES ($1, $2) RETURNING id, name", {int64_t{1}, "one"}));
  EXPECT_EQ(inserted.affected_rows, 1);
  EXPECT_THAT(inserted.columns, ElementsAre("id", "name"));
  ASSERT_EQ(inserted.rows.size(), 1u);
  EXPECT_EQ(inserted.rows[0].Int(0), 1);
  EXPECT_EQ(inserted.rows[0].Text(1), "one");

  Result updated =
      Must(db().Execute("UPDATE items SET name = 'uno' WHERE id = 1 RETURNING name AS renamed"));
  EXPECT_EQ(updated.affected_rows, 1);
  EXPECT_THAT(updated.columns, ElementsAre("renamed"));
  ASSERT_EQ(updated.rows.size(), 1u);
  EXPECT_EQ(updated.rows[0].Text(0), "uno");
}

TEST_P(DatabaseContract, OnConflictDoNothingSkipsTheDuplicate) {
  CreateItems();
  Must(db().Execute("INSERT INTO items VALUES (1, 'one')"));
  Result skipped = Must(
      db().Execute("INSERT INTO items VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id",
                   {int64_t{1}, "again"}));
  EXPECT_EQ(skipped.affected_rows, 0);
  EXPECT_TRUE(skipped.rows.empty());
  EXPECT_EQ(Must(db().Execute("SELECT name FROM items WHERE id = 1")).rows.at(0).Text(0), "one");

  Result upserted = Must(db().Execute(
      "INSERT INTO items VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
      {int64_t{1}, "uno"}));
  EXPECT_EQ(upserted.affected_rows, 1);
  EXPECT_EQ(Must(db().Execute("SELECT name FROM items WHERE id = 1")).rows.at(0).Text(0), "uno");
}

TEST_P(DatabaseContract, UniqueViolationIsAlreadyExists) {
  CreateItems();
  Must(db().Execute("INSERT INTO items VALUES (1, 'one')"));
  absl::StatusOr<Result> same_key = db().Execute("INSERT INTO items VALUES (1, 'other')");
  EXPECT_EQ(same_key.status().code(), absl::StatusCode::kAlreadyExists) << same_key.status();
  absl::StatusOr<Result> same_name = db().Execute("INSERT INTO items VALUES (2, 'one')");
  EXPECT_EQ(same_name.status().code(), absl::StatusCode::kAlreadyExists) << same_name.status();
  EXPECT_EQ(Count(db(), "items"), 1);
}

TEST_P(DatabaseContract, SyntaxErrorIsInvalidArgumentWithTheMessage) {
  absl::StatusOr<Result> result = db().Execute("SELEC 1");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("syntax error"));

  result = db().Execute("SELECT * FROM no_such_table");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(result.status().message(), HasSubstr("no_such_table"));
}

TEST_P(DatabaseContract, DialectNamesTheEngine) {
  EXPECT_EQ(db().dialect(), GetParam());
  absl::StatusOr<std::unique_ptr<Transaction>> transaction = db().Begin();
  ASSERT_OK(transaction);
  EXPECT_EQ((*transaction)->dialect(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, DatabaseContract, ::testing::Values(Dialect::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, DatabaseContract, ::testing::Values(Dialect::kPostgres));

}  // namespace
}  // namespace travio::db
