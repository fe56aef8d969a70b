#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "platform/base/clock.h"
#include "platform/http/message.h"
#include "platform/kv/gcra.h"
#include "platform/kv/key_value_store.h"
#include "platform/log/logger.h"
#include "platform/metrics/registry.h"

namespace travio::gateway {

/// What kind of work a route does, for its rate limits. Each route of the table names one
/// (RouteSpec::traffic); most are reads.
enum class TrafficClass { kReads, kSignIn, kGuest, kHolds, kOrders, kSearch, kQueue };

std::string_view NameOf(TrafficClass traffic);
/// Every class, for config keys and docs.
const std::vector<TrafficClass>& AllTrafficClasses();

/// Requests per minute from one client address (an IPv4 address, an IPv6 /64) and from one
/// subject (a signed-in account or a guest); 0 is unlimited.
struct ClassLimits {
  int64_t per_address = 0;
  int64_t per_subject = 0;
};

struct TrafficSettings {
  /// `gateway.client_limits`: off turns every per-address and per-subject limit and cap off
  /// (load tests from one address); the sign-in pool and the total caps stay.
  bool client_limits = true;
  std::map<TrafficClass, ClassLimits> limits;
  /// Requests of the sign-in class (register, login, invite acceptance: the ones that hash a
  /// password) handled at once; more are answered 503 `sign_in_busy` at once instead of
  /// taking workers that bookings need.
  int sign_in_concurrency = 4;
  /// Seats one address, and one subject, may hold at once on one trip, so one client cannot
  /// empty a trip by minting guests.
  int64_t hold_seats_per_address = 20;
  int64_t hold_seats_per_subject = 10;

  /// api.md's defaults per class.
  static std::map<TrafficClass, ClassLimits> DefaultLimits();
};

/// The gateway's rate limits and caps, on the hot-state store (memory or Redis, so every
/// gateway of a deployment shares them), by GCRA. A refusal is 429 `rate_limited` with
/// `Retry-After` and the IETF `RateLimit-Policy` / `RateLimit` headers (draft-09); answers of
/// limited routes carry those headers too. When the store fails, requests pass (fail open) and
/// the failure is logged and counted: an outage of Redis must not stop sales.
class TrafficControl {
 public:
  TrafficControl(kv::KeyValueStore& store, const Clock& clock, TrafficSettings settings,
                 log::Logger logger, metrics::Registry* metrics);

  /// The limits a request has met so far: its refusal, or the headers its answer carries.
  struct Verdict {
    std::optional<http::Response> refusal;
    /// `RateLimit-Policy`: every policy the request met.
    std::string policy;
    /// `RateLimit`: the state of the one with the fewest requests left.
    std::string state;
    int64_t remaining = -1;

    /// Adds the headers to an answer.
    void Apply(http::Response& response) const;
  };
  /// Counts the request against its class's per-address limit.
  Verdict ByAddress(TrafficClass traffic, const std::string& address);
  /// Counts the request against its class's per-subject limit; `verdict` is ByAddress's.
  Verdict BySubject(TrafficClass traffic, const std::string& subject, Verdict verdict);

  /// A place among the sign-in requests being handled; the place is given back when the
  /// slot is destroyed.
  class SignInSlot {
   public:
    explicit SignInSlot(std::atomic<int>* in_flight) : in_flight_(in_flight) {}
    SignInSlot(SignInSlot&& other) noexcept
        : in_flight_(std::exchange(other.in_flight_, nullptr)) {}
    SignInSlot(const SignInSlot&) = delete;
    SignInSlot& operator=(const SignInSlot&) = delete;
    SignInSlot& operator=(SignInSlot&&) = delete;
    ~SignInSlot() {
      if (in_flight_ != nullptr) in_flight_->fetch_sub(1);
    }

   private:
    std::atomic<int>* in_flight_;
  };
  /// nullopt when `sign_in_concurrency` requests are already being handled.
  std::optional<SignInSlot> EnterSignIn();

  /// Records a hold just made (`hold_id`, `seats`, until `expires_at`) against the live holds
  /// of the client address and of the subject on `trip_id`; kResourceExhausted `hold_limit`
  /// with a retry-after (until one of theirs ends) when either would then hold more than its
  /// cap, and nothing is recorded: the caller releases the hold.
  absl::Status TakeSeats(const std::string& trip_id, const std::string& address,
                         const std::string& subject, const std::string& hold_id, int64_t seats,
                         absl::Time expires_at);
  /// Forgets a released hold.
  void DropSeats(const std::string& trip_id, const std::string& address, const std::string& subject,
                 const std::string& hold_id);

  bool client_limits() const { return settings_.client_limits; }
  /// True when its counters live in this process (the memory store), so counting a request
  /// never waits on a network.
  bool InProcess() const { return store_.InProcess(); }

 private:
  std::optional<kv::RateDecision> Take(const std::string& key, const kv::Rate& rate,
                                       int64_t quantity);
  Verdict Judge(TrafficClass traffic, std::string_view scope, const std::string& key,
                int64_t per_minute, Verdict verdict);
  /// The keys of the address's and the subject's live holds on a trip.
  std::vector<std::string> SeatKeys(const std::string& trip_id, const std::string& address,
                                    const std::string& subject) const;

  kv::KeyValueStore& store_;
  const Clock& clock_;
  kv::Gcra gcra_;
  TrafficSettings settings_;
  log::Logger logger_;
  std::atomic<int> sign_in_in_flight_{0};
  metrics::Family<metrics::Counter>* refused_ = nullptr;
  metrics::Counter* store_failures_ = nullptr;
};

}  // namespace travio::gateway
