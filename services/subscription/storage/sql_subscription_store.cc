#include "services/subscription/storage/sql_subscription_store.h"

#include <algorithm>
#include <functional>
#include <map>

#include "platform/base/status_macros.h"

namespace travio::subscription {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE subscription_accounts (
  org_id TEXT PRIMARY KEY,
  plan TEXT NOT NULL,
  trial_end BIGINT NOT NULL,
  pending_plan TEXT NOT NULL,
  pending_from BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  version BIGINT NOT NULL
);
CREATE INDEX subscription_accounts_pending ON subscription_accounts (pending_from)
  WHERE pending_plan <> '';
CREATE TABLE subscription_usage (
  org_id TEXT NOT NULL,
  quota TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  used BIGINT NOT NULL,
  PRIMARY KEY (org_id, quota, period_start)
);
CREATE TABLE subscription_uses (
  org_id TEXT NOT NULL,
  quota TEXT NOT NULL,
  use_key TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  state TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (org_id, quota, use_key)
);
CREATE INDEX subscription_uses_reserved ON subscription_uses (expires_at)
  WHERE state = 'reserved';
CREATE TABLE subscription_plan_changes (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  from_plan TEXT NOT NULL,
  to_plan TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  charge BIGINT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX subscription_plan_changes_by_period
  ON subscription_plan_changes (org_id, period_start, at);
)sql";

constexpr char kInvoices[] = R"sql(
ALTER TABLE subscription_accounts ADD COLUMN next_close_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX subscription_accounts_closing ON subscription_accounts (next_close_at);
ALTER TABLE subscription_plan_changes ADD COLUMN invoice_id TEXT NOT NULL DEFAULT '';
CREATE INDEX subscription_plan_changes_unbilled ON subscription_plan_changes (org_id, invoice_id);
CREATE TABLE subscription_booking_fees (
  org_id TEXT NOT NULL,
  order_id TEXT NOT NULL,
  fee BIGINT NOT NULL,
  at BIGINT NOT NULL,
  invoice_id TEXT NOT NULL,
  PRIMARY KEY (org_id, order_id)
);
CREATE INDEX subscription_booking_fees_unbilled ON subscription_booking_fees (org_id, invoice_id);
CREATE TABLE subscription_invoice_numbers (
  month TEXT PRIMARY KEY,
  last BIGINT NOT NULL
);
CREATE TABLE subscription_invoices (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  number TEXT NOT NULL UNIQUE,
  plan TEXT NOT NULL,
  currency TEXT NOT NULL,
  period_start BIGINT NOT NULL,
  period_end BIGINT NOT NULL,
  issued_at BIGINT NOT NULL,
  total BIGINT NOT NULL,
  UNIQUE (org_id, period_start)
);
CREATE TABLE subscription_invoice_lines (
  invoice_id TEXT NOT NULL,
  position BIGINT NOT NULL,
  kind TEXT NOT NULL,
  description TEXT NOT NULL,
  quantity BIGINT NOT NULL,
  unit_amount BIGINT NOT NULL,
  amount BIGINT NOT NULL,
  PRIMARY KEY (invoice_id, position)
);
)sql";

constexpr std::pair<UseState, std::string_view> kStateNames[] = {{UseState::kReserved, "reserved"},
                                                                 {UseState::kCounted, "counted"},
                                                                 {UseState::kRemoved, "removed"}};

std::string StateName(UseState state) {
  for (const auto& [candidate, name] : kStateNames) {
    if (candidate == state) return std::string(name);
  }
  return "reserved";
}

absl::StatusOr<UseState> StateNamed(const std::string& name) {
  for (const auto& [state, candidate] : kStateNames) {
    if (candidate == name) return state;
  }
  return absl::DataLossError("a quota use in an unknown state: " + name);
}

int64_t Micros(absl::Time at) { return absl::ToUnixMicros(at); }
absl::Time Instant(int64_t micros) { return absl::FromUnixMicros(micros); }
// An account without a waiting downgrade keeps 0 (the epoch), never read.
int64_t PendingMicros(const Account& account) {
  return account.pending_plan.empty() ? 0 : Micros(account.pending_from);
}

Account AccountFrom(const db::Row& row) {
  Account account{.org_id = row.Text(0),
                  .plan = row.Text(1),
                  .trial_end = Instant(row.Int(2)),
                  .pending_plan = row.Text(3),
                  .created_at = Instant(row.Int(5)),
                  .next_close_at = Instant(row.Int(7)),
                  .version = row.Int(6)};
  if (!account.pending_plan.empty()) account.pending_from = Instant(row.Int(4));
  return account;
}

constexpr char kAccountColumns[] =
    "org_id, plan, trial_end, pending_plan, pending_from, created_at, version, next_close_at";
constexpr char kInvoiceColumns[] =
    "id, org_id, number, plan, currency, period_start, period_end, issued_at, total";

InvoiceView InvoiceFrom(const db::Row& row) {
  return InvoiceView{.id = row.Text(0),
                     .org_id = row.Text(1),
                     .number = row.Text(2),
                     .plan = row.Text(3),
                     .currency = row.Text(4),
                     .period_start = Instant(row.Int(5)),
                     .period_end = Instant(row.Int(6)),
                     .issued_at = Instant(row.Int(7)),
                     .total = row.Int(8)};
}
constexpr char kUseColumns[] =
    "org_id, quota, use_key, period_start, amount, state, expires_at, updated_at";

absl::StatusOr<QuotaUseRecord> UseFrom(const db::Row& row) {
  const std::optional<Quota> quota = QuotaNamed(row.Text(1));
  if (!quota) return absl::DataLossError("a quota use of an unknown quota: " + row.Text(1));
  TRAVIO_ASSIGN_OR_RETURN(const UseState state, StateNamed(row.Text(5)));
  return QuotaUseRecord{.org_id = row.Text(0),
                        .quota = *quota,
                        .key = row.Text(2),
                        .period_start = Instant(row.Int(3)),
                        .amount = row.Int(4),
                        .state = state,
                        .expires_at = Instant(row.Int(6)),
                        .updated_at = Instant(row.Int(7))};
}

absl::StatusOr<std::optional<Account>> FindAccountIn(db::Session& session,
                                                     const std::string& org_id) {
  TRAVIO_ASSIGN_OR_RETURN(db::Result result,
                          session.Execute(std::string("SELECT ") + kAccountColumns +
                                              " FROM subscription_accounts WHERE org_id = $1",
                                          {org_id}));
  if (result.rows.empty()) return std::nullopt;
  return AccountFrom(result.rows[0]);
}

class SqlSubscriptionUnit final : public SubscriptionUnit {
 public:
  SqlSubscriptionUnit(db::Transaction& tx, events::Outbox& outbox) : tx_(tx), outbox_(outbox) {}

  absl::StatusOr<std::optional<Account>> FindAccount(const std::string& org_id) override {
    return FindAccountIn(tx_, org_id);
  }

  absl::StatusOr<bool> InsertAccount(const Account& account) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("INSERT INTO subscription_accounts (org_id, plan, trial_end, pending_plan, "
                    "pending_from, created_at, version, next_close_at) VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, $8) ON CONFLICT (org_id) DO NOTHING",
                    {account.org_id, account.plan, Micros(account.trial_end), account.pending_plan,
                     PendingMicros(account), Micros(account.created_at), account.version,
                     Micros(account.next_close_at)}));
    return result.affected_rows == 1;
  }

  absl::Status UpdateAccount(Account& account) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(
            "UPDATE subscription_accounts SET plan = $2, trial_end = $3, pending_plan = $4, "
            "pending_from = $5, next_close_at = $7, version = version + 1 WHERE org_id = $1 AND "
            "version = $6",
            {account.org_id, account.plan, Micros(account.trial_end), account.pending_plan,
             PendingMicros(account), account.version, Micros(account.next_close_at)}));
    if (result.affected_rows != 1) {
      return absl::AbortedError("the subscription changed meanwhile; try again");
    }
    ++account.version;
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> Used(const std::string& org_id, Quota quota,
                               absl::Time period_start) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT used FROM subscription_usage WHERE org_id = $1 AND quota = $2 AND "
                    "period_start = $3",
                    {org_id, std::string(QuotaName(quota)), Micros(period_start)}));
    return result.rows.empty() ? 0 : result.rows[0].Int(0);
  }

  absl::StatusOr<bool> AddWithin(const std::string& org_id, Quota quota, absl::Time period_start,
                                 int64_t amount, int64_t limit) override {
    TRAVIO_RETURN_IF_ERROR(EnsureRow(org_id, quota, period_start));
    // One statement: PostgreSQL re-reads the row it waited for and checks the limit again, and
    // SQLite runs one writer at a time, so two callers never both take the last unit.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE subscription_usage SET used = used + $4 WHERE org_id = $1 AND "
                    "quota = $2 AND period_start = $3 AND ($5 = 0 OR used + $4 <= $5)",
                    {org_id, std::string(QuotaName(quota)), Micros(period_start), amount, limit}));
    return result.affected_rows == 1;
  }

  absl::Status Add(const std::string& org_id, Quota quota, absl::Time period_start,
                   int64_t delta) override {
    TRAVIO_RETURN_IF_ERROR(EnsureRow(org_id, quota, period_start));
    return tx_
        .Execute(
            "UPDATE subscription_usage SET used = used + $4 WHERE org_id = $1 AND "
            "quota = $2 AND period_start = $3",
            {org_id, std::string(QuotaName(quota)), Micros(period_start), delta})
        .status();
  }

  absl::StatusOr<std::optional<QuotaUseRecord>> FindUse(const std::string& org_id, Quota quota,
                                                        const std::string& key) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(std::string("SELECT ") + kUseColumns +
                        " FROM subscription_uses WHERE org_id = $1 AND quota = $2 AND "
                        "use_key = $3",
                    {org_id, std::string(QuotaName(quota)), key}));
    if (result.rows.empty()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(QuotaUseRecord use, UseFrom(result.rows[0]));
    return use;
  }

  absl::StatusOr<bool> InsertUse(const QuotaUseRecord& use) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(
            std::string("INSERT INTO subscription_uses (") + kUseColumns +
                ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                "ON CONFLICT (org_id, quota, use_key) DO NOTHING",
            {use.org_id, std::string(QuotaName(use.quota)), use.key, Micros(use.period_start),
             use.amount, StateName(use.state), Micros(use.expires_at), Micros(use.updated_at)}));
    return result.affected_rows == 1;
  }

  absl::StatusOr<bool> ChangeUse(const QuotaUseRecord& use, UseState expected) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE subscription_uses SET period_start = $4, amount = $5, state = $6, "
                    "expires_at = $7, updated_at = $8 WHERE org_id = $1 AND quota = $2 AND "
                    "use_key = $3 AND state = $9",
                    {use.org_id, std::string(QuotaName(use.quota)), use.key,
                     Micros(use.period_start), use.amount, StateName(use.state),
                     Micros(use.expires_at), Micros(use.updated_at), StateName(expected)}));
    return result.affected_rows == 1;
  }

  absl::StatusOr<bool> DeleteReservation(const std::string& org_id, Quota quota,
                                         const std::string& key, absl::Time due_by) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("DELETE FROM subscription_uses WHERE org_id = $1 AND quota = $2 AND "
                    "use_key = $3 AND state = 'reserved' AND expires_at <= $4",
                    {org_id, std::string(QuotaName(quota)), key, Micros(due_by)}));
    return result.affected_rows == 1;
  }

  absl::Status InsertPlanChange(const PlanChangeRecord& change) override {
    return tx_
        .Execute(
            "INSERT INTO subscription_plan_changes (id, org_id, at, kind, from_plan, to_plan, "
            "period_start, charge, actor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            {change.id, change.org_id, Micros(change.at), change.kind, change.from_plan,
             change.to_plan, Micros(change.period_start), change.charge, change.actor})
        .status();
  }

  absl::StatusOr<std::optional<std::string>> PlanInForce(const std::string& org_id,
                                                         absl::Time at) override {
    return LatestPlan("org_id = $1 AND kind IN ('started', 'upgrade', 'downgrade') AND at <= $2",
                      org_id, at);
  }

  absl::StatusOr<std::optional<std::string>> PlanAtPeriodStart(const std::string& org_id,
                                                               absl::Time period_start) override {
    // A downgrade takes effect at the start of a period; an upgrade made within it (at its
    // first instant too) is that period's prorated charge, not its plan.
    return LatestPlan(
        "org_id = $1 AND (kind = 'started' OR (kind = 'downgrade' AND at <= $2) OR "
        "(kind = 'upgrade' AND period_start < $2))",
        org_id, period_start);
  }

  absl::StatusOr<bool> InsertBookingFee(const std::string& org_id, const std::string& order_id,
                                        int64_t fee, absl::Time at) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("INSERT INTO subscription_booking_fees (org_id, order_id, fee, at, "
                    "invoice_id) VALUES ($1, $2, $3, $4, '') ON CONFLICT (org_id, order_id) DO "
                    "NOTHING",
                    {org_id, order_id, fee, Micros(at)}));
    return result.affected_rows == 1;
  }

  absl::StatusOr<std::vector<PlanChange>> ClaimUpgrades(const std::string& org_id,
                                                        const std::string& invoice_id,
                                                        absl::Time before) override {
    // One statement: PostgreSQL re-checks `invoice_id = ''` on a row a racing close claimed
    // meanwhile, so no change is claimed twice.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE subscription_plan_changes SET invoice_id = $2 WHERE org_id = $1 AND "
                    "kind = 'upgrade' AND invoice_id = '' AND at < $3 "
                    "RETURNING at, from_plan, to_plan, charge, id",
                    {org_id, invoice_id, Micros(before)}));
    std::vector<std::pair<std::pair<int64_t, std::string>, PlanChange>> ordered;
    for (const db::Row& row : result.rows) {
      ordered.push_back({{row.Int(0), row.Text(4)},
                         {.at = Instant(row.Int(0)),
                          .from = row.Text(1),
                          .to = row.Text(2),
                          .charge = row.Int(3)}});
    }
    std::sort(ordered.begin(), ordered.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<PlanChange> upgrades;
    for (auto& [key, change] : ordered) upgrades.push_back(std::move(change));
    return upgrades;
  }

  absl::StatusOr<std::vector<BookingFees>> ClaimBookingFees(const std::string& org_id,
                                                            const std::string& invoice_id,
                                                            absl::Time before) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("UPDATE subscription_booking_fees SET invoice_id = $2 WHERE org_id = $1 AND "
                    "invoice_id = '' AND at < $3 RETURNING fee",
                    {org_id, invoice_id, Micros(before)}));
    std::map<int64_t, int64_t, std::greater<>> by_fee;
    for (const db::Row& row : result.rows) ++by_fee[row.Int(0)];
    std::vector<BookingFees> fees;
    for (const auto& [fee, bookings] : by_fee) fees.push_back({.fee = fee, .bookings = bookings});
    return fees;
  }

  absl::StatusOr<bool> InvoiceExists(const std::string& org_id, absl::Time period_start) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT 1 FROM subscription_invoices WHERE org_id = $1 AND period_start = $2",
                    {org_id, Micros(period_start)}));
    return !result.rows.empty();
  }

  absl::StatusOr<int64_t> NextInvoiceNumber(const std::string& month) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("INSERT INTO subscription_invoice_numbers (month, last) VALUES ($1, 1) "
                    "ON CONFLICT (month) DO UPDATE SET last = subscription_invoice_numbers.last + "
                    "1 RETURNING last",
                    {month}));
    if (result.rows.empty()) return absl::InternalError("no invoice number was given out");
    return result.rows[0].Int(0);
  }

  absl::StatusOr<bool> InsertInvoice(const InvoiceView& invoice) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute(std::string("INSERT INTO subscription_invoices (") + kInvoiceColumns +
                        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                        "ON CONFLICT (org_id, period_start) DO NOTHING",
                    {invoice.id, invoice.org_id, invoice.number, invoice.plan, invoice.currency,
                     Micros(invoice.period_start), Micros(invoice.period_end),
                     Micros(invoice.issued_at), invoice.total}));
    if (result.affected_rows != 1) return false;
    int64_t position = 0;
    for (const InvoiceLine& line : invoice.lines) {
      TRAVIO_RETURN_IF_ERROR(
          tx_.Execute("INSERT INTO subscription_invoice_lines (invoice_id, position, kind, "
                      "description, quantity, unit_amount, amount) VALUES ($1, $2, $3, $4, $5, "
                      "$6, $7)",
                      {invoice.id, ++position, line.kind, line.description, line.quantity,
                       line.unit_amount, line.amount})
              .status());
    }
    return true;
  }

  absl::Status Append(const events::Event& event) override { return outbox_.Append(tx_, event); }

 private:
  // The `to_plan` of the newest change matching `where` ($1 the organization, $2 an instant);
  // of changes at one instant, the start comes first, so what followed it wins.
  absl::StatusOr<std::optional<std::string>> LatestPlan(const std::string& where,
                                                        const std::string& org_id, absl::Time at) {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        tx_.Execute("SELECT to_plan FROM subscription_plan_changes WHERE " + where +
                        " ORDER BY at DESC, CASE kind WHEN 'started' THEN 1 ELSE 0 END LIMIT 1",
                    {org_id, Micros(at)}));
    if (result.rows.empty()) return std::nullopt;
    return result.rows[0].Text(0);
  }

  absl::Status EnsureRow(const std::string& org_id, Quota quota, absl::Time period_start) {
    return tx_
        .Execute(
            "INSERT INTO subscription_usage (org_id, quota, period_start, used) "
            "VALUES ($1, $2, $3, 0) ON CONFLICT (org_id, quota, period_start) DO NOTHING",
            {org_id, std::string(QuotaName(quota)), Micros(period_start)})
        .status();
  }

  db::Transaction& tx_;
  events::Outbox& outbox_;
};

class SqlSubscriptionStore final : public SubscriptionStore {
 public:
  SqlSubscriptionStore(db::Database& database, events::Inbox& inbox, events::Outbox& outbox)
      : database_(database), inbox_(inbox), outbox_(outbox) {}

  absl::Status InTransaction(const std::function<absl::Status(SubscriptionUnit&)>& work) override {
    return database_.InTransaction([&](db::Transaction& tx) {
      SqlSubscriptionUnit unit(tx, outbox_);
      return work(unit);
    });
  }

  absl::StatusOr<bool> ProcessEvent(
      const std::string& consumer, const events::Event& event,
      const std::function<absl::Status(SubscriptionUnit&)>& work) override {
    return inbox_.Process(consumer, event, [&](db::Transaction& tx) {
      SqlSubscriptionUnit unit(tx, outbox_);
      return work(unit);
    });
  }

  absl::StatusOr<std::optional<Account>> FindAccount(const std::string& org_id) override {
    return FindAccountIn(database_, org_id);
  }

  absl::StatusOr<std::map<Quota, int64_t>> UsageOf(const std::string& org_id,
                                                   absl::Time period_start) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT quota, period_start, used FROM subscription_usage "
                          "WHERE org_id = $1 AND period_start IN ($2, $3)",
                          {org_id, Micros(absl::UnixEpoch()), Micros(period_start)}));
    std::map<Quota, int64_t> usage;
    for (const db::Row& row : result.rows) {
      const std::optional<Quota> quota = QuotaNamed(row.Text(0));
      if (!quota) continue;
      // Each quota is kept at one of the two starts: standing ones at the epoch.
      const bool standing = row.Int(1) == Micros(absl::UnixEpoch());
      if (standing != !IsPerPeriod(*quota)) continue;
      usage[*quota] = row.Int(2);
    }
    return usage;
  }

  absl::StatusOr<std::vector<QuotaUseRecord>> ExpiredReservations(absl::Time now,
                                                                  int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(std::string("SELECT ") + kUseColumns +
                              " FROM subscription_uses WHERE state = 'reserved' AND expires_at "
                              "<= $1 ORDER BY expires_at LIMIT $2",
                          {Micros(now), static_cast<int64_t>(limit)}));
    std::vector<QuotaUseRecord> uses;
    for (const db::Row& row : result.rows) {
      TRAVIO_ASSIGN_OR_RETURN(QuotaUseRecord use, UseFrom(row));
      uses.push_back(std::move(use));
    }
    return uses;
  }

  absl::StatusOr<std::vector<std::string>> DueForClosing(absl::Time now, int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT org_id FROM subscription_accounts WHERE next_close_at <= $1 "
                          "ORDER BY next_close_at LIMIT $2",
                          {Micros(now), static_cast<int64_t>(limit)}));
    std::vector<std::string> due;
    for (const db::Row& row : result.rows) due.push_back(row.Text(0));
    return due;
  }

  absl::StatusOr<std::vector<InvoiceView>> ListInvoices(const std::string& org_id,
                                                        absl::Time before, int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(std::string("SELECT ") + kInvoiceColumns +
                              " FROM subscription_invoices WHERE org_id = $1 AND period_start < "
                              "$2 ORDER BY period_start DESC LIMIT $3",
                          {org_id, Micros(before), static_cast<int64_t>(limit)}));
    std::vector<InvoiceView> invoices;
    for (const db::Row& row : result.rows) invoices.push_back(InvoiceFrom(row));
    return invoices;
  }

  absl::StatusOr<std::optional<InvoiceView>> FindInvoice(const std::string& org_id,
                                                         const std::string& id) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result found,
        database_.Execute(std::string("SELECT ") + kInvoiceColumns +
                              " FROM subscription_invoices WHERE org_id = $1 AND id = $2",
                          {org_id, id}));
    if (found.rows.empty()) return std::nullopt;
    InvoiceView invoice = InvoiceFrom(found.rows[0]);
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result lines,
        database_.Execute("SELECT kind, description, quantity, unit_amount, amount FROM "
                          "subscription_invoice_lines WHERE invoice_id = $1 ORDER BY position",
                          {id}));
    for (const db::Row& row : lines.rows) {
      invoice.lines.push_back({.kind = row.Text(0),
                               .description = row.Text(1),
                               .quantity = row.Int(2),
                               .unit_amount = row.Int(3),
                               .amount = row.Int(4)});
    }
    return invoice;
  }

  absl::StatusOr<std::vector<std::string>> DueDowngrades(absl::Time now, int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT org_id FROM subscription_accounts WHERE pending_plan <> '' AND "
                          "pending_from <= $1 ORDER BY pending_from LIMIT $2",
                          {Micros(now), static_cast<int64_t>(limit)}));
    std::vector<std::string> due;
    for (const db::Row& row : result.rows) due.push_back(row.Text(0));
    return due;
  }

 private:
  db::Database& database_;
  events::Inbox& inbox_;
  events::Outbox& outbox_;
};

}  // namespace

std::vector<db::Migration> SubscriptionMigrations() {
  return {{1, "subscriptions, quota usage and its reservations, plan changes", kSchema},
          {2, "invoices, their lines, and the booking fees they bill", kInvoices}};
}

std::unique_ptr<SubscriptionStore> MakeSqlSubscriptionStore(db::Database& database,
                                                            events::Inbox& inbox,
                                                            events::Outbox& outbox) {
  return std::make_unique<SqlSubscriptionStore>(database, inbox, outbox);
}

}  // namespace travio::subscription
