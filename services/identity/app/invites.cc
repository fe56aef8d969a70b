// Invites: how staff join an organization. Only a hash of each token is stored; the token
// itself exists in the email and nowhere else.

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/app/authorization.h"
#include "services/identity/app/identity_service.h"
#include "services/identity/app/pagination.h"
#include "services/identity/app/secrets.h"
#include "services/identity/domain/credentials.h"

namespace travio::identity {
namespace {

absl::Status InviteNotFound() { return Error(reasons::kInviteNotFound, "No such invite."); }

// The status a reader sees: a pending invite past its expiry is expired.
Invite Visible(InviteRecord record, absl::Time now) {
  if (record.invite.status == InviteStatus::kPending && record.invite.expires_at <= now) {
    record.invite.status = InviteStatus::kExpired;
  }
  return record.invite;
}

absl::Status Gone(InviteStatus status) {
  switch (status) {
    case InviteStatus::kExpired:
      return Error(reasons::kInviteExpired, "The invite has expired; ask for a new one.");
    case InviteStatus::kRevoked:
      return Error(reasons::kInviteRevoked, "The invite was revoked.");
    default:
      return Error(reasons::kInviteUsed, "The invite was already used.");
  }
}

}  // namespace

bool IdentityService::SendInviteEmail(const Invite& invite, const std::string& token,
                                      const std::string& org_name) {
  const std::string expires =
      absl::FormatTime("%Y-%m-%d %H:%M UTC", invite.expires_at, absl::UTCTimeZone());
  // Notification words the email (its org_invite template); identity sends the facts. The token
  // travels only in this call, never in an event or a stored message.
  notification::EmailMessage message{
      .to = invite.email,
      .subject = "",
      .text_body = "",
      .kind = "org_invite",
      .locale = "en",
      .fields = {
          {"org_name", org_name},
          {"role", std::string(RoleName(invite.role))},
          {"accept_url", absl::StrCat(settings_.public_url, "/console/invite?token=", token)},
          {"token", token},
          {"expires", expires}}};
  auto sent = ports_.mail->SendEmail(message);
  if (!sent.ok()) {
    // The invite stays valid and can be re-sent; the operator sees email_sent=false.
    ports_.logger.Warn("invite email not sent",
                       {{"invite_id", invite.id}, {"error", sent.status().ToString()}});
    return false;
  }
  const absl::Status recorded = ports_.store.InTransaction(
      [&](IdentityUnit& unit) { return unit.MarkInviteEmailed(invite.id, ports_.clock.Now()); });
  if (!recorded.ok()) {
    ports_.logger.Warn("invite delivery not recorded",
                       {{"invite_id", invite.id}, {"error", recorded.ToString()}});
  }
  return true;
}

absl::StatusOr<Invite> IdentityService::CreateInvite(const Actor& actor, const std::string& email,
                                                     const std::string& role) {
  TRAVIO_ASSIGN_OR_RETURN(std::string address, NormalizeEmail(email));
  auto wanted = ParseRole(role);
  if (!wanted) {
    return WithFieldErrors(Error(reasons::kInvalidRole,
                                 "The role is not one of owner, admin, manager, agent, "
                                 "conductor, viewer."),
                           {{"role", "is not a known role"}});
  }
  TRAVIO_RETURN_IF_ERROR(ports_.limits.Take("invites:" + actor.org_id, settings_.invites_per_hour,
                                            absl::Hours(1), reasons::kTooManyInvites));
  const std::string token = NewInviteToken();
  const absl::Time now = ports_.clock.Now();
  InviteRecord record{.invite = {.id = ports_.ids.NewId(),
                                 .org_id = actor.org_id,
                                 .email = address,
                                 .role = *wanted,
                                 .status = InviteStatus::kPending,
                                 .created_at = now,
                                 .expires_at = now + settings_.invite_ttl,
                                 .email_sent = false},
                      .token_hash = HashToken(token),
                      .invited_by = actor.user_id,
                      .accepted_by = ""};
  std::string org_name;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(Role actor_role, CurrentRole(unit, actor, Permission::kInvitesManage));
    if (*wanted == Role::kOwner && actor_role != Role::kOwner) {
      return Error(reasons::kOwnerRequired, "Only an owner may invite another owner.");
    }
    TRAVIO_ASSIGN_OR_RETURN(auto org, unit.FindOrganization(actor.org_id));
    if (!org) return InviteNotFound();
    org_name = org->name;
    TRAVIO_ASSIGN_OR_RETURN(auto existing_user, unit.FindUserByEmail(address));
    if (existing_user) {
      TRAVIO_ASSIGN_OR_RETURN(auto member_role,
                              unit.FindRole(actor.org_id, existing_user->user.id));
      if (member_role) {
        return Error(reasons::kAlreadyMember, "That person is already a member.");
      }
    }
    TRAVIO_ASSIGN_OR_RETURN(auto invites, unit.InvitesTo(actor.org_id, address));
    for (const InviteRecord& other : invites) {
      if (other.invite.email != address || other.invite.status != InviteStatus::kPending) continue;
      if (Visible(other, now).status == InviteStatus::kPending) {
        return Error(reasons::kInvitePending,
                     "That email already has a pending invite; re-send or revoke it.");
      }
      // Past its expiry: record that, so the database lets a new one in.
      TRAVIO_RETURN_IF_ERROR(unit.MarkInviteExpired(other.invite.id).status());
    }
    // The database refuses a second pending invite too (two admins inviting at once).
    TRAVIO_RETURN_IF_ERROR(unit.InsertInvite(record));
    return unit.AppendEvent(kInviteCreated.Make({.actor_user_id = actor.user_id,
                                                 .invite_id = record.invite.id,
                                                 .email = address,
                                                 .role = *wanted},
                                                Audit(record.invite.id, actor.org_id)));
  }));
  record.invite.email_sent = SendInviteEmail(record.invite, token, org_name);
  return record.invite;
}

absl::StatusOr<Page<Invite>> IdentityService::ListInvites(const Actor& actor,
                                                          const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<ListPosition> after, PageStart(page));
  std::vector<Invite> invites;
  const absl::Time now = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    invites.clear();
    TRAVIO_RETURN_IF_ERROR(CurrentRole(unit, actor, Permission::kInvitesManage).status());
    TRAVIO_ASSIGN_OR_RETURN(auto records, unit.InvitesOf(actor.org_id, after, page.limit + 1));
    for (InviteRecord& record : records) invites.push_back(Visible(std::move(record), now));
    return absl::OkStatus();
  }));
  return MakePage(std::move(invites), page.limit, [](const Invite& invite) {
    return ListPosition{invite.created_at, invite.id};
  });
}

absl::Status IdentityService::RevokeInvite(const Actor& actor, const std::string& invite_id) {
  return ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(CurrentRole(unit, actor, Permission::kInvitesManage).status());
    TRAVIO_ASSIGN_OR_RETURN(auto record, unit.FindInvite(actor.org_id, invite_id));
    if (!record) return InviteNotFound();
    if (record->invite.status == InviteStatus::kRevoked) return absl::OkStatus();
    TRAVIO_ASSIGN_OR_RETURN(bool revoked, unit.MarkInviteRevoked(invite_id, ports_.clock.Now()));
    if (!revoked) {
      return Error(reasons::kInviteNotPending, "The invite was already accepted.");
    }
    return unit.AppendEvent(kInviteRevoked.Make(
        {.actor_user_id = actor.user_id, .invite_id = invite_id}, Audit(invite_id, actor.org_id)));
  });
}

absl::StatusOr<Invite> IdentityService::ResendInvite(const Actor& actor,
                                                     const std::string& invite_id) {
  // Who may re-send is checked before the rate limits are charged, so a refused caller cannot
  // use up someone else's allowance.
  auto allowed = [&](IdentityUnit& unit) -> absl::StatusOr<InviteRecord> {
    TRAVIO_ASSIGN_OR_RETURN(Role actor_role, CurrentRole(unit, actor, Permission::kInvitesManage));
    TRAVIO_ASSIGN_OR_RETURN(auto record, unit.FindInvite(actor.org_id, invite_id));
    if (!record) return InviteNotFound();
    if (record->invite.role == Role::kOwner && actor_role != Role::kOwner) {
      return Error(reasons::kOwnerRequired, "Only an owner may re-send an invite to become owner.");
    }
    return *std::move(record);
  };
  TRAVIO_RETURN_IF_ERROR(
      ports_.store.InTransaction([&](IdentityUnit& unit) { return allowed(unit).status(); }));
  TRAVIO_RETURN_IF_ERROR(ports_.limits.Take("invite-resend:" + invite_id, 1,
                                            settings_.resend_interval, reasons::kResendTooSoon));
  TRAVIO_RETURN_IF_ERROR(ports_.limits.Take("invites:" + actor.org_id, settings_.invites_per_hour,
                                            absl::Hours(1), reasons::kTooManyInvites));
  const std::string token = NewInviteToken();
  const absl::Time now = ports_.clock.Now();
  Invite invite;
  std::string org_name;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(InviteRecord record, allowed(unit));  // again, in this transaction
    TRAVIO_ASSIGN_OR_RETURN(auto org, unit.FindOrganization(actor.org_id));
    if (!org) return InviteNotFound();
    org_name = org->name;
    // A new token and a fresh expiry: the old email's token stops working.
    const absl::Time expires_at = now + settings_.invite_ttl;
    TRAVIO_ASSIGN_OR_RETURN(bool reissued,
                            unit.ReissueInvite(invite_id, HashToken(token), expires_at));
    if (!reissued) {
      return Error(reasons::kInviteNotPending, "Only a pending or expired invite can be re-sent.");
    }
    invite = record.invite;
    invite.status = InviteStatus::kPending;
    invite.expires_at = expires_at;
    return unit.AppendEvent(kInviteResent.Make(
        {.actor_user_id = actor.user_id, .invite_id = invite_id}, Audit(invite_id, actor.org_id)));
  }));
  invite.email_sent = SendInviteEmail(invite, token, org_name);
  return invite;
}

absl::StatusOr<AcceptedInvite> IdentityService::AcceptInvite(const AcceptInviteRequest& request) {
  if (request.token.empty() || request.token.size() > 256) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The input is invalid."),
                           {{"token", "is required"}});
  }
  const bool new_account = request.user_id.empty();
  std::optional<UserRecord> created;
  if (new_account) {
    auto name = NormalizeName(request.name);
    if (!name.ok()) return name.status();
    if (request.password.empty()) {
      return WithFieldErrors(Error(reasons::kValidationFailed,
                                   "Sign in, or give a name and password for a new account."),
                             {{"password", "is required"}});
    }
    created =
        UserRecord{.user = {.id = ports_.ids.NewId(), .email = "", .name = *name, .phone = ""},
                   .password_hash = "",
                   .created_at = ports_.clock.Now()};
  }
  const absl::Time now = ports_.clock.Now();
  const std::string token_hash = HashToken(request.token);

  // Read the invite first: a new account's password is checked against its email and hashed
  // (slow) outside the transaction.
  std::optional<InviteRecord> invite;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(invite, unit.FindInviteByTokenHash(token_hash));
    return absl::OkStatus();
  }));
  if (!invite) return InviteNotFound();
  if (Invite visible = Visible(*invite, now); visible.status != InviteStatus::kPending) {
    return Gone(visible.status);
  }
  if (new_account) {
    TRAVIO_RETURN_IF_ERROR(CheckPasswordStrength(request.password, invite->invite.email));
    TRAVIO_ASSIGN_OR_RETURN(created->password_hash,
                            hasher_->Hash(request.password, settings_.password_cost));
    created->user.email = invite->invite.email;
  }

  std::optional<RefreshTokenRecord> session;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    std::string user_id = request.user_id;
    if (new_account) {
      TRAVIO_RETURN_IF_ERROR(unit.InsertUser(*created));
      user_id = created->user.id;
      session = NewSession(user_id);
      TRAVIO_RETURN_IF_ERROR(StoreNewSession(unit, *session));
    } else {
      TRAVIO_ASSIGN_OR_RETURN(auto user, unit.FindUser(user_id));
      if (!user) return Error(reasons::kUserNotFound, "No such user.");
      if (user->user.email != invite->invite.email) {
        return Error(reasons::kEmailMismatch, "The invite was sent to another email address.");
      }
    }
    // The inviter must still be allowed to invite (a removed or demoted admin's pending
    // invites stop working with them).
    TRAVIO_ASSIGN_OR_RETURN(auto inviter, unit.FindRole(invite->invite.org_id, invite->invited_by));
    if (!inviter || !RoleAllows(*inviter, Permission::kInvitesManage) ||
        (invite->invite.role == Role::kOwner && *inviter != Role::kOwner)) {
      return Gone(InviteStatus::kRevoked);
    }
    TRAVIO_ASSIGN_OR_RETURN(bool accepted,
                            unit.MarkInviteAccepted(invite->invite.id, token_hash, user_id, now));
    if (!accepted) return Gone(InviteStatus::kAccepted);
    TRAVIO_RETURN_IF_ERROR(
        unit.InsertMembership(invite->invite.org_id, user_id, invite->invite.role, now));
    return unit.AppendEvent(kInviteAccepted.Make({.user_id = user_id,
                                                  .invite_id = invite->invite.id,
                                                  .role = invite->invite.role,
                                                  .new_account = new_account},
                                                 Audit(invite->invite.id, invite->invite.org_id)));
  }));
  AcceptedInvite result{.org_id = invite->invite.org_id,
                        .role = invite->invite.role,
                        .created_user = std::nullopt,
                        .tokens = std::nullopt};
  if (new_account) {
    result.created_user = created->user;
    TRAVIO_ASSIGN_OR_RETURN(result.tokens, IssuePair(*session));
  }
  return result;
}

}  // namespace travio::identity
