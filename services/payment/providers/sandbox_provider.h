#pragma once

#include <memory>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/db/database.h"
#include "services/payment/app/provider.h"

namespace travio::payment {

/// The sandbox provider: decides cards by api.md's test cards (SandboxDecision), offers a hosted
/// page for redirect payments, signs its webhooks with `webhook_secret` (webhook_signature.h),
/// and keeps its own books in `sandbox_charges` and `sandbox_refunds`, tables apart from
/// Travio's records (they live in the payment database only so the sandbox survives restarts
/// like a real provider would). A charge moves pending -> authorized or declined (the hosted
/// page) or voided, authorized -> captured or voided; refunds never exceed the capture.
class SandboxProvider : public PaymentProvider, public HostedCheckout {};

std::unique_ptr<SandboxProvider> MakeSandboxProvider(db::Database& database, const Clock& clock,
                                                     const IdGenerator& ids,
                                                     std::string webhook_secret);

}  // namespace travio::payment
