#include "services/identity/storage/keys/file_key_ring.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <latch>
#include <thread>

#include "platform/crypto/paseto.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"

namespace travio::identity {
namespace {

namespace fs = std::filesystem;

mode_t Mode(const fs::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 0777;
}

TEST(FileKeyRing, GeneratesPrivateKeysOnFirstStartAndReloadsThem) {
  testing::TempDir dir;
  const fs::path keys = dir.path() / "keys";
  auto first = FileKeyRing::Open(keys);
  ASSERT_OK(first);
  EXPECT_EQ(Mode(keys), 0700u);
  EXPECT_EQ(Mode(keys / "local.key"), 0600u);
  const SigningKey signing = (*first)->signing_key();
  EXPECT_EQ(Mode(keys / "signing" / (signing.kid + ".key")), 0600u);
  EXPECT_EQ(signing.kid, FileKeyRing::KeyId(signing.public_key));

  auto second = FileKeyRing::Open(keys);
  ASSERT_OK(second);
  EXPECT_EQ((*second)->signing_key().kid, signing.kid);
  EXPECT_EQ((*second)->local_key(), (*first)->local_key());

  // The key signs what its public half verifies.
  auto token = crypto::V4PublicSign(signing.secret_key, "{}");
  ASSERT_OK(token);
  EXPECT_OK(crypto::V4PublicVerify((*second)->verification_keys()[0].public_key, *token));
}

TEST(FileKeyRing, RotationPublishesBothKeysAndSignsWithTheNewOne) {
  testing::TempDir dir;
  const fs::path keys = dir.path() / "keys";
  auto before = FileKeyRing::Open(keys);
  ASSERT_OK(before);
  const std::string old_kid = (*before)->signing_key().kid;

  auto new_kid = FileKeyRing::AddSigningKey(keys);
  ASSERT_OK(new_kid);
  auto after = FileKeyRing::Open(keys);
  ASSERT_OK(after);
  EXPECT_EQ((*after)->signing_key().kid, *new_kid);
  auto published = (*after)->verification_keys();
  ASSERT_EQ(published.size(), 2u);
  EXPECT_EQ(published[0].kid, *new_kid);  // the signer first
  EXPECT_EQ(published[1].kid, old_kid);

  EXPECT_EQ(FileKeyRing::RetireSigningKey(keys, *new_kid).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_OK(FileKeyRing::RetireSigningKey(keys, old_kid));
  auto retired = FileKeyRing::Open(keys);
  ASSERT_OK(retired);
  EXPECT_EQ((*retired)->verification_keys().size(), 1u);
}

TEST(FileKeyRing, RefusesDamagedOrSubstitutedKeyFiles) {
  testing::TempDir dir;
  const fs::path keys = dir.path() / "keys";
  auto ring = FileKeyRing::Open(keys);
  ASSERT_OK(ring);
  const std::string kid = (*ring)->signing_key().kid;
  // A key file whose content is another key than its name says.
  auto other = FileKeyRing::AddSigningKey(dir.path() / "elsewhere");
  ASSERT_OK(other);
  fs::copy_file(dir.path() / "elsewhere" / "signing" / (*other + ".key"),
                keys / "signing" / (kid + ".key"), fs::copy_options::overwrite_existing);
  EXPECT_EQ(FileKeyRing::Open(keys).status().code(), absl::StatusCode::kDataLoss);

  testing::TempDir broken;
  ASSERT_OK(FileKeyRing::Open(broken.path()));
  std::ofstream(broken.path() / "local.key") << "not hex";
  EXPECT_EQ(FileKeyRing::Open(broken.path()).status().code(), absl::StatusCode::kDataLoss);
}

TEST(FileKeyRing, ProcessesStartingTogetherOnAnEmptyDirectoryAgreeOnTheKeys) {
  for (int round = 0; round < 5; ++round) {
    testing::TempDir dir;
    constexpr int kProcesses = 6;
    std::vector<std::unique_ptr<FileKeyRing>> rings(kProcesses);
    std::vector<std::thread> threads;
    std::latch start(kProcesses);
    for (int i = 0; i < kProcesses; ++i) {
      threads.emplace_back([&, i] {
        start.arrive_and_wait();
        auto ring = FileKeyRing::Open(dir.path() / "keys");
        EXPECT_OK(ring);
        if (ring.ok()) rings[i] = *std::move(ring);
      });
    }
    for (std::thread& thread : threads) thread.join();
    for (const auto& ring : rings) {
      ASSERT_NE(ring, nullptr);
      EXPECT_EQ(ring->local_key(), rings[0]->local_key());
      EXPECT_EQ(ring->signing_key().kid, rings[0]->signing_key().kid);
    }
  }
}

}  // namespace
}  // namespace travio::identity
