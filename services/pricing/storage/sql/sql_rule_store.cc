#include "services/pricing/storage/sql/sql_rule_store.h"

#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::pricing {
namespace {

constexpr char kColumns[] =
    "id, org_id, version, name, priority, when_expr, adjust_expr, active, valid_from, valid_to, "
    "created_at, updated_at";

db::Value OptionalMicros(const std::optional<absl::Time>& time) {
  if (!time) return db::Value{};
  return absl::ToUnixMicros(*time);
}

std::optional<absl::Time> OptionalTime(const db::Row& row, size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return absl::FromUnixMicros(row.Int(column));
}

std::vector<db::Value> Values(const PricingRule& rule) {
  return {rule.id,
          rule.org_id,
          rule.version,
          rule.spec.name,
          rule.spec.priority,
          rule.spec.when,
          rule.spec.adjust,
          int64_t{rule.spec.active ? 1 : 0},
          OptionalMicros(rule.spec.valid_from),
          OptionalMicros(rule.spec.valid_to),
          absl::ToUnixMicros(rule.created_at),
          absl::ToUnixMicros(rule.updated_at)};
}

PricingRule RuleOf(const db::Row& row) {
  return PricingRule{.id = row.Text(0),
                     .org_id = row.Text(1),
                     .spec = RuleDraft{.name = row.Text(3),
                                       .priority = row.Int(4),
                                       .when = row.Text(5),
                                       .adjust = row.Text(6),
                                       .active = row.Int(7) != 0,
                                       .valid_from = OptionalTime(row, 8),
                                       .valid_to = OptionalTime(row, 9)},
                     .version = row.Int(2),
                     .created_at = absl::FromUnixMicros(row.Int(10)),
                     .updated_at = absl::FromUnixMicros(row.Int(11))};
}

constexpr char kInsert[] =
    "INSERT INTO pricing_rules (id, org_id, version, name, priority, when_expr, adjust_expr, "
    "active, valid_from, valid_to, created_at, updated_at, current) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)";

class SqlRuleStore final : public RuleStore {
 public:
  explicit SqlRuleStore(db::Database& database) : database_(database) {}

  absl::Status Insert(const PricingRule& rule) override {
    return database_.Execute(kInsert, Values(rule)).status();
  }

  absl::StatusOr<std::optional<PricingRule>> Find(const std::string& org_id,
                                                  const std::string& rule_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(std::string("SELECT ") + kColumns +
                              " FROM pricing_rules WHERE org_id = $1 AND id = $2 AND current = 1",
                          {org_id, rule_id}));
    if (result.rows.empty()) return std::nullopt;
    return RuleOf(result.rows.front());
  }

  absl::StatusOr<std::vector<PricingRule>> ListCurrent(const std::string& org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(std::string("SELECT ") + kColumns +
                              " FROM pricing_rules WHERE org_id = $1 AND current = 1 "
                              "ORDER BY priority, id",
                          {org_id}));
    std::vector<PricingRule> rules;
    rules.reserve(result.rows.size());
    for (const db::Row& row : result.rows) rules.push_back(RuleOf(row));
    return rules;
  }

  absl::Status Replace(const PricingRule& next) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result ended,
          tx.Execute("UPDATE pricing_rules SET current = 0 "
                     "WHERE org_id = $1 AND id = $2 AND version = $3 AND current = 1",
                     {next.org_id, next.id, next.version - 1}));
      if (ended.affected_rows == 0) {
        return Error(reasons::kConcurrentUpdate,
                     "The rule changed meanwhile; read it again and repeat the change.");
      }
      return tx.Execute(kInsert, Values(next)).status();
    });
  }

  absl::StatusOr<bool> Delete(const std::string& org_id, const std::string& rule_id,
                              absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result ended, database_.Execute("UPDATE pricing_rules SET current = 0, deleted_at = $3 "
                                            "WHERE org_id = $1 AND id = $2 AND current = 1",
                                            {org_id, rule_id, absl::ToUnixMicros(at)}));
    return ended.affected_rows > 0;
  }

 private:
  db::Database& database_;
};

}  // namespace

std::unique_ptr<RuleStore> MakeSqlRuleStore(db::Database& database) {
  return std::make_unique<SqlRuleStore>(database);
}

std::vector<db::Migration> PricingMigrations() {
  return {{1, "pricing rules, every version", R"sql(
CREATE TABLE pricing_rules (
  id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  version BIGINT NOT NULL,
  name TEXT NOT NULL,
  priority BIGINT NOT NULL,
  when_expr TEXT NOT NULL,
  adjust_expr TEXT NOT NULL,
  active BIGINT NOT NULL,
  valid_from BIGINT,
  valid_to BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  current BIGINT NOT NULL,
  deleted_at BIGINT,
  PRIMARY KEY (id, version)
);
CREATE INDEX pricing_rules_current ON pricing_rules (org_id, current, priority);
CREATE UNIQUE INDEX pricing_rules_one_current ON pricing_rules (id) WHERE current = 1;
)sql"}};
}

}  // namespace travio::pricing
