#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "services/audit/domain/audit_entry.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::audit {

/// A key that verifies checkpoints (Ed25519, published with the platform's other keys).
struct AuditKey {
  std::string kid;
  std::string public_key;  // 32 raw bytes
};

/// The audit service as the gateway calls it: in-process in the monolith, over gRPC otherwise.
/// Every other service reaches the log through its events.
class AuditClient {
 public:
  static constexpr std::string_view kService = "audit";
  static std::shared_ptr<AuditClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                               const rpc::CallPolicy& policy);

  virtual ~AuditClient() = default;

  /// Appends an action the gateway saw (its `source` is the gateway's record id, so a retried
  /// call adds nothing), dated by the audit service's clock, not the caller's `at`.
  /// kInvalidArgument for a fact out of bounds or details that are not a JSON object.
  virtual absl::Status Record(const AuditFact& fact) = 0;
  /// A page of one log, newest first.
  virtual absl::StatusOr<AuditPage> List(const AuditQuery& query) = 0;
  /// Recomputes the log's chain and checks its checkpoints.
  virtual absl::StatusOr<Verification> Verify(const std::string& log) = 0;
  /// The keys checkpoints are signed with, the current one first.
  virtual absl::StatusOr<std::vector<AuditKey>> VerificationKeys() = 0;
};

}  // namespace travio::audit
