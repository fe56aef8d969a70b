#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "platform/http/problem.h"
#include "platform/http/router.h"
#include "platform/log/logger.h"
#include "services/gateway/openapi/openapi.h"
#include "services/gateway/security/audit_trail.h"
#include "services/gateway/security/authenticator.h"
#include "services/gateway/security/idempotency.h"
#include "services/gateway/security/traffic.h"

namespace travio::gateway {

using SecureHandler = std::function<http::Response(http::Request&, const Caller&)>;

/// One row of the gateway's route table.
struct RouteSpec {
  std::string method;
  std::string pattern;
  RoutePolicy policy;
  SecureHandler handler;
  OperationDoc doc = {};
  /// Requires an `Idempotency-Key` and runs the handler at most once per key (see
  /// Idempotency): routes that create orders and payments.
  bool idempotent = false;
  /// The route's rate limits (TrafficControl): per client address before the caller is
  /// authenticated, per subject after.
  TrafficClass traffic = TrafficClass::kReads;
  /// Says that a request will be answered without waiting on storage or another service, so
  /// it runs on the I/O thread (http::RouteOptions::at_once). Consulted only for anonymous
  /// requests on in-process rate limits: a bearer token's check may read the revocation list.
  std::function<bool(const http::Request&)> at_once = nullptr;
};

/// The only way /v1 routes get onto the router: each comes with its policy, and a middleware
/// refuses any /v1 route that did not come through here (deny by default).
class SecureRoutes {
 public:
  SecureRoutes(http::Router& router, Authenticator& authenticator, log::Logger logger);

  absl::Status Add(RouteSpec spec);
  /// The keys idempotent routes use; set before adding one.
  void UseIdempotency(std::shared_ptr<const Idempotency> idempotency) {
    idempotency_ = std::move(idempotency);
  }
  /// The rate limits every route meets; without them, none.
  void UseTraffic(std::shared_ptr<TrafficControl> traffic) { traffic_ = std::move(traffic); }
  /// Where every change an org-scoped route makes is recorded; without it, nowhere. Set before
  /// adding routes (the sign-in route records through it too).
  void UseAuditTrail(std::shared_ptr<AuditTrail> trail) { audit_trail_ = std::move(trail); }
  const std::shared_ptr<AuditTrail>& audit_trail() const { return audit_trail_; }
  /// Every declared route with its policy, for the tests' route matrices and the docs.
  const std::vector<std::pair<std::string, RoutePolicy>>& declared() const { return declared_; }
  /// The OpenAPI document of every route added so far.
  OpenApiDocument& openapi() { return openapi_; }

 private:
  // Authentication, tenant checks, per-subject limits and idempotency around the handler.
  http::Response Serve(http::Request& request, const RoutePolicy& policy,
                       const SecureHandler& handler, TrafficClass traffic_class,
                       const std::shared_ptr<const Idempotency>& idempotency,
                       TrafficControl::Verdict& verdict);
  // The handler, and the audit trail's record of the change it made.
  http::Response Audited(http::Request& request, const Caller& caller,
                         const SecureHandler& handler);

  http::Router& router_;
  Authenticator& authenticator_;
  log::Logger logger_;
  std::shared_ptr<std::set<std::string>> keys_;
  std::shared_ptr<const Idempotency> idempotency_;
  std::shared_ptr<TrafficControl> traffic_;
  std::shared_ptr<AuditTrail> audit_trail_;
  std::vector<std::pair<std::string, RoutePolicy>> declared_;
  OpenApiDocument openapi_;
};

}  // namespace travio::gateway
