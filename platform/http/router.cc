#include "platform/http/router.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/http/problem.h"

namespace travio::http {

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>> literals;
  std::unique_ptr<Node> parameter;
  std::string parameter_name;
  struct Route {
    Handler handler;
    RouteOptions options;
    std::string pattern;
  };
  std::map<std::string, Route> routes;  // by method
};

namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> segments = absl::StrSplit(path, '/', absl::SkipEmpty());
  return segments;
}

}  // namespace

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;

absl::Status Router::Add(const std::string& method, const std::string& pattern, Handler handler,
                         RouteOptions options) {
  if (pattern.empty() || pattern.front() != '/') {
    return absl::InvalidArgumentError(absl::StrCat("route pattern must start with /: ", pattern));
  }
  Node* node = root_.get();
  for (const std::string& segment : Segments(pattern)) {
    if (segment.size() >= 2 && segment.front() == '{' && segment.back() == '}') {
      const std::string name = segment.substr(1, segment.size() - 2);
      if (!node->parameter) {
        node->parameter = std::make_unique<Node>();
        node->parameter_name = name;
      } else if (node->parameter_name != name) {
        return absl::InvalidArgumentError(absl::StrCat("route ", pattern, " names parameter {",
                                                       name, "} where another route has {",
                                                       node->parameter_name, "}"));
      }
      node = node->parameter.get();
    } else {
      if (segment.find_first_of("{}") != std::string::npos) {
        return absl::InvalidArgumentError(absl::StrCat("malformed route segment: ", segment));
      }
      auto& child = node->literals[segment];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  if (node->routes.count(method)) {
    return absl::AlreadyExistsError(absl::StrCat("route ", method, " ", pattern, " added twice"));
  }
  node->routes[method] = {std::move(handler), options, pattern};
  return absl::OkStatus();
}

void Router::Use(Middleware middleware) { middlewares_.push_back(std::move(middleware)); }

void Router::SetFallback(Handler handler, RouteOptions options) {
  fallback_ = std::move(handler);
  fallback_options_ = options;
}

RouteMatch Router::Match(Request& request) const {
  const Node* node = root_.get();
  std::map<std::string, std::string> params;
  for (const std::string& segment : Segments(request.path)) {
    auto literal = node->literals.find(segment);
    if (literal != node->literals.end()) {
      node = literal->second.get();
    } else if (node->parameter) {
      params[node->parameter_name] = segment;
      node = node->parameter.get();
    } else {
      node = nullptr;
      break;
    }
  }
  RouteMatch match;
  if (node != nullptr && !node->routes.empty()) {
    auto route = node->routes.find(request.method);
    if (route == node->routes.end() && request.method == "HEAD") route = node->routes.find("GET");
    if (route != node->routes.end()) {
      match.kind = RouteMatch::Kind::kFound;
      match.handler = &route->second.handler;
      match.options = &route->second.options;
      request.path_params = std::move(params);
      request.route = route->second.pattern;
      request.route_found = true;
      return match;
    }
    std::vector<std::string> methods;
    for (const auto& [method, unused] : node->routes) methods.push_back(method);
    match.kind = RouteMatch::Kind::kMethodNotAllowed;
    match.allowed_methods = absl::StrJoin(methods, ", ");
    request.route = node->routes.begin()->second.pattern;
    return match;
  }
  // API paths never fall back to static files: a typo in a /v1 path is a route_not_found.
  const bool api_path = request.path.rfind("/v1/", 0) == 0 || request.path == "/v1";
  if (fallback_ && !api_path && (request.method == "GET" || request.method == "HEAD")) {
    match.kind = RouteMatch::Kind::kFound;
    match.handler = &fallback_;
    match.options = &fallback_options_;
    request.route = "static";
    return match;
  }
  request.route = "unmatched";
  return match;
}

Response Router::Dispatch(Request& request, const RouteMatch& match) const {
  Handler terminal;
  switch (match.kind) {
    case RouteMatch::Kind::kFound:
      terminal = *match.handler;
      break;
    case RouteMatch::Kind::kNotFound:
      terminal = [](Request& r) {
        return ProblemFromStatus(
            Error(reasons::kRouteNotFound, "No route matches " + r.path + "."));
      };
      break;
    case RouteMatch::Kind::kMethodNotAllowed:
      terminal = [allowed = match.allowed_methods](Request& r) {
        Response response = ProblemFromStatus(
            Error(reasons::kMethodNotAllowed, r.method + " is not allowed on " + r.path + "."));
        response.SetHeader("Allow", allowed);
        return response;
      };
      break;
  }
  // Build the chain from the innermost middleware outwards.
  Handler chain = std::move(terminal);
  for (auto it = middlewares_.rbegin(); it != middlewares_.rend(); ++it) {
    chain = [middleware = &*it, next = std::move(chain)](Request& r) {
      return (*middleware)(r, next);
    };
  }
  return chain(request);
}

Response Router::Handle(Request& request) const { return Dispatch(request, Match(request)); }

}  // namespace travio::http
