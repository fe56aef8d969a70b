#include "services/inventory/storage/redis/redis_hold_store.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/inventory/storage/hold_json.h"
#include "services/inventory/storage/redis/redis_hold_scripts.h"

namespace travio::inventory {
namespace {

using kv::Script;
using kv::ScriptReply;

// Trips with holds, each scored by its earliest hold expiry, so the sweeper visits only trips
// with something due, however many trips ever had holds.
constexpr char kDueTrips[] = "inv:due";
// How long after its expiry a hold can still be found (to answer hold_expired, and sweep).
constexpr absl::Duration kIndexGrace = absl::Minutes(10);

absl::Status Unexpected(const std::string& script) {
  return absl::InternalError("unexpected reply from the " + script + " script");
}

// The first element of a script's array reply ('ok' or a reason).
std::string Verdict(const ScriptReply& reply) {
  if (!std::holds_alternative<ScriptReply::Array>(reply.value) || reply.array().empty()) {
    return "";
  }
  const ScriptReply& first = reply.array()[0];
  return std::holds_alternative<std::string>(first.value) ? first.text() : "";
}

std::string Text(const ScriptReply& reply) {
  if (std::holds_alternative<std::string>(reply.value)) return reply.text();
  if (std::holds_alternative<int64_t>(reply.value)) return std::to_string(reply.integer());
  return "";
}

class RedisHoldStore final : public HoldStore {
 public:
  explicit RedisHoldStore(kv::KeyValueStore& redis) : redis_(redis) {}

  absl::Status LoadTrip(const TripSeats& seats,
                        const std::vector<BookingRecord>& bookings) override {
    std::vector<std::string> args = {std::to_string(seats.stops.size() - 1)};
    for (const BookingRecord& booking : bookings) {
      const std::string claim = (booking.blocked ? "k|" : "b|") + booking.id;
      for (const std::string& seat : booking.seats) {
        for (int leg = booking.journey.from; leg < booking.journey.to; ++leg) {
          args.push_back(absl::StrCat(seat, "|", leg));
          args.push_back(claim);
        }
      }
    }
    return redis_.Run(LoadScript(), TripKeys(seats.trip_id), args).status();
  }

  absl::Status DropTrip(const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(DropScript(), TripKeys(trip_id), {}));
    if (std::holds_alternative<ScriptReply::Array>(reply.value)) {
      const auto& items = reply.array();
      for (size_t i = 0; i + 1 < items.size(); i += 2) {
        auto record = Parse(Text(items[i + 1]), "0");
        if (record.ok()) TRAVIO_RETURN_IF_ERROR(Unindex(*record));
      }
    }
    // Left among the due trips: a hold made meanwhile (a request that reloaded the trip) names
    // it there, and taking it off now could undo that. The sweeper takes it off once due.
    return absl::OkStatus();
  }

  absl::StatusOr<HoldRecord> Hold(const HoldRecord& request, absl::Duration ttl,
                                  const HoldLimits& limits) override {
    const std::string ttl_ms = std::to_string(absl::ToInt64Milliseconds(ttl));
    const std::string& id = request.hold.id;
    const std::string holder_key = HolderKey(request.hold.holder);
    TRAVIO_ASSIGN_OR_RETURN(
        ScriptReply reserved,
        redis_.Run(ReserveScript(), std::span(&holder_key, 1),
                   std::vector<std::string>{id, ttl_ms, std::to_string(limits.max_holds)}));
    if (Text(reserved) != "1") {
      return Error(reasons::kHoldLimit,
                   "You already hold seats in as many holds as allowed; release or buy them "
                   "first.");
    }
    HoldRecord record = request;
    record.hold.expires_at = absl::UnixEpoch();  // set by the server's clock
    record.hold.version = 1;
    std::vector<std::string> args = {id, ttl_ms, StoredHoldJson(record),
                                     std::to_string(request.hold.journey.from),
                                     std::to_string(request.hold.journey.to)};
    for (const std::string& seat : request.hold.seats) args.push_back(seat);
    absl::StatusOr<ScriptReply> reply = redis_.Run(HoldScript(), TripKeys(request.trip_id), args);
    const std::string verdict = reply.ok() ? Verdict(*reply) : "";
    if (verdict != "ok") {
      (void)ZRem(holder_key, id);  // the place taken among the holder's holds is given back
      if (!reply.ok()) return reply.status();
      if (verdict == "trip_not_loaded") return TripNotLoaded(request.trip_id);
      if (verdict == "seats_unavailable") return Unavailable(request, *reply);
      return Unexpected("hold");
    }
    int64_t expires_ms = 0;
    if (reply->array().size() < 2 || !absl::SimpleAtoi(Text(reply->array()[1]), &expires_ms)) {
      return Unexpected("hold");
    }
    record.hold.expires_at = absl::FromUnixMillis(expires_ms);
    TRAVIO_RETURN_IF_ERROR(redis_.Set(IndexKey(id), request.trip_id, ttl + kIndexGrace));
    TRAVIO_RETURN_IF_ERROR(Due(DueAtScript(), request.trip_id, expires_ms));
    return record;
  }

  absl::StatusOr<std::optional<HoldRecord>> FindHold(const std::string& hold_id) override {
    TRAVIO_ASSIGN_OR_RETURN(std::optional<std::string> trip_id, redis_.Get(IndexKey(hold_id)));
    if (!trip_id) return std::nullopt;
    const std::vector<std::string> keys = {HoldsKey(*trip_id), ExpiryKey(*trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply,
                            redis_.Run(FindScript(), keys, std::vector<std::string>{hold_id}));
    if (!std::holds_alternative<ScriptReply::Array>(reply.value) || reply.array().size() < 2) {
      return std::nullopt;
    }
    TRAVIO_ASSIGN_OR_RETURN(HoldRecord record,
                            Parse(Text(reply.array()[0]), Text(reply.array()[1])));
    return record;
  }

  absl::Status Release(const std::string& trip_id, const std::string& hold_id) override {
    return Ending(ReleaseScript(), trip_id, hold_id, {hold_id});
  }

  absl::Status Confirm(const std::string& trip_id, const std::string& hold_id, int64_t version,
                       const std::string& booking_id, bool blocked) override {
    return Ending(ConfirmScript(), trip_id, hold_id,
                  {hold_id, std::to_string(version), booking_id, blocked ? "k" : "b"});
  }

  absl::StatusOr<bool> EnsureBooked(const BookingRecord& booking) override {
    std::vector<std::string> args = {(booking.blocked ? "k|" : "b|") + booking.id,
                                     std::to_string(booking.journey.from),
                                     std::to_string(booking.journey.to)};
    for (const std::string& seat : booking.seats) args.push_back(seat);
    const std::vector<std::string> keys = {MetaKey(booking.trip_id), ClaimsKey(booking.trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(EnsureBookedScript(), keys, args));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(booking.trip_id);
    if (verdict != "ok" || reply.array().size() < 2) return Unexpected("ensure booked");
    return Text(reply.array()[1]) != "0";
  }

  absl::Status Free(const std::string& trip_id, const std::string& booking_id,
                    const std::vector<std::string>& seats, const Journey& journey) override {
    std::vector<std::string> args = {booking_id, std::to_string(journey.from),
                                     std::to_string(journey.to)};
    for (const std::string& seat : seats) args.push_back(seat);
    const std::vector<std::string> keys = {MetaKey(trip_id), ClaimsKey(trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(FreeScript(), keys, args));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(trip_id);
    return verdict == "ok" ? absl::OkStatus() : Unexpected("free");
  }

  absl::StatusOr<std::map<std::string, SeatStatus>> Claims(const std::string& trip_id,
                                                           const Journey& journey) override {
    const std::vector<std::string> keys = {MetaKey(trip_id), ClaimsKey(trip_id)};
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply,
                            redis_.Run(ClaimsScript(), keys,
                                       std::vector<std::string>{std::to_string(journey.from),
                                                                std::to_string(journey.to)}));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(trip_id);
    if (verdict != "ok") return Unexpected("claims");
    std::map<std::string, SeatStatus> claims;
    const auto& items = reply.array();
    for (size_t i = 1; i + 1 < items.size(); i += 2) {
      const std::string status = Text(items[i + 1]);
      claims[Text(items[i])] = status == "blocked"  ? SeatStatus::kBlocked
                               : status == "booked" ? SeatStatus::kBooked
                                                    : SeatStatus::kHeld;
    }
    return claims;
  }

  absl::StatusOr<std::vector<HoldRecord>> SweepExpired(int limit) override {
    const std::string due_key = kDueTrips;
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply due,
                            redis_.Run(DueTripsScript(), std::span(&due_key, 1),
                                       std::vector<std::string>{std::to_string(limit)}));
    std::vector<HoldRecord> swept;
    if (!std::holds_alternative<ScriptReply::Array>(due.value)) return swept;
    for (const ScriptReply& trip : due.array()) {
      const int room = limit - static_cast<int>(swept.size());
      if (room <= 0) break;
      const std::string trip_id = Text(trip);
      absl::StatusOr<ScriptReply> reply = redis_.Run(
          SweepScript(), TripKeys(trip_id), std::vector<std::string>{std::to_string(room)});
      // Holds swept from Redis already are returned, to be announced; the rest waits for the
      // next sweep.
      if (!reply.ok()) {
        if (swept.empty()) return reply.status();
        return swept;
      }
      if (!std::holds_alternative<ScriptReply::Array>(reply->value) || reply->array().empty()) {
        continue;
      }
      const auto& items = reply->array();
      for (size_t i = 1; i + 2 < items.size(); i += 3) {
        // Not unindexed: an expired hold leaves its holder's count by its score, and its
        // index key expires by itself. Two round trips per hold, each queued behind every
        // client, held the sweeper to some 500 holds a second under load.
        absl::StatusOr<HoldRecord> record = Parse(Text(items[i + 1]), Text(items[i + 2]));
        if (record.ok()) swept.push_back(*std::move(record));
      }
      const absl::Status rescheduled = Reschedule(trip_id, Text(items[0]));
      if (!rescheduled.ok()) {
        if (swept.empty()) return rescheduled;
        return swept;
      }
    }
    return swept;
  }

 private:
  static std::string Tag(const std::string& trip_id) { return "inv:{trip:" + trip_id + "}"; }
  static std::string MetaKey(const std::string& trip_id) { return Tag(trip_id) + ":meta"; }
  static std::string ClaimsKey(const std::string& trip_id) { return Tag(trip_id) + ":claims"; }
  static std::string HoldsKey(const std::string& trip_id) { return Tag(trip_id) + ":holds"; }
  static std::string ExpiryKey(const std::string& trip_id) { return Tag(trip_id) + ":expiry"; }
  static std::vector<std::string> TripKeys(const std::string& trip_id) {
    return RedisTripKeys(trip_id);
  }
  static std::string HolderKey(const std::string& holder) { return "inv:{holder:" + holder + "}"; }
  static std::string IndexKey(const std::string& hold_id) { return "inv:{hold:" + hold_id + "}"; }

  // A stored "<version>|<hold>" value and its expiry in unix milliseconds.
  static absl::StatusOr<HoldRecord> Parse(const std::string& value, const std::string& expiry) {
    const size_t bar = value.find('|');
    int64_t version = 0;
    int64_t expires_ms = 0;
    if (bar == std::string::npos || !absl::SimpleAtoi(value.substr(0, bar), &version) ||
        !absl::SimpleAtoi(expiry, &expires_ms)) {
      return absl::DataLossError("a stored hold does not parse");
    }
    TRAVIO_ASSIGN_OR_RETURN(HoldRecord record, StoredHoldFromJson(value.substr(bar + 1)));
    record.hold.version = version;
    record.hold.expires_at = absl::FromUnixMillis(expires_ms);
    return record;
  }

  static absl::Status Unavailable(const HoldRecord& request, const ScriptReply& reply) {
    std::vector<FieldError> errors;
    std::vector<std::string> labels;
    const auto& items = reply.array();
    for (size_t i = 1; i < items.size(); ++i) {
      std::pair<std::string, std::string> parts =
          absl::StrSplit(Text(items[i]), absl::MaxSplits('|', 1));
      size_t index = 0;
      if (!absl::SimpleAtoi(parts.first, &index) || index >= request.hold.seats.size()) {
        return Unexpected("hold");
      }
      labels.push_back(request.hold.seats[index]);
      errors.push_back(
          {absl::StrCat("seats[", index, "]"), absl::StrCat(labels.back(), " is ", parts.second)});
    }
    return WithFieldErrors(
        Error(reasons::kSeatsUnavailable,
              absl::StrCat("Not available for this journey: ", absl::StrJoin(labels, ", "), ".")),
        errors);
  }

  absl::Status Ending(const Script& script, const std::string& trip_id, const std::string& hold_id,
                      const std::vector<std::string>& args) {
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply reply, redis_.Run(script, TripKeys(trip_id), args));
    const std::string verdict = Verdict(reply);
    if (verdict == "trip_not_loaded") return TripNotLoaded(trip_id);
    if (verdict == "hold_not_found") {
      return Error(reasons::kHoldNotFound,
                   "No such hold: it was released, confirmed or has expired.");
    }
    if (verdict == "hold_expired") {
      return Error(reasons::kHoldExpired, "The hold expired; its seats may have been sold since.");
    }
    if (verdict == "hold_version_mismatch") {
      return Error(reasons::kHoldVersionMismatch, "The hold changed since it was read.");
    }
    if (verdict != "ok" || reply.array().size() < 2) return Unexpected(script.name);
    TRAVIO_RETURN_IF_ERROR(ZRem(HolderKey(Text(reply.array()[1])), hold_id));
    return redis_.Delete(IndexKey(hold_id)).status();
  }

  absl::Status Unindex(const HoldRecord& record) {
    TRAVIO_RETURN_IF_ERROR(ZRem(HolderKey(record.hold.holder), record.hold.id));
    return redis_.Delete(IndexKey(record.hold.id)).status();
  }

  // Names the trip due again at its earliest hold expiry, or takes it off the due trips. A
  // hold made meanwhile names its trip (ZADD LT) after its hold script has run, and that may
  // land before this: the earliest expiry is read again afterwards and named (LT), so a hold
  // is never left unswept, nor swept later than its expiry.
  absl::Status Reschedule(const std::string& trip_id, const std::string& earliest) {
    int64_t expires_ms = 0;
    if (absl::SimpleAtoi(earliest, &expires_ms)) {
      TRAVIO_RETURN_IF_ERROR(Due(DueNextScript(), trip_id, expires_ms));
    } else {
      TRAVIO_RETURN_IF_ERROR(ZRem(kDueTrips, trip_id));
    }
    const std::string expiry = ExpiryKey(trip_id);
    TRAVIO_ASSIGN_OR_RETURN(ScriptReply left,
                            redis_.Run(NextExpiryScript(), std::span(&expiry, 1), {}));
    if (!absl::SimpleAtoi(Text(left), &expires_ms)) return absl::OkStatus();
    return Due(DueAtScript(), trip_id, expires_ms);
  }

  absl::Status Due(const kv::Script& script, const std::string& trip_id, int64_t expires_ms) {
    const std::string key = kDueTrips;
    return redis_
        .Run(script, std::span(&key, 1),
             std::vector<std::string>{std::to_string(expires_ms), trip_id})
        .status();
  }

  absl::Status ZRem(const std::string& key, const std::string& member) {
    return redis_.Run(ZRemScript(), std::span(&key, 1), std::vector<std::string>{member}).status();
  }

  kv::KeyValueStore& redis_;
};

}  // namespace

std::unique_ptr<HoldStore> MakeRedisHoldStore(kv::KeyValueStore& redis) {
  return std::make_unique<RedisHoldStore>(redis);
}

const kv::Script& RedisHoldScript() { return HoldScript(); }

std::vector<std::string> RedisTripKeys(const std::string& trip_id) {
  const std::string tag = "inv:{trip:" + trip_id + "}";
  return {tag + ":meta", tag + ":claims", tag + ":holds", tag + ":expiry"};
}

}  // namespace travio::inventory
