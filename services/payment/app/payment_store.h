#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "platform/events/event.h"
#include "services/payment/api/payment_client.h"

namespace travio::payment {

/// A payment with what only the payment service needs: the caller's key and the provider's
/// reference of the charge.
struct PaymentRecord {
  PaymentView view;
  std::string key;
  std::string provider_reference;
  absl::Time captured_at;  // the unix epoch until captured
};

struct RefundRecord {
  RefundView view;
  std::string key;
  std::string provider_reference;
};

/// Travio's books of payments and refunds. Changes are written together with the events that
/// announce them (the outbox).
class PaymentStore {
 public:
  virtual ~PaymentStore() = default;
  /// kAlreadyExists when a payment with the same key exists.
  virtual absl::Status Insert(const PaymentRecord& payment) = 0;
  /// Writes the payment's state, reference and failure code, and `event` (when it has a type)
  /// with it, if the stored state is still `from_status`; false (nothing written) when another
  /// caller moved the payment first, so each change is announced once.
  virtual absl::StatusOr<bool> Update(const PaymentRecord& payment, PaymentStatus from_status,
                                      const events::Event& event) = 0;
  virtual absl::StatusOr<std::optional<PaymentRecord>> Find(const std::string& payment_id) = 0;
  virtual absl::StatusOr<std::optional<PaymentRecord>> FindByKey(const std::string& key) = 0;
  virtual absl::StatusOr<std::vector<PaymentRecord>> OfOrder(const std::string& order_id) = 0;
  /// Payments captured in [from, to), for reconciliation.
  virtual absl::StatusOr<std::vector<PaymentRecord>> CapturedBetween(absl::Time from,
                                                                     absl::Time to) = 0;

  /// Records a refund the provider made and adds it to the payment's refunded sum (its status
  /// follows: partially_refunded, refunded), in one transaction, so concurrent refunds add up; a
  /// refund with the same key already recorded is returned instead.
  virtual absl::StatusOr<RefundRecord> AddRefund(const RefundRecord& refund,
                                                 const PaymentRecord& payment,
                                                 const events::Event& event) = 0;
  virtual absl::StatusOr<std::optional<RefundRecord>> FindRefundByKey(const std::string& key) = 0;
  virtual absl::StatusOr<std::vector<RefundRecord>> RefundsOfOrder(const std::string& order_id) = 0;
  virtual absl::StatusOr<std::vector<RefundRecord>> RefundsBetween(absl::Time from,
                                                                   absl::Time to) = 0;

  virtual absl::StatusOr<std::optional<RefundRecord>> FindRefund(const std::string& refund_id) = 0;
  /// Marks an owed refund handed over by `staff` at `at`; false when it is no longer owed.
  virtual absl::StatusOr<bool> PayOutRefund(const std::string& refund_id, const std::string& staff,
                                            absl::Time at) = 0;

  /// The end of the last window reconciliation compared; `start` (kept) the first time.
  virtual absl::StatusOr<absl::Time> ReconciledUntil(absl::Time start) = 0;
  /// Keeps the findings of the window [from, to) (each with its found_at) and moves the
  /// reconciled-until mark from `from` to `to`, in one transaction. False, keeping nothing, when
  /// the mark is no longer at `from`: another replica reconciled the window first.
  virtual absl::StatusOr<bool> RecordReconciliation(absl::Time from, absl::Time to,
                                                    const std::vector<Mismatch>& mismatches) = 0;
  /// The operator's findings since `since`, newest first.
  virtual absl::StatusOr<std::vector<Mismatch>> MismatchesOfOrg(const std::string& org_id,
                                                                absl::Time since, int limit) = 0;
};

}  // namespace travio::payment
