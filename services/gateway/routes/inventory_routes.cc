#include "services/gateway/routes/inventory_routes.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"
#include "platform/base/text.h"
#include "platform/http/json.h"
#include "services/gateway/routes/counter_sales.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using inventory::InventoryClient;
using nlohmann::json;

json HoldJson(const inventory::HoldView& hold) {
  json prices = json::array();
  for (const inventory::SeatPrice& price : hold.prices) {
    json rules = json::array();
    for (const inventory::RuleVersion& rule : price.rules) {
      rules.push_back({{"rule_id", rule.rule_id}, {"version", rule.version}});
    }
    prices.push_back({{"seat", price.seat},
                      {"amount", price.amount},
                      {"currency", price.currency},
                      {"base", price.base},
                      {"rules", std::move(rules)}});
  }
  return {{"hold_id", hold.hold_id}, {"trip_id", hold.trip_id},
          {"seats", hold.seats},     {"from", hold.from},
          {"to", hold.to},           {"expires_at", Instant(hold.expires_at)},
          {"version", hold.version}, {"total", MoneyJson(hold.total)},
          {"prices", prices}};
}

json SeatMapJson(const inventory::SeatMap& map) {
  json decks = json::array();
  for (const inventory::SeatMapDeck& deck : map.decks) {
    json cells = json::array();
    for (const inventory::SeatMapCell& cell : deck.cells) {
      json drawn = {{"row", cell.row}, {"col", cell.col}, {"type", cell.type}};
      if (!cell.label.empty()) drawn["label"] = cell.label;
      if (!cell.category.empty()) drawn["category"] = cell.category;
      if (!cell.status.empty()) drawn["status"] = cell.status;
      cells.push_back(std::move(drawn));
    }
    decks.push_back(
        {{"name", deck.name}, {"rows", deck.rows}, {"cols", deck.cols}, {"cells", cells}});
  }
  return {{"trip_id", map.trip_id},
          {"from", map.from},
          {"to", map.to},
          {"available", map.available},
          {"decks", decks}};
}

class InventoryRoutes {
 public:
  InventoryRoutes(std::shared_ptr<InventoryClient> inventory, std::shared_ptr<SeatFeed> feed,
                  std::shared_ptr<TrafficControl> traffic, std::shared_ptr<QueueGuard> guard)
      : inventory_(std::move(inventory)),
        feed_(std::move(feed)),
        traffic_(std::move(traffic)),
        guard_(std::move(guard)) {}

  http::Response SeatMap(http::Request& request, const Caller&) {
    const std::string from = request.Query("from").value_or("");
    const std::string to = request.Query("to").value_or("");
    std::vector<FieldError> errors;
    CheckJourney(from, to, errors);
    if (!errors.empty()) return Fail(Invalid(errors));
    auto map = inventory_->GetSeatMap(request.PathParam("trip_id"), from, to);
    if (!map.ok()) return Fail(map.status());
    return http::Json(200, SeatMapJson(*map));
  }

  // Server-sent events of the trip's seat changes, after checking the trip exists.
  http::Response SeatStream(http::Request& request, const Caller&) {
    const std::string trip_id = request.PathParam("trip_id");
    // The place is taken first, so a refused client costs no call to inventory; it is given
    // back when the stream is dropped.
    auto stream = feed_->Watch(trip_id, request.remote_address);
    if (!stream.ok()) return Fail(stream.status());
    auto map = inventory_->GetSeatMap(trip_id, "", "");
    if (!map.ok()) return Fail(map.status());
    http::Response response;
    response.status = 200;
    response.SetHeader("Content-Type", "text/event-stream");
    response.stream = *std::move(stream);
    return response;
  }

  http::Response Lock(http::Request& request, const Caller& caller) {
    auto command = HoldCommandOf(request, caller.user_id());
    if (!command.ok()) return Fail(command.status());
    if (guard_ != nullptr) {
      QueueGuard::Verdict admitted =
          guard_->Check(command->trip_id, caller.user_id(), request.Header("Queue-Token"));
      if (!admitted.status.ok()) {
        http::Response refused = Fail(admitted.status);
        // The problem names the room, so a client knows where to queue.
        if (!admitted.room_id.empty() && refused.status < 500) {
          json problem = json::parse(refused.body, nullptr, /*allow_exceptions=*/false);
          if (problem.is_object()) {
            problem["room_id"] = admitted.room_id;
            refused.body = problem.dump();
          }
        }
        return refused;
      }
    }
    auto hold = inventory_->HoldSeats(*command);
    if (!hold.ok()) return Fail(hold.status());
    // The seats held at once by this address and this traveller on the trip are capped, so
    // minting guests cannot take a whole trip: a hold beyond a cap is released at once.
    if (traffic_ != nullptr) {
      if (auto capped = traffic_->TakeSeats(
              command->trip_id, request.remote_address, caller.user_id(), hold->hold_id,
              static_cast<int64_t>(hold->seats.size()), hold->expires_at);
          !capped.ok()) {
        (void)inventory_->ReleaseHold(caller.user_id(), hold->hold_id);
        return Fail(capped);
      }
    }
    http::Response response = http::Json(201, HoldJson(*hold));
    response.SetHeader("Location", "/v1/inventory/lock/" + hold->hold_id);
    return response;
  }

  // A hold for a counter sale: the operator's own trip only, held by the counter
  // (CounterBuyer). Staff serve the people standing at the counter, so neither the waiting
  // room nor the per-traveller caps apply; the hold limit per holder does.
  http::Response CounterLock(http::Request& request, const Caller& caller) {
    auto command = HoldCommandOf(request, CounterBuyer(caller));
    if (!command.ok()) return Fail(command.status());
    // Another operator's trip is no trip at all to this one's counter.
    if (auto own = inventory_->ListBlocks(caller.membership->org_id, command->trip_id); !own.ok()) {
      return Fail(own.status());
    }
    auto hold = inventory_->HoldSeats(*command);
    if (!hold.ok()) return Fail(hold.status());
    return http::Json(201, HoldJson(*hold));
  }

  http::Response CounterRelease(http::Request& request, const Caller& caller) {
    auto status = inventory_->ReleaseHold(CounterBuyer(caller), request.PathParam("hold_id"));
    if (!status.ok()) return Fail(status);
    return http::Response::NoContent();
  }

  http::Response GetLock(http::Request& request, const Caller& caller) {
    auto hold = inventory_->GetHold(caller.user_id(), request.PathParam("hold_id"));
    if (!hold.ok()) return Fail(hold.status());
    return http::Json(200, HoldJson(*hold));
  }

  http::Response DeleteLock(http::Request& request, const Caller& caller) {
    const std::string hold_id = request.PathParam("hold_id");
    auto hold = inventory_->GetHold(caller.user_id(), hold_id);
    auto status = inventory_->ReleaseHold(caller.user_id(), hold_id);
    if (!status.ok()) return Fail(status);
    // The released seats no longer count against the caller's caps.
    if (traffic_ != nullptr && hold.ok()) {
      traffic_->DropSeats(hold->trip_id, request.remote_address, caller.user_id(), hold_id);
    }
    return http::Response::NoContent();
  }

  http::Response Block(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::vector<std::string> seats = body->Strings("seats", 100, 8);
    const std::string from = body->Optional("from", 16);
    const std::string to = body->Optional("to", 16);
    std::vector<FieldError> journey;
    CheckJourney(from, to, journey);
    for (FieldError& error : journey) body->AddError(error.field, error.message);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    const std::string trip_id = request.PathParam("trip_id");
    auto block = inventory_->BlockSeats(caller.membership->org_id, trip_id, seats, from, to);
    if (!block.ok()) return Fail(block.status());
    auto map = inventory_->GetSeatMap(trip_id, "", "");
    // The stops' codes, for the answer; the block itself is already made.
    std::string from_code = from;
    std::string to_code = to;
    if (from.empty() && map.ok()) {
      from_code = map->from;
      to_code = map->to;
    }
    return http::Json(201, {{"id", block->id},
                            {"trip_id", block->trip_id},
                            {"seats", block->seats},
                            {"from", from_code},
                            {"to", to_code}});
  }

  http::Response Blocks(http::Request& request, const Caller& caller) {
    auto blocks = inventory_->ListBlocks(caller.membership->org_id, request.PathParam("trip_id"));
    if (!blocks.ok()) return Fail(blocks.status());
    auto stop = [&](int index) {
      return index >= 0 && static_cast<size_t>(index) < blocks->stops.size()
                 ? blocks->stops[static_cast<size_t>(index)]
                 : std::string();
    };
    json items = json::array();
    for (const inventory::BookingRecord& block : blocks->blocks) {
      items.push_back({{"id", block.id},
                       {"trip_id", block.trip_id},
                       {"seats", block.seats},
                       {"from", stop(block.journey.from)},
                       {"to", stop(block.journey.to)},
                       {"created_at", Instant(block.created_at)}});
    }
    return http::Json(200, {{"items", std::move(items)}, {"next_cursor", nullptr}});
  }

  http::Response Unblock(http::Request& request, const Caller& caller) {
    auto status = inventory_->UnblockSeats(caller.membership->org_id, request.PathParam("trip_id"),
                                           request.PathParam("block_id"));
    if (!status.ok()) return Fail(status);
    return http::Response::NoContent();
  }

 private:
  // Both station codes or neither (the whole trip).
  static void CheckJourney(const std::string& from, const std::string& to,
                           std::vector<FieldError>& errors) {
    if (from.empty() != to.empty()) {
      errors.push_back({from.empty() ? "from" : "to", "give both from and to, or neither"});
    }
    if (!from.empty() && !IsStationCode(from)) errors.push_back({"from", "must be a station code"});
    if (!to.empty() && !IsStationCode(to)) errors.push_back({"to", "must be a station code"});
  }
  static absl::Status Invalid(const std::vector<FieldError>& errors) {
    return WithFieldErrors(Error(reasons::kValidationFailed, "The query is invalid."), errors);
  }

  // A hold's body, for `holder`; 400 validation_failed naming each bad field.
  static absl::StatusOr<inventory::HoldCommand> HoldCommandOf(http::Request& request,
                                                              std::string holder) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return body.status();
    inventory::HoldCommand command{.holder = std::move(holder),
                                   .trip_id = body->Required("trip_id", 64),
                                   .seats = body->Strings("seats", 100, 8),
                                   .from = body->Optional("from", 16),
                                   .to = body->Optional("to", 16)};
    if (!command.trip_id.empty() && !IsUuid(command.trip_id)) {
      body->AddError("trip_id", "must be a trip id");
    }
    std::vector<FieldError> journey;
    CheckJourney(command.from, command.to, journey);
    for (FieldError& error : journey) body->AddError(error.field, error.message);
    TRAVIO_RETURN_IF_ERROR(body->Finish());
    return command;
  }

  std::shared_ptr<InventoryClient> inventory_;
  std::shared_ptr<SeatFeed> feed_;
  std::shared_ptr<TrafficControl> traffic_;
  std::shared_ptr<QueueGuard> guard_;
};

}  // namespace

absl::Status AddInventoryRoutes(SecureRoutes& routes, std::shared_ptr<InventoryClient> inventory,
                                std::shared_ptr<SeatFeed> feed,
                                std::shared_ptr<TrafficControl> traffic,
                                std::shared_ptr<QueueGuard> guard) {
  auto handlers = std::make_shared<InventoryRoutes>(std::move(inventory), std::move(feed),
                                                    std::move(traffic), std::move(guard));
  auto bind = [&handlers](http::Response (InventoryRoutes::*method)(
                  http::Request&, const Caller&)) { return Bind(handlers, method); };
  const RoutePolicy traveller{.access = Access::kAuthenticated};
  const json seats = {{"type", "array"}, {"items", TextSchema(8)}, {"maxItems", 100}};
  // A hold's body, for a traveller's hold and a counter's alike.
  const json hold_request = ObjectSchema({{"trip_id", TextSchema(36)},
                                          {"seats", seats},
                                          {"from", TextSchema(16)},
                                          {"to", TextSchema(16)}},
                                         {"trip_id", "seats"});
  const std::vector<RouteSpec> table = {
      {.method = "GET",
       .pattern = "/v1/trips/{trip_id}/seats",
       .policy = RoutePolicy{.access = Access::kPublic},
       .handler = bind(&InventoryRoutes::SeatMap),
       .doc = {.summary = "Every seat's status for a journey (?from=&to= station codes; whole trip "
                          "when absent)",
               .tag = "inventory",
               .success_status = 200,
               .response = SchemaRef("SeatMap"),
               .errors = {404, 422}}},
      {.method = "GET",
       .pattern = "/v1/trips/{trip_id}/seats/stream",
       .policy = RoutePolicy{.access = Access::kPublic},
       .handler = bind(&InventoryRoutes::SeatStream),
       .doc = {.summary = "Server-sent events of the trip's seat changes (event `seats`, data "
                          "{type, trip_id, "
                          "seats, from, to, status})",
               .tag = "inventory",
               .success_status = 200,
               .errors = {404, 429, 503}}},
      {.method = "POST",
       .pattern = "/v1/inventory/lock",
       .policy = traveller,
       .handler = bind(&InventoryRoutes::Lock),
       .doc = {.summary = "Hold seats for a journey, all or none; the price is frozen for the hold",
               .tag = "inventory",
               .request = hold_request,
               .success_status = 201,
               .response = SchemaRef("Hold"),
               .errors = {403, 409, 422, 428, 429}},
       .traffic = TrafficClass::kHolds},
      {.method = "GET",
       .pattern = "/v1/inventory/lock/{hold_id}",
       .policy = traveller,
       .handler = bind(&InventoryRoutes::GetLock),
       .doc = {.summary = "One of the caller's live holds",
               .tag = "inventory",
               .success_status = 200,
               .response = SchemaRef("Hold"),
               .errors = {404}},
       .traffic = TrafficClass::kHolds},
      {.method = "DELETE",
       .pattern = "/v1/inventory/lock/{hold_id}",
       .policy = traveller,
       .handler = bind(&InventoryRoutes::DeleteLock),
       .doc = {.summary = "Release one of the caller's holds",
               .tag = "inventory",
               .success_status = 204,
               .errors = {404}},
       .traffic = TrafficClass::kHolds},
      {.method = "POST",
       .pattern = "/v1/operator/holds",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&InventoryRoutes::CounterLock),
       .doc = {.summary = "Hold seats of one of the organization's trips for a counter sale "
                          "(held by the counter, not the staff member's own account)",
               .tag = "sales",
               .request = hold_request,
               .success_status = 201,
               .response = SchemaRef("Hold"),
               .errors = {404, 409, 422, 429}},
       .traffic = TrafficClass::kHolds},
      {.method = "DELETE",
       .pattern = "/v1/operator/holds/{hold_id}",
       .policy = OrgPolicy(Permission::kSalesCreate),
       .handler = bind(&InventoryRoutes::CounterRelease),
       .doc = {.summary = "Release a counter sale's hold made by the caller",
               .tag = "sales",
               .success_status = 204,
               .errors = {404}},
       .traffic = TrafficClass::kHolds},
      {.method = "POST",
       .pattern = "/v1/operator/trips/{trip_id}/blocks",
       .policy = OrgPolicy(Permission::kCatalogManage),
       .handler = bind(&InventoryRoutes::Block),
       .doc =
           {.summary =
                "Keep seats of a trip off sale for a journey (whole trip when from/to are absent)",
            .tag = "inventory",
            .request = ObjectSchema(
                {{"seats", seats}, {"from", TextSchema(16)}, {"to", TextSchema(16)}}, {"seats"}),
            .success_status = 201,
            .response = SchemaRef("SeatBlock"),
            .errors = {404, 409, 422}}},
      {.method = "GET",
       .pattern = "/v1/operator/trips/{trip_id}/blocks",
       .policy = OrgPolicy(Permission::kCatalogRead),
       .handler = bind(&InventoryRoutes::Blocks),
       .doc = {.summary = "The trip's blocks that still keep seats off sale, oldest first (each "
                          "with the seats it keeps and its journey)",
               .tag = "inventory",
               .success_status = 200,
               .response = ListSchema("SeatBlock"),
               .errors = {404}}},
      {.method = "DELETE",
       .pattern = "/v1/operator/trips/{trip_id}/blocks/{block_id}",
       .policy = OrgPolicy(Permission::kCatalogManage),
       .handler = bind(&InventoryRoutes::Unblock),
       .doc = {.summary = "Put blocked seats back on sale",
               .tag = "inventory",
               .success_status = 204,
               .errors = {404}}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
