#include "services/fulfillment/storage/document_storage_contract.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "platform/crypto/digest.h"
#include "platform/testing/status_matchers.h"

namespace travio::fulfillment {

std::string PrintStorageName(const ::testing::TestParamInfo<DocumentStorageAdapter>& info) {
  return info.param.name;
}

namespace {

// Every byte value, so nothing on the way treats a PDF as text.
std::string Binary(size_t size, unsigned seed) {
  std::string bytes(size, '\0');
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<char>((i * 131 + seed) & 0xff);
  return bytes;
}

TEST_P(DocumentStorageContract, WhatIsPutIsWhatIsGot) {
  const std::string pdf = Binary(70'000, 1);
  ASSERT_OK(storage_->Put("orders/org-1/order-1/tickets-1.pdf", pdf, "application/pdf"));
  ASSERT_OK_AND_ASSIGN(std::string got, storage_->Get("orders/org-1/order-1/tickets-1.pdf"));
  EXPECT_EQ(crypto::Sha256(got), crypto::Sha256(pdf));
  EXPECT_EQ(got.size(), pdf.size());
}

TEST_P(DocumentStorageContract, PutReplacesWhole) {
  ASSERT_OK(storage_->Put("a/doc.pdf", Binary(50'000, 1), "application/pdf"));
  ASSERT_OK(storage_->Put("a/doc.pdf", "short", "application/pdf"));
  ASSERT_OK_AND_ASSIGN(std::string got, storage_->Get("a/doc.pdf"));
  EXPECT_EQ(got, "short");
}

TEST_P(DocumentStorageContract, AnEmptyDocumentIsADocument) {
  ASSERT_OK(storage_->Put("a/empty.pdf", "", "application/pdf"));
  ASSERT_OK_AND_ASSIGN(std::string got, storage_->Get("a/empty.pdf"));
  EXPECT_EQ(got, "");
}

TEST_P(DocumentStorageContract, MissingIsNotFound) {
  EXPECT_THAT(storage_->Get("a/never.pdf"), testing::StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(DocumentStorageContract, DeleteRemovesAndIsIdempotent) {
  ASSERT_OK(storage_->Put("a/gone.pdf", "x", "application/pdf"));
  ASSERT_OK(storage_->Delete("a/gone.pdf"));
  EXPECT_THAT(storage_->Get("a/gone.pdf"), testing::StatusIs(absl::StatusCode::kNotFound));
  EXPECT_OK(storage_->Delete("a/gone.pdf"));
  EXPECT_OK(storage_->Delete("a/never-there.pdf"));
}

TEST_P(DocumentStorageContract, KeysNeverReachOutside) {
  for (const char* key : {"", "/etc/passwd", "../escape.pdf", "a/../../escape.pdf", "a//b.pdf",
                          "a/./b.pdf", "a/b.pdf/", "a\\b.pdf", "a/b c.pdf", "a/b\n.pdf"}) {
    EXPECT_THAT(storage_->Put(key, "x", "application/pdf"),
                testing::StatusIs(absl::StatusCode::kInvalidArgument))
        << key;
    EXPECT_THAT(storage_->Get(key), testing::StatusIs(absl::StatusCode::kInvalidArgument)) << key;
    EXPECT_THAT(storage_->Delete(key), testing::StatusIs(absl::StatusCode::kInvalidArgument))
        << key;
  }
}

}  // namespace
}  // namespace travio::fulfillment
