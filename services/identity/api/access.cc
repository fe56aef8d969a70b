#include "services/identity/api/access.h"

#include <array>
#include <utility>

namespace travio::identity {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 6> kRoleNames = {{
    {Role::kOwner, "owner"},
    {Role::kAdmin, "admin"},
    {Role::kManager, "manager"},
    {Role::kAgent, "agent"},
    {Role::kConductor, "conductor"},
    {Role::kViewer, "viewer"},
}};

// Owners and admins run the organization; managers run fleet, catalog, pricing and reports;
// agents sell at the counter; conductors board; viewers only read. Member lists carry staff
// email addresses, so only the people who manage staff and fleet see them.
bool Allows(Role role, Permission permission) {
  const bool admin = role == Role::kOwner || role == Role::kAdmin;
  switch (permission) {
    case Permission::kOrgRead:
      return true;
    case Permission::kMembersRead:
      return admin || role == Role::kManager;
    case Permission::kMembersManage:
    case Permission::kInvitesManage:
      return admin;
    case Permission::kFleetRead:
    case Permission::kCatalogRead:
      return true;
    case Permission::kFleetManage:
    case Permission::kCatalogManage:
    case Permission::kPricingManage:
      return admin || role == Role::kManager;
    case Permission::kReportsRead:
      return admin || role == Role::kManager || role == Role::kViewer;
    case Permission::kSalesRead:
      return admin || role == Role::kManager || role == Role::kAgent || role == Role::kViewer;
    case Permission::kSalesCreate:
      return admin || role == Role::kManager || role == Role::kAgent;
    case Permission::kBoardingScan:
      return admin || role == Role::kManager || role == Role::kConductor;
    case Permission::kFraudReview:
      return admin || role == Role::kManager;
    case Permission::kFraudSettings:
    case Permission::kAuditRead:
      return admin;
    case Permission::kBillingManage:
      return role == Role::kOwner;  // the plan is what the organization pays
    case Permission::kBillingRead:
      return admin;
  }
  return false;
}

}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [candidate, name] : kRoleNames) {
    if (candidate == role) return name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [role, candidate] : kRoleNames) {
    if (candidate == name) return role;
  }
  return std::nullopt;
}

constexpr std::array<Role, 6> kAllRoles = {Role::kOwner, Role::kAdmin,     Role::kManager,
                                           Role::kAgent, Role::kConductor, Role::kViewer};

std::span<const Role> AllRoles() { return kAllRoles; }

std::string_view PermissionName(Permission permission) {
  switch (permission) {
    case Permission::kOrgRead:
      return "org.read";
    case Permission::kMembersRead:
      return "members.read";
    case Permission::kMembersManage:
      return "members.manage";
    case Permission::kInvitesManage:
      return "invites.manage";
    case Permission::kFleetRead:
      return "fleet.read";
    case Permission::kFleetManage:
      return "fleet.manage";
    case Permission::kCatalogRead:
      return "catalog.read";
    case Permission::kCatalogManage:
      return "catalog.manage";
    case Permission::kPricingManage:
      return "pricing.manage";
    case Permission::kReportsRead:
      return "reports.read";
    case Permission::kSalesRead:
      return "sales.read";
    case Permission::kSalesCreate:
      return "sales.create";
    case Permission::kBoardingScan:
      return "boarding.scan";
    case Permission::kFraudReview:
      return "fraud.review";
    case Permission::kFraudSettings:
      return "fraud.settings";
    case Permission::kAuditRead:
      return "audit.read";
    case Permission::kBillingManage:
      return "billing.manage";
    case Permission::kBillingRead:
      return "billing.read";
  }
  return "unknown";
}

bool RoleAllows(Role role, Permission permission) { return Allows(role, permission); }

constexpr std::array<Permission, 18> kAllPermissions = {
    Permission::kOrgRead,       Permission::kMembersRead,   Permission::kMembersManage,
    Permission::kInvitesManage, Permission::kFleetRead,     Permission::kFleetManage,
    Permission::kCatalogRead,   Permission::kCatalogManage, Permission::kPricingManage,
    Permission::kReportsRead,   Permission::kSalesRead,     Permission::kSalesCreate,
    Permission::kBoardingScan,  Permission::kFraudReview,   Permission::kFraudSettings,
    Permission::kAuditRead,     Permission::kBillingManage, Permission::kBillingRead};

std::span<const Permission> AllPermissions() { return kAllPermissions; }

std::vector<std::string_view> PermissionNamesOf(Role role) {
  std::vector<std::string_view> names;
  for (Permission permission : kAllPermissions) {
    if (Allows(role, permission)) names.push_back(PermissionName(permission));
  }
  return names;
}

}  // namespace travio::identity
