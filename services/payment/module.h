#pragma once

#include "absl/status/status.h"
#include "platform/module/registry.h"

namespace travio::payment {

/// Registers the payment module: payments, refunds, the sandbox provider and reconciliation.
absl::Status RegisterPaymentModule(module::Registry& registry);

}  // namespace travio::payment
