#include "services/gateway/security/secure_routes.h"

#include "platform/base/ids.h"

namespace travio::gateway {
namespace {

std::string RouteKey(std::string_view method, std::string_view pattern) {
  return std::string(method) + " " + std::string(pattern);
}

}  // namespace

SecureRoutes::SecureRoutes(http::Router& router, Authenticator& authenticator, log::Logger logger)
    : router_(router),
      authenticator_(authenticator),
      logger_(std::move(logger)),
      keys_(std::make_shared<std::set<std::string>>()) {
  router_.Use([keys = keys_, logger = logger_](http::Request& request,
                                               const http::Handler& next) -> http::Response {
    // HEAD is served by a GET route.
    const std::string method = request.method == "HEAD" ? "GET" : request.method;
    const bool api = request.route_found && request.route.rfind("/v1/", 0) == 0;
    if (api && !keys->contains(RouteKey(method, request.route))) {
      logger.Error("route without a security policy refused",
                   {{"route", request.route}, {"method", request.method}});
      return http::ProblemFromStatus(
          Error(reasons::kForbidden, "This route is not open to callers."));
    }
    return next(request);
  });
}

absl::Status SecureRoutes::Add(RouteSpec spec) {
  if ((spec.policy.access == Access::kOrg || spec.policy.access == Access::kOrgInPath) &&
      !spec.policy.permission) {
    return absl::InvalidArgumentError("org-scoped route " + spec.pattern + " names no permission");
  }
  if (spec.idempotent && idempotency_ == nullptr) {
    return absl::FailedPreconditionError("idempotent route " + spec.pattern +
                                         " added before UseIdempotency");
  }
  if (spec.at_once && (spec.idempotent || spec.traffic == TrafficClass::kSignIn)) {
    return absl::InvalidArgumentError("route " + spec.pattern +
                                      " keeps state that cannot be answered at once");
  }
  http::RouteOptions options;
  if (spec.at_once) {
    options.at_once = [this, at_once = std::move(spec.at_once)](const http::Request& request) {
      return (traffic_ == nullptr || traffic_->InProcess()) &&
             !request.Header("Authorization").has_value() && at_once(request);
    };
  }
  const std::string key = RouteKey(spec.method, spec.pattern);
  keys_->insert(key);
  declared_.emplace_back(key, spec.policy);
  openapi_.Add(spec.method, spec.pattern, spec.policy, spec.doc);
  return router_.Add(
      spec.method, spec.pattern,
      [this, policy = spec.policy, handler = std::move(spec.handler), traffic_class = spec.traffic,
       idempotency =
           spec.idempotent ? idempotency_ : nullptr](http::Request& request) -> http::Response {
        // Limits by address come before any work, token checks included; a request handed
        // over from an I/O thread was counted there (only anonymous ones run at once, so
        // there is no subject to count either).
        TrafficControl::Verdict verdict;
        if (traffic_ != nullptr && !request.handed_over) {
          verdict = traffic_->ByAddress(traffic_class, request.remote_address);
          if (verdict.refusal) return *std::move(verdict.refusal);
        }
        const bool signs_in = traffic_ != nullptr && traffic_class == TrafficClass::kSignIn;
        std::optional<TrafficControl::SignInSlot> slot =
            signs_in ? traffic_->EnterSignIn() : std::nullopt;
        if (signs_in) {
          if (!slot) {
            return http::ProblemFromStatus(WithRetryAfter(
                Error(reasons::kSignInBusy, "Too many sign-ins at once; try again in a moment."),
                absl::Seconds(1)));
          }
        }
        http::Response response =
            Serve(request, policy, handler, traffic_class, idempotency, verdict);
        verdict.Apply(response);
        return response;
      },
      std::move(options));
}

http::Response SecureRoutes::Serve(http::Request& request, const RoutePolicy& policy,
                                   const SecureHandler& handler, TrafficClass traffic_class,
                                   const std::shared_ptr<const Idempotency>& idempotency,
                                   TrafficControl::Verdict& verdict) {
  auto caller = authenticator_.Authenticate(request, policy);
  if (!caller.ok()) {
    if (caller.status().code() == absl::StatusCode::kUnavailable) {
      logger_.Warn("caller could not be authenticated",
                   {{"request_id", request.request_id}, {"error", caller.status().ToString()}});
    }
    http::Response response = http::ProblemFromStatus(caller.status());
    if (response.status == 401) response.SetHeader("WWW-Authenticate", "Bearer");
    return response;
  }
  // Every id Travio hands out is a UUID: anything else names nothing, and never reaches a
  // service (or a database, or a proto string that must be UTF-8). Room ids are slugs the
  // operator chose: the queue checks those.
  for (const auto& [name, value] : request.path_params) {
    if (name.size() > 3 && name.ends_with("_id") && name != "room_id" && !IsUuid(value)) {
      return http::ProblemFromStatus(Error(reasons::kNotFound, "No such resource."));
    }
  }
  if (traffic_ != nullptr && caller->authenticated()) {
    verdict = traffic_->BySubject(traffic_class, caller->user_id(), std::move(verdict));
    if (verdict.refusal) return *std::move(verdict.refusal);
  }
  if (idempotency != nullptr) {
    // Keys belong to the caller: another caller's identical key is another request.
    const std::string scope =
        caller->authenticated() ? caller->user_id() : "anonymous:" + request.remote_address;
    return idempotency->Run(request, scope, [&] { return Audited(request, *caller, handler); });
  }
  return Audited(request, *caller, handler);
}

http::Response SecureRoutes::Audited(http::Request& request, const Caller& caller,
                                     const SecureHandler& handler) {
  http::Response response = handler(request, caller);
  // Changes to an organization's data, once they succeeded: who made them and how.
  const bool changes = request.method != "GET" && request.method != "HEAD";
  if (audit_trail_ != nullptr && changes && caller.membership && response.status < 400) {
    audit_trail_->RecordChange(request, caller, response);
  }
  return response;
}

}  // namespace travio::gateway
