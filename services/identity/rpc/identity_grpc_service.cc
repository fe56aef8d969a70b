#include "services/identity/rpc/identity_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/identity/api/proto_conversions.h"

namespace travio::identity {

using rpc::Answer;

grpc::Status IdentityGrpcService::GetServerInfo(grpc::ServerContext*,
                                                const v1::GetServerInfoRequest*,
                                                v1::ServerInfo* reply) {
  return Answer(local_->GetServerInfo(), reply);
}

grpc::Status IdentityGrpcService::GetTokenSettings(grpc::ServerContext*,
                                                   const v1::GetTokenSettingsRequest*,
                                                   v1::TokenSettings* reply) {
  return Answer(local_->GetTokenSettings(), reply);
}

grpc::Status IdentityGrpcService::Register(grpc::ServerContext*, const v1::RegisterRequest* request,
                                           v1::User* reply) {
  return Answer(local_->Register(FromProto(*request)), reply);
}

grpc::Status IdentityGrpcService::Login(grpc::ServerContext*, const v1::LoginRequest* request,
                                        v1::TokenPair* reply) {
  return Answer(local_->Login(FromProto(*request)), reply);
}

grpc::Status IdentityGrpcService::IssueGuestToken(grpc::ServerContext*,
                                                  const v1::IssueGuestTokenRequest*,
                                                  v1::TokenPair* reply) {
  return Answer(local_->IssueGuestToken(), reply);
}

grpc::Status IdentityGrpcService::Refresh(grpc::ServerContext*, const v1::RefreshRequest* request,
                                          v1::TokenPair* reply) {
  return Answer(local_->Refresh(request->refresh_token()), reply);
}

grpc::Status IdentityGrpcService::Logout(grpc::ServerContext*, const v1::LogoutRequest* request,
                                         v1::LogoutResponse*) {
  return Answer(local_->Logout(request->refresh_token()));
}

grpc::Status IdentityGrpcService::GetMe(grpc::ServerContext*, const v1::GetMeRequest* request,
                                        v1::Me* reply) {
  return Answer(local_->GetMe(request->user_id()), reply);
}

grpc::Status IdentityGrpcService::CreateOrganization(grpc::ServerContext*,
                                                     const v1::CreateOrganizationRequest* request,
                                                     v1::Organization* reply) {
  return Answer(local_->CreateOrganization(request->user_id(), request->name(), request->slug()),
                reply);
}

grpc::Status IdentityGrpcService::GetOrganization(grpc::ServerContext*,
                                                  const v1::GetOrganizationRequest* request,
                                                  v1::Organization* reply) {
  return Answer(local_->GetOrganization(request->org_id()), reply);
}

grpc::Status IdentityGrpcService::ResolveMembership(grpc::ServerContext*,
                                                    const v1::ResolveMembershipRequest* request,
                                                    v1::Membership* reply) {
  return Answer(local_->ResolveMembership(request->user_id(), request->org_id()), reply);
}

grpc::Status IdentityGrpcService::CreateInvite(grpc::ServerContext*,
                                               const v1::CreateInviteRequest* request,
                                               v1::Invite* reply) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  return Answer(local_->CreateInvite(*actor, request->email(), request->role()), reply);
}

grpc::Status IdentityGrpcService::ListInvites(grpc::ServerContext*,
                                              const v1::ListInvitesRequest* request,
                                              v1::ListInvitesResponse* reply) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  auto invites =
      local_->ListInvites(*actor, PageRequest{request->page().limit(), request->page().cursor()});
  if (!invites.ok()) return Answer(invites.status());
  for (const Invite& invite : invites->items) *reply->add_invites() = ToProto(invite);
  reply->set_next_cursor(invites->next_cursor);
  return grpc::Status::OK;
}

grpc::Status IdentityGrpcService::RevokeInvite(grpc::ServerContext*,
                                               const v1::RevokeInviteRequest* request,
                                               v1::RevokeInviteResponse*) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  return Answer(local_->RevokeInvite(*actor, request->invite_id()));
}

grpc::Status IdentityGrpcService::ResendInvite(grpc::ServerContext*,
                                               const v1::ResendInviteRequest* request,
                                               v1::Invite* reply) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  return Answer(local_->ResendInvite(*actor, request->invite_id()), reply);
}

grpc::Status IdentityGrpcService::AcceptInvite(grpc::ServerContext*,
                                               const v1::AcceptInviteRequest* request,
                                               v1::AcceptedInvite* reply) {
  return Answer(local_->AcceptInvite(FromProto(*request)), reply);
}

grpc::Status IdentityGrpcService::ListMembers(grpc::ServerContext*,
                                              const v1::ListMembersRequest* request,
                                              v1::ListMembersResponse* reply) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  auto members =
      local_->ListMembers(*actor, PageRequest{request->page().limit(), request->page().cursor()});
  if (!members.ok()) return Answer(members.status());
  for (const Member& member : members->items) *reply->add_members() = ToProto(member);
  reply->set_next_cursor(members->next_cursor);
  return grpc::Status::OK;
}

grpc::Status IdentityGrpcService::ListOwners(grpc::ServerContext*,
                                             const v1::ListOwnersRequest* request,
                                             v1::ListMembersResponse* reply) {
  auto owners = local_->ListOwners(request->org_id());
  if (!owners.ok()) return Answer(owners.status());
  for (const Member& owner : *owners) *reply->add_members() = ToProto(owner);
  return grpc::Status::OK;
}

grpc::Status IdentityGrpcService::ChangeRole(grpc::ServerContext*,
                                             const v1::ChangeRoleRequest* request,
                                             v1::Member* reply) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  return Answer(local_->ChangeRole(*actor, request->user_id(), request->role()), reply);
}

grpc::Status IdentityGrpcService::RemoveMember(grpc::ServerContext*,
                                               const v1::RemoveMemberRequest* request,
                                               v1::RemoveMemberResponse*) {
  auto actor = FromProto(request->actor());
  if (!actor.ok()) return Answer(actor.status());
  return Answer(local_->RemoveMember(*actor, request->user_id()));
}

}  // namespace travio::identity
