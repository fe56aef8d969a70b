#include "platform/kv/memory_store.h"

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"

namespace travio::kv {
namespace {

// Lets lookups take a string_view without building a std::string.
struct KeyHash {
  using is_transparent = void;
  size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
};

struct Entry {
  std::string value;
  std::optional<absl::Time> expires_at;
};

using Entries = std::unordered_map<std::string, Entry, KeyHash, std::equal_to<>>;

absl::Status ValidateTtl(absl::Duration ttl) {
  if (ttl < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ttl must not be negative, got ", absl::FormatDuration(ttl)));
  }
  return absl::OkStatus();
}

std::optional<absl::Time> ExpiryAfter(absl::Duration ttl, absl::Time now) {
  if (ttl <= absl::ZeroDuration() || ttl == absl::InfiniteDuration()) return std::nullopt;
  return now + ttl;
}

bool IsExpired(const Entry& entry, absl::Time now) {
  return entry.expires_at.has_value() && *entry.expires_at <= now;
}

// Accepts exactly what Redis' INCRBY accepts (its string2ll): an optional '-', no '+', no
// spaces, no leading zeros, within int64. Anything looser would let the memory adapter pass
// tests that Redis fails.
std::optional<int64_t> ParseRedisInteger(std::string_view text) {
  if (text == "0") return 0;
  const size_t first_digit = !text.empty() && text.front() == '-' ? 1 : 0;
  if (first_digit >= text.size() || text[first_digit] < '1' || text[first_digit] > '9') {
    return std::nullopt;
  }
  for (size_t i = first_digit; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
  }
  int64_t value = 0;
  if (!absl::SimpleAtoi(ToAbsl(text), &value)) return std::nullopt;  // out of range
  return value;
}

class MemoryStore final : public KeyValueStore {
 public:
  explicit MemoryStore(const Clock& clock) : clock_(clock) {}

  bool InProcess() const override { return true; }

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    absl::MutexLock lock(&mu_);
    return GetLocked(key, clock_.Now());
  }

  absl::Status Set(std::string_view key, std::string_view value, absl::Duration ttl) override {
    TRAVIO_RETURN_IF_ERROR(ValidateTtl(ttl));
    absl::MutexLock lock(&mu_);
    PutLocked(key, value, ttl, clock_.Now());
    return absl::OkStatus();
  }

  absl::StatusOr<bool> SetIfAbsent(std::string_view key, std::string_view value,
                                   absl::Duration ttl) override {
    TRAVIO_RETURN_IF_ERROR(ValidateTtl(ttl));
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_.Now();
    if (FindLiveLocked(key, now) != entries_.end()) return false;
    PutLocked(key, value, ttl, now);
    return true;
  }

  absl::StatusOr<bool> CompareAndDelete(std::string_view key, std::string_view expected) override {
    absl::MutexLock lock(&mu_);
    const auto entry = FindLiveLocked(key, clock_.Now());
    if (entry == entries_.end() || entry->second.value != expected) return false;
    entries_.erase(entry);
    return true;
  }

  absl::StatusOr<bool> Delete(std::string_view key) override {
    absl::MutexLock lock(&mu_);
    return DeleteLocked(key, clock_.Now());
  }

  absl::StatusOr<int64_t> Increment(std::string_view key, int64_t delta,
                                    absl::Duration ttl) override {
    TRAVIO_RETURN_IF_ERROR(ValidateTtl(ttl));
    absl::MutexLock lock(&mu_);
    const absl::Time now = clock_.Now();
    const auto entry = FindLiveLocked(key, now);
    if (entry == entries_.end()) {
      PutLocked(key, absl::StrCat(delta), ttl, now);
      return delta;
    }
    const std::optional<int64_t> current = ParseRedisInteger(entry->second.value);
    if (!current.has_value()) {
      return absl::FailedPreconditionError(
          absl::StrCat("value at '", absl::CHexEscape(ToAbsl(key)), "' is not an integer"));
    }
    int64_t sum = 0;
    if (__builtin_add_overflow(*current, delta, &sum)) {
      return absl::FailedPreconditionError(
          absl::StrCat("incrementing '", absl::CHexEscape(ToAbsl(key)), "' would overflow"));
    }
    // Like INCRBY, an existing key keeps its expiry.
    entry->second.value = absl::StrCat(sum);
    return sum;
  }

  absl::StatusOr<std::optional<absl::Duration>> Ttl(std::string_view key) override {
    absl::MutexLock lock(&mu_);
    return TtlLocked(key, clock_.Now());
  }

  absl::StatusOr<ScriptReply> Run(const Script& script, std::span<const std::string> keys,
                                  std::span<const std::string> args) override {
    if (!script.native) {
      return absl::InvalidArgumentError(
          absl::StrCat("script '", script.name, "' has no native implementation"));
    }
    absl::MutexLock lock(&mu_);
    // One instant for the whole script, as Redis freezes its clock while a script runs.
    LockedContext context(*this, clock_.Now());
    // The script is caller code; an exception must not cross this API, which reports errors
    // only as statuses.
    try {
      return script.native(context, keys, args);
    } catch (const std::exception& e) {
      return absl::InternalError(absl::StrCat("script '", script.name, "' threw: ", e.what()));
    } catch (...) {
      return absl::InternalError(absl::StrCat("script '", script.name, "' threw"));
    }
  }

 private:
  // What a native script sees: the map, already locked by Run.
  class LockedContext final : public ScriptContext {
   public:
    LockedContext(MemoryStore& store, absl::Time now) : store_(store), now_(now) {}

    std::optional<std::string> Get(std::string_view key) override {
      store_.mu_.AssertHeld();
      return store_.GetLocked(key, now_);
    }
    // A negative ttl, which PX would refuse, keeps the key like zero does: this interface
    // cannot report errors.
    void Set(std::string_view key, std::string_view value, absl::Duration ttl) override {
      store_.mu_.AssertHeld();
      store_.PutLocked(key, value, ttl, now_);
    }
    bool Delete(std::string_view key) override {
      store_.mu_.AssertHeld();
      return store_.DeleteLocked(key, now_);
    }
    std::optional<absl::Duration> Ttl(std::string_view key) override {
      store_.mu_.AssertHeld();
      return store_.TtlLocked(key, now_);
    }

   private:
    MemoryStore& store_;
    const absl::Time now_;
  };

  // Buckets examined per write: enough to outpace growth (at most one new key per write, and
  // the map keeps about one key per bucket), few enough that no write pays for a big backlog.
  static constexpr size_t kSweepBuckets = 16;

  // The entry for `key` unless it is missing or expired; an expired one is dropped on the way.
  Entries::iterator FindLiveLocked(std::string_view key, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const auto entry = entries_.find(key);
    if (entry != entries_.end() && IsExpired(entry->second, now)) {
      entries_.erase(entry);
      return entries_.end();
    }
    return entry;
  }

  std::optional<std::string> GetLocked(std::string_view key, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const auto entry = FindLiveLocked(key, now);
    if (entry == entries_.end()) return std::nullopt;
    return entry->second.value;
  }

  void PutLocked(std::string_view key, std::string_view value, absl::Duration ttl, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    // Like SET, a write replaces the old expiry even when it sets none.
    entries_.insert_or_assign(std::string(key), Entry{std::string(value), ExpiryAfter(ttl, now)});
    SweepSomeLocked(now);
  }

  bool DeleteLocked(std::string_view key, absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const auto entry = FindLiveLocked(key, now);
    if (entry == entries_.end()) return false;
    entries_.erase(entry);
    return true;
  }

  std::optional<absl::Duration> TtlLocked(std::string_view key, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const auto entry = FindLiveLocked(key, now);
    if (entry == entries_.end() || !entry->second.expires_at.has_value()) return std::nullopt;
    return *entry->second.expires_at - now;
  }

  // Lazy expiry alone would keep keys that are never read again forever; this reclaims them a
  // few buckets at a time, resuming where the previous write stopped.
  void SweepSomeLocked(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    const size_t bucket_count = entries_.bucket_count();
    for (size_t visited = 0; visited < kSweepBuckets && !entries_.empty(); ++visited) {
      const size_t bucket = sweep_cursor_++ % bucket_count;
      for (auto entry = entries_.begin(bucket); entry != entries_.end(bucket);) {
        const auto current = entry++;
        // Erasing never rehashes, so `entry`, already past `current`, stays valid.
        if (IsExpired(current->second, now)) entries_.erase(entries_.find(current->first));
      }
    }
  }

  const Clock& clock_;
  absl::Mutex mu_;
  Entries entries_ ABSL_GUARDED_BY(mu_);
  size_t sweep_cursor_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace

std::unique_ptr<KeyValueStore> MakeMemoryStore(const Clock& clock) {
  return std::make_unique<MemoryStore>(clock);
}

}  // namespace travio::kv
