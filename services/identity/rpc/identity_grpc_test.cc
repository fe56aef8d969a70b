// The identity gRPC layer end to end: IdentityClient::OverGrpc -> loopback gRPC server with
// mutual TLS -> IdentityGrpcService -> a fake IdentityClient. Proves the translation, not the
// rules: every method's fields and every error's details cross the wire unchanged.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <tuple>
#include <vector>

#include "platform/base/errors.h"
#include "platform/rpc/channels.h"
#include "platform/rpc/server.h"
#include "platform/rpc/status.h"
#include "platform/rpc/tls.h"
#include "platform/testing/free_port.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "services/identity/api/access.h"
#include "services/identity/api/identity_client.h"
#include "services/identity/rpc/identity_grpc_service.h"
#include "travio/identity/v1/identity_service.grpc.pb.h"

namespace travio::identity {

// Readable failures for the enums inside compared tuples.
void PrintTo(Role role, std::ostream* out) { *out << RoleName(role); }
void PrintTo(InviteStatus status, std::ostream* out) {
  *out << "InviteStatus(" << static_cast<int>(status) << ")";
}

namespace {

// Field-by-field views of the API structs (they have no operator==), for EXPECT_EQ.
auto Tie(const ServerInfo& v) {
  return std::make_tuple(v.service, v.version, v.commit, v.instance_id);
}
auto Tie(const PublicKey& v) { return std::make_tuple(v.kid, v.public_key); }
auto Tie(const User& v) { return std::make_tuple(v.id, v.email, v.name, v.phone); }
auto Tie(const TokenPair& v) {
  return std::make_tuple(v.access_token, v.refresh_token, v.expires_in);
}
auto Tie(const Organization& v) { return std::make_tuple(v.id, v.name, v.slug, v.created_at); }
auto Tie(const Membership& v) { return std::make_tuple(v.org_id, v.org_name, v.role); }
auto Tie(const Member& v) {
  return std::make_tuple(v.user_id, v.email, v.name, v.role, v.joined_at);
}
auto Tie(const Invite& v) {
  return std::make_tuple(v.id, v.org_id, v.email, v.role, v.status, v.created_at, v.expires_at,
                         v.email_sent);
}
auto Tie(const Actor& v) { return std::make_tuple(v.user_id, v.org_id, v.role); }
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
auto Tie(const TokenSettings& v) {
  return std::make_tuple(v.format, v.issuer, v.audience, Tie(v.keys));
}
auto Tie(const Me& v) { return std::make_tuple(Tie(v.user), Tie(v.memberships)); }
auto Tie(const AcceptedInvite& v) {
  return std::make_tuple(v.org_id, v.role, Tie(v.created_user), Tie(v.tokens));
}
auto Tie(const RegisterRequest& v) { return std::make_tuple(v.email, v.password, v.name, v.phone); }
auto Tie(const LoginRequest& v) { return std::make_tuple(v.email, v.password, v.client_address); }
auto Tie(const AcceptInviteRequest& v) {
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

// 32 raw bytes with zero bytes at the start, middle and end, and high bytes.
std::string RawKey(unsigned char seed) {
  std::string key(32, '\0');
  for (int i = 0; i < 32; ++i) key[i] = static_cast<char>((seed + i * 37) & 0xff);
  key[0] = key[16] = key[31] = '\0';
  key[5] = static_cast<char>(0xff);
  return key;
}

// Times with a non-zero microsecond part, so truncation to milliseconds or seconds shows.
const absl::Time kCreated = absl::FromUnixMicros(1'712'345'678'901'234);
const absl::Time kExpires = absl::FromUnixMicros(1'712'950'478'000'001);

const Actor kActor{"u-actor", "o-1", Role::kAdmin};

class IdentityGrpcTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    certs_ = new testing::TempDir("travio-identity-grpc");
    ASSERT_OK(rpc::WriteDevelopmentCertificates(certs_->path(), {"identity", "gateway"}, false));
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
    client_ =
        new std::shared_ptr<IdentityClient>(IdentityClient::OverGrpc(*channel, absl::Seconds(10)));
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
    rpc::Channels channels(rpc::TlsFiles{certs_->path()}, "gateway",
                           {{"identity", "127.0.0.1:" + std::to_string(port)}});
    return channels.To("identity");
  }

  void SetUp() override {
    ASSERT_NE(client_, nullptr) << "the server did not start";
    *fake_ = FakeIdentity();
  }

  FakeIdentity& fake() { return *fake_; }
  IdentityClient& client() { return **client_; }

  static testing::TempDir* certs_;
  static std::shared_ptr<FakeIdentity> fake_;
  static IdentityGrpcService* service_;
  static rpc::Server* server_;
  static std::shared_ptr<grpc::Channel>* channel_;
  static std::shared_ptr<IdentityClient>* client_;
};

testing::TempDir* IdentityGrpcTest::certs_ = nullptr;
std::shared_ptr<FakeIdentity> IdentityGrpcTest::fake_;
IdentityGrpcService* IdentityGrpcTest::service_ = nullptr;
rpc::Server* IdentityGrpcTest::server_ = nullptr;
std::shared_ptr<grpc::Channel>* IdentityGrpcTest::channel_ = nullptr;
std::shared_ptr<IdentityClient>* IdentityGrpcTest::client_ = nullptr;

TEST_F(IdentityGrpcTest, GetServerInfoRoundTrips) {
  fake().info = {"identity", "1.2.3", "abc123", "i-42"};
  auto info = client().GetServerInfo();
  ASSERT_OK(info);
  EXPECT_EQ(Tie(*info), Tie(fake().info));
  EXPECT_EQ(fake().method, "GetServerInfo");
}

TEST_F(IdentityGrpcTest, TokenSettingsKeepRawKeysWithZeroBytes) {
  fake().settings = {
      "paseto", "https://travio.test", "travio-api", {{"k1", RawKey(1)}, {"k2", RawKey(200)}}};
  auto settings = client().GetTokenSettings();
  ASSERT_OK(settings);
  EXPECT_EQ(Tie(*settings), Tie(fake().settings));
  ASSERT_EQ(settings->keys.size(), 2u);
  EXPECT_EQ(settings->keys[0].public_key.size(), 32u);
  EXPECT_EQ(settings->keys[0].public_key[31], '\0');
}

TEST_F(IdentityGrpcTest, TokenSettingsWithoutKeys) {
  fake().settings = {"jwt", "iss", "aud", {}};
  auto settings = client().GetTokenSettings();
  ASSERT_OK(settings);
  EXPECT_EQ(Tie(*settings), Tie(fake().settings));
}

TEST_F(IdentityGrpcTest, RegisterSendsEveryFieldAndReturnsTheUser) {
  fake().user = {"u-1", "ana@example.com", "Ana", "+34 600 000 000"};
  const RegisterRequest request{"ana@example.com", "correct horse battery", "Ana",
                                "+34 600 000 000"};
  auto user = client().Register(request);
  ASSERT_OK(user);
  EXPECT_EQ(Tie(*user), Tie(fake().user));
  EXPECT_EQ(fake().method, "Register");
  EXPECT_EQ(Tie(fake().register_request), Tie(request));
}

TEST_F(IdentityGrpcTest, RegisterWithEmptyOptionalFields) {
  fake().user = {"u-2", "bo@example.com", "", ""};
  const RegisterRequest request{"bo@example.com", "pw", "", ""};
  auto user = client().Register(request);
  ASSERT_OK(user);
  EXPECT_EQ(Tie(*user), Tie(fake().user));
  EXPECT_EQ(Tie(fake().register_request), Tie(request));
}

TEST_F(IdentityGrpcTest, LoginCarriesTheClientAddressAndTokensToTheMillisecond) {
  fake().tokens = {"access.v4", "refresh-1", absl::Minutes(15) + absl::Milliseconds(7)};
  const LoginRequest request{"ana@example.com", "secret", "203.0.113.9"};
  auto tokens = client().Login(request);
  ASSERT_OK(tokens);
  EXPECT_EQ(Tie(*tokens), Tie(fake().tokens));
  EXPECT_EQ(Tie(fake().login_request), Tie(request));
}

TEST_F(IdentityGrpcTest, GuestTokenHasNoRefreshToken) {
  fake().tokens = {"guest.v4", "", absl::Hours(1)};
  auto tokens = client().IssueGuestToken();
  ASSERT_OK(tokens);
  EXPECT_EQ(Tie(*tokens), Tie(fake().tokens));
  EXPECT_EQ(fake().method, "IssueGuestToken");
}

TEST_F(IdentityGrpcTest, RefreshAndLogoutPassTheRefreshToken) {
  fake().tokens = {"access-2", "refresh-2", absl::Seconds(900)};
  auto tokens = client().Refresh("refresh-1");
  ASSERT_OK(tokens);
  EXPECT_EQ(Tie(*tokens), Tie(fake().tokens));
  EXPECT_EQ(fake().method, "Refresh");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"refresh-1"});

  EXPECT_OK(client().Logout("refresh-2"));
  EXPECT_EQ(fake().method, "Logout");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"refresh-2"});
}

TEST_F(IdentityGrpcTest, GetMeReturnsEveryMembershipInOrder) {
  fake().me = {{"u-1", "ana@example.com", "Ana", ""},
               {{"o-1", "Alsa", Role::kOwner},
                {"o-2", "Monbus", Role::kConductor},
                {"o-3", "Avanza", Role::kViewer}}};
  auto me = client().GetMe("u-1");
  ASSERT_OK(me);
  EXPECT_EQ(Tie(*me), Tie(fake().me));
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"u-1"});
}

TEST_F(IdentityGrpcTest, GetMeWithoutMemberships) {
  fake().me = {{"u-1", "ana@example.com", "Ana", "1"}, {}};
  auto me = client().GetMe("u-1");
  ASSERT_OK(me);
  EXPECT_EQ(Tie(*me), Tie(fake().me));
  EXPECT_TRUE(me->memberships.empty());
}

TEST_F(IdentityGrpcTest, OrganizationsKeepTheirCreationTimeToTheMicrosecond) {
  fake().organization = {"o-1", "Alsa", "alsa", kCreated};
  auto created = client().CreateOrganization("u-1", "Alsa", "alsa");
  ASSERT_OK(created);
  EXPECT_EQ(Tie(*created), Tie(fake().organization));
  EXPECT_EQ(created->created_at, kCreated);
  EXPECT_EQ(fake().method, "CreateOrganization");
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-1", "Alsa", "alsa"}));

  auto fetched = client().GetOrganization("o-1");
  ASSERT_OK(fetched);
  EXPECT_EQ(Tie(*fetched), Tie(fake().organization));
  EXPECT_EQ(fake().method, "GetOrganization");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"o-1"});
}

TEST_F(IdentityGrpcTest, ResolveMembershipPassesAnEmptyOrganization) {
  fake().membership = {"o-7", "Only Org", Role::kAgent};
  auto membership = client().ResolveMembership("u-1", "");
  ASSERT_OK(membership);
  EXPECT_EQ(Tie(*membership), Tie(fake().membership));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-1", ""}));

  ASSERT_OK(client().ResolveMembership("u-1", "o-7"));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-1", "o-7"}));
}

TEST_F(IdentityGrpcTest, CreateInvitePassesTheActorAndTheRoleNameAsIs) {
  fake().invite = {
      "i-1",    "o-1", "new@example.com", Role::kManager, InviteStatus::kPending, kCreated,
      kExpires, true};
  auto invite = client().CreateInvite(kActor, "new@example.com", "manager");
  ASSERT_OK(invite);
  EXPECT_EQ(Tie(*invite), Tie(fake().invite));
  EXPECT_EQ(fake().method, "CreateInvite");
  ASSERT_TRUE(fake().actor.has_value());
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"new@example.com", "manager"}));

  // An unknown role name is identity's to refuse (`invalid_role`), so it crosses unchanged.
  ASSERT_OK(client().CreateInvite(kActor, "new@example.com", "superuser"));
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"new@example.com", "superuser"}));
}

TEST_F(IdentityGrpcTest, ListInvitesKeepsEveryStatusAndTime) {
  fake().invites = {
      {"i-1", "o-1", "a@example.com", Role::kOwner, InviteStatus::kPending, kCreated, kExpires,
       true},
      {"i-2", "o-1", "b@example.com", Role::kAdmin, InviteStatus::kAccepted, kCreated, kExpires,
       false},
      {"i-3", "o-1", "c@example.com", Role::kAgent, InviteStatus::kRevoked, kExpires, kCreated,
       true},
      {"i-4", "o-1", "d@example.com", Role::kViewer, InviteStatus::kExpired, absl::UnixEpoch(),
       kExpires, false},
  };
  fake().next_cursor = "cursor-2";
  auto invites = client().ListInvites(kActor, {.limit = 7, .cursor = "cursor-1"});
  ASSERT_OK(invites);
  EXPECT_EQ(Tie(invites->items), Tie(fake().invites));
  EXPECT_EQ(invites->next_cursor, "cursor-2");
  EXPECT_EQ(fake().page.limit, 7);
  EXPECT_EQ(fake().page.cursor, "cursor-1");
  EXPECT_EQ(fake().method, "ListInvites");
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));
}

TEST_F(IdentityGrpcTest, ListInvitesWhenThereAreNone) {
  auto invites = client().ListInvites(kActor, {});
  ASSERT_OK(invites);
  EXPECT_TRUE(invites->items.empty());
  EXPECT_TRUE(invites->next_cursor.empty());
}

TEST_F(IdentityGrpcTest, RevokeAndResendInvite) {
  ASSERT_OK(client().RevokeInvite(kActor, "i-1"));
  EXPECT_EQ(fake().method, "RevokeInvite");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"i-1"});
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));

  fake().invite = {
      "i-2",    "o-1", "x@example.com", Role::kConductor, InviteStatus::kPending, kCreated,
      kExpires, false};
  const Actor owner{"u-owner", "o-1", Role::kOwner};
  auto resent = client().ResendInvite(owner, "i-2");
  ASSERT_OK(resent);
  EXPECT_EQ(Tie(*resent), Tie(fake().invite));
  EXPECT_EQ(fake().method, "ResendInvite");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"i-2"});
  EXPECT_EQ(Tie(*fake().actor), Tie(owner));
}

TEST_F(IdentityGrpcTest, AcceptInviteBySignedInUserHasNoAccountOrTokens) {
  fake().accepted = {"o-1", Role::kAgent, std::nullopt, std::nullopt};
  const AcceptInviteRequest request{"invite-token", "u-9", "", ""};
  auto accepted = client().AcceptInvite(request);
  ASSERT_OK(accepted);
  EXPECT_EQ(Tie(*accepted), Tie(fake().accepted));
  EXPECT_FALSE(accepted->created_user.has_value());
  EXPECT_FALSE(accepted->tokens.has_value());
  EXPECT_EQ(Tie(fake().accept_request), Tie(request));
}

TEST_F(IdentityGrpcTest, AcceptInviteThatCreatesAnAccountReturnsItAndItsTokens) {
  fake().accepted = {"o-1", Role::kManager, User{"u-new", "new@example.com", "Nuevo", ""},
                     TokenPair{"access", "refresh", absl::Milliseconds(900'001)}};
  const AcceptInviteRequest request{"invite-token", "", "Nuevo", "long enough password"};
  auto accepted = client().AcceptInvite(request);
  ASSERT_OK(accepted);
  EXPECT_EQ(Tie(*accepted), Tie(fake().accepted));
  EXPECT_TRUE(accepted->created_user.has_value());
  EXPECT_TRUE(accepted->tokens.has_value());
  EXPECT_EQ(Tie(fake().accept_request), Tie(request));
}

TEST_F(IdentityGrpcTest, AcceptInviteWithOnlyOneOptionalPresent) {
  // Presence is per field: an empty user is still present, tokens stay absent.
  fake().accepted = {"o-1", Role::kViewer, User{}, std::nullopt};
  auto accepted = client().AcceptInvite({"t", "", "", ""});
  ASSERT_OK(accepted);
  EXPECT_EQ(Tie(*accepted), Tie(fake().accepted));
  EXPECT_TRUE(accepted->created_user.has_value());
  EXPECT_FALSE(accepted->tokens.has_value());
}

TEST_F(IdentityGrpcTest, MembersListChangeAndRemove) {
  fake().members = {{"u-1", "a@example.com", "A", Role::kOwner, kCreated},
                    {"u-2", "b@example.com", "", Role::kManager, kExpires}};
  auto members = client().ListMembers(kActor, {.limit = 2, .cursor = ""});
  ASSERT_OK(members);
  EXPECT_EQ(Tie(members->items), Tie(fake().members));
  EXPECT_EQ(fake().page.limit, 2);
  EXPECT_EQ(fake().method, "ListMembers");
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));

  fake().member = {"u-2", "b@example.com", "", Role::kAgent};
  auto changed = client().ChangeRole(kActor, "u-2", "agent");
  ASSERT_OK(changed);
  EXPECT_EQ(Tie(*changed), Tie(fake().member));
  EXPECT_EQ(fake().method, "ChangeRole");
  EXPECT_EQ(fake().arguments, (std::vector<std::string>{"u-2", "agent"}));

  ASSERT_OK(client().RemoveMember(kActor, "u-2"));
  EXPECT_EQ(fake().method, "RemoveMember");
  EXPECT_EQ(fake().arguments, std::vector<std::string>{"u-2"});
  EXPECT_EQ(Tie(*fake().actor), Tie(kActor));
}

TEST_F(IdentityGrpcTest, EveryRoleCrossesBothWays) {
  for (Role role : AllRoles()) {
    SCOPED_TRACE(RoleName(role));
    fake().members = {{"u-1", "a@example.com", "A", role}};
    const Actor actor{"u-1", "o-1", role};
    auto members = client().ListMembers(actor, {});
    ASSERT_OK(members);
    EXPECT_EQ(Tie(members->items), Tie(fake().members));
    EXPECT_EQ(Tie(*fake().actor), Tie(actor));
  }
}

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
      {"ChangeRole", [](IdentityClient& c) { return c.ChangeRole(kActor, "u", "agent").status(); }},
      {"RemoveMember", [](IdentityClient& c) { return c.RemoveMember(kActor, "u"); }},
  };
}

TEST_F(IdentityGrpcTest, EveryMethodIsServed) {
  const auto methods = EveryMethod();
  EXPECT_EQ(methods.size(), 19u);
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
  auto unreachable = IdentityClient::OverGrpc(*channel, absl::Seconds(5));
  const absl::Status status = unreachable->GetServerInfo().status();
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable) << status;
  EXPECT_EQ(ReasonOf(status), "");
}

}  // namespace
}  // namespace travio::identity
