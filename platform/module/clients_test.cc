#include "platform/module/clients.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"

namespace travio::module {
namespace {

class Greeter {
 public:
  virtual ~Greeter() = default;
  virtual std::string Hello() = 0;
};

class Fixed final : public Greeter {
 public:
  explicit Fixed(std::string text) : text_(std::move(text)) {}
  std::string Hello() override { return text_; }

 private:
  std::string text_;
};

TEST(Clients, BindsTheLocalImplementationWhenTheServiceRunsHere) {
  int channels_opened = 0;
  Clients clients(
      {"identity"},
      [&](const std::string&) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        ++channels_opened;
        return nullptr;
      },
      absl::Seconds(1));
  clients.Export<Greeter>("identity", std::make_shared<Fixed>("local"));
  auto bound =
      clients.Bind<Greeter>("identity", [](std::shared_ptr<grpc::Channel>, absl::Duration) {
        return std::make_shared<Fixed>("remote");
      });
  ASSERT_OK(bound);
  EXPECT_EQ((*bound)->Hello(), "local");
  EXPECT_EQ(channels_opened, 0);
}

TEST(Clients, BindsTheRemoteImplementationWithTheConfiguredDeadline) {
  std::string asked_for;
  Clients clients(
      {"gateway"},
      [&](const std::string& service) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        asked_for = service;
        return nullptr;
      },
      absl::Seconds(3));
  absl::Duration deadline;
  auto bound =
      clients.Bind<Greeter>("identity", [&](std::shared_ptr<grpc::Channel>, absl::Duration d) {
        deadline = d;
        return std::make_shared<Fixed>("remote");
      });
  ASSERT_OK(bound);
  EXPECT_EQ((*bound)->Hello(), "remote");
  EXPECT_EQ(asked_for, "identity");
  EXPECT_EQ(deadline, absl::Seconds(3));
}

TEST(Clients, ReportsMissingExportsAndChannelFailures) {
  Clients clients(
      {"identity"},
      [](const std::string&) -> absl::StatusOr<std::shared_ptr<grpc::Channel>> {
        return absl::FailedPreconditionError("peers.payment is not set");
      },
      absl::Seconds(1));
  auto make = [](std::shared_ptr<grpc::Channel>, absl::Duration) {
    return std::make_shared<Fixed>("x");
  };
  auto unexported = clients.Bind<Greeter>("identity", make);
  EXPECT_EQ(unexported.status().code(), absl::StatusCode::kFailedPrecondition);
  auto unreachable = clients.Bind<Greeter>("payment", make);
  EXPECT_EQ(unreachable.status().message(), "peers.payment is not set");
}

}  // namespace
}  // namespace travio::module
