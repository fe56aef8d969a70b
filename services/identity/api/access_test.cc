#include "services/identity/api/access.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace travio::identity {
namespace {

TEST(Roles, NamesRoundTrip) {
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("Owner").has_value());
  EXPECT_FALSE(ParseRole("superuser").has_value());
}

TEST(Roles, MatchApiMd) {
  // Owners and admins manage staff; managers see them but cannot change them.
  EXPECT_TRUE(RoleAllows(Role::kOwner, Permission::kMembersManage));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Permission::kInvitesManage));
  EXPECT_TRUE(RoleAllows(Role::kManager, Permission::kMembersRead));
  EXPECT_FALSE(RoleAllows(Role::kManager, Permission::kMembersManage));
  EXPECT_FALSE(RoleAllows(Role::kManager, Permission::kInvitesManage));
  // Managers run fleet, catalog and pricing; viewers only read.
  EXPECT_TRUE(RoleAllows(Role::kManager, Permission::kFleetManage));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kFleetManage));
  EXPECT_TRUE(RoleAllows(Role::kViewer, Permission::kReportsRead));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kMembersRead));
  EXPECT_TRUE(RoleAllows(Role::kAgent, Permission::kSalesCreate));
  EXPECT_FALSE(RoleAllows(Role::kAgent, Permission::kCatalogManage));
  EXPECT_TRUE(RoleAllows(Role::kConductor, Permission::kBoardingScan));
  // Fraud reviews are for those who run sales; the thresholds for those who run the company.
  EXPECT_TRUE(RoleAllows(Role::kManager, Permission::kFraudReview));
  EXPECT_FALSE(RoleAllows(Role::kAgent, Permission::kFraudReview));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kFraudReview));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Permission::kFraudSettings));
  EXPECT_FALSE(RoleAllows(Role::kManager, Permission::kFraudSettings));
  EXPECT_TRUE(RoleAllows(Role::kOwner, Permission::kAuditRead));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Permission::kAuditRead));
  EXPECT_FALSE(RoleAllows(Role::kManager, Permission::kAuditRead));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kAuditRead));
  EXPECT_FALSE(RoleAllows(Role::kConductor, Permission::kSalesCreate));
  // Orders carry travellers' contacts: for sales staff and readers, not for conductors (who
  // see the manifests of their trips); a viewer reads but never sells or cancels.
  EXPECT_TRUE(RoleAllows(Role::kAgent, Permission::kSalesRead));
  EXPECT_TRUE(RoleAllows(Role::kViewer, Permission::kSalesRead));
  EXPECT_FALSE(RoleAllows(Role::kViewer, Permission::kSalesCreate));
  EXPECT_FALSE(RoleAllows(Role::kConductor, Permission::kSalesRead));
  // The plan is what the organization pays for: its owner's alone.
  EXPECT_TRUE(RoleAllows(Role::kOwner, Permission::kBillingManage));
  EXPECT_FALSE(RoleAllows(Role::kAdmin, Permission::kBillingManage));
  EXPECT_FALSE(RoleAllows(Role::kManager, Permission::kBillingManage));
  EXPECT_TRUE(RoleAllows(Role::kAdmin, Permission::kBillingRead));  // invoices, for the books
  EXPECT_FALSE(RoleAllows(Role::kManager, Permission::kBillingRead));
  for (Role role : AllRoles()) EXPECT_TRUE(RoleAllows(role, Permission::kOrgRead));
}

TEST(Roles, PermissionNamesAreWhatTheRoleHolds) {
  // Every permission has its own name, and a role's list is exactly what RoleAllows says.
  std::set<std::string_view> names;
  for (Permission permission : AllPermissions()) {
    EXPECT_NE(PermissionName(permission), "unknown");
    EXPECT_TRUE(names.insert(PermissionName(permission)).second) << PermissionName(permission);
  }
  EXPECT_EQ(names.size(), static_cast<size_t>(Permission::kBillingRead) + 1);
  for (Role role : AllRoles()) {
    const std::vector<std::string_view> held = PermissionNamesOf(role);
    for (Permission permission : AllPermissions()) {
      const bool listed =
          std::find(held.begin(), held.end(), PermissionName(permission)) != held.end();
      EXPECT_EQ(listed, RoleAllows(role, permission))
          << RoleName(role) << " " << PermissionName(permission);
    }
  }
  const std::vector<std::string_view> viewer = PermissionNamesOf(Role::kViewer);
  EXPECT_EQ(std::count(viewer.begin(), viewer.end(), "catalog.manage"), 0);
  EXPECT_EQ(std::count(viewer.begin(), viewer.end(), "reports.read"), 1);
}

}  // namespace
}  // namespace travio::identity
