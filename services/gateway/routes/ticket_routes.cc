#include "services/gateway/routes/ticket_routes.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/rfc3339.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"
#include "platform/http/json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using fulfillment::FulfillmentClient;
using fulfillment::ScanOutcome;
using identity::Permission;
using nlohmann::json;

// A code a phone camera reads is a few hundred characters; a batch a device kept offline for
// a full bus and more.
constexpr size_t kMaxQrBytes = 2048;
constexpr size_t kMaxNumberBytes = 32;
constexpr size_t kMaxSyncScans = 1000;

// Whether a reader may hold a ticket's code: the code boards a passenger, so only the buyer and
// staff who sell (a reprint at the counter) see it; a conductor or a viewer sees the ticket.
enum class CodeAccess { kWithheld, kShown };

json TicketJson(const fulfillment::TicketView& view, CodeAccess access) {
  const fulfillment::Ticket& ticket = view.ticket;
  json out = {
      {"id", ticket.id},
      {"number", ticket.number},
      {"order_id", ticket.order_id},
      {"trip_id", ticket.trip_id},
      {"seat", ticket.seat},
      {"passenger", {{"name", ticket.passenger}}},
      {"from", ticket.from},
      {"to", ticket.to},
      {"departure", Instant(ticket.departure)},
      {"fare", MoneyJson(ticket.fare)},
      {"status", fulfillment::StatusName(ticket.status)},
      {"qr", access == CodeAccess::kShown ? json(ticket.qr) : json(nullptr)},
      {"pdf_url",
       view.pdf_url.empty() || access != CodeAccess::kShown ? json(nullptr) : json(view.pdf_url)}};
  if (!ticket.deck.empty()) out["deck"] = ticket.deck;
  if (ticket.boarded_at) out["boarded_at"] = Instant(*ticket.boarded_at);
  return out;
}

http::Response Pdf(const fulfillment::Document& document) {
  http::Response response = http::Response::Text(200, document.bytes, document.content_type);
  response.SetHeader("Content-Disposition",
                     absl::StrCat("inline; filename=\"", document.filename, "\""));
  // A ticket is personal: never kept by a shared cache.
  response.SetHeader("Cache-Control", "private, no-store");
  return response;
}

class TicketRoutes {
 public:
  TicketRoutes(std::shared_ptr<FulfillmentClient> tickets,
               std::shared_ptr<order::OrderClient> orders,
               std::shared_ptr<identity::IdentityClient> identity)
      : tickets_(std::move(tickets)), orders_(std::move(orders)), identity_(std::move(identity)) {}

  // The buyer and the operator's staff; or whoever holds the booking's manage link
  // (?expires=&signature= of the email's "see or change your booking"), as the buyer.
  http::Response Get(http::Request& request, const Caller& caller) {
    const std::string ticket_id = request.PathParam("ticket_id");
    if (request.Query("signature")) {
      // A link that opens nothing answers the same whether the ticket exists or not.
      const absl::Status refused =
          Error(reasons::kInvalidLink, "This ticket link is not valid or has expired.");
      if (!IsUuid(ticket_id)) return Fail(refused);
      auto ticket = tickets_->GetTicket(ticket_id);
      if (!ticket.ok()) {
        return Fail(ticket.status().code() == absl::StatusCode::kNotFound ? refused
                                                                          : ticket.status());
      }
      const absl::Status linked =
          CheckLink(request, fulfillment::ManageLinkResource(ticket->ticket.order_id));
      if (!linked.ok()) return Fail(linked);
      return http::Json(200, TicketJson(*ticket, CodeAccess::kShown));
    }
    auto ticket = ReadableTicket(ticket_id, caller);
    if (!ticket.ok()) return Fail(ticket.status());
    return http::Json(200, TicketJson(ticket->first, ticket->second));
  }

  // A ticket's PDF: for a signed link's holder, or the buyer and the operator's staff.
  http::Response TicketPdf(http::Request& request, const Caller& caller) {
    const std::string ticket_id = request.PathParam("ticket_id");
    if (!IsUuid(ticket_id)) return Fail(TicketNotFound());
    if (request.Query("signature")) {
      if (auto linked = CheckLink(request, absl::StrCat("tickets/", ticket_id, "/pdf"));
          !linked.ok()) {
        return Fail(linked);
      }
    } else {
      auto ticket = ReadableTicket(ticket_id, caller);
      if (!ticket.ok()) return Fail(ticket.status());
      if (ticket->second != CodeAccess::kShown) return Fail(CodesWithheld());
    }
    auto document = tickets_->TicketPdf(ticket_id);
    if (!document.ok()) return Fail(document.status());
    return Pdf(*document);
  }

  http::Response OrderPdf(http::Request& request, const Caller& caller) {
    const std::string order_id = request.PathParam("order_id");
    if (!IsUuid(order_id)) return Fail(OrderNotFound());
    if (request.Query("signature")) {
      if (auto linked = CheckLink(request, absl::StrCat("orders/", order_id, "/tickets.pdf"));
          !linked.ok()) {
        return Fail(linked);
      }
    } else {
      if (!caller.authenticated()) return Fail(OrderNotFound());
      auto order = orders_->GetOrder(order_id);
      if (!order.ok()) return Fail(order.status());
      const std::optional<CodeAccess> access = Access(caller, order->buyer, order->org_id);
      if (!access) return Fail(OrderNotFound());
      if (*access != CodeAccess::kShown) return Fail(CodesWithheld());
    }
    auto document = tickets_->OrderPdf(order_id);
    if (!document.ok()) return Fail(document.status());
    return Pdf(*document);
  }

  http::Response Scan(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    fulfillment::Scan scan{.qr = body->Optional("qr", kMaxQrBytes),
                           .number = body->Optional("number", kMaxNumberBytes),
                           .trip_id = body->Required("trip_id", 64),
                           .device_id = body->Optional("device_id", 64),
                           .scanned_at = std::nullopt};
    if (scan.qr.empty() == scan.number.empty()) {
      body->AddError("qr", "send the ticket's code (qr) or its typed number, one of them");
    }
    if (!scan.trip_id.empty() && !IsUuid(scan.trip_id))
      body->AddError("trip_id", "must be a trip id");
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto results = tickets_->Board({.org_id = caller.membership->org_id,
                                    .scanned_by = caller.user_id(),
                                    .crew_only = CrewOnly(caller),
                                    .scans = {std::move(scan)}});
    if (!results.ok()) return Fail(results.status());
    const fulfillment::ScanResult& result = results->front();
    switch (result.outcome) {
      case ScanOutcome::kBoarded:
        return http::Json(200, ScanJson(result));
      case ScanOutcome::kAlreadyBoarded: {
        http::Response response = Fail(Error(
            reasons::kAlreadyBoarded, absl::StrCat("Seat ", result.seat, " boarded already.")));
        json problem = json::parse(response.body);
        problem["boarded_at"] = result.boarded_at ? json(Instant(*result.boarded_at)) : json();
        problem["ticket_id"] = result.ticket_id;
        problem["seat"] = result.seat;
        response.body = problem.dump();
        return response;
      }
      case ScanOutcome::kVoid:
        return Fail(
            Error(reasons::kTicketVoid,
                  absl::StrCat("Seat ", result.seat, " was cancelled; this ticket is void.")));
      case ScanOutcome::kWrongTrip:
        return Fail(Error(reasons::kWrongTrip, "This ticket is for another trip."));
      case ScanOutcome::kInvalid:
        break;
    }
    return Fail(Error(reasons::kInvalidQr, "This code is not a valid ticket."));
  }

  http::Response Pack(http::Request& request, const Caller& caller) {
    const std::string trip_id = request.PathParam("trip_id");
    if (!IsUuid(trip_id)) return Fail(Error(reasons::kTripNotFound, "No such trip."));
    auto pack = tickets_->Pack(caller.membership->org_id, trip_id,
                               {.user_id = caller.user_id(), .crew_only = CrewOnly(caller)});
    if (!pack.ok()) return Fail(pack.status());
    json keys = json::array();
    for (const fulfillment::TicketKey& key : pack->keys) {
      keys.push_back({{"kid", key.kid},
                      {"version", "v4"},
                      {"purpose", "public"},
                      {"use", "ticket"},
                      {"public_key", crypto::HexEncode(key.public_key)}});
    }
    json tickets = json::array();
    for (const fulfillment::Ticket& ticket : pack->tickets) {
      json out = {{"id", ticket.id},
                  {"number", ticket.number},
                  {"seat", ticket.seat},
                  {"passenger", ticket.passenger},
                  {"from", ticket.from},
                  {"to", ticket.to},
                  {"status", fulfillment::StatusName(ticket.status)}};
      if (ticket.boarded_at) out["boarded_at"] = Instant(*ticket.boarded_at);
      tickets.push_back(std::move(out));
    }
    return http::Json(200, {{"trip", {{"id", pack->trip_id}}},
                            {"keys", std::move(keys)},
                            {"tickets", std::move(tickets)}});
  }

  http::Response Sync(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const json scans = body->Raw("scans", true);
    fulfillment::ScanCommand command{.org_id = caller.membership->org_id,
                                     .scanned_by = caller.user_id(),
                                     .crew_only = CrewOnly(caller),
                                     .scans = {}};
    if (!scans.is_null()) {
      if (!scans.is_array() || scans.empty() || scans.size() > kMaxSyncScans) {
        body->AddError("scans", "must be a list of 1 to 1000 scans");
      } else {
        for (size_t i = 0; i < scans.size(); ++i) ReadScan(scans[i], i, command, *body);
      }
    }
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto results = tickets_->Board(command);
    if (!results.ok()) return Fail(results.status());
    json out = json::array();
    for (const fulfillment::ScanResult& result : *results) {
      json line = ScanJson(result);
      // Offline scans name no trip: a code of another trip is simply not valid here.
      const ScanOutcome outcome =
          result.outcome == ScanOutcome::kWrongTrip ? ScanOutcome::kInvalid : result.outcome;
      line["status"] = fulfillment::OutcomeName(outcome);
      if (result.ticket_id.empty()) line["ticket_id"] = nullptr;
      out.push_back(std::move(line));
    }
    return http::Json(200, {{"results", std::move(out)}});
  }

 private:
  // Managers (and above) board on any trip of theirs; a conductor on the trips they crew.
  static bool CrewOnly(const Caller& caller) {
    return caller.membership->role == identity::Role::kConductor;
  }

  static absl::Status TicketNotFound() {
    return Error(reasons::kTicketNotFound, "No such ticket.");
  }
  static absl::Status OrderNotFound() { return Error(reasons::kOrderNotFound, "No such order."); }
  static absl::Status CodesWithheld() {
    return Error(reasons::kForbidden,
                 "A ticket's PDF holds its boarding code: only the buyer and sales staff may "
                 "download it.");
  }

  static json ScanJson(const fulfillment::ScanResult& result) {
    return {{"ticket_id", result.ticket_id},
            {"number", result.number},
            {"seat", result.seat},
            {"passenger", result.passenger},
            {"boarded_at", result.boarded_at ? json(Instant(*result.boarded_at)) : json()}};
  }

  static void ReadScan(const json& in, size_t index, fulfillment::ScanCommand& command,
                       JsonBody& body) {
    const std::string field = absl::StrCat("scans[", index, "]");
    if (!in.is_object()) {
      body.AddError(field, "must be an object");
      return;
    }
    fulfillment::Scan scan;
    for (const auto& [key, value] : in.items()) {
      if (key == "qr" && value.is_string() && value.get<std::string>().size() <= kMaxQrBytes) {
        scan.qr = value.get<std::string>();
      } else if (key == "number" && value.is_string() &&
                 value.get<std::string>().size() <= kMaxNumberBytes) {
        scan.number = value.get<std::string>();
      } else if (key == "trip_id" && value.is_string() && IsUuid(value.get<std::string>())) {
        scan.trip_id = value.get<std::string>();
      } else if (key == "device_id" && value.is_string() && value.get<std::string>().size() <= 64) {
        scan.device_id = value.get<std::string>();
      } else if (key == "scanned_at" && value.is_string()) {
        absl::StatusOr<absl::Time> at = ParseRfc3339(value.get<std::string>());
        if (!at.ok() || *at <= absl::UnixEpoch()) {
          // (The epoch itself would read as "no time" further in: a scan had a time.)
          body.AddError(field + ".scanned_at", "must be an RFC 3339 instant after 1970");
        } else {
          scan.scanned_at = *at;
        }
      } else {
        body.AddError(absl::StrCat(field, ".", key), "unknown field or wrong type");
      }
    }
    if (scan.qr.empty() == scan.number.empty()) {
      body.AddError(field + ".qr", "send the ticket's code (qr) or its typed number, one of them");
    }
    // A typed number is looked up among one trip's tickets: the device says which.
    if (!scan.number.empty() && scan.trip_id.empty()) {
      body.AddError(field + ".trip_id", "required with a typed number");
    }
    if (!scan.scanned_at) body.AddError(field + ".scanned_at", "required");
    command.scans.push_back(std::move(scan));
  }

  absl::Status CheckLink(const http::Request& request, const std::string& resource) {
    return tickets_->CheckLink(resource, request.Query("expires").value_or(""),
                               request.Query("signature").value_or(""));
  }

  // Who may read a ticket: the buyer and staff of the operator who read sales, sell or board
  // passengers (nullopt for anyone else); and whether they may hold its code.
  std::optional<CodeAccess> Access(const Caller& caller, const std::string& buyer,
                                   const std::string& org_id) {
    if (!caller.authenticated()) return std::nullopt;
    if (buyer == caller.user_id()) return CodeAccess::kShown;
    if (caller.guest()) return std::nullopt;
    auto membership = identity_->ResolveMembership(caller.user_id(), org_id);
    if (!membership.ok()) return std::nullopt;
    if (identity::RoleAllows(membership->role, Permission::kSalesCreate)) return CodeAccess::kShown;
    if (identity::RoleAllows(membership->role, Permission::kReportsRead) ||
        identity::RoleAllows(membership->role, Permission::kBoardingScan)) {
      return CodeAccess::kWithheld;
    }
    return std::nullopt;
  }

  absl::StatusOr<std::pair<fulfillment::TicketView, CodeAccess>> ReadableTicket(
      const std::string& ticket_id, const Caller& caller) {
    if (!IsUuid(ticket_id) || !caller.authenticated()) return TicketNotFound();
    TRAVIO_ASSIGN_OR_RETURN(fulfillment::TicketView ticket, tickets_->GetTicket(ticket_id));
    const std::optional<CodeAccess> access =
        Access(caller, ticket.ticket.buyer, ticket.ticket.org_id);
    if (!access) return TicketNotFound();
    return std::make_pair(std::move(ticket), *access);
  }

  std::shared_ptr<FulfillmentClient> tickets_;
  std::shared_ptr<order::OrderClient> orders_;
  std::shared_ptr<identity::IdentityClient> identity_;
};

}  // namespace

void AddTicketsToOrderJson(const fulfillment::OrderTickets& tickets, bool with_links, json& order) {
  order["fulfillment"] = {{"status", fulfillment::StatusName(tickets.status)}};
  json list = json::array();
  std::map<std::string, std::string> by_seat;  // the seat's valid ticket, else its last one
  for (const fulfillment::TicketView& view : tickets.tickets) {
    const fulfillment::Ticket& ticket = view.ticket;
    list.push_back(
        {{"id", ticket.id},
         {"number", ticket.number},
         {"seat", ticket.seat},
         {"passenger", ticket.passenger},
         {"status", fulfillment::StatusName(ticket.status)},
         {"pdf_url", view.pdf_url.empty() || !with_links ? json(nullptr) : json(view.pdf_url)}});
    by_seat[ticket.seat] = ticket.id;
  }
  order["tickets"] = std::move(list);
  order["pdf_url"] = tickets.pdf_url.empty() || !with_links ? json(nullptr) : json(tickets.pdf_url);
  if (order.contains("items") && order["items"].is_array()) {
    for (json& item : order["items"]) {
      auto found = by_seat.find(item.value("seat", ""));
      if (found != by_seat.end()) item["ticket_id"] = found->second;
    }
  }
}

absl::Status AddTicketRoutes(SecureRoutes& routes, std::shared_ptr<FulfillmentClient> tickets,
                             std::shared_ptr<order::OrderClient> orders,
                             std::shared_ptr<identity::IdentityClient> identity) {
  auto handlers =
      std::make_shared<TicketRoutes>(std::move(tickets), std::move(orders), std::move(identity));
  auto bind = [&handlers](http::Response (TicketRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  const RoutePolicy anyone{.access = Access::kPublic};
  const RoutePolicy traveller{.access = Access::kAuthenticated};
  const json pdf = {{"type", "string"}, {"format", "binary"}};
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/tickets/{ticket_id}",
       .policy = traveller,
       .handler = bind(&TicketRoutes::Get),
       .doc = {.summary = "A ticket with its QR code text and PDF link (its buyer, or its "
                          "operator's staff; or with its order's manage link ?expires=&signature=)",
               .tag = "tickets",
               .success_status = 200,
               .response = {{"type", "object"}},
               .errors = {404}}},
      {.method = "GET",
       .pattern = "/v1/tickets/{ticket_id}/pdf",
       .policy = anyone,
       .handler = bind(&TicketRoutes::TicketPdf),
       .doc = {.summary = "One ticket as a PDF page: with the signed link's expires and "
                          "signature, or as its buyer or the operator's staff",
               .tag = "tickets",
               .success_status = 200,
               .response = pdf,
               .errors = {403, 404, 410}},
       // A PDF costs more than a read: it is limited like orders.
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/orders/{order_id}/tickets.pdf",
       .policy = anyone,
       .handler = bind(&TicketRoutes::OrderPdf),
       .doc = {.summary = "The order's valid tickets as one PDF, a page each: with the signed "
                          "link's expires and signature, or as its buyer or the operator's staff",
               .tag = "tickets",
               .success_status = 200,
               .response = pdf,
               .errors = {403, 404, 409}},
       .traffic = TrafficClass::kOrders},
      {.method = "POST",
       .pattern = "/v1/boarding/scan",
       .policy = OrgPolicy(Permission::kBoardingScan),
       .handler = bind(&TicketRoutes::Scan),
       .doc = {.summary = "Board the passenger whose QR code was scanned (qr) or whose ticket "
                          "number was typed (number) at the door of trip_id (409 "
                          "already_boarded with boarded_at, 410 ticket_void, 422 wrong_trip, "
                          "400 invalid_qr)",
               .tag = "boarding",
               .request = ObjectSchema({{"qr", TextSchema(2048)},
                                        {"number", TextSchema(32)},
                                        {"trip_id", TextSchema(36)},
                                        {"device_id", TextSchema(64)}},
                                       {"trip_id"}),
               .success_status = 200,
               .response = {{"type", "object"}},
               .errors = {400, 404, 409, 410, 422}},
       .traffic = TrafficClass::kOrders},
      {.method = "GET",
       .pattern = "/v1/operator/trips/{trip_id}/boarding-pack",
       .policy = OrgPolicy(Permission::kBoardingScan),
       .handler = bind(&TicketRoutes::Pack),
       .doc = {.summary = "What a conductor's device needs to scan offline: the keys that verify "
                          "ticket codes and the trip's tickets with their status",
               .tag = "boarding",
               .success_status = 200,
               .response = {{"type", "object"}},
               .errors = {404}}},
      {.method = "POST",
       .pattern = "/v1/boarding/sync",
       .policy = OrgPolicy(Permission::kBoardingScan),
       .handler = bind(&TicketRoutes::Sync),
       .doc = {.summary = "Upload scans made offline; the first scan of a ticket wins, and each "
                          "scan's outcome is answered in order",
               .tag = "boarding",
               .request = ObjectSchema({{"scans",
                                         {{"type", "array"},
                                          {"maxItems", 1000},
                                          {"items", ObjectSchema({{"qr", TextSchema(2048)},
                                                                  {"number", TextSchema(32)},
                                                                  {"trip_id", TextSchema(36)},
                                                                  {"scanned_at", TextSchema(40)},
                                                                  {"device_id", TextSchema(64)}},
                                                                 {"scanned_at"})}}}},
                                       {"scans"}),
               .success_status = 200,
               .response = {{"type", "object"}},
               .errors = {400, 404}},
       .traffic = TrafficClass::kOrders},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
