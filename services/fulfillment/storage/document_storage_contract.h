#pragma once

// The DocumentStorage contract suite, instantiated once per adapter: files in
// document_storage_contract_test.cc, S3 (against the test run's S3 server) in the servers' suite.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "services/fulfillment/app/ports.h"

namespace travio::fulfillment {

struct DocumentStorageAdapter {
  std::string name;
  /// A storage over an empty place of its own (a directory, a fresh key prefix).
  std::function<std::unique_ptr<DocumentStorage>()> make;
};

class DocumentStorageContract : public ::testing::TestWithParam<DocumentStorageAdapter> {
 protected:
  void SetUp() override { storage_ = GetParam().make(); }
  std::unique_ptr<DocumentStorage> storage_;
};

std::string PrintStorageName(const ::testing::TestParamInfo<DocumentStorageAdapter>& info);

}  // namespace travio::fulfillment
