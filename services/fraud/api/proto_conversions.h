#pragma once

// The fraud service's wire conversions, shared by the gRPC client and the gRPC service.

#include "absl/status/statusor.h"
#include "services/fraud/api/fraud_client.h"
#include "travio/fraud/v1/fraud_service.pb.h"

namespace travio::fraud {

void ToProto(const AssessRequest& request, v1::AssessRequest& out);
AssessRequest FromProto(const v1::AssessRequest& in);
void ToProto(const Assessment& assessment, v1::Assessment& out);
absl::StatusOr<Assessment> FromProto(const v1::Assessment& in);
void ToProto(const RiskSettings& settings, v1::Settings& out);
absl::StatusOr<RiskSettings> FromProto(const v1::Settings& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::fraud::FromProto;
}  // namespace v1

}  // namespace travio::fraud
