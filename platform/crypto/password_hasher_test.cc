#include "platform/crypto/password_hasher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>
#include <vector>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::crypto {
namespace {

// The cheapest cost libsodium accepts keeps the test quick; the pool does not care.
constexpr PasswordCost kCheap{.passes = 1, .memory_bytes = 8 * 1024};

TEST(PasswordHasher, HashesAndVerifiesOnItsOwnThreads) {
  PasswordHasher hasher(1, 4);
  ASSERT_OK_AND_ASSIGN(std::string hash, hasher.Hash("correct horse", kCheap));
  ASSERT_OK_AND_ASSIGN(bool right, hasher.Verify(hash, "correct horse"));
  EXPECT_TRUE(right);
  ASSERT_OK_AND_ASSIGN(bool wrong, hasher.Verify(hash, "wrong horse"));
  EXPECT_FALSE(wrong);
}

TEST(PasswordHasher, AFullLineIsRefusedAtOnceAndEveryAcceptedRequestIsServed) {
  // One thread, one waiting place: of many simultaneous callers, some are turned away at once
  // with sign_in_busy and a retry-after; all the others get a hash.
  PasswordHasher hasher(1, 1);
  constexpr int kCallers = 12;
  std::latch start(kCallers);
  std::atomic<int> hashed{0};
  std::atomic<int> busy{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      start.arrive_and_wait();
      absl::StatusOr<std::string> hash =
          hasher.Hash("pw", PasswordCost{.passes = 2, .memory_bytes = 19 * 1024 * 1024});
      if (hash.ok()) {
        ++hashed;
      } else if (ReasonOf(hash.status()) == "sign_in_busy" &&
                 RetryAfterOf(hash.status()).has_value()) {
        ++busy;
      }
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_EQ(hashed + busy, kCallers);
  EXPECT_GE(hashed, 1);
  EXPECT_GE(busy, 1);
}

}  // namespace
}  // namespace travio::crypto
