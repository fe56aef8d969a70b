#include "services/payment/app/reconciler.h"

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
      runs_(metrics.AddCounter("travio_payment_reconciliation_runs_total",
                               "Reconciliation runs, by outcome (clean, mismatches, failed).",
                               {"outcome"})),
      settle_(settle),
      reconciled_until_(clock.Now() - settle) {}

void Reconciler::Start() { reconciled_until_ = clock_.Now() - settle_; }

void Reconciler::Run() {
  const absl::Time until = clock_.Now() - settle_;
  if (until <= reconciled_until_) return;  // nothing has settled since the last run
  auto mismatches = payments_.Reconcile(reconciled_until_, until, settle_);
  if (!mismatches.ok()) {
    runs_.WithLabels({"failed"}).Increment();
    logger_.Warn("reconciliation failed", {{"error", mismatches.status().ToString()}});
    return;
  }
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
  // Kept for the operator's staff (the console's dashboard alerts on them). Not kept, the
  // window is run again: the logs and counters above then count it twice, which an alert
  // tolerates better than a finding lost.
  if (const absl::Status kept = payments_.RecordMismatches(*std::move(mismatches)); !kept.ok()) {
    logger_.Warn("reconciliation findings could not be kept", {{"error", kept.ToString()}});
    return;
  }
  reconciled_until_ = until;
}

}  // namespace travio::payment
