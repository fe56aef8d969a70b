#include "services/order/storage/sql_order_store.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/order/storage/order_rows.h"

namespace travio::order {
namespace {

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

absl::Status LeaseLost() {
  return Error(reasons::kLeaseLost, "Another runner took the saga over.");
}

absl::Status OrderChanged() {
  return Error(reasons::kOrderChanged, "The order changed meanwhile; read it again.");
}

// A LIKE pattern for any text containing `text` (lower-cased as the columns it is compared
// with), its own wildcards taken literally.
std::string ContainsPattern(std::string_view text) {
  std::string pattern = "%";
  for (const char c : text) {
    if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
    pattern.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  pattern.push_back('%');
  return pattern;
}

std::string Placeholders(int count) {
  std::string out;
  for (int i = 1; i <= count; ++i) absl::StrAppend(&out, i > 1 ? ", $" : "$", i);
  return out;
}

class SqlOrderStore final : public OrderStore {
 public:
  SqlOrderStore(db::Database& database, events::Outbox& outbox)
      : database_(database), outbox_(outbox) {}

  absl::Status CreateOrder(const OrderRecord& order, const events::Event& event) override {
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      const std::vector<db::Value> values = OrderValues(order);
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(absl::StrCat("INSERT INTO orders (", kOrderColumns, ") VALUES (",
                                  Placeholders(static_cast<int>(values.size())), ")"),
                     values)
              .status());
      for (const OrderItem& item : order.view.items) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("INSERT INTO order_items (order_id, seat, passenger_name, gender, age, "
                       "phone, amount, currency, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                       "$9)",
                       {order.view.id, item.seat, item.passenger.name, item.passenger.gender,
                        item.passenger.age ? db::Value(int64_t{*item.passenger.age})
                                           : db::Value(std::monostate{}),
                        item.passenger.phone, item.price.amount, item.price.currency,
                        std::string(NameOf(kItemStatusNames, item.status))})
                .status());
      }
      return outbox_.Append(tx, event);
    });
    if (absl::IsAlreadyExists(done)) {
      return Error(reasons::kHoldAlreadyOrdered, "This hold already has an order.");
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
      const std::string& trip_id, const std::vector<OrderStatus>& statuses) override {
    std::vector<OrderRecord> out;
    for (const OrderStatus status : statuses) {
      TRAVIO_ASSIGN_OR_RETURN(std::vector<OrderRecord> some,
                              Query("trip_id = $1 AND status = $2 ORDER BY id",
                                    {trip_id, std::string(OrderStatusName(status))}));
      for (OrderRecord& order : some) out.push_back(std::move(order));
    }
    return out;
  }

  absl::StatusOr<std::vector<OrderRecord>> OrdersOfOrgIn(OrderStatus status,
                                                         const std::string& org_id, int limit,
                                                         const std::string& after_id) override {
    return Query(absl::StrCat("org_id = $1 AND status = $2 AND id > $3 ORDER BY id LIMIT ", limit),
                 {org_id, std::string(OrderStatusName(status)), after_id});
  }

  absl::StatusOr<std::vector<OrderRecord>> OrdersOfOrg(const OrgOrderQuery& query,
                                                       int limit) override {
    std::vector<db::Value> params = {query.org_id};
    std::string where = "org_id = $1";
    // Each condition is a column and its operator, compared with the next parameter.
    auto narrow = [&](const char* column_and_operator, db::Value value) {
      params.push_back(std::move(value));
      absl::StrAppend(&where, " AND ", column_and_operator, " $", params.size());
    };
    if (query.status) narrow("status =", std::string(OrderStatusName(*query.status)));
    if (!query.trip_id.empty()) narrow("trip_id =", query.trip_id);
    if (query.departs_from != absl::InfinitePast()) {
      narrow("departs_at >=", Micros(query.departs_from));
    }
    if (query.departs_until != absl::InfiniteFuture()) {
      narrow("departs_at <", Micros(query.departs_until));
    }
    if (!query.cursor.empty()) narrow("id <", query.cursor);
    if (!query.text.empty()) {
      params.emplace_back(query.text);
      const std::string exact = absl::StrCat("$", params.size());
      params.emplace_back(ContainsPattern(query.text));
      const std::string part = absl::StrCat("$", params.size());
      absl::StrAppend(&where, " AND (id = ", exact, " OR LOWER(contact_email) LIKE ", part,
                      " ESCAPE '!' OR contact_phone LIKE ", part,
                      " ESCAPE '!' OR EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = "
                      "orders.id AND LOWER(i.passenger_name) LIKE ",
                      part, " ESCAPE '!'))");
    }
    return Query(absl::StrCat(where, " ORDER BY id DESC LIMIT ", limit), std::move(params));
  }

  absl::StatusOr<std::vector<SalesTotal>> SalesOfOrgSince(const std::string& org_id,
                                                          absl::Time since) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT currency, COUNT(*), SUM(total_amount) FROM orders WHERE org_id = "
                          "$1 AND created_at >= $2 AND status IN ('confirmed', "
                          "'partially_cancelled', 'cancelled') GROUP BY currency ORDER BY currency",
                          {org_id, Micros(since)}));
    std::vector<SalesTotal> totals;
    for (const db::Row& row : result.rows) {
      totals.push_back({.currency = row.Text(0), .orders = row.Int(1), .amount = row.Int(2)});
    }
    return totals;
  }

  absl::StatusOr<FailedPayments> FailedPaymentsSince(const std::string& buyer,
                                                     const std::string& client_address,
                                                     absl::Time since) override {
    FailedPayments failed;
    // The hour's declined cards across the platform are few: the partial index on them comes
    // first, each one's order by its key.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result by_buyer,
        database_.Execute("SELECT COUNT(*) FROM order_sagas s JOIN orders o ON o.id = s.order_id "
                          "WHERE s.card_declined = 1 AND s.created_at >= $2 AND o.buyer = $1",
                          {buyer, Micros(since)}));
    failed.by_buyer = by_buyer.rows.empty() ? 0 : by_buyer.rows[0].Int(0);
    if (client_address.empty()) return failed;
    // From the covering index on (client_address, created_at, card_declined) alone.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result by_address,
        database_.Execute("SELECT COUNT(*), COALESCE(SUM(card_declined), 0) FROM order_sagas "
                          "WHERE client_address = $1 AND created_at >= $2",
                          {client_address, Micros(since)}));
    if (!by_address.rows.empty()) {
      failed.attempts_by_address = by_address.rows[0].Int(0);
      failed.by_address = by_address.rows[0].Int(1);
    }
    return failed;
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

  absl::Status StartSaga(const SagaRecord& saga, const SagaLogEntry& entry,
                         int64_t order_version) override {
    const absl::Status done = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      // The fence: the order must still be as the caller read it. The update also locks the
      // row (PostgreSQL), so a concurrent change waits for this transaction.
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result fenced,
          tx.Execute("UPDATE orders SET version = version WHERE id = $1 AND version = $2",
                     {saga.order_id, order_version}));
      if (fenced.affected_rows == 0) return OrderChanged();
      const std::vector<db::Value> values = SagaValues(saga);
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(absl::StrCat("INSERT INTO order_sagas (", kSagaColumns, ") VALUES (",
                                  Placeholders(static_cast<int>(values.size())), ")"),
                     values)
              .status());
      return AppendLog(tx, saga.id, entry);
    });
    if (absl::IsAlreadyExists(done)) {
      return Error(reasons::kSagaRunning, "Something is already being done with this order.");
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
    if (!done.ok() && !IsReason(done, reasons::kLeaseLost)) return done;
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
    if (!done.ok() && !IsReason(done, reasons::kLeaseLost)) return done;
    return saved && done.ok();
  }

  absl::StatusOr<std::vector<SagaRecord>> Resumable(absl::Time now, int limit) override {
    return Sagas(absl::StrCat("status = 'running' AND lease_until <= $1 AND resume_at <= $1 "
                              "ORDER BY resume_at LIMIT ",
                              limit),
                 {Micros(now)});
  }

  absl::StatusOr<std::vector<RunningSagas>> RunningSagaBacklog() override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT kind, COUNT(*), MIN(created_at) FROM order_sagas "
                          "WHERE status = 'running' GROUP BY kind ORDER BY kind"));
    std::vector<RunningSagas> backlog;
    for (const db::Row& row : result.rows) {
      const std::optional<SagaKind> kind = ParseName(kSagaKindNames, row.Text(0));
      if (!kind) return absl::DataLossError("order_sagas holds an unknown saga kind");
      backlog.push_back(
          {.kind = *kind, .count = row.Int(1), .oldest_started = absl::FromUnixMicros(row.Int(2))});
    }
    return backlog;
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
    TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> found, Sagas("id = $1", {saga_id}));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  absl::StatusOr<std::optional<SagaRecord>> RunningSagaOfPayment(
      const std::string& payment_id) override {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<SagaRecord> found,
                            Sagas("payment_id = $1 AND status = 'running'", {payment_id}));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  absl::Status WakeSaga(const std::string& saga_id, absl::Time now) override {
    return database_
        .Execute("UPDATE order_sagas SET resume_at = $2 WHERE id = $1 AND status = 'running'",
                 {saga_id, Micros(now)})
        .status();
  }

  absl::StatusOr<std::vector<SagaRecord>> SagasOfOrder(const std::string& order_id) override {
    return Sagas("order_id = $1 ORDER BY created_at, id", {order_id});
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
    const std::vector<db::Value> values = QuoteValues(record);
    return database_
        .Execute(absl::StrCat("INSERT INTO order_quotes (", kQuoteColumns, ") VALUES (",
                              Placeholders(static_cast<int>(values.size())), ")"),
                 values)
        .status();
  }

  absl::StatusOr<std::optional<QuoteRecord>> FindQuote(const std::string& quote_id) override {
    TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                            database_.Execute(absl::StrCat("SELECT ", kQuoteColumns,
                                                           " FROM order_quotes WHERE id = $1"),
                                              {quote_id}));
    if (result.rows.empty()) return std::nullopt;
    return ReadQuote(result.rows[0]);
  }

 private:
  absl::StatusOr<std::vector<SagaRecord>> Sagas(const std::string& where,
                                                std::vector<db::Value> params) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kSagaColumns, " FROM order_sagas WHERE ", where),
                          params));
    std::vector<SagaRecord> sagas;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(SagaRecord saga, ReadSaga(row));
      sagas.push_back(std::move(saga));
    }
    return sagas;
  }

  static absl::StatusOr<bool> WriteSaga(db::Session& session, const SagaRecord& saga,
                                        const SagaLogEntry& entry, const std::string& owner) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session.Execute(
            "UPDATE order_sagas SET status = $2, step = $3, payment_id = $4, booking_id = $5, "
            "failure_code = $6, attempts = $7, lease_until = $8, resume_at = $9, updated_at = "
            "$10, card_declined = $12 WHERE id = $1 AND lease_owner = $11",
            {saga.id, std::string(NameOf(kSagaStatusNames, saga.status)),
             std::string(SagaStepName(saga.step)), saga.payment_id, saga.booking_id,
             saga.failure_code, int64_t{saga.attempts}, Micros(saga.lease_until),
             Micros(saga.resume_at), Micros(saga.updated_at), owner,
             int64_t{saga.card_declined ? 1 : 0}}));
    if (result.affected_rows == 0) return false;
    TRAVIO_RETURN_IF_ERROR(AppendLog(session, saga.id, entry));
    return true;
  }

  static absl::Status WriteOrder(db::Session& session, const OrderRecord& order) {
    const OrderView& view = order.view;
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        session.Execute(
            "UPDATE orders SET status = $2, booking_id = $3, payment_id = $4, "
            "updated_at = $5, version = $6, risk = $8 WHERE id = $1 AND version = $7",
            {view.id, std::string(OrderStatusName(view.status)), view.booking_id, order.payment_id,
             Micros(view.updated_at), order.version, order.version - 1, RiskJson(view.risk)}));
    if (result.affected_rows == 0) return OrderChanged();
    for (const OrderItem& item : view.items) {
      TRAVIO_RETURN_IF_ERROR(
          session
              .Execute("UPDATE order_items SET status = $3 WHERE order_id = "
                       "$1 AND seat = $2",
                       {view.id, item.seat, std::string(NameOf(kItemStatusNames, item.status))})
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
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(OrderRecord order, ReadOrder(row));
      orders.push_back(std::move(order));
    }
    for (OrderRecord& order : orders) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result items,
          database_.Execute("SELECT seat, passenger_name, gender, age, phone, amount, currency, "
                            "status FROM order_items WHERE order_id = $1 ORDER BY seat",
                            {order.view.id}));
      for (const db::Row& row : items.rows) {
        TRAVIO_ASSIGN_OR_RETURN(OrderItem item, ReadItem(row));
        order.view.items.push_back(std::move(item));
      }
    }
    return orders;
  }

  db::Database& database_;
  events::Outbox& outbox_;
};

}  // namespace

std::unique_ptr<OrderStore> MakeSqlOrderStore(db::Database& database, events::Outbox& outbox) {
  return std::make_unique<SqlOrderStore>(database, outbox);
}

}  // namespace travio::order
