#pragma once

#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/payment/app/payment_service.h"

namespace travio::payment {

/// Compares the books with the provider's settlement report, window after window (each run
/// covers the time since the previous one, up to `settle` ago), and reports what differs:
/// logged for finance to follow up, and counted at /metrics
/// (travio_payment_reconciliation_mismatches_total{kind},
/// travio_payment_reconciliation_runs_total{outcome}) so that an alert can follow. A window is
/// compared once `settle` has passed since its end, and a charge whose two records fall
/// either side of its edge, within `settle`, is matched across it (PaymentService::Reconcile):
/// a capture in flight is no mismatch.
class Reconciler {
 public:
  Reconciler(PaymentService& payments, const Clock& clock, log::Logger logger,
             metrics::Registry& metrics, absl::Duration settle = absl::ZeroDuration());

  /// The first window starts now.
  void Start();
  /// Reconciles the window since the last run.
  void Run();

 private:
  PaymentService& payments_;
  const Clock& clock_;
  log::Logger logger_;
  metrics::Family<metrics::Counter>& mismatches_;
  metrics::Family<metrics::Counter>& runs_;
  absl::Duration settle_;
  absl::Time reconciled_until_;
};

}  // namespace travio::payment
