#pragma once

#include <string>

#include "platform/base/clock.h"

namespace travio {

/// Generates RFC 9562 UUIDv7 identifiers: 48 bits of unix milliseconds, then random bits, so
/// ids sort by creation time (good for B-tree locality) and cannot be guessed.
class IdGenerator {
 public:
  explicit IdGenerator(const Clock& clock);

  /// A new id in canonical form, e.g. "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234".
  std::string NewId() const;

 private:
  const Clock& clock_;
};

/// True when `text` is a canonical lower-case UUID of any version.
bool IsUuid(std::string_view text);

}  // namespace travio
