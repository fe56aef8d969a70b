// The gateway's security layer with a fake identity client (the real one is covered end to
// end in tests/e2e/identity_test.cc): deny by default, key refresh, revocation, tenant checks.
#include "services/gateway/security/secure_routes.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <atomic>

#include "platform/base/errors.h"
#include "platform/kv/memory_store.h"
#include "platform/testing/status_matchers.h"
#include "services/gateway/routes/identity_routes.h"
#include "services/identity/api/session_revocations.h"

namespace travio::gateway {
namespace {

using identity::Role;

class FakeIdentity final : public identity::IdentityClient {
 public:
  FakeIdentity() {
    crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                        reinterpret_cast<unsigned char*>(secret_key.data()));
  }
  absl::StatusOr<identity::TokenSettings> GetTokenSettings() override {
    ++settings_calls;
    return identity::TokenSettings{"paseto", "travio", "travio-api", {{kid, public_key}}};
  }
  absl::StatusOr<identity::Membership> ResolveMembership(const std::string& user_id,
                                                         const std::string& org_id) override {
    ++membership_calls;
    if (user_id == "member" && (org_id.empty() || org_id == kOrg)) {
      return identity::Membership{kOrg, "Org", role};
    }
    return Error(absl::StatusCode::kNotFound, "org_not_found", "No such organization.");
  }
  absl::StatusOr<identity::ServerInfo> GetServerInfo() override { return Unused(); }
  absl::StatusOr<identity::User> Register(const identity::RegisterRequest&) override {
    return Unused();
  }
  absl::StatusOr<identity::TokenPair> Login(const identity::LoginRequest&) override {
    return Unused();
  }
  absl::StatusOr<identity::TokenPair> IssueGuestToken() override {
    if (guest_token.empty()) return Unused();
    return identity::TokenPair{guest_token, "", absl::Minutes(15)};
  }
  absl::StatusOr<identity::TokenPair> Refresh(const std::string&) override { return Unused(); }
  absl::Status Logout(const std::string&) override { return Unused(); }
  absl::StatusOr<identity::Me> GetMe(const std::string&) override { return Unused(); }
  absl::StatusOr<identity::Organization> CreateOrganization(const std::string&, const std::string&,
                                                            const std::string&) override {
    return Unused();
  }
  absl::StatusOr<identity::Organization> GetOrganization(const std::string&) override {
    return Unused();
  }
  absl::StatusOr<identity::Invite> CreateInvite(const identity::Actor&, const std::string&,
                                                const std::string&) override {
    return Unused();
  }
  absl::StatusOr<identity::Page<identity::Invite>> ListInvites(
      const identity::Actor&, const identity::PageRequest&) override {
    return Unused();
  }
  absl::Status RevokeInvite(const identity::Actor&, const std::string&) override {
    return Unused();
  }
  absl::StatusOr<identity::Invite> ResendInvite(const identity::Actor&,
                                                const std::string&) override {
    return Unused();
  }
  absl::StatusOr<identity::AcceptedInvite> AcceptInvite(
      const identity::AcceptInviteRequest&) override {
    return Unused();
  }
  absl::StatusOr<identity::Page<identity::Member>> ListMembers(
      const identity::Actor&, const identity::PageRequest&) override {
    return Unused();
  }
  absl::StatusOr<std::vector<identity::Member>> ListOwners(const std::string&) override {
    return Unused();
  }
  absl::StatusOr<identity::Member> ChangeRole(const identity::Actor&, const std::string&,
                                              const std::string&) override {
    return Unused();
  }
  absl::Status RemoveMember(const identity::Actor&, const std::string&) override {
    return Unused();
  }

  static constexpr char kOrg[] = "0192f0c4-6c1b-7c3e-9a2b-5d7e8f901234";
  std::string kid = "kid-1";
  std::string public_key = std::string(32, '\0');
  std::string secret_key = std::string(64, '\0');
  Role role = Role::kViewer;
  std::string guest_token;  // what IssueGuestToken answers
  std::atomic<int> settings_calls{0};
  std::atomic<int> membership_calls{0};

 private:
  static absl::Status Unused() { return absl::UnimplementedError("not used by this test"); }
};

class SecureRoutesTest : public ::testing::Test {
 protected:
  SecureRoutesTest()
      : identity_(std::make_shared<FakeIdentity>()),
        hot_state_(kv::MakeMemoryStore(clock_)),
        authenticator_(identity_, *hot_state_, clock_, log::Logger::ToStderr(log::Level::kError)),
        routes_(router_, authenticator_, log::Logger::ToStderr(log::Level::kError)) {}

  std::string Token(const std::string& subject, const std::string& session = "session-0",
                    const std::string& kid = "") {
    const absl::Time now = clock_.Now();
    return *identity::SignAccessToken(identity::TokenFormat::kPaseto,
                                      kid.empty() ? identity_->kid : kid, identity_->secret_key,
                                      {.issuer = "travio",
                                       .subject = subject,
                                       .audience = "travio-api",
                                       .token_id = "t",
                                       .session_id = session,
                                       .issued_at = now,
                                       .not_before = now,
                                       .expires_at = now + absl::Minutes(15)});
  }

  http::Response Call(const std::string& method, const std::string& path,
                      const std::string& token = "", const std::string& org = "") {
    http::Request request;
    request.method = method;
    request.path = path;
    request.target = path;
    if (!token.empty()) request.headers.emplace("Authorization", "Bearer " + token);
    if (!org.empty()) request.headers.emplace("X-Org-Id", org);
    return router_.Handle(request);
  }

  static http::Response Ok(http::Request&, const Caller& caller) {
    return http::Response::Text(200,
                                caller.membership ? caller.membership->org_id : caller.user_id());
  }

  ManualClock clock_;
  std::shared_ptr<FakeIdentity> identity_;
  std::unique_ptr<kv::KeyValueStore> hot_state_;
  http::Router router_;
  Authenticator authenticator_;
  SecureRoutes routes_;
};

TEST_F(SecureRoutesTest, ApiRoutesWithoutAPolicyAreRefused) {
  ASSERT_OK(routes_.Add({"GET", "/v1/declared", {.access = Access::kPublic}, Ok}));
  ASSERT_OK(router_.Add("GET", "/v1/sneaky",
                        [](http::Request&) { return http::Response::Text(200, "secret"); }));
  ASSERT_OK(router_.Add("GET", "/healthz",
                        [](http::Request&) { return http::Response::Text(200, "ok"); }));
  EXPECT_EQ(Call("GET", "/v1/declared").status, 200);
  EXPECT_EQ(Call("HEAD", "/v1/declared").status, 200);
  const http::Response sneaky = Call("GET", "/v1/sneaky");
  EXPECT_EQ(sneaky.status, 403);
  EXPECT_EQ(sneaky.body.find("secret"), std::string::npos);
  EXPECT_EQ(Call("GET", "/healthz").status, 200);  // outside /v1: operational routes
  EXPECT_EQ(Call("POST", "/v1/declared").status, 405);
  EXPECT_EQ(Call("GET", "/v1/nowhere").status, 404);
}

TEST_F(SecureRoutesTest, IdempotentRoutesRequireAKeyAndReplay) {
  RouteSpec spec{"POST", "/v1/things", {.access = Access::kAuthenticated}, nullptr};
  int runs = 0;
  spec.handler = [&runs](http::Request&, const Caller& caller) {
    ++runs;
    return http::Response::Text(201, caller.user_id() + std::to_string(runs));
  };
  spec.idempotent = true;
  EXPECT_FALSE(routes_.Add(spec).ok());  // no key store yet
  routes_.UseIdempotency(std::make_shared<Idempotency>(*hot_state_, clock_, IdempotencySettings{}));
  ASSERT_OK(routes_.Add(spec));
  auto post = [&](const std::string& token, const std::string& key) {
    http::Request request;
    request.method = "POST";
    request.path = request.target = "/v1/things";
    request.headers.emplace("Authorization", "Bearer " + token);
    if (!key.empty()) request.headers.emplace("Idempotency-Key", key);
    return router_.Handle(request);
  };
  EXPECT_EQ(post(Token("member"), "").status, 400);
  EXPECT_EQ(post(Token("member"), "k1").body, "member1");
  const http::Response replay = post(Token("member"), "k1");
  EXPECT_EQ(replay.body, "member1");
  EXPECT_EQ(replay.headers.count("Idempotent-Replayed"), 1u);
  EXPECT_EQ(post(Token("other"), "k1").body, "other2");  // scoped to the caller
  EXPECT_EQ(runs, 2);
}

TEST_F(SecureRoutesTest, OrgRoutesMustNameAPermission) {
  EXPECT_FALSE(routes_.Add({"GET", "/v1/orgs/things", {.access = Access::kOrg}, Ok}).ok());
}

// The memory store, as if it were across a network (Redis): answers the same, never in process.
class StoreOverANetwork final : public kv::KeyValueStore {
 public:
  explicit StoreOverANetwork(kv::KeyValueStore& store) : store_(store) {}
  absl::StatusOr<std::optional<std::string>> Get(std::string_view key) override {
    return store_.Get(key);
  }
  absl::Status Set(std::string_view key, std::string_view value, absl::Duration ttl) override {
    return store_.Set(key, value, ttl);
  }
  absl::StatusOr<bool> SetIfAbsent(std::string_view key, std::string_view value,
                                   absl::Duration ttl) override {
    return store_.SetIfAbsent(key, value, ttl);
  }
  absl::StatusOr<bool> CompareAndDelete(std::string_view key, std::string_view expected) override {
    return store_.CompareAndDelete(key, expected);
  }
  absl::StatusOr<bool> Delete(std::string_view key) override { return store_.Delete(key); }
  absl::StatusOr<int64_t> Increment(std::string_view key, int64_t delta,
                                    absl::Duration ttl) override {
    return store_.Increment(key, delta, ttl);
  }
  absl::StatusOr<std::optional<absl::Duration>> Ttl(std::string_view key) override {
    return store_.Ttl(key);
  }
  absl::StatusOr<kv::ScriptReply> Run(const kv::Script& script, std::span<const std::string> keys,
                                      std::span<const std::string> args) override {
    return store_.Run(script, keys, args);
  }

 private:
  kv::KeyValueStore& store_;
};

TEST_F(SecureRoutesTest, ARouteAnswersAtOnceOnlyForAnonymousCallersOnInProcessLimits) {
  RouteSpec spec{"GET", "/v1/quick", {.access = Access::kPublic}, Ok};
  spec.at_once = [](const http::Request& request) { return request.Query("day") == "today"; };
  auto at_once = [&](const std::string& target, const std::string& token) {
    http::Request request;
    request.method = "GET";
    request.target = target;
    request.path = target.substr(0, target.find('?'));
    if (target.find('?') != std::string::npos) request.query = target.substr(target.find('?') + 1);
    if (!token.empty()) request.headers.emplace("Authorization", "Bearer " + token);
    const http::RouteMatch match = router_.Match(request);
    return match.options != nullptr && match.options->at_once && match.options->at_once(request);
  };
  routes_.UseTraffic(std::make_shared<TrafficControl>(
      *hot_state_, clock_, TrafficSettings{}, log::Logger::ToStderr(log::Level::kError), nullptr));
  ASSERT_OK(routes_.Add(spec));
  EXPECT_TRUE(at_once("/v1/quick?day=today", ""));
  EXPECT_FALSE(at_once("/v1/quick?day=later", ""));
  // A token's check may read the revocation list: that request goes to the workers.
  EXPECT_FALSE(at_once("/v1/quick?day=today", Token("member")));
  EXPECT_EQ(Call("GET", "/v1/quick").status, 200);  // still served like any route

  // Rate limits counted over a network wait on it.
  StoreOverANetwork networked(*hot_state_);
  routes_.UseTraffic(std::make_shared<TrafficControl>(
      networked, clock_, TrafficSettings{}, log::Logger::ToStderr(log::Level::kError), nullptr));
  EXPECT_FALSE(at_once("/v1/quick?day=today", ""));

  // Keys and sign-in slots are state the I/O thread must not wait on.
  RouteSpec keyed{"POST", "/v1/keyed", {.access = Access::kAuthenticated}, Ok};
  keyed.at_once = spec.at_once;
  keyed.idempotent = true;
  routes_.UseIdempotency(std::make_shared<Idempotency>(*hot_state_, clock_, IdempotencySettings{}));
  EXPECT_FALSE(routes_.Add(keyed).ok());
}

TEST_F(SecureRoutesTest, ARequestHandedOverFromAnIoThreadIsNotCountedTwice) {
  TrafficSettings settings;
  settings.limits[TrafficClass::kSearch] = {.per_address = 1};
  routes_.UseTraffic(std::make_shared<TrafficControl>(
      *hot_state_, clock_, settings, log::Logger::ToStderr(log::Level::kError), nullptr));
  RouteSpec spec{"GET", "/v1/quick", {.access = Access::kPublic}, nullptr};
  spec.handler = [](http::Request& request, const Caller&) {
    return request.at_once ? http::Response::OnWorkers() : http::Response::Text(200, "ok");
  };
  spec.traffic = TrafficClass::kSearch;
  spec.at_once = [](const http::Request&) { return true; };
  ASSERT_OK(routes_.Add(spec));
  http::Request request;
  request.method = "GET";
  request.path = request.target = "/v1/quick";
  request.remote_address = "203.0.113.9";
  request.at_once = true;
  EXPECT_TRUE(router_.Handle(request).on_workers);
  request.at_once = false;  // as the server runs it again
  request.handed_over = true;
  EXPECT_EQ(router_.Handle(request).status, 200);
  // The one request a minute was counted, once.
  request.handed_over = false;
  EXPECT_EQ(router_.Handle(request).status, 429);
}

TEST_F(SecureRoutesTest, PublicRoutesStillRefuseBadTokens) {
  ASSERT_OK(routes_.Add({"GET", "/v1/open", {.access = Access::kPublic}, Ok}));
  EXPECT_EQ(Call("GET", "/v1/open").status, 200);
  EXPECT_EQ(Call("GET", "/v1/open", Token("member")).body, "member");
  EXPECT_EQ(Call("GET", "/v1/open", "v4.public.bogus").status, 401);
}

TEST_F(SecureRoutesTest, UnknownKidsRefreshKeysAtMostOncePerInterval) {
  ASSERT_OK(routes_.Add({"GET", "/v1/me", {.access = Access::kAccount}, Ok}));
  EXPECT_EQ(Call("GET", "/v1/me", Token("member")).status, 200);
  EXPECT_EQ(identity_->settings_calls, 1);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Call("GET", "/v1/me", Token("member", "s", "forged-" + std::to_string(i))).status,
              401);
  }
  // The keys were fetched a moment ago: forged kids cost no call at all.
  EXPECT_EQ(identity_->settings_calls, 1);
  clock_.Advance(absl::Seconds(11));
  // A rotation: identity now signs with a new kid, which the gateway learns on first sight.
  identity_->kid = "kid-2";
  EXPECT_EQ(Call("GET", "/v1/me", Token("member")).status, 200);
  EXPECT_EQ(identity_->settings_calls, 2);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(Call("GET", "/v1/me", Token("member", "s", "forged-" + std::to_string(i))).status,
              401);
  }
  EXPECT_EQ(identity_->settings_calls, 2);
}

TEST_F(SecureRoutesTest, RemovedKeysStopVerifyingWithinAMinute) {
  ASSERT_OK(routes_.Add({"GET", "/v1/me", {.access = Access::kAccount}, Ok}));
  const std::string old_token = Token("member");
  EXPECT_EQ(Call("GET", "/v1/me", old_token).status, 200);
  // Identity rotates and retires the old key (say it leaked): new keys, new kid.
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(identity_->public_key.data()),
                      reinterpret_cast<unsigned char*>(identity_->secret_key.data()));
  identity_->kid = "kid-2";
  EXPECT_EQ(Call("GET", "/v1/me", old_token).status, 200);  // cached keys, for now
  clock_.Advance(absl::Seconds(61));
  EXPECT_EQ(Call("GET", "/v1/me", old_token).status, 401);
  EXPECT_EQ(Call("GET", "/v1/me", Token("member")).status, 200);
}

TEST_F(SecureRoutesTest, AccountTokensWithoutASessionAreNotIdentitys) {
  ASSERT_OK(routes_.Add({"GET", "/v1/me", {.access = Access::kAccount}, Ok}));
  EXPECT_EQ(Call("GET", "/v1/me", Token("member", "")).status, 401);
}

TEST_F(SecureRoutesTest, SignInRoutesIgnoreStaleTokens) {
  ASSERT_OK(routes_.Add({"POST", "/v1/auth/refresh", {.access = Access::kAnonymous}, Ok}));
  const std::string token = Token("member", "session-9");
  ASSERT_OK(identity::SessionRevocations(*hot_state_, absl::Minutes(15)).Revoke("session-9"));
  EXPECT_EQ(Call("POST", "/v1/auth/refresh", token).status, 200);
  EXPECT_EQ(Call("POST", "/v1/auth/refresh", "garbage").status, 200);
  EXPECT_EQ(Call("POST", "/v1/auth/refresh", token).body, "");  // no caller taken from it
}

TEST_F(SecureRoutesTest, ATokenIssuedThroughTheGatewayIsNotCheckedAgainOnFirstUse) {
  ASSERT_OK(AddIdentityRoutes(routes_, router_, authenticator_, identity_, nullptr, nullptr));
  ASSERT_OK(routes_.Add({"GET", "/v1/held", {.access = Access::kAuthenticated}, Ok}));
  identity_->guest_token = Token("guest:one", "");
  const http::Response issued = Call("POST", "/v1/auth/guest");
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_NE(issued.body.find(identity_->guest_token), std::string::npos);
  EXPECT_EQ(Call("GET", "/v1/held", identity_->guest_token).body, "guest:one");
  EXPECT_EQ(authenticator_.signature_checks(), 0u);
  // A token a client brings is checked, once.
  const std::string brought = Token("guest:two", "");
  EXPECT_EQ(Call("GET", "/v1/held", brought).body, "guest:two");
  EXPECT_EQ(Call("GET", "/v1/held", brought).body, "guest:two");
  EXPECT_EQ(authenticator_.signature_checks(), 1u);
}

TEST_F(SecureRoutesTest, EndedSessionsAreRefused) {
  ASSERT_OK(routes_.Add({"GET", "/v1/me", {.access = Access::kAccount}, Ok}));
  const std::string token = Token("member", "session-1");
  EXPECT_EQ(Call("GET", "/v1/me", token).status, 200);
  ASSERT_OK(identity::SessionRevocations(*hot_state_, absl::Minutes(15)).Revoke("session-1"));
  const http::Response refused = Call("GET", "/v1/me", token);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.headers.count("WWW-Authenticate"), 1u);
}

TEST_F(SecureRoutesTest, OrgScopeChecksMembershipAndPermissionOnEveryRequest) {
  ASSERT_OK(routes_.Add({"GET",
                         "/v1/orgs/members",
                         {.access = Access::kOrg, .permission = identity::Permission::kMembersRead},
                         Ok}));
  identity_->role = Role::kManager;
  EXPECT_EQ(Call("GET", "/v1/orgs/members", Token("member")).body, FakeIdentity::kOrg);
  identity_->role = Role::kViewer;  // demoted between two requests
  EXPECT_EQ(Call("GET", "/v1/orgs/members", Token("member")).status, 403);
  EXPECT_EQ(Call("GET", "/v1/orgs/members", Token("stranger")).status, 404);
  const int calls = identity_->membership_calls;
  EXPECT_EQ(Call("GET", "/v1/orgs/members", Token("member"), "not-an-id").status, 404);
  EXPECT_EQ(identity_->membership_calls, calls);  // refused without a lookup
  EXPECT_EQ(Call("GET", "/v1/orgs/members", Token("guest:1")).status, 403);
  EXPECT_EQ(Call("GET", "/v1/orgs/members").status, 401);
}

TEST_F(SecureRoutesTest, TheOpenApiDocumentListsEveryRouteWithItsPolicy) {
  ASSERT_OK(routes_.Add({"POST",
                         "/v1/open",
                         {.access = Access::kPublic},
                         Ok,
                         {"Open", "test", nlohmann::json{{"type", "object"}}, 201, nullptr, {}}}));
  ASSERT_OK(
      routes_.Add({"DELETE",
                   "/v1/orgs/members/{user_id}",
                   {.access = Access::kOrg, .permission = identity::Permission::kMembersManage},
                   Ok,
                   {"Remove", "test", nullptr, 204, nullptr, {409}}}));
  const nlohmann::json document = routes_.openapi().Build();
  EXPECT_EQ(document["openapi"], "3.1.0");
  for (const auto& [key, policy] : routes_.declared()) {
    const std::string method = key.substr(0, key.find(' '));
    std::string lower = method;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(document["paths"][key.substr(key.find(' ') + 1)].contains(lower)) << key;
  }
  const auto& open = document["paths"]["/v1/open"]["post"];
  EXPECT_TRUE(open["requestBody"]["required"]);
  EXPECT_TRUE(open["responses"].contains("201"));
  EXPECT_TRUE(open["responses"].contains("400"));
  EXPECT_FALSE(open["responses"].contains("401"));
  const auto& remove = document["paths"]["/v1/orgs/members/{user_id}"]["delete"];
  EXPECT_EQ(remove["x-travio-permission"], "members.manage");
  EXPECT_EQ(remove["security"][0].begin().key(), "bearer");
  for (const char* status : {"204", "401", "403", "404", "409"}) {
    EXPECT_TRUE(remove["responses"].contains(status)) << status;
  }
  EXPECT_EQ(remove["parameters"][1]["name"], "user_id");
}

}  // namespace
}  // namespace travio::gateway
