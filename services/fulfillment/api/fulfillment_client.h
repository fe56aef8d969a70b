#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "platform/base/enum_names.h"
#include "services/fulfillment/domain/ticket.h"

namespace grpc {
class Channel;
}
namespace travio::rpc {
struct CallPolicy;
}

namespace travio::fulfillment {

/// What a booking's manage link (OrderTicketsChanged::manage_url) signs: the link opens the
/// order's page in the traveller app, and lets whoever holds it read the order and cancel its
/// seats as its buyer would. Its own resource, so no PDF link's signature opens it.
inline std::string ManageLinkResource(std::string_view order_id) {
  return std::string("orders/").append(order_id).append("/manage");
}

/// Where an order's tickets stand (api.md `fulfillment.status`): pending until they are issued
/// and their PDF stored; failed while the last attempt failed (it is retried).
enum class FulfillmentStatus { kPending, kIssued, kFailed };
inline constexpr EnumName<FulfillmentStatus> kFulfillmentStatusNames[] = {
    {FulfillmentStatus::kPending, "pending"},
    {FulfillmentStatus::kIssued, "issued"},
    {FulfillmentStatus::kFailed, "failed"},
};
inline std::string_view StatusName(FulfillmentStatus status) {
  return NameOf(kFulfillmentStatusNames, status);
}

/// A ticket with its signed PDF link (valid until `pdf_url_expires_at`, no bearer needed).
struct TicketView {
  Ticket ticket;
  std::string pdf_url;
};

/// An order's tickets, void ones included, and the link to the PDF of those still valid.
struct OrderTickets {
  std::string order_id;
  FulfillmentStatus status = FulfillmentStatus::kPending;
  int attempts = 0;  // failed attempts since the last success
  std::vector<TicketView> tickets;
  std::string pdf_url;  // empty until issued, or when no ticket is valid
};

/// A rendered document.
struct Document {
  std::string filename;  // "travio-tickets-<order>.pdf"
  std::string content_type = "application/pdf";
  std::string bytes;
};

/// What a conductor's scan or an offline sync found.
enum class ScanOutcome { kBoarded, kAlreadyBoarded, kVoid, kWrongTrip, kInvalid };
inline constexpr EnumName<ScanOutcome> kScanOutcomeNames[] = {
    {ScanOutcome::kBoarded, "boarded"}, {ScanOutcome::kAlreadyBoarded, "already_boarded"},
    {ScanOutcome::kVoid, "void"},       {ScanOutcome::kWrongTrip, "wrong_trip"},
    {ScanOutcome::kInvalid, "invalid"},
};
inline std::string_view OutcomeName(ScanOutcome outcome) {
  return NameOf(kScanOutcomeNames, outcome);
}

/// One scan: the QR text read at the door of `trip_id`, by `scanned_by` (a member's id) on
/// `device_id`, at `scanned_at` (the device's clock for offline scans; now for online ones).
/// One scan: a ticket's code (`qr`), or its number typed by a conductor when the code does not
/// scan (`number`, only with the `trip_id` being boarded).
struct Scan {
  std::string qr;
  std::string number;
  std::string trip_id;
  std::string device_id;
  std::optional<absl::Time> scanned_at;
};

struct ScanCommand {
  std::string org_id;
  std::string scanned_by;
  /// A conductor boards only on the trips they are on the crew of (catalog's assignments of a
  /// staff member linked to them); managers board on any trip of their operator.
  bool crew_only = false;
  std::vector<Scan> scans;  // one for POST /v1/boarding/scan; a batch for sync
};

/// Who asks for a boarding pack, with the same rule as ScanCommand::crew_only.
struct Scanner {
  std::string user_id;
  bool crew_only = false;
};

struct ScanResult {
  ScanOutcome outcome = ScanOutcome::kInvalid;
  std::string ticket_id;  // empty when the code was not a ticket
  std::string number;
  std::string seat;
  std::string passenger;
  std::optional<absl::Time> boarded_at;  // boarded and already_boarded: the first boarding
};

/// A public key that verifies ticket codes.
struct TicketKey {
  std::string kid;
  std::string public_key;  // 32 raw bytes (Ed25519)
};

/// What a conductor's device keeps to scan without a network (api.md boarding pack).
struct BoardingPack {
  std::string trip_id;
  std::string org_id;
  absl::Time departure;
  std::vector<TicketKey> keys;
  std::vector<Ticket> tickets;
};

/// The fulfillment service: tickets of paid orders, their PDFs, and boarding. In-process in the
/// monolith, over gRPC otherwise. Callers decide who may see an order or a ticket (the gateway
/// checks the buyer or the operator's staff); org-scoped calls answer kNotFound for another
/// organization's trip or ticket.
///
/// Errors: kNotFound `ticket_not_found`; kFailedPrecondition `tickets_not_issued` (no PDF yet);
/// kPermissionDenied `invalid_link` (a PDF link forged, altered or expired).
class FulfillmentClient {
 public:
  /// The service that answers: the module's name, and its gRPC peer's (Clients::Bind).
  static constexpr std::string_view kService = "fulfillment";
  /// The client of a remote fulfillment service, over a gRPC channel (mutual TLS, from the
  /// runtime), every call under `policy` (deadline, circuit breaker, retried reads)
  /// (api/grpc_*_client.cc).
  static std::shared_ptr<FulfillmentClient> OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                     const rpc::CallPolicy& policy);

  virtual ~FulfillmentClient() = default;

  /// The order's tickets; status pending (no tickets) for an order fulfillment has not seen.
  virtual absl::StatusOr<OrderTickets> TicketsOfOrder(const std::string& order_id) = 0;
  virtual absl::StatusOr<TicketView> GetTicket(const std::string& ticket_id) = 0;
  /// The PDF of the order's valid tickets, or of one ticket (a page).
  virtual absl::StatusOr<Document> OrderPdf(const std::string& order_id) = 0;
  virtual absl::StatusOr<Document> TicketPdf(const std::string& ticket_id) = 0;
  /// Checks a signed link: `resource` is "orders/<id>/tickets.pdf", "tickets/<id>/pdf" or
  /// ManageLinkResource(order id); `expires` and `signature` are the link's query parameters.
  virtual absl::Status CheckLink(const std::string& resource, const std::string& expires,
                                 const std::string& signature) = 0;

  /// Boards what the scans name, first scan wins, one result per scan in order. kNotFound
  /// `trip_not_found` when a scan names a trip of another organization; kPermissionDenied
  /// `not_on_crew` when a crew-only scanner names a trip they are not on (an offline scan of
  /// such a trip's ticket answers invalid).
  virtual absl::StatusOr<std::vector<ScanResult>> Board(const ScanCommand& command) = 0;
  /// The trip's tickets and the keys that verify their codes; `not_on_crew` as for Board.
  virtual absl::StatusOr<BoardingPack> Pack(const std::string& org_id, const std::string& trip_id,
                                            const Scanner& scanner) = 0;
  /// The keys that verify ticket codes (published at /.well-known/travio-keys).
  virtual absl::StatusOr<std::vector<TicketKey>> VerificationKeys() = 0;
};

}  // namespace travio::fulfillment
