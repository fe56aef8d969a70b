#include "services/fraud/app/fraud_service.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/events/contract.h"

namespace travio::fraud {
namespace {

// What a sane order can be: more is a caller's error, never a count (sums stay far from
// overflowing).
constexpr int kMostSeats = 10'000;
constexpr int64_t kMostTotal = 1'000'000'000'000;
// The journey's usual order is learnt over about a month.
constexpr absl::Duration kUsualWindow = absl::Hours(24 * 30);
// A buyer's seats on one trip count while the trip is on sale: most are sold within two weeks
// of departure.
constexpr absl::Duration kTripShareWindow = absl::Hours(24 * 14);
// Long enough for a saga resumed after a crash to find its order counted, or a redelivered
// decline its payment; short enough that a busy day's marks do not pile up in memory.
constexpr absl::Duration kOnce = absl::Hours(24);
// Registrations are kept as long as the longest window a setting may name.
constexpr absl::Duration kRegistrationKept = absl::Hours(24 * 30);
// The most one order adds to its journey's sum of totals (10^8 minor units, a million taka).
constexpr int64_t kMostUsualShare = 100'000'000;
// A journey's usual order needs this many orders behind it before totals are compared with it.
constexpr int64_t kUsualAfter = 20;

std::string OrgKey(const std::string& org_id, const std::string& what, const std::string& who) {
  return absl::StrCat("o:", org_id, ":", what, ":", who);
}

// One mailbox, however it is spelt: lowercase, without a "+tag", and for Gmail without the dots
// Gmail ignores, so name+1@ and n.a.me@ count as name@.
std::string CanonicalEmail(const std::string& email) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(email));
  const size_t at = lower.rfind('@');
  if (at == std::string::npos) return lower;
  std::string local = lower.substr(0, at);
  const std::string domain = lower.substr(at + 1);
  if (const size_t plus = local.find('+'); plus != std::string::npos) local.resize(plus);
  if (domain == "gmail.com" || domain == "googlemail.com") {
    local.erase(std::remove(local.begin(), local.end(), '.'), local.end());
    return local + "@gmail.com";
  }
  return local + "@" + domain;
}

const SignalRule& Rule(const RiskSettings& settings, Signal signal) {
  return settings.rules.at(signal);
}

}  // namespace

FraudService::FraudService(Ports ports) : ports_(std::move(ports)) {
  if (ports_.metrics != nullptr) {
    decisions_ = &ports_.metrics->AddCounter("travio_fraud_decisions_total",
                                             "Orders assessed by the fraud service, by decision",
                                             {"decision"});
  }
}

absl::StatusOr<RiskSettings> FraudService::GetSettings(const std::string& org_id) {
  TRAVIO_ASSIGN_OR_RETURN(std::optional<RiskSettings> own, ports_.settings.Find(org_id));
  return own ? *own : DefaultRiskSettings();
}

absl::StatusOr<RiskSettings> FraudService::PutSettings(const std::string& org_id,
                                                       const RiskSettings& settings) {
  TRAVIO_RETURN_IF_ERROR(ValidateRiskSettings(settings));
  TRAVIO_RETURN_IF_ERROR(ports_.settings.Put(org_id, settings, ports_.clock.Now()));
  return settings;
}

absl::StatusOr<Assessment> FraudService::Assess(const AssessRequest& request) {
  // Bounded and shaped whoever asks: every field ends up in a key or a sum.
  std::vector<FieldError> errors;
  auto text = [&errors](const std::string& value, const char* field, size_t most, bool required) {
    if (required && value.empty()) errors.push_back({field, "required"});
    if (value.size() > most) errors.push_back({field, absl::StrCat("at most ", most, " bytes")});
  };
  text(request.org_id, "org_id", 64, true);
  text(request.order_id, "order_id", 64, true);
  text(request.trip_id, "trip_id", 64, true);
  text(request.buyer, "buyer", 128, true);
  text(request.email, "email", 254, false);
  text(request.client_address, "client_address", 64, false);
  text(request.from, "from", 16, false);
  text(request.to, "to", 16, false);
  if (request.card_fingerprint.size() > 64 ||
      request.card_fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos) {
    errors.push_back({"card_fingerprint", "lowercase hex, at most 64 characters"});
  }
  if (request.capacity < 0 || request.capacity > kMostSeats) {
    errors.push_back({"capacity", "0 to 10000"});
  }
  if (request.seats < 1 || request.seats > kMostSeats) errors.push_back({"seats", "1 to 10000"});
  if (request.total.amount < 0 || request.total.amount > kMostTotal) {
    errors.push_back({"total", "0 to 10^12 minor units"});
  }
  if (request.total.currency.size() != 3) errors.push_back({"currency", "ISO 4217"});
  if (!errors.empty()) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The assessment is invalid."), errors);
  }
  TRAVIO_ASSIGN_OR_RETURN(RiskSettings settings, GetSettings(request.org_id));
  // Counted once per order: a saga resumed after a crash asks again and is measured again,
  // without its own order counting twice against it.
  TRAVIO_ASSIGN_OR_RETURN(
      bool first,
      ports_.counters.MarkOnce(OrgKey(request.org_id, "assessed", request.order_id), kOnce));
  TRAVIO_ASSIGN_OR_RETURN(RiskFacts facts, Facts(request, settings, first));
  Assessment assessment = fraud::Assess(settings, facts);
  if (decisions_ != nullptr) {
    decisions_->WithLabels({std::string(DecisionName(assessment.decision))}).Increment();
  }
  if (assessment.decision != Decision::kAllow) {
    ports_.logger.Info("an order was held back by its risk",
                       {{"order_id", request.order_id},
                        {"decision", DecisionName(assessment.decision)},
                        {"score", absl::StrCat(assessment.score)}});
  }
  return assessment;
}

absl::StatusOr<RiskFacts> FraudService::Facts(const AssessRequest& request,
                                              const RiskSettings& settings, bool first) {
  const absl::Time now = ports_.clock.Now();
  const int64_t one = first ? 1 : 0;
  const std::string& org = request.org_id;
  RiskCounters& counters = ports_.counters;
  RiskFacts facts;
  facts.seats = request.seats;
  facts.capacity = request.capacity;
  facts.total = request.total.amount;
  if (!request.card_fingerprint.empty()) {
    TRAVIO_ASSIGN_OR_RETURN(facts.card_orders,
                            counters.Add(OrgKey(org, "card", request.card_fingerprint), one,
                                         Rule(settings, Signal::kCardVelocity).window, now));
  }
  const std::string email = CanonicalEmail(request.email);
  TRAVIO_ASSIGN_OR_RETURN(facts.email_orders,
                          counters.Add(OrgKey(org, "email", email), one,
                                       Rule(settings, Signal::kEmailVelocity).window, now));
  if (!request.client_address.empty()) {
    TRAVIO_ASSIGN_OR_RETURN(facts.address_orders,
                            counters.Add(OrgKey(org, "address", request.client_address), one,
                                         Rule(settings, Signal::kAddressVelocity).window, now));
  }
  TRAVIO_ASSIGN_OR_RETURN(facts.buyer_orders,
                          counters.Add(OrgKey(org, "buyer", request.buyer), one,
                                       Rule(settings, Signal::kBuyerVelocity).window, now));
  const absl::Duration declines_window = Rule(settings, Signal::kRecentDeclines).window;
  TRAVIO_ASSIGN_OR_RETURN(
      int64_t buyer_declines,
      counters.Add(OrgKey(org, "declines.buyer", request.buyer), 0, declines_window, now));
  facts.declines = buyer_declines;
  if (!request.card_fingerprint.empty()) {
    TRAVIO_ASSIGN_OR_RETURN(int64_t card_declines,
                            counters.Add(OrgKey(org, "declines.card", request.card_fingerprint), 0,
                                         declines_window, now));
    facts.declines = std::max(facts.declines, card_declines);
  }
  TRAVIO_ASSIGN_OR_RETURN(
      facts.buyer_trip_seats,
      counters.Add(OrgKey(org, "trip", absl::StrCat(request.trip_id, ":", request.buyer)),
                   first ? request.seats : 0, kTripShareWindow, now));
  TRAVIO_ASSIGN_OR_RETURN(
      facts.new_buyer,
      NewBuyer(request.buyer, Rule(settings, Signal::kNewBuyerManySeats).window, now));
  if (!request.card_fingerprint.empty()) {
    TRAVIO_ASSIGN_OR_RETURN(
        facts.distinct_cards,
        counters.AddDistinct(OrgKey(org, "cards", request.buyer), request.card_fingerprint,
                             Rule(settings, Signal::kDistinctCards).window, now));
  }
  // The journey's usual order, from the orders before this one. A statistic, not a gate: when
  // its counters cannot be read or added to, the signal says nothing and the rest decide.
  facts.usual_total = UsualTotal(request, now, first);
  return facts;
}

std::optional<int64_t> FraudService::UsualTotal(const AssessRequest& request, absl::Time now,
                                                bool count) {
  const std::string journey =
      absl::StrCat(request.from, "-", request.to, ":", request.total.currency);
  const std::string count_key = OrgKey(request.org_id, "usual.count", journey);
  const std::string sum_key = OrgKey(request.org_id, "usual.sum", journey);
  absl::StatusOr<int64_t> seen = ports_.counters.Add(count_key, 0, kUsualWindow, now);
  absl::StatusOr<int64_t> sum = ports_.counters.Add(sum_key, 0, kUsualWindow, now);
  if (count) {
    // One order weighs at most kMostUsualShare: a run of huge totals can neither overflow the sum
    // nor teach the journey that huge is usual.
    (void)ports_.counters.Add(count_key, 1, kUsualWindow, now);
    (void)ports_.counters.Add(sum_key, std::min(request.total.amount, kMostUsualShare),
                              kUsualWindow, now);
  }
  if (!seen.ok() || !sum.ok() || *seen < kUsualAfter || *sum < 0) return std::nullopt;
  return *sum / *seen;
}

absl::StatusOr<bool> FraudService::NewBuyer(const std::string& buyer, absl::Duration window,
                                            absl::Time now) {
  if (buyer.rfind("guest:", 0) == 0) return true;
  TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> registered,
                          ports_.counters.Recall(absl::StrCat("registered:", buyer)));
  int64_t micros = 0;
  if (!registered || !absl::SimpleAtoi(*registered, &micros)) return false;
  return now - absl::FromUnixMicros(micros) < window;
}

absl::Status FraudService::OnPaymentFailed(const std::string& org_id,
                                           const payment::PaymentChanged& payment) {
  if (org_id.empty()) return absl::OkStatus();
  TRAVIO_ASSIGN_OR_RETURN(RiskSettings settings, GetSettings(org_id));
  const absl::Duration window = Rule(settings, Signal::kRecentDeclines).window;
  const absl::Time now = ports_.clock.Now();
  // Once per payment: a redelivered event counts nothing more.
  TRAVIO_ASSIGN_OR_RETURN(
      bool first, ports_.counters.MarkOnce(OrgKey(org_id, "declined", payment.payment_id), kOnce));
  if (!first) return absl::OkStatus();
  if (!payment.payer.empty()) {
    TRAVIO_RETURN_IF_ERROR(
        ports_.counters.Add(OrgKey(org_id, "declines.buyer", payment.payer), 1, window, now)
            .status());
  }
  if (!payment.card_fingerprint.empty()) {
    TRAVIO_RETURN_IF_ERROR(
        ports_.counters
            .Add(OrgKey(org_id, "declines.card", payment.card_fingerprint), 1, window, now)
            .status());
    // A card that was refused still counts among the cards its buyer tried.
    if (!payment.payer.empty()) {
      TRAVIO_RETURN_IF_ERROR(ports_.counters
                                 .AddDistinct(OrgKey(org_id, "cards", payment.payer),
                                              payment.card_fingerprint,
                                              Rule(settings, Signal::kDistinctCards).window, now)
                                 .status());
    }
  }
  return absl::OkStatus();
}

absl::Status FraudService::OnUserRegistered(const identity::UserRegistered& user, absl::Time at) {
  if (user.user_id.empty()) return absl::OkStatus();
  return ports_.counters.Remember(absl::StrCat("registered:", user.user_id),
                                  absl::StrCat(absl::ToUnixMicros(at)), kRegistrationKept);
}

void FollowEvents(events::Bus& bus, const std::shared_ptr<FraudService>& service) {
  events::Subscribe<payment::PaymentChanged>(
      bus, "fraud", payment::kPaymentFailed, service->logger(),
      [service](const events::Event& event, const payment::PaymentChanged& payment) {
        return service->OnPaymentFailed(event.org_id, payment);
      });
  events::Subscribe<identity::UserRegistered>(
      bus, "fraud", identity::kUserRegistered, service->logger(),
      [service](const events::Event& event, const identity::UserRegistered& user) {
        return service->OnUserRegistered(user, event.occurred_at);
      });
}

}  // namespace travio::fraud
