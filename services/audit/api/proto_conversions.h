#pragma once

// The audit service's wire conversions, shared by the gRPC client and the gRPC service.

#include <vector>

#include "services/audit/api/audit_client.h"
#include "travio/audit/v1/audit_service.pb.h"

namespace travio::audit {

void ToProto(const AuditFact& fact, v1::Fact& out);
AuditFact FromProto(const v1::Fact& in);
void ToProto(const AuditQuery& query, v1::Query& out);
AuditQuery FromProto(const v1::Query& in);
void ToProto(const AuditPage& page, v1::Page& out);
AuditPage FromProto(const v1::Page& in);
void ToProto(const Verification& verification, v1::Verification& out);
Verification FromProto(const v1::Verification& in);
void ToProto(const std::vector<AuditKey>& keys, v1::Keys& out);
std::vector<AuditKey> FromProto(const v1::Keys& in);

namespace v1 {
// Beside the messages, so that the gRPC client's unary helper (platform/rpc/unary.h) finds the
// conversion of a reply by argument-dependent lookup.
using ::travio::audit::FromProto;
}  // namespace v1

}  // namespace travio::audit
