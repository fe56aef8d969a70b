#include "services/audit/app/audit_service.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"
#include "services/audit/api/entry_codec.h"

namespace travio::audit {
namespace {

constexpr int kVerifyBatch = 1000;

// The hash an entry's content gives; nullopt when the stored content cannot be read.
std::optional<std::string> RecomputedHash(const AuditEntry& entry) {
  absl::StatusOr<std::string> hash = EntryHash(entry);
  if (!hash.ok()) return std::nullopt;
  return *std::move(hash);
}

// "trip.cancelled.v1" -> "trip.cancelled"
std::string ActionOf(std::string_view type) {
  const size_t dot = type.rfind('.');
  if (dot != std::string_view::npos && dot + 2 <= type.size() && type[dot + 1] == 'v') {
    return std::string(type.substr(0, dot));
  }
  return std::string(type);
}

// A payload kept as its digest: the entry still proves which document the event carried.
std::string DigestOf(const std::string& payload, bool unreadable) {
  return absl::StrCat(unreadable ? R"({"unreadable":true,)" : "{", R"("payload_bytes":)",
                      payload.size(), R"(,"payload_sha256":")",
                      crypto::HexEncode(crypto::Sha256(payload)), "\"}");
}

// A payload too large for an entry (a trip with its seat layout) is kept as its digest.
std::string DetailsOf(const std::string& payload) {
  if (payload.size() <= kMaxDetailsBytes) return payload;
  return DigestOf(payload, /*unreadable=*/false);
}

// What the gateway may record: sign-ins in the platform's log, and the changes staff made
// through its routes in their organization's. Anything else (a "payment.refunded" by someone)
// is for the services' events to say.
absl::Status CheckGatewayAction(const AuditFact& fact) {
  if (fact.log == kPlatformLog) {
    if (fact.action == "session.signed_in" || fact.action == "session.sign_in_failed") {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError("the gateway records only sign-ins in the platform's log");
  }
  for (const std::string_view method : {"POST /v1/", "PUT /v1/", "PATCH /v1/", "DELETE /v1/"}) {
    if (fact.action.starts_with(method)) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "the gateway records changes made through its routes (METHOD /v1/...) only");
}

}  // namespace

AuditService::AuditService(Ports ports, CheckpointPolicy policy)
    : ports_(std::move(ports)), policy_(policy) {
  if (ports_.metrics != nullptr) {
    appended_ = &ports_.metrics->AddCounter(
        "travio_audit_entries_total", "Entries appended to audit logs, by origin", {"origin"});
    checkpoints_ = &ports_.metrics->AddCounter("travio_audit_checkpoints_total",
                                               "Checkpoints signed, by cause", {"cause"});
    refusals_ = &ports_.metrics->AddCounter(
        "travio_audit_checkpoint_refusals_total",
        "Checkpoints not signed because entries since the last were not the service's", {});
    rollbacks_ = &ports_.metrics->AddCounter(
        "travio_audit_rollbacks_total",
        "Logs found with their head below an entry this process had appended", {});
  }
}

absl::Status AuditService::Record(const AuditFact& fact) {
  // The gateway's record ids: letters, digits, '.', '_' and '-' (a UUID).
  if (fact.source.empty() || fact.source.size() > 100 ||
      !std::all_of(fact.source.begin(), fact.source.end(), [](char c) {
        return absl::ascii_isalnum(c) || c == '.' || c == '_' || c == '-';
      })) {
    return absl::InvalidArgumentError("source must be a record id (letters, digits, . _ -)");
  }
  TRAVIO_RETURN_IF_ERROR(CheckGatewayAction(fact));
  AuditFact recorded = fact;
  // The gateway fits what clients chose; a caller that did not is fitted here (no text that
  // reads other than it is stored).
  for (auto [text, max] :
       {std::pair{&recorded.actor, 128}, std::pair{&recorded.action, 128},
        std::pair{&recorded.target, 128}, std::pair{&recorded.target_name, 256}}) {
    *text = FitPrintableUtf8(*text, max);
  }
  // The gateway's ids live apart from event ids: no record can take an event's place.
  recorded.source = absl::StrCat("gateway:", fact.source);
  // Dated by this service's clock: a caller cannot place a record among entries of the past
  // (or the future) it did not take part in.
  recorded.at = ports_.clock.Now();
  return Append(std::move(recorded), "gateway");
}

absl::Status AuditService::RecordEvent(const events::Event& event, std::string_view producer,
                                       const EventParties& parties) {
  AuditFact fact;
  fact.log = event.org_id.empty() ? std::string(kPlatformLog) : event.org_id;
  fact.source = absl::StrCat("event:", event.id);
  fact.at = event.occurred_at;
  fact.actor = parties.actor.empty() ? absl::StrCat("service:", ToAbsl(producer)) : parties.actor;
  fact.action = ActionOf(event.type);
  // Text from another service is made fit (and always valid): who did what to what is kept
  // even when a name is too long or carries bytes the log refuses.
  fact.actor = FitPrintableUtf8(fact.actor, 128);
  fact.action = FitPrintableUtf8(fact.action, 128);
  fact.target = FitPrintableUtf8(parties.target.empty() ? event.aggregate_id : parties.target, 128);
  fact.target_name = FitPrintableUtf8(parties.target_name, 256);
  fact.details = DetailsOf(event.payload);
  absl::Status status = Append(fact, "event");
  if (!absl::IsInvalidArgument(status)) return status;
  // Delivering it again cannot make the payload fit (it is not a UTF-8 JSON object, say): the
  // log keeps that the event happened, with a digest of what it could not hold, rather than
  // lose it.
  ports_.logger.Error(
      "an event entered the audit log with its payload as a digest",
      {{"event_id", event.id}, {"type", event.type}, {"error", std::string(status.message())}});
  fact.details = DigestOf(event.payload, /*unreadable=*/true);
  if (!IsPrintableUtf8(event.id) || fact.source.size() > 128) {
    fact.source = absl::StrCat("event:sha256:", crypto::HexEncode(crypto::Sha256(event.id)));
  }
  status = Append(std::move(fact), "event");
  if (absl::IsInvalidArgument(status)) {
    ports_.logger.Error("an event cannot enter the audit log",
                        {{"event_id", event.id}, {"error", std::string(status.message())}});
    return absl::OkStatus();
  }
  return status;
}

namespace {

bool IsHexHash(std::string_view text) {
  return text.size() == 64 &&
         std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isxdigit(c); });
}

}  // namespace

LogTurns::Turn::Turn(LogTurns& turns, std::string log, std::shared_ptr<absl::Mutex> mutex)
    : turns_(turns), log_(std::move(log)), mutex_(std::move(mutex)) {
  mutex_->Lock();
}

LogTurns::Turn::~Turn() {
  mutex_->Unlock();
  absl::MutexLock lock(&turns_.mutex_);
  if (auto it = turns_.entries_.find(log_);
      it != turns_.entries_.end() && --it->second.users == 0) {
    turns_.entries_.erase(it);
  }
}

LogTurns::Turn LogTurns::Take(const std::string& log) {
  std::shared_ptr<absl::Mutex> mutex;
  {
    absl::MutexLock lock(&mutex_);
    Entry& entry = entries_[log];
    if (!entry.mutex) entry.mutex = std::make_shared<absl::Mutex>();
    ++entry.users;
    mutex = entry.mutex;
  }
  return Turn(*this, log, std::move(mutex));
}

AuditEntry AuditService::SealAfter(const AuditFact& fact, int64_t seq,
                                   const std::string& prev_hash) const {
  AuditEntry entry;
  entry.fact = fact;
  entry.seq = seq;
  entry.prev_hash = prev_hash;
  // The fact was validated and its details made canonical: hashing cannot fail.
  entry.hash = EntryHash(entry).value_or("");
  entry.seal = EntrySeal(entry.hash, ports_.keys.seal_key());
  return entry;
}

AuditEntry AuditService::RolledBackNotice(const LogState& found, int64_t written) const {
  // The head comes from the database: only a hash of the right form is written as it is.
  const std::string head_hash =
      IsHexHash(found.head_hash) ? found.head_hash
                                 : "sha256:" + crypto::HexEncode(crypto::Sha256(found.head_hash));
  AuditFact notice{.log = found.log,
                   .source = absl::StrCat("audit:rolled-back:", written, ":", found.head_seq, ":",
                                          head_hash.substr(0, 16)),
                   .at = ports_.clock.Now(),
                   .actor = "service:audit",
                   .action = std::string(kRolledBackAction),
                   .details = absl::StrCat(R"({"head_hash":")", head_hash, R"(","head_seq":)",
                                           found.head_seq, R"(,"written_seq":)", written, "}")};
  return SealAfter(notice, found.head_seq + 1, found.head_hash);
}

absl::Status AuditService::Append(AuditFact fact, std::string_view origin) {
  TRAVIO_ASSIGN_OR_RETURN(fact.details, CanonicalDetails(fact.details));
  TRAVIO_RETURN_IF_ERROR(ValidateFact(fact));
  // Appends to one log from this process take turns: what it remembers of the log is up to
  // date before the next append looks at it.
  const LogTurns::Turn turn = append_turns_.Take(fact.log);
  int64_t written = 0;
  {
    absl::MutexLock lock(&written_mutex_);
    if (auto it = highest_written_.find(fact.log); it != highest_written_.end()) {
      written = it->second;
    }
  }
  bool checkpointed = false;
  std::optional<AuditEntry> notice;
  absl::StatusOr<std::optional<AuditEntry>> appended = ports_.store.Append(
      fact, [&](const LogState& state, LogReader& log) -> absl::StatusOr<Sealed> {
        Sealed sealed;
        int64_t seq = state.head_seq + 1;
        std::string prev_hash = state.head_hash;
        // Entries this process wrote are gone (rolled back under it): the log says so, sealed,
        // in the same transaction as the fact, and verification names that entry from then on.
        if (state.head_seq < written) {
          sealed.notice = RolledBackNotice(state, written);
          seq = sealed.notice->seq + 1;
          prev_hash = sealed.notice->hash;
        }
        sealed.entry = SealAfter(fact, seq, prev_hash);
        // Due at this process's spacing, or sooner if the last checkpoint (another replica's,
        // or one signed before the setting changed) promised less: every promise is kept.
        const int64_t every = state.checkpoint_every > 0
                                  ? std::min(policy_.every, state.checkpoint_every)
                                  : policy_.every;
        // Each new entry (a notice may come first) that reaches the spacing gets one.
        int64_t checkpoint_seq = state.checkpoint_seq;
        for (const AuditEntry* entry : {sealed.notice ? &*sealed.notice : nullptr, &sealed.entry}) {
          if (entry == nullptr || entry->seq - checkpoint_seq < every) continue;
          TRAVIO_ASSIGN_OR_RETURN(std::optional<Checkpoint> checkpoint,
                                  SignIfSound(state, log, entry->seq, entry->hash));
          if (!checkpoint) break;  // refused: the next is looked at a spacing later
          checkpoint_seq = entry->seq;
          sealed.checkpoints.push_back(*std::move(checkpoint));
        }
        checkpointed = !sealed.checkpoints.empty();
        notice = sealed.notice;
        return sealed;
      });
  TRAVIO_RETURN_IF_ERROR(appended.status());
  if (!*appended) return absl::OkStatus();
  {
    absl::MutexLock lock(&written_mutex_);
    int64_t& highest = highest_written_[fact.log];
    highest = notice ? (*appended)->seq : std::max(highest, (*appended)->seq);
  }
  if (notice) {
    ports_.logger.Error("an audit log was rolled back under the audit service",
                        {{"log", fact.log},
                         {"written_seq", std::to_string(written)},
                         {"notice_seq", std::to_string(notice->seq)}});
    if (rollbacks_ != nullptr) rollbacks_->WithLabels({}).Increment();
  }
  if (appended_ != nullptr) {
    appended_->WithLabels({std::string(origin)}).Increment();
    if (checkpointed && checkpoints_ != nullptr) checkpoints_->WithLabels({"entries"}).Increment();
  }
  return absl::OkStatus();
}

ChainCheck::SealCheck AuditService::SealCheck() const {
  return [&key = ports_.keys.seal_key()](const AuditEntry& entry) { return SealHolds(entry, key); };
}

absl::Status AuditService::CheckSinceLastCheckpoint(const LogState& state, LogReader& log) {
  std::vector<AuditKey> keys = ports_.keys.public_keys();
  int64_t from = state.first_seq;
  std::string prev_hash = state.first_seq == 1 ? std::string(kGenesisHash) : state.first_prev_hash;
  // The newest checkpoint with a valid signature at or below the head: what it vouches for
  // was checked when it was signed.
  TRAVIO_ASSIGN_OR_RETURN(std::vector<Checkpoint> recent, log.RecentCheckpoints(16));
  std::optional<Checkpoint> anchor;
  const auto find_anchor = [&] {
    for (const Checkpoint& checkpoint : recent) {
      if (checkpoint.seq > state.head_seq || checkpoint.seq < state.first_seq - 1) continue;
      if (std::optional<Checkpoint> verified = VerifyCheckpoint(checkpoint, keys)) {
        anchor = std::move(verified);
        return;
      }
    }
  };
  find_anchor();
  if (!anchor && !recent.empty()) {
    // Signed, perhaps, with a key another replica took up after a rotation.
    if (ports_.keys.Refresh().ok()) {
      keys = ports_.keys.public_keys();
      find_anchor();
    }
  }
  const bool anchored = anchor.has_value();
  if (anchored) {
    from = anchor->seq + 1;
    prev_hash = anchor->hash;
  }
  // A checkpoint follows the last within the spacing it promised: a longer stretch is not
  // scanned (under the append's lock) but refused as it is.
  const int64_t promised = std::max(policy_.every, anchored ? anchor->every : int64_t{0});
  if (state.head_seq - from + 1 > 2 * promised) {
    return absl::DataLossError(absl::StrCat("no checkpoint the service can vouch for within the ",
                                            state.head_seq - from + 1, " entries before the head"));
  }
  if (!anchored && state.first_seq > 1) {
    const std::optional<Retention> retention =
        VerifyRetention(state.retention_token, state.log, keys);
    if (!retention || retention->first_seq != state.first_seq ||
        retention->first_prev_hash != state.first_prev_hash) {
      return absl::DataLossError("the log's start is not where a signed retention put it");
    }
  }
  ChainCheck check =
      ChainCheck::Stretch(state, from, std::move(prev_hash), RecomputedHash, SealCheck());
  for (int64_t next = from; next <= state.head_seq;) {
    const int limit = static_cast<int>(std::min<int64_t>(kVerifyBatch, state.head_seq - next + 1));
    TRAVIO_ASSIGN_OR_RETURN(std::vector<AuditEntry> batch, log.Scan(next, limit));
    bool going = !batch.empty();
    for (const AuditEntry& entry : batch) {
      if (entry.seq > state.head_seq || !(going = check.Feed(entry))) break;
    }
    if (!going || static_cast<int>(batch.size()) < limit) break;
    next = batch.back().seq + 1;
  }
  const Verification verification = check.Finish();
  if (verification.ok) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat("entry ", verification.first_bad_seq, ": ", verification.reason));
}

bool AuditService::RefusedRecently(const std::string& log, int64_t seq) {
  // The setting's spacing, not the database's: a refused log is looked at again that many
  // entries later, whatever its bookkeeping row says.
  absl::MutexLock lock(&refused_mutex_);
  auto it = refused_at_.find(log);
  return it != refused_at_.end() && seq >= it->second && seq - it->second < policy_.every;
}

absl::StatusOr<std::optional<Checkpoint>> AuditService::SignIfSound(const LogState& state,
                                                                    LogReader& log, int64_t seq,
                                                                    const std::string& hash) {
  if (RefusedRecently(state.log, seq)) return std::nullopt;
  // The database may have been written around this service: signing whatever head it shows
  // would vouch for entries someone else made.
  if (absl::Status sound = CheckSinceLastCheckpoint(state, log); !sound.ok()) {
    if (!absl::IsDataLoss(sound)) return sound;
    ports_.logger.Error(
        "refusing to sign a checkpoint over entries the audit service did not write",
        {{"log", state.log},
         {"seq", std::to_string(seq)},
         {"error", std::string(sound.message())}});
    if (refusals_ != nullptr) refusals_->WithLabels({}).Increment();
    absl::MutexLock lock(&refused_mutex_);
    refused_at_[state.log] = seq;
    return std::nullopt;
  }
  {
    absl::MutexLock lock(&refused_mutex_);
    refused_at_.erase(state.log);
  }
  TRAVIO_ASSIGN_OR_RETURN(Checkpoint checkpoint, Sign(state.log, seq, hash));
  return checkpoint;
}

absl::StatusOr<Checkpoint> AuditService::Sign(const std::string& log, int64_t seq,
                                              const std::string& hash) {
  Checkpoint checkpoint;
  checkpoint.log = log;
  checkpoint.seq = seq;
  checkpoint.hash = hash;
  checkpoint.at = ports_.clock.Now();
  checkpoint.every = policy_.every;
  TRAVIO_ASSIGN_OR_RETURN(checkpoint.token,
                          SignCheckpoint(checkpoint, ports_.keys.kid(), ports_.keys.secret_key()));
  return checkpoint;
}

void AuditService::CheckpointIdleLogs() {
  const absl::Time before = ports_.clock.Now() - policy_.interval;
  // Due logs page by page in name order, going on where the last run stopped and wrapping
  // round at the end: logs that keep being refused, or more than a run takes, never hold the
  // others back.
  absl::MutexLock idle(&idle_mutex_);
  std::string& after = idle_cursor_;
  for (int page = 0; page < policy_.idle_pages; ++page) {
    auto due = ports_.store.DueForCheckpoint(before, after, policy_.idle_page);
    if (!due.ok()) {
      ports_.logger.Warn("audit checkpoints are not being signed",
                         {{"error", due.status().ToString()}});
      return;
    }
    for (const LogState& due_state : *due) {
      after = due_state.log;
      if (RefusedRecently(due_state.log, due_state.head_seq)) continue;
      absl::StatusOr<std::optional<Checkpoint>> added =
          ports_.store.CheckpointHead(due_state.log, [&](const LogState& state, LogReader& log) {
            return SignIfSound(state, log, state.head_seq, state.head_hash);
          });
      if (!added.ok()) {
        ports_.logger.Warn("an audit checkpoint was not signed",
                           {{"log", due_state.log}, {"error", added.status().ToString()}});
      } else if (added->has_value() && checkpoints_ != nullptr) {
        checkpoints_->WithLabels({"interval"}).Increment();
      }
    }
    if (static_cast<int>(due->size()) < policy_.idle_page) {
      after.clear();  // the end of the names: the next run starts over
      return;
    }
  }
}

absl::StatusOr<AuditPage> AuditService::List(const AuditQuery& query) {
  TRAVIO_RETURN_IF_ERROR(ValidateQuery(query));
  AuditQuery one_more = query;
  ++one_more.limit;
  TRAVIO_ASSIGN_OR_RETURN(std::vector<AuditEntry> entries, ports_.store.Query(one_more));
  AuditPage page;
  if (static_cast<int>(entries.size()) > query.limit) {
    entries.resize(query.limit);
    page.next_before_seq = entries.back().seq;
  }
  // Rows without the service's seal were written around it: never shown as what happened
  // (verification names them).
  const auto unsealed = std::remove_if(
      entries.begin(), entries.end(),
      [&](const AuditEntry& entry) { return !SealHolds(entry, ports_.keys.seal_key()); });
  if (unsealed != entries.end()) {
    ports_.logger.Error("audit entries without the service's seal were not listed",
                        {{"log", query.log}, {"seq", std::to_string(unsealed->seq)}});
    entries.erase(unsealed, entries.end());
  }
  page.items = std::move(entries);
  return page;
}

absl::StatusOr<Verification> AuditService::Verify(const std::string& log) {
  if (log.empty() || log.size() > 64) return absl::InvalidArgumentError("log is required");
  // The head and the checkpoints as of one instant; entries appended since are the next
  // verification's.
  TRAVIO_ASSIGN_OR_RETURN(std::optional<LogSnapshot> snapshot, ports_.store.Snapshot(log));
  if (!snapshot) return Verification{};
  const LogState* state = &snapshot->state;
  const std::vector<Checkpoint>& checkpoints = snapshot->checkpoints;
  std::vector<AuditKey> keys = ports_.keys.public_keys();
  std::vector<CheckedCheckpoint> checked;
  const auto check_signatures = [&] {
    checked.clear();
    for (const Checkpoint& checkpoint : checkpoints) {
      const std::optional<Checkpoint> verified = VerifyCheckpoint(checkpoint, keys);
      checked.push_back({.seq = checkpoint.seq,
                         .hash = checkpoint.hash,
                         .every = verified ? verified->every : 0,
                         .signature_ok = verified.has_value()});
    }
    return std::all_of(checked.begin(), checked.end(),
                       [](const CheckedCheckpoint& checkpoint) { return checkpoint.signature_ok; });
  };
  std::optional<Retention> retention = VerifyRetention(state->retention_token, log, keys);
  const bool retention_signed = state->retention_token.empty() || retention.has_value();
  if (!check_signatures() || !retention_signed) {
    // Signed, perhaps, with a key another replica took up after a rotation.
    if (absl::Status refreshed = ports_.keys.Refresh(); !refreshed.ok()) {
      ports_.logger.Error("the checkpoint keys cannot be read again",
                          {{"error", std::string(refreshed.message())}});
    }
    keys = ports_.keys.public_keys();
    check_signatures();
    retention = VerifyRetention(state->retention_token, log, keys);
  }
  ChainCheck check(*state, checked, std::move(retention), policy_.every, RecomputedHash,
                   SealCheck());
  check.RowsEndAt(snapshot->highest_seq);
  for (int64_t from = state->first_seq; from <= state->head_seq;) {
    const int limit = static_cast<int>(std::min<int64_t>(kVerifyBatch, state->head_seq - from + 1));
    TRAVIO_ASSIGN_OR_RETURN(std::vector<AuditEntry> batch, ports_.store.Scan(log, from, limit));
    bool going = true;
    for (const AuditEntry& entry : batch) {
      // Appended after the head was read.
      if (entry.seq > state->head_seq) break;
      if (!(going = check.Feed(entry))) break;
    }
    if (!going || static_cast<int>(batch.size()) < limit) break;
    from = batch.back().seq + 1;
  }
  return check.Finish();
}

absl::StatusOr<std::vector<AuditKey>> AuditService::VerificationKeys() {
  return ports_.keys.public_keys();
}

}  // namespace travio::audit
