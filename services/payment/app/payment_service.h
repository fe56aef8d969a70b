#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/base/clock.h"
#include "platform/base/ids.h"
#include "platform/events/contract.h"
#include "platform/log/logger.h"
#include "services/payment/api/payment_client.h"
#include "services/payment/api/payment_events.h"
#include "services/payment/app/card_fingerprints.h"
#include "services/payment/app/counter_cash.h"
#include "services/payment/app/payment_store.h"
#include "services/payment/app/provider.h"

namespace travio::payment {

/// The payment service's use cases over Travio's books and one provider, with cash taken at
/// operators' counters beside it (CounterCash). Thread-safe.
class PaymentService final : public PaymentClient {
 public:
  struct Ports {
    PaymentStore& store;
    PaymentProvider& provider;
    const Clock& clock;
    const IdGenerator& ids;
    log::Logger logger;
    /// The provider's hosted page, when it has one inside Travio (the sandbox).
    HostedCheckout* checkout = nullptr;
    /// The cards' fingerprints; without it payments carry none (fraud then cannot count a
    /// card's uses).
    const CardFingerprints* fingerprints = nullptr;
  };

  explicit PaymentService(Ports ports) : ports_(std::move(ports)) {}

  absl::StatusOr<PaymentView> Authorize(const AuthorizeCommand& command) override;
  absl::StatusOr<PaymentView> Capture(const std::string& payment_id) override;
  absl::StatusOr<PaymentView> Void(const std::string& payment_id) override;
  absl::StatusOr<RefundView> Refund(const std::string& payment_id, int64_t amount,
                                    const std::string& key, const std::string& reason) override;
  absl::StatusOr<PaymentView> GetPayment(const std::string& payment_id) override;
  absl::StatusOr<std::vector<PaymentView>> PaymentsOfOrder(const std::string& order_id) override;
  absl::StatusOr<std::vector<RefundView>> RefundsOfOrder(const std::string& order_id) override;
  absl::Status HandleWebhook(const std::string& provider, const std::string& signature,
                             const std::string& body) override;
  absl::StatusOr<PaymentView> GetCheckout(const std::string& payment_id,
                                          const std::string& token) override;
  absl::StatusOr<PaymentView> CompleteCheckout(const std::string& payment_id,
                                               const std::string& token, bool approve) override;

  absl::StatusOr<std::vector<Mismatch>> MismatchesOfOrg(const std::string& org_id, absl::Time since,
                                                        int limit) override;
  absl::StatusOr<RefundView> PayOutRefund(const std::string& org_id, const std::string& refund_id,
                                          const std::string& staff) override;

  /// Compares captures and refunds recorded in [from, to) with the provider's settlement report
  /// for the same window; returns every difference (empty when the books agree), each with the
  /// operator, order and currency of Travio's side when it has one. The two sides of one
  /// charge are recorded moments apart (the provider's first), so one may fall just outside
  /// the window: a difference is reported only when the window widened by `margin` on each
  /// side still holds it (then with the widened sums), and by the earlier of two windows
  /// holding a side of it. [to, to + margin) must be past.
  absl::StatusOr<std::vector<Mismatch>> Reconcile(absl::Time from, absl::Time to,
                                                  absl::Duration margin = absl::ZeroDuration());
  /// The end of the last window reconciled, kept with the books; `start` the first time.
  absl::StatusOr<absl::Time> ReconciledUntil(absl::Time start);
  /// Keeps what reconciling [from, to) found, dated now, for the operators' staff to follow
  /// up, and marks the window reconciled. False, keeping nothing, when another process
  /// reconciled from `from` first.
  absl::StatusOr<bool> RecordReconciliation(absl::Time from, absl::Time to,
                                            std::vector<Mismatch> mismatches);

 private:
  // Money by (provider reference, kind) on each side of a window.
  struct Sides {
    int64_t travio = 0;
    int64_t provider = 0;
    std::string payment_id;
    std::string org_id;
    std::string order_id;
    std::string currency;
  };
  using Tally = std::map<std::pair<std::string, std::string>, Sides>;
  absl::StatusOr<Tally> TallyBetween(absl::Time from, absl::Time to);
  absl::StatusOr<PaymentRecord> Load(const std::string& payment_id);
  // Settles a pending payment with the provider's answer for its key (a crash left it pending).
  absl::StatusOr<PaymentRecord> Settle(PaymentRecord payment, const std::optional<Card>& card);
  absl::Status Save(PaymentRecord& payment, PaymentStatus status);
  // The sandbox's hosted page for a pending redirect payment, with its payer's token.
  void AddRedirectUrl(PaymentView& payment) const;
  // The payment `token` opens the hosted page of; payment_not_found otherwise.
  absl::StatusOr<PaymentRecord> LoadCheckout(const std::string& payment_id,
                                             const std::string& token);
  // The event announcing `payment`'s new status (an empty event when none does).
  events::Event PaymentEvent(const PaymentView& payment) const;
  // Who holds `payment`'s money: the counter for cash, the provider for everything else.
  PaymentProvider& ProviderOf(const PaymentView& payment);

  Ports ports_;
  CounterCash counter_;
};

}  // namespace travio::payment
