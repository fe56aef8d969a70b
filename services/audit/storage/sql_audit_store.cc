#include "services/audit/storage/sql_audit_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "platform/base/status_macros.h"
#include "services/audit/api/entry_codec.h"

namespace travio::audit {
namespace {

constexpr char kTables[] = R"sql(
CREATE TABLE audit_logs (
  log TEXT PRIMARY KEY,
  first_seq BIGINT NOT NULL,
  first_prev_hash TEXT NOT NULL,
  head_seq BIGINT NOT NULL,
  head_hash TEXT NOT NULL,
  checkpoint_seq BIGINT NOT NULL,
  checkpoint_at BIGINT NOT NULL
);
CREATE TABLE audit_entries (
  log TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at BIGINT NOT NULL,
  source TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  target_name TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (log, seq)
);
CREATE UNIQUE INDEX audit_entries_by_source ON audit_entries (log, source);
CREATE INDEX audit_entries_by_actor ON audit_entries (log, actor, seq);
CREATE INDEX audit_entries_by_action ON audit_entries (log, action, seq);
CREATE TABLE audit_checkpoints (
  log TEXT NOT NULL,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL,
  at BIGINT NOT NULL,
  token TEXT NOT NULL,
  PRIMARY KEY (log, seq)
);
)sql";

// The append-only guards, one statement per line (they are also lifted and restored by
// RetainLog, on SQLite by dropping and creating them again).
constexpr char kSqliteGuards[] =
    "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT "
    "RAISE(ABORT, 'audit entries are append-only'); END;\n"
    "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT "
    "RAISE(ABORT, 'audit entries are append-only'); END;\n"
    "CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints BEGIN SELECT "
    "RAISE(ABORT, 'audit checkpoints are append-only'); END;\n"
    "CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints BEGIN SELECT "
    "RAISE(ABORT, 'audit checkpoints are append-only'); END;\n";

constexpr char kPostgresGuards[] =
    "CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE "
    "EXCEPTION 'audit tables are append-only (% on %)', TG_OP, TG_TABLE_NAME; END $$;\n"
    "CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries FOR EACH "
    "ROW EXECUTE FUNCTION audit_refuse_change();\n"
    "CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH "
    "STATEMENT EXECUTE FUNCTION audit_refuse_change();\n"
    "CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints "
    "FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();\n"
    "CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints FOR EACH "
    "STATEMENT EXECUTE FUNCTION audit_refuse_change();\n";

constexpr char kByTime[] = "CREATE INDEX audit_entries_by_time ON audit_entries (log, at, seq)";
constexpr char kPromise[] =
    "ALTER TABLE audit_logs ADD COLUMN checkpoint_every BIGINT NOT NULL DEFAULT 0";

constexpr char kRetention[] =
    "ALTER TABLE audit_logs ADD COLUMN retention_token TEXT NOT NULL DEFAULT ''";

constexpr char kSeal[] = "ALTER TABLE audit_entries ADD COLUMN seal TEXT NOT NULL DEFAULT ''";

constexpr char kColumns[] =
    "log, seq, at, source, actor, action, target, target_name, details, prev_hash, hash, seal";
constexpr char kStateColumns[] =
    "log, first_seq, first_prev_hash, head_seq, head_hash, checkpoint_seq, checkpoint_at, "
    "checkpoint_every, retention_token";

AuditEntry EntryOf(const db::Row& row) {
  AuditEntry entry;
  entry.fact.log = row.Text(0);
  entry.seq = row.Int(1);
  entry.fact.at = absl::FromUnixMicros(row.Int(2));
  entry.fact.source = row.Text(3);
  entry.fact.actor = row.Text(4);
  entry.fact.action = row.Text(5);
  entry.fact.target = row.Text(6);
  entry.fact.target_name = row.Text(7);
  entry.fact.details = row.Text(8);
  entry.prev_hash = row.Text(9);
  entry.hash = row.Text(10);
  entry.seal = row.Text(11);
  return entry;
}

LogState StateOf(const db::Row& row) {
  LogState state;
  state.log = row.Text(0);
  state.first_seq = row.Int(1);
  state.first_prev_hash = row.Text(2);
  state.head_seq = row.Int(3);
  state.head_hash = row.Text(4);
  state.checkpoint_seq = row.Int(5);
  state.checkpoint_at = absl::FromUnixMicros(row.Int(6));
  state.checkpoint_every = row.Int(7);
  state.retention_token = row.Text(8);
  return state;
}

absl::Status InsertCheckpoint(db::Session& session, const Checkpoint& checkpoint) {
  TRAVIO_RETURN_IF_ERROR(
      session
          .Execute("INSERT INTO audit_checkpoints (log, seq, hash, at, token) "
                   "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (log, seq) DO NOTHING",
                   {checkpoint.log, checkpoint.seq, checkpoint.hash,
                    absl::ToUnixMicros(checkpoint.at), checkpoint.token})
          .status());
  return session
      .Execute(
          "UPDATE audit_logs SET checkpoint_seq = $2, checkpoint_at = $3, checkpoint_every = $4 "
          "WHERE log = $1 AND checkpoint_seq < $2",
          {checkpoint.log, checkpoint.seq, absl::ToUnixMicros(checkpoint.at), checkpoint.every})
      .status();
}

// The log's checkpoints in order, or (`newest` > 0) that many of the newest, newest first.
absl::StatusOr<std::vector<Checkpoint>> ReadCheckpoints(db::Session& session,
                                                        const std::string& log, int newest = 0) {
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result result,
      newest > 0 ? session.Execute("SELECT log, seq, hash, at, token FROM audit_checkpoints "
                                   "WHERE log = $1 ORDER BY seq DESC LIMIT $2",
                                   {log, int64_t{newest}})
                 : session.Execute("SELECT log, seq, hash, at, token FROM audit_checkpoints "
                                   "WHERE log = $1 ORDER BY seq",
                                   {log}));
  std::vector<Checkpoint> checkpoints;
  for (const db::Row& row : result.rows) {
    checkpoints.push_back({.log = row.Text(0),
                           .seq = row.Int(1),
                           .hash = row.Text(2),
                           .at = absl::FromUnixMicros(row.Int(3)),
                           .token = row.Text(4)});
  }
  return checkpoints;
}

absl::StatusOr<std::vector<AuditEntry>> ScanFrom(db::Session& session, const std::string& log,
                                                 int64_t from_seq, int limit) {
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result result,
      session.Execute(absl::StrCat("SELECT ", kColumns,
                                   " FROM audit_entries WHERE log = $1 AND seq >= $2 "
                                   "ORDER BY seq LIMIT $3"),
                      {log, from_seq, int64_t{limit}}));
  std::vector<AuditEntry> entries;
  entries.reserve(result.rows.size());
  for (const db::Row& row : result.rows) entries.push_back(EntryOf(row));
  return entries;
}

absl::Status InsertEntry(db::Transaction& tx, const AuditEntry& entry) {
  return tx
      .Execute(absl::StrCat("INSERT INTO audit_entries (", kColumns,
                            ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"),
               {entry.fact.log, entry.seq, absl::ToUnixMicros(entry.fact.at), entry.fact.source,
                entry.fact.actor, entry.fact.action, entry.fact.target, entry.fact.target_name,
                entry.fact.details, entry.prev_hash, entry.hash, entry.seal})
      .status();
}

absl::StatusOr<std::optional<LogState>> ReadState(db::Session& session, const std::string& log,
                                                  bool lock) {
  const bool for_update = lock && session.dialect() == db::Dialect::kPostgres;
  TRAVIO_ASSIGN_OR_RETURN(
      db::Result result,
      session.Execute(absl::StrCat("SELECT ", kStateColumns, " FROM audit_logs WHERE log = $1",
                                   for_update ? " FOR UPDATE" : ""),
                      {log}));
  if (result.rows.empty()) return std::nullopt;
  return StateOf(result.rows[0]);
}

// The log as the transaction holding it sees it.
class TransactionLogReader final : public LogReader {
 public:
  TransactionLogReader(db::Transaction& tx, std::string log) : tx_(tx), log_(std::move(log)) {}
  absl::StatusOr<std::vector<AuditEntry>> Scan(int64_t from_seq, int limit) override {
    return ScanFrom(tx_, log_, from_seq, limit);
  }
  absl::StatusOr<std::vector<Checkpoint>> RecentCheckpoints(int limit) override {
    return ReadCheckpoints(tx_, log_, limit);
  }

 private:
  db::Transaction& tx_;
  std::string log_;
};

class SqlAuditStore final : public AuditStore {
 public:
  explicit SqlAuditStore(db::Database& database) : database_(database) {}

  absl::StatusOr<std::optional<AuditEntry>> Append(const AuditFact& fact,
                                                   const Sealer& seal) override {
    std::optional<AuditEntry> appended;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      appended.reset();
      // Writing first takes SQLite's write lock at once; on PostgreSQL the row lock below
      // makes appends to one log take turns.
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(absl::StrCat(
                         "INSERT INTO audit_logs (", kStateColumns,
                         ") VALUES ($1, 1, $2, 0, $2, 0, 0, 0, '') ON CONFLICT (log) DO NOTHING"),
                     {fact.log, std::string(kGenesisHash)})
              .status());
      TRAVIO_ASSIGN_OR_RETURN(std::optional<LogState> state, ReadState(tx, fact.log, true));
      if (!state) return absl::InternalError("the audit log vanished while appending");
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result seen, tx.Execute("SELECT 1 FROM audit_entries WHERE log = $1 AND source = $2",
                                      {fact.log, fact.source}));
      if (!seen.rows.empty()) return absl::OkStatus();
      TransactionLogReader reader(tx, fact.log);
      TRAVIO_ASSIGN_OR_RETURN(Sealed sealed, seal(*state, reader));
      const AuditEntry& entry = sealed.entry;
      if (sealed.notice) TRAVIO_RETURN_IF_ERROR(InsertEntry(tx, *sealed.notice));
      TRAVIO_RETURN_IF_ERROR(InsertEntry(tx, entry));
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute("UPDATE audit_logs SET head_seq = $2, head_hash = $3 WHERE log = $1",
                     {entry.fact.log, entry.seq, entry.hash})
              .status());
      for (const Checkpoint& checkpoint : sealed.checkpoints) {
        TRAVIO_RETURN_IF_ERROR(InsertCheckpoint(tx, checkpoint));
      }
      appended = entry;
      return absl::OkStatus();
    }));
    return appended;
  }

  absl::StatusOr<std::vector<AuditEntry>> Query(const AuditQuery& query) override {
    // Between where the chain starts and its head: rows before it (left by a retention cut
    // short, or put back) or past it (put there) are not part of the log.
    std::string sql = absl::StrCat(
        "SELECT ", kColumns,
        " FROM audit_entries WHERE log = $1 AND seq BETWEEN (SELECT first_seq FROM audit_logs "
        "WHERE log = $1) AND (SELECT head_seq FROM audit_logs WHERE log = $1)");
    std::vector<db::Value> params = {query.log};
    auto bind = [&](db::Value value) {
      params.push_back(std::move(value));
      return absl::StrCat("$", params.size());
    };
    if (!query.actor.empty()) absl::StrAppend(&sql, " AND actor = ", bind(query.actor));
    if (!query.action.empty()) {
      if (query.action.back() == '.') {
        const std::string prefix = bind(query.action);
        absl::StrAppend(&sql, " AND substr(action, 1, length(", prefix, ")) = ", prefix);
      } else {
        absl::StrAppend(&sql, " AND action = ", bind(query.action));
      }
    }
    if (query.from) absl::StrAppend(&sql, " AND at >= ", bind(absl::ToUnixMicros(*query.from)));
    if (query.to) absl::StrAppend(&sql, " AND at < ", bind(absl::ToUnixMicros(*query.to)));
    if (query.before_seq) absl::StrAppend(&sql, " AND seq < ", bind(*query.before_seq));
    absl::StrAppend(&sql, " ORDER BY seq DESC LIMIT ", bind(int64_t{query.limit}));
    TRAVIO_ASSIGN_OR_RETURN(db::Result result, database_.Execute(sql, params));
    std::vector<AuditEntry> entries;
    entries.reserve(result.rows.size());
    for (const db::Row& row : result.rows) entries.push_back(EntryOf(row));
    return entries;
  }

  absl::StatusOr<std::vector<AuditEntry>> Scan(const std::string& log, int64_t from_seq,
                                               int limit) override {
    return ScanFrom(database_, log, from_seq, limit);
  }

  absl::StatusOr<std::optional<LogState>> State(const std::string& log) override {
    return ReadState(database_, log, false);
  }

  absl::StatusOr<std::vector<Checkpoint>> Checkpoints(const std::string& log) override {
    return ReadCheckpoints(database_, log);
  }

  absl::StatusOr<std::optional<LogSnapshot>> Snapshot(const std::string& log) override {
    std::optional<LogSnapshot> snapshot;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      snapshot.reset();
      // PostgreSQL's READ COMMITTED would let each statement see its own instant; SQLite's
      // transaction is one snapshot already.
      if (tx.dialect() == db::Dialect::kPostgres) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY").status());
      }
      TRAVIO_ASSIGN_OR_RETURN(std::optional<LogState> state, ReadState(tx, log, false));
      if (!state) return absl::OkStatus();
      TRAVIO_ASSIGN_OR_RETURN(std::vector<Checkpoint> checkpoints, ReadCheckpoints(tx, log));
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result highest,
          tx.Execute("SELECT COALESCE(MAX(seq), 0) FROM audit_entries WHERE log = $1", {log}));
      snapshot = LogSnapshot{.state = *std::move(state),
                             .checkpoints = std::move(checkpoints),
                             .highest_seq = highest.rows.empty() ? 0 : highest.rows[0].Int(0)};
      return absl::OkStatus();
    }));
    return snapshot;
  }

  absl::StatusOr<std::vector<LogState>> DueForCheckpoint(absl::Time before,
                                                         const std::string& after_log,
                                                         int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute(absl::StrCat("SELECT ", kStateColumns,
                                       " FROM audit_logs WHERE head_seq > checkpoint_seq AND "
                                       "checkpoint_at < $1 AND log > $2 ORDER BY log LIMIT $3"),
                          {absl::ToUnixMicros(before), after_log, int64_t{limit}}));
    std::vector<LogState> due;
    for (const db::Row& row : result.rows) due.push_back(StateOf(row));
    return due;
  }

  absl::StatusOr<std::optional<Checkpoint>> CheckpointHead(const std::string& log,
                                                           const CheckpointSealer& seal) override {
    std::optional<Checkpoint> added;
    TRAVIO_RETURN_IF_ERROR(database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      added.reset();
      if (tx.dialect() == db::Dialect::kSqlite) {
        // SQLite's write lock, taken first: no append moves the head between reading and
        // signing it (on PostgreSQL, the row lock below).
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("UPDATE audit_logs SET log = log WHERE log = $1", {log}).status());
      }
      TRAVIO_ASSIGN_OR_RETURN(std::optional<LogState> state, ReadState(tx, log, true));
      if (!state || state->head_seq <= state->checkpoint_seq) return absl::OkStatus();
      TransactionLogReader reader(tx, log);
      TRAVIO_ASSIGN_OR_RETURN(std::optional<Checkpoint> checkpoint, seal(*state, reader));
      if (!checkpoint) return absl::OkStatus();
      TRAVIO_RETURN_IF_ERROR(InsertCheckpoint(tx, *checkpoint));
      added = std::move(checkpoint);
      return absl::OkStatus();
    }));
    return added;
  }

 private:
  db::Database& database_;
};

// Lifts (or restores) the append-only guards inside `tx`.
absl::Status SetGuards(db::Transaction& tx, bool on) {
  if (tx.dialect() == db::Dialect::kPostgres) {
    for (const char* statement : {
             "ALTER TABLE audit_entries %s TRIGGER audit_entries_append_only",
             "ALTER TABLE audit_checkpoints %s TRIGGER audit_checkpoints_append_only",
         }) {
      const std::string sql = absl::StrReplaceAll(statement, {{"%s", on ? "ENABLE" : "DISABLE"}});
      TRAVIO_RETURN_IF_ERROR(tx.Execute(sql).status());
    }
    return absl::OkStatus();
  }
  if (on) {
    for (absl::string_view line : absl::StrSplit(kSqliteGuards, '\n', absl::SkipEmpty())) {
      TRAVIO_RETURN_IF_ERROR(tx.Execute(std::string(line.substr(0, line.size() - 1))).status());
    }
    return absl::OkStatus();
  }
  for (const char* trigger : {"audit_entries_no_update", "audit_entries_no_delete",
                              "audit_checkpoints_no_update", "audit_checkpoints_no_delete"}) {
    TRAVIO_RETURN_IF_ERROR(tx.Execute(absl::StrCat("DROP TRIGGER ", trigger)).status());
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<db::Migration> AuditMigrations() {
  return {{1, "audit logs, entries and checkpoints", kTables},
          {2, "audit entries and checkpoints append-only", kSqliteGuards, kPostgresGuards},
          {3, "audit entries by time", kByTime},
          {4, "the spacing the last checkpoint of each log promised", kPromise},
          {5, "the signed record of each log's last retention", kRetention},
          {6, "each entry's seal, the audit service's keyed tag of its hash", kSeal}};
}

std::unique_ptr<AuditStore> MakeSqlAuditStore(db::Database& database) {
  return std::make_unique<SqlAuditStore>(database);
}

absl::Status ExportLog(db::Database& database, const std::string& log, std::ostream& out) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<LogState> state, ReadState(database, log, false));
  if (!state) return absl::NotFoundError(absl::StrCat("no audit log \"", log, "\""));
  constexpr int kBatch = 1000;
  // Up to the head read above: entries appended since are the next export's, and rows past
  // the head are not the log's.
  for (int64_t from = state->first_seq; from <= state->head_seq;) {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<AuditEntry> batch, ScanFrom(database, log, from, kBatch));
    for (const AuditEntry& entry : batch) {
      if (entry.seq > state->head_seq) break;
      out << ExportLine(entry) << "\n";
    }
    if (static_cast<int>(batch.size()) < kBatch) break;
    from = batch.back().seq + 1;
  }
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Checkpoint> checkpoints, ReadCheckpoints(database, log));
  for (const Checkpoint& checkpoint : checkpoints) {
    if (checkpoint.seq <= state->head_seq) out << ExportCheckpointLine(checkpoint) << "\n";
  }
  out << ExportSummaryLine(*state) << "\n";
  return out.good() ? absl::OkStatus() : absl::DataLossError("the export could not be written");
}

absl::StatusOr<int64_t> RetainLog(db::Database& database, const std::string& log,
                                  int64_t before_seq, const RetentionSigner& sign) {
  int64_t removed = 0;
  TRAVIO_RETURN_IF_ERROR(database.InTransaction([&](db::Transaction& tx) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(std::optional<LogState> state, ReadState(tx, log, true));
    if (!state) return absl::NotFoundError(absl::StrCat("no audit log \"", log, "\""));
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result kept,
        tx.Execute("SELECT prev_hash FROM audit_entries WHERE log = $1 AND seq = $2",
                   {log, before_seq}));
    if (kept.rows.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("entry ", before_seq, " is not in the log ",
                                                     log, " (it keeps entries ", state->first_seq,
                                                     " to ", state->head_seq, ")"));
    }
    // The kept chain must start where a signed checkpoint vouches for it, and that checkpoint
    // stays: without it, verification could not tell a retention from a rewrite.
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result anchor, tx.Execute("SELECT 1 FROM audit_checkpoints WHERE log = $1 AND seq = $2",
                                      {log, before_seq - 1}));
    if (anchor.rows.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "entry ", before_seq - 1, " of ", log,
          " has no checkpoint; keep entries from just after one (travio audit export lists them)"));
    }
    TRAVIO_RETURN_IF_ERROR(SetGuards(tx, false));
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result deleted,
        tx.Execute("DELETE FROM audit_entries WHERE log = $1 AND seq < $2", {log, before_seq}));
    removed = deleted.affected_rows;
    TRAVIO_RETURN_IF_ERROR(tx.Execute("DELETE FROM audit_checkpoints WHERE log = $1 AND seq < $2",
                                      {log, before_seq - 1})
                               .status());
    TRAVIO_RETURN_IF_ERROR(SetGuards(tx, true));
    TRAVIO_ASSIGN_OR_RETURN(
        std::string token,
        sign(Retention{
            .log = log, .first_seq = before_seq, .first_prev_hash = kept.rows[0].Text(0)}));
    return tx
        .Execute(
            "UPDATE audit_logs SET first_seq = $2, first_prev_hash = $3, retention_token = $4 "
            "WHERE log = $1",
            {log, before_seq, kept.rows[0].Text(0), token})
        .status();
  }));
  return removed;
}

}  // namespace travio::audit
