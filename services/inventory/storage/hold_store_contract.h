#pragma once

// The HoldStore contract suite, instantiated once per adapter (see
// hold_store_contract_test.cc and the Redis suite).

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "platform/base/clock.h"
#include "services/inventory/app/hold_store.h"

namespace travio::inventory {

class HoldStoreHarness {
 public:
  virtual ~HoldStoreHarness() = default;
  /// A store over the harness's state; opened again, it is a restarted process's store.
  virtual absl::StatusOr<std::unique_ptr<HoldStore>> Open() = 0;
  /// The store's clock when tests may move it; null when the store reads a server's clock.
  virtual ManualClock* clock() = 0;
  /// Whether holds survive Open (a journal, a server).
  virtual bool survives_reopen() const = 0;
};

struct HoldStoreAdapter {
  std::string name;
  std::function<std::unique_ptr<HoldStoreHarness>()> make;
};

class HoldStoreContract : public ::testing::TestWithParam<HoldStoreAdapter> {
 protected:
  void SetUp() override;

  /// The test's trip: DHK -> CTG -> CXB -> TKF (three legs), places A1..A10, A10 not for sale.
  TripSeats Trip() const;
  HoldRecord Request(const std::string& holder, std::vector<std::string> seats,
                     Journey journey) const;
  /// Lets `by` pass on the store's clock (moved, or waited for).
  void PassTime(absl::Duration by);
  /// Short on a server's clock, so expiry tests wait little.
  absl::Duration ttl() const;

  std::unique_ptr<HoldStoreHarness> harness_;
  std::unique_ptr<HoldStore> store_;
  std::string trip_id_;
  HoldLimits limits_{.max_seats = 10, .max_holds = 100};
};

}  // namespace travio::inventory
