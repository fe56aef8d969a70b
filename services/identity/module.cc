#include "services/identity/module.h"

#include "platform/base/version.h"
#include "platform/module/context.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/identity_grpc_service.h"

namespace travio::identity {
namespace {

// The in-process implementation other modules get when identity runs in their process.
class LocalIdentityClient final : public IdentityClient {
 public:
  explicit LocalIdentityClient(std::string instance_id) : instance_id_(std::move(instance_id)) {}
  absl::StatusOr<ServerInfo> GetServerInfo() override {
    return ServerInfo{"identity", std::string(Version()), std::string(Commit()), instance_id_};
  }

 private:
  std::string instance_id_;
};

class IdentityModule final : public module::Module {
 public:
  explicit IdentityModule(module::Context& context)
      : local_(std::make_shared<LocalIdentityClient>(context.instance_id())), grpc_(local_) {
    context.clients().Export<IdentityClient>("identity", local_);
    context.AddGrpcService(&grpc_);
  }

 private:
  std::shared_ptr<LocalIdentityClient> local_;
  IdentityGrpcService grpc_;
};

}  // namespace

absl::Status RegisterIdentityModule(module::Registry& registry) {
  return registry.Add({
      .name = "identity",
      .description = "accounts, organizations, memberships, tokens and access control",
      .factory = [](module::Context& context) -> absl::StatusOr<std::unique_ptr<module::Module>> {
        return std::make_unique<IdentityModule>(context);
      },
  });
}

}  // namespace travio::identity
