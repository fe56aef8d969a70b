#pragma once

#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/payment/app/payment_service.h"

namespace travio::payment {

/// Compares the books with the provider's settlement report, window after window (each run
/// covers the time since the previous one, up to `settle` ago and at most kLongestWindow), and
/// reports what differs: logged for finance to follow up, and counted at /metrics
/// (travio_payment_reconciliation_mismatches_total{kind},
/// travio_payment_reconciliation_runs_total{outcome}) so that an alert can follow. A window is
/// compared once `settle` has passed since its end, and a charge whose two records fall
/// either side of its edge, within `settle`, is matched across it (PaymentService::Reconcile):
/// a capture in flight is no mismatch.
///
/// How far it has got is kept with the books, not in memory: a restarted process goes on from
/// the last window compared (a crash loses no window), and of replicas racing for a window one
/// keeps it and reports, the others drop what they found (a window is reported once). Replicas'
/// clocks must agree: a mark past this process's clock (a replica whose clock ran fast closed
/// windows early, and payments recorded since fell behind the mark) is logged as an error and
/// counted (outcome mark_ahead), never taken for done.
class Reconciler {
 public:
  /// A run after a long stop catches up window after window, each at most this long and kept
  /// on its own, until it reaches the present.
  static constexpr absl::Duration kLongestWindow = absl::Hours(6);
  /// How far the mark may be past this process's clock before that is a fault.
  static constexpr absl::Duration kClockTolerance = absl::Minutes(1);

  Reconciler(PaymentService& payments, const Clock& clock, log::Logger logger,
             metrics::Registry& metrics, absl::Duration settle = absl::ZeroDuration());

  /// Marks where the first window starts (now) unless the books already say.
  void Start();
  /// Reconciles what has settled since the last run, by any process.
  void Run();

 private:
  // Compares the next window, up to `settled`: true when more has settled after it.
  bool RunWindow(absl::Time settled);

  PaymentService& payments_;
  const Clock& clock_;
  log::Logger logger_;
  metrics::Family<metrics::Counter>& mismatches_;
  metrics::Family<metrics::Counter>& runs_;
  absl::Duration settle_;
};

}  // namespace travio::payment
