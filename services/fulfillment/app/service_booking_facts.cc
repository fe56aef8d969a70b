#include "services/fulfillment/app/service_booking_facts.h"

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/operator/api/layout_document.h"

namespace travio::fulfillment {
namespace {

class ServiceBookingFacts final : public BookingFacts {
 public:
  ServiceBookingFacts(std::shared_ptr<order::OrderClient> orders,
                      std::shared_ptr<catalog::CatalogClient> catalog,
                      std::shared_ptr<identity::IdentityClient> identity,
                      std::shared_ptr<fleet::OperatorClient> fleet)
      : orders_(std::move(orders)),
        catalog_(std::move(catalog)),
        identity_(std::move(identity)),
        fleet_(std::move(fleet)) {}

  absl::StatusOr<order::OrderView> Order(const std::string& order_id) override {
    return orders_->GetOrder(order_id);
  }

  absl::StatusOr<TripFacts> Trip(const std::string& org_id, const std::string& trip_id,
                                 const std::string& from, const std::string& to) override {
    TRAVIO_ASSIGN_OR_RETURN(catalog::Trip trip, catalog_->GetTrip(org_id, trip_id));
    TRAVIO_ASSIGN_OR_RETURN(identity::Organization org, identity_->GetOrganization(org_id));
    TripFacts facts;
    facts.operator_name = org.name;
    facts.route_name = trip.route_name;
    facts.from_code = from;
    facts.to_code = to;
    bool found_from = false;
    bool found_to = false;
    for (const catalog::TripStop& stop : trip.stops) {
      if (!found_from && stop.station == from) {
        found_from = true;
        facts.from_timezone = stop.timezone;
        facts.departure = stop.depart_at + trip.delay();
      } else if (found_from && stop.station == to) {
        found_to = true;
        facts.to_timezone = stop.timezone;
        facts.arrival = stop.arrive_at + trip.delay();
        break;
      }
    }
    if (!found_from || !found_to) {
      return absl::FailedPreconditionError(
          absl::StrCat("trip ", trip_id, " has no journey ", from, "-", to));
    }
    facts.from_name = StationName(from);
    facts.to_name = StationName(to);
    facts.bus_class = trip.bus.bus_class;
    facts.ac = trip.bus.ac;
    facts.plate = trip.bus.plate;
    facts.delay_minutes = trip.delay_minutes;
    facts.cancel_reason = trip.cancel_reason;
    if (auto layout = fleet::LayoutFromDocument(trip.bus.layout_document); layout.ok()) {
      for (const fleet::Deck& deck : layout->decks) {
        for (const fleet::Cell& cell : deck.cells) {
          if (cell.sittable()) facts.deck_of_seat[cell.label] = deck.name;
        }
      }
    }
    return facts;
  }

  absl::StatusOr<bool> OwnsTrip(const std::string& org_id, const std::string& trip_id) override {
    absl::StatusOr<catalog::Trip> trip = catalog_->GetTrip(org_id, trip_id);
    if (trip.status().code() == absl::StatusCode::kNotFound) return false;
    TRAVIO_RETURN_IF_ERROR(trip.status());
    return true;
  }

  absl::StatusOr<std::set<std::string>> CrewMembers(const std::string& org_id,
                                                    const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<catalog::CrewAssignment> crew,
                            catalog_->ListCrew(org_id, trip_id));
    std::set<std::string> members;
    for (const catalog::CrewAssignment& assignment : crew) {
      TRAVIO_ASSIGN_OR_RETURN(fleet::StaffMember staff,
                              fleet_->GetStaff(org_id, assignment.staff_id));
      if (!staff.user_id.empty()) members.insert(staff.user_id);
    }
    return members;
  }

 private:
  // The station's name, or its code when the lookup fails (a ticket without the full name is
  // still a ticket).
  std::string StationName(const std::string& code) {
    absl::StatusOr<std::vector<catalog::Station>> stations = catalog_->ListStations(code, 20);
    if (stations.ok()) {
      for (const catalog::Station& station : *stations) {
        if (station.code == code) return station.name;
      }
    }
    return code;
  }

  std::shared_ptr<order::OrderClient> orders_;
  std::shared_ptr<catalog::CatalogClient> catalog_;
  std::shared_ptr<identity::IdentityClient> identity_;
  std::shared_ptr<fleet::OperatorClient> fleet_;
};

}  // namespace

std::unique_ptr<BookingFacts> MakeServiceBookingFacts(
    std::shared_ptr<order::OrderClient> orders, std::shared_ptr<catalog::CatalogClient> catalog,
    std::shared_ptr<identity::IdentityClient> identity,
    std::shared_ptr<fleet::OperatorClient> fleet) {
  return std::make_unique<ServiceBookingFacts>(std::move(orders), std::move(catalog),
                                               std::move(identity), std::move(fleet));
}

}  // namespace travio::fulfillment
