#include <grpcpp/grpcpp.h>

#include "platform/rpc/call.h"
#include "platform/rpc/status.h"
#include "services/catalog/api/catalog_client.h"
#include "services/catalog/rpc/conversions.h"
#include "travio/catalog/v1/catalog_service.grpc.pb.h"

namespace travio::catalog {
namespace {

using Stub = v1::CatalogService::Stub;

class GrpcCatalogClient final : public CatalogClient {
 public:
  GrpcCatalogClient(std::shared_ptr<grpc::Channel> channel, absl::Duration deadline)
      : stub_(v1::CatalogService::NewStub(std::move(channel))), deadline_(deadline) {}

  absl::StatusOr<Station> CreateStation(const std::string& org_id,
                                        const Station& station) override {
    v1::CreateStationRequest request;
    request.set_org_id(org_id);
    ToProto(station, *request.mutable_station());
    v1::Station reply;
    if (auto status = Call(&Stub::CreateStation, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  absl::StatusOr<std::vector<Station>> ListStations(const std::string& query, int limit) override {
    v1::ListStationsRequest request;
    request.set_query(query);
    request.set_limit(limit);
    v1::ListStationsResponse reply;
    if (auto status = Call(&Stub::ListStations, request, reply); !status.ok()) return status;
    std::vector<Station> stations;
    for (const v1::Station& station : reply.items()) stations.push_back(FromProto(station));
    return stations;
  }

  absl::StatusOr<Route> CreateRoute(const std::string& org_id, const Route& route) override {
    v1::CreateRouteRequest request;
    request.set_org_id(org_id);
    ToProto(route, *request.mutable_route());
    v1::Route reply;
    if (auto status = Call(&Stub::CreateRoute, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  absl::StatusOr<Route> GetRoute(const std::string& org_id, const std::string& route_id) override {
    v1::Route reply;
    if (auto status = Call(&Stub::GetRoute, Get(org_id, route_id), reply); !status.ok()) {
      return status;
    }
    return FromProto(reply);
  }

  absl::StatusOr<Page<Route>> ListRoutes(const std::string& org_id,
                                         const PageRequest& page) override {
    v1::ListRequest request;
    request.set_org_id(org_id);
    request.set_limit(page.limit);
    request.set_cursor(page.cursor);
    v1::ListRoutesResponse reply;
    if (auto status = Call(&Stub::ListRoutes, request, reply); !status.ok()) return status;
    Page<Route> out;
    for (const v1::Route& route : reply.items()) out.items.push_back(FromProto(route));
    out.next_cursor = reply.next_cursor();
    return out;
  }

  absl::StatusOr<Trip> CreateTrip(const std::string& org_id, const TripDraft& draft) override {
    v1::CreateTripRequest request;
    request.set_org_id(org_id);
    request.set_route_id(draft.route_id);
    request.set_bus_id(draft.bus_id);
    request.set_departure(draft.departure);
    FaresToProto(draft.fares, *request.mutable_fares());
    request.set_status(draft.status);
    return CallTrip(&Stub::CreateTrip, request);
  }

  absl::StatusOr<Trip> GetTrip(const std::string& org_id, const std::string& trip_id) override {
    return CallTrip(&Stub::GetTrip, Get(org_id, trip_id));
  }

  absl::StatusOr<Page<Trip>> ListTrips(const std::string& org_id, const TripFilter& filter,
                                       const PageRequest& page) override {
    v1::ListTripsRequest request;
    request.set_org_id(org_id);
    request.set_limit(page.limit);
    request.set_cursor(page.cursor);
    if (filter.from_date) request.set_from_date(FormatLocalDate(*filter.from_date));
    if (filter.to_date) request.set_to_date(FormatLocalDate(*filter.to_date));
    request.set_route_id(filter.route_id);
    if (filter.status) request.set_status(std::string(TripStatusName(*filter.status)));
    v1::ListTripsResponse reply;
    if (auto status = Call(&Stub::ListTrips, request, reply); !status.ok()) return status;
    Page<Trip> out;
    for (const v1::Trip& item : reply.items()) {
      auto trip = FromProto(item);
      if (!trip.ok()) return trip.status();
      out.items.push_back(*std::move(trip));
    }
    out.next_cursor = reply.next_cursor();
    return out;
  }

  absl::StatusOr<Trip> PublishTrip(const std::string& org_id, const std::string& trip_id) override {
    return CallTrip(&Stub::PublishTrip, Get(org_id, trip_id));
  }

  absl::StatusOr<Trip> CancelTrip(const std::string& org_id, const std::string& trip_id,
                                  const std::string& reason) override {
    v1::CancelTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_reason(reason);
    return CallTrip(&Stub::CancelTrip, request);
  }

  absl::StatusOr<Trip> DelayTrip(const std::string& org_id, const std::string& trip_id,
                                 int delay_minutes) override {
    v1::DelayTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_delay_minutes(delay_minutes);
    return CallTrip(&Stub::DelayTrip, request);
  }

  absl::StatusOr<Trip> AdvanceTrip(const std::string& org_id, const std::string& trip_id,
                                   TripStatus to) override {
    v1::AdvanceTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_status(std::string(TripStatusName(to)));
    return CallTrip(&Stub::AdvanceTrip, request);
  }

  absl::StatusOr<BusMove> MoveTrip(const std::string& org_id, const std::string& trip_id,
                                   const std::string& bus_id) override {
    v1::MoveTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_bus_id(bus_id);
    v1::MoveTripResponse reply;
    if (auto status = Call(&Stub::MoveTrip, request, reply); !status.ok()) return status;
    auto trip = FromProto(reply.trip());
    if (!trip.ok()) return trip.status();
    return BusMove{.trip = *std::move(trip),
                   .missing_seats = {reply.missing_seats().begin(), reply.missing_seats().end()}};
  }

  absl::StatusOr<Schedule> CreateSchedule(const std::string& org_id,
                                          const ScheduleDraft& draft) override {
    v1::CreateScheduleRequest request;
    request.set_org_id(org_id);
    request.set_route_id(draft.route_id);
    request.set_bus_id(draft.bus_id);
    request.set_departure_time(draft.departure_time);
    for (const std::string& day : draft.days) request.add_days(day);
    request.set_start_date(draft.start_date);
    request.set_end_date(draft.end_date);
    for (const std::string& date : draft.except_dates) request.add_except_dates(date);
    FaresToProto(draft.fares, *request.mutable_fares());
    request.set_publish(draft.publish);
    v1::Schedule reply;
    if (auto status = Call(&Stub::CreateSchedule, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  absl::StatusOr<GenerationResult> GenerateTrips(const std::string& org_id,
                                                 const std::string& schedule_id,
                                                 const std::string& until) override {
    v1::GenerateTripsRequest request;
    request.set_org_id(org_id);
    request.set_schedule_id(schedule_id);
    request.set_until(until);
    v1::GenerateTripsResponse reply;
    if (auto status = Call(&Stub::GenerateTrips, request, reply); !status.ok()) return status;
    return GenerationResult{.created = reply.created(), .existing = reply.existing()};
  }

  absl::StatusOr<CrewAssignment> AssignCrew(const std::string& org_id, const std::string& trip_id,
                                            const std::string& staff_id,
                                            const std::string& duty) override {
    v1::AssignCrewRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_staff_id(staff_id);
    request.set_duty(duty);
    v1::CrewAssignment reply;
    if (auto status = Call(&Stub::AssignCrew, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  absl::StatusOr<std::vector<CrewAssignment>> ListCrew(const std::string& org_id,
                                                       const std::string& trip_id) override {
    v1::ListCrewResponse reply;
    if (auto status = Call(&Stub::ListCrew, Get(org_id, trip_id), reply); !status.ok()) {
      return status;
    }
    std::vector<CrewAssignment> crew;
    for (const v1::CrewAssignment& item : reply.items()) crew.push_back(FromProto(item));
    return crew;
  }

  absl::StatusOr<bool> BusInUse(const std::string& org_id, const std::string& bus_id) override {
    v1::BusInUseRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    v1::BusInUseResponse reply;
    if (auto status = Call(&Stub::BusInUse, request, reply); !status.ok()) return status;
    return reply.in_use();
  }

  absl::StatusOr<std::map<std::string, std::string>> ExportGtfs(
      const std::string& org_id, const std::string& agency_name,
      const std::string& agency_url) override {
    v1::ExportGtfsRequest request;
    request.set_org_id(org_id);
    request.set_agency_name(agency_name);
    request.set_agency_url(agency_url);
    v1::GtfsFeed reply;
    if (auto status = Call(&Stub::ExportGtfs, request, reply); !status.ok()) return status;
    return std::map<std::string, std::string>(reply.files().begin(), reply.files().end());
  }

 private:
  static v1::GetRequest Get(const std::string& org_id, const std::string& id) {
    v1::GetRequest request;
    request.set_org_id(org_id);
    request.set_id(id);
    return request;
  }

  template <typename Request, typename Reply>
  absl::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Reply*),
                    const Request& request, Reply& reply) {
    return rpc::CallUnary(*stub_, method, request, reply, deadline_);
  }

  template <typename Request>
  absl::StatusOr<Trip> CallTrip(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             v1::Trip*),
                                const Request& request) {
    v1::Trip reply;
    if (auto status = Call(method, request, reply); !status.ok()) return status;
    return FromProto(reply);
  }

  std::unique_ptr<Stub> stub_;
  absl::Duration deadline_;
};

}  // namespace

std::shared_ptr<CatalogClient> MakeGrpcCatalogClient(std::shared_ptr<grpc::Channel> channel,
                                                     absl::Duration deadline) {
  return std::make_shared<GrpcCatalogClient>(std::move(channel), deadline);
}

}  // namespace travio::catalog
