#include "services/notification/storage/sql_delivery_store.h"

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"

namespace travio::notification {
namespace {

constexpr char kColumns[] =
    "id, notice_key, kind, locale, channel, recipient, data, org_id, status, attempts, "
    "next_attempt_at, last_error, created_at, sent_at, inbox, trace_id";
// Its position in a SELECT of kColumns, claimed_until.
constexpr size_t kClaimedUntilColumn = 16;

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

Delivery DeliveryOf(const db::Row& row) {
  Delivery delivery;
  delivery.id = row.Text(0);
  delivery.notice_key = row.Text(1);
  delivery.kind = row.Text(2);
  delivery.locale = row.Text(3);
  delivery.channel = row.Text(4) == "sms" ? Channel::kSms : Channel::kEmail;
  delivery.recipient = row.Text(5);
  delivery.data = row.Text(6);
  delivery.org_id = row.Text(7);
  const std::string status = row.Text(8);
  delivery.status = status == "sent"     ? DeliveryStatus::kSent
                    : status == "failed" ? DeliveryStatus::kFailed
                                         : DeliveryStatus::kPending;
  delivery.attempts = static_cast<int>(row.Int(9));
  delivery.next_attempt_at = absl::FromUnixMicros(row.Int(10));
  delivery.last_error = row.Text(11);
  delivery.created_at = absl::FromUnixMicros(row.Int(12));
  if (!row.IsNull(13)) delivery.sent_at = absl::FromUnixMicros(row.Int(13));
  delivery.inbox = row.Text(14);
  delivery.trace_id = row.Text(15);
  return delivery;
}

class SqlDeliveryStore final : public DeliveryStore {
 public:
  explicit SqlDeliveryStore(db::Database& database) : database_(database) {}

  absl::StatusOr<std::pair<std::vector<std::string>, bool>> Add(
      const std::string& key, const std::vector<Delivery>& deliveries,
      const std::vector<Attachment>& attachments) override {
    std::vector<std::string> ids;
    bool added = false;
    absl::Status stored = database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      ids.clear();
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result existing,
          tx.Execute(
              "SELECT id FROM notification_deliveries WHERE notice_key = $1 ORDER BY channel",
              {key}));
      if (!existing.rows.empty()) {
        for (const db::Row& row : existing.rows) ids.push_back(row.Text(0));
        return absl::OkStatus();
      }
      for (const Delivery& d : deliveries) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute(absl::StrCat("INSERT INTO notification_deliveries (", kColumns,
                                    ", claimed_until) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
                                    "$10, $11, $12, $13, NULL, $14, $15, 0)"),
                       {d.id, key, d.kind, d.locale, std::string(ChannelName(d.channel)),
                        d.recipient, d.data, d.org_id, std::string(DeliveryStatusName(d.status)),
                        int64_t{d.attempts}, Micros(d.next_attempt_at), d.last_error,
                        Micros(d.created_at), d.inbox, d.trace_id})
                .status());
        ids.push_back(d.id);
      }
      for (size_t i = 0; i < attachments.size(); ++i) {
        const Attachment& a = attachments[i];
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute(
                  "INSERT INTO notification_attachments (notice_key, position, filename, "
                  "content_type, bytes) VALUES ($1, $2, $3, $4, $5)",
                  {key, static_cast<int64_t>(i), a.filename, a.content_type, db::Bytes{a.bytes}})
                .status());
      }
      added = true;
      return absl::OkStatus();
    });
    // Two callers with one key at once: the second's insert meets the first's row.
    if (stored.code() == absl::StatusCode::kAlreadyExists) return Add(key, {}, {});
    TRAVIO_RETURN_IF_ERROR(stored);
    return std::make_pair(std::move(ids), added);
  }

  absl::StatusOr<std::vector<Delivery>> ClaimDue(absl::Time now, absl::Duration lease,
                                                 int limit) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result due,
        database_.Execute(absl::StrCat("SELECT ", kColumns,
                                       ", claimed_until FROM notification_deliveries "
                                       "WHERE status = 'pending' AND next_attempt_at <= $1 "
                                       "AND claimed_until <= $1 ORDER BY next_attempt_at LIMIT $2"),
                          {Micros(now), int64_t{limit}}));
    std::vector<Delivery> claimed;
    for (const db::Row& row : due.rows) {
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result taken,
          database_.Execute("UPDATE notification_deliveries SET claimed_until = $1 "
                            "WHERE id = $2 AND claimed_until = $3 AND status = 'pending'",
                            {Micros(now + lease), row.Text(0), row.Int(kClaimedUntilColumn)}));
      if (taken.affected_rows == 1) claimed.push_back(DeliveryOf(row));
    }
    return claimed;
  }

  absl::Status Release(const std::string& delivery_id, absl::Time claimed_until) override {
    return database_
        .Execute(
            "UPDATE notification_deliveries SET claimed_until = 0 WHERE id = $1 AND "
            "claimed_until = $2 AND status = 'pending'",
            {delivery_id, Micros(claimed_until)})
        .status();
  }

  absl::StatusOr<std::vector<Attachment>> Attachments(const std::string& notice_key) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT filename, content_type, bytes FROM notification_attachments "
                          "WHERE notice_key = $1 ORDER BY position",
                          {notice_key}));
    std::vector<Attachment> attachments;
    for (const db::Row& row : result.rows) {
      attachments.push_back(
          {.filename = row.Text(0), .content_type = row.Text(1), .bytes = row.Blob(2)});
    }
    return attachments;
  }

  absl::Status Record(const Delivery& after, const DeliveryAttempt& attempt) override {
    return database_.InTransaction([&](db::Transaction& tx) -> absl::Status {
      db::Value sent_at;
      if (after.sent_at) sent_at = Micros(*after.sent_at);
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute(
                // A done delivery keeps no personal data (names, the PDF link): its record
                // and attempts are what stay. A done one is never reopened: a worker whose
                // lease ran out records its attempt, not its view of the delivery.
                "UPDATE notification_deliveries SET status = $2, attempts = $3, "
                "next_attempt_at = $4, last_error = $5, sent_at = $6, claimed_until = 0, "
                "data = CASE WHEN $2 = 'pending' THEN data ELSE '' END "
                "WHERE id = $1 AND status = 'pending'",
                {after.id, std::string(DeliveryStatusName(after.status)), int64_t{after.attempts},
                 Micros(after.next_attempt_at), after.last_error, sent_at})
              .status());
      TRAVIO_RETURN_IF_ERROR(
          tx.Execute("INSERT INTO notification_attempts (delivery_id, attempt, at, outcome, error) "
                     "VALUES ($1, $2, $3, $4, $5)",
                     {attempt.delivery_id, int64_t{attempt.attempt}, Micros(attempt.at),
                      attempt.outcome, attempt.error})
              .status());
      // Attachments are kept only while an email may still need them.
      if (after.channel == Channel::kEmail && after.status != DeliveryStatus::kPending) {
        TRAVIO_RETURN_IF_ERROR(
            tx.Execute("DELETE FROM notification_attachments WHERE notice_key = $1",
                       {after.notice_key})
                .status());
      }
      return absl::OkStatus();
    });
  }

  absl::StatusOr<RecentSends> SentSince(Channel channel, const std::string& inbox,
                                        absl::Time since) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result result,
        database_.Execute("SELECT COUNT(*), MIN(sent_at) FROM notification_deliveries "
                          "WHERE inbox = $1 AND channel = $2 AND sent_at >= $3",
                          {inbox, std::string(ChannelName(channel)), Micros(since)}));
    const db::Row& row = result.rows.front();
    RecentSends recent{.count = static_cast<int>(row.Int(0)), .first = {}};
    if (!row.IsNull(1)) recent.first = absl::FromUnixMicros(row.Int(1));
    return recent;
  }

  absl::StatusOr<std::vector<std::pair<Delivery, std::vector<DeliveryAttempt>>>> History(
      const std::string& notice_key) override {
    TRAVIO_ASSIGN_OR_RETURN(
        db::Result deliveries,
        database_.Execute(absl::StrCat("SELECT ", kColumns,
                                       " FROM notification_deliveries WHERE notice_key = $1 "
                                       "ORDER BY channel"),
                          {notice_key}));
    std::vector<std::pair<Delivery, std::vector<DeliveryAttempt>>> history;
    for (const db::Row& row : deliveries.rows) {
      Delivery delivery = DeliveryOf(row);
      TRAVIO_ASSIGN_OR_RETURN(
          db::Result attempts,
          database_.Execute("SELECT attempt, at, outcome, error FROM notification_attempts "
                            "WHERE delivery_id = $1 ORDER BY at, attempt",
                            {delivery.id}));
      std::vector<DeliveryAttempt> tries;
      for (const db::Row& a : attempts.rows) {
        tries.push_back({.delivery_id = delivery.id,
                         .attempt = static_cast<int>(a.Int(0)),
                         .at = absl::FromUnixMicros(a.Int(1)),
                         .outcome = a.Text(2),
                         .error = a.Text(3)});
      }
      history.emplace_back(std::move(delivery), std::move(tries));
    }
    return history;
  }

 private:
  db::Database& database_;
};

constexpr char kSchema[] = R"sql(
CREATE TABLE notification_deliveries (
  id TEXT PRIMARY KEY,
  notice_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  locale TEXT NOT NULL,
  channel TEXT NOT NULL,
  recipient TEXT NOT NULL,
  inbox TEXT NOT NULL,
  data TEXT NOT NULL,
  org_id TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  claimed_until BIGINT NOT NULL,
  last_error TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  sent_at BIGINT,
  UNIQUE (notice_key, channel)
);
CREATE INDEX notification_deliveries_due ON notification_deliveries (status, next_attempt_at);
CREATE INDEX notification_deliveries_sent ON notification_deliveries (inbox, channel, sent_at);
CREATE TABLE notification_attempts (
  delivery_id TEXT NOT NULL,
  attempt BIGINT NOT NULL,
  at BIGINT NOT NULL,
  outcome TEXT NOT NULL,
  error TEXT NOT NULL
);
CREATE INDEX notification_attempts_by_delivery ON notification_attempts (delivery_id);
)sql";

}  // namespace

std::vector<db::Migration> NotificationMigrations() {
  return {{1, "deliveries of notices, their attempts", kSchema},
          {2, "attachments of notices",
           "CREATE TABLE notification_attachments (notice_key TEXT NOT NULL, position BIGINT NOT "
           "NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL, bytes BLOB NOT NULL, "
           "PRIMARY KEY (notice_key, position));",
           "CREATE TABLE notification_attachments (notice_key TEXT NOT NULL, position BIGINT NOT "
           "NULL, filename TEXT NOT NULL, content_type TEXT NOT NULL, bytes BYTEA NOT NULL, "
           "PRIMARY KEY (notice_key, position));"},
          {3, "a delivery goes on in the trace that asked for it",
           "ALTER TABLE notification_deliveries ADD COLUMN trace_id TEXT NOT NULL DEFAULT ''"}};
}

std::unique_ptr<DeliveryStore> MakeSqlDeliveryStore(db::Database& database) {
  return std::make_unique<SqlDeliveryStore>(database);
}

}  // namespace travio::notification
