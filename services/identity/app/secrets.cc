#include "services/identity/app/secrets.h"

#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::identity {

std::string NewInviteToken() { return crypto::Base64UrlEncode(crypto::RandomBytes(32)); }

std::string HashToken(std::string_view token) { return crypto::HexEncode(crypto::Sha256(token)); }

}  // namespace travio::identity
