#include "services/gateway/security/traffic.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/http/client_address.h"
#include "platform/http/problem.h"

namespace travio::gateway {
namespace {

// Whole seconds, rounded up, at least one: a client that waits this long is let through.
int64_t Seconds(absl::Duration wait) {
  if (wait == absl::InfiniteDuration()) return 3600;
  return std::max<int64_t>(1, (absl::ToInt64Milliseconds(wait) + 999) / 1000);
}

int64_t SecondsOrZero(absl::Duration wait) {
  return wait <= absl::ZeroDuration() ? 0 : Seconds(wait);
}

}  // namespace

std::string_view NameOf(TrafficClass traffic) {
  switch (traffic) {
    case TrafficClass::kReads:
      return "reads";
    case TrafficClass::kSignIn:
      return "sign_in";
    case TrafficClass::kGuest:
      return "guest";
    case TrafficClass::kHolds:
      return "holds";
    case TrafficClass::kOrders:
      return "orders";
    case TrafficClass::kSearch:
      return "search";
    case TrafficClass::kQueue:
      return "queue";
  }
  return "reads";
}

const std::vector<TrafficClass>& AllTrafficClasses() {
  static const auto* const kAll = new std::vector<TrafficClass>{
      TrafficClass::kReads,  TrafficClass::kSignIn, TrafficClass::kGuest, TrafficClass::kHolds,
      TrafficClass::kOrders, TrafficClass::kSearch, TrafficClass::kQueue};
  return *kAll;
}

// Per minute. An address may be a carrier's NAT in front of many travellers, so its limits
// are several people's worth; a subject is one person (or one guest token).
std::map<TrafficClass, ClassLimits> TrafficSettings::DefaultLimits() {
  return {{TrafficClass::kReads, {.per_address = 1200, .per_subject = 300}},
          {TrafficClass::kSignIn, {.per_address = 30, .per_subject = 0}},
          {TrafficClass::kGuest, {.per_address = 20, .per_subject = 0}},
          {TrafficClass::kHolds, {.per_address = 120, .per_subject = 30}},
          {TrafficClass::kOrders, {.per_address = 120, .per_subject = 30}},
          {TrafficClass::kSearch, {.per_address = 600, .per_subject = 120}},
          {TrafficClass::kQueue, {.per_address = 1200, .per_subject = 60}}};
}

void TrafficControl::Verdict::Apply(http::Response& response) const {
  if (policy.empty()) return;
  response.SetHeader("RateLimit-Policy", policy);
  response.SetHeader("RateLimit", state);
}

TrafficControl::TrafficControl(kv::KeyValueStore& store, const Clock& clock,
                               TrafficSettings settings, log::Logger logger,
                               metrics::Registry* metrics)
    : gcra_(store, clock),
      settings_(std::move(settings)),
      logger_(logger.With({{"component", "traffic"}})) {
  if (metrics != nullptr) {
    refused_ = &metrics->AddCounter("travio_gateway_rate_limited_total",
                                    "Requests refused by a rate limit or cap, by route class and "
                                    "what was limited (address or subject).",
                                    {"class", "by"});
    store_failures_ =
        &metrics
             ->AddCounter("travio_gateway_rate_limit_store_failures_total",
                          "Limit checks let through because the hot-state store failed.")
             .WithLabels({});
  }
}

std::optional<kv::RateDecision> TrafficControl::Take(const std::string& key, const kv::Rate& rate,
                                                     int64_t quantity) {
  absl::StatusOr<kv::RateDecision> decision = gcra_.Take(key, rate, quantity);
  if (decision.ok()) return *decision;
  if (store_failures_ != nullptr) store_failures_->Increment();
  logger_.Warn("rate limit not checked", {{"error", decision.status().ToString()}});
  return std::nullopt;
}

TrafficControl::Verdict TrafficControl::Judge(TrafficClass traffic, std::string_view scope,
                                              const std::string& key, int64_t per_minute,
                                              Verdict verdict) {
  if (!settings_.client_limits || per_minute <= 0 || verdict.refusal) return verdict;
  const kv::Rate rate{.quota = per_minute, .period = absl::Minutes(1)};
  std::optional<kv::RateDecision> decision = Take(key, rate, 1);
  if (!decision) return verdict;
  const std::string name = absl::StrCat("\"", ToAbsl(NameOf(traffic)), "-", ToAbsl(scope), "\"");
  absl::StrAppend(&verdict.policy, verdict.policy.empty() ? "" : ", ", name, ";q=", per_minute,
                  ";w=60");
  if (verdict.remaining < 0 || decision->remaining < verdict.remaining) {
    verdict.remaining = decision->remaining;
    verdict.state =
        absl::StrCat(name, ";r=", decision->remaining, ";t=", SecondsOrZero(decision->reset_after));
  }
  if (!decision->allowed) {
    if (refused_ != nullptr) {
      refused_->WithLabels({std::string(NameOf(traffic)), std::string(scope)}).Increment();
    }
    http::Response refusal = http::ProblemFromStatus(WithRetryAfter(
        Error(
            reasons::kRateLimited,
            absl::StrCat("Too many requests from this ", scope == "address" ? "address" : "caller",
                         "; try again in ", Seconds(decision->retry_after), " s.")),
        absl::Seconds(Seconds(decision->retry_after))));
    verdict.state = absl::StrCat(name, ";r=0;t=", SecondsOrZero(decision->reset_after));
    verdict.refusal = std::move(refusal);
    verdict.Apply(*verdict.refusal);
  }
  return verdict;
}

TrafficControl::Verdict TrafficControl::ByAddress(TrafficClass traffic,
                                                  const std::string& address) {
  auto limits = settings_.limits.find(traffic);
  if (limits == settings_.limits.end()) return {};
  return Judge(traffic, "address",
               absl::StrCat("rl:", ToAbsl(NameOf(traffic)), ":a:", http::AddressBlock(address)),
               limits->second.per_address, Verdict{});
}

TrafficControl::Verdict TrafficControl::BySubject(TrafficClass traffic, const std::string& subject,
                                                  Verdict verdict) {
  auto limits = settings_.limits.find(traffic);
  if (limits == settings_.limits.end() || subject.empty()) return verdict;
  return Judge(traffic, "subject", absl::StrCat("rl:", ToAbsl(NameOf(traffic)), ":s:", subject),
               limits->second.per_subject, std::move(verdict));
}

std::optional<TrafficControl::SignInSlot> TrafficControl::EnterSignIn() {
  if (sign_in_in_flight_.fetch_add(1) >= settings_.sign_in_concurrency) {
    sign_in_in_flight_.fetch_sub(1);
    if (refused_ != nullptr) refused_->WithLabels({"sign_in", "concurrency"}).Increment();
    return std::nullopt;
  }
  return SignInSlot(&sign_in_in_flight_);
}

std::string TrafficControl::SeatKey(const std::string& trip_id, char kind,
                                    const std::string& who) const {
  // One hash tag per trip, as inventory's keys: a cluster keeps a trip's counters together.
  return absl::StrCat("hold-seats:{trip:", trip_id, "}:", std::string(1, kind), ":", who);
}

absl::Status TrafficControl::TakeSeats(const std::string& trip_id, const std::string& address,
                                       const std::string& subject, int64_t seats) {
  if (!settings_.client_limits || seats <= 0) return absl::OkStatus();
  const std::string by_address = SeatKey(trip_id, 'a', http::AddressBlock(address));
  const kv::Rate per_address{.quota = settings_.hold_seats_per_address,
                             .period = settings_.hold_seat_window};
  const kv::Rate per_subject{.quota = settings_.hold_seats_per_subject,
                             .period = settings_.hold_seat_window};
  auto refuse = [&](std::string_view who, absl::Duration wait) {
    if (refused_ != nullptr) refused_->WithLabels({"hold_seats", std::string(who)}).Increment();
    return WithRetryAfter(
        Error(reasons::kHoldLimit,
              absl::StrCat("This ", who == "address" ? "address" : "traveller",
                           " already holds as many seats on this trip as it may; release a hold "
                           "or try again later.")),
        absl::Seconds(Seconds(wait)));
  };
  std::optional<kv::RateDecision> address_decision = Take(by_address, per_address, seats);
  if (address_decision && !address_decision->allowed) {
    return refuse("address", address_decision->retry_after);
  }
  if (subject.empty()) return absl::OkStatus();
  std::optional<kv::RateDecision> subject_decision =
      Take(SeatKey(trip_id, 's', subject), per_subject, seats);
  if (subject_decision && !subject_decision->allowed) {
    if (address_decision) (void)gcra_.Return(by_address, per_address, seats);
    return refuse("subject", subject_decision->retry_after);
  }
  return absl::OkStatus();
}

void TrafficControl::ReturnSeats(const std::string& trip_id, const std::string& address,
                                 const std::string& subject, int64_t seats) {
  if (!settings_.client_limits || seats <= 0) return;
  (void)gcra_.Return(
      SeatKey(trip_id, 'a', http::AddressBlock(address)),
      {.quota = settings_.hold_seats_per_address, .period = settings_.hold_seat_window}, seats);
  if (!subject.empty()) {
    (void)gcra_.Return(
        SeatKey(trip_id, 's', subject),
        {.quota = settings_.hold_seats_per_subject, .period = settings_.hold_seat_window}, seats);
  }
}

}  // namespace travio::gateway
