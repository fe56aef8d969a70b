#pragma once

// The KeyValueStore contract suite's fixture, shared by key_value_contract_test.cc (which
// instantiates it once per adapter) and key_value_scripts_test.cc.

#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <set>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "platform/base/absl_interop.h"
#include "platform/base/clock.h"
#include "platform/kv/key_value_store.h"
#include "platform/kv/memory_store.h"
#include "platform/kv/redis_cluster_store.h"
#include "platform/kv/redis_store.h"
#include "platform/testing/shared_redis.h"
#include "platform/testing/status_matchers.h"

namespace travio::kv {

// The value of an OK result. Otherwise records a failure at the caller and returns a default,
// so one failed call does not abort the remaining checks.
template <typename T>
T Must(absl::StatusOr<T> result, std::source_location where = std::source_location::current()) {
  if (!result.ok()) {
    ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << result.status();
    return T{};
  }
  return *std::move(result);
}

inline void MustOk(const absl::Status& status,
                   std::source_location where = std::source_location::current()) {
  if (!status.ok()) ADD_FAILURE_AT(where.file_name(), static_cast<int>(where.line())) << status;
}

enum class Backend { kMemory, kRedis, kRedisCluster };

class KeyValueContract : public ::testing::TestWithParam<Backend> {
 protected:
  // Certainly still there when checked right after being set, even on a slow sanitizer build.
  static constexpr absl::Duration kLongTtl = absl::Seconds(30);
  // Certainly gone after AdvanceTime(2 * kShortTtl); Redis really waits that long.
  static constexpr absl::Duration kShortTtl = absl::Milliseconds(100);

  void SetUp() override {
    const ::testing::TestInfo* test = ::testing::UnitTest::GetInstance()->current_test_info();
    // Other test binaries may share the Redis server: every key of this test lives under a
    // prefix no one else uses.
    prefix_ = absl::StrCat("kv-contract:", test->name(), ":", std::random_device()(), ":");
    if (GetParam() == Backend::kMemory) {
      store_ = MakeMemoryStore(clock_);
      return;
    }
    absl::StatusOr<std::unique_ptr<KeyValueStore>> store =
        travio::testing::OpenSharedRedis(GetParam() == Backend::kRedisCluster);
    ASSERT_OK(store);
    store_ = *std::move(store);
  }

  void TearDown() override {
    if (GetParam() == Backend::kMemory || store_ == nullptr) return;
    for (const std::string& key : used_keys_) (void)store_->Delete(key);
  }

  KeyValueStore& store() { return *store_; }
  /// The memory adapter's clock, which never moves unless a test moves it; scripts that take
  /// the time as an argument read it on every adapter.
  ManualClock& clock() { return clock_; }

  std::string Key(std::string_view name) {
    std::string key = absl::StrCat(prefix_, ToAbsl(name));
    used_keys_.insert(key);
    return key;
  }

  void AdvanceTime(absl::Duration by) {
    if (GetParam() == Backend::kMemory) {
      clock_.Advance(by);
    } else {
      absl::SleepFor(by);
    }
  }

  absl::StatusOr<ScriptReply> Run(const Script& script, std::vector<std::string> keys,
                                  std::vector<std::string> args) {
    return store_->Run(script, keys, args);
  }

 private:
  ManualClock clock_;
  std::unique_ptr<KeyValueStore> store_;
  std::string prefix_;
  std::set<std::string> used_keys_;
};

}  // namespace travio::kv
