// Organizations, memberships and members: the part of IdentityService that decides who may
// act on an organization.

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/identity/api/identity_events.h"
#include "services/identity/app/authorization.h"
#include "services/identity/app/identity_service.h"
#include "services/identity/app/pagination.h"
#include "services/identity/domain/credentials.h"
#include "services/identity/domain/slug.h"

namespace travio::identity {
namespace {

absl::Status OrgNotFound() { return Error(reasons::kOrgNotFound, "No such organization."); }

absl::Status MemberNotFound() { return Error(reasons::kMemberNotFound, "No such member."); }

absl::Status LastOwner() {
  return Error(reasons::kLastOwner,
               "An organization needs at least one owner; make someone else owner first.");
}

absl::Status OwnerRequired() {
  return Error(reasons::kOwnerRequired,
               "Only an owner may grant, change or remove the owner role.");
}

absl::StatusOr<Role> ParseRoleField(const std::string& role) {
  auto parsed = ParseRole(role);
  if (!parsed) {
    return WithFieldErrors(Error(reasons::kInvalidRole,
                                 "The role is not one of owner, admin, manager, agent, "
                                 "conductor, viewer."),
                           {{"role", "is not a known role"}});
  }
  return *parsed;
}

}  // namespace

absl::StatusOr<Role> CurrentRole(IdentityUnit& unit, const Actor& actor, Permission needed) {
  TRAVIO_ASSIGN_OR_RETURN(auto role, unit.FindRole(actor.org_id, actor.user_id));
  if (!role) return OrgNotFound();
  if (!RoleAllows(*role, needed)) {
    return Error(reasons::kForbidden, "Your role does not allow this.");
  }
  return *role;
}

absl::StatusOr<Organization> IdentityService::CreateOrganization(const std::string& user_id,
                                                                 const std::string& name,
                                                                 const std::string& slug) {
  TRAVIO_ASSIGN_OR_RETURN(std::string clean_name, NormalizeName(name));
  const bool derived = slug.empty();
  std::string clean_slug;
  if (derived) {
    clean_slug = SlugFromName(clean_name);
  } else {
    TRAVIO_ASSIGN_OR_RETURN(clean_slug, NormalizeSlug(slug));
  }
  Organization org{.id = "", .name = clean_name, .slug = clean_slug, .created_at = {}};
  // A slug derived from the name gets a short suffix when taken; one the caller chose does not.
  for (int attempt = 0;; ++attempt) {
    org.id = ports_.ids.NewId();
    org.created_at = ports_.clock.Now();
    if (attempt > 0) org.slug = absl::StrCat(clean_slug, "-", org.id.substr(org.id.size() - 6));
    absl::Status status = ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(auto user, unit.FindUser(user_id));
      if (!user) return Error(reasons::kUserNotFound, "No such user.");
      TRAVIO_RETURN_IF_ERROR(unit.InsertOrganization(org));
      TRAVIO_RETURN_IF_ERROR(unit.InsertMembership(org.id, user_id, Role::kOwner, org.created_at));
      return unit.AppendEvent(kOrgCreated.Make(
          {.actor_user_id = user_id, .name = org.name, .slug = org.slug}, Audit(org.id, org.id)));
    });
    if (status.ok()) return org;
    if (!derived || !IsReason(status, reasons::kSlugTaken) || attempt >= 3) return status;
  }
}

absl::StatusOr<Organization> IdentityService::GetOrganization(const std::string& org_id) {
  std::optional<Organization> org;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(org, unit.FindOrganization(org_id));
    return absl::OkStatus();
  }));
  if (!org) return OrgNotFound();
  return *org;
}

absl::StatusOr<Membership> IdentityService::ResolveMembership(const std::string& user_id,
                                                              const std::string& org_id) {
  // Asked on every org-scoped request: a named organization is two point lookups, and only a
  // request naming none reads the caller's memberships.
  std::optional<Membership> named;
  std::vector<Membership> memberships;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    if (org_id.empty()) {
      TRAVIO_ASSIGN_OR_RETURN(memberships, unit.MembershipsOf(user_id));
      return absl::OkStatus();
    }
    TRAVIO_ASSIGN_OR_RETURN(auto role, unit.FindRole(org_id, user_id));
    if (!role) return absl::OkStatus();
    TRAVIO_ASSIGN_OR_RETURN(auto org, unit.FindOrganization(org_id));
    if (org) named = Membership{org->id, org->name, *role};
    return absl::OkStatus();
  }));
  if (!org_id.empty()) {
    if (named) return *named;
    return OrgNotFound();  // never says whether the organization exists
  }
  if (memberships.size() == 1) return memberships.front();
  if (memberships.empty()) {
    return Error(reasons::kOrgNotFound, "You are not a member of any organization.");
  }
  return Error(reasons::kOrgRequired,
               "You belong to several organizations; name one in the X-Org-Id header.");
}

absl::StatusOr<Page<Member>> IdentityService::ListMembers(const Actor& actor,
                                                          const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<ListPosition> after, PageStart(page));
  std::vector<Member> members;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(CurrentRole(unit, actor, Permission::kMembersRead).status());
    TRAVIO_ASSIGN_OR_RETURN(members, unit.MembersOf(actor.org_id, after, page.limit + 1));
    return absl::OkStatus();
  }));
  return MakePage(std::move(members), page.limit, [](const Member& member) {
    return ListPosition{member.joined_at, member.user_id};
  });
}

absl::StatusOr<std::vector<Member>> IdentityService::ListOwners(const std::string& org_id) {
  std::vector<Member> owners;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    owners.clear();  // a retried transaction starts again
    TRAVIO_ASSIGN_OR_RETURN(auto org, unit.FindOrganization(org_id));
    if (!org) return OrgNotFound();
    // Owners are a few among perhaps hundreds of staff: read in pages, keep the owners.
    constexpr int kPage = 200;
    std::optional<ListPosition> after;
    for (;;) {
      TRAVIO_ASSIGN_OR_RETURN(std::vector<Member> members, unit.MembersOf(org_id, after, kPage));
      for (Member& member : members) {
        if (member.role == Role::kOwner) owners.push_back(member);
      }
      if (static_cast<int>(members.size()) < kPage) return absl::OkStatus();
      after = ListPosition{members.back().joined_at, members.back().user_id};
    }
  }));
  return owners;
}

absl::StatusOr<Member> IdentityService::ChangeRole(const Actor& actor, const std::string& user_id,
                                                   const std::string& role) {
  TRAVIO_ASSIGN_OR_RETURN(Role wanted, ParseRoleField(role));
  Member result;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.LockOrganization(actor.org_id));
    TRAVIO_ASSIGN_OR_RETURN(Role actor_role, CurrentRole(unit, actor, Permission::kMembersManage));
    TRAVIO_ASSIGN_OR_RETURN(auto current, unit.FindRole(actor.org_id, user_id));
    if (!current) return MemberNotFound();
    if (actor_role != Role::kOwner && (*current == Role::kOwner || wanted == Role::kOwner)) {
      return OwnerRequired();
    }
    if (*current == Role::kOwner && wanted != Role::kOwner) {
      TRAVIO_ASSIGN_OR_RETURN(int64_t owners, unit.CountOwners(actor.org_id));
      if (owners <= 1) return LastOwner();
    }
    TRAVIO_ASSIGN_OR_RETURN(bool updated, unit.UpdateRole(actor.org_id, user_id, wanted));
    if (!updated) return MemberNotFound();
    TRAVIO_ASSIGN_OR_RETURN(auto user, unit.FindUser(user_id));
    result = Member{.user_id = user_id,
                    .email = user ? user->user.email : "",
                    .name = user ? user->user.name : "",
                    .role = wanted};
    if (*current == wanted) return absl::OkStatus();
    return unit.AppendEvent(kMemberRoleChanged.Make(
        {.actor_user_id = actor.user_id, .user_id = user_id, .from = *current, .to = wanted},
        Audit(user_id, actor.org_id)));
  }));
  return result;
}

absl::Status IdentityService::RemoveMember(const Actor& actor, const std::string& user_id) {
  return ports_.store.InTransaction([&](IdentityUnit& unit) -> absl::Status {
    TRAVIO_RETURN_IF_ERROR(unit.LockOrganization(actor.org_id));
    TRAVIO_ASSIGN_OR_RETURN(Role actor_role, CurrentRole(unit, actor, Permission::kMembersManage));
    TRAVIO_ASSIGN_OR_RETURN(auto current, unit.FindRole(actor.org_id, user_id));
    if (!current) return MemberNotFound();
    if (*current == Role::kOwner) {
      if (actor_role != Role::kOwner) return OwnerRequired();
      TRAVIO_ASSIGN_OR_RETURN(int64_t owners, unit.CountOwners(actor.org_id));
      if (owners <= 1) return LastOwner();
    }
    TRAVIO_ASSIGN_OR_RETURN(bool removed, unit.DeleteMembership(actor.org_id, user_id));
    if (!removed) return MemberNotFound();
    return unit.AppendEvent(
        kMemberRemoved.Make({.actor_user_id = actor.user_id, .user_id = user_id, .role = *current},
                            Audit(user_id, actor.org_id)));
  });
}

}  // namespace travio::identity
