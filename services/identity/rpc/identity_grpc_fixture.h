#pragma once

// The identity gRPC suites' fixture: IdentityClient::OverGrpc -> loopback gRPC server with
// mutual TLS -> IdentityGrpcService -> a fake IdentityClient that records what it received, and
// field-by-field views of the API structs to compare what crossed the wire.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "platform/rpc/call_policy.h"
#include "platform/rpc/channels.h"
#include "platform/rpc/server.h"
#include "platform/rpc/tls.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/identity/api/access.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/identity_grpc_service.h"

namespace travio::identity {

// Readable failures for the enums inside compared tuples.
inline void PrintTo(Role role, std::ostream* out) { *out << RoleName(role); }
inline void PrintTo(InviteStatus status, std::ostream* out) {
  *out << "InviteStatus(" << static_cast<int>(status) << ")";
}

// Field-by-field views of the API structs (they have no operator==), for EXPECT_EQ.
inline auto Tie(const ServerInfo& v) {
  return std::make_tuple(v.service, v.version, v.commit, v.instance_id);
}
inline auto Tie(const PublicKey& v) { return std::make_tuple(v.kid, v.public_key); }
inline auto Tie(const User& v) { return std::make_tuple(v.id, v.email, v.name, v.phone); }
inline auto Tie(const TokenPair& v) {
  return std::make_tuple(v.access_token, v.refresh_token, v.expires_in);
}
inline auto Tie(const Organization& v) {
  return std::make_tuple(v.id, v.name, v.slug, v.created_at);
}
inline auto Tie(const Membership& v) { return std::make_tuple(v.org_id, v.org_name, v.role); }
inline auto Tie(const Member& v) {
  return std::make_tuple(v.user_id, v.email, v.name, v.role, v.joined_at);
}
inline auto Tie(const Invite& v) {
  return std::make_tuple(v.id, v.org_id, v.email, v.role, v.status, v.created_at, v.expires_at,
                         v.email_sent);
}
inline auto Tie(const Actor& v) { return std::make_tuple(v.user_id, v.org_id, v.role); }
template <typename T>
auto Tie(const std::vector<T>& items) {
  std::vector<decltype(Tie(items.front()))> tied;
  for (const T& item : items) tied.push_back(Tie(item));
  return tied;
}
template <typename T>
auto Tie(const std::optional<T>& value) {
  using Tied = decltype(Tie(*value));
  return value ? std::optional<Tied>(Tie(*value)) : std::optional<Tied>();
}
inline auto Tie(const TokenSettings& v) {
  return std::make_tuple(v.format, v.issuer, v.audience, Tie(v.keys));
}
inline auto Tie(const Me& v) { return std::make_tuple(Tie(v.user), Tie(v.memberships)); }
inline auto Tie(const AcceptedInvite& v) {
  return std::make_tuple(v.org_id, v.role, Tie(v.created_user), Tie(v.tokens));
}
inline auto Tie(const RegisterRequest& v) {
  return std::make_tuple(v.email, v.password, v.name, v.phone);
}
inline auto Tie(const LoginRequest& v) {
  return std::make_tuple(v.email, v.password, v.client_address);
}
inline auto Tie(const AcceptInviteRequest& v) {
  return std::make_tuple(v.token, v.user_id, v.name, v.password);
}

// Stands in for identity's rules: records what each call received and answers with canned
// values, or with `failure` when it is set.
class FakeIdentity final : public IdentityClient {
 public:
  // What every call answers with.
  absl::Status failure;
  ServerInfo info;
  TokenSettings settings;
  User user;
  TokenPair tokens;
  Me me;
  Organization organization;
  Membership membership;
  Invite invite;
  std::vector<Invite> invites;
  PageRequest page;
  std::string next_cursor;
  AcceptedInvite accepted;
  std::vector<Member> members;
  Member member;

  // What the last call received.
  std::string method;
  std::vector<std::string> arguments;
  std::optional<Actor> actor;
  RegisterRequest register_request;
  LoginRequest login_request;
  AcceptInviteRequest accept_request;

  absl::StatusOr<ServerInfo> GetServerInfo() override { return Answer("GetServerInfo", {}, info); }
  absl::StatusOr<TokenSettings> GetTokenSettings() override {
    return Answer("GetTokenSettings", {}, settings);
  }
  absl::StatusOr<User> Register(const RegisterRequest& request) override {
    register_request = request;
    return Answer("Register", {}, user);
  }
  absl::StatusOr<TokenPair> Login(const LoginRequest& request) override {
    login_request = request;
    return Answer("Login", {}, tokens);
  }
  absl::StatusOr<TokenPair> IssueGuestToken() override {
    return Answer("IssueGuestToken", {}, tokens);
  }
  absl::StatusOr<TokenPair> Refresh(const std::string& refresh_token) override {
    return Answer("Refresh", {refresh_token}, tokens);
  }
  absl::Status Logout(const std::string& refresh_token) override {
    return Answer("Logout", {refresh_token});
  }
  absl::StatusOr<Me> GetMe(const std::string& user_id) override {
    return Answer("GetMe", {user_id}, me);
  }
  absl::StatusOr<Organization> CreateOrganization(const std::string& user_id,
                                                  const std::string& name,
                                                  const std::string& slug) override {
    return Answer("CreateOrganization", {user_id, name, slug}, organization);
  }
  absl::StatusOr<Organization> GetOrganization(const std::string& org_id) override {
    return Answer("GetOrganization", {org_id}, organization);
  }
  absl::StatusOr<Membership> ResolveMembership(const std::string& user_id,
                                               const std::string& org_id) override {
    return Answer("ResolveMembership", {user_id, org_id}, membership);
  }
  absl::StatusOr<Invite> CreateInvite(const Actor& who, const std::string& email,
                                      const std::string& role) override {
    actor = who;
    return Answer("CreateInvite", {email, role}, invite);
  }
  absl::StatusOr<Page<Invite>> ListInvites(const Actor& who, const PageRequest& asked) override {
    actor = who;
    page = asked;
    return Answer("ListInvites", {}, Page<Invite>{invites, next_cursor});
  }
  absl::Status RevokeInvite(const Actor& who, const std::string& invite_id) override {
    actor = who;
    return Answer("RevokeInvite", {invite_id});
  }
  absl::StatusOr<Invite> ResendInvite(const Actor& who, const std::string& invite_id) override {
    actor = who;
    return Answer("ResendInvite", {invite_id}, invite);
  }
  absl::StatusOr<AcceptedInvite> AcceptInvite(const AcceptInviteRequest& request) override {
    accept_request = request;
    return Answer("AcceptInvite", {}, accepted);
  }
  absl::StatusOr<Page<Member>> ListMembers(const Actor& who, const PageRequest& asked) override {
    actor = who;
    page = asked;
    return Answer("ListMembers", {}, Page<Member>{members, next_cursor});
  }
  absl::StatusOr<std::vector<Member>> ListOwners(const std::string& org_id) override {
    return Answer("ListOwners", {org_id}, members);
  }
  absl::StatusOr<Member> ChangeRole(const Actor& who, const std::string& user_id,
                                    const std::string& role) override {
    actor = who;
    return Answer("ChangeRole", {user_id, role}, member);
  }
  absl::Status RemoveMember(const Actor& who, const std::string& user_id) override {
    actor = who;
    return Answer("RemoveMember", {user_id});
  }

 private:
  absl::Status Answer(std::string name, std::vector<std::string> received) {
    method = std::move(name);
    arguments = std::move(received);
    return failure;
  }
  template <typename T>
  absl::StatusOr<T> Answer(std::string name, std::vector<std::string> received, const T& value) {
    if (auto status = Answer(std::move(name), std::move(received)); !status.ok()) return status;
    return value;
  }
};

inline const Actor kActor{"u-actor", "o-1", Role::kAdmin};

class IdentityGrpcTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new testing::TempDir("travio-identity-grpc");
    ASSERT_OK(rpc::WriteDevelopmentCertificates(certs_->path() / "ca", certs_->path(),
                                                {"identity", "gateway"}, false));
    const rpc::TlsFiles files{certs_->path()};
    auto credentials = rpc::MutualTlsServerCredentials(files, {"identity"});
    ASSERT_OK(credentials);

    fake_ = std::make_shared<FakeIdentity>();
    service_ = new IdentityGrpcService(fake_);
    auto server = rpc::Server::Start("127.0.0.1:0", *credentials, {service_});
    ASSERT_OK(server);
    server_ = server->release();

    auto channel = Channel(server_->port());
    ASSERT_OK(channel);
    channel_ = new std::shared_ptr<grpc::Channel>(*channel);
    client_ = new std::shared_ptr<IdentityClient>(
        IdentityClient::OverGrpc(*channel, rpc::CallPolicy{.deadline = absl::Seconds(10)}));
  }

  static void TearDownTestSuite() {
    delete client_;
    delete channel_;
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(1));
    delete server_;
    delete service_;
    fake_.reset();
    delete certs_;
  }

  // A mutual-TLS channel to identity at `port`, presenting the gateway's certificate.
  static absl::StatusOr<std::shared_ptr<grpc::Channel>> Channel(int port) {
    rpc::Channels channels(rpc::TlsFiles{certs_->path()},
                           {{"identity", "127.0.0.1:" + std::to_string(port)}});
    return channels.To("gateway", "identity");
  }

  void SetUp() override {
    ASSERT_NE(client_, nullptr) << "the server did not start";
    *fake_ = FakeIdentity();
  }

  FakeIdentity& fake() { return *fake_; }
  IdentityClient& client() { return **client_; }

  static inline testing::TempDir* certs_ = nullptr;
  static inline std::shared_ptr<FakeIdentity> fake_;
  static inline IdentityGrpcService* service_ = nullptr;
  static inline rpc::Server* server_ = nullptr;
  static inline std::shared_ptr<grpc::Channel>* channel_ = nullptr;
  static inline std::shared_ptr<IdentityClient>* client_ = nullptr;
};

}  // namespace travio::identity
