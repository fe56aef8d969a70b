#include "services/fraud/storage/kv_risk_counters.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/base/status_macros.h"

namespace travio::fraud {
namespace {

// Each bucket outlives the window after it, so the previous bucket is there to be weighed.
absl::Duration BucketTtl(absl::Duration window) { return window * 2 + absl::Minutes(1); }

// Where `now` falls among buckets as long as `window`: the bucket's number, and the share of
// the previous bucket still inside the trailing window.
struct Position {
  int64_t bucket = 0;
  double previous_share = 0;
};

Position Locate(absl::Duration window, absl::Time now) {
  const int64_t length = std::max<int64_t>(absl::ToInt64Microseconds(window), 1);
  const int64_t at = absl::ToUnixMicros(now);
  const int64_t bucket = at / length;
  const double into = static_cast<double>(at - bucket * length) / static_cast<double>(length);
  return {bucket, 1.0 - into};
}

// The most members one distinct count keeps (the most recently seen): a buyer with more cards
// than this in a window is past any threshold worth setting.
constexpr int kMaxMembers = 100;

// Distinct members over the trailing window, in one key: "member:seen_ms;member:seen_ms...".
// Each call drops members last seen before the window, records ARGV[1] (unless empty) as seen
// now, keeps the kMaxMembers most recent, and answers how many remain.
//   ARGV: member, now_ms, window_ms, max_members, ttl_ms
constexpr char kDistinctLua[] = R"lua(
local raw = redis.call('GET', KEYS[1])
local now = tonumber(ARGV[2])
local since = now - tonumber(ARGV[3])
local members = {}
local found = false
if raw then
  for member, at in string.gmatch(raw, '([^:;]+):(%d+)') do
    local seen = tonumber(at)
    if seen > since then
      if member == ARGV[1] then
        seen = now
        found = true
      end
      table.insert(members, {member, seen})
    end
  end
end
if ARGV[1] ~= '' and not found then table.insert(members, {ARGV[1], now}) end
table.sort(members, function(a, b) return a[2] > b[2] end)
while #members > tonumber(ARGV[4]) do table.remove(members) end
if #members == 0 then
  redis.call('DEL', KEYS[1])
  return 0
end
local parts = {}
for i, entry in ipairs(members) do parts[i] = entry[1] .. ':' .. entry[2] end
redis.call('SET', KEYS[1], table.concat(parts, ';'), 'PX', ARGV[5])
return #members
)lua";

int64_t Number(const std::string& text) {
  int64_t value = 0;
  return absl::SimpleAtoi(text, &value) ? value : 0;
}

kv::ScriptReply DistinctNative(kv::ScriptContext& context, std::span<const std::string> keys,
                               std::span<const std::string> args) {
  const std::string& added = args[0];
  const int64_t now = Number(args[1]);
  const int64_t since = now - Number(args[2]);
  std::vector<std::pair<std::string, int64_t>> members;
  bool found = false;
  if (std::optional<std::string> raw = context.Get(keys[0])) {
    for (absl::string_view entry : absl::StrSplit(*raw, ';', absl::SkipEmpty())) {
      const size_t colon = entry.rfind(':');
      if (colon == absl::string_view::npos) continue;
      int64_t seen = 0;
      if (!absl::SimpleAtoi(entry.substr(colon + 1), &seen) || seen <= since) continue;
      std::string member(entry.substr(0, colon));
      if (member == added) {
        seen = now;
        found = true;
      }
      members.emplace_back(std::move(member), seen);
    }
  }
  if (!added.empty() && !found) members.emplace_back(added, now);
  std::stable_sort(members.begin(), members.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  if (members.size() > static_cast<size_t>(Number(args[3]))) members.resize(Number(args[3]));
  if (members.empty()) {
    context.Delete(keys[0]);
    return kv::ScriptReply{int64_t{0}};
  }
  std::vector<std::string> parts;
  for (const auto& [member, seen] : members) parts.push_back(absl::StrCat(member, ":", seen));
  context.Set(keys[0], absl::StrJoin(parts, ";"), absl::Milliseconds(Number(args[4])));
  return kv::ScriptReply{static_cast<int64_t>(members.size())};
}

const kv::Script& DistinctScript() {
  static const kv::Script* script = new kv::Script{
      .name = "fraud_distinct", .lua = std::string(kDistinctLua), .native = &DistinctNative};
  return *script;
}

// A member as the distinct count keeps it: the separators of its format replaced.
std::string Member(const std::string& member) {
  std::string kept = member;
  for (char& c : kept) {
    if (c == ':' || c == ';') c = '_';
  }
  return kept;
}

class KeyValueRiskCounters final : public RiskCounters {
 public:
  explicit KeyValueRiskCounters(kv::KeyValueStore& store) : store_(store) {}

  absl::StatusOr<int64_t> Add(const std::string& key, int64_t amount, absl::Duration window,
                              absl::Time now) override {
    return Windowed(absl::StrCat("n:", key), amount, window, now);
  }

  absl::StatusOr<int64_t> AddDistinct(const std::string& key, const std::string& member,
                                      absl::Duration window, absl::Time now) override {
    const std::vector<std::string> keys = {
        absl::StrCat("fraud:d:", key, ":", absl::ToInt64Seconds(window))};
    const std::vector<std::string> args = {
        Member(member), absl::StrCat(absl::ToUnixMillis(now)),
        absl::StrCat(absl::ToInt64Milliseconds(window)), absl::StrCat(kMaxMembers),
        absl::StrCat(absl::ToInt64Milliseconds(window + absl::Minutes(1)))};
    TRAVIO_ASSIGN_OR_RETURN(kv::ScriptReply reply, store_.Run(DistinctScript(), keys, args));
    if (!std::holds_alternative<int64_t>(reply.value)) {
      return absl::InternalError("the distinct count answered something else than a number");
    }
    return reply.integer();
  }

  absl::StatusOr<bool> MarkOnce(const std::string& key, absl::Duration ttl) override {
    return store_.SetIfAbsent(absl::StrCat("fraud:m:", key), "1", ttl);
  }

  absl::Status Remember(const std::string& key, const std::string& value,
                        absl::Duration ttl) override {
    return store_.Set(absl::StrCat("fraud:r:", key), value, ttl);
  }

  absl::StatusOr<std::optional<std::string>> Recall(const std::string& key) override {
    return store_.Get(absl::StrCat("fraud:r:", key));
  }

 private:
  static std::string BucketKey(const std::string& key, absl::Duration window, int64_t bucket) {
    // The window's length is part of the key: a changed setting starts counting afresh rather
    // than reading buckets of another length.
    return absl::StrCat("fraud:", key, ":", absl::ToInt64Seconds(window), ":", bucket);
  }
  absl::StatusOr<int64_t> Windowed(const std::string& key, int64_t amount, absl::Duration window,
                                   absl::Time now) {
    const Position at = Locate(window, now);
    int64_t current = 0;
    if (amount != 0) {
      TRAVIO_ASSIGN_OR_RETURN(
          current, store_.Increment(BucketKey(key, window, at.bucket), amount, BucketTtl(window)));
    } else {
      TRAVIO_ASSIGN_OR_RETURN(current, Read(BucketKey(key, window, at.bucket)));
    }
    TRAVIO_ASSIGN_OR_RETURN(int64_t previous, Read(BucketKey(key, window, at.bucket - 1)));
    // Rounded up: a burst that straddles two buckets is never counted as less than it was.
    // Clamped: a count is a signal, never near int64's edge.
    const double weighed = std::ceil(static_cast<double>(previous) * at.previous_share);
    constexpr int64_t kMostCount = int64_t{1} << 50;
    return std::min(current, kMostCount) +
           static_cast<int64_t>(std::min(weighed, static_cast<double>(kMostCount)));
  }

  absl::StatusOr<int64_t> Read(const std::string& key) {
    TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> value, store_.Get(key));
    int64_t count = 0;
    if (value && !absl::SimpleAtoi(*value, &count)) count = 0;
    return count;
  }

  kv::KeyValueStore& store_;
};

}  // namespace

std::unique_ptr<RiskCounters> MakeKeyValueRiskCounters(kv::KeyValueStore& store) {
  return std::make_unique<KeyValueRiskCounters>(store);
}

}  // namespace travio::fraud
