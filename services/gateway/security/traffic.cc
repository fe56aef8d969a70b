#include "services/gateway/security/traffic.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/http/client_address.h"
#include "platform/http/problem.h"
#include "services/gateway/security/hold_budget.h"

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
    : store_(store),
      clock_(clock),
      gcra_(store, clock),
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

std::vector<std::string> TrafficControl::SeatKeys(const std::string& trip_id,
                                                  const std::string& address,
                                                  const std::string& subject) const {
  // One hash tag per trip, as inventory's keys: one script sees both keys on a cluster.
  const std::string prefix = absl::StrCat("hold-seats:{trip:", trip_id, "}:");
  return {prefix + "a:" + http::AddressBlock(address), prefix + "s:" + subject};
}

absl::Status TrafficControl::TakeSeats(const std::string& trip_id, const std::string& address,
                                       const std::string& subject, const std::string& hold_id,
                                       int64_t seats, absl::Time expires_at) {
  if (!settings_.client_limits || seats <= 0) return absl::OkStatus();
  const std::vector<std::string> keys = SeatKeys(trip_id, address, subject);
  const std::vector<std::string> args = {"take",
                                         std::to_string(absl::ToUnixMillis(clock_.Now())),
                                         hold_id,
                                         std::to_string(absl::ToUnixMillis(expires_at)),
                                         std::to_string(seats),
                                         std::to_string(settings_.hold_seats_per_address),
                                         std::to_string(settings_.hold_seats_per_subject)};
  absl::StatusOr<kv::ScriptReply> reply = store_.Run(HoldBudgetScript(), keys, args);
  if (!reply.ok()) {
    if (store_failures_ != nullptr) store_failures_->Increment();
    logger_.Warn("hold budget not checked", {{"error", reply.status().ToString()}});
    return absl::OkStatus();
  }
  const auto* values = std::get_if<kv::ScriptReply::Array>(&reply->value);
  if (values == nullptr || values->empty() || (*values)[0].integer() == 1) return absl::OkStatus();
  const bool by_address = values->size() > 1 && (*values)[1].integer() == 1;
  const int64_t wait_ms = values->size() > 2 ? (*values)[2].integer() : 1000;
  if (refused_ != nullptr) {
    refused_->WithLabels({"hold_seats", by_address ? "address" : "subject"}).Increment();
  }
  return WithRetryAfter(
      Error(reasons::kHoldLimit,
            absl::StrCat("This ", by_address ? "address" : "traveller",
                         " already holds as many seats on this trip as it may; release a hold "
                         "or try again later.")),
      absl::Milliseconds(std::max<int64_t>(1000, wait_ms)));
}

void TrafficControl::DropSeats(const std::string& trip_id, const std::string& address,
                               const std::string& subject, const std::string& hold_id) {
  if (!settings_.client_limits) return;
  const std::vector<std::string> keys = SeatKeys(trip_id, address, subject);
  const std::vector<std::string> args = {"drop", hold_id,
                                         std::to_string(absl::ToUnixMillis(clock_.Now()))};
  (void)store_.Run(HoldBudgetScript(), keys, args);
}

}  // namespace travio::gateway
