#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <span>
#include <string>

#include "platform/base/clock.h"

namespace travio {

/// Generates RFC 9562 UUIDv7 identifiers: 48 bits of unix milliseconds, then random bits, so
/// ids sort by creation time (good for B-tree locality) and cannot be guessed.
class IdGenerator {
 public:
  explicit IdGenerator(const Clock& clock);

  /// A new id in canonical form, e.g. "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234". Thread-safe.
  std::string NewId() const;

 private:
  // Copies `out.size()` bytes from the operating system's generator, fetched a pool at a time:
  // libsodium reads getrandom 256 bytes per call, so a 256-byte pool makes one system call per
  // 16 ids instead of one per id (a hold request made 2.5), while holding few ids' bits ahead.
  // Each byte is handed out once. Not copyable (the mutex), so two generators never share a
  // pool; the process never forks without exec, which would give a child its parent's pool.
  void TakeRandom(std::span<uint8_t> out) const;

  const Clock& clock_;
  mutable std::mutex pool_mutex_;
  mutable std::array<uint8_t, 256> pool_;
  mutable size_t pool_used_ = pool_.size();
};

/// True when `text` is a canonical lower-case UUID of any version.
bool IsUuid(std::string_view text);

}  // namespace travio
