#include "platform/crypto/password_hasher.h"

#include <algorithm>
#include <future>

#include "platform/base/errors.h"

namespace travio::crypto {

PasswordHasher::PasswordHasher(int threads, int max_waiting)
    : max_waiting_(static_cast<size_t>(std::max(0, max_waiting))) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([this] { Work(); });
}

PasswordHasher::~PasswordHasher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

void PasswordHasher::Work() {
  for (;;) {
    std::function<void()> work;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping, nothing left
      work = std::move(waiting_.front());
      waiting_.pop_front();
    }
    work();
  }
}

absl::Status PasswordHasher::Run(const std::function<void()>& work) {
  std::promise<void> done;
  std::future<void> finished = done.get_future();
  {
    std::lock_guard lock(mutex_);
    if (waiting_.size() >= max_waiting_) {
      return WithRetryAfter(
          Error(reasons::kSignInBusy, "Too many sign-ins at once; try again in a moment."),
          absl::Seconds(1));
    }
    waiting_.emplace_back([&work, &done] {
      work();
      done.set_value();
    });
  }
  wake_.notify_one();
  finished.wait();
  return absl::OkStatus();
}

absl::StatusOr<std::string> PasswordHasher::Hash(std::string_view password,
                                                 const PasswordCost& cost) {
  absl::StatusOr<std::string> hash = absl::InternalError("not hashed");
  if (absl::Status queued = Run([&] { hash = HashPassword(password, cost); }); !queued.ok()) {
    return queued;
  }
  return hash;
}

absl::StatusOr<bool> PasswordHasher::Verify(std::string_view phc_hash, std::string_view password) {
  absl::StatusOr<bool> matches = absl::InternalError("not verified");
  if (absl::Status queued = Run([&] { matches = VerifyPassword(phc_hash, password); });
      !queued.ok()) {
    return queued;
  }
  return matches;
}

}  // namespace travio::crypto
