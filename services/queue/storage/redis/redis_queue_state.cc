#include "services/queue/storage/redis/redis_queue_state.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"

namespace travio::queue {
namespace {

using kv::Script;
using kv::ScriptReply;

// Shared by every script: the record codec, and a ticket's reply (its position computed from
// the draw for a pre-queue ticket once the room has opened).
constexpr char kCommon[] = R"lua(
local function split(s)
  local f = {}
  for part in (s .. '|'):gmatch('([^|]*)|') do f[#f + 1] = part end
  return f
end
local function decode(s)
  local f = split(s)
  return {subject = f[1], pos = tonumber(f[2]), status = f[3], joined = tonumber(f[4]),
          seen = tonumber(f[5]), ends = tonumber(f[6]), lot = tonumber(f[7])}
end
local function encode(t)
  return t.subject .. '|' .. string.format('%d', t.pos) .. '|' .. t.status .. '|' ..
         string.format('%d', t.joined) .. '|' .. string.format('%d', t.seen) .. '|' ..
         string.format('%d', t.ends) .. '|' .. string.format('%d', t.lot)
end
local function position(id, t)
  if t.pos > 0 then return t.pos end
  if redis.call('HGET', KEYS[1], 'opened') ~= '1' then return 0 end
  local rank = redis.call('ZRANK', KEYS[4], id)
  if rank then return rank + 1 end
  return 0
end
local function reply(id, t)
  return {id, t.subject, string.format('%d', position(id, t)), t.status,
          string.format('%d', t.joined), string.format('%d', t.seen),
          string.format('%d', t.ends), string.format('%d', t.lot)}
end
local function meta(field) return tonumber(redis.call('HGET', KEYS[1], field) or '0') end
-- A waiting ticket whose caller fell silent loses its place (and, before the opening, its draw).
local function expire(id, t)
  t.status = 'expired'
  redis.call('HINCRBY', KEYS[1], 'expired', 1)
  redis.call('HINCRBY', KEYS[1], 'waiting', -1)
  if t.pos == 0 and redis.call('HGET', KEYS[1], 'opened') ~= '1' then
    redis.call('ZREM', KEYS[4], id)
  end
  if redis.call('HGET', KEYS[3], t.subject) == id then redis.call('HDEL', KEYS[3], t.subject) end
  redis.call('HSET', KEYS[2], id, encode(t))
end
)lua";

// ARGV: subject, new ticket, lottery, now, position ttl.
constexpr char kJoin[] = R"lua(
local now = tonumber(ARGV[4])
local live = redis.call('HGET', KEYS[3], ARGV[1])
if live then
  local rec = redis.call('HGET', KEYS[2], live)
  if rec then
    local t = decode(rec)
    if t.status ~= 'waiting' or now - t.seen <= tonumber(ARGV[5]) then
      t.seen = now
      redis.call('HSET', KEYS[2], live, encode(t))
      return reply(live, t)
    end
    expire(live, t)
  end
end
local id = ARGV[2]
local t = {subject = ARGV[1], pos = 0, status = 'waiting', joined = now, seen = now, ends = 0,
           lot = 0}
if redis.call('HGET', KEYS[1], 'opened') == '1' then
  t.pos = redis.call('HINCRBY', KEYS[1], 'issued', 1)
  redis.call('HSET', KEYS[5], t.pos, id)
else
  t.lot = tonumber(ARGV[3])
  redis.call('ZADD', KEYS[4], ARGV[3], id)
  redis.call('HINCRBY', KEYS[1], 'pre', 1)
end
redis.call('HINCRBY', KEYS[1], 'waiting', 1)
redis.call('HSET', KEYS[2], id, encode(t))
redis.call('HSET', KEYS[3], ARGV[1], id)
return reply(id, t)
)lua";

// ARGV: ticket, now, position ttl.
constexpr char kPoll[] = R"lua(
local id = ARGV[1]
local now = tonumber(ARGV[2])
local rec = redis.call('HGET', KEYS[2], id)
if not rec then return false end
local t = decode(rec)
if t.status == 'waiting' and now - t.seen > tonumber(ARGV[3]) then
  expire(id, t)
else
  t.seen = now
  redis.call('HSET', KEYS[2], id, encode(t))
end
return reply(id, t)
)lua";

// ARGV: now.
constexpr char kOpen[] = R"lua(
if redis.call('HGET', KEYS[1], 'opened') == '1' then return 0 end
local drawn = redis.call('ZCARD', KEYS[4])
redis.call('HSET', KEYS[1], 'opened', '1', 'opened_at', ARGV[1], 'drawn', drawn, 'issued', drawn,
           'wmin', -1, 'wadm', 0)
return 1
)lua";

// ARGV: now, admit per minute, max active, position ttl, session, most passed over. The inlet of
// services/queue/domain/inlet.cc (AdmissionBudget), step for step.
constexpr char kAdvance[] = R"lua(
if redis.call('HGET', KEYS[1], 'opened') ~= '1' then return {0, 0, 0} end
local now = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local max_active = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
local session = tonumber(ARGV[5])
local active = meta('active')
local ended = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now)) do
  local t = decode(redis.call('HGET', KEYS[2], id))
  t.status = 'done'
  redis.call('HSET', KEYS[2], id, encode(t))
  if redis.call('HGET', KEYS[3], t.subject) == id then redis.call('HDEL', KEYS[3], t.subject) end
  redis.call('ZREM', KEYS[6], id)
  active = active - 1
  ended = ended + 1
end
local elapsed = now - meta('opened_at')
if elapsed < 0 then
  redis.call('HSET', KEYS[1], 'active', active)
  return {0, 0, ended}
end
local minute = math.floor(elapsed / 60000000)
local wmin = meta('wmin')
local wadm = meta('wadm')
if minute ~= wmin then wmin = minute; wadm = 0 end
local into_ms = math.floor((elapsed % 60000000) / 1000)
local paced = math.min(rate, math.floor(rate * into_ms / 60000) + 1)
local budget = math.max(0, math.min(paced - wadm, max_active - active))
local serving = meta('serving')
local issued = meta('issued')
local drawn = meta('drawn')
local waiting = meta('waiting')
local admitted, expired, passed_over = 0, 0, 0
while budget > 0 and serving < issued and passed_over < tonumber(ARGV[6]) do
  serving = serving + 1
  local id
  if serving <= drawn then
    id = redis.call('ZRANGE', KEYS[4], serving - 1, serving - 1)[1]
  else
    id = redis.call('HGET', KEYS[5], serving)
  end
  local t = decode(redis.call('HGET', KEYS[2], id))
  if t.status == 'waiting' then
    waiting = waiting - 1
    if now - t.seen > ttl then
      t.status = 'expired'
      expired = expired + 1
      passed_over = passed_over + 1
      if redis.call('HGET', KEYS[3], t.subject) == id then
        redis.call('HDEL', KEYS[3], t.subject)
      end
    else
      t.status = 'admitted'
      t.ends = now + session
      redis.call('ZADD', KEYS[6], string.format('%d', t.ends), id)
      active = active + 1
      admitted = admitted + 1
      wadm = wadm + 1
      budget = budget - 1
    end
    redis.call('HSET', KEYS[2], id, encode(t))
  else
    passed_over = passed_over + 1
  end
end
redis.call('HSET', KEYS[1], 'active', active, 'serving', serving, 'waiting', waiting,
           'wmin', wmin, 'wadm', wadm)
redis.call('HINCRBY', KEYS[1], 'admitted', admitted)
redis.call('HINCRBY', KEYS[1], 'expired', expired)
return {admitted, expired, ended}
)lua";

// ARGV: subject.
constexpr char kEndSession[] = R"lua(
local id = redis.call('HGET', KEYS[3], ARGV[1])
if not id then return 0 end
local t = decode(redis.call('HGET', KEYS[2], id))
if t.status ~= 'admitted' then return 0 end
t.status = 'done'
redis.call('HSET', KEYS[2], id, encode(t))
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[6], id)
redis.call('HINCRBY', KEYS[1], 'active', -1)
return 1
)lua";

constexpr char kCounters[] = R"lua(
local fields = {'opened', 'opened_at', 'pre', 'issued', 'serving', 'active', 'admitted',
                'expired', 'waiting', 'wmin', 'wadm'}
local values = {}
for i, field in ipairs(fields) do
  values[i] = redis.call('HGET', KEYS[1], field) or (field == 'wmin' and '-1' or '0')
end
return values
)lua";

constexpr char kDrop[] = R"lua(
return redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6])
)lua";

Script Make(const char* name, const char* body) {
  return Script{.name = name, .lua = absl::StrCat(kCommon, body), .native = nullptr};
}

std::vector<std::string> RoomKeys(const std::string& room_id) {
  const std::string prefix = absl::StrCat("queue:{room:", room_id, "}:");
  return {prefix + "meta", prefix + "tickets", prefix + "subjects",
          prefix + "pre",  prefix + "pos",     prefix + "sessions"};
}

std::string MicrosText(absl::Time time) { return std::to_string(absl::ToUnixMicros(time)); }
std::string MicrosText(absl::Duration duration) {
  return std::to_string(absl::ToInt64Microseconds(duration));
}

int64_t Number(const ScriptReply& reply) {
  if (const auto* value = std::get_if<int64_t>(&reply.value)) return *value;
  int64_t number = 0;
  if (const auto* text = std::get_if<std::string>(&reply.value)) {
    (void)absl::SimpleAtoi(*text, &number);
  }
  return number;
}

absl::StatusOr<QueueTicket> ToTicket(const ScriptReply& reply) {
  const auto* fields = std::get_if<ScriptReply::Array>(&reply.value);
  if (fields == nullptr || fields->size() != 8) {
    return absl::InternalError("queue script answered an unexpected ticket");
  }
  auto status = ParseName(kTicketStatusNames, (*fields)[3].text());
  if (!status) return absl::InternalError("queue script answered an unknown status");
  return QueueTicket{.ticket = (*fields)[0].text(),
                     .subject = (*fields)[1].text(),
                     .position = Number((*fields)[2]),
                     .status = *status,
                     .joined_at = absl::FromUnixMicros(Number((*fields)[4])),
                     .last_seen = absl::FromUnixMicros(Number((*fields)[5])),
                     .session_ends_at = absl::FromUnixMicros(Number((*fields)[6])),
                     .lottery = static_cast<uint64_t>(Number((*fields)[7]))};
}

class RedisQueueState final : public QueueState {
 public:
  explicit RedisQueueState(kv::KeyValueStore& redis)
      : redis_(redis),
        join_(Make("queue_join", kJoin)),
        poll_(Make("queue_poll", kPoll)),
        open_(Make("queue_open", kOpen)),
        advance_(Make("queue_advance", kAdvance)),
        end_session_(Make("queue_end_session", kEndSession)),
        counters_(Make("queue_counters", kCounters)),
        drop_(Make("queue_drop", kDrop)) {}

  absl::StatusOr<QueueTicket> Join(const std::string& room_id, const std::string& subject,
                                   const std::string& new_ticket, uint64_t lottery, absl::Time now,
                                   absl::Duration position_ttl) override {
    TRAVIO_ASSIGN_OR_RETURN(
        ScriptReply reply,
        redis_.Run(
            join_, RoomKeys(room_id),
            std::vector<std::string>{subject, new_ticket, std::to_string(lottery & kLotteryMask),
                                     MicrosText(now), MicrosText(position_ttl)}));
    return ToTicket(reply);
  }

  absl::StatusOr<std::optional<QueueTicket>> Poll(const std::string& room_id,
                                                  const std::string& ticket, absl::Time now,
                                                  absl::Duration position_ttl) override {
    TRAVIO_ASSIGN_OR_RETURN(
        ScriptReply reply,
        redis_.Run(poll_, RoomKeys(room_id),
                   std::vector<std::string>{ticket, MicrosText(now), MicrosText(position_ttl)}));
    if (reply.is_nil()) return std::nullopt;
    TRAVIO_ASSIGN_OR_RETURN(QueueTicket polled, ToTicket(reply));
    return polled;
  }

  absl::Status Open(const std::string& room_id, absl::Time now) override {
    return redis_.Run(open_, RoomKeys(room_id), std::vector<std::string>{MicrosText(now)}).status();
  }

  absl::StatusOr<InletResult> Advance(const std::string& room_id, absl::Time now,
                                      const InletRules& rules) override {
    TRAVIO_ASSIGN_OR_RETURN(
        ScriptReply reply,
        redis_.Run(advance_, RoomKeys(room_id),
                   std::vector<std::string>{
                       MicrosText(now), std::to_string(rules.admit_per_minute),
                       std::to_string(rules.max_active), MicrosText(rules.position_ttl),
                       MicrosText(rules.session), std::to_string(kMaxPassedOver)}));
    const auto* values = std::get_if<ScriptReply::Array>(&reply.value);
    if (values == nullptr || values->size() != 3) {
      return absl::InternalError("queue advance answered an unexpected shape");
    }
    return InletResult{.admitted = Number((*values)[0]),
                       .expired = Number((*values)[1]),
                       .ended = Number((*values)[2])};
  }

  absl::StatusOr<bool> EndSession(const std::string& room_id, const std::string& subject) override {
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(end_session_, RoomKeys(room_id),
                                                          std::vector<std::string>{subject}));
    return Number(reply) == 1;
  }

  absl::StatusOr<RoomCounters> Counters(const std::string& room_id) override {
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply,
                            redis_.Run(counters_, RoomKeys(room_id), std::vector<std::string>{}));
    const auto* values = std::get_if<ScriptReply::Array>(&reply.value);
    if (values == nullptr || values->size() != 11) {
      return absl::InternalError("queue counters answered an unexpected shape");
    }
    auto at = [&](size_t i) { return Number((*values)[i]); };
    return RoomCounters{.opened = at(0) == 1,
                        .opened_at = absl::FromUnixMicros(at(1)),
                        .pre_queue = at(2),
                        .issued = at(3),
                        .serving = at(4),
                        .active = at(5),
                        .admitted_total = at(6),
                        .expired_total = at(7),
                        .waiting = at(8),
                        .window = InletWindow{.minute = at(9), .admitted = at(10)}};
  }

  absl::Status Drop(const std::string& room_id) override {
    return redis_.Run(drop_, RoomKeys(room_id), std::vector<std::string>{}).status();
  }

 private:
  static constexpr uint64_t kLotteryMask = (uint64_t{1} << 53) - 1;

  kv::KeyValueStore& redis_;
  Script join_, poll_, open_, advance_, end_session_, counters_, drop_;
};

}  // namespace

std::unique_ptr<QueueState> MakeRedisQueueState(kv::KeyValueStore& redis) {
  return std::make_unique<RedisQueueState>(redis);
}

}  // namespace travio::queue
