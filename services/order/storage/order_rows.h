#pragma once

// How the order service's records sit in SQL rows (storage/order_schema.cc has the tables):
// the column lists, a reader per record and the values a record is written with. Shared by
// the store (sql_order_store.cc) and the refund policies (sql_refund_policies.cc).

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/db/database.h"
#include "services/order/app/order_store.h"

namespace travio::order {

inline constexpr char kOrderColumns[] =
    "id, org_id, trip_id, buyer, hold_id, hold_version, journey_from, journey_to, departs_at, "
    "status, total_amount, currency, contact_email, contact_phone, expires_at, booking_id, "
    "payment_id, created_at, updated_at, version, refund_policy, contact_locale, risk, request_key";

inline constexpr char kSagaColumns[] =
    "id, order_id, kind, status, step, payment_id, booking_id, quote_id, failure_code, attempts, "
    "lease_owner, lease_until, resume_at, created_at, updated_at, client_address, card_declined, "
    "trace_id, request_key";

inline constexpr char kQuoteColumns[] =
    "id, order_id, buyer, seats, refund, fee, currency, percent, tier, expires_at, created_at, "
    "order_version";

inline int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
inline absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

/// A refund policy's tiers as kept: JSON [{"notice_minutes":..,"percent":..}] from the longest
/// notice.
std::string TiersJson(const RefundPolicy& policy);
absl::StatusOr<RefundPolicy> ParseTiers(const std::string& text);

/// Fraud's decision and the review as kept: JSON; empty for an order not assessed.
std::string RiskJson(const std::optional<OrderRisk>& risk);
absl::StatusOr<std::optional<OrderRisk>> ParseRisk(const std::string& text);

/// An order row (without its items); kDataLoss for a row this store could not have written.
absl::StatusOr<OrderRecord> ReadOrder(const db::Row& row);
std::vector<db::Value> OrderValues(const OrderRecord& order);
absl::StatusOr<OrderItem> ReadItem(const db::Row& row);

absl::StatusOr<SagaRecord> ReadSaga(const db::Row& row);
std::vector<db::Value> SagaValues(const SagaRecord& saga);

absl::StatusOr<QuoteRecord> ReadQuote(const db::Row& row);
std::vector<db::Value> QuoteValues(const QuoteRecord& record);

}  // namespace travio::order
