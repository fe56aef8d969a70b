#include "platform/module/clients.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio::module {
namespace {

// A client interface as services declare theirs: its service, and its gRPC implementation
// (here one that records the deadline it was given).
class Greeter {
 public:
  static constexpr std::string_view kService = "identity";
  static std::shared_ptr<Greeter> OverGrpc(std::shared_ptr<grpc::Channel>,
                                           const rpc::CallPolicy& policy);
  static absl::Duration remote_deadline;

  virtual ~Greeter() = default;
  virtual std::string Hello() = 0;
};

// Another service's interface, whose peer is not configured.
class Payer {
 public:
  static constexpr std::string_view kService = "payment";
  static std::shared_ptr<Payer> OverGrpc(std::shared_ptr<grpc::Channel>, const rpc::CallPolicy&) {
    return nullptr;
  }
  virtual ~Payer() = default;
};

class Fixed final : public Greeter {
 public:
  explicit Fixed(std::string text) : text_(std::move(text)) {}
  std::string Hello() override { return text_; }

 private:
  std::string text_;
};

absl::Duration Greeter::remote_deadline;
std::shared_ptr<Greeter> Greeter::OverGrpc(std::shared_ptr<grpc::Channel>,
                                           const rpc::CallPolicy& policy) {
  remote_deadline = policy.deadline;
  return std::make_shared<Fixed>("remote");
}

TEST(Clients, BindsTheLocalImplementationWhenTheServiceRunsHere) {
  int channels_opened = 0;
  Clients clients(
      "gateway", {"identity"}, {{"identity", RemoteClientOf<Greeter>()}},
      [&](const std::string&,
          const std::string&) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        ++channels_opened;
        return nullptr;
      },
      [](const std::string&) { return rpc::CallPolicy{.deadline = absl::Seconds(1)}; });
  clients.Export<Greeter>(std::make_shared<Fixed>("local"));
  auto bound = clients.Bind<Greeter>();
  ASSERT_OK(bound);
  EXPECT_EQ((*bound)->Hello(), "local");
  EXPECT_EQ(channels_opened, 0);
}

TEST(Clients, BindsTheRemoteImplementationWithTheConfiguredDeadline) {
  std::string asked_for;
  Clients clients(
      "gateway", {"gateway"}, {{"identity", RemoteClientOf<Greeter>()}},
      [&](const std::string&,
          const std::string& service) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        asked_for = service;
        return nullptr;
      },
      [](const std::string&) { return rpc::CallPolicy{.deadline = absl::Seconds(3)}; });
  auto bound = clients.Bind<Greeter>();
  ASSERT_OK(bound);
  EXPECT_EQ((*bound)->Hello(), "remote");
  EXPECT_EQ(asked_for, "identity");
  EXPECT_EQ(Greeter::remote_deadline, absl::Seconds(3));
}

TEST(Clients, ReportsMissingExportsAndChannelFailures) {
  Clients clients(
      "gateway", {"identity"},
      {{"identity", RemoteClientOf<Greeter>()}, {"payment", RemoteClientOf<Payer>()}},
      [](const std::string&, const std::string&) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        return absl::FailedPreconditionError("peers.payment is not set");
      },
      [](const std::string&) { return rpc::CallPolicy{.deadline = absl::Seconds(1)}; });
  auto unexported = clients.Bind<Greeter>();
  EXPECT_EQ(unexported.status().code(), absl::StatusCode::kFailedPrecondition);
  auto unreachable = clients.Bind<Payer>();
  EXPECT_EQ(unreachable.status().message(), "peers.payment is not set");
}

TEST(Clients, RefusesAServiceWhoseRemoteClientIsNotRegistered) {
  int channels_opened = 0;
  Clients clients(
      "gateway", {"gateway"}, {{"identity", RemoteClientOf<Greeter>()}},
      [&](const std::string&,
          const std::string&) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        ++channels_opened;
        return nullptr;
      },
      [](const std::string&) { return rpc::CallPolicy{.deadline = absl::Seconds(1)}; });
  auto unknown = clients.Bind<Payer>();
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(channels_opened, 0);
}

// Modules of one process share what they export, but each presents its own name to the
// processes it calls, so their CallerPolicy judges the module that calls.
TEST(Clients, EachModuleCallsOtherProcessesAsItselfAndSharesTheExports) {
  std::vector<std::string> callers;
  Clients process(
      "search", {"search", "identity"},
      {{"identity", RemoteClientOf<Greeter>()}, {"payment", RemoteClientOf<Payer>()}},
      [&](const std::string& caller,
          const std::string&) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        callers.push_back(caller);
        return nullptr;
      },
      [](const std::string&) { return rpc::CallPolicy{.deadline = absl::Seconds(1)}; });
  Clients identity = process.As("identity");
  identity.Export<Greeter>(std::make_shared<Fixed>("local"));
  auto greeter = process.Bind<Greeter>();
  ASSERT_OK(greeter);
  EXPECT_EQ((*greeter)->Hello(), "local");
  ASSERT_OK(identity.Bind<Payer>());
  ASSERT_OK(process.Bind<Payer>());
  EXPECT_EQ(callers, (std::vector<std::string>{"identity", "search"}));
}

}  // namespace
}  // namespace travio::module
