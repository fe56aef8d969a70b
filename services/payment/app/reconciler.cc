#include "services/payment/app/reconciler.h"

#include <algorithm>
#include <string>

namespace travio::payment {

Reconciler::Reconciler(PaymentService& payments, const Clock& clock, log::Logger logger,
                       metrics::Registry& metrics, absl::Duration settle)
    : payments_(payments),
      clock_(clock),
      logger_(std::move(logger)),
      mismatches_(metrics.AddCounter(
          "travio_payment_reconciliation_mismatches_total",
          "Differences found between the payment books and the provider's settlement report, "
          "by kind (missing_in_travio, missing_at_provider, amount_differs).",
          {"kind"})),
      runs_(metrics.AddCounter(
          "travio_payment_reconciliation_runs_total",
          "Reconciliation runs (one a window), by outcome (clean, mismatches, failed, "
          "mark_ahead).",
          {"outcome"})),
      settle_(settle) {}

void Reconciler::Start() {
  if (auto mark = payments_.ReconciledUntil(clock_.Now() - settle_); !mark.ok()) {
    // Run tries again; only the time until then goes unreconciled if it never could.
    logger_.Warn("reconciliation could not mark its start", {{"error", mark.status().ToString()}});
  }
}

void Reconciler::Run() {
  const absl::Time settled = clock_.Now() - settle_;
  while (RunWindow(settled)) {
  }
}

bool Reconciler::RunWindow(absl::Time settled) {
  auto from = payments_.ReconciledUntil(settled);
  if (!from.ok()) {
    runs_.WithLabels({"failed"}).Increment();
    logger_.Warn("reconciliation failed", {{"error", from.status().ToString()}});
    return false;
  }
  if (*from > settled + kClockTolerance) {
    runs_.WithLabels({"mark_ahead"}).Increment();
    logger_.Error(
        "the books are marked reconciled past this process's clock: a replica's clock runs "
        "fast, and payments recorded since may never be compared",
        {{"reconciled_until", absl::FormatTime(*from, absl::UTCTimeZone())},
         {"settled", absl::FormatTime(settled, absl::UTCTimeZone())}});
    return false;
  }
  const absl::Time until = std::min(settled, *from + kLongestWindow);
  if (until <= *from) return false;  // nothing has settled since the last run
  auto mismatches = payments_.Reconcile(*from, until, settle_);
  // Kept with the window's mark, for the operator's staff (the console's dashboard alerts on
  // them): a window whose findings could not be kept is run again.
  absl::StatusOr<bool> kept = mismatches.ok()
                                  ? payments_.RecordReconciliation(*from, until, *mismatches)
                                  : absl::StatusOr<bool>(mismatches.status());
  if (!kept.ok()) {
    runs_.WithLabels({"failed"}).Increment();
    logger_.Warn("reconciliation failed", {{"error", kept.status().ToString()}});
    return false;
  }
  if (!*kept) return false;  // another replica reconciled this window: its findings stand
  runs_.WithLabels({mismatches->empty() ? "clean" : "mismatches"}).Increment();
  for (const Mismatch& mismatch : *mismatches) {
    mismatches_.WithLabels({mismatch.kind}).Increment();
    logger_.Warn("payment books disagree with the provider",
                 {{"kind", mismatch.kind},
                  {"payment_id", mismatch.payment_id},
                  {"provider_reference", mismatch.provider_reference},
                  {"travio_amount", std::to_string(mismatch.travio_amount)},
                  {"provider_amount", std::to_string(mismatch.provider_amount)}});
  }
  return until < settled;
}

}  // namespace travio::payment
