#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/api/proto_conversions.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {
namespace {

using Stub = v1::IdentityService::Stub;

class GrpcIdentityClient final : public IdentityClient {
 public:
  GrpcIdentityClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<ServerInfo> GetServerInfo() override {
    return rpc_.Query(&Stub::GetServerInfo, v1::GetServerInfoRequest());
  }

  absl::StatusOr<TokenSettings> GetTokenSettings() override {
    return rpc_.Query(&Stub::GetTokenSettings, v1::GetTokenSettingsRequest());
  }

  absl::StatusOr<User> Register(const RegisterRequest& request) override {
    return rpc_.Call(&Stub::Register, ToProto(request));
  }

  absl::StatusOr<TokenPair> Login(const LoginRequest& request) override {
    return rpc_.Call(&Stub::Login, ToProto(request));
  }

  absl::StatusOr<TokenPair> IssueGuestToken() override {
    return rpc_.Call(&Stub::IssueGuestToken, v1::IssueGuestTokenRequest());
  }

  absl::StatusOr<TokenPair> Refresh(const std::string& refresh_token) override {
    v1::RefreshRequest request;
    request.set_refresh_token(refresh_token);
    return rpc_.Call(&Stub::Refresh, request);
  }

  absl::Status Logout(const std::string& refresh_token) override {
    v1::LogoutRequest request;
    request.set_refresh_token(refresh_token);
    return rpc_.Send(&Stub::Logout, request);
  }

  absl::StatusOr<Me> GetMe(const std::string& user_id) override {
    v1::GetMeRequest request;
    request.set_user_id(user_id);
    return rpc_.Query(&Stub::GetMe, request);
  }

  absl::StatusOr<Organization> CreateOrganization(const std::string& user_id,
                                                  const std::string& name,
                                                  const std::string& slug) override {
    v1::CreateOrganizationRequest request;
    request.set_user_id(user_id);
    request.set_name(name);
    request.set_slug(slug);
    return rpc_.Call(&Stub::CreateOrganization, request);
  }

  absl::StatusOr<Organization> GetOrganization(const std::string& org_id) override {
    v1::GetOrganizationRequest request;
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::GetOrganization, request);
  }

  absl::StatusOr<Membership> ResolveMembership(const std::string& user_id,
                                               const std::string& org_id) override {
    v1::ResolveMembershipRequest request;
    request.set_user_id(user_id);
    request.set_org_id(org_id);
    return rpc_.Query(&Stub::ResolveMembership, request);
  }

  absl::StatusOr<Invite> CreateInvite(const Actor& actor, const std::string& email,
                                      const std::string& role) override {
    v1::CreateInviteRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_email(email);
    request.set_role(role);
    return rpc_.Call(&Stub::CreateInvite, request);
  }

  absl::StatusOr<Page<Invite>> ListInvites(const Actor& actor, const PageRequest& page) override {
    v1::ListInvitesRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.mutable_page()->set_limit(page.limit);
    request.mutable_page()->set_cursor(page.cursor);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListInvitesResponse listed,
                            rpc_.QueryRaw(&Stub::ListInvites, request));
    const v1::ListInvitesResponse* reply = &listed;
    Page<Invite> invites;
    invites.items.reserve(reply->invites_size());
    for (const v1::Invite& proto : reply->invites()) {
      auto invite = rpc_.Decoded(FromProto(proto));
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
    return rpc_.Send(&Stub::RevokeInvite, request);
  }

  absl::StatusOr<Invite> ResendInvite(const Actor& actor, const std::string& invite_id) override {
    v1::ResendInviteRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_invite_id(invite_id);
    return rpc_.Call(&Stub::ResendInvite, request);
  }

  absl::StatusOr<AcceptedInvite> AcceptInvite(const AcceptInviteRequest& request) override {
    return rpc_.Call(&Stub::AcceptInvite, ToProto(request));
  }

  absl::StatusOr<Page<Member>> ListMembers(const Actor& actor, const PageRequest& page) override {
    v1::ListMembersRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.mutable_page()->set_limit(page.limit);
    request.mutable_page()->set_cursor(page.cursor);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListMembersResponse listed,
                            rpc_.QueryRaw(&Stub::ListMembers, request));
    const v1::ListMembersResponse* reply = &listed;
    Page<Member> members;
    members.items.reserve(reply->members_size());
    for (const v1::Member& proto : reply->members()) {
      auto member = rpc_.Decoded(FromProto(proto));
      if (!member.ok()) return member.status();
      members.items.push_back(*std::move(member));
    }
    members.next_cursor = reply->next_cursor();
    return members;
  }

  absl::StatusOr<std::vector<Member>> ListOwners(const std::string& org_id) override {
    v1::ListOwnersRequest request;
    request.set_org_id(org_id);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListMembersResponse listed,
                            rpc_.QueryRaw(&Stub::ListOwners, request));
    std::vector<Member> owners;
    owners.reserve(listed.members_size());
    for (const v1::Member& proto : listed.members()) {
      auto owner = rpc_.Decoded(FromProto(proto));
      if (!owner.ok()) return owner.status();
      owners.push_back(*std::move(owner));
    }
    return owners;
  }

  absl::StatusOr<Member> ChangeRole(const Actor& actor, const std::string& user_id,
                                    const std::string& role) override {
    v1::ChangeRoleRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_user_id(user_id);
    request.set_role(role);
    return rpc_.Call(&Stub::ChangeRole, request);
  }

  absl::Status RemoveMember(const Actor& actor, const std::string& user_id) override {
    v1::RemoveMemberRequest request;
    *request.mutable_actor() = ToProto(actor);
    request.set_user_id(user_id);
    return rpc_.Send(&Stub::RemoveMember, request);
  }

 private:
  rpc::UnaryClient<v1::IdentityService> rpc_;
};

}  // namespace

std::shared_ptr<IdentityClient> IdentityClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                         const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcIdentityClient>(std::move(channel), policy);
}

}  // namespace travio::identity
