#pragma once

#include <memory>

#include "platform/kv/key_value_store.h"
#include "services/identity/app/ports.h"
#include "services/identity/domain/throttle_policy.h"

namespace travio::identity {

/// LoginThrottle on the hot-state store (memory in the monolith, Redis when shared), with one
/// policy per account and one per client address. Accounts are keyed by a hash of the email,
/// so the store never holds addresses.
std::unique_ptr<LoginThrottle> MakeKvLoginThrottle(kv::KeyValueStore& store,
                                                   ThrottlePolicy per_account,
                                                   ThrottlePolicy per_address);

}  // namespace travio::identity
