#include "platform/kv/script_digest.h"

#include <openssl/sha.h>

#include "absl/strings/escaping.h"

namespace travio::kv {

std::string ScriptSha1(std::string_view lua) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(lua.data()), lua.size(), digest);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

}  // namespace travio::kv
