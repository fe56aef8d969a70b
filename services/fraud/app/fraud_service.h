#pragma once

#include <memory>
#include <string>

#include "platform/base/clock.h"
#include "platform/events/bus.h"
#include "platform/events/event.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"
#include "services/fraud/api/fraud_client.h"
#include "services/fraud/app/ports.h"
#include "services/identity/api/identity_events.h"
#include "services/payment/api/payment_events.h"

namespace travio::fraud {

/// The risk engine as a service: gathers an order's facts from the counters, decides under the
/// organization's settings (domain/assessment.h), and keeps the counters fed from payments'
/// declines and identity's registrations. Thread-safe.
class FraudService final : public FraudClient {
 public:
  struct Ports {
    SettingsStore& settings;
    RiskCounters& counters;
    const Clock& clock;
    log::Logger logger;
    metrics::Registry* metrics = nullptr;
  };

  explicit FraudService(Ports ports);

  absl::StatusOr<Assessment> Assess(const AssessRequest& request) override;
  absl::StatusOr<RiskSettings> GetSettings(const std::string& org_id) override;
  absl::StatusOr<RiskSettings> PutSettings(const std::string& org_id,
                                           const RiskSettings& settings) override;

  /// A declined payment of `org_id`: counted against its card and its payer.
  absl::Status OnPaymentFailed(const std::string& org_id, const payment::PaymentChanged& payment);
  /// A new account: remembered for as long as any window may call it new.
  absl::Status OnUserRegistered(const identity::UserRegistered& user, absl::Time at);

  const log::Logger& logger() const { return ports_.logger; }

 private:
  absl::StatusOr<RiskFacts> Facts(const AssessRequest& request, const RiskSettings& settings,
                                  bool first);
  // The journey's usual order total (nullopt until it has a history); counts this order when
  // `count`.
  std::optional<int64_t> UsualTotal(const AssessRequest& request, absl::Time now, bool count);
  absl::StatusOr<bool> NewBuyer(const std::string& buyer, absl::Duration window, absl::Time now);

  Ports ports_;
  metrics::Family<metrics::Counter>* decisions_ = nullptr;
};

/// Subscribes the service to the events it learns from: payment.failed.v1 and
/// identity.user_registered.v1.
void FollowEvents(events::Bus& bus, const std::shared_ptr<FraudService>& service);

}  // namespace travio::fraud
