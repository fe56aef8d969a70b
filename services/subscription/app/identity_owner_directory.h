#pragma once

#include <memory>

#include "services/identity/api/identity_client.h"
#include "services/subscription/app/owner_mail.h"

namespace travio::subscription {

/// The owners of an organization as identity knows them when asked.
std::unique_ptr<OwnerDirectory> OwnersFromIdentity(
    std::shared_ptr<identity::IdentityClient> identity);

}  // namespace travio::subscription
