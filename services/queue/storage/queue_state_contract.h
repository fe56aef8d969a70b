#pragma once

// The QueueState contract suite, instantiated once per adapter: the memory state (alone and
// journaled) in queue_state_contract_test.cc, Redis and Redis Cluster in the servers' suite.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "services/queue/app/queue_state.h"

namespace travio::queue {

class QueueStateHarness {
 public:
  virtual ~QueueStateHarness() = default;
  /// A state over the harness's storage; opened again, it is a restarted process's state.
  virtual absl::StatusOr<std::unique_ptr<QueueState>> Open(absl::Time now) = 0;
  /// Whether tickets survive Open (a journal, a server).
  virtual bool survives_reopen() const = 0;
};

struct QueueStateAdapter {
  std::string name;
  std::function<std::unique_ptr<QueueStateHarness>()> make;
};

class QueueStateContract : public ::testing::TestWithParam<QueueStateAdapter> {
 protected:
  void SetUp() override;
  void TearDown() override;

  /// The rules of the tests' room: 3 a minute, 2 active, silent for 2 minutes expires, a
  /// 10-minute session.
  static InletRules Rules();
  QueueTicket Join(const std::string& subject, uint64_t lottery = 0);

  std::unique_ptr<QueueStateHarness> harness_;
  std::unique_ptr<QueueState> state_;
  std::string room_;
  absl::Time now_ = absl::FromUnixSeconds(1'767'225'600);
  int next_ticket_ = 0;
};

std::string PrintAdapterName(const ::testing::TestParamInfo<QueueStateAdapter>& info);

}  // namespace travio::queue
