#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "platform/http/message.h"

namespace travio::http {

using Handler = std::function<Response(Request&)>;
/// Wraps every routed request: may answer itself (auth refused) or call `next`.
using Middleware = std::function<Response(Request&, const Handler& next)>;

struct RouteOptions {
  /// Handlers that may block (database, RPC) run on the worker pool; cheap non-blocking ones
  /// (health, metrics) run on the I/O thread and skip a thread hop.
  bool blocking = true;
  /// For a blocking route: says, before any middleware runs, that this request will be
  /// answered without waiting on storage or another service (a search of a day held in
  /// memory), so it too runs on the I/O thread. Must be cheap and must not block itself.
  std::function<bool(const Request&)> at_once;
  /// Write an access-log line for each request; off for probes and scrapes.
  bool access_log = true;
};

/// What the router found for a request.
struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  const Handler* handler = nullptr;
  /// The found route's options (the router's own, valid while it lives); null otherwise.
  const RouteOptions* options = nullptr;
  std::string allowed_methods;  // for 405, e.g. "GET, POST"
};

/// Maps method and path patterns ("/v1/orgs/{org_id}/members") to handlers. Literal segments
/// win over parameters, so "/v1/orgs/invites" and "/v1/orgs/{org_id}" coexist. Routes are added
/// at startup, before the server starts; lookups are then lock-free reads.
class Router {
 public:
  Router();
  ~Router();
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  /// Fails when the pattern is malformed or the method and pattern are taken.
  absl::Status Add(const std::string& method, const std::string& pattern, Handler handler,
                   RouteOptions options = {});
  /// Runs for every matched route, outermost first in the order added.
  void Use(Middleware middleware);
  /// Answers GET and HEAD requests outside /v1 that match no route (static files); without it
  /// they get 404.
  void SetFallback(Handler handler, RouteOptions options = {});

  /// Finds the route for `request`, filling its path_params and route.
  RouteMatch Match(Request& request) const;
  /// Runs the middleware chain and the handler of a found match.
  Response Dispatch(Request& request, const RouteMatch& match) const;
  /// Match and Dispatch together; 404/405 become problem+json responses.
  Response Handle(Request& request) const;

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<Middleware> middlewares_;
  Handler fallback_;
  RouteOptions fallback_options_;
};

}  // namespace travio::http
