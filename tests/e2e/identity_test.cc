// Identity, organizations and access control through the public API, on both deployments:
// the issue's "done when" story, then an attacker's view (negative security suite).
#include <gtest/gtest.h>
#include <sodium.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <latch>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "platform/crypto/jwt.h"
#include "platform/testing/command.h"
#include "platform/testing/fail_the_test.h"
#include "platform/testing/http_client.h"
#include "platform/testing/smtp_sink.h"
#include "platform/testing/status_matchers.h"
#include "services/identity/api/access_token.h"
#include "tests/e2e/api_basics.h"
#include "tests/e2e/deployments.h"
#include "tests/e2e/mailbox.h"
#include "tests/e2e/shared_deployment.h"

namespace travio::e2e {
namespace {

using nlohmann::json;
using testing::HttpClient;
using testing::HttpResult;
using testing::ReadFile;
using testing::RunCommand;

std::map<std::string, std::string> Bearer(const std::string& token) {
  return {{"Authorization", "Bearer " + token}};
}

std::map<std::string, std::string> Bearer(const std::string& token, const std::string& org) {
  return {{"Authorization", "Bearer " + token}, {"X-Org-Id", org}};
}

// Identity's current signing key, read from its key directory: tests mint hostile tokens with
// it to prove that only the claims stop them.
struct ServerKey {
  std::string kid;
  std::string secret;
};
ServerKey ReadServerKey(const std::filesystem::path& keys_dir) {
  ServerKey key;
  key.kid = ReadFile(keys_dir / "signing" / "current");
  key.kid.erase(key.kid.find_last_not_of("\n") + 1);
  std::string hex = ReadFile(keys_dir / "signing" / (key.kid + ".key"));
  hex.erase(hex.find_last_not_of("\n") + 1);
  key.secret.assign(64, '\0');
  sodium_hex2bin(reinterpret_cast<unsigned char*>(key.secret.data()), key.secret.size(), hex.data(),
                 hex.size(), nullptr, nullptr, nullptr);
  return key;
}

identity::AccessClaims ClaimsFor(const std::string& user_id) {
  const absl::Time now = absl::Now();
  return {.issuer = "travio",
          .subject = user_id,
          .audience = "travio-api",
          .token_id = "jti-" + user_id,
          .session_id = "minted-session",
          .issued_at = now,
          .not_before = now,
          .expires_at = now + absl::Minutes(10)};
}

class IdentityE2eTest : public ::testing::TestWithParam<Mode> {
 protected:
  // The cases share one deployment per mode (CTest runs the suite as one test per mode): each
  // works on accounts and organizations of its own, named by Unique().
  static void TearDownTestSuite() { shared_.clear(); }

  void SetUp() override {
    std::shared_ptr<Deployment>& deployment = shared_[GetParam()].deployment;
    if (deployment == nullptr) deployment = StartDeployment(GetParam(), {});
    ASSERT_NE(deployment, nullptr);
    deployment_ = deployment;
    client_ = std::make_unique<HttpClient>(deployment_->base_url());
  }

  std::string Unique(const std::string& name) {
    static std::atomic<int> counter{0};
    return name + std::to_string(++counter) + "@example.com";
  }

  HttpResult Post(const std::string& path, const json& body,
                  std::map<std::string, std::string> headers = {}) {
    return client_->PostJson(path, body.dump(), std::move(headers));
  }

  std::string Register(const std::string& email, const std::string& name = "Someone") {
    auto result =
        Post("/v1/auth/register", {{"email", email}, {"password", kPassword}, {"name", name}});
    EXPECT_EQ(result.status, 201) << result.body;
    return Body(result)["user"]["id"].get<std::string>();
  }

  json Login(const std::string& email, const std::string& password = kPassword) {
    auto result = Post("/v1/auth/login", {{"email", email}, {"password", password}});
    EXPECT_EQ(result.status, 200) << result.body;
    return Body(result);
  }

  std::string AccessToken(const std::string& email) {
    return Login(email)["access_token"].get<std::string>();
  }

  std::string CreateOrg(const std::string& token, const std::string& name) {
    auto result = Post("/v1/orgs", {{"name", name}}, Bearer(token));
    EXPECT_EQ(result.status, 201) << result.body;
    return Body(result)["id"].get<std::string>();
  }

  std::string InviteTokenFromMail(const std::string& email) {
    return e2e::InviteTokenFromMail(deployment_->mail_dir(), email);
  }

  // Invites `email` as `role` into the org of `owner_token` and accepts as a new account;
  // returns the member's access token.
  std::string AddMember(const std::string& owner_token, const std::string& org,
                        const std::string& email, const std::string& role) {
    auto invite =
        Post("/v1/orgs/invites", {{"email", email}, {"role", role}}, Bearer(owner_token, org));
    EXPECT_EQ(invite.status, 201) << invite.body;
    auto accepted = Post("/v1/invites/accept", {{"token", InviteTokenFromMail(email)},
                                                {"name", "Member " + role},
                                                {"password", kPassword}});
    EXPECT_EQ(accepted.status, 201) << accepted.body;
    return Body(accepted)["access_token"].get<std::string>();
  }

  // A token signed with identity's own current key but with claims of the test's choosing.
  std::string MintWithServerKey(const identity::AccessClaims& claims,
                                identity::TokenFormat format = identity::TokenFormat::kPaseto) {
    const ServerKey key = ReadServerKey(deployment_->keys_dir());
    return *identity::SignAccessToken(format, key.kid, key.secret, claims);
  }

  identity::AccessClaims ValidClaims(const std::string& user_id) { return ClaimsFor(user_id); }

  static inline std::map<Mode, SharedDeployment> shared_;
  std::shared_ptr<Deployment> deployment_;
  std::unique_ptr<HttpClient> client_;
};

// The issue's "done when", step by step, as anyone with curl would do it.
TEST_P(IdentityE2eTest, OwnerInvitesAManagerWhoIsLaterRemoved) {
  const std::string owner_email = Unique("owner");
  Register(owner_email, "Owner");
  const json login = Login(owner_email);
  EXPECT_EQ(login["token_type"], "Bearer");
  EXPECT_EQ(login["expires_in"], 900);
  const std::string owner = login["access_token"];
  const std::string org = CreateOrg(owner, "Green Line Paribahan");

  const std::string manager_email = Unique("manager");
  auto invite =
      Post("/v1/orgs/invites", {{"email", manager_email}, {"role", "manager"}}, Bearer(owner));
  ASSERT_EQ(invite.status, 201) << invite.body;
  EXPECT_EQ(Body(invite)["status"], "pending");
  EXPECT_EQ(Body(invite)["role"], "manager");
  const std::string token = InviteTokenFromMail(manager_email);
  ASSERT_EQ(token.size(), 43u);  // 32 random bytes, base64url

  auto accepted =
      Post("/v1/invites/accept", {{"token", token}, {"name", "Manager"}, {"password", kPassword}});
  ASSERT_EQ(accepted.status, 201) << accepted.body;
  EXPECT_EQ(Body(accepted)["org_id"], org);
  EXPECT_EQ(Body(accepted)["role"], "manager");
  const std::string manager = Body(accepted)["access_token"];
  const std::string manager_id = Body(accepted)["user"]["id"];

  // /v1/me says what the role may do, so a console shows only what the member can use.
  auto me = client_->Get("/v1/me", Bearer(manager));
  ASSERT_EQ(me.status, 200) << me.body;
  const json membership = Body(me)["memberships"][0];
  EXPECT_EQ(membership["role"], "manager");
  const std::vector<std::string> permissions = membership["permissions"];
  EXPECT_NE(std::find(permissions.begin(), permissions.end(), "catalog.manage"), permissions.end());
  EXPECT_EQ(std::find(permissions.begin(), permissions.end(), "members.manage"), permissions.end());

  auto members = client_->Get("/v1/orgs/members", Bearer(manager));
  ASSERT_EQ(members.status, 200) << members.body;
  ASSERT_EQ(Body(members)["items"].size(), 2u);
  std::string owner_id;
  const json listed = Body(members);
  for (const auto& member : listed["items"]) {
    if (member["role"] == "owner") owner_id = member["user_id"];
  }
  auto promote =
      client_->Send("PATCH", "/v1/orgs/members/" + owner_id, json{{"role", "viewer"}}.dump(),
                    {{"Authorization", "Bearer " + manager}, {"Content-Type", "application/json"}});
  EXPECT_EQ(promote.status, 403) << promote.body;

  auto removed = client_->Send("DELETE", "/v1/orgs/members/" + manager_id, "", Bearer(owner));
  EXPECT_EQ(removed.status, 204) << removed.body;
  auto refused = client_->Get("/v1/orgs/members", Bearer(manager, org));
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(client_->Get("/v1/orgs/" + org, Bearer(manager)).status, 404);
  // The same token still works where no membership is needed.
  EXPECT_EQ(client_->Get("/v1/me", Bearer(manager)).status, 200);
}

// "Access tokens issued by Travio verify with an independent PASETO implementation using only
// the key from /.well-known/travio-keys": PyNaCl and the spec's PAE, no Travio code.
TEST_P(IdentityE2eTest, AccessTokensVerifyWithAnIndependentImplementation) {
  const std::string email = Unique("independent");
  const std::string user_id = Register(email);
  const std::string token = AccessToken(email);
  auto keys = client_->Get("/.well-known/travio-keys");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(Body(keys)["keys"][0]["version"], "v4");
  EXPECT_EQ(Body(keys)["keys"][0]["purpose"], "public");
  testing::TempDir dir;
  std::ofstream(dir.path() / "keys.json") << keys.body;
  const std::string script = std::string(TRAVIO_SOURCE_DIR) + "/tests/support/verify_paseto.py";
  auto [code, output] = RunCommand("/usr/bin/python3 " + script + " '" + token + "' " +
                                   (dir.path() / "keys.json").string() + " 2>&1");
  ASSERT_EQ(code, 0) << output;
  const json claims = json::parse(output);
  EXPECT_EQ(claims["sub"], user_id);
  EXPECT_EQ(claims["iss"], "travio");
  EXPECT_EQ(claims["aud"], "travio-api");
  for (const char* claim : {"iat", "nbf", "exp", "jti"}) EXPECT_TRUE(claims.contains(claim));

  // One flipped bit and the independent verifier refuses it too.
  std::string tampered = token;
  tampered[20] = tampered[20] == 'A' ? 'B' : 'A';
  EXPECT_NE(RunCommand("/usr/bin/python3 " + script + " '" + tampered + "' " +
                       (dir.path() / "keys.json").string() + " 2>/dev/null")
                .first,
            0);

  // The JWKS view carries the same key.
  auto jwks = client_->Get("/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200);
  std::string x;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(Body(jwks)["keys"][0]["x"].get<std::string>(), &x));
  EXPECT_EQ(absl::BytesToHexString(x), Body(keys)["keys"][0]["public_key"]);
}

// The OpenAPI document is generated from the route table: every api.md identity route is in it
// with its method and who may call it.
TEST_P(IdentityE2eTest, OpenApiDocumentDescribesTheIdentityRoutes) {
  auto result = client_->Get("/openapi.json");
  ASSERT_EQ(result.status, 200);
  EXPECT_EQ(result.headers["content-type"], "application/json");
  const json document = Body(result);
  EXPECT_EQ(document["openapi"], "3.1.0");
  const std::vector<std::pair<std::string, std::string>> api_md = {
      {"post", "/v1/auth/register"},
      {"post", "/v1/auth/login"},
      {"post", "/v1/auth/guest"},
      {"post", "/v1/auth/refresh"},
      {"post", "/v1/auth/logout"},
      {"get", "/v1/me"},
      {"post", "/v1/orgs"},
      {"get", "/v1/orgs/{org_id}"},
      {"post", "/v1/orgs/invites"},
      {"get", "/v1/orgs/invites"},
      {"delete", "/v1/orgs/invites/{invite_id}"},
      {"post", "/v1/invites/accept"},
      {"get", "/v1/orgs/members"},
      {"patch", "/v1/orgs/members/{user_id}"},
      {"delete", "/v1/orgs/members/{user_id}"},
      {"get", "/.well-known/travio-keys"}};
  for (const auto& [method, path] : api_md) {
    ASSERT_TRUE(document["paths"].contains(path)) << path;
    EXPECT_TRUE(document["paths"][path].contains(method)) << method << " " << path;
  }
  EXPECT_EQ(document["paths"]["/v1/orgs/members"]["get"]["x-travio-permission"], "members.read");
  EXPECT_TRUE(document["paths"]["/v1/auth/login"]["post"]["responses"].contains("429"));
}

TEST_P(IdentityE2eTest, ForgedExpiredEarlyAndMisaddressedTokensAreRefused) {
  const std::string email = Unique("victim");
  const std::string user_id = Register(email);
  // The minting path itself works: a well-formed token with the server's key is accepted.
  ASSERT_EQ(client_->Get("/v1/me", Bearer(MintWithServerKey(ValidClaims(user_id)))).status, 200);

  auto expired = ValidClaims(user_id);
  expired.issued_at -= absl::Hours(1);
  expired.not_before -= absl::Hours(1);
  expired.expires_at = absl::Now() - absl::Minutes(2);
  auto early = ValidClaims(user_id);
  early.not_before = absl::Now() + absl::Minutes(5);
  auto audience = ValidClaims(user_id);
  audience.audience = "another-api";
  auto issuer = ValidClaims(user_id);
  issuer.issuer = "evil";
  for (const auto& claims : {expired, early, audience, issuer}) {
    auto result = client_->Get("/v1/me", Bearer(MintWithServerKey(claims)));
    EXPECT_EQ(result.status, 401) << result.body;
    EXPECT_EQ(Body(result)["code"], "invalid_token");
    EXPECT_EQ(result.headers["www-authenticate"], "Bearer");
  }

  // A key from elsewhere, even under the server's kid.
  std::string kid = ReadFile(deployment_->keys_dir() / "signing" / "current");
  kid.erase(kid.find_last_not_of("\n") + 1);
  std::string public_key(32, '\0'), secret(64, '\0');
  crypto_sign_keypair(reinterpret_cast<unsigned char*>(public_key.data()),
                      reinterpret_cast<unsigned char*>(secret.data()));
  for (const std::string& signer : {kid, std::string("0123456789abcdef0123456789abcdef")}) {
    auto forged = identity::SignAccessToken(identity::TokenFormat::kPaseto, signer, secret,
                                            ValidClaims(user_id));
    EXPECT_EQ(client_->Get("/v1/me", Bearer(*forged)).status, 401);
  }

  // Tampered, truncated and garbage tokens; a JWT where PASETO is configured; alg none.
  const std::string real = AccessToken(email);
  std::string tampered = real;
  tampered[40] = tampered[40] == 'A' ? 'B' : 'A';
  const std::string none = absl::WebSafeBase64Escape(R"({"alg":"none","typ":"at+jwt","kid":"x"})") +
                           "." + absl::WebSafeBase64Escape(json{{"sub", user_id}}.dump()) + ".";
  // Signed with the server's own key and valid claims: only the format is wrong.
  const std::string jwt = MintWithServerKey(ValidClaims(user_id), identity::TokenFormat::kJwt);
  for (const std::string& bad : {tampered, real.substr(0, real.size() - 10), std::string("x"), none,
                                 jwt, std::string(10000, 'a')}) {
    EXPECT_EQ(client_->Get("/v1/me", Bearer(bad)).status, 401) << bad.substr(0, 60);
  }
  EXPECT_EQ(client_->Get("/v1/me", {{"Authorization", "Basic dXNlcjpwYXNz"}}).status, 401);
  EXPECT_EQ(client_->Get("/v1/me").status, 401);
  EXPECT_EQ(client_->Get("/v1/me", Bearer(real)).status, 200);
}

TEST_P(IdentityE2eTest, RefreshRotatesAndReuseEndsTheSession) {
  const std::string email = Unique("refresh");
  Register(email);
  const json first = Login(email);
  auto second = Post("/v1/auth/refresh", {{"refresh_token", first["refresh_token"]}});
  ASSERT_EQ(second.status, 200) << second.body;
  const std::string access = Body(second)["access_token"];
  EXPECT_EQ(client_->Get("/v1/me", Bearer(access)).status, 200);

  auto reused = Post("/v1/auth/refresh", {{"refresh_token", first["refresh_token"]}});
  EXPECT_EQ(reused.status, 401);
  EXPECT_EQ(Body(reused)["code"], "invalid_refresh_token");
  // The whole family is gone: the newest refresh token and the session's access tokens.
  EXPECT_EQ(Post("/v1/auth/refresh", {{"refresh_token", Body(second)["refresh_token"]}}).status,
            401);
  EXPECT_EQ(client_->Get("/v1/me", Bearer(access)).status, 401);
  EXPECT_EQ(client_->Get("/v1/me", Bearer(first["access_token"])).status, 401);
}

TEST_P(IdentityE2eTest, LogoutRevokesTheAccessTokenAtOnce) {
  const std::string email = Unique("logout");
  Register(email);
  const json tokens = Login(email);
  const std::string access = tokens["access_token"];
  ASSERT_EQ(client_->Get("/v1/me", Bearer(access)).status, 200);
  auto logout = Post("/v1/auth/logout", {{"refresh_token", tokens["refresh_token"]}});
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_EQ(client_->Get("/v1/me", Bearer(access)).status, 401);
  EXPECT_EQ(Post("/v1/auth/refresh", {{"refresh_token", tokens["refresh_token"]}}).status, 401);
}

TEST_P(IdentityE2eTest, BruteForceIsThrottledAndUnknownEmailsLookTheSame) {
  const std::string email = Unique("target");
  Register(email);
  auto unknown = Post("/v1/auth/login", {{"email", Unique("ghost")}, {"password", "wrong one!"}});
  auto wrong = Post("/v1/auth/login", {{"email", email}, {"password", "wrong one!"}});
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(Body(unknown)["code"], "invalid_credentials");
  EXPECT_EQ(unknown.body, wrong.body);  // byte for byte
  EXPECT_EQ(unknown.headers["www-authenticate"], wrong.headers["www-authenticate"]);
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Post("/v1/auth/login", {{"email", email}, {"password", "guess " + std::to_string(i)}})
                  .status,
              401);
  }
  auto throttled = Post("/v1/auth/login", {{"email", email}, {"password", kPassword}});
  EXPECT_EQ(throttled.status, 429) << throttled.body;
  EXPECT_EQ(Body(throttled)["code"], "too_many_attempts");
  EXPECT_FALSE(throttled.headers["retry-after"].empty());
  EXPECT_GE(std::stoi(throttled.headers["retry-after"]), 1);
}

TEST_P(IdentityE2eTest, BadInputGetsClearProblemsAndChangesNothing) {
  auto weak = Post("/v1/auth/register",
                   {{"email", Unique("weak")}, {"password", "password123"}, {"name", "W"}});
  EXPECT_EQ(weak.status, 422);
  EXPECT_EQ(Body(weak)["code"], "weak_password");
  EXPECT_EQ(Body(weak)["errors"][0]["field"], "password");

  auto malformed = client_->PostJson("/v1/auth/register", R"({"email": "a@b.com",)");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Body(malformed)["code"], "malformed_json");
  EXPECT_EQ(malformed.headers["content-type"], "application/problem+json");

  auto types = Post("/v1/auth/register",
                    {{"email", 42}, {"password", json::array()}, {"name", "N"}, {"admin", true}});
  EXPECT_EQ(types.status, 400);
  std::set<std::string> fields;
  const json problem = Body(types);
  for (const auto& error : problem["errors"]) fields.insert(error["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"email", "password", "admin"}));

  const std::string huge = json{{"email", Unique("huge")},
                                {"password", kPassword},
                                {"name", std::string(2 * 1024 * 1024, 'n')}}
                               .dump();
  EXPECT_EQ(client_->PostJson("/v1/auth/register", huge).status, 413);
  auto deep = client_->PostJson("/v1/auth/register", std::string(100, '[') + std::string(100, ']'));
  EXPECT_EQ(deep.status, 400);

  // None of it created an account: registering the same emails works now.
  auto retry = Post("/v1/auth/register",
                    {{"email", "weak-retry@example.com"}, {"password", kPassword}, {"name", "W"}});
  EXPECT_EQ(retry.status, 201);
  auto taken = Post("/v1/auth/register",
                    {{"email", "WEAK-RETRY@example.com"}, {"password", kPassword}, {"name", "W"}});
  EXPECT_EQ(taken.status, 409);
  EXPECT_EQ(Body(taken)["code"], "email_taken");
}

// Every org-scoped route, called by a member of org A about org B: 404, never B's data.
TEST_P(IdentityE2eTest, AnotherTenantsResourcesAreNotFound) {
  const std::string alice = Unique("alice");
  const std::string bob = Unique("bob");
  Register(alice);
  Register(bob);
  const std::string alice_token = AccessToken(alice);
  const std::string bob_token = AccessToken(bob);
  const std::string org_a = CreateOrg(alice_token, "Alpha Travels");
  const std::string org_b = CreateOrg(bob_token, "Bravo Travels");
  auto b_invite = Post("/v1/orgs/invites", {{"email", Unique("b-staff")}, {"role", "agent"}},
                       Bearer(bob_token));
  ASSERT_EQ(b_invite.status, 201);
  const std::string b_invite_id = Body(b_invite)["id"];
  const std::string bob_id = Body(client_->Get("/v1/me", Bearer(bob_token)))["id"];

  const std::string json_type = "application/json";
  struct Call {
    std::string method, path, body;
  };
  const std::vector<Call> calls = {
      {"GET", "/v1/orgs/" + org_b, ""},
      {"GET", "/v1/orgs/members", ""},
      {"PATCH", "/v1/orgs/members/" + bob_id, R"({"role":"viewer"})"},
      {"DELETE", "/v1/orgs/members/" + bob_id, ""},
      {"POST", "/v1/orgs/invites", R"({"email":"x@example.com","role":"viewer"})"},
      {"GET", "/v1/orgs/invites", ""},
      {"DELETE", "/v1/orgs/invites/" + b_invite_id, ""},
      {"POST", "/v1/orgs/invites/" + b_invite_id + "/resend", ""},
  };
  for (const Call& call : calls) {
    auto result = client_->Send(call.method, call.path, call.body,
                                {{"Authorization", "Bearer " + alice_token},
                                 {"X-Org-Id", org_b},
                                 {"Content-Type", json_type}});
    EXPECT_EQ(result.status, 404) << call.method << " " << call.path << ": " << result.body;
    EXPECT_EQ(result.body.find("Bravo"), std::string::npos);
  }
  // Naming her own org, Alice still cannot reach Bob's invite or membership by id.
  EXPECT_EQ(
      client_->Send("DELETE", "/v1/orgs/invites/" + b_invite_id, "", Bearer(alice_token, org_a))
          .status,
      404);
  EXPECT_EQ(
      client_->Send("DELETE", "/v1/orgs/members/" + bob_id, "", Bearer(alice_token, org_a)).status,
      404);
  // Bob's org is untouched.
  auto bob_members = client_->Get("/v1/orgs/members", Bearer(bob_token));
  EXPECT_EQ(Body(bob_members)["items"].size(), 1u);
  auto bob_invites = client_->Get("/v1/orgs/invites", Bearer(bob_token));
  EXPECT_EQ(Body(bob_invites)["items"][0]["status"], "pending");
  // A malformed org id is answered like a foreign one.
  EXPECT_EQ(client_->Get("/v1/orgs/members", Bearer(alice_token, "../../etc")).status, 404);
}

// What each role may do on each org-scoped route (api.md "Roles").
TEST_P(IdentityE2eTest, EachRoleReachesExactlyItsRoutes) {
  const std::string owner_email = Unique("matrix-owner");
  Register(owner_email);
  const std::string owner = AccessToken(owner_email);
  const std::string org = CreateOrg(owner, "Matrix Lines");
  // A target member whose role the callers try to change, and a pending invite to revoke.
  AddMember(owner, org, Unique("target"), "viewer");
  std::string target_id;
  const json listed = Body(client_->Get("/v1/orgs/members", Bearer(owner)));
  for (const auto& m : listed["items"]) {
    if (m["role"] == "viewer") target_id = m["user_id"];
  }

  struct Expectation {
    std::string method, path, body;
    std::set<std::string> allowed;
  };
  const std::set<std::string> everyone = {"owner", "admin",     "manager",
                                          "agent", "conductor", "viewer"};
  const std::vector<Expectation> matrix = {
      {"GET", "/v1/orgs/" + org, "", everyone},
      {"GET", "/v1/orgs/members", "", {"owner", "admin", "manager"}},
      {"GET", "/v1/orgs/invites", "", {"owner", "admin"}},
      {"POST", "/v1/orgs/invites", "", {"owner", "admin"}},
      {"PATCH", "/v1/orgs/members/" + target_id, R"({"role":"viewer"})", {"owner", "admin"}},
  };
  std::map<std::string, std::string> tokens = {{"owner", owner}};
  for (const std::string role : {"admin", "manager", "agent", "conductor", "viewer"}) {
    tokens[role] = AddMember(owner, org, Unique("as-" + role), role);
  }
  for (const auto& [role, token] : tokens) {
    for (const Expectation& expectation : matrix) {
      std::string body = expectation.body;
      if (expectation.method == "POST") {
        body = json{{"email", Unique("invitee-" + role)}, {"role", "viewer"}}.dump();
      }
      auto result = client_->Send(expectation.method, expectation.path, body,
                                  {{"Authorization", "Bearer " + token},
                                   {"X-Org-Id", org},
                                   {"Content-Type", "application/json"}});
      const bool allowed = expectation.allowed.contains(role);
      if (allowed) {
        EXPECT_LT(result.status, 300)
            << role << " " << expectation.method << " " << expectation.path << ": " << result.body;
      } else {
        EXPECT_EQ(result.status, 403)
            << role << " " << expectation.method << " " << expectation.path << ": " << result.body;
      }
    }
  }
  // Removal, last: only owners and admins; the target survives everyone else's attempts.
  for (const std::string role : {"manager", "agent", "conductor", "viewer"}) {
    EXPECT_EQ(
        client_->Send("DELETE", "/v1/orgs/members/" + target_id, "", Bearer(tokens[role], org))
            .status,
        403)
        << role;
  }
  EXPECT_EQ(
      client_->Send("DELETE", "/v1/orgs/members/" + target_id, "", Bearer(tokens["admin"], org))
          .status,
      204);
}

TEST_P(IdentityE2eTest, GuestsCheckOutButNeverActForAnOrganization) {
  auto guest = client_->PostJson("/v1/auth/guest", "");
  ASSERT_EQ(guest.status, 200) << guest.body;
  EXPECT_FALSE(Body(guest).contains("refresh_token"));
  const std::string token = Body(guest)["access_token"];
  EXPECT_EQ(client_->Get("/v1/me", Bearer(token)).status, 403);
  EXPECT_EQ(client_->Get("/v1/orgs/members", Bearer(token)).status, 403);
  EXPECT_EQ(Post("/v1/orgs", {{"name", "Guest Org"}}, Bearer(token)).status, 403);
}

TEST_P(IdentityE2eTest, InvitesAreSingleUseRevocableAndBoundToTheirEmail) {
  const std::string owner_email = Unique("inviter");
  Register(owner_email);
  const std::string owner = AccessToken(owner_email);
  CreateOrg(owner, "Invite Lines");
  const std::string invitee = Unique("invitee");
  ASSERT_EQ(Post("/v1/orgs/invites", {{"email", invitee}, {"role", "agent"}}, Bearer(owner)).status,
            201);
  const std::string token = InviteTokenFromMail(invitee);

  // Signed in as somebody else: refused.
  const std::string other = Unique("other");
  Register(other);
  auto mismatch = Post("/v1/invites/accept", {{"token", token}}, Bearer(AccessToken(other)));
  EXPECT_EQ(mismatch.status, 403) << mismatch.body;
  EXPECT_EQ(Body(mismatch)["code"], "email_mismatch");

  EXPECT_EQ(Post("/v1/invites/accept",
                 {{"token", "no-such-token"}, {"name", "X"}, {"password", kPassword}})
                .status,
            404);
  ASSERT_EQ(
      Post("/v1/invites/accept", {{"token", token}, {"name", "Agent"}, {"password", kPassword}})
          .status,
      201);
  auto again =
      Post("/v1/invites/accept", {{"token", token}, {"name", "Agent"}, {"password", kPassword}});
  EXPECT_EQ(again.status, 410) << again.body;

  const std::string revoked_email = Unique("revoked");
  auto invite =
      Post("/v1/orgs/invites", {{"email", revoked_email}, {"role", "viewer"}}, Bearer(owner));
  const std::string invite_id = Body(invite)["id"];
  EXPECT_EQ(client_->Send("DELETE", "/v1/orgs/invites/" + invite_id, "", Bearer(owner)).status,
            204);
  auto late =
      Post("/v1/invites/accept",
           {{"token", InviteTokenFromMail(revoked_email)}, {"name", "R"}, {"password", kPassword}});
  EXPECT_EQ(late.status, 410);
  EXPECT_EQ(Body(late)["code"], "invite_revoked");
  auto bad_role =
      Post("/v1/orgs/invites", {{"email", Unique("x")}, {"role", "emperor"}}, Bearer(owner));
  EXPECT_EQ(bad_role.status, 422);
  EXPECT_EQ(Body(bad_role)["code"], "invalid_role");
}

TEST_P(IdentityE2eTest, ListsArePagedWithCursors) {
  const std::string owner_email = Unique("pager");
  Register(owner_email);
  const std::string owner = AccessToken(owner_email);
  CreateOrg(owner, "Pager Lines");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(
        Post("/v1/orgs/invites", {{"email", Unique("page")}, {"role", "viewer"}}, Bearer(owner))
            .status,
        201);
  }
  std::set<std::string> seen;
  std::string path = "/v1/orgs/invites?limit=2";
  int pages = 0;
  while (!path.empty() && pages < 10) {
    auto result = client_->Get(path, Bearer(owner));
    ASSERT_EQ(result.status, 200) << result.body;
    const json page = Body(result);
    EXPECT_LE(page["items"].size(), 2u);
    for (const auto& item : page["items"]) {
      seen.insert(item["id"].get<std::string>());
      EXPECT_TRUE(item["email_sent"].get<bool>()) << item;
    }
    path = page["next_cursor"].is_null()
               ? ""
               : "/v1/orgs/invites?limit=2&cursor=" + page["next_cursor"].get<std::string>();
    ++pages;
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen.size(), 5u);
  for (const char* bad :
       {"?limit=0", "?limit=201", "?limit=abc", "?limit=-5", "?cursor=%%%", "?cursor=bm9wZQ"}) {
    auto result = client_->Get(std::string("/v1/orgs/invites") + bad, Bearer(owner));
    EXPECT_EQ(result.status, 400) << bad << ": " << result.body;
  }
  auto members = Body(client_->Get("/v1/orgs/members?limit=1", Bearer(owner)));
  EXPECT_EQ(members["items"].size(), 1u);
  EXPECT_TRUE(members["next_cursor"].is_null());
  EXPECT_TRUE(members["items"][0].contains("joined_at"));
}

TEST_P(IdentityE2eTest, TheLastOwnerIsProtected) {
  const std::string email = Unique("solo");
  const std::string id = Register(email);
  const std::string token = AccessToken(email);
  CreateOrg(token, "Solo Lines");
  auto demote =
      client_->Send("PATCH", "/v1/orgs/members/" + id, R"({"role":"admin"})",
                    {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
  EXPECT_EQ(demote.status, 409);
  EXPECT_EQ(Body(demote)["code"], "last_owner");
  auto leave = client_->Send("DELETE", "/v1/orgs/members/" + id, "", Bearer(token));
  EXPECT_EQ(leave.status, 409);
  EXPECT_EQ(Body(leave)["code"], "last_owner");
}

// A client that keeps sending its expired or revoked token must still be able to refresh,
// log out and sign in again: those routes never read Authorization.
TEST_P(IdentityE2eTest, StaleBearerTokensDoNotBlockSignInRoutes) {
  const std::string email = Unique("stale");
  Register(email);
  const json tokens = Login(email);
  auto expired = ValidClaims("someone");
  expired.expires_at = absl::Now() - absl::Hours(1);
  const auto stale = Bearer(MintWithServerKey(expired));
  auto refreshed = Post("/v1/auth/refresh", {{"refresh_token", tokens["refresh_token"]}}, stale);
  ASSERT_EQ(refreshed.status, 200) << refreshed.body;
  auto logout =
      Post("/v1/auth/logout", {{"refresh_token", Body(refreshed)["refresh_token"]}}, stale);
  EXPECT_EQ(logout.status, 204) << logout.body;
  EXPECT_EQ(Post("/v1/auth/login", {{"email", email}, {"password", kPassword}}, stale).status, 200);
}

// Parallel guesses at one account: they run one at a time, so the lockout holds.
TEST_P(IdentityE2eTest, ParallelGuessesAreThrottledLikeSequentialOnes) {
  const std::string email = Unique("burst");
  Register(email);
  constexpr int kClients = 12;
  std::vector<long> statuses(kClients);
  std::vector<std::thread> threads;
  std::latch start(kClients);
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      HttpClient client(deployment_->base_url());
      start.arrive_and_wait();
      statuses[i] =
          client
              .PostJson("/v1/auth/login",
                        json{{"email", email}, {"password", "guess " + std::to_string(i)}}.dump())
              .status;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_LE(std::count(statuses.begin(), statuses.end(), 401), 5);
  // At least one guess was weighed: the address was not locked before the burst began.
  EXPECT_GE(std::count(statuses.begin(), statuses.end(), 401), 1);
  // The others are refused without a guess: throttled (429), or turned away because more
  // sign-ins arrived at once than the gateway lets in (503 sign_in_busy).
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401) +
                std::count(statuses.begin(), statuses.end(), 429) +
                std::count(statuses.begin(), statuses.end(), 503),
            kClients);
}

// Admins run staff but cannot make or unmake owners, through any route.
TEST_P(IdentityE2eTest, AdminsCannotEscalateToOwner) {
  const std::string owner_email = Unique("crown");
  const std::string owner_id = Register(owner_email);
  const std::string owner = AccessToken(owner_email);
  const std::string org = CreateOrg(owner, "Crown Lines");
  const std::string admin = AddMember(owner, org, Unique("ambitious"), "admin");
  const std::string admin_id = Body(client_->Get("/v1/me", Bearer(admin)))["id"];
  auto patch = [&](const std::string& user_id, const std::string& role) {
    return client_->Send("PATCH", "/v1/orgs/members/" + user_id, json{{"role", role}}.dump(),
                         {{"Authorization", "Bearer " + admin},
                          {"X-Org-Id", org},
                          {"Content-Type", "application/json"}});
  };
  for (const auto& result : {patch(admin_id, "owner"), patch(owner_id, "viewer")}) {
    EXPECT_EQ(result.status, 403) << result.body;
    EXPECT_EQ(Body(result)["code"], "owner_required");
  }
  auto removal = client_->Send("DELETE", "/v1/orgs/members/" + owner_id, "", Bearer(admin, org));
  EXPECT_EQ(removal.status, 403);
  auto invite = Post("/v1/orgs/invites", {{"email", Unique("puppet")}, {"role", "owner"}},
                     Bearer(admin, org));
  EXPECT_EQ(invite.status, 403);
  EXPECT_EQ(Body(invite)["code"], "owner_required");
  EXPECT_EQ(Body(client_->Get("/v1/orgs/" + org, Bearer(owner)))["role"], "owner");
}

TEST_P(IdentityE2eTest, ResendingAnInviteRetiresTheOldToken) {
  const std::string owner_email = Unique("resender");
  Register(owner_email);
  const std::string owner = AccessToken(owner_email);
  CreateOrg(owner, "Resend Lines");
  const std::string invitee = Unique("resent");
  auto invite = Post("/v1/orgs/invites", {{"email", invitee}, {"role", "agent"}}, Bearer(owner));
  ASSERT_EQ(invite.status, 201);
  const std::string old_token = InviteTokenFromMail(invitee);
  auto resent = Post("/v1/orgs/invites/" + Body(invite)["id"].get<std::string>() + "/resend",
                     json::object(), Bearer(owner));
  ASSERT_EQ(resent.status, 200) << resent.body;
  std::string new_token;
  for (int attempt = 0; attempt < 100 && (new_token.empty() || new_token == old_token); ++attempt) {
    new_token = InviteTokenFromMail(invitee);
    if (new_token == old_token) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_NE(new_token, old_token);
  EXPECT_EQ(
      Post("/v1/invites/accept", {{"token", old_token}, {"name", "A"}, {"password", kPassword}})
          .status,
      404);
  // A guest cannot accept; the invitee can.
  auto guest = Body(client_->PostJson("/v1/auth/guest", ""));
  EXPECT_EQ(Post("/v1/invites/accept", {{"token", new_token}},
                 Bearer(guest["access_token"].get<std::string>()))
                .status,
            403);
  EXPECT_EQ(
      Post("/v1/invites/accept", {{"token", new_token}, {"name", "A"}, {"password", kPassword}})
          .status,
      201);
}

INSTANTIATE_TEST_SUITE_P(Deployments, IdentityE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

// The configurable JWT format: EdDSA tokens with typ at+jwt, keys at /.well-known/jwks.json,
// and the RFC 8725 attacks refused.
TEST(IdentityJwtE2eTest, JwtAccessTokensWorkAndAttacksFail) {
  Monolith monolith(std::map<std::string, std::string>{{"TRAVIO_IDENTITY_TOKEN_FORMAT", "jwt"}},
                    testing::FailTheTest);
  ASSERT_OK(monolith.Start()) << monolith.Logs();
  HttpClient client(monolith.base_url());
  ASSERT_EQ(
      client
          .PostJson(
              "/v1/auth/register",
              json{{"email", "jwt@example.com"}, {"password", kPassword}, {"name", "J"}}.dump())
          .status,
      201);
  auto login = client.PostJson("/v1/auth/login",
                               json{{"email", "jwt@example.com"}, {"password", kPassword}}.dump());
  ASSERT_EQ(login.status, 200);
  const std::string token = Body(login)["access_token"];
  EXPECT_EQ(std::count(token.begin(), token.end(), '.'), 2);
  EXPECT_EQ(client.Get("/v1/me", Bearer(token)).status, 200);

  auto jwks = Body(client.Get("/.well-known/jwks.json"));
  std::string public_key;
  ASSERT_TRUE(absl::WebSafeBase64Unescape(jwks["keys"][0]["x"].get<std::string>(), &public_key));
  auto claims = crypto::JwtVerifyEdDsa(public_key, token, "at+jwt");
  ASSERT_OK(claims);
  EXPECT_EQ(json::parse(*claims)["aud"], "travio-api");

  const std::string payload =
      token.substr(token.find('.') + 1, token.rfind('.') - token.find('.') - 1);
  const std::string none =
      absl::WebSafeBase64Escape(R"({"alg":"none","typ":"at+jwt","kid":")" +
                                jwks["keys"][0]["kid"].get<std::string>() + "\"}") +
      "." + payload + ".";
  EXPECT_EQ(client.Get("/v1/me", Bearer(none)).status, 401);
  // HS256 keyed with the public key (algorithm confusion).
  const std::string signing_input =
      absl::WebSafeBase64Escape(R"({"alg":"HS256","typ":"at+jwt","kid":")" +
                                jwks["keys"][0]["kid"].get<std::string>() + "\"}") +
      "." + payload;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(public_key.data()),
                              public_key.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  const std::string confused =
      signing_input + "." +
      absl::WebSafeBase64Escape(std::string(reinterpret_cast<char*>(mac), sizeof mac));
  EXPECT_EQ(client.Get("/v1/me", Bearer(confused)).status, 401);
  // Signed with the server's key and valid claims, a PASETO token is refused where JWT is
  // configured, and the same claims as a JWT are accepted.
  const std::string user_id = json::parse(*claims)["sub"];
  const ServerKey key = ReadServerKey(monolith.keys_dir());
  auto claims_for_user = ClaimsFor(user_id);
  EXPECT_EQ(
      client
          .Get("/v1/me", Bearer(*identity::SignAccessToken(identity::TokenFormat::kPaseto, key.kid,
                                                           key.secret, claims_for_user)))
          .status,
      401);
  EXPECT_EQ(
      client
          .Get("/v1/me", Bearer(*identity::SignAccessToken(identity::TokenFormat::kJwt, key.kid,
                                                           key.secret, claims_for_user)))
          .status,
      200);
}

// `travio keys rotate` between two runs: the new key signs, the old one still verifies tokens
// it signed, and both are published until the old one is retired.
TEST(IdentityKeysE2eTest, RotationKeepsTokensOfTheOldKeyValid) {
  testing::TempDir data;
  std::string old_token;
  {
    testing::TravioProcess first({.data_dir = data.path(), .on_bad_exit = testing::FailTheTest});
    ASSERT_OK(first.Start()) << first.Log();
    HttpClient client(first.base_url());
    ASSERT_EQ(
        client
            .PostJson("/v1/auth/register",
                      json{{"email", "rotate@example.com"}, {"password", kPassword}, {"name", "R"}}
                          .dump())
            .status,
        201);
    old_token = Body(client.PostJson(
        "/v1/auth/login",
        json{{"email", "rotate@example.com"}, {"password", kPassword}}.dump()))["access_token"];
  }
  auto [code, output] = RunCommand(testing::TravioBinary() + " keys rotate --data-dir " +
                                   data.path().string() + " 2>&1");
  ASSERT_EQ(code, 0) << output;

  testing::TravioProcess second({.data_dir = data.path(), .on_bad_exit = testing::FailTheTest});
  ASSERT_OK(second.Start()) << second.Log();
  HttpClient client(second.base_url());
  const json keys = Body(client.Get("/.well-known/travio-keys"));
  // Both access-token keys, the signer first; the queue's, the tickets' and the audit
  // checkpoints' keys follow them.
  ASSERT_EQ(keys["keys"].size(), 5u);
  EXPECT_EQ(keys["keys"][0]["use"], "access");
  EXPECT_EQ(keys["keys"][1]["use"], "access");
  EXPECT_EQ(keys["keys"][2]["use"], "queue");
  EXPECT_EQ(keys["keys"][3]["use"], "ticket");
  EXPECT_EQ(keys["keys"][4]["use"], "audit");
  EXPECT_EQ(client.Get("/v1/me", Bearer(old_token)).status, 200);
  const std::string new_token = Body(client.PostJson(
      "/v1/auth/login",
      json{{"email", "rotate@example.com"}, {"password", kPassword}}.dump()))["access_token"];
  auto footer_kid = [](const std::string& token) {
    std::string footer;
    absl::WebSafeBase64Unescape(token.substr(token.rfind('.') + 1), &footer);
    return json::parse(footer)["kid"].get<std::string>();
  };
  EXPECT_NE(footer_kid(new_token), footer_kid(old_token));
  EXPECT_EQ(footer_kid(new_token), keys["keys"][0]["kid"]);  // the signer is listed first
  EXPECT_EQ(client.Get("/v1/me", Bearer(new_token)).status, 200);
}

// Invites by SMTP instead of files: the monolith configured like production mail, the message
// received by a real SMTP server (aiosmtpd) carries a token that works.
TEST(IdentitySmtpE2eTest, InvitesCanGoOutOverSmtp) {
  testing::SmtpSink sink;
  ASSERT_OK(sink.Start()) << sink.Log();
  Monolith monolith(
      std::map<std::string, std::string>{{"TRAVIO_NOTIFICATION_EMAIL_TRANSPORT", "smtp"},
                                         {"TRAVIO_NOTIFICATION_SMTP_URL", sink.url()}},
      testing::FailTheTest);
  ASSERT_OK(monolith.Start()) << monolith.Logs();
  HttpClient client(monolith.base_url());
  ASSERT_EQ(client
                .PostJson("/v1/auth/register", json{{"email", "smtp-owner@example.com"},
                                                    {"password", kPassword},
                                                    {"name", "Owner"}}
                                                   .dump())
                .status,
            201);
  const std::string token = Body(client.PostJson(
      "/v1/auth/login",
      json{{"email", "smtp-owner@example.com"}, {"password", kPassword}}.dump()))["access_token"];
  ASSERT_EQ(client.PostJson("/v1/orgs", json{{"name", "Mail Lines"}}.dump(), Bearer(token)).status,
            201);
  auto invite = client.PostJson("/v1/orgs/invites",
                                json{{"email", "smtp-staff@example.com"}, {"role", "agent"}}.dump(),
                                Bearer(token));
  ASSERT_EQ(invite.status, 201) << invite.body;
  EXPECT_TRUE(Body(invite)["email_sent"].get<bool>());

  // Two messages: the invite, and the owner's welcome to the organization's plan (sent on its
  // own thread, so either may come first).
  const auto messages = sink.WaitForMessages(2);
  ASSERT_EQ(messages.size(), 2u) << sink.Log();
  std::string data;
  for (const json& message : messages) {
    if (message["rcpt_tos"] == json::array({"smtp-staff@example.com"})) {
      data = message["data"];
    } else {
      EXPECT_EQ(message["rcpt_tos"], json::array({"smtp-owner@example.com"}));
      EXPECT_NE(message["data"].get<std::string>().find("Mail Lines is on the"), std::string::npos);
    }
  }
  const std::string label = "Invite token: ";
  ASSERT_NE(data.find(label), std::string::npos) << data;
  const size_t start = data.find(label) + label.size();
  const std::string invite_token = data.substr(start, data.find_first_of("\r\n", start) - start);
  auto accepted = client.PostJson(
      "/v1/invites/accept",
      json{{"token", invite_token}, {"name", "Staff"}, {"password", kPassword}}.dump());
  EXPECT_EQ(accepted.status, 201) << accepted.body;
  // Nothing was written as a file.
  EXPECT_FALSE(std::filesystem::exists(monolith.mail_dir()) &&
               !std::filesystem::is_empty(monolith.mail_dir()));
}

// Many accounts tried from one address lock the address, not only each account.
TEST(IdentityThrottleE2eTest, OneAddressTryingManyAccountsIsLocked) {
  Monolith monolith(
      std::map<std::string, std::string>{{"TRAVIO_IDENTITY_LOGIN_ADDRESS_THRESHOLD", "3"}},
      testing::FailTheTest);
  ASSERT_OK(monolith.Start()) << monolith.Logs();
  HttpClient client(monolith.base_url());
  for (int i = 0; i < 3; ++i) {
    auto result = client.PostJson(
        "/v1/auth/login",
        json{{"email", "spray" + std::to_string(i) + "@example.com"}, {"password", "Summer2026!"}}
            .dump());
    EXPECT_EQ(result.status, 401) << result.body;
  }
  auto locked = client.PostJson("/v1/auth/login",
                                json{{"email", "fresh@example.com"}, {"password", "x"}}.dump());
  EXPECT_EQ(locked.status, 429) << locked.body;
  EXPECT_FALSE(locked.headers["retry-after"].empty());
}

}  // namespace
}  // namespace travio::e2e
