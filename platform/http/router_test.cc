#include "platform/http/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "platform/http/json.h"
#include "platform/http/problem.h"
#include "platform/testing/status_matchers.h"

namespace travio::http {
namespace {

Request MakeRequest(std::string method, std::string path) {
  Request request;
  request.method = std::move(method);
  request.path = std::move(path);
  return request;
}

Handler Echo(std::string name) {
  return [name](Request& r) {
    nlohmann::json params = r.path_params;
    return Json(200, {{"handler", name}, {"params", params}, {"route", r.route}});
  };
}

TEST(Router, MatchesLiteralsBeforeParameters) {
  Router router;
  ASSERT_OK(router.Add("GET", "/v1/orgs/{org_id}", Echo("org")));
  ASSERT_OK(router.Add("GET", "/v1/orgs/invites", Echo("invites")));
  ASSERT_OK(router.Add("DELETE", "/v1/orgs/invites/{id}", Echo("revoke")));

  Request invites = MakeRequest("GET", "/v1/orgs/invites");
  EXPECT_EQ(nlohmann::json::parse(router.Handle(invites).body)["handler"], "invites");

  Request org = MakeRequest("GET", "/v1/orgs/0192-abc");
  auto body = nlohmann::json::parse(router.Handle(org).body);
  EXPECT_EQ(body["handler"], "org");
  EXPECT_EQ(body["params"]["org_id"], "0192-abc");
  EXPECT_EQ(body["route"], "/v1/orgs/{org_id}");

  Request revoke = MakeRequest("DELETE", "/v1/orgs/invites/inv-1/");
  EXPECT_EQ(nlohmann::json::parse(router.Handle(revoke).body)["params"]["id"], "inv-1");
}

TEST(Router, AnswersUnknownPathsAndMethodsWithProblems) {
  Router router;
  ASSERT_OK(router.Add("GET", "/v1/things", Echo("list")));
  ASSERT_OK(router.Add("POST", "/v1/things", Echo("create")));

  Request missing = MakeRequest("GET", "/v1/nothing");
  Response not_found = router.Handle(missing);
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(not_found.headers.find("Content-Type")->second, "application/problem+json");
  EXPECT_EQ(nlohmann::json::parse(not_found.body)["code"], "route_not_found");

  Request wrong_method = MakeRequest("PUT", "/v1/things");
  Response not_allowed = router.Handle(wrong_method);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.headers.find("Allow")->second, "GET, POST");

  Request head = MakeRequest("HEAD", "/v1/things");
  EXPECT_EQ(router.Handle(head).status, 200);
}

TEST(Router, RejectsConflictingRoutes) {
  Router router;
  ASSERT_OK(router.Add("GET", "/v1/orgs/{org_id}", Echo("a")));
  EXPECT_EQ(router.Add("GET", "/v1/orgs/{org_id}", Echo("b")).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(router.Add("GET", "/v1/orgs/{id}/members", Echo("c")).ok());
  EXPECT_FALSE(router.Add("GET", "no-slash", Echo("d")).ok());
  EXPECT_FALSE(router.Add("GET", "/v1/{a", Echo("e")).ok());
}

TEST(Router, MiddlewaresWrapInOrderAndMayAnswer) {
  Router router;
  ASSERT_OK(router.Add("GET", "/v1/secret", Echo("secret")));
  std::vector<std::string> calls;
  router.Use([&calls](Request& r, const Handler& next) {
    calls.push_back("outer");
    Response response = next(r);
    response.SetHeader("X-Outer", "1");
    return response;
  });
  router.Use([&calls](Request& r, const Handler& next) {
    calls.push_back("auth");
    if (!r.Header("Authorization")) return Problem(401, "unauthenticated", "Unauthorized", "no");
    return next(r);
  });
  Request anonymous = MakeRequest("GET", "/v1/secret");
  Response refused = router.Handle(anonymous);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.headers.count("X-Outer"), 1u);
  EXPECT_EQ(calls, (std::vector<std::string>{"outer", "auth"}));

  Request signed_in = MakeRequest("GET", "/v1/secret");
  signed_in.headers.emplace("Authorization", "Bearer x");
  EXPECT_EQ(router.Handle(signed_in).status, 200);
}

TEST(Problem, MapsStatusesReasonsAndHidesInternals) {
  Response conflict =
      ProblemFromStatus(Error(absl::StatusCode::kAlreadyExists, "slug_taken", "Slug is taken."));
  EXPECT_EQ(conflict.status, 409);
  auto body = nlohmann::json::parse(conflict.body);
  EXPECT_EQ(body["code"], "slug_taken");
  EXPECT_EQ(body["detail"], "Slug is taken.");
  EXPECT_EQ(body["status"], 409);
  EXPECT_EQ(body["title"], "Conflict");

  // The registry's HTTP status wins over the canonical code's (422).
  Response gone = ProblemFromStatus(Error(reasons::kHoldExpired, "expired"));
  EXPECT_EQ(gone.status, 410);
  // A reason outside the registry is answered by its canonical code.
  Response unregistered =
      ProblemFromStatus(Error(absl::StatusCode::kFailedPrecondition, "not_registered", "x"));
  EXPECT_EQ(unregistered.status, 422);

  Response listed = ProblemFromStatus(
      WithProblemList(Error(absl::StatusCode::kAlreadyExists, "seats_unavailable", "Taken."),
                      {"unavailable", {"A2"}}));
  EXPECT_EQ(nlohmann::json::parse(listed.body)["unavailable"], nlohmann::json({"A2"}));
  Response limited = ProblemFromStatus(WithProblemFields(
      Error(absl::StatusCode::kResourceExhausted, "plan_limit_reached", "Full."),
      {{"quota", std::string("buses")}, {"limit", int64_t{3}}, {"status", int64_t{1}}}));
  const auto limited_body = nlohmann::json::parse(limited.body);
  EXPECT_EQ(limited_body["quota"], "buses");
  EXPECT_EQ(limited_body["limit"], 3);
  EXPECT_EQ(limited_body["status"], limited.status);  // a standard member stays
  // A server error shows none of them.
  Response hidden = ProblemFromStatus(
      WithProblemFields(absl::InternalError("x"), {{"secret", std::string("internals")}}));
  EXPECT_EQ(hidden.body.find("internals"), std::string::npos);
  // An extension member never replaces a standard one.
  Response clash = ProblemFromStatus(
      WithProblemList(Error(absl::StatusCode::kAborted, "x", "y"), {"status", {"z"}}));
  EXPECT_EQ(nlohmann::json::parse(clash.body)["status"], 409);

  // A registered reason arriving with a server error's code stays a server error: its message,
  // which may carry internals, is not shown.
  Response disguised = ProblemFromStatus(
      Error(absl::StatusCode::kInternal, "validation_failed", "password=hunter2 leaked"));
  EXPECT_EQ(disguised.status, 500);
  EXPECT_EQ(disguised.body.find("hunter2"), std::string::npos);

  Response internal = ProblemFromStatus(absl::InternalError("password=hunter2 leaked"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_EQ(internal.body.find("hunter2"), std::string::npos);

  Response invalid = ProblemFromStatus(WithFieldErrors(
      Error(absl::StatusCode::kInvalidArgument, "validation_failed", "Invalid input."),
      {{"email", "must contain @"}}));
  EXPECT_EQ(invalid.status, 400);
  EXPECT_EQ(nlohmann::json::parse(invalid.body)["errors"][0]["field"], "email");

  Response throttled = ProblemFromStatus(
      WithRetryAfter(Error(absl::StatusCode::kResourceExhausted, "too_many_attempts", "Wait."),
                     absl::Milliseconds(2100)));
  EXPECT_EQ(throttled.status, 429);
  ASSERT_EQ(throttled.headers.count("Retry-After"), 1u);
  EXPECT_EQ(throttled.headers.find("Retry-After")->second, "3");
  EXPECT_EQ(invalid.headers.count("Retry-After"), 0u);
}

TEST(Json, ParsesObjectsAndRejectsEverythingElse) {
  Request request;
  request.headers.emplace("Content-Type", "application/json; charset=utf-8");
  request.body = R"({"name":"Green Line"})";
  auto parsed = ParseJsonObject(request);
  ASSERT_OK(parsed);
  EXPECT_EQ((*parsed)["name"], "Green Line");

  for (const std::string bad : {"", "{", "[1,2]", "\"text\"", "{\"a\":}", "\xff\xfe"}) {
    request.body = bad;
    auto result = ParseJsonObject(request);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(ReasonOf(result.status()), "malformed_json") << bad;
  }
  request.body = std::string(100, '[') + std::string(100, ']');
  EXPECT_FALSE(ParseJsonObject(request).ok());
  request.body = "{\"a\":" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_FALSE(ParseJsonObject(request).ok());

  request.headers.clear();
  request.headers.emplace("Content-Type", "text/plain");
  request.body = "{}";
  EXPECT_EQ(ReasonOf(ParseJsonObject(request).status()), "unsupported_media_type");
}

}  // namespace
}  // namespace travio::http
