#include "services/gateway/routes/identity_routes.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"
#include "platform/http/json.h"
#include "platform/http/problem.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::IdentityClient;
using identity::Permission;
using nlohmann::json;

json TokensJson(const identity::TokenPair& tokens) {
  json body = {{"access_token", tokens.access_token},
               {"token_type", "Bearer"},
               {"expires_in", absl::ToInt64Seconds(tokens.expires_in)}};
  if (!tokens.refresh_token.empty()) body["refresh_token"] = tokens.refresh_token;
  return body;
}

json UserJson(const identity::User& user) {
  return {{"id", user.id}, {"email", user.email}, {"name", user.name}};
}

json OrgJson(const identity::Organization& org) {
  return {{"id", org.id},
          {"name", org.name},
          {"slug", org.slug},
          {"created_at", Instant(org.created_at)}};
}

json InviteJson(const identity::Invite& invite) {
  return {{"id", invite.id},
          {"email", invite.email},
          {"role", identity::RoleName(invite.role)},
          {"status", identity::InviteStatusName(invite.status)},
          {"created_at", Instant(invite.created_at)},
          {"expires_at", Instant(invite.expires_at)},
          {"email_sent", invite.email_sent}};
}

json MemberJson(const identity::Member& member) {
  return {{"user_id", member.user_id},
          {"email", member.email},
          {"name", member.name},
          {"role", identity::RoleName(member.role)},
          {"joined_at", Instant(member.joined_at)}};
}

class IdentityRoutes {
 public:
  IdentityRoutes(std::shared_ptr<IdentityClient> identity, Authenticator& authenticator,
                 std::shared_ptr<QueueGuard> queue_guard,
                 std::shared_ptr<fulfillment::FulfillmentClient> tickets,
                 std::shared_ptr<audit::AuditClient> audit, std::shared_ptr<AuditTrail> trail)
      : identity_(std::move(identity)),
        authenticator_(authenticator),
        queue_guard_(std::move(queue_guard)),
        tickets_(std::move(tickets)),
        audit_(std::move(audit)),
        trail_(std::move(trail)) {}

  http::Response Register(http::Request& request, const Caller&) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    identity::RegisterRequest call{.email = body->Required("email", 254),
                                   .password = body->Required("password", 1024),
                                   .name = body->Required("name", 400),
                                   .phone = body->Optional("phone", 32)};
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto user = identity_->Register(call);
    if (!user.ok()) return Fail(user.status());
    return http::Json(201, {{"user", UserJson(*user)}});
  }

  http::Response Login(http::Request& request, const Caller&) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    identity::LoginRequest call{.email = body->Required("email", 254),
                                .password = body->Required("password", 1024),
                                .client_address = request.remote_address};
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto tokens = identity_->Login(call);
    if (!tokens.ok()) {
      if (trail_ != nullptr) {
        trail_->RecordSignIn(request, call.email, "", ReasonOf(tokens.status()));
      }
      return Fail(tokens.status());
    }
    http::Response response = http::Json(200, Issued(*tokens));
    if (trail_ != nullptr) {
      auto claims = authenticator_.ClaimsOf(tokens->access_token);
      trail_->RecordSignIn(request, call.email, claims.ok() ? claims->subject : "unknown", "");
    }
    return response;
  }

  http::Response Guest(http::Request& request, const Caller&) {
    auto body = JsonBody::Parse(request, /*may_be_empty=*/true);
    if (!body.ok()) return Fail(body.status());
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto tokens = identity_->IssueGuestToken();
    if (!tokens.ok()) return Fail(tokens.status());
    return http::Json(200, Issued(*tokens));
  }

  http::Response Refresh(http::Request& request, const Caller&) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string token = body->Required("refresh_token", 2048);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto tokens = identity_->Refresh(token);
    if (!tokens.ok()) return Fail(tokens.status());
    return http::Json(200, Issued(*tokens));
  }

  http::Response Logout(http::Request& request, const Caller&) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string token = body->Required("refresh_token", 2048);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    if (auto status = identity_->Logout(token); !status.ok()) return Fail(status);
    return http::Response::NoContent();
  }

  http::Response Me(http::Request&, const Caller& caller) {
    auto me = identity_->GetMe(caller.user_id());
    if (!me.ok()) return Fail(me.status());
    json memberships = json::array();
    for (const identity::Membership& membership : me->memberships) {
      memberships.push_back({{"org_id", membership.org_id},
                             {"org_name", membership.org_name},
                             {"role", identity::RoleName(membership.role)},
                             {"permissions", identity::PermissionNamesOf(membership.role)}});
    }
    json body = UserJson(me->user);
    body["memberships"] = std::move(memberships);
    return http::Json(200, body);
  }

  http::Response CreateOrg(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string name = body->Required("name", 400);
    const std::string slug = body->Optional("slug", 63);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto org = identity_->CreateOrganization(caller.user_id(), name, slug);
    if (!org.ok()) return Fail(org.status());
    return http::Json(201, OrgJson(*org));
  }

  http::Response GetOrg(http::Request&, const Caller& caller) {
    auto org = identity_->GetOrganization(caller.membership->org_id);
    if (!org.ok()) return Fail(org.status());
    json body = OrgJson(*org);
    body["role"] = identity::RoleName(caller.membership->role);
    return http::Json(200, body);
  }

  http::Response CreateInvite(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string email = body->Required("email", 254);
    const std::string role = body->Required("role", 32);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto invite = identity_->CreateInvite(caller.actor(), email, role);
    if (!invite.ok()) return Fail(invite.status());
    return http::Json(201, InviteJson(*invite));
  }

  http::Response ListInvites(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    auto invites = identity_->ListInvites(caller.actor(), *page);
    if (!invites.ok()) return Fail(invites.status());
    return http::Json(200, PageJson(*invites, InviteJson));
  }

  http::Response RevokeInvite(http::Request& request, const Caller& caller) {
    if (auto status = identity_->RevokeInvite(caller.actor(), request.PathParam("invite_id"));
        !status.ok()) {
      return Fail(status);
    }
    return http::Response::NoContent();
  }

  http::Response ResendInvite(http::Request& request, const Caller& caller) {
    auto invite = identity_->ResendInvite(caller.actor(), request.PathParam("invite_id"));
    if (!invite.ok()) return Fail(invite.status());
    return http::Json(200, InviteJson(*invite));
  }

  http::Response AcceptInvite(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    identity::AcceptInviteRequest call{
        .token = body->Required("token", 256), .user_id = "", .name = "", .password = ""};
    if (caller.authenticated() && !body->Has("password")) {
      if (caller.guest()) {
        return Fail(Error(reasons::kAccountRequired,
                          "Sign in with an account, or give a name and password."));
      }
      call.user_id = caller.user_id();
    } else {
      call.name = body->Required("name", 400);
      call.password = body->Required("password", 1024);
    }
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto accepted = identity_->AcceptInvite(call);
    if (!accepted.ok()) return Fail(accepted.status());
    json result = {{"org_id", accepted->org_id}, {"role", identity::RoleName(accepted->role)}};
    if (!accepted->tokens) return http::Json(200, result);
    result["user"] = UserJson(*accepted->created_user);
    result.update(Issued(*accepted->tokens));
    return http::Json(201, result);
  }

  http::Response ListMembers(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    auto members = identity_->ListMembers(caller.actor(), *page);
    if (!members.ok()) return Fail(members.status());
    return http::Json(200, PageJson(*members, MemberJson));
  }

  http::Response ChangeRole(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string role = body->Required("role", 32);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto member = identity_->ChangeRole(caller.actor(), request.PathParam("user_id"), role);
    if (!member.ok()) return Fail(member.status());
    return http::Json(200, MemberJson(*member));
  }

  http::Response RemoveMember(http::Request& request, const Caller& caller) {
    if (auto status = identity_->RemoveMember(caller.actor(), request.PathParam("user_id"));
        !status.ok()) {
      return Fail(status);
    }
    return http::Response::NoContent();
  }

  // GET /.well-known/travio-keys (api.md): the PASETO view of the verification keys.
  http::Response PasetoKeys(http::Request&) {
    auto settings = authenticator_.TokenSettings();
    if (!settings.ok()) return Fail(settings.status());
    json keys = json::array();
    for (const identity::PublicKey& key : settings->keys) {
      keys.push_back({{"kid", key.kid},
                      {"version", "v4"},
                      {"purpose", "public"},
                      {"use", "access"},
                      {"public_key", crypto::HexEncode(key.public_key)}});
    }
    // Queue tokens (holds on guarded trips), which a client may check before it holds.
    if (queue_guard_ != nullptr) {
      for (const queue::QueueKey& key : queue_guard_->PublishedKeys()) {
        keys.push_back({{"kid", key.kid},
                        {"version", "v4"},
                        {"purpose", "public"},
                        {"use", "queue"},
                        {"public_key", crypto::HexEncode(key.public_key)}});
      }
    }
    // Ticket codes, which conductors' devices verify offline.
    if (tickets_ != nullptr) {
      if (auto ticket_keys = tickets_->VerificationKeys(); ticket_keys.ok()) {
        for (const fulfillment::TicketKey& key : *ticket_keys) {
          keys.push_back({{"kid", key.kid},
                          {"version", "v4"},
                          {"purpose", "public"},
                          {"use", "ticket"},
                          {"public_key", crypto::HexEncode(key.public_key)}});
        }
      }
    }
    // Audit checkpoints, which anyone holding an exported log may check.
    if (audit_ != nullptr) {
      if (auto audit_keys = audit_->VerificationKeys(); audit_keys.ok()) {
        for (const audit::AuditKey& key : *audit_keys) {
          keys.push_back({{"kid", key.kid},
                          {"version", "v4"},
                          {"purpose", "public"},
                          {"use", "audit"},
                          {"public_key", crypto::HexEncode(key.public_key)}});
        }
      }
    }
    return Cacheable(http::Json(200, {{"keys", std::move(keys)}}));
  }

  // GET /.well-known/jwks.json (RFC 7517, RFC 8037): the same keys as OKP JWKs.
  http::Response Jwks(http::Request&) {
    auto settings = authenticator_.TokenSettings();
    if (!settings.ok()) return Fail(settings.status());
    json keys = json::array();
    for (const identity::PublicKey& key : settings->keys) {
      keys.push_back({{"kty", "OKP"},
                      {"crv", "Ed25519"},
                      {"x", crypto::Base64UrlEncode(key.public_key)},
                      {"kid", key.kid},
                      {"alg", "EdDSA"},
                      {"use", "sig"}});
    }
    return Cacheable(http::Json(200, {{"keys", std::move(keys)}}));
  }

 private:
  static http::Response Cacheable(http::Response response) {
    // Short enough that a rotated-in key reaches verifiers long before it signs for long.
    response.SetHeader("Cache-Control", "public, max-age=300");
    return response;
  }

  // The answer carrying tokens identity just issued, which the gateway remembers as verified:
  // in a ticket drop most of them are used within the minute.
  json Issued(const identity::TokenPair& tokens) {
    authenticator_.RememberIssued(tokens.access_token);
    return TokensJson(tokens);
  }

  std::shared_ptr<IdentityClient> identity_;
  Authenticator& authenticator_;
  std::shared_ptr<QueueGuard> queue_guard_;
  std::shared_ptr<fulfillment::FulfillmentClient> tickets_;
  std::shared_ptr<audit::AuditClient> audit_;
  std::shared_ptr<AuditTrail> trail_;
};

}  // namespace

absl::Status AddIdentityRoutes(SecureRoutes& routes, http::Router& router,
                               Authenticator& authenticator,
                               std::shared_ptr<IdentityClient> identity,
                               std::shared_ptr<QueueGuard> queue_guard,
                               std::shared_ptr<fulfillment::FulfillmentClient> tickets,
                               std::shared_ptr<audit::AuditClient> audit) {
  auto handlers =
      std::make_shared<IdentityRoutes>(std::move(identity), authenticator, std::move(queue_guard),
                                       std::move(tickets), std::move(audit), routes.audit_trail());
  auto bind = [&handlers](http::Response (IdentityRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy anonymous{.access = Access::kAnonymous};
  const RoutePolicy open{.access = Access::kPublic};
  const RoutePolicy account{.access = Access::kAccount};
  auto org = OrgPolicy;
  // Request and response shapes for the OpenAPI document.
  auto text = TextSchema;
  auto body = ObjectSchema;
  auto list_of = ListSchema;
  const json refresh_body = body({{"refresh_token", text(2048)}}, {"refresh_token"});
  const json role_body = body({{"role", SchemaRef("Role")}}, {"role"});

  // The route table: every identity route, what it demands, and what it documents.
  const std::vector<RouteSpec> table = {
      {.method = "POST",
       .pattern = "/v1/auth/register",
       .policy = anonymous,
       .handler = bind(&IdentityRoutes::Register),
       .doc = {.summary = "Create an account",
               .tag = "auth",
               .request = body({{"email", text(254)},
                                {"password", text(1024)},
                                {"name", text(400)},
                                {"phone", text(32)}},
                               {"email", "password", "name"}),
               .success_status = 201,
               .response = json{{"type", "object"}, {"properties", {{"user", SchemaRef("User")}}}},
               .errors = {409, 422}},
       .traffic = TrafficClass::kSignIn},
      {.method = "POST",
       .pattern = "/v1/auth/login",
       .policy = anonymous,
       .handler = bind(&IdentityRoutes::Login),
       .doc = {.summary = "Sign in; throttled per account and per address",
               .tag = "auth",
               .request =
                   body({{"email", text(254)}, {"password", text(1024)}}, {"email", "password"}),
               .success_status = 200,
               .response = SchemaRef("Tokens"),
               .errors = {401, 429}},
       .traffic = TrafficClass::kSignIn},
      {.method = "POST",
       .pattern = "/v1/auth/guest",
       .policy = anonymous,
       .handler = bind(&IdentityRoutes::Guest),
       .doc = {.summary = "A guest access token for checkout without an account",
               .tag = "auth",
               .success_status = 200,
               .response = SchemaRef("Tokens")},
       .traffic = TrafficClass::kGuest},
      {.method = "POST",
       .pattern = "/v1/auth/refresh",
       .policy = anonymous,
       .handler = bind(&IdentityRoutes::Refresh),
       .doc = {.summary = "Spend a refresh token for a new pair; reuse revokes the session",
               .tag = "auth",
               .request = refresh_body,
               .success_status = 200,
               .response = SchemaRef("Tokens"),
               .errors = {401}}},
      {.method = "POST",
       .pattern = "/v1/auth/logout",
       .policy = anonymous,
       .handler = bind(&IdentityRoutes::Logout),
       .doc = {.summary = "End the session; its access tokens stop working at once",
               .tag = "auth",
               .request = refresh_body,
               .success_status = 204,
               .errors = {401}}},
      {.method = "GET",
       .pattern = "/v1/me",
       .policy = account,
       .handler = bind(&IdentityRoutes::Me),
       .doc = {.summary = "The caller and their memberships",
               .tag = "auth",
               .success_status = 200,
               .response = SchemaRef("Me")}},
      {.method = "POST",
       .pattern = "/v1/orgs",
       .policy = account,
       .handler = bind(&IdentityRoutes::CreateOrg),
       .doc = {.summary = "Create an organization; the caller becomes its owner",
               .tag = "organizations",
               .request = body({{"name", text(400)}, {"slug", text(63)}}, {"name"}),
               .success_status = 201,
               .response = SchemaRef("Organization"),
               .errors = {409}},
       // Each one mails its owner a welcome: limited like orders, not like reads.
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/orgs/{org_id}",
       .policy = RoutePolicy{.access = Access::kOrgInPath, .permission = Permission::kOrgRead},
       .handler = bind(&IdentityRoutes::GetOrg),
       .doc = {.summary = "An organization the caller belongs to",
               .tag = "organizations",
               .success_status = 200,
               .response = SchemaRef("Organization")}},
      {.method = "POST",
       .pattern = "/v1/orgs/invites",
       .policy = org(Permission::kInvitesManage),
       .handler = bind(&IdentityRoutes::CreateInvite),
       .doc = {.summary = "Invite someone by email",
               .tag = "organizations",
               .request =
                   body({{"email", text(254)}, {"role", SchemaRef("Role")}}, {"email", "role"}),
               .success_status = 201,
               .response = SchemaRef("Invite"),
               .errors = {409, 422}}},
      {.method = "GET",
       .pattern = "/v1/orgs/invites",
       .policy = org(Permission::kInvitesManage),
       .handler = bind(&IdentityRoutes::ListInvites),
       .doc = {.summary = "The organization's invites",
               .tag = "organizations",
               .success_status = 200,
               .response = list_of("Invite"),
               .paginated = true}},
      {.method = "DELETE",
       .pattern = "/v1/orgs/invites/{invite_id}",
       .policy = org(Permission::kInvitesManage),
       .handler = bind(&IdentityRoutes::RevokeInvite),
       .doc = {.summary = "Revoke a pending invite",
               .tag = "organizations",
               .success_status = 204,
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/orgs/invites/{invite_id}/resend",
       .policy = org(Permission::kInvitesManage),
       .handler = bind(&IdentityRoutes::ResendInvite),
       .doc = {.summary = "Email a new token with a fresh expiry; the old token stops working",
               .tag = "organizations",
               .success_status = 200,
               .response = SchemaRef("Invite"),
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/invites/accept",
       .policy = open,
       .handler = bind(&IdentityRoutes::AcceptInvite),
       .doc = {.summary = "Accept an invite signed in (token only) or as a new account (token, "
                          "name, password)",
               .tag = "organizations",
               .request =
                   body({{"token", text(256)}, {"name", text(400)}, {"password", text(1024)}},
                        {"token"}),
               .success_status = 200,
               .response = json{{"type", "object"},
                                {"properties",
                                 {{"org_id", {{"type", "string"}}}, {"role", SchemaRef("Role")}}}},
               .errors = {201, 403, 404, 409, 410, 422}},
       .traffic = TrafficClass::kSignIn},
      {.method = "GET",
       .pattern = "/v1/orgs/members",
       .policy = org(Permission::kMembersRead),
       .handler = bind(&IdentityRoutes::ListMembers),
       .doc = {.summary = "The organization's members",
               .tag = "organizations",
               .success_status = 200,
               .response = list_of("Member"),
               .paginated = true}},
      {.method = "PATCH",
       .pattern = "/v1/orgs/members/{user_id}",
       .policy = org(Permission::kMembersManage),
       .handler = bind(&IdentityRoutes::ChangeRole),
       .doc = {.summary = "Change a member's role; the last owner is protected",
               .tag = "organizations",
               .request = role_body,
               .success_status = 200,
               .response = SchemaRef("Member"),
               .errors = {409, 422}}},
      {.method = "DELETE",
       .pattern = "/v1/orgs/members/{user_id}",
       .policy = org(Permission::kMembersManage),
       .handler = bind(&IdentityRoutes::RemoveMember),
       .doc = {.summary = "Remove a member; they lose access on their next request",
               .tag = "organizations",
               .success_status = 204,
               .errors = {409}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));

  const json key_set = {{"type", "object"}, {"properties", {{"keys", {{"type", "array"}}}}}};
  routes.openapi().AddPlain(
      "GET", "/.well-known/travio-keys",
      {"Public keys that verify access tokens (PASETO view)", "keys", nullptr, 200, key_set, {}});
  routes.openapi().AddPlain(
      "GET", "/.well-known/jwks.json",
      {"The same keys as a JWK Set (RFC 8037 OKP)", "keys", nullptr, 200, key_set, {}});
  TRAVIO_RETURN_IF_ERROR(
      router.Add("GET", "/.well-known/travio-keys",
                 [handlers](http::Request& r) { return handlers->PasetoKeys(r); }));
  return router.Add("GET", "/.well-known/jwks.json",
                    [handlers](http::Request& r) { return handlers->Jwks(r); });
}

}  // namespace travio::gateway
