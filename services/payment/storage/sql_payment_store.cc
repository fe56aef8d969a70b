#include "services/payment/storage/sql_payment_store.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::payment {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  payment_key TEXT NOT NULL UNIQUE,
  order_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  payer TEXT NOT NULL,
  provider TEXT NOT NULL,
  provider_reference TEXT NOT NULL,
  status TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  refunded BIGINT NOT NULL,
  card_brand TEXT NOT NULL,
  card_last4 TEXT NOT NULL,
  failure_code TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  captured_at BIGINT NOT NULL
);
CREATE INDEX payments_by_order ON payments (order_id, created_at);
CREATE INDEX payments_by_capture ON payments (captured_at);
CREATE TABLE payment_refunds (
  id TEXT PRIMARY KEY,
  refund_key TEXT NOT NULL UNIQUE,
  payment_id TEXT NOT NULL REFERENCES payments (id),
  order_id TEXT NOT NULL,
  provider_reference TEXT NOT NULL,
  status TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  reason TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX payment_refunds_by_order ON payment_refunds (order_id, created_at);
CREATE INDEX payment_refunds_by_time ON payment_refunds (created_at);
CREATE TABLE sandbox_charges (
  reference TEXT PRIMARY KEY,
  charge_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL,
  decline_code TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  refunded BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  captured_at BIGINT
);
CREATE TABLE sandbox_refunds (
  reference TEXT PRIMARY KEY,
  charge_reference TEXT NOT NULL REFERENCES sandbox_charges (reference),
  refund_key TEXT NOT NULL UNIQUE,
  amount BIGINT NOT NULL,
  created_at BIGINT NOT NULL
)
)sql";

// Redirect payments (hosted pages) next to cards.
constexpr char kMethods[] = "ALTER TABLE payments ADD COLUMN method TEXT NOT NULL DEFAULT 'card'";

// The card's keyed fingerprint (fraud's velocity per card); empty for redirect payments and
// payments older than it.
constexpr char kFingerprints[] =
    "ALTER TABLE payments ADD COLUMN card_fingerprint TEXT NOT NULL DEFAULT ''";

// Migration 4: what reconciliation found, kept for the operator's staff (org_id empty when
// Travio has no record of the money). Append-only: a finding is a fact about a run.
constexpr char kMismatches[] = R"sql(
CREATE TABLE payment_mismatches (
  org_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  provider_reference TEXT NOT NULL,
  travio_amount BIGINT NOT NULL,
  provider_amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  found_at BIGINT NOT NULL
);
CREATE INDEX payment_mismatches_by_org ON payment_mismatches (org_id, found_at)
)sql";

constexpr char kPaymentColumns[] =
    "id, payment_key, order_id, org_id, payer, provider, provider_reference, status, amount, "
    "currency, refunded, card_brand, card_last4, failure_code, created_at, updated_at, "
    "captured_at, method, card_fingerprint";

constexpr char kRefundColumns[] =
    "id, refund_key, payment_id, order_id, provider_reference, status, amount, currency, reason, "
    "created_at, paid_out_by, paid_out_at";

// Migration 5: cash owed back at a counter, and who handed it over when (0: not yet).
constexpr char kPayOuts[] = R"sql(
ALTER TABLE payment_refunds ADD COLUMN paid_out_by TEXT NOT NULL DEFAULT '';
ALTER TABLE payment_refunds ADD COLUMN paid_out_at BIGINT NOT NULL DEFAULT 0
)sql";

// Migration 6: how far reconciliation has compared the books, kept with them so that a
// restarted process goes on from there and replicas never compare a window twice.
constexpr char kReconciliationMark[] = R"sql(
CREATE TABLE payment_reconciliation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  reconciled_until BIGINT NOT NULL
)
)sql";

PaymentRecord ReadPayment(const db::Row& row) {
  PaymentRecord record;
  PaymentView& view = record.view;
  view.id = row.Text(0);
  record.key = row.Text(1);
  view.order_id = row.Text(2);
  view.org_id = row.Text(3);
  view.payer = row.Text(4);
  view.provider = row.Text(5);
  record.provider_reference = row.Text(6);
  // Written by this store: a name it does not know can only come from a damaged row.
  view.status = ParseName(kPaymentStatusNames, row.Text(7)).value_or(PaymentStatus::kFailed);
  view.amount = {row.Int(8), row.Text(9)};
  view.refunded = row.Int(10);
  view.card_brand = row.Text(11);
  view.card_last4 = row.Text(12);
  view.failure_code = row.Text(13);
  view.created_at = absl::FromUnixMicros(row.Int(14));
  view.updated_at = absl::FromUnixMicros(row.Int(15));
  record.captured_at = absl::FromUnixMicros(row.Int(16));
  view.method = row.Text(17);
  view.card_fingerprint = row.Text(18);
  return record;
}

RefundRecord ReadRefund(const db::Row& row) {
  RefundRecord record;
  RefundView& view = record.view;
  view.id = row.Text(0);
  record.key = row.Text(1);
  view.payment_id = row.Text(2);
  view.order_id = row.Text(3);
  record.provider_reference = row.Text(4);
  view.status = ParseName(kRefundStatusNames, row.Text(5)).value_or(RefundStatus::kFailed);
  view.amount = {row.Int(6), row.Text(7)};
  view.reason = row.Text(8);
  view.created_at = absl::FromUnixMicros(row.Int(9));
  view.paid_out_by = row.Text(10);
  if (row.Int(11) != 0) view.paid_out_at = absl::FromUnixMicros(row.Int(11));
  return record;
}

template <typename Record, typename Reader>
std::vector<Record> ReadAll(const db::Result& result, Reader read) {
  std::vector<Record> out;
  out.reserve(result.rows.size());
  for (const db::Row& row : result.rows) out.push_back(read(row));
  return out;
}

class SqlPaymentStore final : public PaymentStore {
 public:
  SqlPaymentStore(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox) {}

  absl::Status Insert(const PaymentRecord& payment) override {
    const PaymentView& view = payment.view;
    return database_
        .Execute(absl::StrCat("INSERT INTO payments (", kPaymentColumns,
                              ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                              "$14, $15, $16, $17, $18, $19)"),
                 {view.id, payment.key, view.order_id, view.org_id, view.payer, view.provider,
                  payment.provider_reference, std::string(PaymentStatusName(view.status)),
                  view.amount.amount, view.amount.currency, view.refunded, view.card_brand,
                  view.card_last4, view.failure_code, absl::ToUnixMicros(view.created_at),
                  absl::ToUnixMicros(view.updated_at), absl::ToUnixMicros(payment.captured_at),
                  view.method, view.card_fingerprint})
        .status();
  }

  absl::StatusOr<bool> Update(const PaymentRecord& payment, PaymentStatus from_status,
                              const events::Event& event) override {
    bool written = false;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      const PaymentView& view = payment.view;
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result result,
          tx.Execute("UPDATE payments SET status = $2, provider_reference = $3, failure_code = "
                     "$4, updated_at = $5, captured_at = $6 WHERE id = $1 AND status = $7",
                     {view.id, std::string(PaymentStatusName(view.status)),
                      payment.provider_reference, view.failure_code,
                      absl::ToUnixMicros(view.updated_at), absl::ToUnixMicros(payment.captured_at),
                      std::string(PaymentStatusName(from_status))}));
      written = result.affected_rows > 0;
      if (written && !event.type.empty()) TRAVIO_RETURN_IF_ERROR(outbox_.Append(tx, event));
      return absl::OkStatus();
    }));
    return written;
  }

  absl::StatusOr<std::optional<PaymentRecord>> Find(const std::string& payment_id) override {
    return FindPaymentBy("id", payment_id);
  }
  absl::StatusOr<std::optional<PaymentRecord>> FindByKey(const std::string& key) override {
    return FindPaymentBy("payment_key", key);
  }

  absl::StatusOr<std::vector<PaymentRecord>> OfOrder(const std::string& order_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(
            absl::StrCat("SELECT ", kPaymentColumns,
                         " FROM payments WHERE order_id = $1 ORDER BY created_at, id"),
            {order_id}));
    return ReadAll<PaymentRecord>(result, ReadPayment);
  }

  absl::StatusOr<std::vector<PaymentRecord>> CapturedBetween(absl::Time from,
                                                             absl::Time to) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kPaymentColumns,
                                       " FROM payments WHERE captured_at >= $1 AND captured_at < "
                                       "$2 ORDER BY captured_at, id"),
                          {absl::ToUnixMicros(from), absl::ToUnixMicros(to)}));
    return ReadAll<PaymentRecord>(result, ReadPayment);
  }

  absl::StatusOr<RefundRecord> AddRefund(const RefundRecord& refund, const PaymentRecord& payment,
                                         const events::Event& event) override {
    const RefundView& view = refund.view;
    const absl::Status written = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(
                absl::StrCat("INSERT INTO payment_refunds (", kRefundColumns,
                             ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '', 0)"),
                {view.id, refund.key, view.payment_id, view.order_id, refund.provider_reference,
                 std::string(RefundStatusName(view.status)), view.amount.amount,
                 view.amount.currency, view.reason, absl::ToUnixMicros(view.created_at)})
              .status());
      // Never beyond what was taken, whatever raced this refund: a provider refuses that for a
      // card, and nothing outside refuses it for cash.
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result updated,
          tx.Execute("UPDATE payments SET refunded = refunded + $2, status = CASE WHEN refunded + "
                     "$2 >= amount THEN 'refunded' ELSE 'partially_refunded' END, updated_at = $3 "
                     "WHERE id = $1 AND refunded + $2 <= amount",
                     {payment.view.id, view.amount.amount, absl::ToUnixMicros(view.created_at)}));
      if (updated.affected_rows != 1) {
        return Error(reasons::kRefundTooLarge, "The refunds would exceed what was captured.");
      }
      if (!event.type.empty()) TRAVIO_RETURN_IF_ERROR(outbox_.Append(tx, event));
      return absl::OkStatus();
    });
    if (absl::IsAlreadyExists(written)) {
      TRAVIO_ASSIGN_OR_RETURN(auto existing, FindRefundByKey(refund.key));
      if (existing) return *existing;
    }
    if (!written.ok()) return written;
    return refund;
  }

  absl::StatusOr<std::optional<RefundRecord>> FindRefundByKey(const std::string& key) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(
            absl::StrCat("SELECT ", kRefundColumns, " FROM payment_refunds WHERE refund_key = $1"),
            {key}));
    if (result.rows.empty()) return std::nullopt;
    return ReadRefund(result.rows[0]);
  }

  absl::StatusOr<std::vector<RefundRecord>> RefundsOfOrder(const std::string& order_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kRefundColumns,
                                       " FROM payment_refunds WHERE order_id = $1 ORDER BY "
                                       "created_at, id"),
                          {order_id}));
    return ReadAll<RefundRecord>(result, ReadRefund);
  }

  absl::StatusOr<std::optional<RefundRecord>> FindRefund(const std::string& refund_id) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            database_.Execute(absl::StrCat("SELECT ", kRefundColumns,
                                                           " FROM payment_refunds WHERE id = $1"),
                                              {refund_id}));
    if (result.rows.empty()) return std::nullopt;
    return ReadRefund(result.rows[0]);
  }

  absl::StatusOr<bool> PayOutRefund(const std::string& refund_id, const std::string& staff,
                                    absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result updated,
        database_.Execute("UPDATE payment_refunds SET status = 'succeeded', paid_out_by = $2, "
                          "paid_out_at = $3 WHERE id = $1 AND status = 'owed'",
                          {refund_id, staff, absl::ToUnixMicros(at)}));
    return updated.affected_rows == 1;
  }

  absl::StatusOr<absl::Time> ReconciledUntil(absl::Time start) override {
    TRAVIO_RETURN_IF_ERROR(
        database_
            .Execute("INSERT INTO payment_reconciliation (id, reconciled_until) VALUES (1, $1) "
                     "ON CONFLICT (id) DO NOTHING",
                     {absl::ToUnixMicros(start)})
            .status());
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT reconciled_until FROM payment_reconciliation WHERE id = 1", {}));
    if (result.rows.size() != 1) return absl::InternalError("the reconciliation mark vanished");
    return absl::FromUnixMicros(result.rows[0].Int(0));
  }

  absl::StatusOr<bool> RecordReconciliation(absl::Time from, absl::Time to,
                                            const std::vector<Mismatch>& mismatches) override {
    bool moved = false;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result mark,
          tx.Execute("UPDATE payment_reconciliation SET reconciled_until = $2 WHERE id = 1 AND "
                     "reconciled_until = $1",
                     {absl::ToUnixMicros(from), absl::ToUnixMicros(to)}));
      moved = mark.affected_rows == 1;
      if (!moved) return absl::OkStatus();
      for (const Mismatch& found : mismatches) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("INSERT INTO payment_mismatches (org_id, kind, payment_id, order_id, "
                       "provider_reference, travio_amount, provider_amount, currency, found_at) "
                       "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                       {found.org_id, found.kind, found.payment_id, found.order_id,
                        found.provider_reference, found.travio_amount, found.provider_amount,
                        found.currency, absl::ToUnixMicros(found.found_at)})
                .status());
      }
      return absl::OkStatus();
    }));
    return moved;
  }

  absl::StatusOr<std::vector<Mismatch>> MismatchesOfOrg(const std::string& org_id, absl::Time since,
                                                        int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(
            absl::StrCat("SELECT kind, payment_id, order_id, provider_reference, travio_amount, "
                         "provider_amount, currency, found_at FROM payment_mismatches WHERE "
                         "org_id = $1 AND found_at >= $2 ORDER BY found_at DESC, payment_id "
                         "LIMIT ",
                         limit),
            {org_id, absl::ToUnixMicros(since)}));
    std::vector<Mismatch> found;
    for (const db::Row& row : result.rows) {
      found.push_back({.kind = row.Text(0),
                       .payment_id = row.Text(1),
                       .provider_reference = row.Text(3),
                       .travio_amount = row.Int(4),
                       .provider_amount = row.Int(5),
                       .org_id = org_id,
                       .order_id = row.Text(2),
                       .currency = row.Text(6),
                       .found_at = absl::FromUnixMicros(row.Int(7))});
    }
    return found;
  }

  absl::StatusOr<std::vector<RefundRecord>> RefundsBetween(absl::Time from,
                                                           absl::Time to) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kRefundColumns,
                                       " FROM payment_refunds WHERE created_at >= $1 AND "
                                       "created_at < $2 ORDER BY created_at, id"),
                          {absl::ToUnixMicros(from), absl::ToUnixMicros(to)}));
    return ReadAll<RefundRecord>(result, ReadRefund);
  }

 private:
  absl::StatusOr<std::optional<PaymentRecord>> FindPaymentBy(const char* column,
                                                             const std::string& value) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result, database_.Execute(absl::StrCat("SELECT ", kPaymentColumns,
                                                          " FROM payments WHERE ", column, " = $1"),
                                             {value}));
    if (result.rows.empty()) return std::nullopt;
    return ReadPayment(result.rows[0]);
  }

  db::Database& database_;
  events::Outbox& outbox_;
};

}  // namespace

std::vector<db::Migration> PaymentMigrations() {
  return {{1, "payments, refunds and the sandbox provider's books", kSchema},
          {2, "payment methods", kMethods},
          {3, "card fingerprints", kFingerprints},
          {4, "reconciliation mismatches", kMismatches},
          {5, "cash refunds handed over at the counter", kPayOuts},
          {6, "how far reconciliation has compared the books", kReconciliationMark}};
}

std::unique_ptr<PaymentStore> MakeSqlPaymentStore(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<SqlPaymentStore>(database, outbox);
}

}  // namespace travio::payment
