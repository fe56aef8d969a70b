#pragma once

#include <string>
#include <string_view>

namespace travio::payment {

/// A card's fingerprint: HMAC-SHA256 of its digits under a key this deployment generated, the
/// first 16 bytes in hex. The same card always gives the same fingerprint here, so fraud can
/// count its uses, while the fingerprint reveals nothing of the number without the key (a
/// plain hash of a 16-digit number with a known prefix could be reversed by trying them all).
class CardFingerprints {
 public:
  /// `key`: at least 32 random bytes, kept beside the service's other private keys.
  explicit CardFingerprints(std::string key) : key_(std::move(key)) {}

  std::string Of(std::string_view digits) const;

 private:
  std::string key_;
};

}  // namespace travio::payment
