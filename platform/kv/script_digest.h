#pragma once

// Private to platform/kv.

#include <string>
#include <string_view>

namespace travio::kv {

/// The lower-case hex SHA1 of a Lua script's text: the name Redis caches it under for EVALSHA.
std::string ScriptSha1(std::string_view lua);

}  // namespace travio::kv
