#include "services/gateway/security/hold_budget.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/base/absl_interop.h"

namespace travio::gateway {
namespace {

constexpr std::string_view kHoldBudgetLua = R"lua(
local function live(key, now)
  local entries, seats, soonest = {}, 0, nil
  local value = redis.call('GET', key)
  if value then
    for id, exp, n in string.gmatch(value, '([^:;]+):(%d+):(%d+)') do
      exp = tonumber(exp)
      if exp > now then
        entries[#entries + 1] = {id, exp, tonumber(n)}
        seats = seats + tonumber(n)
        if not soonest or exp < soonest then soonest = exp end
      end
    end
  end
  return entries, seats, soonest
end
local function store(key, entries, now)
  if #entries == 0 then redis.call('DEL', key) return end
  local parts, last = {}, now
  for i, e in ipairs(entries) do
    parts[i] = e[1] .. ':' .. string.format('%d', e[2]) .. ':' .. string.format('%d', e[3])
    if e[2] > last then last = e[2] end
  end
  redis.call('SET', key, table.concat(parts, ';'), 'PX', math.floor(last - now) + 1000)
end
if ARGV[1] == 'drop' then
  local now = tonumber(ARGV[3])
  for k = 1, 2 do
    local entries = live(KEYS[k], now)
    local kept = {}
    for _, e in ipairs(entries) do if e[1] ~= ARGV[2] then kept[#kept + 1] = e end end
    store(KEYS[k], kept, now)
  end
  return {1}
end
local now, id, exp, n = tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
local lists = {}
for k = 1, 2 do
  local entries, seats, soonest = live(KEYS[k], now)
  if seats + n > tonumber(ARGV[5 + k]) then
    return {0, k, math.floor((soonest or now) - now)}
  end
  lists[k] = entries
end
for k = 1, 2 do
  lists[k][#lists[k] + 1] = {id, exp, n}
  store(KEYS[k], lists[k], now)
end
return {1}
)lua";

struct Entry {
  std::string id;
  int64_t expires_ms = 0;
  int64_t seats = 0;
};

int64_t Number(std::string_view text) {
  int64_t value = 0;
  (void)absl::SimpleAtoi(ToAbsl(text), &value);
  return value;
}

// The live entries of `key` at `now`, their seats and the soonest end.
std::vector<Entry> Live(kv::ScriptContext& context, const std::string& key, int64_t now,
                        int64_t& seats, int64_t& soonest) {
  std::vector<Entry> entries;
  seats = 0;
  soonest = -1;
  std::optional<std::string> value = context.Get(key);
  if (!value) return entries;
  for (absl::string_view part : absl::StrSplit(*value, ';', absl::SkipEmpty())) {
    std::vector<absl::string_view> fields = absl::StrSplit(part, ':');
    if (fields.size() != 3) continue;
    Entry entry{std::string(fields[0]), Number(ToStd(fields[1])), Number(ToStd(fields[2]))};
    if (entry.expires_ms <= now) continue;
    seats += entry.seats;
    if (soonest < 0 || entry.expires_ms < soonest) soonest = entry.expires_ms;
    entries.push_back(std::move(entry));
  }
  return entries;
}

void Store(kv::ScriptContext& context, const std::string& key, const std::vector<Entry>& entries,
           int64_t now) {
  if (entries.empty()) {
    context.Delete(key);
    return;
  }
  std::vector<std::string> parts;
  int64_t last = now;
  for (const Entry& entry : entries) {
    parts.push_back(entry.id + ":" + std::to_string(entry.expires_ms) + ":" +
                    std::to_string(entry.seats));
    last = std::max(last, entry.expires_ms);
  }
  context.Set(key, absl::StrJoin(parts, ";"), absl::Milliseconds(last - now + 1000));
}

kv::ScriptReply Reply(std::vector<int64_t> values) {
  kv::ScriptReply::Array array;
  for (int64_t value : values) array.push_back(kv::ScriptReply{value});
  return kv::ScriptReply{std::move(array)};
}

kv::ScriptReply HoldBudgetNative(kv::ScriptContext& context, std::span<const std::string> keys,
                                 std::span<const std::string> args) {
  int64_t seats = 0;
  int64_t soonest = 0;
  if (args[0] == "drop") {
    const int64_t now = Number(args[2]);
    for (int k = 0; k < 2; ++k) {
      std::vector<Entry> entries = Live(context, keys[k], now, seats, soonest);
      std::erase_if(entries, [&](const Entry& entry) { return entry.id == args[1]; });
      Store(context, keys[k], entries, now);
    }
    return Reply({1});
  }
  const int64_t now = Number(args[1]);
  const Entry added{args[2], Number(args[3]), Number(args[4])};
  std::vector<Entry> lists[2];
  for (int k = 0; k < 2; ++k) {
    lists[k] = Live(context, keys[k], now, seats, soonest);
    if (seats + added.seats > Number(args[5 + k])) {
      return Reply({0, k + 1, (soonest < 0 ? now : soonest) - now});
    }
  }
  for (int k = 0; k < 2; ++k) {
    lists[k].push_back(added);
    Store(context, keys[k], lists[k], now);
  }
  return Reply({1});
}

}  // namespace

const kv::Script& HoldBudgetScript() {
  static const kv::Script* script = new kv::Script{
      .name = "hold_budget", .lua = std::string(kHoldBudgetLua), .native = &HoldBudgetNative};
  return *script;
}

}  // namespace travio::gateway
