// Operators' refund policies on SQLite and on PostgreSQL: the default until an operator sets its
// own, replaced whole, kept per operator, kept across restarts.
#include "services/order/storage/sql_refund_policies.h"

#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "absl/strings/str_cat.h"
#include "platform/db/migrations.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "services/order/storage/sql_order_store.h"

namespace travio::order {
namespace {

using testing::SqlEngine;

// 2026-01-01T00:00:00Z.
const absl::Time kNow = absl::FromUnixSeconds(1'767'225'600);

class SqlRefundPoliciesTest : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override { Open(); }

  // (Re)opens the database, as a restarted process does.
  void Open() {
    policies_.reset();
    database_.reset();
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = OrderMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "order", migrations));
    policies_ = MakeSqlRefundPolicies(*database_);
  }

  std::vector<RefundTier> TiersFor(const std::string& org_id) {
    auto policy = policies_->For(org_id);
    EXPECT_OK(policy);
    return policy.ok() ? policy->tiers : std::vector<RefundTier>{};
  }

  // The stored row's columns, as text: tiers and updated_at.
  std::vector<std::string> Row(const std::string& org_id) {
    auto result = database_->Execute(
        "SELECT tiers, updated_at FROM order_refund_policies WHERE org_id = $1", {org_id});
    EXPECT_OK(result);
    if (!result.ok() || result->rows.empty()) return {};
    return {result->rows[0].Text(0), absl::StrCat(result->rows[0].Int(1))};
  }

  testing::SqlTestStorage storage_{GetParam()};
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<RefundPolicies> policies_;
};

TEST_P(SqlRefundPoliciesTest, AnOperatorThatSetNoPolicyIsOnTheDefault) {
  auto own = policies_->Find("org-a");
  ASSERT_OK(own);
  EXPECT_FALSE(own->has_value());
  EXPECT_EQ(TiersFor("org-a"), DefaultRefundPolicy().tiers);
}

TEST_P(SqlRefundPoliciesTest, APolicyIsStoredPerOperatorAndReplacedWhole) {
  const RefundPolicy sixty{{{absl::Hours(24), 60}}};
  ASSERT_OK(policies_->Put("org-a", sixty, kNow));
  auto own = policies_->Find("org-a");
  ASSERT_OK(own);
  ASSERT_TRUE(own->has_value());
  EXPECT_EQ((*own)->tiers, sixty.tiers);
  EXPECT_EQ(TiersFor("org-a"), sixty.tiers);
  // The documented column format, and when it was set.
  EXPECT_EQ(Row("org-a"), std::vector<std::string>({R"([{"notice_minutes":1440,"percent":60}])",
                                                    absl::StrCat(absl::ToUnixMicros(kNow))}));
  // Another operator is untouched.
  EXPECT_EQ(TiersFor("org-b"), DefaultRefundPolicy().tiers);

  // Setting again replaces every tier (here: more of them, one to the minute).
  const RefundPolicy two{{{absl::Hours(72), 100}, {absl::Minutes(90), 10}}};
  ASSERT_OK(policies_->Put("org-a", two, kNow + absl::Minutes(5)));
  EXPECT_EQ(TiersFor("org-a"), two.tiers);
  EXPECT_EQ(Row("org-a")[1], absl::StrCat(absl::ToUnixMicros(kNow + absl::Minutes(5))));
  auto rows = database_->Execute("SELECT COUNT(*) FROM order_refund_policies");
  ASSERT_OK(rows);
  EXPECT_EQ(rows->rows[0].Int(0), 1);

  ASSERT_OK(policies_->Put("org-b", sixty, kNow));
  EXPECT_EQ(TiersFor("org-b"), sixty.tiers);
  EXPECT_EQ(TiersFor("org-a"), two.tiers);
}

TEST_P(SqlRefundPoliciesTest, PoliciesOutliveARestartAndMigratingAgainChangesNothing) {
  const RefundPolicy policy{{{absl::Hours(48), 80}, {absl::Hours(12), 40}}};
  ASSERT_OK(policies_->Put("org-a", policy, kNow));
  Open();
  EXPECT_EQ(TiersFor("org-a"), policy.tiers);
  EXPECT_EQ(TiersFor("org-b"), DefaultRefundPolicy().tiers);
}

TEST_P(SqlRefundPoliciesTest, ConcurrentSettersLeaveOneWholePolicy) {
  constexpr int kWriters = 8;
  std::latch start(kWriters);
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      start.arrive_and_wait();
      const RefundPolicy policy{{{absl::Hours(48 + i), 90 - i}, {absl::Hours(6), 10}}};
      if (!policies_->Put("org-a", policy, kNow + absl::Seconds(i)).ok()) ++failures;
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(failures.load(), 0);
  const std::vector<RefundTier> tiers = TiersFor("org-a");
  ASSERT_EQ(tiers.size(), 2u);
  // Whichever won, its tiers came together.
  const int64_t i = absl::ToInt64Hours(tiers[0].notice) - 48;
  EXPECT_EQ(tiers[0].percent, 90 - i);
}

TEST_P(SqlRefundPoliciesTest, AnUnreadableStoredPolicyIsAnErrorNotTheDefault) {
  ASSERT_OK(
      database_->Execute("INSERT INTO order_refund_policies (org_id, tiers, updated_at) "
                         "VALUES ($1, $2, $3)",
                         {std::string("org-a"), std::string("[{\"notice\":1}]"), int64_t{0}}));
  EXPECT_EQ(policies_->For("org-a").status().code(), absl::StatusCode::kDataLoss);
}

INSTANTIATE_TEST_SUITE_P(Engines, SqlRefundPoliciesTest,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::order
