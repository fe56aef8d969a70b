// The QueueState contract on the memory state, without and with its journal.

#include "services/queue/storage/queue_state_contract.h"

#include <filesystem>

#include "platform/db/database.h"
#include "platform/testing/temp_dir.h"
#include "services/queue/storage/memory/memory_queue_state.h"
#include "services/queue/storage/queue_rows.h"

namespace travio::queue {
namespace {

class MemoryQueueHarness final : public QueueStateHarness {
 public:
  explicit MemoryQueueHarness(bool journaled) : journaled_(journaled) {}

  absl::StatusOr<std::unique_ptr<QueueState>> Open(absl::Time now) override {
    if (journaled_ && database_ == nullptr) {
      auto database = db::OpenSqlite({(dir_.path() / "queue.db").string()});
      if (!database.ok()) return database.status();
      database_ = *std::move(database);
      const std::vector<db::Migration> migrations = QueueMigrations();
      if (auto status = db::ApplyMigrations(*database_, "queue", migrations); !status.ok()) {
        return status;
      }
    }
    return OpenMemoryQueueState(database_.get(), now);
  }
  bool survives_reopen() const override { return journaled_; }

 private:
  bool journaled_;
  testing::TempDir dir_{"queue-state"};
  std::unique_ptr<db::Database> database_;
};

INSTANTIATE_TEST_SUITE_P(
    Memory, QueueStateContract,
    ::testing::Values(QueueStateAdapter{"Memory",
                                        [] { return std::make_unique<MemoryQueueHarness>(false); }},
                      QueueStateAdapter{"MemoryJournaled",
                                        [] { return std::make_unique<MemoryQueueHarness>(true); }}),
    PrintAdapterName);

}  // namespace
}  // namespace travio::queue
