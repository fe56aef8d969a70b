#include "services/gateway/routes/fleet_routes.h"

#include "absl/time/time.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/http/json.h"
#include "services/catalog/api/catalog_json.h"
#include "services/gateway/routes/json_body.h"
#include "services/gateway/routes/paging.h"
#include "services/gateway/routes/responses.h"
#include "services/gateway/routes/route_table.h"
#include "services/operator/api/layout_json.h"

namespace travio::gateway {
namespace {

using identity::Permission;
using nlohmann::json;

json BusJson(const fleet::Bus& bus) {
  return {{"id", bus.id},
          {"plate", bus.plate},
          {"name", bus.name},
          {"class", fleet::BusClassName(bus.bus_class)},
          {"ac", bus.ac},
          {"amenities", bus.amenities},
          {"capacity", bus.layout.Capacity()},
          {"seats_for_sale", bus.layout.SellableCapacity()},
          {"layout", fleet::LayoutToJson(bus.layout)},
          {"version", bus.version},
          {"created_at", Instant(bus.created_at)},
          {"updated_at", Instant(bus.updated_at)}};
}

json StaffJson(const fleet::StaffMember& member) {
  json out = {{"id", member.id},
              {"name", member.name},
              {"role", fleet::StaffRoleName(member.role)},
              {"phone", member.phone},
              {"created_at", Instant(member.created_at)}};
  if (!member.license_no.empty()) out["license_no"] = member.license_no;
  if (!member.user_id.empty()) out["user_id"] = member.user_id;
  return out;
}

class FleetRoutes {
 public:
  FleetRoutes(std::shared_ptr<fleet::OperatorClient> fleet,
              std::shared_ptr<catalog::CatalogClient> catalog,
              std::shared_ptr<identity::IdentityClient> identity)
      : fleet_(std::move(fleet)), catalog_(std::move(catalog)), identity_(std::move(identity)) {}

  static const std::string& OrgOf(const Caller& caller) { return caller.membership->org_id; }

  // The layout member: read by the operator's JSON form, its problems merged with the body's.
  static std::optional<fleet::SeatLayout> ReadLayout(JsonBody& body, bool required) {
    const json layout = body.Raw("layout", required);
    if (layout.is_null()) return std::nullopt;
    auto parsed = fleet::LayoutFromJson(layout);
    if (!parsed.ok()) {
      for (const FieldError& error : FieldErrorsOf(parsed.status())) {
        body.AddError(error.field, error.message);
      }
      return std::nullopt;
    }
    return *std::move(parsed);
  }

  // Body problems that include layout problems keep the layout's reason (422 invalid_layout).
  static absl::Status Finish(JsonBody& body, bool layout_failed) {
    absl::Status status = body.Finish();
    if (status.ok() || !layout_failed) return status;
    return WithFieldErrors(Error(reasons::kInvalidLayout, "The seat layout is not valid."),
                           FieldErrorsOf(status));
  }

  http::Response CreateBus(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    fleet::BusDraft draft{.plate = body->Required("plate", 64),
                          .name = body->Optional("name", 200),
                          .bus_class = body->Required("class", 32),
                          .ac = body->Bool("ac", false),
                          .amenities = body->Strings("amenities", 20, 64),
                          .layout = {}};
    const bool has_layout = body->Has("layout");
    auto layout = ReadLayout(*body, /*required=*/true);
    if (auto status = Finish(*body, has_layout && !layout); !status.ok()) return Fail(status);
    draft.layout = *std::move(layout);
    auto bus = fleet_->CreateBus(OrgOf(caller), draft);
    if (!bus.ok()) return Fail(bus.status());
    return http::Json(201, BusJson(*bus));
  }

  http::Response ListBuses(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    auto buses = fleet_->ListBuses(OrgOf(caller), *page);
    if (!buses.ok()) return Fail(buses.status());
    return http::Json(200, PageJson(*buses, BusJson));
  }

  http::Response GetBus(http::Request& request, const Caller& caller) {
    auto bus = fleet_->GetBus(OrgOf(caller), request.PathParam("bus_id"));
    if (!bus.ok()) return Fail(bus.status());
    return http::Json(200, BusJson(*bus));
  }

  http::Response UpdateBus(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    fleet::BusPatch patch;
    if (body->Has("plate")) patch.plate = body->Required("plate", 64);
    if (body->Has("name")) patch.name = body->Optional("name", 200);
    if (body->Has("class")) patch.bus_class = body->Required("class", 32);
    patch.ac = body->OptionalBool("ac");
    patch.amenities = body->OptionalStrings("amenities", 20, 64);
    const bool has_layout = body->Has("layout");
    patch.layout = ReadLayout(*body, /*required=*/false);
    if (auto status = Finish(*body, has_layout && !patch.layout); !status.ok()) {
      return Fail(status);
    }
    auto bus = fleet_->UpdateBus(OrgOf(caller), request.PathParam("bus_id"), patch);
    if (!bus.ok()) return Fail(bus.status());
    return http::Json(200, BusJson(*bus));
  }

  http::Response DeleteBus(http::Request& request, const Caller& caller) {
    const std::string bus_id = request.PathParam("bus_id");
    // Existence first, so another organization's bus is 404 and not 409.
    if (auto bus = fleet_->GetBus(OrgOf(caller), bus_id); !bus.ok()) return Fail(bus.status());
    auto in_use = catalog_->BusInUse(OrgOf(caller), bus_id);
    if (!in_use.ok()) return Fail(in_use.status());
    if (*in_use) {
      return Fail(
          Error(reasons::kBusInUse,
                "Trips that have not finished run on this bus; move or cancel them first."));
    }
    if (auto status = fleet_->DeleteBus(OrgOf(caller), bus_id); !status.ok()) return Fail(status);
    return http::Response::NoContent();
  }

  http::Response CreateStaff(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    fleet::StaffDraft draft{.name = body->Required("name", 200),
                            .role = body->Required("role", 32),
                            .phone = body->Required("phone", 32),
                            .license_no = body->Optional("license_no", 64),
                            .user_id = body->Optional("user_id", 64)};
    if (!draft.user_id.empty()) {
      // Linking an account gives it the staff member's duties (a conductor's boarding scans on
      // their trips): only a member of this organization may be linked.
      auto membership = identity_->ResolveMembership(draft.user_id, OrgOf(caller));
      if (membership.status().code() == absl::StatusCode::kUnavailable) {
        return Fail(membership.status());
      }
      if (!membership.ok()) body->AddError("user_id", "must be a member of this organization");
    }
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto member = fleet_->CreateStaff(OrgOf(caller), draft);
    if (!member.ok()) return Fail(member.status());
    return http::Json(201, StaffJson(*member));
  }

  http::Response ListStaff(http::Request& request, const Caller& caller) {
    auto page = PageOf(request);
    if (!page.ok()) return Fail(page.status());
    auto staff = fleet_->ListStaff(OrgOf(caller), *page);
    if (!staff.ok()) return Fail(staff.status());
    return http::Json(200, PageJson(*staff, StaffJson));
  }

  http::Response GetStaff(http::Request& request, const Caller& caller) {
    auto member = fleet_->GetStaff(OrgOf(caller), request.PathParam("staff_id"));
    if (!member.ok()) return Fail(member.status());
    return http::Json(200, StaffJson(*member));
  }

  http::Response Assign(http::Request& request, const Caller& caller) {
    auto body = JsonBody::Parse(request);
    if (!body.ok()) return Fail(body.status());
    const std::string staff_id = body->Required("staff_id", 64);
    const std::string duty = body->Required("duty", 32);
    if (auto status = body->Finish(); !status.ok()) return Fail(status);
    auto assignment =
        catalog_->AssignCrew(OrgOf(caller), request.PathParam("trip_id"), staff_id, duty);
    if (!assignment.ok()) return Fail(assignment.status());
    return http::Json(201, catalog::CrewJson(*assignment));
  }

  http::Response ListAssignments(http::Request& request, const Caller& caller) {
    auto crew = catalog_->ListCrew(OrgOf(caller), request.PathParam("trip_id"));
    if (!crew.ok()) return Fail(crew.status());
    json items = json::array();
    for (const catalog::CrewAssignment& assignment : *crew) {
      items.push_back(catalog::CrewJson(assignment));
    }
    return http::Json(200, {{"items", items}, {"next_cursor", nullptr}});
  }

 private:
  std::shared_ptr<fleet::OperatorClient> fleet_;
  std::shared_ptr<catalog::CatalogClient> catalog_;
  std::shared_ptr<identity::IdentityClient> identity_;
};

}  // namespace

absl::Status AddFleetRoutes(SecureRoutes& routes, std::shared_ptr<fleet::OperatorClient> fleet,
                            std::shared_ptr<catalog::CatalogClient> catalog,
                            std::shared_ptr<identity::IdentityClient> identity) {
  auto handlers =
      std::make_shared<FleetRoutes>(std::move(fleet), std::move(catalog), std::move(identity));
  auto bind = [&handlers](http::Response (FleetRoutes::*method)(http::Request&, const Caller&)) {
    return Bind(handlers, method);
  };
  auto org = OrgPolicy;
  auto text = TextSchema;
  auto list_of = ListSchema;
  const json bus_body = {
      {"type", "object"},
      {"properties",
       {{"plate", text(64)},
        {"name", text(200)},
        {"class", {{"type", "string"}, {"enum", {"seater", "semi_sleeper", "sleeper"}}}},
        {"ac", {{"type", "boolean"}}},
        {"amenities", {{"type", "array"}, {"items", text(32)}, {"maxItems", 20}}},
        {"layout", SchemaRef("Layout")}}},
      {"additionalProperties", false}};
  json create_bus = bus_body;
  create_bus["required"] = {"plate", "class", "layout"};
  const json staff_body = {
      {"type", "object"},
      {"properties",
       {{"name", text(200)},
        {"role", {{"type", "string"}, {"enum", {"driver", "conductor", "helper"}}}},
        {"phone", text(32)},
        {"license_no", text(64)},
        {"user_id", text(64)}}},
      {"required", {"name", "role", "phone"}},
      {"additionalProperties", false}};
  const json assignment_body = {
      {"type", "object"},
      {"properties",
       {{"staff_id", text(64)},
        {"duty", {{"type", "string"}, {"enum", {"driver", "co_driver", "conductor", "helper"}}}}}},
      {"required", {"staff_id", "duty"}},
      {"additionalProperties", false}};

  const std::vector<RouteSpec> table = {
      {.method = "POST",
       .pattern = "/v1/operator/buses",
       .policy = org(Permission::kFleetManage),
       .handler = bind(&FleetRoutes::CreateBus),
       .doc = {.summary = "Register a bus with its seat layout",
               .tag = "fleet",
               .request = create_bus,
               .success_status = 201,
               .response = SchemaRef("Bus"),
               .errors = {409, 422}}},
      {.method = "GET",
       .pattern = "/v1/operator/buses",
       .policy = org(Permission::kFleetRead),
       .handler = bind(&FleetRoutes::ListBuses),
       .doc = {.summary = "The organization's buses",
               .tag = "fleet",
               .success_status = 200,
               .response = list_of("Bus"),
               .paginated = true}},
      {.method = "GET",
       .pattern = "/v1/operator/buses/{bus_id}",
       .policy = org(Permission::kFleetRead),
       .handler = bind(&FleetRoutes::GetBus),
       .doc = {.summary = "One bus",
               .tag = "fleet",
               .success_status = 200,
               .response = SchemaRef("Bus")}},
      {.method = "PATCH",
       .pattern = "/v1/operator/buses/{bus_id}",
       .policy = org(Permission::kFleetManage),
       .handler = bind(&FleetRoutes::UpdateBus),
       .doc = {.summary = "Change a bus; trips already created keep their layout snapshot",
               .tag = "fleet",
               .request = bus_body,
               .success_status = 200,
               .response = SchemaRef("Bus"),
               .errors = {409, 422}}},
      {.method = "DELETE",
       .pattern = "/v1/operator/buses/{bus_id}",
       .policy = org(Permission::kFleetManage),
       .handler = bind(&FleetRoutes::DeleteBus),
       .doc = {.summary = "Remove a bus no unfinished trip runs on",
               .tag = "fleet",
               .success_status = 204,
               .errors = {409}}},
      {.method = "POST",
       .pattern = "/v1/operator/staff",
       .policy = org(Permission::kFleetManage),
       .handler = bind(&FleetRoutes::CreateStaff),
       .doc = {.summary = "Add a driver, conductor or helper",
               .tag = "fleet",
               .request = staff_body,
               .success_status = 201,
               .response = SchemaRef("Staff")}},
      {.method = "GET",
       .pattern = "/v1/operator/staff",
       .policy = org(Permission::kFleetRead),
       .handler = bind(&FleetRoutes::ListStaff),
       .doc = {.summary = "The organization's staff",
               .tag = "fleet",
               .success_status = 200,
               .response = list_of("Staff"),
               .paginated = true}},
      {.method = "GET",
       .pattern = "/v1/operator/staff/{staff_id}",
       .policy = org(Permission::kFleetRead),
       .handler = bind(&FleetRoutes::GetStaff),
       .doc = {.summary = "One staff member",
               .tag = "fleet",
               .success_status = 200,
               .response = SchemaRef("Staff")}},
      {.method = "POST",
       .pattern = "/v1/operator/trips/{trip_id}/assignments",
       .policy = org(Permission::kFleetManage),
       .handler = bind(&FleetRoutes::Assign),
       .doc = {.summary = "Put a staff member on a trip's crew; overlapping duties are refused",
               .tag = "fleet",
               .request = assignment_body,
               .success_status = 201,
               .response = SchemaRef("CrewAssignment"),
               .errors = {409, 422}}},
      {.method = "GET",
       .pattern = "/v1/operator/trips/{trip_id}/assignments",
       .policy = org(Permission::kFleetRead),
       .handler = bind(&FleetRoutes::ListAssignments),
       .doc = {.summary = "A trip's crew",
               .tag = "fleet",
               .success_status = 200,
               .response = list_of("CrewAssignment")}},
  };
  for (const RouteSpec& spec : table) TRAVIO_RETURN_IF_ERROR(routes.Add(spec));
  return absl::OkStatus();
}

}  // namespace travio::gateway
