#include "services/payment/app/card_fingerprints.h"

#include "platform/crypto/digest.h"
#include "platform/crypto/encoding.h"

namespace travio::payment {

std::string CardFingerprints::Of(std::string_view digits) const {
  return crypto::HexEncode(crypto::HmacSha256(key_, digits).substr(0, 16));
}

}  // namespace travio::payment
