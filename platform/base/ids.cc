#include "platform/base/ids.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>

namespace travio {

IdGenerator::IdGenerator(const Clock& clock) : clock_(clock) {
  // Idempotent and thread-safe; makes randombytes_buf safe to call from any thread.
  if (sodium_init() < 0) std::abort();
}

void IdGenerator::TakeRandom(std::span<uint8_t> out) const {
  std::lock_guard lock(pool_mutex_);
  if (pool_.size() - pool_used_ < out.size()) {
    randombytes_buf(pool_.data(), pool_.size());
    pool_used_ = 0;
  }
  std::copy_n(pool_.begin() + static_cast<std::ptrdiff_t>(pool_used_), out.size(), out.begin());
  pool_used_ += out.size();
}

std::string IdGenerator::NewId() const {
  std::array<uint8_t, 16> bytes;
  TakeRandom(bytes);
  const uint64_t millis = static_cast<uint64_t>(absl::ToUnixMillis(clock_.Now()));
  for (int i = 0; i < 6; ++i) {
    bytes[i] = static_cast<uint8_t>(millis >> (40 - 8 * i));
  }
  bytes[6] = static_cast<uint8_t>(0x70 | (bytes[6] & 0x0F));  // version 7
  bytes[8] = static_cast<uint8_t>(0x80 | (bytes[8] & 0x3F));  // RFC 9562 variant

  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0F]);
  }
  return out;
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return true;
}

}  // namespace travio
