#include "services/inventory/storage/redis/redis_hold_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/inventory/storage/hold_json.h"

namespace travio::inventory {
namespace {

using kv::Script;
using kv::ScriptReply;

// Every script that judges expiry reads the server's clock first (allowed before writes with
// effects replication, the only mode of Redis 7).
constexpr char kNow[] = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
)lua";

// A claim's status at `now`: nil for a hold that expired.
constexpr char kClaimStatus[] = R"lua(
local function claim_status(c, now)
  local kind = string.sub(c, 1, 1)
  if kind == 'b' then return 'booked' end
  if kind == 'k' then return 'blocked' end
  if tonumber(string.match(c, '|(%d+)$')) > now then return 'held' end
  return nil
end
local function clear_hold(claims, id, rec)
  local prefix = 'h|' .. id .. '|'
  for _, seat in ipairs(rec.seats) do
    for leg = rec.from, rec.to - 1 do
      local field = seat .. '|' .. leg
      local c = redis.call('HGET', claims, field)
      if c and string.sub(c, 1, #prefix) == prefix then redis.call('HDEL', claims, field) end
    end
  end
end
local function record_of(v) return cjson.decode(string.match(v, '^%d+|(.*)$')) end
)lua";

// KEYS meta claims holds expiry; ARGV hold id, ttl ms, stored hold, from, to, seats...
const Script& HoldScript() {
  static const Script script{"inventory.hold",
                             absl::StrCat(kNow, kClaimStatus, R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'trip_not_loaded'} end
local from, to = tonumber(ARGV[4]), tonumber(ARGV[5])
local taken = {}
for i = 6, #ARGV do
  local why = nil
  for leg = from, to - 1 do
    local c = redis.call('HGET', KEYS[2], ARGV[i] .. '|' .. leg)
    if c then why = claim_status(c, now) end
    if why then break end
  end
  if why then taken[#taken + 1] = (i - 6) .. '|' .. why end
end
if #taken > 0 then
  table.insert(taken, 1, 'seats_unavailable')
  return taken
end
local expires = now + tonumber(ARGV[2])
local claim = 'h|' .. ARGV[1] .. '|' .. expires
for i = 6, #ARGV do
  for leg = from, to - 1 do redis.call('HSET', KEYS[2], ARGV[i] .. '|' .. leg, claim) end
end
redis.call('HSET', KEYS[3], ARGV[1], '1|' .. ARGV[3])
redis.call('ZADD', KEYS[4], expires, ARGV[1])
return {'ok', tostring(expires)}
)lua"),
                             {}};
  return script;
}

// KEYS meta claims holds expiry; ARGV hold id.
const Script& ReleaseScript() {
  static const Script script{"inventory.release",
                             absl::StrCat(kNow, kClaimStatus, R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'trip_not_loaded'} end
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return {'hold_not_found'} end
if now >= tonumber(redis.call('ZSCORE', KEYS[4], ARGV[1])) then return {'hold_not_found'} end
local rec = record_of(v)
clear_hold(KEYS[2], ARGV[1], rec)
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return {'ok', rec.holder}
)lua"),
                             {}};
  return script;
}

// KEYS meta claims holds expiry; ARGV hold id, version, booking id, kind (b or k).
const Script& ConfirmScript() {
  static const Script script{"inventory.confirm",
                             absl::StrCat(kNow, kClaimStatus, R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'trip_not_loaded'} end
local v = redis.call('HGET', KEYS[3], ARGV[1])
if not v then return {'hold_not_found'} end
if now >= tonumber(redis.call('ZSCORE', KEYS[4], ARGV[1])) then return {'hold_expired'} end
if string.match(v, '^(%d+)|') ~= ARGV[2] then return {'hold_version_mismatch'} end
local rec = record_of(v)
local prefix = 'h|' .. ARGV[1] .. '|'
local claim = ARGV[4] .. '|' .. ARGV[3]
for _, seat in ipairs(rec.seats) do
  for leg = rec.from, rec.to - 1 do
    local field = seat .. '|' .. leg
    local c = redis.call('HGET', KEYS[2], field)
    if c and string.sub(c, 1, #prefix) == prefix then redis.call('HSET', KEYS[2], field, claim) end
  end
end
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
return {'ok', rec.holder}
)lua"),
                             {}};
  return script;
}

// KEYS meta claims; ARGV booking id, from, to, seats...
const Script& FreeScript() {
  static const Script script{"inventory.free",
                             R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'trip_not_loaded'} end
local mine = {['b|' .. ARGV[1]] = true, ['k|' .. ARGV[1]] = true}
for i = 4, #ARGV do
  for leg = tonumber(ARGV[2]), tonumber(ARGV[3]) - 1 do
    local field = ARGV[i] .. '|' .. leg
    if mine[redis.call('HGET', KEYS[2], field)] then redis.call('HDEL', KEYS[2], field) end
  end
end
return {'ok'}
)lua",
                             {}};
  return script;
}

// KEYS meta claims; ARGV from, to. Replies 'ok' then seat, status pairs.
const Script& ClaimsScript() {
  static const Script script{"inventory.claims",
                             absl::StrCat(kNow, kClaimStatus, R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'trip_not_loaded'} end
local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
local rank = {held = 1, booked = 2, blocked = 3}
local best = {}
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local seat, leg = string.match(all[i], '^(.*)|(%d+)$')
  leg = tonumber(leg)
  if leg >= from and leg < to then
    local s = claim_status(all[i + 1], now)
    if s and (not best[seat] or rank[s] > rank[best[seat]]) then best[seat] = s end
  end
end
local reply = {'ok'}
for seat, s in pairs(best) do
  reply[#reply + 1] = seat
  reply[#reply + 1] = s
end
return reply
)lua"),
                             {}};
  return script;
}

// KEYS meta claims holds expiry; ARGV limit. Replies hold id, stored value, expiry triples.
const Script& SweepScript() {
  static const Script script{"inventory.sweep",
                             absl::StrCat(kNow, kClaimStatus, R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {}
for _, id in ipairs(ids) do
  local v = redis.call('HGET', KEYS[3], id)
  if v then
    clear_hold(KEYS[2], id, record_of(v))
    redis.call('HDEL', KEYS[3], id)
    out[#out + 1] = id
    out[#out + 1] = v
    out[#out + 1] = redis.call('ZSCORE', KEYS[4], id)
  end
  redis.call('ZREM', KEYS[4], id)
end
return out
)lua"),
                             {}};
  return script;
}

// KEYS meta claims holds expiry; ARGV legs, then field, claim pairs. 1 when loaded now.
const Script& LoadScript() {
  static const Script script{"inventory.load",
                             R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[1], 'legs', ARGV[1])
return 1
)lua",
                             {}};
  return script;
}

// KEYS meta claims holds expiry. Replies hold id, stored value pairs of the holds dropped.
const Script& DropScript() {
  static const Script script{"inventory.drop",
                             R"lua(
local holds = redis.call('HGETALL', KEYS[3])
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return holds
)lua",
                             {}};
  return script;
}

// KEYS holds expiry; ARGV hold id. Replies the stored value and expiry, or nothing.
const Script& FindScript() {
  static const Script script{"inventory.find",
                             R"lua(
local v = redis.call('HGET', KEYS[1], ARGV[1])
if not v then return {} end
return {v, redis.call('ZSCORE', KEYS[2], ARGV[1])}
)lua",
                             {}};
  return script;
}

// KEYS holder; ARGV hold id, ttl ms, max holds. 1 when the holder may hold once more.
const Script& ReserveScript() {
  static const Script script{"inventory.reserve",
                             absl::StrCat(kNow, R"lua(
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) + 60000)
return 1
)lua"),
                             {}};
  return script;
}

// Small single-key commands the KeyValueStore port does not name.
const Script& ZRemScript() {
  static const Script script{"inventory.zrem", "return redis.call('ZREM', KEYS[1], ARGV[1])", {}};
  return script;
}
const Script& SAddScript() {
  static const Script script{"inventory.sadd", "return redis.call('SADD', KEYS[1], ARGV[1])", {}};
  return script;
}
const Script& SRemScript() {
  static const Script script{"inventory.srem", "return redis.call('SREM', KEYS[1], ARGV[1])", {}};
  return script;
}
const Script& SMembersScript() {
  static const Script script{"inventory.smembers", "return redis.call('SMEMBERS', KEYS[1])", {}};
  return script;
}

constexpr char kSweepSet[] = "inv:sweep";
// How long after its expiry a hold can still be found (to answer hold_expired, and sweep).
constexpr absl::Duration kIndexGrace = absl::Minutes(10);

absl::Status TripNotLoaded(const std::string& trip_id) {
  return Error(absl::StatusCode::kFailedPrecondition, "trip_not_loaded",
               "The hold store does not hold trip " + trip_id + ".");
}

absl::Status Unexpected(const std::string& script) {
  return absl::InternalError("unexpected reply from the " + script + " script");
}

// The first element of a script's array reply ('ok' or a reason).
std::string Verdict(const ScriptReply& reply) {
  if (!std::holds_alternative<ScriptReply::Array>(reply.value) || reply.array().empty()) {
    return "";
  }
  const ScriptReply& first = reply.array()[0];
  return std::holds_alternative<std::string>(first.value) ? first.text() : "";
}

std::string Text(const ScriptReply& reply) {
  if (std::holds_alternative<std::string>(reply.value)) return reply.text();
  if (std::holds_alternative<int64_t>(reply.value)) return std::to_string(reply.integer());
  return "";
}

class RedisHoldStore final : public HoldStore {
 public:
  explicit RedisHoldStore(kv::KeyValueStore& redis) : redis_(redis) {}

  absl::Status LoadTrip(const TripSeats& seats,
                        const std::vector<BookingRecord>& bookings) override {
    std::vector<std::string> args = {std::to_string(seats.stops.size() - 1)};
    for (const BookingRecord& booking : bookings) {
      const std::string claim = (booking.blocked ? "k|" : "b|") + booking.id;
      for (const std::string& seat : booking.seats) {
        for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
          args.push_back(absl::StrCat(seat, "|", leg));
          args.push_back(claim);
        }
      }
    }
    return redis_.Run(LoadScript(), TripKeys(seats.trip_id), args).status();
  }

  absl::Status DropTrip(const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(DropScript(), TripKeys(trip_id), {}));
    if (std::holds_alternative<ScriptReply::Array>(reply.value)) {
      const auto& items = reply.array();
      for (size_t i = 0; i + 1 < items.size(); i += 2) {
        auto record = Parse(Text(items[i + 1]), "0");
        if (record.ok()) TRAVIO_RETURN_IF_ERROR(Unindex(*record));
      }
    }
    const std::string key = kSweepSet;
    return redis_.Run(SRemScript(), std::span(&key, 1), std::vector<std::string>{trip_id}).status();
  }

  absl::StatusOr<HoldRecord> Hold(const HoldRecord& request, absl::Duration ttl,
                                  const HoldLimits& limits) override {
    const std::string ttl_ms = std::to_string(absl::ToInt64Milliseconds(ttl));
    const std::string& id = request.hold.id;
    const std::string holder_key = HolderKey(request.hold.holder);
    TRAVIO_ASSIGN_OR_RETURN(
        ScriptReply reserved,
        redis_.Run(ReserveScript(), std::span(&holder_key, 1),
                   std::vector<std::string>{id, ttl_ms, std::to_string(limits.max_holds)}));
    if (Text(reserved) != "1") {
      return Error(absl::StatusCode::kResourceExhausted, "hold_limit",
                   "You already hold seats in as many holds as allowed; release or buy them "
                   "first.");
    }
    HoldRecord record = request;
    record.hold.expires_at = absl::UnixEpoch();  // set by the server's clock
    record.hold.version = 1;
    std::vector<std::string> args = {id, ttl_ms, StoredHoldJson(record),
                                     std::to_string(request.hold.journey.from),
                                     std::to_string(request.hold.journey.to)};
    for (const std::string& seat : request.hold.seats) args.push_back(seat);
    absl::StatusOr<ScriptReply> reply = redis_.Run(HoldScript(), TripKeys(request.trip_id), args);
    const std::string verdict = reply.ok() ? Verdict(*reply) : "";
    if (verdict != "ok") {
      (void)ZRem(holder_key, id);  // the place taken among the holder's holds is given back
      if (!reply.ok()) return reply.status();
      if (verdict == "trip_not_loaded") return TripNotLoaded(request.trip_id);
      if (verdict == "seats_unavailable") return Unavailable(request, *reply);
      return Unexpected("hold");
    }
    int64_t expires_ms = 0;
    if (reply->array().size() < 2 || !absl::SimpleAtoi(Text(reply->array()[1]), &expires_ms)) {
      return Unexpected("hold");
    }
    record.hold.expires_at = absl::FromUnixMillis(expires_ms);
    TRAVIO_RETURN_IF_ERROR(redis_.Set(IndexKey(id), request.trip_id, ttl + kIndexGrace));
    const std::string sweep = kSweepSet;
    TRAVIO_RETURN_IF_ERROR(
        redis_.Run(SAddScript(), std::span(&sweep, 1), std::vector<std::string>{request.trip_id})
            .status());
    return record;
  }

  absl::StatusOr<std::optional<HoldRecord>> FindHold(const std::string& hold_id) override {
    TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> trip_id, redis_.Get(IndexKey(hold_id)));
    if (!trip_id) return std::nullopt;
    const std::vector<std::string> keys = {HoldsKey(*trip_id), ExpiryKey(*trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply,
                            redis_.Run(FindScript(), keys, std::vector<std::string>{hold_id}));
    if (!std::holds_alternative<ScriptReply::Array>(reply.value) || reply.array().size() < 2) {
      return std::nullopt;
    }
    TRAVIO_ASSIGN_OR_RETURN(HoldRecord record,
                            Parse(Text(reply.array()[0]), Text(reply.array()[1])));
    return record;
  }

  absl::Status Release(const std::string& trip_id, const std::string& hold_id) override {
    return Ending(ReleaseScript(), trip_id, hold_id, {hold_id});
  }

  absl::Status Confirm(const std::string& trip_id, const std::string& hold_id, int64_t version,
                       const std::string& booking_id, bool blocked) override {
    return Ending(ConfirmScript(), trip_id, hold_id,
                  {hold_id, std::to_string(version), booking_id, blocked ? "k" : "b"});
  }

  absl::Status Free(const std::string& trip_id, const std::string& booking_id,
                    const std::vector<std::string>& seats, const Journey& journey) override {
    std::vector<std::string> args = {booking_id, std::to_string(journey.from),
                                     std::to_string(journey.to)};
    for (const std::string& seat : seats) args.push_back(seat);
    const std::vector<std::string> keys = {MetaKey(trip_id), ClaimsKey(trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(FreeScript(), keys, args));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(trip_id);
    return verdict == "ok" ? absl::OkStatus() : Unexpected("free");
  }

  absl::StatusOr<std::map<std::string, SeatStatus>> Claims(const std::string& trip_id,
                                                           const Journey& journey) override {
    const std::vector<std::string> keys = {MetaKey(trip_id), ClaimsKey(trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply,
                            redis_.Run(ClaimsScript(), keys,
                                       std::vector<std::string>{std::to_string(journey.from),
                                                                std::to_string(journey.to)}));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(trip_id);
    if (verdict != "ok") return Unexpected("claims");
    std::map<std::string, SeatStatus> claims;
    const auto& items = reply.array();
    for (size_t i = 1; i + 1 < items.size(); i += 2) {
      const std::string status = Text(items[i + 1]);
      claims[Text(items[i])] = status == "blocked"  ? SeatStatus::kBlocked
                               : status == "booked" ? SeatStatus::kBooked
                                                    : SeatStatus::kHeld;
    }
    return claims;
  }

  absl::StatusOr<std::vector<HoldRecord>> SweepExpired(int limit) override {
    const std::string sweep = kSweepSet;
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply trips,
                            redis_.Run(SMembersScript(), std::span(&sweep, 1), {}));
    std::vector<HoldRecord> swept;
    if (!std::holds_alternative<ScriptReply::Array>(trips.value)) return swept;
    for (const ScriptReply& trip : trips.array()) {
      const int room = limit - static_cast<int>(swept.size());
      if (room <= 0) break;
      TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply,
                              redis_.Run(SweepScript(), TripKeys(Text(trip)),
                                         std::vector<std::string>{std::to_string(room)}));
      if (!std::holds_alternative<ScriptReply::Array>(reply.value)) continue;
      const auto& items = reply.array();
      for (size_t i = 0; i + 2 < items.size(); i += 3) {
        absl::StatusOr<HoldRecord> record = Parse(Text(items[i + 1]), Text(items[i + 2]));
        if (!record.ok()) continue;
        TRAVIO_RETURN_IF_ERROR(Unindex(*record));
        swept.push_back(*std::move(record));
      }
    }
    return swept;
  }

 private:
  static std::string Tag(const std::string& trip_id) { return "inv:{trip:" + trip_id + "}"; }
  static std::string MetaKey(const std::string& trip_id) { return Tag(trip_id) + ":meta"; }
  static std::string ClaimsKey(const std::string& trip_id) { return Tag(trip_id) + ":claims"; }
  static std::string HoldsKey(const std::string& trip_id) { return Tag(trip_id) + ":holds"; }
  static std::string ExpiryKey(const std::string& trip_id) { return Tag(trip_id) + ":expiry"; }
  static std::vector<std::string> TripKeys(const std::string& trip_id) {
    return RedisTripKeys(trip_id);
  }
  static std::string HolderKey(const std::string& holder) { return "inv:{holder:" + holder + "}"; }
  static std::string IndexKey(const std::string& hold_id) { return "inv:{hold:" + hold_id + "}"; }

  // A stored "<version>|<hold>" value and its expiry in unix milliseconds.
  static absl::StatusOr<HoldRecord> Parse(const std::string& value, const std::string& expiry) {
    const size_t bar = value.find('|');
    int64_t version = 0;
    int64_t expires_ms = 0;
    if (bar == std::string::npos || !absl::SimpleAtoi(value.substr(0, bar), &version) ||
        !absl::SimpleAtoi(expiry, &expires_ms)) {
      return absl::DataLossError("a stored hold does not parse");
    }
    TRAVIO_ASSIGN_OR_RETURN(HoldRecord record, StoredHoldFromJson(value.substr(bar + 1)));
    record.hold.version = version;
    record.hold.expires_at = absl::FromUnixMillis(expires_ms);
    return record;
  }

  static absl::Status Unavailable(const HoldRecord& request, const ScriptReply& reply) {
    std::vector<FieldError> errors;
    std::vector<std::string> labels;
    const auto& items = reply.array();
    for (size_t i = 1; i < items.size(); ++i) {
      std::pair<std::string, std::string> parts =
          absl::StrSplit(Text(items[i]), absl::MaxSplits('|', 1));
      size_t index = 0;
      if (!absl::SimpleAtoi(parts.first, &index) || index >= request.hold.seats.size()) {
        return Unexpected("hold");
      }
      labels.push_back(request.hold.seats[index]);
      errors.push_back(
          {absl::StrCat("seats[", index, "]"), absl::StrCat(labels.back(), " is ", parts.second)});
    }
    return WithFieldErrors(
        Error(absl::StatusCode::kAlreadyExists, "seats_unavailable",
              absl::StrCat("Not available for this journey: ", absl::StrJoin(labels, ", "), ".")),
        errors);
  }

  absl::Status Ending(const Script& script, const std::string& trip_id, const std::string& hold_id,
                      const std::vector<std::string>& args) {
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(script, TripKeys(trip_id), args));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(trip_id);
    if (verdict == "hold_not_found") {
      return Error(absl::StatusCode::kNotFound, "hold_not_found",
                   "No such hold: it was released, confirmed or has expired.");
    }
    if (verdict == "hold_expired") {
      return Error(absl::StatusCode::kFailedPrecondition, "hold_expired",
                   "The hold expired; its seats may have been sold since.");
    }
    if (verdict == "hold_version_mismatch") {
      return Error(absl::StatusCode::kAborted, "hold_version_mismatch",
                   "The hold changed since it was read.");
    }
    if (verdict != "ok" || reply.array().size() < 2) return Unexpected(script.name);
    TRAVIO_RETURN_IF_ERROR(ZRem(HolderKey(Text(reply.array()[1])), hold_id));
    return redis_.Delete(IndexKey(hold_id)).status();
  }

  absl::Status Unindex(const HoldRecord& record) {
    TRAVIO_RETURN_IF_ERROR(ZRem(HolderKey(record.hold.holder), record.hold.id));
    return redis_.Delete(IndexKey(record.hold.id)).status();
  }

  absl::Status ZRem(const std::string& key, const std::string& member) {
    return redis_.Run(ZRemScript(), std::span(&key, 1), std::vector<std::string>{member}).status();
  }

  kv::KeyValueStore& redis_;
};

}  // namespace

std::unique_ptr<HoldStore> MakeRedisHoldStore(kv::KeyValueStore& redis) {
  return std::make_unique<RedisHoldStore>(redis);
}

const kv::Script& RedisHoldScript() { return HoldScript(); }

std::vector<std::string> RedisTripKeys(const std::string& trip_id) {
  const std::string tag = "inv:{trip:" + trip_id + "}";
  return {tag + ":meta", tag + ":claims", tag + ":holds", tag + ":expiry"};
}

}  // namespace travio::inventory
