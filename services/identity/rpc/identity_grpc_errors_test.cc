// Every method of the identity gRPC layer is served, and its errors cross unchanged: code,
// reason, field errors and retry-after; what the layer itself refuses, and an unreachable server.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "platform/base/errors.h"
#include "platform/rpc/call_policy.h"
#include "platform/rpc/status.h"
#include "platform/testing/free_port.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/identity_grpc_fixture.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {
namespace {

// Every method, called with some arguments; returns only its status.
std::vector<std::pair<std::string, std::function<absl::Status(IdentityClient&)>>> EveryMethod() {
  return {
      {"GetServerInfo", [](IdentityClient& c) { return c.GetServerInfo().status(); }},
      {"GetTokenSettings", [](IdentityClient& c) { return c.GetTokenSettings().status(); }},
      {"Register",
       [](IdentityClient& c) {
         return c.Register({"e", "p", "n", ""}).status();
       }},
      {"Login",
       [](IdentityClient& c) {
         return c.Login({"e", "p", "1.2.3.4"}).status();
       }},
      {"IssueGuestToken", [](IdentityClient& c) { return c.IssueGuestToken().status(); }},
      {"Refresh", [](IdentityClient& c) { return c.Refresh("r").status(); }},
      {"Logout", [](IdentityClient& c) { return c.Logout("r"); }},
      {"GetMe", [](IdentityClient& c) { return c.GetMe("u").status(); }},
      {"CreateOrganization",
       [](IdentityClient& c) { return c.CreateOrganization("u", "n", "s").status(); }},
      {"GetOrganization", [](IdentityClient& c) { return c.GetOrganization("o").status(); }},
      {"ResolveMembership",
       [](IdentityClient& c) { return c.ResolveMembership("u", "").status(); }},
      {"CreateInvite",
       [](IdentityClient& c) { return c.CreateInvite(kActor, "e", "viewer").status(); }},
      {"ListInvites", [](IdentityClient& c) { return c.ListInvites(kActor, {}).status(); }},
      {"RevokeInvite", [](IdentityClient& c) { return c.RevokeInvite(kActor, "i"); }},
      {"ResendInvite", [](IdentityClient& c) { return c.ResendInvite(kActor, "i").status(); }},
      {"AcceptInvite",
       [](IdentityClient& c) {
         return c.AcceptInvite({"t", "u", "", ""}).status();
       }},
      {"ListMembers", [](IdentityClient& c) { return c.ListMembers(kActor, {}).status(); }},
      {"ListOwners", [](IdentityClient& c) { return c.ListOwners("o").status(); }},
      {"ChangeRole", [](IdentityClient& c) { return c.ChangeRole(kActor, "u", "agent").status(); }},
      {"RemoveMember", [](IdentityClient& c) { return c.RemoveMember(kActor, "u"); }},
  };
}

TEST_F(IdentityGrpcTest, EveryMethodIsServed) {
  const auto methods = EveryMethod();
  EXPECT_EQ(methods.size(), 20u);
  for (const auto& [name, call] : methods) {
    fake().method.clear();
    EXPECT_OK(call(client())) << name;
    EXPECT_EQ(fake().method, name);
  }
}

TEST_F(IdentityGrpcTest, EveryMethodKeepsCodeReasonFieldErrorsAndRetryAfter) {
  const absl::Status failure = WithRetryAfter(
      WithFieldErrors(Error(absl::StatusCode::kResourceExhausted, "too_many_attempts",
                            "Too many attempts; try again later."),
                      {{"email", "too many attempts for this address"}, {"password", "again"}}),
      absl::Seconds(42) + absl::Milliseconds(500));
  for (const auto& [name, call] : EveryMethod()) {
    SCOPED_TRACE(name);
    fake().failure = failure;
    const absl::Status status = call(client());
    EXPECT_EQ(status.code(), absl::StatusCode::kResourceExhausted);
    EXPECT_EQ(status.message(), "Too many attempts; try again later.");
    EXPECT_EQ(ReasonOf(status), "too_many_attempts");
    EXPECT_EQ(FieldErrorsOf(status),
              (std::vector<FieldError>{{"email", "too many attempts for this address"},
                                       {"password", "again"}}));
    EXPECT_EQ(RetryAfterOf(status), absl::Seconds(42) + absl::Milliseconds(500));
    EXPECT_EQ(fake().method, name);
  }
}

TEST_F(IdentityGrpcTest, DocumentedErrorsKeepTheirCodeAndReason) {
  struct Case {
    absl::StatusCode code;
    std::string reason;
  };
  const std::vector<Case> cases = {
      {absl::StatusCode::kAlreadyExists, "email_taken"},
      {absl::StatusCode::kFailedPrecondition, "weak_password"},
      {absl::StatusCode::kUnauthenticated, "invalid_credentials"},
      {absl::StatusCode::kNotFound, "org_not_found"},
      {absl::StatusCode::kFailedPrecondition, "last_owner"},
      {absl::StatusCode::kPermissionDenied, "email_mismatch"},
      {absl::StatusCode::kPermissionDenied, ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.reason);
    fake().failure = c.reason.empty() ? absl::PermissionDeniedError("not allowed")
                                      : Error(c.code, c.reason, "message");
    const absl::Status status = client().ChangeRole(kActor, "u", "owner").status();
    EXPECT_EQ(status.code(), c.code);
    EXPECT_EQ(ReasonOf(status), c.reason);
    EXPECT_TRUE(FieldErrorsOf(status).empty());
    EXPECT_FALSE(RetryAfterOf(status).has_value());
  }
}

TEST_F(IdentityGrpcTest, InvalidArgumentKeepsItsFieldErrors) {
  fake().failure = WithFieldErrors(absl::InvalidArgumentError("Check the highlighted fields."),
                                   {{"email", "must be an email address"}});
  const absl::Status status = client().Register({"not-an-email", "p", "", ""}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "Check the highlighted fields.");
  EXPECT_EQ(FieldErrorsOf(status),
            (std::vector<FieldError>{{"email", "must be an email address"}}));
}

TEST_F(IdentityGrpcTest, ActorWithoutARoleIsRefusedBeforeIdentityIsCalled) {
  auto stub = v1::IdentityService::NewStub(*channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::ListMembersRequest request;
  request.mutable_actor()->set_user_id("u-1");
  request.mutable_actor()->set_org_id("o-1");
  v1::ListMembersResponse reply;
  const absl::Status status = rpc::FromGrpcStatus(stub->ListMembers(&context, request, &reply));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  ASSERT_EQ(FieldErrorsOf(status).size(), 1u);
  EXPECT_EQ(FieldErrorsOf(status)[0].field, "actor.role");
  EXPECT_EQ(fake().method, "");
}

TEST_F(IdentityGrpcTest, AReplyWithAnUnknownRoleIsAnInternalError) {
  fake().member = {"u-1", "a@example.com", "A", static_cast<Role>(99)};
  const absl::Status status = client().ChangeRole(kActor, "u-1", "owner").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal) << status;
}

TEST_F(IdentityGrpcTest, UnreachableIdentityIsUnavailable) {
  auto channel = Channel(testing::FreePort());
  ASSERT_OK(channel);
  auto unreachable =
      IdentityClient::OverGrpc(*channel, rpc::CallPolicy{.deadline = absl::Seconds(5)});
  const absl::Status status = unreachable->GetServerInfo().status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(ReasonOf(status), "");
}

}  // namespace
}  // namespace travio::identity
