#pragma once

#include <memory>
#include <string>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/http/message.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/audit/api/audit_client.h"
#include "services/gateway/security/caller.h"

namespace travio::gateway {

/// The gateway's part of the audit log: what staff did through the API (every change an
/// org-scoped route made: who, which route, on what, with which answer) and every sign-in,
/// successful or not. Services' events say what changed; these say who asked for it.
///
/// Recorded before the answer goes out, under a record id of the gateway's own making (a
/// client's request id could be replayed to hide a record). The action has happened by then:
/// when the audit service cannot be reached, the answer still goes out and the loss is logged
/// and counted (travio_gateway_audit_failures_total).
class AuditTrail {
 public:
  AuditTrail(std::shared_ptr<audit::AuditClient> audit, const Clock& clock, const IdGenerator& ids,
             log::Logger logger, metrics::Registry* metrics);

  /// A change an org-scoped route answered with success.
  void RecordChange(const http::Request& request, const Caller& caller,
                    const http::Response& response);
  /// A sign-in: `user_id` on success, the `reason` it failed otherwise (platform log).
  void RecordSignIn(const http::Request& request, const std::string& email,
                    const std::string& user_id, const std::string& reason);

 private:
  void Record(audit::AuditFact fact);

  std::shared_ptr<audit::AuditClient> audit_;
  const Clock& clock_;
  const IdGenerator& ids_;
  log::Logger logger_;
  metrics::Family<metrics::Counter>* failures_ = nullptr;
};

}  // namespace travio::gateway
