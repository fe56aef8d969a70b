#include "services/gateway/module.h"

#include "platform/base/version.h"
#include "platform/http/json.h"
#include "platform/http/problem.h"
#include "platform/http/router.h"
#include "platform/module/context.h"
#include "services/identity/api/identity_client.h"

namespace travio::gateway {
namespace {

class GatewayModule final : public module::Module {
 public:
  GatewayModule(module::Context& context, std::shared_ptr<identity::IdentityClient> identity)
      : identity_(std::move(identity)),
        instance_id_(context.instance_id()),
        logger_(context.logger()) {}

  // GET /v1/version: this process's build and that of the identity service, reached through
  // its client (in-process or over gRPC).
  http::Response Version(http::Request& request) {
    auto info = identity_->GetServerInfo();
    if (!info.ok()) {
      logger_.Warn("identity unreachable",
                   {{"request_id", request.request_id}, {"error", info.status().ToString()}});
      return http::ProblemFromStatus(info.status());
    }
    return http::Json(200, {{"version", std::string(travio::Version())},
                            {"commit", std::string(Commit())},
                            {"instance_id", instance_id_},
                            {"services",
                             {{"identity",
                               {{"version", info->version},
                                {"commit", info->commit},
                                {"instance_id", info->instance_id}}}}}});
  }

 private:
  std::shared_ptr<identity::IdentityClient> identity_;
  std::string instance_id_;
  log::Logger logger_;
};

}  // namespace

absl::Status RegisterGatewayModule(module::Registry& registry) {
  return registry.Add({
      .name = "gateway",
      .description = "public REST API, auth, tenant scoping, rate limits, idempotency, web UI",
      .calls = {"identity"},
      .factory = [](module::Context& context) -> absl::StatusOr<std::unique_ptr<module::Module>> {
        auto identity = context.clients().Bind<identity::IdentityClient>(
            "identity", identity::MakeGrpcIdentityClient);
        if (!identity.ok()) return identity.status();
        auto gateway = std::make_unique<GatewayModule>(context, *std::move(identity));
        auto* raw = gateway.get();
        auto status = context.router().Add("GET", "/v1/version",
                                           [raw](http::Request& r) { return raw->Version(r); });
        if (!status.ok()) return status;
        return gateway;
      },
  });
}

}  // namespace travio::gateway
