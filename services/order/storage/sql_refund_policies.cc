#include "services/order/storage/sql_refund_policies.h"

#include "platform/base/status_macros.h"
#include "services/order/storage/order_rows.h"

namespace travio::order {
namespace {

class SqlRefundPolicies final : public RefundPolicies {
 public:
  explicit SqlRefundPolicies(db::Database& database) : database_(database) {}

  absl::StatusOr<std::optional<RefundPolicy>> Find(const std::string& org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT tiers FROM order_refund_policies WHERE org_id = $1", {org_id}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(RefundPolicy policy, ParseTiers(result.rows[0].Text(0)));
    return policy;
  }

  absl::Status Put(const std::string& org_id, const RefundPolicy& policy, absl::Time at) override {
    return database_
        .Execute(
            "INSERT INTO order_refund_policies (org_id, tiers, updated_at) VALUES ($1, $2, $3) "
            "ON CONFLICT (org_id) DO UPDATE SET tiers = excluded.tiers, updated_at = "
            "excluded.updated_at",
            {org_id, TiersJson(policy), absl::ToUnixMicros(at)})
        .status();
  }

 private:
  db::Database& database_;
};

}  // namespace

std::unique_ptr<RefundPolicies> MakeSqlRefundPolicies(db::Database& database) {
  return std::make_unique<SqlRefundPolicies>(database);
}

}  // namespace travio::order
