#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/money.h"
#include "services/inventory/domain/booking.h"
#include "services/inventory/domain/offer.h"
#include "services/pricing/api/pricing_client.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::inventory {

using ::travio::Money;

/// A hold as its holder sees it: the seats, the journey by station code, and the prices frozen
/// when it was made.
struct HoldView {
  std::string hold_id;
  std::string trip_id;
  std::string org_id;
  std::string holder;
  std::vector<std::string> seats;
  std::string from;
  std::string to;
  absl::Time expires_at;
  int64_t version = 1;
  std::vector<SeatPrice> prices;
  Money total;
};

struct HoldCommand {
  std::string holder;  // the signed-in user's or guest's subject
  std::string trip_id;
  std::vector<std::string> seats;
  std::string from;  // station codes; both empty: the whole trip
  std::string to;
};

/// What POST /v1/pricing/quote asks: seats of a journey (none: every seat), priced now or at
/// `at` (a preview: occupancy is the current one).
struct QuoteCommand {
  std::string trip_id;
  std::string from;  // station codes; both empty: the whole trip
  std::string to;
  std::vector<std::string> seats;
  std::optional<absl::Time> at;
};

struct QuotedSeat {
  pricing::SeatQuote quote;
  bool available = false;  // free for the journey now
};

struct TripQuote {
  std::string trip_id;
  std::string from;
  std::string to;
  std::string currency;
  absl::Time at;
  std::vector<QuotedSeat> seats;  // in the order asked, else the layout's
};

/// api.md's seat map for a journey. `status` is available, held, booked or blocked for seats
/// and berths, empty for other cells (aisle, driver, door, empty).
struct SeatMapCell {
  int row = 0;
  int col = 0;
  std::string type;
  std::string label;
  std::string category;
  std::string status;
};
struct SeatMapDeck {
  std::string name;
  int rows = 0;
  int cols = 0;
  std::vector<SeatMapCell> cells;
};
struct SeatMap {
  std::string trip_id;
  std::string from;
  std::string to;
  int available = 0;
  std::vector<SeatMapDeck> decks;
};

/// An operator's blocks on one trip, and the trip's stops to name their journeys.
struct TripBlocks {
  std::vector<BookingRecord> blocks;
  std::vector<std::string> stops;  // station codes, in order
};

/// The inventory service as other services and the gateway call it: in-process in the
/// monolith, over gRPC otherwise. Errors carry api.md's reasons: trip_not_found,
/// invalid_journey, invalid_seats, journey_not_sold, not_on_sale, seats_unavailable (with the
/// problem member `unavailable`), hold_limit, hold_not_found, hold_expired,
/// hold_version_mismatch, booking_not_found.
class InventoryClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "inventory";
  /// The client of a remote inventory service, over a gRPC channel (mutual TLS, from the runtime),
  /// every call under `policy` (deadline, circuit breaker, retried reads) (api/grpc_*_client.cc).
  static std::shared_ptr<InventoryClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                   const rpc::CallPolicy& policy);

  virtual ~InventoryClient() = default;

  /// Every seat's status for the journey (both codes empty: the whole trip).
  virtual absl::StatusOr<SeatMap> GetSeatMap(const std::string& trip_id, const std::string& from,
                                             const std::string& to) = 0;

  /// Each seat's price under the operator's pricing rules, as a hold made at the same moment
  /// would freeze it.
  virtual absl::StatusOr<TripQuote> QuoteSeats(const QuoteCommand& command) = 0;

  /// Holds all the seats for the journey or none, prices quoted and frozen.
  virtual absl::StatusOr<HoldView> HoldSeats(const HoldCommand& command) = 0;
  /// A live hold of `holder`; hold_not_found for anyone else's, and once it ended or expired.
  virtual absl::StatusOr<HoldView> GetHold(const std::string& holder,
                                           const std::string& hold_id) = 0;
  virtual absl::Status ReleaseHold(const std::string& holder, const std::string& hold_id) = 0;

  /// Sells a live hold of `holder`, fenced by its version; the booking a retried confirmation
  /// already made is returned again.
  virtual absl::StatusOr<BookingRecord> ConfirmHold(const std::string& holder,
                                                    const std::string& trip_id,
                                                    const std::string& hold_id,
                                                    int64_t version) = 0;
  /// Frees some seats of a booking (all when `seats` is empty); returns it as it was.
  virtual absl::StatusOr<BookingRecord> CancelBooking(const std::string& trip_id,
                                                      const std::string& booking_id,
                                                      const std::vector<std::string>& seats) = 0;

  /// An operator keeps seats of its own trip off sale for a journey (both codes empty: the
  /// whole trip), or puts them back.
  virtual absl::StatusOr<BookingRecord> BlockSeats(const std::string& org_id,
                                                   const std::string& trip_id,
                                                   const std::vector<std::string>& seats,
                                                   const std::string& from,
                                                   const std::string& to) = 0;
  virtual absl::Status UnblockSeats(const std::string& org_id, const std::string& trip_id,
                                    const std::string& block_id) = 0;
  /// The organization's blocks on its own trip that still keep seats off sale, oldest first,
  /// with the trip's stop codes (a block's journey indexes them). trip_not_found for another
  /// organization's trip.
  virtual absl::StatusOr<TripBlocks> ListBlocks(const std::string& org_id,
                                                const std::string& trip_id) = 0;
};

}  // namespace travio::inventory
