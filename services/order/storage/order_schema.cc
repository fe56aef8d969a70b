#include "services/order/storage/sql_order_store.h"

namespace travio::order {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE orders (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  trip_id TEXT NOT NULL,
  buyer TEXT NOT NULL,
  hold_id TEXT NOT NULL UNIQUE,
  hold_version BIGINT NOT NULL,
  journey_from TEXT NOT NULL,
  journey_to TEXT NOT NULL,
  departs_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  total_amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  contact_phone TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  booking_id TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX orders_by_buyer ON orders (buyer, id);
CREATE INDEX orders_by_trip ON orders (trip_id, status);
CREATE INDEX orders_by_deadline ON orders (status, expires_at);
CREATE TABLE order_items (
  order_id TEXT NOT NULL REFERENCES orders (id),
  seat TEXT NOT NULL,
  passenger_name TEXT NOT NULL,
  gender TEXT NOT NULL,
  age BIGINT,
  phone TEXT NOT NULL,
  amount BIGINT NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (order_id, seat)
);
CREATE TABLE order_sagas (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders (id),
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  step TEXT NOT NULL,
  payment_id TEXT NOT NULL,
  booking_id TEXT NOT NULL,
  quote_id TEXT NOT NULL,
  failure_code TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  lease_owner TEXT NOT NULL,
  lease_until BIGINT NOT NULL,
  resume_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX order_sagas_one_running ON order_sagas (order_id) WHERE status = 'running';
CREATE INDEX order_sagas_by_status ON order_sagas (status, resume_at);
CREATE TABLE order_saga_log (
  saga_id TEXT NOT NULL REFERENCES order_sagas (id),
  seq BIGINT NOT NULL,
  step TEXT NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (saga_id, seq)
);
CREATE TABLE order_quotes (
  id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders (id),
  buyer TEXT NOT NULL,
  seats TEXT NOT NULL,
  refund BIGINT NOT NULL,
  fee BIGINT NOT NULL,
  currency TEXT NOT NULL,
  percent BIGINT NOT NULL,
  tier TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL
)
)sql";

// Migration 3: an operator's own refund policy (MakeSqlRefundPolicies), its tiers as JSON
// [{"notice_minutes":..,"percent":..}] from the longest notice; no row: the default policy.
constexpr char kRefundPoliciesSchema[] = R"sql(
CREATE TABLE order_refund_policies (
  org_id TEXT PRIMARY KEY,
  tiers TEXT NOT NULL,
  updated_at BIGINT NOT NULL
)
)sql";

// Migration 4: the refund policy an order was sold under (its tiers as TiersJson; empty for
// orders older than this rule), and the order version a quote was made on.
constexpr char kPolicyAtPurchase[] = R"sql(
ALTER TABLE orders ADD COLUMN refund_policy TEXT NOT NULL DEFAULT '';
ALTER TABLE order_quotes ADD COLUMN order_version BIGINT NOT NULL DEFAULT 0
)sql";

// Migration 6: fraud's decision on each order and staff's review of it (RiskJson; empty until
// assessed), where each payment request came from and whether its card was declined, the
// operator's orders by status (the review queue), and the indexes that count declined cards
// before authorizing (by time, and by address with every attempt).
constexpr char kRisk[] = R"sql(
ALTER TABLE orders ADD COLUMN risk TEXT NOT NULL DEFAULT '';
ALTER TABLE order_sagas ADD COLUMN client_address TEXT NOT NULL DEFAULT '';
ALTER TABLE order_sagas ADD COLUMN card_declined BIGINT NOT NULL DEFAULT 0;
CREATE INDEX orders_by_org_status ON orders (org_id, status, id);
CREATE INDEX order_sagas_declined ON order_sagas (created_at) WHERE card_declined = 1;
CREATE INDEX order_sagas_by_address ON order_sagas (client_address, created_at, card_declined)
)sql";

// Migration 7: the sales desk's lists (OrdersOfOrg) walk an operator's orders newest first, or
// those of a departure window, by index instead of sorting every order the operator has.
constexpr char kOrgOrders[] = R"sql(
CREATE INDEX orders_by_org ON orders (org_id, id);
CREATE INDEX orders_by_org_departure ON orders (org_id, departs_at, id)
)sql";

}  // namespace

std::vector<db::Migration> OrderMigrations() {
  return {
      {1, "orders, items, sagas with their logs, cancellation quotes", kSchema},
      {2, "sagas by payment, for provider webhooks",
       "CREATE INDEX order_sagas_by_payment ON order_sagas (payment_id)"},
      {3, "operators' refund policies", kRefundPoliciesSchema},
      {4, "the refund policy of each order, the order version of each quote", kPolicyAtPurchase},
      {5, "the language of each order's messages",
       "ALTER TABLE orders ADD COLUMN contact_locale TEXT NOT NULL DEFAULT 'en'"},
      {6, "fraud's decisions and reviews, payment addresses", kRisk},
      {7, "an operator's orders newest first, and by departure", kOrgOrders},
      {8, "the trace each saga goes on in",
       "ALTER TABLE order_sagas ADD COLUMN trace_id TEXT NOT NULL DEFAULT ''"},
      {9, "the request that made each order, so its retries get it back",
       "ALTER TABLE orders ADD COLUMN request_key TEXT NOT NULL DEFAULT ''"},
      {10, "the payment request that began each saga, so its retries get its payment",
       "ALTER TABLE order_sagas ADD COLUMN request_key TEXT NOT NULL DEFAULT ''"}};
}

}  // namespace travio::order
