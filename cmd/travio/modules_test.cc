// The least-privilege table between services (each ModuleSpec's grpc_access) agrees with the
// services' protobuf definitions and with what each module declares it calls.
#include "cmd/travio/modules.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "platform/testing/status_matchers.h"

namespace travio {
namespace {

bool Calls(const module::ModuleSpec& caller, const std::string& service) {
  return std::find(caller.calls.begin(), caller.calls.end(), service) != caller.calls.end();
}

class GrpcAccessTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(RegisterAllModules(registry_)); }
  module::Registry registry_;
};

TEST_F(GrpcAccessTest, EveryMethodOfEveryServiceNamesItsCallers) {
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& [name, spec] : registry_.specs()) {
    if (!spec.remote_client.empty()) {
      EXPECT_FALSE(spec.grpc_access.empty())
          << name << " is reachable over gRPC but names none of its callers";
    }
    for (const module::GrpcAccess& access : spec.grpc_access) {
      const google::protobuf::ServiceDescriptor* service = pool->FindServiceByName(access.service);
      ASSERT_NE(service, nullptr) << name << " lists callers of an unknown service "
                                  << access.service;
      std::set<std::string> listed;
      for (const auto& [caller, methods] : access.methods_by_caller) {
        for (const std::string& method : methods) {
          EXPECT_NE(service->FindMethodByName(method), nullptr)
              << access.service << " has no method " << method << " (listed for " << caller << ")";
          listed.insert(method);
        }
      }
      for (int i = 0; i < service->method_count(); ++i) {
        EXPECT_TRUE(listed.count(service->method(i)->name()))
            << access.service << "/" << service->method(i)->name()
            << " names no caller, so every call of it is refused: name its callers or remove it";
      }
    }
  }
}

TEST_F(GrpcAccessTest, CallersAreTargetsThatDeclareTheCallAndEveryDeclaredCallIsAllowed) {
  for (const auto& [name, spec] : registry_.specs()) {
    std::set<std::string> allowed;
    for (const module::GrpcAccess& access : spec.grpc_access) {
      for (const auto& [caller, methods] : access.methods_by_caller) {
        const auto caller_spec = registry_.specs().find(caller);
        ASSERT_NE(caller_spec, registry_.specs().end())
            << name << " lets " << caller << " call it, but no target has that name";
        EXPECT_TRUE(Calls(caller_spec->second, name))
            << name << " lets " << caller << " call it, but " << caller
            << "'s spec does not say it calls " << name;
        EXPECT_FALSE(methods.empty()) << caller << " is listed for no method of " << name;
        allowed.insert(caller);
      }
    }
    for (const auto& [caller, caller_spec] : registry_.specs()) {
      if (Calls(caller_spec, name)) {
        EXPECT_TRUE(allowed.count(caller))
            << caller << " calls " << name << ", which lets it call none of its methods";
      }
    }
  }
}

}  // namespace
}  // namespace travio
