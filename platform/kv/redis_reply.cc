#include "platform/kv/redis_reply.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"

namespace travio::kv {
namespace {

absl::string_view ReplyText(const redisReply& reply) {
  return absl::string_view(reply.str, reply.len);
}

absl::string_view FirstWord(absl::string_view message) {
  return message.substr(0, message.find(' '));
}

}  // namespace

absl::Status ErrorReplyStatus(const redisReply& reply) {
  const absl::string_view message = ReplyText(reply);
  const absl::string_view code = FirstWord(message);
  const std::string what = absl::StrCat("Redis: ", message);
  if (code == "WRONGTYPE" || absl::StrContains(message, "not an integer") ||
      absl::StrContains(message, "would overflow")) {
    return absl::FailedPreconditionError(what);
  }
  if (code == "LOADING" || code == "BUSY" || code == "MASTERDOWN" || code == "READONLY" ||
      code == "TRYAGAIN" || code == "CLUSTERDOWN") {
    return absl::UnavailableError(what);
  }
  if (code == "NOAUTH" || code == "WRONGPASS") return absl::UnauthenticatedError(what);
  if (code == "NOPERM") return absl::PermissionDeniedError(what);
  if (code == "OOM") return absl::ResourceExhaustedError(what);
  return absl::InternalError(what);
}

absl::Status UnexpectedReply(std::string_view command, const redisReply& reply) {
  return absl::InternalError(
      absl::StrCat("unexpected Redis reply of type ", reply.type, " to ", ToAbsl(command)));
}

bool IsNoScript(const redisReply& reply) {
  return reply.type == REDIS_REPLY_ERROR && FirstWord(ReplyText(reply)) == "NOSCRIPT";
}

absl::StatusOr<ScriptReply> ToScriptReply(const redisReply& reply) {
  switch (reply.type) {
    case REDIS_REPLY_NIL:
      return ScriptReply{};
    case REDIS_REPLY_INTEGER:
      return ScriptReply{static_cast<int64_t>(reply.integer)};
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      return ScriptReply{std::string(ReplyText(reply))};
    case REDIS_REPLY_ARRAY: {
      ScriptReply::Array elements;
      elements.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) {
        absl::StatusOr<ScriptReply> element = ToScriptReply(*reply.element[i]);
        if (!element.ok()) return element.status();
        elements.push_back(*std::move(element));
      }
      return ScriptReply{std::move(elements)};
    }
    case REDIS_REPLY_ERROR:
      return ErrorReplyStatus(reply);
    default:
      return UnexpectedReply("a script", reply);
  }
}

}  // namespace travio::kv
