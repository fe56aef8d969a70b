// The chain walk on its own: a stand-in hash (the real one is the codec's) makes each break
// easy to build.
#include "services/audit/domain/chain_check.h"

#include <gtest/gtest.h>

#include "absl/strings/str_cat.h"

namespace travio::audit {
namespace {

std::string FakeHash(const AuditEntry& entry) {
  return absl::StrCat("h(", entry.prev_hash, ",", entry.seq, ",", entry.fact.action, ")");
}

// The stand-in for the service's keyed seal.
std::string FakeSeal(const AuditEntry& entry) { return absl::StrCat("sealed(", entry.hash, ")"); }

// Entries 1..count of a well-formed log, and its state.
struct Log {
  std::vector<AuditEntry> entries;
  LogState state;
};

Log MakeLog(int count) {
  Log log;
  log.state.log = "org-1";
  std::string prev(kGenesisHash);
  for (int seq = 1; seq <= count; ++seq) {
    AuditEntry entry;
    entry.fact.log = "org-1";
    entry.fact.action = absl::StrCat("action-", seq);
    entry.seq = seq;
    entry.prev_hash = prev;
    entry.hash = FakeHash(entry);
    entry.seal = FakeSeal(entry);
    prev = entry.hash;
    log.entries.push_back(entry);
  }
  log.state.head_seq = count;
  log.state.head_hash = prev;
  return log;
}

// The retention that moved `log`'s start to where its state says, as its signature vouches.
Retention RetentionOf(const Log& log) {
  return {.log = log.state.log,
          .first_seq = log.state.first_seq,
          .first_prev_hash = log.state.first_prev_hash,
          .at = absl::FromUnixSeconds(1'767'225'600)};
}

Verification Walk(const Log& log, const std::vector<CheckedCheckpoint>& checkpoints = {},
                  int64_t every = 1000, std::optional<Retention> retention = std::nullopt) {
  ChainCheck check(
      log.state, checkpoints, std::move(retention), every,
      [](const AuditEntry& entry) -> std::optional<std::string> { return FakeHash(entry); },
      [](const AuditEntry& entry) { return entry.seal == FakeSeal(entry); });
  for (const AuditEntry& entry : log.entries) {
    if (!check.Feed(entry)) break;
  }
  return check.Finish();
}

TEST(ChainCheckTest, AnIntactLogIsOkWithItsLengthAndHead) {
  const Log log = MakeLog(5);
  const Verification verification = Walk(log, {{3, log.entries[2].hash, 3, true}});
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.entries, 5);
  EXPECT_EQ(verification.head_hash, log.entries[4].hash);
}

TEST(ChainCheckTest, AnEmptyLogIsOk) {
  const Verification verification = Walk(MakeLog(0));
  EXPECT_TRUE(verification.ok);
  EXPECT_EQ(verification.entries, 0);
  EXPECT_EQ(verification.head_hash, kGenesisHash);
}

TEST(ChainCheckTest, AnEditedEntryIsNamed) {
  Log log = MakeLog(5);
  log.entries[2].fact.action = "something-else";
  const Verification verification = Walk(log);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 3);
  EXPECT_EQ(verification.reason, "its content does not match its hash");
}

TEST(ChainCheckTest, AnEntryRehashedAfterAnEditBreaksTheNextLink) {
  Log log = MakeLog(5);
  log.entries[2].fact.action = "something-else";
  log.entries[2].hash = FakeHash(log.entries[2]);
  log.entries[2].seal = FakeSeal(log.entries[2]);  // even with the key, the next link breaks
  const Verification verification = Walk(log);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

TEST(ChainCheckTest, EntriesRewrittenWithoutTheSealAreNamedHoweverWellTheyChain) {
  // Entries 3..5 rewritten and rehashed so the chain holds (no key needed for that): only the
  // seal, which needs the service's key, gives them away.
  Log log = MakeLog(5);
  std::string prev = log.entries[1].hash;
  for (size_t i = 2; i < 5; ++i) {
    log.entries[i].fact.action = "forged";
    log.entries[i].prev_hash = prev;
    log.entries[i].hash = FakeHash(log.entries[i]);
    prev = log.entries[i].hash;
  }
  log.state.head_hash = prev;
  const Verification verification = Walk(log);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 3);
  EXPECT_EQ(verification.reason,
            "it does not carry the audit service's seal (it was written around it)");
}

TEST(ChainCheckTest, ALogStartsFromTheGenesisHash) {
  Log log = MakeLog(0);
  log.state.first_prev_hash = "an intruder's";
  log.state.head_hash = log.state.first_prev_hash;
  const Verification verification = Walk(log);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 1);
}

TEST(ChainCheckTest, RowsPastTheHeadAreNamed) {
  // A row put far past the head: never reached by the walk, but the table holds it.
  const Log log = MakeLog(3);
  ChainCheck check(
      log.state, {}, std::nullopt, 1000,
      [](const AuditEntry& entry) -> std::optional<std::string> { return FakeHash(entry); },
      [](const AuditEntry& entry) { return entry.seal == FakeSeal(entry); });
  check.RowsEndAt(1'000'000'003);
  for (const AuditEntry& entry : log.entries) ASSERT_TRUE(check.Feed(entry));
  const Verification verification = check.Finish();
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

TEST(ChainCheckTest, AGapNamesTheMissingEntry) {
  Log log = MakeLog(5);
  log.entries.erase(log.entries.begin() + 1);
  const Verification verification = Walk(log);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 2);
}

TEST(ChainCheckTest, ADeletedTailIsCaughtByTheCheckpointPastIt) {
  Log log = MakeLog(6);
  const std::vector<CheckedCheckpoint> checkpoints = {{5, log.entries[4].hash, 5, true}};
  // The tail and the head moved back together, as a careful intruder would.
  log.entries.resize(3);
  log.state.head_seq = 3;
  log.state.head_hash = log.entries[2].hash;
  const Verification verification = Walk(log, checkpoints);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

TEST(ChainCheckTest, ADeletedTailWithTheHeadLeftBehindIsCaught) {
  Log log = MakeLog(6);
  log.entries.resize(4);
  const Verification verification = Walk(log);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 5);
}

TEST(ChainCheckTest, ACheckpointThatDisagreesNamesItsEntry) {
  Log log = MakeLog(5);
  const Verification verification = Walk(log, {{2, "another hash", 5, true}});
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 2);
}

TEST(ChainCheckTest, AForgedCheckpointIsNamed) {
  Log log = MakeLog(5);
  const Verification verification = Walk(log, {{4, log.entries[3].hash, 5, false}});
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

TEST(ChainCheckTest, AfterRetentionTheChainStartsAtItsAnchor) {
  Log log = MakeLog(6);
  log.state.first_seq = 4;
  log.state.first_prev_hash = log.entries[2].hash;
  // The checkpoint vouching for the start is kept; older ones went with their entries.
  const std::vector<CheckedCheckpoint> checkpoints = {{2, "of a removed entry", 3, false},
                                                      {3, log.entries[2].hash, 3, true}};
  log.entries.erase(log.entries.begin(), log.entries.begin() + 3);
  const Verification verification = Walk(log, checkpoints, 1000, RetentionOf(log));
  EXPECT_TRUE(verification.ok) << verification.reason;
  EXPECT_EQ(verification.entries, 3);
}

TEST(ChainCheckTest, AStartMovedWithoutASignedRetentionIsCaught) {
  // Whoever holds the database's credentials can delete entries 1..3 and move the start to
  // just after a genuine checkpoint; only a retention signed with a checkpoint key may.
  Log log = MakeLog(6);
  log.state.first_seq = 4;
  log.state.first_prev_hash = log.entries[2].hash;
  const std::vector<CheckedCheckpoint> checkpoints = {{3, log.entries[2].hash, 3, true}};
  log.entries.erase(log.entries.begin(), log.entries.begin() + 3);
  const Verification unsigned_start = Walk(log, checkpoints);
  EXPECT_FALSE(unsigned_start.ok);
  EXPECT_EQ(unsigned_start.first_bad_seq, 4);
  EXPECT_EQ(unsigned_start.reason,
            "no signed retention moved the log's start to entry 4 (entries before it were "
            "removed)");
  // An older retention's token, replayed with a start moved further.
  Retention older = RetentionOf(log);
  older.first_seq = 2;
  older.first_prev_hash = "the hash of entry 1";
  EXPECT_FALSE(Walk(log, checkpoints, 1000, older).ok);
  // Another organization's retention.
  Retention elsewhere = RetentionOf(log);
  elsewhere.log = "org-2";
  EXPECT_FALSE(Walk(log, checkpoints, 1000, elsewhere).ok);
  EXPECT_TRUE(Walk(log, checkpoints, 1000, RetentionOf(log)).ok);
}

TEST(ChainCheckTest, AStartNoCheckpointVouchesForIsCaught) {
  // first_seq and first_prev_hash moved past entries an intruder rewrote: consistent with the
  // kept entries, but no signed checkpoint has that hash at entry 3.
  Log log = MakeLog(6);
  log.state.first_seq = 4;
  log.state.first_prev_hash = log.entries[2].hash;
  log.entries.erase(log.entries.begin(), log.entries.begin() + 3);
  const Verification verification =
      Walk(log, {{3, "the hash entry 3 had", 3, true}}, 1000, RetentionOf(log));
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

TEST(ChainCheckTest, CheckpointsRemovedWithTheEntriesAfterThemRewrittenAreCaught) {
  // Checkpoints promised every 3 entries; those after entry 3 removed, and entries 4..9
  // rewritten with hashes that chain (no key is needed for that).
  Log log = MakeLog(9);
  const Verification verification = Walk(log, {{3, log.entries[2].hash, 3, true}}, 3);
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
  const Verification gap =
      Walk(log, {{3, log.entries[2].hash, 3, true}, {9, log.entries[8].hash, 3, true}}, 3);
  EXPECT_FALSE(gap.ok);
  EXPECT_EQ(gap.first_bad_seq, 4);
}

TEST(ChainCheckTest, CheckpointsAsPromisedAndAHeadWithinReachAreOk) {
  Log log = MakeLog(8);
  const Verification verification =
      Walk(log, {{3, log.entries[2].hash, 3, true}, {6, log.entries[5].hash, 3, true}}, 3);
  EXPECT_TRUE(verification.ok) << verification.reason;
  // A smaller spacing configured since: the last checkpoint's promise still counts.
  EXPECT_TRUE(
      Walk(log, {{3, log.entries[2].hash, 3, true}, {6, log.entries[5].hash, 3, true}}, 1).ok);
}

TEST(ChainCheckTest, TheSpacingMayChangeFromOneCheckpointToTheNext) {
  Log log = MakeLog(14);
  // Raised from 3 to 10: the checkpoint at 6 kept the old promise and made the new one.
  EXPECT_TRUE(
      Walk(log, {{3, log.entries[2].hash, 3, true}, {6, log.entries[5].hash, 10, true}}, 10).ok);
  // Lowered from 10 to 3.
  EXPECT_TRUE(Walk(log,
                   {{3, log.entries[2].hash, 10, true},
                    {10, log.entries[9].hash, 3, true},
                    {13, log.entries[12].hash, 3, true}},
                   3)
                  .ok);
  // A raised setting of the verifier does not stretch what the last checkpoint promised.
  EXPECT_FALSE(Walk(log, {{3, log.entries[2].hash, 3, true}}, 1000).ok);
}

TEST(ChainCheckTest, AMovedAnchorIsCaught) {
  Log log = MakeLog(6);
  log.state.first_seq = 4;
  log.state.first_prev_hash = "not the hash of entry 3";
  const std::vector<CheckedCheckpoint> checkpoints = {{3, log.entries[2].hash, 3, true}};
  log.entries.erase(log.entries.begin(), log.entries.begin() + 3);
  const Verification verification = Walk(log, checkpoints, 1000, RetentionOf(log));
  EXPECT_FALSE(verification.ok);
  EXPECT_EQ(verification.first_bad_seq, 4);
}

TEST(AuditEntryTest, FactsOutOfBoundsAreRefused) {
  AuditFact fact{.log = "org-1",
                 .source = "event:1",
                 .at = absl::FromUnixSeconds(1'767'225'600),
                 .actor = "user-1",
                 .action = "bus.updated",
                 .details = "{}"};
  EXPECT_TRUE(ValidateFact(fact).ok());
  AuditFact no_actor = fact;
  no_actor.actor.clear();
  EXPECT_FALSE(ValidateFact(no_actor).ok());
  AuditFact long_target = fact;
  long_target.target = std::string(129, 'a');
  EXPECT_FALSE(ValidateFact(long_target).ok());
  AuditFact control = fact;
  control.action = "bus.updated\nforged line";
  EXPECT_FALSE(ValidateFact(control).ok());
  AuditFact c1 = fact;
  c1.target_name =
      "DHK\xC2\x85"
      "forged";  // U+0085, a line break to some readers
  EXPECT_FALSE(ValidateFact(c1).ok());
  AuditFact not_utf8 = fact;
  not_utf8.actor = "user-\xFF";
  EXPECT_FALSE(ValidateFact(not_utf8).ok());
  AuditFact huge = fact;
  huge.details = std::string(kMaxDetailsBytes + 1, ' ');
  EXPECT_FALSE(ValidateFact(huge).ok());
}

}  // namespace
}  // namespace travio::audit
