#include "platform/crypto/password.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio::crypto {
namespace {

TEST(Password, HashesAsArgon2idPhcWithTheRequestedCost) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_OK(hash);
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_NE(*hash, *HashPassword("correct horse battery staple"));  // salted
}

TEST(Password, VerifiesOnlyTheRightPassword) {
  auto hash = HashPassword("correct horse battery staple");
  ASSERT_OK(hash);
  EXPECT_TRUE(*VerifyPassword(*hash, "correct horse battery staple"));
  EXPECT_FALSE(*VerifyPassword(*hash, "correct horse battery stapl"));
  EXPECT_FALSE(*VerifyPassword(*hash, ""));
  EXPECT_EQ(VerifyPassword("$2y$10$bcrypt-is-not-accepted", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyPassword("", "x").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Password, RaisingTheCostAsksForARehash) {
  const PasswordCost old_cost{.passes = 2, .memory_bytes = 19 * 1024 * 1024};
  const PasswordCost new_cost{.passes = 3, .memory_bytes = 19 * 1024 * 1024};
  auto hash = HashPassword("pw", old_cost);
  ASSERT_OK(hash);
  EXPECT_FALSE(NeedsRehash(*hash, old_cost));
  EXPECT_TRUE(NeedsRehash(*hash, new_cost));
  EXPECT_TRUE(NeedsRehash("garbage", old_cost));
}

}  // namespace
}  // namespace travio::crypto
