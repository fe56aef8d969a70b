#pragma once

#include <optional>
#include <string>

#include "services/identity/api/access_token.h"
#include "services/identity/api/identity_client.h"

namespace travio::gateway {

/// Who is calling, as the security layer established it for one request.
struct Caller {
  /// Verified access-token claims; empty subject for an anonymous caller of a public route.
  identity::AccessClaims claims;
  /// The organization the request acts on and the caller's role in it, checked against
  /// identity on this request (org-scoped routes only).
  std::optional<identity::Membership> membership;

  bool authenticated() const { return !claims.subject.empty(); }
  bool guest() const { return claims.guest(); }
  const std::string& user_id() const { return claims.subject; }
  /// The actor identity acts for on org-scoped routes.
  identity::Actor actor() const {
    return identity::Actor{claims.subject, membership ? membership->org_id : "",
                           membership ? membership->role : identity::Role::kViewer};
  }
};

/// What a route demands before its handler runs.
enum class Access {
  kAnonymous,      // anyone; Authorization is not read at all (sign-in, refresh, logout)
  kPublic,         // anyone; a bearer token, if sent, must be valid and identifies the caller
  kAuthenticated,  // any valid access token, guests included
  kAccount,        // a signed-in account (no guests)
  kOrg,            // a member of the org named by X-Org-Id (or of their only org), with permission
  kOrgInPath,      // a member of the org named by the {org_id} path segment, with permission
};

struct RoutePolicy {
  Access access = Access::kAccount;
  /// Required for kOrg and kOrgInPath.
  std::optional<identity::Permission> permission = std::nullopt;
};

}  // namespace travio::gateway
