#pragma once

#include <memory>

#include "services/identity/api/identity_client.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {

/// Serves IdentityService over gRPC by translating to the local implementation; no rules here.
/// Errors keep their code, reason, field errors and retry-after (rpc::ToGrpcStatus).
class IdentityGrpcService final : public v1::IdentityService::Service {
 public:
  explicit IdentityGrpcService(std::shared_ptr<IdentityClient> local) : local_(std::move(local)) {}

  grpc::Status GetServerInfo(grpc::ServerContext* context, const v1::GetServerInfoRequest* request,
                             v1::ServerInfo* reply) override;
  grpc::Status GetTokenSettings(grpc::ServerContext* context,
                                const v1::GetTokenSettingsRequest* request,
                                v1::TokenSettings* reply) override;
  grpc::Status Register(grpc::ServerContext* context, const v1::RegisterRequest* request,
                        v1::User* reply) override;
  grpc::Status Login(grpc::ServerContext* context, const v1::LoginRequest* request,
                     v1::TokenPair* reply) override;
  grpc::Status IssueGuestToken(grpc::ServerContext* context,
                               const v1::IssueGuestTokenRequest* request,
                               v1::TokenPair* reply) override;
  grpc::Status Refresh(grpc::ServerContext* context, const v1::RefreshRequest* request,
                       v1::TokenPair* reply) override;
  grpc::Status Logout(grpc::ServerContext* context, const v1::LogoutRequest* request,
                      v1::LogoutResponse* reply) override;
  grpc::Status GetMe(grpc::ServerContext* context, const v1::GetMeRequest* request,
                     v1::Me* reply) override;
  grpc::Status CreateOrganization(grpc::ServerContext* context,
                                  const v1::CreateOrganizationRequest* request,
                                  v1::Organization* reply) override;
  grpc::Status GetOrganization(grpc::ServerContext* context,
                               const v1::GetOrganizationRequest* request,
                               v1::Organization* reply) override;
  grpc::Status ResolveMembership(grpc::ServerContext* context,
                                 const v1::ResolveMembershipRequest* request,
                                 v1::Membership* reply) override;
  grpc::Status CreateInvite(grpc::ServerContext* context, const v1::CreateInviteRequest* request,
                            v1::Invite* reply) override;
  grpc::Status ListInvites(grpc::ServerContext* context, const v1::ListInvitesRequest* request,
                           v1::ListInvitesResponse* reply) override;
  grpc::Status RevokeInvite(grpc::ServerContext* context, const v1::RevokeInviteRequest* request,
                            v1::RevokeInviteResponse* reply) override;
  grpc::Status ResendInvite(grpc::ServerContext* context, const v1::ResendInviteRequest* request,
                            v1::Invite* reply) override;
  grpc::Status AcceptInvite(grpc::ServerContext* context, const v1::AcceptInviteRequest* request,
                            v1::AcceptedInvite* reply) override;
  grpc::Status ListMembers(grpc::ServerContext* context, const v1::ListMembersRequest* request,
                           v1::ListMembersResponse* reply) override;
  grpc::Status ListOwners(grpc::ServerContext* context, const v1::ListOwnersRequest* request,
                          v1::ListMembersResponse* reply) override;
  grpc::Status ChangeRole(grpc::ServerContext* context, const v1::ChangeRoleRequest* request,
                          v1::Member* reply) override;
  grpc::Status RemoveMember(grpc::ServerContext* context, const v1::RemoveMemberRequest* request,
                            v1::RemoveMemberResponse* reply) override;

 private:
  std::shared_ptr<IdentityClient> local_;
};

}  // namespace travio::identity
