#include "services/identity/storage/kv/kv_login_throttle.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <string>

#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"
#include "platform/http/client_address.h"

namespace travio::identity {
namespace {

// IPv6 clients usually get a whole /64, so an address's neighbours count as the same client;
// IPv4 addresses (IPv4-mapped ones included) count one by one.
std::string AddressBucket(std::string_view address) { return http::AddressBlock(address); }

class KvLoginThrottle final : public LoginThrottle {
 public:
  KvLoginThrottle(kv::KeyValueStore& store, ThrottlePolicy per_account, ThrottlePolicy per_address,
                  std::string secret)
      : store_(store),
        per_account_(per_account),
        per_address_(per_address),
        secret_(std::move(secret)) {}

  absl::StatusOr<std::optional<std::string>> Acquire(std::string_view account) override {
    std::array<unsigned char, 16> bytes;
    randombytes_buf(bytes.data(), bytes.size());
    const std::string ticket = crypto::HexEncode(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    // The slot expires on its own should this process die mid-login.
    TRAVIO_ASSIGN_OR_RETURN(bool acquired,
                            store_.SetIfAbsent(SlotKey(account), ticket, absl::Seconds(30)));
    if (!acquired) return std::nullopt;
    return ticket;
  }

  absl::Status Release(std::string_view account, std::string_view ticket) override {
    return store_.CompareAndDelete(SlotKey(account), ticket).status();
  }

  absl::Status Check(std::string_view account, std::string_view address) override {
    absl::Duration wait = absl::ZeroDuration();
    for (const std::string& key :
         {LockKey("a", Hashed(account)), LockKey("ip", AddressBucket(address))}) {
      TRAVIO_ASSIGN_OR_RETURN(auto ttl, store_.Ttl(key));
      if (ttl) wait = std::max(wait, *ttl);
    }
    if (wait <= absl::ZeroDuration()) return absl::OkStatus();
    return WithRetryAfter(
        Error(reasons::kTooManyAttempts, "Too many failed sign-ins; wait before trying again."),
        wait);
  }

  absl::StatusOr<bool> RecordFailure(std::string_view account, std::string_view address) override {
    TRAVIO_ASSIGN_OR_RETURN(bool account_burst, Fail("a", Hashed(account), per_account_));
    bool address_burst = false;
    if (!address.empty()) {
      TRAVIO_ASSIGN_OR_RETURN(address_burst, Fail("ip", AddressBucket(address), per_address_));
    }
    return account_burst || address_burst;
  }

  absl::Status RecordSuccess(std::string_view account) override {
    return store_.Delete(FailKey("a", Hashed(account))).status();
  }

 private:
  std::string Hashed(std::string_view account) const {
    std::array<unsigned char, 16> digest;
    crypto_generichash(digest.data(), digest.size(),
                       reinterpret_cast<const unsigned char*>(account.data()), account.size(),
                       reinterpret_cast<const unsigned char*>(secret_.data()), secret_.size());
    return crypto::HexEncode(
        std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  }
  std::string SlotKey(std::string_view account) const {
    return "identity:login-in-flight:" + Hashed(account);
  }
  static std::string FailKey(std::string_view kind, std::string_view id) {
    return "identity:login-failures:" + std::string(kind) + ":" + std::string(id);
  }
  static std::string LockKey(std::string_view kind, std::string_view id) {
    return "identity:login-lock:" + std::string(kind) + ":" + std::string(id);
  }

  // Counts one failure; true when this one reached the threshold (a burst began).
  absl::StatusOr<bool> Fail(std::string_view kind, std::string_view id,
                            const ThrottlePolicy& policy) {
    TRAVIO_ASSIGN_OR_RETURN(int64_t failures,
                            store_.Increment(FailKey(kind, id), 1, policy.window));
    const absl::Duration lockout = policy.LockoutAfter(failures);
    if (lockout > absl::ZeroDuration()) {
      TRAVIO_RETURN_IF_ERROR(store_.Set(LockKey(kind, id), "1", lockout));
    }
    return failures == policy.threshold;
  }

  kv::KeyValueStore& store_;
  ThrottlePolicy per_account_;
  ThrottlePolicy per_address_;
  std::string secret_;
};

class KvRateLimiter final : public RateLimiter {
 public:
  explicit KvRateLimiter(kv::KeyValueStore& store) : store_(store) {}

  absl::Status Take(std::string_view key, int64_t limit, absl::Duration window,
                    const Reason& reason) override {
    const std::string counter = "identity:rate:" + std::string(key);
    TRAVIO_ASSIGN_OR_RETURN(int64_t used, store_.Increment(counter, 1, window));
    if (used <= limit) return absl::OkStatus();
    TRAVIO_ASSIGN_OR_RETURN(auto remaining, store_.Ttl(counter));
    return WithRetryAfter(
        Error(reason, "Too many requests of this kind; wait before trying again."),
        remaining.value_or(window));
  }

 private:
  kv::KeyValueStore& store_;
};

}  // namespace

std::unique_ptr<RateLimiter> MakeKvRateLimiter(kv::KeyValueStore& store) {
  return std::make_unique<KvRateLimiter>(store);
}

std::unique_ptr<LoginThrottle> MakeKvLoginThrottle(kv::KeyValueStore& store,
                                                   ThrottlePolicy per_account,
                                                   ThrottlePolicy per_address, std::string secret) {
  return std::make_unique<KvLoginThrottle>(store, per_account, per_address, std::move(secret));
}

}  // namespace travio::identity
