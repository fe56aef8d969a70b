#pragma once

#include "absl/status/statusor.h"
#include "services/catalog/api/catalog_client.h"
#include "travio/catalog/v1/catalog_service.pb.h"

namespace travio::catalog {

void ToProto(const Station& in, v1::Station& out);
Station FromProto(const v1::Station& in);
void ToProto(const Route& in, v1::Route& out);
Route FromProto(const v1::Route& in);
void ToProto(const Fare& in, v1::Fare& out);
Fare FromProto(const v1::Fare& in);
void ToProto(const Trip& in, v1::Trip& out);
absl::StatusOr<Trip> FromProto(const v1::Trip& in);
void ToProto(const Schedule& in, v1::Schedule& out);
absl::StatusOr<Schedule> FromProto(const v1::Schedule& in);
void ToProto(const CrewAssignment& in, v1::CrewAssignment& out);
CrewAssignment FromProto(const v1::CrewAssignment& in);

std::vector<Fare> FaresFromProto(const google::protobuf::RepeatedPtrField<v1::Fare>& in);
void FaresToProto(const std::vector<Fare>& in, google::protobuf::RepeatedPtrField<v1::Fare>& out);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::catalog::FromProto;
}  // namespace v1

}  // namespace travio::catalog
