#include "services/audit/domain/chain_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace travio::audit {

ChainCheck::ChainCheck(const LogState& state, const std::vector<CheckedCheckpoint>& checkpoints,
                       std::optional<Retention> retention, int64_t every, Hasher hash,
                       SealCheck sealed)
    : state_(state),
      retention_(std::move(retention)),
      every_(every),
      hash_(std::move(hash)),
      sealed_(std::move(sealed)),
      next_seq_(state.first_seq),
      last_hash_(state.first_prev_hash) {
  for (const CheckedCheckpoint& checkpoint : checkpoints) {
    // Checkpoints of entries retention removed say nothing about the entries kept, but for
    // the one that vouches for where the kept chain starts.
    if (checkpoint.seq >= state.first_seq) checkpoints_[checkpoint.seq] = checkpoint;
    if (checkpoint.seq == state.first_seq - 1) anchor_ = checkpoint;
  }
}

ChainCheck ChainCheck::Stretch(const LogState& state, int64_t from_seq, std::string prev_hash,
                               Hasher hash, SealCheck sealed) {
  ChainCheck check(state, {}, std::nullopt, 0, std::move(hash), std::move(sealed));
  check.whole_log_ = false;
  check.next_seq_ = from_seq;
  check.last_hash_ = std::move(prev_hash);
  return check;
}

void ChainCheck::Fail(int64_t seq, std::string reason) {
  if (bad_seq_ && *bad_seq_ <= seq) return;
  bad_seq_ = seq;
  reason_ = std::move(reason);
}

bool ChainCheck::Feed(const AuditEntry& entry) {
  if (bad_seq_) return false;
  if (entry.seq != next_seq_) {
    Fail(next_seq_,
         entry.seq > next_seq_
             ? absl::StrCat("entry ", next_seq_, " is missing (the next is ", entry.seq, ")")
             : absl::StrCat("entry ", entry.seq, " is out of order"));
    return false;
  }
  if (entry.prev_hash != last_hash_) {
    Fail(entry.seq, "its prev_hash is not the hash of the entry before it");
    return false;
  }
  const std::optional<std::string> expected = hash_(entry);
  if (!expected) {
    Fail(entry.seq, "its stored content cannot be read");
    return false;
  }
  if (*expected != entry.hash) {
    Fail(entry.seq, "its content does not match its hash");
    return false;
  }
  if (!sealed_(entry)) {
    Fail(entry.seq, "it does not carry the audit service's seal (it was written around it)");
    return false;
  }
  // Named by verification of the whole log; a checkpoint still vouches for the notice, so that
  // it cannot be taken away unseen.
  if (whole_log_ && entry.fact.action == kRolledBackAction &&
      entry.fact.source.starts_with("audit:")) {
    Fail(entry.seq,
         "the audit service found the log rolled back here: entries it wrote before are gone");
    return false;
  }
  if (auto it = checkpoints_.find(entry.seq);
      it != checkpoints_.end() && it->second.hash != entry.hash) {
    Fail(entry.seq, "it differs from the checkpoint signed for it");
    return false;
  }
  last_hash_ = entry.hash;
  ++next_seq_;
  ++entries_;
  return true;
}

// Each checkpoint promises the next within its `every` entries (the count that triggers one is
// checked in the same transaction as the append, at the smaller of the setting and the last
// promise): a longer stretch without one means checkpoints were removed, the way to rewrite the
// entries after them unseen. Only signed promises count; the setting of the verifier only for a
// log with no checkpoint yet.
void ChainCheck::CheckSpacing() {
  int64_t previous_seq = state_.first_seq - 1;
  int64_t previous_every = 0;
  if (state_.first_seq == 1 && state_.first_prev_hash != kGenesisHash) {
    Fail(1, "the log does not start from the genesis hash");
    return;
  }
  if (state_.first_seq > 1) {
    // The start moved: only a retention, signed with a checkpoint key, may move it.
    if (!retention_ || retention_->log != state_.log || retention_->first_seq != state_.first_seq ||
        retention_->first_prev_hash != state_.first_prev_hash) {
      Fail(state_.first_seq, absl::StrCat("no signed retention moved the log's start to entry ",
                                          state_.first_seq, " (entries before it were removed)"));
      return;
    }
    if (!anchor_ || !anchor_->signature_ok || anchor_->hash != state_.first_prev_hash) {
      Fail(state_.first_seq, absl::StrCat("no signed checkpoint vouches for where the log starts "
                                          "(the hash of entry ",
                                          previous_seq, ")"));
      return;
    }
    previous_every = anchor_->every;
  }
  auto check = [&](int64_t seq, int64_t promised) {
    if (promised > 0 && seq - previous_seq > promised) {
      Fail(previous_seq + 1,
           absl::StrCat("no checkpoint between entries ", previous_seq + 1, " and ", seq,
                        ", though one was promised every ", promised, " entries"));
    }
  };
  for (const auto& [seq, checkpoint] : checkpoints_) {
    if (!checkpoint.signature_ok) continue;
    check(seq, previous_every > 0 ? previous_every : checkpoint.every);
    previous_seq = seq;
    previous_every = checkpoint.every;
  }
  check(state_.head_seq, previous_every > 0 ? previous_every : every_);
}

Verification ChainCheck::Finish() const {
  ChainCheck copy = *this;
  if (whole_log_) copy.CheckSpacing();
  const int64_t last_seq = next_seq_ - 1;
  for (const auto& [seq, checkpoint] : checkpoints_) {
    if (!checkpoint.signature_ok) {
      copy.Fail(seq, absl::StrCat("the checkpoint at entry ", seq, " has no valid signature"));
    } else if (seq > last_seq) {
      copy.Fail(last_seq + 1, absl::StrCat("a checkpoint was signed at entry ", seq,
                                           ", but the log ends at ", last_seq));
    }
  }
  if (state_.head_seq > last_seq) {
    copy.Fail(last_seq + 1, absl::StrCat("the log's head is entry ", state_.head_seq,
                                         ", but the entries end at ", last_seq));
  } else if (state_.head_seq < last_seq || highest_seq_ > state_.head_seq) {
    copy.Fail(state_.head_seq + 1, absl::StrCat("entries after the log's head (", state_.head_seq,
                                                ") were added outside the log"));
  } else if (state_.head_seq == last_seq && state_.head_hash != last_hash_ && !copy.bad_seq_) {
    copy.Fail(last_seq, "the log's head hash is not the last entry's");
  }
  Verification verification;
  verification.entries = entries_;
  verification.head_hash = last_hash_;
  if (copy.bad_seq_) {
    verification.ok = false;
    verification.first_bad_seq = *copy.bad_seq_;
    verification.reason = copy.reason_;
  }
  return verification;
}

}  // namespace travio::audit
