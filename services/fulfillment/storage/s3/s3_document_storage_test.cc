// The DocumentStorage contract on a real S3-compatible server (the test run's s3rver, which
// checks every request's Signature V4), and what only S3 can get wrong: credentials.
#include "services/fulfillment/storage/s3/s3_document_storage.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "platform/base/clock.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/test_servers.h"
#include "services/fulfillment/storage/document_storage_contract.h"

namespace travio::fulfillment {
namespace {

S3Settings Settings() {
  const auto& servers = testing::SharedTestServers();
  return {.endpoint = absl::StrCat("http://127.0.0.1:", servers.s3_port),
          .bucket = "travio-tickets",
          .region = "us-east-1",
          .access_key = servers.s3_access_key,
          .secret_key = servers.s3_secret_key};
}

const SystemClock& Clock() {
  static const SystemClock clock;
  return clock;
}

// Keys under a prefix of their own: the bucket is shared by the whole test run.
class PrefixedStorage final : public DocumentStorage {
 public:
  explicit PrefixedStorage(std::unique_ptr<DocumentStorage> inner) : inner_(std::move(inner)) {
    static std::atomic<int> counter{0};
    prefix_ = absl::StrCat("contract-", ::getpid(), "-", counter++, "/");
  }
  std::string_view name() const override { return inner_->name(); }
  absl::Status Put(const std::string& key, std::string_view bytes,
                   std::string_view content_type) override {
    return inner_->Put(Prefixed(key), bytes, content_type);
  }
  absl::StatusOr<std::string> Get(const std::string& key) override {
    return inner_->Get(Prefixed(key));
  }
  absl::Status Delete(const std::string& key) override { return inner_->Delete(Prefixed(key)); }

 private:
  // A key the contract calls invalid stays invalid under the prefix.
  std::string Prefixed(const std::string& key) const {
    if (key.empty() || key.front() == '/') return key;
    return prefix_ + key;
  }
  std::unique_ptr<DocumentStorage> inner_;
  std::string prefix_;
};

std::unique_ptr<DocumentStorage> MakeS3() {
  auto storage = MakeS3DocumentStorage(Settings(), Clock());
  EXPECT_OK(storage);
  return std::make_unique<PrefixedStorage>(*std::move(storage));
}

INSTANTIATE_TEST_SUITE_P(S3, DocumentStorageContract,
                         ::testing::Values(DocumentStorageAdapter{"S3", MakeS3}), PrintStorageName);

// s3rver checks who signs, not the signature itself (its V4 check is not implemented); the
// signature is checked against the AWS documentation's example and botocore in sigv4_test.cc.
TEST(S3DocumentStorageTest, AnUnknownAccessKeyIsRefusedByTheServer) {
  S3Settings settings = Settings();
  settings.access_key = "NOT-A-KEY";
  ASSERT_OK_AND_ASSIGN(auto storage, MakeS3DocumentStorage(settings, Clock()));
  const absl::Status put = storage->Put("wrong-key/doc.pdf", "x", "application/pdf");
  EXPECT_THAT(put, testing::StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_NE(put.message().find("InvalidAccessKeyId"), std::string::npos) << put;
}

TEST(S3DocumentStorageTest, AnUnreachableServerIsUnavailable) {
  S3Settings settings = Settings();
  settings.endpoint = "http://127.0.0.1:1";
  ASSERT_OK_AND_ASSIGN(auto storage, MakeS3DocumentStorage(settings, Clock()));
  EXPECT_THAT(storage->Get("a/doc.pdf"), testing::StatusIs(absl::StatusCode::kUnavailable));
}

TEST(S3DocumentStorageTest, SettingsThatCannotWorkAreRefused) {
  for (const char* endpoint :
       {"", "ftp://host", "http://user:pw@host", "http://host/path", "s3.example.com"}) {
    S3Settings settings = Settings();
    settings.endpoint = endpoint;
    EXPECT_THAT(MakeS3DocumentStorage(settings, Clock()),
                testing::StatusIs(absl::StatusCode::kInvalidArgument))
        << endpoint;
  }
  S3Settings no_keys = Settings();
  no_keys.secret_key = "";
  EXPECT_THAT(MakeS3DocumentStorage(no_keys, Clock()),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
  S3Settings bad_bucket = Settings();
  bad_bucket.bucket = "a/b";
  EXPECT_THAT(MakeS3DocumentStorage(bad_bucket, Clock()),
              testing::StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace travio::fulfillment
