#include "services/audit/domain/chain_check.h"

#include "absl/strings/str_cat.h"

namespace travio::audit {

ChainCheck::ChainCheck(const LogState& state, const std::vector<CheckedCheckpoint>& checkpoints,
                       Hasher hash)
    : state_(state),
      hash_(std::move(hash)),
      next_seq_(state.first_seq),
      last_hash_(state.first_prev_hash) {
  for (const CheckedCheckpoint& checkpoint : checkpoints) {
    // Checkpoints of entries retention removed say nothing about the entries kept.
    if (checkpoint.seq >= state.first_seq) checkpoints_[checkpoint.seq] = checkpoint;
  }
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

Verification ChainCheck::Finish() const {
  ChainCheck copy = *this;
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
  } else if (state_.head_seq < last_seq) {
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
