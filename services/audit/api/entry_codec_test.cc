// The canonical form an entry's hash covers, and checkpoint signatures.
#include "services/audit/api/entry_codec.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include "platform/testing/status_matchers.h"

namespace travio::audit {
namespace {

AuditEntry FirstEntry() {
  AuditEntry entry;
  entry.fact = AuditFact{.log = "org-1",
                         .source = "event:e1",
                         .at = absl::FromUnixSeconds(1'767'225'600),
                         .actor = "user-1",
                         .action = "bus.updated",
                         .target = "bus-1",
                         .target_name = "DHK-1234",
                         .details = R"({"b": "x", "a": 1})"};
  entry.seq = 1;
  entry.prev_hash = std::string(kGenesisHash);
  return entry;
}

TEST(EntryCodecTest, TheCanonicalFormSortsMembersAndDropsSpace) {
  auto canonical = CanonicalEntry(FirstEntry());
  ASSERT_OK(canonical);
  EXPECT_EQ(*canonical, R"({"action":"bus.updated","actor":"user-1","at":1767225600000000,)"
                        R"("details":{"a":1,"b":"x"},"log":"org-1","seq":1,"source":"event:e1",)"
                        R"("target":"bus-1","target_name":"DHK-1234"})");
}

TEST(EntryCodecTest, TheHashIsSha256OfThePreviousHashAndTheCanonicalForm) {
  // Computed apart from this code: Python's json.dumps(sort_keys=True, separators=(",", ":"))
  // and hashlib.sha256 over "0"*64 + that text.
  auto hash = EntryHash(FirstEntry());
  ASSERT_OK(hash);
  EXPECT_EQ(*hash, "afcd5496541e0bfb583af42515f40eb06f73ddc4bb3d76247524712909c6a922");
}

TEST(EntryCodecTest, AnyChangeChangesTheHash) {
  const std::string original = *EntryHash(FirstEntry());
  AuditEntry other = FirstEntry();
  other.fact.details = R"({"a":2,"b":"x"})";
  EXPECT_NE(*EntryHash(other), original);
  other = FirstEntry();
  other.seq = 2;
  EXPECT_NE(*EntryHash(other), original);
  other = FirstEntry();
  other.prev_hash[0] = '1';
  EXPECT_NE(*EntryHash(other), original);
  other = FirstEntry();
  other.fact.details = R"({"a":1,"b":"x"})";  // the same document, spelt otherwise
  EXPECT_EQ(*EntryHash(other), original);
}

TEST(EntryCodecTest, DetailsMustBeAJsonObjectInUtf8) {
  EXPECT_EQ(*CanonicalDetails(""), "{}");
  EXPECT_EQ(*CanonicalDetails(R"({"z":[1,{"b":true,"a":null}],"lat":23.8103})"),
            R"({"lat":23.8103,"z":[1,{"a":null,"b":true}]})");
  EXPECT_FALSE(CanonicalDetails("[1,2]").ok());
  EXPECT_FALSE(CanonicalDetails("\"text\"").ok());
  EXPECT_FALSE(CanonicalDetails("{\"a\":").ok());
  EXPECT_FALSE(CanonicalDetails("{\"a\":\"\xff\xfe\"}").ok());
}

class CheckpointTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_GE(sodium_init(), 0);
    for (AuditKey* key : {&key_, &other_key_}) {
      std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
      std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
      crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                          reinterpret_cast<unsigned char*>(secret_key.data()));
      key->public_key = public_key;
      (key == &key_ ? secret_ : other_secret_) = secret_key;
    }
    key_.kid = "k1";
    other_key_.kid = "k2";
    checkpoint_ = {.log = "org-1",
                   .seq = 1000,
                   .hash = std::string(64, 'a'),
                   .at = absl::FromUnixSeconds(1'767'225'600),
                   .every = 1000};
  }

  AuditKey key_, other_key_;
  std::string secret_, other_secret_;
  Checkpoint checkpoint_;
};

TEST_F(CheckpointTokenTest, ASignedCheckpointVerifiesWithItsKey) {
  auto token = SignCheckpoint(checkpoint_, key_.kid, secret_);
  ASSERT_OK(token);
  checkpoint_.token = *token;
  EXPECT_TRUE(CheckpointSignatureHolds(checkpoint_, {other_key_, key_}));
  // The spacing it promised is read from the token, not from what is stored beside it.
  Checkpoint stored = checkpoint_;
  stored.every = 0;
  ASSERT_TRUE(VerifyCheckpoint(stored, {key_}).has_value());
  EXPECT_EQ(VerifyCheckpoint(stored, {key_})->every, 1000);
  EXPECT_FALSE(CheckpointSignatureHolds(checkpoint_, {other_key_}));
}

TEST_F(CheckpointTokenTest, ATokenSaysNothingAboutAnotherSeqHashOrLog) {
  checkpoint_.token = *SignCheckpoint(checkpoint_, key_.kid, secret_);
  Checkpoint moved = checkpoint_;
  moved.seq = 999;
  EXPECT_FALSE(CheckpointSignatureHolds(moved, {key_}));
  moved = checkpoint_;
  moved.hash = std::string(64, 'b');
  EXPECT_FALSE(CheckpointSignatureHolds(moved, {key_}));
  moved = checkpoint_;
  moved.log = "org-2";
  EXPECT_FALSE(CheckpointSignatureHolds(moved, {key_}));
}

TEST_F(CheckpointTokenTest, AKeyNamingAnotherKidDoesNotVerify) {
  // Signed by the second key but naming the first: the verifier tries the named key only.
  checkpoint_.token = *SignCheckpoint(checkpoint_, key_.kid, other_secret_);
  EXPECT_FALSE(CheckpointSignatureHolds(checkpoint_, {key_, other_key_}));
}

}  // namespace
}  // namespace travio::audit
