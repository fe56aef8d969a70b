#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace travio::identity {

/// A member's role in an organization (api.md "Roles").
enum class Role { kOwner, kAdmin, kManager, kAgent, kConductor, kViewer };

/// What a route needs. The gateway's route table names one permission per org-scoped route;
/// which roles hold it is decided here, in one place.
enum class Permission {
  kOrgRead,        // see the organization itself
  kMembersRead,    // list members
  kMembersManage,  // change roles, remove members
  kInvitesManage,  // create, list, revoke and re-send invites
  kFleetRead,      // buses, staff
  kFleetManage,    // create and edit buses, staff, duties
  kCatalogRead,    // routes, schedules, trips
  kCatalogManage,  // publish routes, schedules, trips and fares
  kPricingManage,  // pricing rules
  kReportsRead,    // sales and occupancy reports
  kSalesRead,      // the organization's orders: search them, see one
  kSalesCreate,    // counter sales, cancellations on a traveller's behalf
  kBoardingScan,   // manifests and boarding scans
  kFraudReview,    // orders held by fraud: see their risk, approve or reject them
  kFraudSettings,  // the organization's fraud thresholds and weights
  kAuditRead,      // the organization's audit log and its verification
  kBillingManage,  // the organization's plan: see its usage and limits, change it
  kBillingRead,    // the organization's invoices
};

/// The role's name as api.md spells it ("owner").
std::string_view RoleName(Role role);
/// The role named `name`, if any.
std::optional<Role> ParseRole(std::string_view name);
/// Every role, most powerful first.
std::span<const Role> AllRoles();
/// The permission's stable name ("members.read"), for logs and problem details.
std::string_view PermissionName(Permission permission);
/// Whether `role` holds `permission`.
bool RoleAllows(Role role, Permission permission);
/// Every permission, in declaration order.
std::span<const Permission> AllPermissions();
/// The names of the permissions `role` holds, in declaration order: what a client shows the
/// member (the gateway still checks every request).
std::vector<std::string_view> PermissionNamesOf(Role role);

}  // namespace travio::identity
