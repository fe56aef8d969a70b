#include "platform/rpc/caller_check.h"

#include <grpc/grpc_security_constants.h>
#include <grpcpp/security/auth_context.h>
#include <grpcpp/security/auth_metadata_processor.h>

#include <string>
#include <vector>

namespace travio::rpc {
namespace {

std::string Text(grpc::string_ref value) { return std::string(value.data(), value.size()); }

class CallerCheckProcessor final : public grpc::AuthMetadataProcessor {
 public:
  CallerCheckProcessor(CallerPolicy policy, std::function<void(const absl::Status&)> on_refused)
      : policy_(std::move(policy)), on_refused_(std::move(on_refused)) {}

  // The check is a lookup in memory: gRPC may run it on its own thread.
  bool IsBlocking() const override { return false; }

  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext* context, OutputMetadata*,
                       OutputMetadata*) override {
    const auto path = metadata.find(":path");
    const std::vector<grpc::string_ref> names =
        context->FindPropertyValues(GRPC_X509_CN_PROPERTY_NAME);
    const absl::Status allowed =
        policy_.Check(path == metadata.end() ? std::string() : Text(path->second),
                      names.size() == 1 ? Text(names.front()) : std::string());
    if (allowed.ok()) return grpc::Status::OK;
    if (on_refused_) on_refused_(allowed);
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, std::string(allowed.message()));
  }

 private:
  const CallerPolicy policy_;
  const std::function<void(const absl::Status&)> on_refused_;
};

}  // namespace

std::shared_ptr<grpc::AuthMetadataProcessor> CallerCheck(
    CallerPolicy policy, std::function<void(const absl::Status&)> on_refused) {
  return std::make_shared<CallerCheckProcessor>(std::move(policy), std::move(on_refused));
}

}  // namespace travio::rpc
