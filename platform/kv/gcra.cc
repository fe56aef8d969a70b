#include "platform/kv/gcra.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"

namespace travio::kv {
namespace {

// KEYS[1] the cell; ARGV: now, emission interval T, tolerance tau (T * quota), quantity, all
// in microseconds (below 2^53, exact in Lua's doubles). Replies {allowed, remaining,
// retry_after (-1: never), reset_after}.
constexpr std::string_view kGcraLua = R"lua(
local now = tonumber(ARGV[1])
local T = tonumber(ARGV[2])
local tau = tonumber(ARGV[3])
local q = tonumber(ARGV[4])
local tat = tonumber(redis.call('GET', KEYS[1]) or '')
if not tat or tat < now then tat = now end
local new_tat = tat + T * q
if new_tat - tau > now then
  local remaining = math.max(0, math.floor((tau - (tat - now)) / T))
  if T * q > tau then return {0, remaining, -1, tat - now} end
  return {0, remaining, new_tat - tau - now, tat - now}
end
if q > 0 then
  redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX',
             math.ceil((new_tat - now) / 1000) + 1)
end
return {1, math.floor((tau - (new_tat - now)) / T), 0, new_tat - now}
)lua";

int64_t Arg(std::span<const std::string> args, size_t i) {
  int64_t value = 0;
  (void)absl::SimpleAtoi(ToAbsl(args[i]), &value);
  return value;
}

ScriptReply Reply(int64_t allowed, int64_t remaining, int64_t retry_after, int64_t reset_after) {
  return ScriptReply{ScriptReply::Array{ScriptReply{allowed}, ScriptReply{remaining},
                                        ScriptReply{retry_after}, ScriptReply{reset_after}}};
}

// The Lua above, step for step, in integers.
ScriptReply GcraNative(ScriptContext& context, std::span<const std::string> keys,
                       std::span<const std::string> args) {
  const int64_t now = Arg(args, 0);
  const int64_t interval = Arg(args, 1);
  const int64_t tau = Arg(args, 2);
  const int64_t quantity = Arg(args, 3);
  int64_t tat = now;
  if (auto stored = context.Get(keys[0])) {
    int64_t value = 0;
    if (absl::SimpleAtoi(ToAbsl(*stored), &value)) tat = std::max(value, now);
  }
  const int64_t new_tat = tat + interval * quantity;
  if (new_tat - tau > now) {
    const int64_t remaining = std::max<int64_t>(0, (tau - (tat - now)) / interval);
    if (interval * quantity > tau) return Reply(0, remaining, -1, tat - now);
    return Reply(0, remaining, new_tat - tau - now, tat - now);
  }
  if (quantity > 0) {
    context.Set(keys[0], std::to_string(new_tat),
                absl::Milliseconds((new_tat - now + 999) / 1000 + 1));
  }
  return Reply(1, (tau - (new_tat - now)) / interval, 0, new_tat - now);
}

const Script& GcraScript() {
  static const Script* script =
      new Script{.name = "gcra", .lua = std::string(kGcraLua), .native = &GcraNative};
  return *script;
}

}  // namespace

absl::StatusOr<RateDecision> Gcra::Take(std::string_view key, const Rate& rate,
                                        int64_t quantity) const {
  if (quantity < 0) return absl::InvalidArgumentError("quantity must not be negative");
  if (rate.unlimited()) return RateDecision{.allowed = true, .remaining = 0};
  const int64_t period = absl::ToInt64Microseconds(rate.period);
  const int64_t interval = std::max<int64_t>(1, period / rate.quota);
  const std::vector<std::string> keys = {std::string(key)};
  const std::vector<std::string> args = {
      std::to_string(absl::ToUnixMicros(clock_.Now())), std::to_string(interval),
      std::to_string(interval * rate.quota), std::to_string(quantity)};
  TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, store_.Run(GcraScript(), keys, args));
  const auto* values = std::get_if<ScriptReply::Array>(&reply.value);
  if (values == nullptr || values->size() != 4) {
    return absl::InternalError("gcra script answered an unexpected shape");
  }
  for (const ScriptReply& value : *values) {
    if (!std::holds_alternative<int64_t>(value.value)) {
      return absl::InternalError("gcra script answered a non-integer");
    }
  }
  const int64_t retry_after = (*values)[2].integer();
  return RateDecision{
      .allowed = (*values)[0].integer() == 1,
      .remaining = (*values)[1].integer(),
      .retry_after = retry_after < 0 ? absl::InfiniteDuration() : absl::Microseconds(retry_after),
      .reset_after = absl::Microseconds((*values)[3].integer())};
}

}  // namespace travio::kv
