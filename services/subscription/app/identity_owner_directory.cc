#include "services/subscription/app/identity_owner_directory.h"

#include <utility>

#include "platform/base/status_macros.h"

namespace travio::subscription {
namespace {

class IdentityOwnerDirectory final : public OwnerDirectory {
 public:
  explicit IdentityOwnerDirectory(std::shared_ptr<identity::IdentityClient> identity)
      : identity_(std::move(identity)) {}

  absl::StatusOr<OrgOwners> OwnersOf(const std::string& org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(identity::Organization org, identity_->GetOrganization(org_id));
    TRAVIO_ASSIGN_OR_RETURN(std::vector<identity::Member> owners, identity_->ListOwners(org_id));
    OrgOwners found{.org_name = org.name, .owners = {}};
    for (const identity::Member& owner : owners) {
      found.owners.push_back({.user_id = owner.user_id, .email = owner.email});
    }
    return found;
  }

  absl::StatusOr<std::string> NameOf(const std::string& org_id) override {
    TRAVIO_ASSIGN_OR_RETURN(identity::Organization org, identity_->GetOrganization(org_id));
    return org.name;
  }

 private:
  std::shared_ptr<identity::IdentityClient> identity_;
};

}  // namespace

std::unique_ptr<OwnerDirectory> OwnersFromIdentity(
    std::shared_ptr<identity::IdentityClient> identity) {
  return std::make_unique<IdentityOwnerDirectory>(std::move(identity));
}

}  // namespace travio::subscription
