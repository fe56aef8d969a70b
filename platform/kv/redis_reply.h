#pragma once

// Reading hiredis replies. Private to platform/kv.

#include <hiredis/hiredis.h>

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/kv/key_value_store.h"

namespace travio::kv {

/// The status for an error reply (`reply.type == REDIS_REPLY_ERROR`), keeping Redis' message:
/// kFailedPrecondition when the data does not fit the command (WRONGTYPE, not an integer,
/// overflow), kUnavailable while the server cannot serve (LOADING, BUSY, READONLY, ...),
/// kInternal otherwise.
absl::Status ErrorReplyStatus(const redisReply& reply);

/// kInternal for a reply whose type the command cannot produce.
absl::Status UnexpectedReply(std::string_view command, const redisReply& reply);

/// True for the reply to EVALSHA of a script the server has not cached.
bool IsNoScript(const redisReply& reply);

/// Converts what a script returned. An error reply, also one nested in an array, becomes its
/// status.
absl::StatusOr<ScriptReply> ToScriptReply(const redisReply& reply);

}  // namespace travio::kv
