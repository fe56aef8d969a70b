// The audit tables on SQLite and on PostgreSQL: append-only under any statement the service's
// connection issues, and every way around that (an edit with the guard lifted, a deleted tail)
// found by verification; retention keeps what stays verifiable; concurrent appends never
// break the chain.
#include <gtest/gtest.h>

#include <atomic>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "platform/crypto/key_files.h"
#include "platform/db/migrations.h"
#include "platform/metrics/registry.h"
#include "platform/testing/sql_engines.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/audit/api/entry_codec.h"
#include "services/audit/app/audit_service.h"
#include "services/audit/audit_commands.h"
#include "services/audit/storage/file_checkpoint_keys.h"
#include "services/audit/storage/sql_audit_store.h"

namespace travio::audit {
namespace {

using testing::SqlEngine;

class AuditStoreTest : public ::testing::TestWithParam<SqlEngine> {
 protected:
  void SetUp() override {
    auto database = storage_.Open();
    ASSERT_OK(database);
    database_ = *std::move(database);
    const std::vector<db::Migration> migrations = AuditMigrations();
    ASSERT_OK(db::ApplyMigrations(*database_, "audit", migrations));
    auto keys = LoadOrCreateCheckpointKeys(dir_ / "keys");
    ASSERT_OK(keys);
    keys_ = *std::move(keys);
    store_ = MakeSqlAuditStore(*database_);
    service_ = std::make_unique<AuditService>(
        AuditService::Ports{.store = *store_,
                            .keys = *keys_,
                            .clock = clock_,
                            .logger = log::Logger::ToStderr(log::Level::kError)},
        CheckpointPolicy{.every = 5, .interval = absl::Minutes(5)});
  }

  void Append(int count, const std::string& log = "org-1") {
    for (int i = 0; i < count; ++i) {
      ASSERT_OK(service_->Record({.log = log,
                                  .source = absl::StrCat("r", next_++),
                                  .at = clock_.Now(),
                                  .actor = "user-1",
                                  .action = "PUT /v1/buses/{bus_id}",
                                  .target = "bus-1",
                                  .details = R"({"status":200})"}));
    }
  }

  Verification Verify(const std::string& log = "org-1") {
    auto verification = service_->Verify(log);
    EXPECT_OK(verification);
    return verification.ok() ? *verification : Verification{};
  }

  absl::StatusOr<int64_t> Retain(const std::string& log, int64_t before_seq) {
    return VerifyAndRetain(*database_, *keys_, clock_, log, before_seq, 5);
  }

  // What an intruder with the database's credentials does: lift the guard, change, restore.
  void Tamper(const std::string& statement) {
    const bool postgres = database_->dialect() == db::Dialect::kPostgres;
    const std::string table =
        statement.find("audit_checkpoints") != std::string::npos ? "checkpoints" : "entries";
    if (postgres) {
      ASSERT_OK(database_->Execute(absl::StrCat("ALTER TABLE audit_", table,
                                                " DISABLE TRIGGER audit_", table, "_append_only")));
    } else {
      ASSERT_OK(database_->Execute(absl::StrCat("DROP TRIGGER audit_", table, "_no_update")));
      ASSERT_OK(database_->Execute(absl::StrCat("DROP TRIGGER audit_", table, "_no_delete")));
    }
    ASSERT_OK(database_->Execute(statement));
  }

  testing::SqlTestStorage storage_{GetParam()};
  testing::TempDir dir_;
  ManualClock clock_;
  std::unique_ptr<db::Database> database_;
  std::unique_ptr<CheckpointKeys> keys_;
  std::unique_ptr<AuditStore> store_;
  std::unique_ptr<AuditService> service_;
  int next_ = 1;
};

TEST_P(AuditStoreTest, EntriesAndCheckpointsRefuseUpdateAndDelete) {
  Append(6);
  for (const char* statement : {
           "UPDATE audit_entries SET details = '{}' WHERE seq = 2",
           "DELETE FROM audit_entries WHERE seq = 6",
           "DELETE FROM audit_entries",
           "UPDATE audit_checkpoints SET hash = 'x'",
           "DELETE FROM audit_checkpoints",
       }) {
    EXPECT_FALSE(database_->Execute(statement).ok()) << statement;
  }
  if (database_->dialect() == db::Dialect::kPostgres) {
    EXPECT_FALSE(database_->Execute("TRUNCATE audit_entries").ok());
  }
  const Verification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.entries, 6);
}

TEST_P(AuditStoreTest, AnEntryEditedInTheDatabaseIsNamed) {
  Append(8);
  Tamper(R"(UPDATE audit_entries SET details = '{"status":403}' WHERE log = 'org-1' AND seq = 3)");
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 3);
  EXPECT_EQ(verification.reason, "its content does not match its hash");
}

TEST_P(AuditStoreTest, DeletingTheLastEntriesIsCaughtByTheCheckpoint) {
  Append(7);  // a checkpoint at 5
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq >= 4");
  ASSERT_OK(database_->Execute(
      "UPDATE audit_logs SET head_seq = 3, head_hash = (SELECT hash FROM audit_entries WHERE "
      "log = 'org-1' AND seq = 3) WHERE log = 'org-1'"));
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
  EXPECT_EQ(verification.reason, "a checkpoint was signed at entry 5, but the log ends at 3");
}

TEST_P(AuditStoreTest, AForgedCheckpointIsNamed) {
  Append(5);
  Tamper("UPDATE audit_checkpoints SET hash = 'forged' WHERE log = 'org-1' AND seq = 5");
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 5);
}

TEST_P(AuditStoreTest, RetentionIsExplicitAndTheRestStillVerifies) {
  Append(12);  // checkpoints at 5 and 10
  Append(2, "org-2");
  std::ostringstream exported;
  ASSERT_OK(ExportLog(*database_, "org-1", exported));
  const std::vector<std::string> lines = absl::StrSplit(exported.str(), '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 15u);  // twelve entries, two checkpoints and the summary
  EXPECT_NE(lines[0].find(R"("seq":1,)"), std::string::npos);
  EXPECT_NE(lines[13].find(R"("checkpoint_seq":10)"), std::string::npos);
  EXPECT_NE(lines[14].find(R"("head_seq":12)"), std::string::npos);

  EXPECT_FALSE(Retain("org-1", 99).ok());
  // The kept chain must start right after a checkpoint.
  EXPECT_THAT(Retain("org-1", 8), testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  auto removed = Retain("org-1", 11);
  ASSERT_OK(removed);
  EXPECT_EQ(*removed, 10);
  // The guards are back.
  EXPECT_FALSE(database_->Execute("DELETE FROM audit_entries WHERE log = 'org-1'").ok());
  Verification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.entries, 2);
  EXPECT_TRUE(Verify("org-2").ok);
  Append(3);
  verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.entries, 5);
  // The export's entry 10 is where the kept chain starts.
  auto state = store_->State("org-1");
  ASSERT_OK(state);
  EXPECT_NE(lines[9].find(absl::StrCat(R"("hash":")", (*state)->first_prev_hash)),
            std::string::npos);
  // A later export names the retention that moved its start, signed with the checkpoint key.
  std::ostringstream retained;
  ASSERT_OK(ExportLog(*database_, "org-1", retained));
  const std::vector<std::string> after = absl::StrSplit(retained.str(), '\n', absl::SkipEmpty());
  ASSERT_FALSE(after.empty());
  EXPECT_NE(after.back().find(absl::StrCat(R"("retention":")", (*state)->retention_token)),
            std::string::npos);
  const std::optional<Retention> retention =
      VerifyRetention((*state)->retention_token, "org-1", keys_->public_keys());
  ASSERT_TRUE(retention.has_value());
  EXPECT_EQ(retention->first_seq, 11);
  EXPECT_EQ(retention->first_prev_hash, (*state)->first_prev_hash);
  EXPECT_EQ(retention->at, clock_.Now());
}

TEST_P(AuditStoreTest, MovingTheStartWithoutTheRetentionsSignatureIsCaught) {
  Append(12);  // checkpoints at 5 and 10
  Append(7, "org-2");
  ASSERT_OK(Retain("org-2", 6).status());
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  // Entries 1..10 deleted and the start moved to just after the genuine checkpoint at 10: what
  // a retention does, done with the database's credentials alone.
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq <= 10");
  ASSERT_OK(database_->Execute(
      "UPDATE audit_logs SET first_seq = 11, first_prev_hash = $1 WHERE log = 'org-1'",
      {(*entries)[9].hash}));
  Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 11);
  EXPECT_EQ(verification.reason,
            "no signed retention moved the log's start to entry 11 (entries before it were "
            "removed)");
  // Nor does another log's genuine retention token pass for this one's.
  ASSERT_OK(database_->Execute(
      "UPDATE audit_logs SET retention_token = (SELECT retention_token FROM audit_logs WHERE "
      "log = 'org-2') WHERE log = 'org-1'"));
  verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 11);
  EXPECT_TRUE(Verify("org-2").ok);
}

TEST_P(AuditStoreTest, ABrokenLogIsNotCutShort) {
  Append(12);  // checkpoints at 5 and 10
  Tamper(R"(UPDATE audit_entries SET details = '{"status":403}' WHERE log = 'org-1' AND seq = 3)");
  const absl::StatusOr<int64_t> refused = Retain("org-1", 11);
  EXPECT_THAT(refused, testing::StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_NE(refused.status().message().find("entry 3"), std::string::npos) << refused.status();
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  EXPECT_EQ(entries->size(), 12u);
  EXPECT_EQ(Verify().first_bad_seq, 3);
}

TEST_P(AuditStoreTest, AReplicaVerifiesCheckpointsSignedWithAKeyRotatedAfterItStarted) {
  Append(3);
  ASSERT_OK(crypto::Ed25519KeyRing::Add(dir_ / "keys" / "checkpoints").status());
  // Another replica, restarted after the rotation, signs with the new key.
  auto rotated = LoadOrCreateCheckpointKeys(dir_ / "keys");
  ASSERT_OK(rotated);
  ASSERT_NE((*rotated)->kid(), keys_->kid());
  AuditService replica({.store = *store_,
                        .keys = **rotated,
                        .clock = clock_,
                        .logger = log::Logger::ToStderr(log::Level::kError)},
                       CheckpointPolicy{.every = 5, .interval = absl::Minutes(5)});
  for (int i = 0; i < 4; ++i) {
    ASSERT_OK(replica.Record({.log = "org-1",
                              .source = absl::StrCat("replica-", i),
                              .at = clock_.Now(),
                              .actor = "user-1",
                              .action = "PUT /v1/buses/{bus_id}",
                              .details = "{}"}));
  }
  const Verification verification = Verify();  // by this process, started before the rotation
  EXPECT_TRUE(verification.ok) << verification.first_bad_seq << ": " << verification.reason;
  EXPECT_EQ(verification.entries, 7);
}

TEST_P(AuditStoreTest, RewritingTheTailAndRemovingItsCheckpointsIsCaught) {
  Append(12);  // checkpoints at 5 and 10
  // Entries 6..12 rewritten with hashes that chain (no key needed), the checkpoint at 10
  // removed, the head and its bookkeeping set to match: only the spacing gives it away.
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  std::string previous = (*entries)[4].hash;
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq > 5");
  Tamper("DELETE FROM audit_checkpoints WHERE log = 'org-1' AND seq > 5");
  for (int i = 5; i < 12; ++i) {
    AuditEntry entry = (*entries)[i];
    entry.fact.details = R"({"status":201})";
    entry.prev_hash = previous;
    auto hash = EntryHash(entry);
    ASSERT_OK(hash);
    entry.hash = *hash;
    previous = entry.hash;
    ASSERT_OK(database_->Execute(
        "INSERT INTO audit_entries (log, seq, at, source, actor, action, target, target_name, "
        "details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        {entry.fact.log, entry.seq, absl::ToUnixMicros(entry.fact.at), entry.fact.source,
         entry.fact.actor, entry.fact.action, entry.fact.target, entry.fact.target_name,
         entry.fact.details, entry.prev_hash, entry.hash}));
  }
  ASSERT_OK(database_->Execute(
      "UPDATE audit_logs SET head_hash = $1, checkpoint_seq = 5 WHERE log = 'org-1'", {previous}));
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 6);
}

TEST_P(AuditStoreTest, TheServiceSignsNoCheckpointOverEntriesWrittenAroundIt) {
  Append(12);  // checkpoints at 5 and 10
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  // Entries 6..12 rewritten with hashes that chain, their checkpoints removed, and the log's
  // bookkeeping set so that the service would sign the forged head at its next chance.
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq > 5");
  Tamper("DELETE FROM audit_checkpoints WHERE log = 'org-1' AND seq > 5");
  std::string previous = (*entries)[4].hash;
  for (int i = 5; i < 12; ++i) {
    AuditEntry entry = (*entries)[i];
    entry.fact.actor = "someone-else";
    entry.prev_hash = previous;
    auto hash = EntryHash(entry);
    ASSERT_OK(hash);
    entry.hash = *hash;
    entry.seal = (*entries)[i].seal;  // the genuine entry's seal, of another hash
    previous = entry.hash;
    ASSERT_OK(database_->Execute(
        "INSERT INTO audit_entries (log, seq, at, source, actor, action, target, target_name, "
        "details, prev_hash, hash, seal) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12)",
        {entry.fact.log, entry.seq, absl::ToUnixMicros(entry.fact.at), entry.fact.source,
         entry.fact.actor, entry.fact.action, entry.fact.target, entry.fact.target_name,
         entry.fact.details, entry.prev_hash, entry.hash, entry.seal}));
  }
  ASSERT_OK(database_->Execute(
      "UPDATE audit_logs SET head_hash = $1, checkpoint_seq = 5, checkpoint_at = 0 WHERE "
      "log = 'org-1'",
      {previous}));
  clock_.Advance(absl::Minutes(6));
  service_->CheckpointIdleLogs();  // the interval's checkpoint of the forged head: refused
  Append(4);                       // 13..16, a checkpoint due by count: refused too
  auto checkpoints = store_->Checkpoints("org-1");
  ASSERT_OK(checkpoints);
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ((*checkpoints)[0].seq, 5);
  // Verification names the first forged entry, however well it chains.
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 6);
  EXPECT_EQ(verification.reason,
            "it does not carry the audit service's seal (it was written around it)");
}

TEST_P(AuditStoreTest, ARowPutFarPastTheHeadIsNamedAndNeverListed) {
  Append(3);
  // A made-up deletion by an admin, far past the head, where no append will reach for ages.
  ASSERT_OK(database_->Execute(
      "INSERT INTO audit_entries (log, seq, at, source, actor, action, target, target_name, "
      "details, prev_hash, hash, seal) VALUES ('org-1', 1000000003, 0, 'forged', 'user-1', "
      "'DELETE /v1/buses/{bus_id}', 'bus-1', '', '{}', 'x', 'y', '')"));
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items.front().seq, 3);
  // Nor is a checkpoint row past the head exported (one signed while an export reads).
  ASSERT_OK(database_->Execute(
      "INSERT INTO audit_checkpoints (log, seq, hash, at, token) VALUES ('org-1', 1000000003, "
      "'y', 0, 'not-a-token')"));
  std::ostringstream exported;
  ASSERT_OK(ExportLog(*database_, "org-1", exported));
  EXPECT_EQ(exported.str().find("forged"), std::string::npos);
  EXPECT_EQ(exported.str().find("not-a-token"), std::string::npos);
}

TEST_P(AuditStoreTest, AnUnsealedRowWithinTheLogIsNeverListed) {
  Append(3);
  Tamper(
      "UPDATE audit_entries SET actor = 'someone-else', seal = '' WHERE log = 'org-1' AND "
      "seq = 2");
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].seq, 3);
  EXPECT_EQ(page->items[1].seq, 1);
}

TEST_P(AuditStoreTest, ALogRolledBackUnderTheServiceSaysSo) {
  Append(8);  // a checkpoint at 5
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  // Entries 5..8 and the checkpoint at 5 removed, the head set back to entry 4: a log that
  // chains, seals and keeps every promise, short of what the service wrote.
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq > 4");
  Tamper("DELETE FROM audit_checkpoints WHERE log = 'org-1'");
  ASSERT_OK(database_->Execute(
      "UPDATE audit_logs SET head_seq = 4, head_hash = $1, checkpoint_seq = 0, checkpoint_every "
      "= 0 WHERE log = 'org-1'",
      {(*entries)[3].hash}));
  Append(1);
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 6u);
  EXPECT_EQ(page->items[0].fact.source, absl::StrCat("gateway:r", next_ - 1));
  EXPECT_EQ(page->items[1].fact.action, kRolledBackAction);
  EXPECT_EQ(page->items[1].fact.actor, "service:audit");
  EXPECT_NE(page->items[1].fact.details.find(R"("written_seq":8)"), std::string::npos);
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 5);
  EXPECT_EQ(verification.reason,
            "the audit service found the log rolled back here: entries it wrote before are gone");
}

TEST_P(AuditStoreTest, ARollBackNoticeIsNotLostToAFailedWrite) {
  Append(3);
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq = 3");
  ASSERT_OK(
      database_->Execute("UPDATE audit_logs SET head_seq = 2, head_hash = $1 WHERE log = "
                         "'org-1'",
                         {(*entries)[1].hash}));
  // The notice's write fails once (a trigger of the intruder's, or any error on the way).
  const bool postgres = database_->dialect() == db::Dialect::kPostgres;
  if (postgres) {
    ASSERT_OK(database_->Execute(
        "CREATE FUNCTION refuse_notice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF "
        "NEW.source LIKE 'audit:%' THEN RAISE EXCEPTION 'no notice'; END IF; RETURN NEW; END $$"));
    ASSERT_OK(
        database_->Execute("CREATE TRIGGER refuse_notice BEFORE INSERT ON audit_entries "
                           "FOR EACH ROW EXECUTE FUNCTION refuse_notice()"));
  } else {
    ASSERT_OK(database_->Execute(
        "CREATE TRIGGER refuse_notice BEFORE INSERT ON audit_entries WHEN NEW.source LIKE "
        "'audit:%' BEGIN SELECT RAISE(ABORT, 'no notice'); END"));
  }
  EXPECT_FALSE(service_
                   ->Record({.log = "org-1",
                             .source = "after-1",
                             .at = clock_.Now(),
                             .actor = "user-1",
                             .action = "PUT /v1/buses/{bus_id}",
                             .details = "{}"})
                   .ok());
  ASSERT_OK(database_->Execute(postgres ? "DROP TRIGGER refuse_notice ON audit_entries"
                                        : "DROP TRIGGER refuse_notice"));
  Append(1);
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 4u);
  EXPECT_EQ(page->items[1].fact.action, kRolledBackAction);
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 3);
}

TEST_P(AuditStoreTest, ALoggedRollBackIsCheckpointedLikeAnyEntry) {
  Append(8);  // a checkpoint at 5
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  Tamper("DELETE FROM audit_entries WHERE log = 'org-1' AND seq > 6");
  ASSERT_OK(
      database_->Execute("UPDATE audit_logs SET head_seq = 6, head_hash = $1 WHERE log = "
                         "'org-1'",
                         {(*entries)[5].hash}));
  Append(4);  // the notice at 7, then 8..11: a checkpoint is due at 10, over the notice
  auto checkpoints = store_->Checkpoints("org-1");
  ASSERT_OK(checkpoints);
  ASSERT_EQ(checkpoints->size(), 2u);
  EXPECT_EQ(checkpoints->back().seq, 10);
  // Vouched for by a checkpoint, the notice cannot be rolled back unseen in its turn.
  const Verification verification = Verify();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 7);
}

TEST_P(AuditStoreTest, RefusedLogsDoNotHoldBackTheIntervalCheckpointsOfOthers) {
  // More refused logs than one page of due logs, and a clean one named after them all.
  for (int i = 0; i < 101; ++i) Append(2, absl::StrFormat("a-%03d", i));
  Tamper("UPDATE audit_entries SET seal = '' WHERE log LIKE 'a-%'");
  Append(2, "z-clean");
  clock_.Advance(absl::Minutes(6));
  service_->CheckpointIdleLogs();
  auto checkpoints = store_->Checkpoints("z-clean");
  ASSERT_OK(checkpoints);
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ(checkpoints->front().seq, 2);
}

TEST_P(AuditStoreTest, ARefusedLogIsNotScannedAgainOnEveryAppend) {
  Append(12);  // checkpoints at 5 and 10
  // An unsealed entry after the last checkpoint, and a promise of a checkpoint with every
  // entry in the bookkeeping row: each append is due for one, and each would be refused.
  Tamper("UPDATE audit_entries SET seal = '' WHERE log = 'org-1' AND seq = 11");
  ASSERT_OK(database_->Execute("UPDATE audit_logs SET checkpoint_every = 1 WHERE log = 'org-1'"));
  metrics::Registry metrics;
  AuditService counted({.store = *store_,
                        .keys = *keys_,
                        .clock = clock_,
                        .logger = log::Logger::ToStderr(log::Level::kError),
                        .metrics = &metrics},
                       CheckpointPolicy{.every = 5, .interval = absl::Minutes(5)});
  for (int i = 0; i < 10; ++i) {
    ASSERT_OK(counted.Record({.log = "org-1",
                              .source = absl::StrCat("due-", i),
                              .at = clock_.Now(),
                              .actor = "user-1",
                              .action = "PUT /v1/buses/{bus_id}",
                              .details = "{}"}));
  }
  // Refused once per five entries, not once per entry.
  EXPECT_NE(metrics.Render().find("travio_audit_checkpoint_refusals_total 2"), std::string::npos)
      << metrics.Render();
  EXPECT_EQ(store_->Checkpoints("org-1")->size(), 2u);
}

TEST_P(AuditStoreTest, EntriesBeforeTheChainsStartAreNotListed) {
  Append(7);  // a checkpoint at 5
  auto entries = store_->Scan("org-1", 1, 100);
  ASSERT_OK(entries);
  ASSERT_OK(Retain("org-1", 6).status());
  // A removed entry put back (inserting is not refused): outside the chain, never shown.
  const AuditEntry& old = (*entries)[2];
  ASSERT_OK(database_->Execute(
      "INSERT INTO audit_entries (log, seq, at, source, actor, action, target, target_name, "
      "details, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {old.fact.log, old.seq, absl::ToUnixMicros(old.fact.at), old.fact.source, old.fact.actor,
       old.fact.action, old.fact.target, old.fact.target_name, old.fact.details, old.prev_hash,
       old.hash}));
  auto page = service_->List({.log = "org-1"});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items.back().seq, 6);
}

TEST_P(AuditStoreTest, VerifyingWhileEntriesArriveNeverAlarms) {
  // A checkpoint with every entry while a writer appends: each verification must see the head
  // and the checkpoints of one instant, or a checkpoint past the head it read (or a head past
  // the checkpoints it read) would look like tampering.
  AuditService busy({.store = *store_,
                     .keys = *keys_,
                     .clock = clock_,
                     .logger = log::Logger::ToStderr(log::Level::kError)},
                    CheckpointPolicy{.every = 1, .interval = absl::Minutes(5)});
  std::atomic<bool> done = false;
  std::thread writer([&] {
    for (int i = 0; i < 80; ++i) {
      EXPECT_OK(busy.Record({.log = "org-1",
                             .source = absl::StrCat("w", i),
                             .at = clock_.Now(),
                             .actor = "user-1",
                             .action = "PUT /v1/buses/{bus_id}",
                             .details = "{}"}));
    }
    done = true;
  });
  int verified = 0;
  while (!done) {
    auto result = busy.Verify("org-1");
    ASSERT_OK(result);
    const Verification& verification = *result;
    EXPECT_TRUE(verification.ok) << verification.first_bad_seq << ": " << verification.reason;
    ++verified;
  }
  writer.join();
  EXPECT_GT(verified, 0);
  EXPECT_TRUE(Verify().ok);
}

TEST_P(AuditStoreTest, ConcurrentAppendsKeepOneUnbrokenChain) {
  constexpr int kThreads = 4;
  constexpr int kEach = 15;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      for (int i = 0; i < kEach; ++i) {
        EXPECT_OK(service_->Record({.log = "org-1",
                                    .source = absl::StrCat("t", t, "-", i),
                                    .at = clock_.Now(),
                                    .actor = "user-1",
                                    .action = "PUT /v1/buses/{bus_id}",
                                    .details = "{}"}));
        // Each thread also retries its previous record, as a gateway would after a timeout.
        if (i > 0) {
          EXPECT_OK(service_->Record({.log = "org-1",
                                      .source = absl::StrCat("t", t, "-", i - 1),
                                      .at = clock_.Now(),
                                      .actor = "user-1",
                                      .action = "PUT /v1/buses/{bus_id}",
                                      .details = "{}"}));
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  const Verification verification = Verify();
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.entries, kThreads * kEach);
}

INSTANTIATE_TEST_SUITE_P(Engines, AuditStoreTest,
                         ::testing::Values(SqlEngine::kSqlite, SqlEngine::kPostgres),
                         [](const auto& info) { return testing::SqlEngineName(info.param); });

}  // namespace
}  // namespace travio::audit
