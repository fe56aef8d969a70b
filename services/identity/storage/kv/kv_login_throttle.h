#pragma once

#include <memory>
#include <string>

#include "platform/kv/key_value_store.h"
#include "services/identity/app/ports.h"
#include "services/identity/domain/throttle_policy.h"

namespace travio::identity {

/// LoginThrottle on the hot-state store (memory in the monolith, Redis when shared), with one
/// policy per account and one per client address. Accounts are keyed by a keyed BLAKE2b hash
/// of the email (`secret`, 32 bytes), so the store holds no addresses and a list of candidate
/// emails cannot be matched against its keys.
std::unique_ptr<LoginThrottle> MakeKvLoginThrottle(kv::KeyValueStore& store,
                                                   ThrottlePolicy per_account,
                                                   ThrottlePolicy per_address, std::string secret);

/// RateLimiter on the hot-state store: one counter per key that expires with its window.
std::unique_ptr<RateLimiter> MakeKvRateLimiter(kv::KeyValueStore& store);

}  // namespace travio::identity
