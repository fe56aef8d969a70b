#include "platform/module/registry.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "platform/testing/status_matchers.h"

namespace travio::module {
namespace {

std::vector<std::string> Names(const std::vector<const ModuleSpec*>& specs) {
  std::vector<std::string> names;
  for (const ModuleSpec* spec : specs) names.push_back(spec->name);
  return names;
}

size_t IndexOf(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) - names.begin();
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK(registry_.Add({"gateway", "edge", {}, {"identity", "order"}}));
    ASSERT_OK(registry_.Add({"identity", "accounts"}));
    ASSERT_OK(registry_.Add({"order", "orders", {"saga-log"}, {"payment"}}));
    ASSERT_OK(registry_.Add({"saga-log", "durable saga steps"}));
    ASSERT_OK(registry_.Add({"payment", "payments"}));
    ASSERT_OK(registry_.Validate());
  }
  Registry registry_;
};

TEST_F(RegistryTest, AllRunsEveryModuleWithCalleesFirst) {
  auto order = registry_.Resolve("all");
  ASSERT_OK(order);
  const auto names = Names(*order);
  EXPECT_EQ(names.size(), 5u);
  EXPECT_LT(IndexOf(names, "identity"), IndexOf(names, "gateway"));
  EXPECT_LT(IndexOf(names, "order"), IndexOf(names, "gateway"));
  EXPECT_LT(IndexOf(names, "saga-log"), IndexOf(names, "order"));
  EXPECT_LT(IndexOf(names, "payment"), IndexOf(names, "order"));
}

TEST_F(RegistryTest, TargetsPullInDependenciesButNotCallees) {
  auto order = registry_.Resolve("order");
  ASSERT_OK(order);
  EXPECT_EQ(Names(*order), (std::vector<std::string>{"saga-log", "order"}));
  auto gateway = registry_.Resolve("gateway");
  EXPECT_EQ(Names(*gateway), (std::vector<std::string>{"gateway"}));
  auto pair = registry_.Resolve("gateway, identity");
  EXPECT_EQ(Names(*pair), (std::vector<std::string>{"identity", "gateway"}));
}

TEST_F(RegistryTest, UnknownTargetsListTheKnownOnes) {
  auto order = registry_.Resolve("gatewya");
  ASSERT_FALSE(order.ok());
  EXPECT_TRUE(absl::StrContains(order.status().message(), "unknown target \"gatewya\""));
  EXPECT_TRUE(absl::StrContains(order.status().message(), "gateway, identity"));
  EXPECT_FALSE(registry_.Resolve("").ok());
}

TEST(Registry, RejectsDuplicatesUnknownReferencesAndCycles) {
  Registry registry;
  ASSERT_OK(registry.Add({"a", "", {"b"}}));
  EXPECT_EQ(registry.Add({"a", ""}).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(registry.Add({"all", ""}).ok());
  EXPECT_FALSE(registry.Validate().ok());  // b is unknown
  ASSERT_OK(registry.Add({"b", "", {"a"}}));
  auto status = registry.Validate();
  EXPECT_FALSE(status.ok());
  EXPECT_TRUE(absl::StrContains(status.message(), "cycle"));
}

TEST_F(RegistryTest, ReportsTransitiveDependencies) {
  EXPECT_EQ(registry_.TransitiveDependencies("order"), (std::vector<std::string>{"saga-log"}));
  EXPECT_TRUE(registry_.TransitiveDependencies("gateway").empty());
}

// A client interface as services declare theirs (section 7 of docs/architecture.md).
class PaymentClientForTest {
 public:
  static constexpr std::string_view kService = "payment";
  static std::shared_ptr<PaymentClientForTest> OverGrpc(std::shared_ptr<grpc::Channel>,
                                                        const rpc::CallPolicy&) {
    return nullptr;
  }
  virtual ~PaymentClientForTest() = default;
};

TEST(Registry, RefusesAModuleThatNamesAnotherServicesRemoteClient) {
  Registry registry;
  ModuleSpec impostor{.name = "search", .description = "finds trips"};
  impostor.remote_client = RemoteClientOf<PaymentClientForTest>();
  const absl::Status added = registry.Add(std::move(impostor));
  EXPECT_EQ(added.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(added.message(), "remote client of service payment"))
      << added.message();
  EXPECT_TRUE(registry.specs().empty());

  ModuleSpec payment{.name = "payment", .description = "payments"};
  payment.remote_client = RemoteClientOf<PaymentClientForTest>();
  EXPECT_OK(registry.Add(std::move(payment)));
}

}  // namespace
}  // namespace travio::module
