#include "services/inventory/storage/redis/redis_hold_scripts.h"

#include "absl/strings/str_cat.h"

namespace travio::inventory {
namespace {

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

}  // namespace

using kv::Script;

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

// KEYS meta claims; ARGV claim (b|id or k|id), from, to, seats... Replies 'ok' and how many
// seat-legs it claimed (over holds, never over another booking or block).
const Script& EnsureBookedScript() {
  static const Script script{"inventory.ensure_booked",
                             R"lua(
if redis.call('EXISTS', KEYS[1]) == 0 then return {'trip_not_loaded'} end
local changed = 0
for i = 4, #ARGV do
  for leg = tonumber(ARGV[2]), tonumber(ARGV[3]) - 1 do
    local field = ARGV[i] .. '|' .. leg
    local c = redis.call('HGET', KEYS[2], field)
    if c ~= ARGV[1] and (not c or string.sub(c, 1, 1) == 'h') then
      redis.call('HSET', KEYS[2], field, ARGV[1])
      changed = changed + 1
    end
  end
end
return {'ok', changed}
)lua",
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

// KEYS meta claims holds expiry; ARGV limit. Replies the earliest expiry left ('' for none),
// then hold id, stored value, expiry triples.
const Script& SweepScript() {
  static const Script script{"inventory.sweep",
                             absl::StrCat(kNow, kClaimStatus, R"lua(
local ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
local out = {''}
for _, id in ipairs(ids) do
  local v = redis.call('HGET', KEYS[3], id)
  if v then
    clear_hold(KEYS[2], id, record_of(v))
    redis.call('HDEL', KEYS[3], id)
    out[#out + 1] = id
    out[#out + 1] = v
    out[#out + 1] = math.floor(tonumber(redis.call('ZSCORE', KEYS[4], id)))
  end
  redis.call('ZREM', KEYS[4], id)
end
local earliest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
if earliest[2] then out[1] = math.floor(tonumber(earliest[2])) end
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
local expires = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not v or not expires then return {} end
return {v, math.floor(tonumber(expires))}
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

// KEYS expiry. Replies the earliest expiry of the trip's holds, or nothing.
const Script& NextExpiryScript() {
  static const Script script{"inventory.next_expiry",
                             R"lua(
local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if earliest[2] then return math.floor(tonumber(earliest[2])) end
return false
)lua",
                             {}};
  return script;
}

// KEYS due; ARGV limit. Replies the trips with a hold expired by the server's clock.
const Script& DueTripsScript() {
  static const Script script{"inventory.due_trips",
                             absl::StrCat(kNow, R"lua(
return redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
)lua"),
                             {}};
  return script;
}

// KEYS due; ARGV expiry, trip. Names the trip as due at the expiry unless due sooner.
const Script& DueAtScript() {
  static const Script script{
      "inventory.due_at", "return redis.call('ZADD', KEYS[1], 'LT', ARGV[1], ARGV[2])", {}};
  return script;
}

// KEYS due; ARGV expiry, trip. Names the trip as due at the expiry.
const Script& DueNextScript() {
  static const Script script{
      "inventory.due_next", "return redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])", {}};
  return script;
}

// Small single-key commands the KeyValueStore port does not name.
const Script& ZRemScript() {
  static const Script script{"inventory.zrem", "return redis.call('ZREM', KEYS[1], ARGV[1])", {}};
  return script;
}

}  // namespace travio::inventory
