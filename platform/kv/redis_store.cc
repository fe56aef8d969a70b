#include "platform/kv/redis_store.h"

#include <hiredis/hiredis.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/status_macros.h"
#include "platform/kv/redis_pool.h"
#include "platform/kv/redis_reply.h"
#include "platform/kv/script_digest.h"

namespace travio::kv {
namespace {

// A lock is released only by its holder: GET and DEL must not be split by another client.
constexpr std::string_view kCompareAndDeleteLua = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
)lua";

// Creating the key as "0" with the ttl first applies the ttl only to a key this call creates
// (INCRBY keeps an existing expiry). pcall hands INCRBY's own error back unwrapped ("not an
// integer", "would overflow"). The result is read back with GET because Lua numbers are doubles:
// INCRBY's integer reply would lose precision beyond 2^53 on its way through the script.
constexpr std::string_view kIncrementLua = R"lua(
if ARGV[2] ~= '0' then
  redis.call('SET', KEYS[1], '0', 'NX', 'PX', ARGV[2])
end
local result = redis.pcall('INCRBY', KEYS[1], ARGV[1])
if type(result) == 'table' and result.err then
  return result
end
return redis.call('GET', KEYS[1])
)lua";

// Redis expires in whole milliseconds: rounding up keeps a sub-millisecond ttl from turning
// into 0, which means "forever" here and is an error for PX.
absl::StatusOr<int64_t> TtlMillis(absl::Duration ttl) {
  if (ttl < absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ttl must not be negative, got ", absl::FormatDuration(ttl)));
  }
  if (ttl == absl::InfiniteDuration()) return 0;
  return absl::ToInt64Milliseconds(absl::Ceil(ttl, absl::Milliseconds(1)));
}

absl::Status NotError(const redisReply& reply) {
  return reply.type == REDIS_REPLY_ERROR ? ErrorReplyStatus(reply) : absl::OkStatus();
}

std::string_view Text(const redisReply& reply) { return std::string_view(reply.str, reply.len); }

class RedisStore final : public KeyValueStore {
 public:
  explicit RedisStore(std::unique_ptr<RedisPool> pool)
      : pool_(std::move(pool)),
        compare_and_delete_sha_(ScriptSha1(kCompareAndDeleteLua)),
        increment_sha_(ScriptSha1(kIncrementLua)) {}

  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    const std::string_view args[] = {"GET", key};
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Execute(args, Retry::kIdempotent));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    if (reply->type == REDIS_REPLY_NIL) return std::nullopt;
    if (reply->type != REDIS_REPLY_STRING) return UnexpectedReply("GET", *reply);
    return std::string(Text(*reply));
  }

  absl::Status Set(std::string_view key, std::string_view value, absl::Duration ttl) override {
    TRAVIO_ASSIGN_OR_RETURN(const int64_t ttl_ms, TtlMillis(ttl));
    const std::string ttl_text = absl::StrCat(ttl_ms);
    std::vector<std::string_view> args = {"SET", key, value};
    if (ttl_ms > 0) args.insert(args.end(), {"PX", ttl_text});
    // Not retried after a lost reply: the retry could overwrite a newer value or revive a key
    // deleted in between.
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Execute(args, Retry::kIfUnsent));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    if (reply->type != REDIS_REPLY_STATUS) return UnexpectedReply("SET", *reply);
    return absl::OkStatus();
  }

  absl::StatusOr<bool> SetIfAbsent(std::string_view key, std::string_view value,
                                   absl::Duration ttl) override {
    TRAVIO_ASSIGN_OR_RETURN(const int64_t ttl_ms, TtlMillis(ttl));
    const std::string ttl_text = absl::StrCat(ttl_ms);
    std::vector<std::string_view> args = {"SET", key, value, "NX"};
    if (ttl_ms > 0) args.insert(args.end(), {"PX", ttl_text});
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Execute(args, Retry::kIfUnsent));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    if (reply->type == REDIS_REPLY_NIL) return false;
    if (reply->type != REDIS_REPLY_STATUS) return UnexpectedReply("SET NX", *reply);
    return true;
  }

  absl::StatusOr<bool> CompareAndDelete(std::string_view key, std::string_view expected) override {
    const std::string_view keys[] = {key};
    const std::string_view args[] = {expected};
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply,
                            Eval(kCompareAndDeleteLua, compare_and_delete_sha_, keys, args));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    if (reply->type != REDIS_REPLY_INTEGER) return UnexpectedReply("compare-and-delete", *reply);
    return reply->integer > 0;
  }

  absl::StatusOr<bool> Delete(std::string_view key) override {
    const std::string_view args[] = {"DEL", key};
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Execute(args, Retry::kIfUnsent));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    if (reply->type != REDIS_REPLY_INTEGER) return UnexpectedReply("DEL", *reply);
    return reply->integer > 0;
  }

  absl::StatusOr<int64_t> Increment(std::string_view key, int64_t delta,
                                    absl::Duration ttl) override {
    TRAVIO_ASSIGN_OR_RETURN(const int64_t ttl_ms, TtlMillis(ttl));
    const std::string delta_text = absl::StrCat(delta);
    const std::string ttl_text = absl::StrCat(ttl_ms);
    const std::string_view keys[] = {key};
    const std::string_view args[] = {delta_text, ttl_text};
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, Eval(kIncrementLua, increment_sha_, keys, args));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    int64_t value = 0;
    if (reply->type != REDIS_REPLY_STRING || !absl::SimpleAtoi(ToAbsl(Text(*reply)), &value)) {
      return UnexpectedReply("increment", *reply);
    }
    return value;
  }

  absl::StatusOr<std::optional<absl::Duration>> Ttl(std::string_view key) override {
    const std::string_view args[] = {"PTTL", key};
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Execute(args, Retry::kIdempotent));
    TRAVIO_RETURN_IF_ERROR(NotError(*reply));
    if (reply->type != REDIS_REPLY_INTEGER) return UnexpectedReply("PTTL", *reply);
    // -2: no such key, -1: no expiry.
    if (reply->integer < 0) return std::nullopt;
    return absl::Milliseconds(reply->integer);
  }

  absl::StatusOr<ScriptReply> Run(const Script& script, std::span<const std::string> keys,
                                  std::span<const std::string> args) override {
    if (script.lua.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("script '", script.name, "' has no Lua"));
    }
    const std::vector<std::string_view> key_views(keys.begin(), keys.end());
    const std::vector<std::string_view> arg_views(args.begin(), args.end());
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply,
                            Eval(script.lua, ScriptSha1(script.lua), key_views, arg_views));
    absl::StatusOr<ScriptReply> converted = ToScriptReply(*reply);
    if (!converted.ok()) {
      return absl::Status(
          converted.status().code(),
          absl::StrCat("script '", script.name, "': ", converted.status().message()));
    }
    return converted;
  }

 private:
  // EVALSHA first, so the script text travels only when the server has not cached it yet
  // (first use, restart, SCRIPT FLUSH). NOSCRIPT means nothing ran, so EVAL is always safe.
  absl::StatusOr<ReplyPtr> Eval(std::string_view lua, std::string_view sha,
                                std::span<const std::string_view> keys,
                                std::span<const std::string_view> args) {
    const std::string key_count = absl::StrCat(keys.size());
    std::vector<std::string_view> command = {"EVALSHA", sha, key_count};
    command.insert(command.end(), keys.begin(), keys.end());
    command.insert(command.end(), args.begin(), args.end());
    TRAVIO_ASSIGN_OR_RETURN(ReplyPtr reply, pool_->Execute(command, Retry::kIfUnsent));
    if (!IsNoScript(*reply)) return reply;
    command[0] = "EVAL";
    command[1] = lua;
    return pool_->Execute(command, Retry::kIfUnsent);
  }

  const std::unique_ptr<RedisPool> pool_;
  const std::string compare_and_delete_sha_;
  const std::string increment_sha_;
};

absl::Status Validate(const RedisOptions& options) {
  if (options.host.empty()) return absl::InvalidArgumentError("Redis host is empty");
  if (options.port <= 0 || options.port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("invalid Redis port ", options.port));
  }
  if (options.pool_size < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Redis pool_size must be at least 1, got ", options.pool_size));
  }
  if (options.timeout <= absl::ZeroDuration() || options.timeout == absl::InfiniteDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "Redis timeout must be positive and finite, got ", absl::FormatDuration(options.timeout)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<KeyValueStore>> OpenRedis(const RedisOptions& options) {
  TRAVIO_RETURN_IF_ERROR(Validate(options));
  TRAVIO_ASSIGN_OR_RETURN(std::unique_ptr<RedisPool> pool, RedisPool::Open(options));
  return std::make_unique<RedisStore>(std::move(pool));
}

}  // namespace travio::kv
