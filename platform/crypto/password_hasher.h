#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "platform/crypto/password.h"

namespace travio::crypto {

/// Argon2id on a small pool of threads of its own, with a bounded line of waiting requests.
/// Each hash costs tens of milliseconds of CPU and 19 MiB, so a flood of registrations or
/// logins run on the caller's threads would take every worker; here it can only fill this
/// pool: sign-in slows down (or is refused with kUnavailable `sign_in_busy` and a retry-after
/// when the line is full) while everything else keeps its threads. Thread-safe.
class PasswordHasher {
 public:
  /// `threads` hash at once; at most `max_waiting` more wait their turn.
  PasswordHasher(int threads, int max_waiting);
  ~PasswordHasher();
  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  absl::StatusOr<std::string> Hash(std::string_view password, const PasswordCost& cost);
  absl::StatusOr<bool> Verify(std::string_view phc_hash, std::string_view password);

 private:
  // Runs `work` on the pool and waits for it, or refuses when the line is full.
  absl::Status Run(const std::function<void()>& work);
  void Work();

  const size_t max_waiting_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> waiting_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace travio::crypto
