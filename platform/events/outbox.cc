#include "platform/events/outbox.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/trace/trace_context.h"

namespace travio::events {

Outbox::Outbox(std::string module, db::Database& database)
    : module_(std::move(module)), table_(module_ + "_outbox"), database_(database) {
  // `sequence` orders events by insertion (commit order on SQLite's single writer; on
  // PostgreSQL concurrent transactions may commit out of sequence order); ids are UUIDv7.
  create_sql_ =
      absl::StrCat("CREATE TABLE ", table_,
                   " (sequence INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
                   " type TEXT NOT NULL, aggregate_id TEXT NOT NULL, org_id TEXT NOT NULL,"
                   " occurred_at BIGINT NOT NULL, trace_id TEXT NOT NULL,"
                   " payload TEXT NOT NULL, relayed_at BIGINT);\n"
                   "CREATE INDEX ",
                   table_, "_pending ON ", table_, " (relayed_at, sequence);");
}

absl::Status Outbox::Migrate() {
  static const std::string kPostgresType = "BIGSERIAL PRIMARY KEY";
  std::string postgres = create_sql_;
  postgres.replace(postgres.find("INTEGER PRIMARY KEY AUTOINCREMENT"),
                   std::string("INTEGER PRIMARY KEY AUTOINCREMENT").size(), kPostgresType);
  // Who relays the outbox among the processes sharing it: one row, leased.
  const std::string relay_sql =
      absl::StrCat("CREATE TABLE ", table_,
                   "_relay (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL,"
                   " lease_until BIGINT NOT NULL);\n"
                   "INSERT INTO ",
                   table_, "_relay (id, holder, lease_until) VALUES (1, '', 0);");
  const db::Migration migrations[] = {{1, "create outbox", create_sql_, postgres},
                                      {2, "relay lease", relay_sql}};
  return db::ApplyMigrations(database_, module_ + ".outbox", migrations);
}

absl::Status Outbox::Append(db::Session& transaction, const Event& event) {
  // The event carries on the trace of the work that caused it, so its consumers' lines join
  // the request's (trace_context.h).
  const trace::TraceContext* trace = trace::Current();
  const std::string& trace_id =
      event.trace_id.empty() && trace != nullptr ? trace->trace_id : event.trace_id;
  return transaction
      .Execute(absl::StrCat("INSERT INTO ", table_,
                            " (id, type, aggregate_id, org_id, occurred_at, trace_id, payload)"
                            " VALUES ($1, $2, $3, $4, $5, $6, $7)"),
               {event.id, event.type, event.aggregate_id, event.org_id,
                absl::ToUnixMicros(event.occurred_at), trace_id, event.payload})
      .status();
}

absl::StatusOr<std::vector<std::pair<int64_t, Event>>> Outbox::Pending(int limit) {
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result result,
      database_.Execute(
          absl::StrCat("SELECT sequence, id, type, aggregate_id, org_id, occurred_at,"
                       " trace_id, payload FROM ",
                       table_, " WHERE relayed_at IS NULL ORDER BY sequence LIMIT $1"),
          {int64_t{limit}}));
  std::vector<std::pair<int64_t, Event>> events;
  for (const db::Row& row : result.rows) {
    events.emplace_back(row.Int(0),
                        Event{row.Text(1), row.Text(2), row.Text(3), row.Text(4),
                              absl::FromUnixMicros(row.Int(5)), row.Text(6), row.Text(7)});
  }
  return events;
}

absl::Status Outbox::MarkRelayed(std::span<const int64_t> sequences, absl::Time at) {
  if (sequences.empty()) return absl::OkStatus();
  // Exactly these rows: on PostgreSQL a lower sequence may commit later than a higher one, and
  // a range update would mark it relayed before it was ever read.
  // The list is padded (repeating the last sequence) to one of a few lengths, so a handful of
  // statements are prepared and cached, not one per batch size.
  size_t length = 1;
  while (length < sequences.size()) length *= 4;
  std::vector<db::Value> params = {absl::ToUnixMicros(at)};
  std::string placeholders;
  for (size_t i = 0; i < length; ++i) {
    params.emplace_back(sequences[std::min(i, sequences.size() - 1)]);
    absl::StrAppend(&placeholders, placeholders.empty() ? "$" : ", $", params.size());
  }
  return database_
      .Execute(absl::StrCat("UPDATE ", table_, " SET relayed_at = $1 WHERE sequence IN (",
                            placeholders, ")"),
               params)
      .status();
}

absl::StatusOr<bool> Outbox::TakeRelayLease(const std::string& holder, absl::Time now,
                                            absl::Duration lease) {
  // A SQLite file belongs to one process (the data directory's lock): nobody to share with.
  if (database_.dialect() == db::Dialect::kSqlite) return true;
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result taken,
      database_.Execute(absl::StrCat("UPDATE ", table_,
                                     "_relay SET holder = $1, lease_until = $2 WHERE id = 1 AND "
                                     "(holder = $1 OR lease_until <= $3)"),
                        {holder, absl::ToUnixMicros(now + lease), absl::ToUnixMicros(now)}));
  return taken.affected_rows == 1;
}

absl::Status Outbox::ReleaseRelayLease(const std::string& holder) {
  return database_
      .Execute(absl::StrCat("UPDATE ", table_,
                            "_relay SET lease_until = 0 WHERE id = 1 AND holder = $1"),
               {holder})
      .status();
}

Inbox::Inbox(std::string module, db::Database& database)
    : module_(std::move(module)), table_(module_ + "_inbox"), database_(database) {
  create_sql_ = absl::StrCat("CREATE TABLE ", table_,
                             " (consumer TEXT NOT NULL, event_id TEXT NOT NULL,"
                             " PRIMARY KEY (consumer, event_id));");
}

absl::Status Inbox::Migrate() {
  const db::Migration migrations[] = {{1, "create inbox", create_sql_}};
  return db::ApplyMigrations(database_, module_ + ".inbox", migrations);
}

absl::StatusOr<bool> Inbox::Process(const std::string& consumer, const Event& event,
                                    const std::function<absl::Status(db::Transaction&)>& effect) {
  bool fresh = false;
  TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& transaction) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(db::Result inserted,
                            transaction.Execute(absl::StrCat("INSERT INTO ", table_,
                                                             " (consumer, event_id) VALUES ($1, $2)"
                                                             " ON CONFLICT DO NOTHING"),
                                                {consumer, event.id}));
    fresh = inserted.affected_rows == 1;
    if (!fresh) return absl::OkStatus();
    return effect(transaction);
  }));
  return fresh;
}

Relay::Relay(Outbox& outbox, Publisher& publisher, const Clock& clock, const log::Logger& logger,
             absl::Duration poll_interval, metrics::Gauge* lag)
    : outbox_(outbox),
      publisher_(publisher),
      clock_(clock),
      logger_(logger.With({{"component", "relay"}, {"outbox", outbox.table()}})),
      poll_interval_(poll_interval),
      lag_(lag),
      holder_(IdGenerator(clock).NewId()) {}

Relay::~Relay() { Stop(); }

void Relay::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Relay::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  // Another replica takes over now, not when the lease would have run out.
  if (auto released = outbox_.ReleaseRelayLease(holder_); !released.ok()) {
    logger_.Warn("could not give up the relay's lease", {{"error", released.ToString()}});
  }
}

void Relay::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

absl::Status Relay::RelayPending() {
  std::lock_guard relaying(relay_mutex_);
  // Renewed before every batch, so a relay alive and well keeps it; one that died gives it up
  // soon (its events wait that long).
  const absl::Duration lease = std::max(absl::Seconds(2), 10 * poll_interval_);
  while (true) {
    TRAVIO_ASSIGN_OR_RETURN(auto oldest, outbox_.Pending(1));
    if (lag_ != nullptr) {
      lag_->Set(oldest.empty()
                    ? 0.0
                    : std::max(0.0, absl::ToDoubleSeconds(clock_.Now() -
                                                          oldest.front().second.occurred_at)));
    }
    if (oldest.empty()) return absl::OkStatus();
    // Another replica relays this outbox now: it takes what is pending.
    TRAVIO_ASSIGN_OR_RETURN(const bool relaying_here,
                            outbox_.TakeRelayLease(holder_, clock_.Now(), lease));
    if (!relaying_here) return absl::OkStatus();
    TRAVIO_ASSIGN_OR_RETURN(auto pending, outbox_.Pending(100));
    // Marked relayed together, one write per batch instead of one per event: a crash between
    // a delivery and the mark delivers those events again, which consumers deduplicate (their
    // inbox, or effects that are idempotent), as they would after a crash with a batch of one.
    std::vector<int64_t> delivered;
    absl::Status failure;
    for (const auto& [sequence, event] : pending) {
      if (auto status = publisher_.Publish(event); !status.ok()) {
        failure = absl::Status(status.code(), absl::StrCat("event ", event.id, " (", event.type,
                                                           "): ", status.message()));
        break;
      }
      delivered.push_back(sequence);
    }
    TRAVIO_RETURN_IF_ERROR(outbox_.MarkRelayed(delivered, clock_.Now()));
    if (!failure.ok()) return failure;
  }
}

void Relay::Run() {
  absl::Duration backoff = poll_interval_;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    const absl::Status status = RelayPending();
    lock.lock();
    if (status.ok()) {
      backoff = poll_interval_;
    } else {
      logger_.Warn("relay failed; will retry", {{"error", status.ToString()}});
      backoff = std::min(backoff * 2, absl::Seconds(30));
    }
    wake_.wait_for(lock, std::chrono::microseconds(absl::ToInt64Microseconds(backoff)),
                   [this] { return stopping_ || woken_; });
    woken_ = false;
  }
  lock.unlock();
  (void)RelayPending();
}

}  // namespace travio::events
