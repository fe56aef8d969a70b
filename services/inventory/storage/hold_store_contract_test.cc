// The contract every HoldStore adapter passes: the memory store (with and without its journal)
// here; the Redis store on a standalone server and on a Redis Cluster in its own suite, which
// instantiates these same cases.
#include "services/inventory/storage/hold_store_contract.h"

#include <gtest/gtest.h>

#include "platform/base/status_macros.h"
#include "platform/db/migrations.h"
#include "platform/testing/temp_dir.h"
#include "services/inventory/storage/memory/memory_hold_store.h"
#include "services/inventory/storage/sql/sql_booking_store.h"

namespace travio::inventory {
namespace {

class MemoryHarness final : public HoldStoreHarness {
 public:
  explicit MemoryHarness(bool journaled) : journaled_(journaled) {}

  absl::StatusOr<std::unique_ptr<HoldStore>> Open() override {
    if (journaled_ && database_ == nullptr) {
      TRAVIO_ASSIGN_OR_RETURN(database_, db::OpenSqlite({(dir_ / "inventory.db").string()}));
      const std::vector<db::Migration> migrations = InventoryMigrations();
      TRAVIO_RETURN_IF_ERROR(db::ApplyMigrations(*database_, "inventory", migrations));
    }
    return OpenMemoryHoldStore(clock_, database_.get(), /*shards=*/4);
  }
  ManualClock* clock() override { return &clock_; }
  bool survives_reopen() const override { return journaled_; }

 private:
  bool journaled_;
  ManualClock clock_;
  testing::TempDir dir_;
  std::unique_ptr<db::Database> database_;
};

INSTANTIATE_TEST_SUITE_P(
    Memory, HoldStoreContract,
    ::testing::Values(
        HoldStoreAdapter{"Memory", [] { return std::make_unique<MemoryHarness>(false); }},
        HoldStoreAdapter{"MemoryJournaled", [] { return std::make_unique<MemoryHarness>(true); }}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace travio::inventory
