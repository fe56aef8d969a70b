#include "services/order/storage/sql_order_store.h"

#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"

namespace travio::order {
namespace {

using nlohmann::json;

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

constexpr char kOrderColumns[] =
    "id, org_id, trip_id, buyer, hold_id, hold_version, journey_from, journey_to, departs_at, "
    "status, total_amount, currency, contact_email, contact_phone, expires_at, booking_id, "
    "payment_id, created_at, updated_at, version";

constexpr char kSagaColumns[] =
    "id, order_id, kind, status, step, payment_id, booking_id, quote_id, failure_code, attempts, "
    "lease_owner, lease_until, resume_at, created_at, updated_at";

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }
absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

OrderRecord ReadOrder(const db::Row& row) {
  OrderRecord record;
  OrderView& view = record.view;
  view.id = row.Text(0);
  view.org_id = row.Text(1);
  view.trip_id = row.Text(2);
  view.buyer = row.Text(3);
  view.hold_id = row.Text(4);
  record.hold_version = row.Int(5);
  view.from = row.Text(6);
  view.to = row.Text(7);
  view.departs_at = FromMicros(row.Int(8));
  view.status = row.Text(9);
  view.total = {row.Int(10), row.Text(11)};
  view.contact = {row.Text(12), row.Text(13)};
  view.expires_at = FromMicros(row.Int(14));
  view.booking_id = row.Text(15);
  record.payment_id = row.Text(16);
  view.created_at = FromMicros(row.Int(17));
  view.updated_at = FromMicros(row.Int(18));
  record.version = row.Int(19);
  return record;
}

SagaRecord ReadSaga(const db::Row& row) {
  return SagaRecord{.id = row.Text(0),
                    .order_id = row.Text(1),
                    .kind = row.Text(2),
                    .status = row.Text(3),
                    .step = row.Text(4),
                    .payment_id = row.Text(5),
                    .booking_id = row.Text(6),
                    .quote_id = row.Text(7),
                    .failure_code = row.Text(8),
                    .attempts = static_cast<int>(row.Int(9)),
                    .lease_owner = row.Text(10),
                    .lease_until = FromMicros(row.Int(11)),
                    .resume_at = FromMicros(row.Int(12)),
                    .created_at = FromMicros(row.Int(13)),
                    .updated_at = FromMicros(row.Int(14))};
}

std::vector<db::Value> SagaValues(const SagaRecord& saga) {
  return {saga.id,
          saga.order_id,
          saga.kind,
          saga.status,
          saga.step,
          saga.payment_id,
          saga.booking_id,
          saga.quote_id,
          saga.failure_code,
          int64_t{saga.attempts},
          saga.lease_owner,
          Micros(saga.lease_until),
          Micros(saga.resume_at),
          Micros(saga.created_at),
          Micros(saga.updated_at)};
}

absl::Status AppendLog(db::Session& session, const std::string& saga_id,
                       const SagaLogEntry& entry) {
  return session
      .Execute(
          "INSERT INTO order_saga_log (saga_id, seq, step, outcome, detail, at) "
          "SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5 FROM order_saga_log "
          "WHERE saga_id = $1",
          {saga_id, entry.step, entry.outcome, entry.detail, Micros(entry.at)})
      .status();
}

class SqlOrderStore final : public OrderStore {
 public:
  SqlOrderStore(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox) {}

  absl::Status CreateOrder(const OrderRecord& order, const events::Event& event) override {
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      const OrderView& view = order.view;
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(absl::StrCat("INSERT INTO orders (", kOrderColumns,
                                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                                  "$13, $14, $15, $16, $17, $18, $19, $20)"),
                     {view.id,
                      view.org_id,
                      view.trip_id,
                      view.buyer,
                      view.hold_id,
                      order.hold_version,
                      view.from,
                      view.to,
                      Micros(view.departs_at),
                      view.status,
                      view.total.amount,
                      view.total.currency,
                      view.contact.email,
                      view.contact.phone,
                      Micros(view.expires_at),
                      view.booking_id,
                      order.payment_id,
                      Micros(view.created_at),
                      Micros(view.updated_at),
                      order.version})
              .status());
      for (const OrderItem& item : view.items) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("INSERT INTO order_items (order_id, seat, passenger_name, gender, age, "
                       "phone, amount, currency, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                       "$9)",
                       {view.id, item.seat, item.passenger.name, item.passenger.gender,
                        item.passenger.age ? db::Value(int64_t{*item.passenger.age})
                                           : db::Value(std::monostate{}),
                        item.passenger.phone, item.price.amount, item.price.currency, item.status})
                .status());
      }
      return outbox_.Append(tx, event);
    });
    if (absl::IsAlreadyExists(done)) {
      return Error(absl::StatusCode::kAlreadyExists, "hold_already_ordered",
                   "This hold already has an order.");
    }
    return done;
  }

  absl::StatusOr<std::optional<OrderRecord>> FindOrder(const std::string& order_id) override {
    return FindOne("id = $1", order_id);
  }
  absl::StatusOr<std::optional<OrderRecord>> FindOrderByHold(const std::string& hold_id) override {
    return FindOne("hold_id = $1", hold_id);
  }

  absl::StatusOr<std::vector<OrderRecord>> OrdersOfBuyer(const std::string& buyer, int limit,
                                                         const std::string& before_id) override {
    if (before_id.empty()) {
      return Query(absl::StrCat("buyer = $1 ORDER BY id DESC LIMIT ", limit), {buyer});
    }
    return Query(absl::StrCat("buyer = $1 AND id < $2 ORDER BY id DESC LIMIT ", limit),
                 {buyer, before_id});
  }

  absl::StatusOr<std::vector<OrderRecord>> OrdersOnTrip(
      const std::string& trip_id, const std::vector<std::string>& statuses) override {
    std::vector<OrderRecord> out;
    for (const std::string& status : statuses) {
      TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> some,
                              Query("trip_id = $1 AND status = $2 ORDER BY id", {trip_id, status}));
      for (OrderRecord& order : some) out.push_back(std::move(order));
    }
    return out;
  }

  absl::StatusOr<std::vector<OrderRecord>> Overdue(absl::Time now, int limit) override {
    return Query(absl::StrCat("status = 'pending_payment' AND expires_at <= $1 AND NOT EXISTS "
                              "(SELECT 1 FROM order_sagas s WHERE s.order_id = orders.id AND "
                              "s.status = 'running') ORDER BY expires_at LIMIT ",
                              limit),
                 {Micros(now)});
  }

  absl::Status UpdateOrder(const OrderRecord& order, const events::Event& event) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_RETURN_IF_ERROR(WriteOrder(tx, order));
      if (!event.type.empty()) TRAVIO_RETURN_IF_ERROR(outbox_.Append(tx, event));
      return absl::OkStatus();
    });
  }

  absl::Status StartSaga(const SagaRecord& saga, const SagaLogEntry& entry) override {
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      const std::vector<db::Value> values = SagaValues(saga);
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(absl::StrCat("INSERT INTO order_sagas (", kSagaColumns,
                                  ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                                  "$13, $14, $15)"),
                     values)
              .status());
      return AppendLog(tx, saga.id, entry);
    });
    if (absl::IsAlreadyExists(done)) {
      return Error(absl::StatusCode::kAlreadyExists, "saga_running",
                   "Something is already being done with this order.");
    }
    return done;
  }

  absl::StatusOr<bool> SaveSaga(const SagaRecord& saga, const SagaLogEntry& entry,
                                const std::string& owner) override {
    bool saved = false;
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(saved, WriteSaga(tx, saga, entry, owner));
      return saved ? absl::OkStatus() : LeaseLost();
    });
    if (!done.ok() && ReasonOf(done) != "lease_lost") return done;
    return saved && done.ok();
  }

  absl::StatusOr<bool> SaveSagaAndOrder(const SagaRecord& saga, const SagaLogEntry& entry,
                                        const std::string& owner, const OrderRecord& order,
                                        const events::Event& event) override {
    bool saved = false;
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(saved, WriteSaga(tx, saga, entry, owner));
      if (!saved) return LeaseLost();
      TRAVIO_RETURN_IF_ERROR(WriteOrder(tx, order));
      if (!event.type.empty()) TRAVIO_RETURN_IF_ERROR(outbox_.Append(tx, event));
      return absl::OkStatus();
    });
    if (!done.ok() && ReasonOf(done) != "lease_lost") return done;
    return saved && done.ok();
  }

  absl::StatusOr<std::vector<SagaRecord>> Resumable(absl::Time now, int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kSagaColumns,
                                       " FROM order_sagas WHERE status = 'running' AND "
                                       "lease_until <= $1 AND resume_at <= $1 ORDER BY resume_at "
                                       "LIMIT ",
                                       limit),
                          {Micros(now)}));
    return ReadSagas(result);
  }

  absl::StatusOr<bool> ClaimSaga(const std::string& saga_id, const std::string& owner,
                                 absl::Time lease_until, absl::Time now) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("UPDATE order_sagas SET lease_owner = $2, lease_until = $3 WHERE id = "
                          "$1 AND status = 'running' AND lease_until <= $4",
                          {saga_id, owner, Micros(lease_until), Micros(now)}));
    return result.affected_rows == 1;
  }

  absl::StatusOr<std::optional<SagaRecord>> FindSaga(const std::string& saga_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kSagaColumns, " FROM order_sagas WHERE id = $1"),
                          {saga_id}));
    if (result.rows.empty()) return std::nullopt;
    return ReadSaga(result.rows[0]);
  }

  absl::StatusOr<std::optional<SagaRecord>> RunningSagaOfPayment(
      const std::string& payment_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kSagaColumns,
                                       " FROM order_sagas WHERE payment_id = $1 AND status = "
                                       "'running'"),
                          {payment_id}));
    if (result.rows.empty()) return std::nullopt;
    return ReadSaga(result.rows[0]);
  }

  absl::Status WakeSaga(const std::string& saga_id, absl::Time now) override {
    return database_
        .Execute("UPDATE order_sagas SET resume_at = $2 WHERE id = $1 AND status = 'running'",
                 {saga_id, Micros(now)})
        .status();
  }

  absl::StatusOr<std::vector<SagaRecord>> SagasOfOrder(const std::string& order_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kSagaColumns,
                                       " FROM order_sagas WHERE order_id = $1 ORDER BY "
                                       "created_at, id"),
                          {order_id}));
    return ReadSagas(result);
  }

  absl::StatusOr<std::vector<SagaLogEntry>> SagaLog(const std::string& saga_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT seq, step, outcome, detail, at FROM order_saga_log WHERE "
                          "saga_id = $1 ORDER BY seq",
                          {saga_id}));
    std::vector<SagaLogEntry> entries;
    for (const db::Row& row : result.rows) {
      entries.push_back(
          {row.Int(0), row.Text(1), row.Text(2), row.Text(3), FromMicros(row.Int(4))});
    }
    return entries;
  }

  absl::Status SaveQuote(const QuoteRecord& record) override {
    const CancelQuote& quote = record.quote;
    return database_
        .Execute(
            "INSERT INTO order_quotes (id, order_id, buyer, seats, refund, fee, currency, "
            "percent, tier, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
            "$10, $11)",
            {quote.quote_id, quote.order_id, record.buyer, json(quote.seats).dump(),
             quote.refund.amount, quote.fee.amount, quote.refund.currency, int64_t{quote.percent},
             quote.tier, Micros(quote.expires_at), Micros(record.created_at)})
        .status();
  }

  absl::StatusOr<std::optional<QuoteRecord>> FindQuote(const std::string& quote_id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT id, order_id, buyer, seats, refund, fee, currency, percent, "
                          "tier, expires_at, created_at FROM order_quotes WHERE id = $1",
                          {quote_id}));
    if (result.rows.empty()) return std::nullopt;
    const db::Row& row = result.rows[0];
    QuoteRecord record;
    record.quote.quote_id = row.Text(0);
    record.quote.order_id = row.Text(1);
    record.buyer = row.Text(2);
    try {
      record.quote.seats = json::parse(row.Text(3)).get<std::vector<std::string>>();
    } catch (const json::exception&) {
      return absl::DataLossError("a stored quote does not parse");
    }
    record.quote.refund = {row.Int(4), row.Text(6)};
    record.quote.fee = {row.Int(5), row.Text(6)};
    record.quote.percent = static_cast<int>(row.Int(7));
    record.quote.tier = row.Text(8);
    record.quote.expires_at = FromMicros(row.Int(9));
    record.created_at = FromMicros(row.Int(10));
    return record;
  }

 private:
  static absl::Status LeaseLost() {
    return Error(absl::StatusCode::kFailedPrecondition, "lease_lost",
                 "Another runner took the saga over.");
  }

  static std::vector<SagaRecord> ReadSagas(const db::Result& result) {
    std::vector<SagaRecord> sagas;
    for (const db::Row& row : result.rows) sagas.push_back(ReadSaga(row));
    return sagas;
  }

  static absl::StatusOr<bool> WriteSaga(db::Session& session, const SagaRecord& saga,
                                        const SagaLogEntry& entry, const std::string& owner) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session.Execute(
            "UPDATE order_sagas SET status = $2, step = $3, payment_id = $4, booking_id = $5, "
            "failure_code = $6, attempts = $7, lease_until = $8, resume_at = $9, updated_at = "
            "$10 WHERE id = $1 AND lease_owner = $11",
            {saga.id, saga.status, saga.step, saga.payment_id, saga.booking_id, saga.failure_code,
             int64_t{saga.attempts}, Micros(saga.lease_until), Micros(saga.resume_at),
             Micros(saga.updated_at), owner}));
    if (result.affected_rows == 0) return false;
    TRAVIO_RETURN_IF_ERROR(AppendLog(session, saga.id, entry));
    return true;
  }

  static absl::Status WriteOrder(db::Session& session, const OrderRecord& order) {
    const OrderView& view = order.view;
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session.Execute("UPDATE orders SET status = $2, booking_id = $3, payment_id = $4, "
                        "updated_at = $5, version = $6 WHERE id = $1 AND version = $7",
                        {view.id, view.status, view.booking_id, order.payment_id,
                         Micros(view.updated_at), order.version, order.version - 1}));
    if (result.affected_rows == 0) {
      return Error(absl::StatusCode::kAborted, "order_changed",
                   "The order changed meanwhile; read it again.");
    }
    for (const OrderItem& item : view.items) {
      TRAVIO_RETURN_IF_ERROR(session
                                 .Execute("UPDATE order_items SET status = $3 WHERE order_id = "
                                          "$1 AND seat = $2",
                                          {view.id, item.seat, item.status})
                                 .status());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<OrderRecord>> FindOne(const char* where, const std::string& value) {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> found, Query(where, {value}));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  // Orders matching `where`, each with its items.
  absl::StatusOr<std::vector<OrderRecord>> Query(const std::string& where,
                                                 std::vector<db::Value> params) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kOrderColumns, " FROM orders WHERE ", where),
                          params));
    std::vector<OrderRecord> orders;
    for (const db::Row& row : result.rows) orders.push_back(ReadOrder(row));
    for (OrderRecord& order : orders) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result items,
          database_.Execute("SELECT seat, passenger_name, gender, age, phone, amount, currency, "
                            "status FROM order_items WHERE order_id = $1 ORDER BY seat",
                            {order.view.id}));
      for (const db::Row& row : items.rows) {
        OrderItem item{.seat = row.Text(0),
                       .passenger = {.name = row.Text(1),
                                     .gender = row.Text(2),
                                     .age = std::nullopt,
                                     .phone = row.Text(4)},
                       .price = {row.Int(5), row.Text(6)},
                       .status = row.Text(7)};
        if (!row.IsNull(3)) item.passenger.age = static_cast<int>(row.Int(3));
        order.view.items.push_back(std::move(item));
      }
    }
    return orders;
  }

  db::Database& database_;
  events::Outbox& outbox_;
};

}  // namespace

std::vector<db::Migration> OrderMigrations() {
  return {{1, "orders, items, sagas with their logs, cancellation quotes", kSchema},
          {2, "sagas by payment, for provider webhooks",
           "CREATE INDEX order_sagas_by_payment ON order_sagas (payment_id)"},
          {3, "operators' refund policies", kRefundPoliciesSchema}};
}

std::unique_ptr<OrderStore> MakeSqlOrderStore(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<SqlOrderStore>(database, outbox);
}

}  // namespace travio::order
