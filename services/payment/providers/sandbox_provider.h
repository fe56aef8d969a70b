#pragma once

#include <memory>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "services/payment/app/provider.h"

namespace travio::payment {

/// The sandbox provider: decides by api.md's test cards (SandboxDecision) and keeps its own
/// books in `sandbox_charges` and `sandbox_refunds`, tables apart from Travio's records (they
/// live in the payment database only so the sandbox survives restarts like a real provider
/// would). A charge moves authorized -> captured or voided; refunds never exceed the capture.
std::unique_ptr<PaymentProvider> MakeSandboxProvider(db::Database& database, const Clock& clock,
                                                     const IdGenerator& ids);

}  // namespace travio::payment
