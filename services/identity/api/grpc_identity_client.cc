#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "platform/rpc/call.h"
#include "platform/rpc/status.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/conversions.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {
namespace {

using Stub = v1::IdentityService::Stub;

template <typename Request, typename Reply>
using Method = grpc::Status (Stub::*)(grpc::ClientContext*, const Request&, Reply*);

// A reply that does not convert (an unset or unknown enum) is identity's fault, not the
// caller's: it becomes kInternal rather than the conversion's kInvalidArgument.
template <typename T>
absl::StatusOr<T> Decoded(absl::StatusOr<T> result) {
  if (!result.ok()) {
    return absl::InternalError(
        absl::StrCat("identity sent a malformed reply: ", result.status().message()));
  }
  return result;
}

class GrpcIdentityClient final : public IdentityClient {
 public:
  GrpcIdentityClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::IdentityService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<ServerInfo> GetServerInfo() override {
    auto reply = Call(&Stub::GetServerInfo, v1::GetServerInfoRequest());
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<TokenSettings> GetTokenSettings() override {
    auto reply = Call(&Stub::GetTokenSettings, v1::GetTokenSettingsRequest());
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<User> Register(const RegisterRequest& request) override {
    auto reply = Call(&Stub::Register, ToProto(request));
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<TokenPair> Login(const LoginRequest& request) override {
    auto reply = Call(&Stub::Login, ToProto(request));
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<TokenPair> IssueGuestToken() override {
    auto reply = Call(&Stub::IssueGuestToken, v1::IssueGuestTokenRequest());
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<TokenPair> Refresh(const std::string& refresh_token) override {
    v1::RefreshRequest request;
    request.set_refresh_token(refresh_token);
    auto reply = Call(&Stub::Refresh, request);
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::Status Logout(const std::string& refresh_token) override {
    v1::LogoutRequest request;
    request.set_refresh_token(refresh_token);
    return Call(&Stub::Logout, request).status();
  }

  absl::StatusOr<Me> GetMe(const std::string& user_id) override {
    v1::GetMeRequest request;
    request.set_user_id(user_id);
    auto reply = Call(&Stub::GetMe, request);
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  absl::StatusOr<Organization> CreateOrganization(const std::string& user_id,
                                                  const std::string& name,
                                                  const std::string& slug) override {
    v1::CreateOrganizationRequest request;
    request.set_user_id(user_id);
    request.set_name(name);
    request.set_slug(slug);
    auto reply = Call(&Stub::CreateOrganization, request);
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<Organization> GetOrganization(const std::string& org_id) override {
    v1::GetOrganizationRequest request;
    request.set_org_id(org_id);
    auto reply = Call(&Stub::GetOrganization, request);
    if (!reply.ok()) return reply.status();
    return FromProto(*reply);
  }

  absl::StatusOr<Membership> ResolveMembership(const std::string& user_id,
                                               const std::string& org_id) override {
    v1::ResolveMembershipRequest request;
    request.set_user_id(user_id);
    request.set_org_id(org_id);
    auto reply = Call(&Stub::ResolveMembership, request);
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  absl::StatusOr<Invite> CreateInvite(const Actor& actor, const std::string& email,
                                      const std::string& role) override {
    v1::CreateInviteRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_email(email);
    request.set_role(role);
    auto reply = Call(&Stub::CreateInvite, request);
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  absl::StatusOr<Page<Invite>> ListInvites(const Actor& actor, const PageRequest& page) override {
    v1::ListInvitesRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.mutable_page()->set_limit(page.limit);
    request.mutable_page()->set_cursor(page.cursor);
    auto reply = Call(&Stub::ListInvites, request);
    if (!reply.ok()) return reply.status();
    Page<Invite> invites;
    invites.items.reserve(reply->invites_size());
    for (const v1::Invite& proto : reply->invites()) {
      auto invite = Decoded(FromProto(proto));
      if (!invite.ok()) return invite.status();
      invites.items.push_back(*std::move(invite));
    }
    invites.next_cursor = reply->next_cursor();
    return invites;
  }

  absl::Status RevokeInvite(const Actor& actor, const std::string& invite_id) override {
    v1::RevokeInviteRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_invite_id(invite_id);
    return Call(&Stub::RevokeInvite, request).status();
  }

  absl::StatusOr<Invite> ResendInvite(const Actor& actor, const std::string& invite_id) override {
    v1::ResendInviteRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_invite_id(invite_id);
    auto reply = Call(&Stub::ResendInvite, request);
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  absl::StatusOr<AcceptedInvite> AcceptInvite(const AcceptInviteRequest& request) override {
    auto reply = Call(&Stub::AcceptInvite, ToProto(request));
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  absl::StatusOr<Page<Member>> ListMembers(const Actor& actor, const PageRequest& page) override {
    v1::ListMembersRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.mutable_page()->set_limit(page.limit);
    request.mutable_page()->set_cursor(page.cursor);
    auto reply = Call(&Stub::ListMembers, request);
    if (!reply.ok()) return reply.status();
    Page<Member> members;
    members.items.reserve(reply->members_size());
    for (const v1::Member& proto : reply->members()) {
      auto member = Decoded(FromProto(proto));
      if (!member.ok()) return member.status();
      members.items.push_back(*std::move(member));
    }
    members.next_cursor = reply->next_cursor();
    return members;
  }

  absl::StatusOr<Member> ChangeRole(const Actor& actor, const std::string& user_id,
                                    const std::string& role) override {
    v1::ChangeRoleRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_user_id(user_id);
    request.set_role(role);
    auto reply = Call(&Stub::ChangeRole, request);
    if (!reply.ok()) return reply.status();
    return Decoded(FromProto(*reply));
  }

  absl::Status RemoveMember(const Actor& actor, const std::string& user_id) override {
    v1::RemoveMemberRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_user_id(user_id);
    return Call(&Stub::RemoveMember, request).status();
  }

 private:
  // One unary call with the client's deadline; a failure keeps its code, reason, field errors
  // and retry-after (rpc::FromGrpcStatus).
  template <typename Request, typename Reply>
  absl::StatusOr<Reply> Call(Method<Request, Reply> method, const Request& request) {
    grpc::ClientContext context;
    rpc::PrepareCall(context, deadline_);
    Reply reply;
    const grpc::Status status = ((*stub_).*method)(&context, request, &reply);
    if (!status.ok()) return rpc::FromGrpcStatus(status);
    return reply;
  }

  std::unique_ptr<Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<IdentityClient> MakeGrpcIdentityClient(std::shared_ptr<grpc::Channel> channel,
                                                       absl::Duration deadline) {
  return std::make_shared<GrpcIdentityClient>(std::move(channel), deadline);
}

}  // namespace travio::identity
