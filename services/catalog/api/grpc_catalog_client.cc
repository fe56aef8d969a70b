#include <grpcpp/grpcpp.h>

#include "platform/base/status_macros.h"
#include "platform/rpc/unary.h"
#include "services/catalog/api/catalog_client.h"
#include "services/catalog/api/proto_conversions.h"
#include "travio/catalog/v1/catalog_service.grpc.pb.h"

namespace travio::catalog {
namespace {

using Stub = v1::CatalogService::Stub;

class GrpcCatalogClient final : public CatalogClient {
 public:
  GrpcCatalogClient(std::shared_ptr<grpc::Channel> channel, const rpc::CallPolicy& policy)
      : rpc_(std::move(channel), policy) {}

  absl::StatusOr<Station> CreateStation(const std::string& org_id,
                                        const Station& station) override {
    v1::CreateStationRequest request;
    request.set_org_id(org_id);
    ToProto(station, *request.mutable_station());
    return rpc_.Call(&Stub::CreateStation, request);
  }

  absl::StatusOr<std::vector<Station>> ListStations(const std::string& query, int limit) override {
    v1::ListStationsRequest request;
    request.set_query(query);
    request.set_limit(limit);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListStationsResponse reply,
                            rpc_.QueryRaw(&Stub::ListStations, request));
    std::vector<Station> stations;
    for (const v1::Station& station : reply.items()) stations.push_back(FromProto(station));
    return stations;
  }

  absl::StatusOr<Route> CreateRoute(const std::string& org_id, const Route& route) override {
    v1::CreateRouteRequest request;
    request.set_org_id(org_id);
    ToProto(route, *request.mutable_route());
    return rpc_.Call(&Stub::CreateRoute, request);
  }

  absl::StatusOr<Route> GetRoute(const std::string& org_id, const std::string& route_id) override {
    return rpc_.Query(&Stub::GetRoute, Get(org_id, route_id));
  }

  absl::StatusOr<Page<Route>> ListRoutes(const std::string& org_id,
                                         const PageRequest& page) override {
    v1::ListRequest request;
    request.set_org_id(org_id);
    request.set_limit(page.limit);
    request.set_cursor(page.cursor);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListRoutesResponse reply,
                            rpc_.QueryRaw(&Stub::ListRoutes, request));
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
    return rpc_.Call(&Stub::CreateTrip, request);
  }

  absl::StatusOr<Trip> GetTrip(const std::string& org_id, const std::string& trip_id) override {
    return rpc_.Query(&Stub::GetTrip, Get(org_id, trip_id));
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
    request.set_schedule_id(filter.schedule_id);
    if (filter.status) request.set_status(std::string(TripStatusName(*filter.status)));
    TRAVIO_ASSIGN_OR_RETURN(v1::ListTripsResponse reply, rpc_.QueryRaw(&Stub::ListTrips, request));
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
    return rpc_.Call(&Stub::PublishTrip, Get(org_id, trip_id));
  }

  absl::StatusOr<Trip> CancelTrip(const std::string& org_id, const std::string& trip_id,
                                  const std::string& reason) override {
    v1::CancelTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_reason(reason);
    return rpc_.Call(&Stub::CancelTrip, request);
  }

  absl::StatusOr<Trip> DelayTrip(const std::string& org_id, const std::string& trip_id,
                                 int delay_minutes) override {
    v1::DelayTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_delay_minutes(delay_minutes);
    return rpc_.Call(&Stub::DelayTrip, request);
  }

  absl::StatusOr<Trip> AdvanceTrip(const std::string& org_id, const std::string& trip_id,
                                   TripStatus to) override {
    v1::AdvanceTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_status(std::string(TripStatusName(to)));
    return rpc_.Call(&Stub::AdvanceTrip, request);
  }

  absl::StatusOr<BusMove> MoveTrip(const std::string& org_id, const std::string& trip_id,
                                   const std::string& bus_id) override {
    v1::MoveTripRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_bus_id(bus_id);
    TRAVIO_ASSIGN_OR_RETURN(v1::MoveTripResponse reply, rpc_.Raw(&Stub::MoveTrip, request));
    auto trip = FromProto(reply.trip());
    if (!trip.ok()) return trip.status();
    return BusMove{.trip = *std::move(trip),
                   .missing_seats = {reply.missing_seats().begin(), reply.missing_seats().end()}};
  }

  static void DraftToProto(const std::string& org_id, const ScheduleDraft& draft,
                           v1::CreateScheduleRequest& request) {
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
  }

  absl::StatusOr<Schedule> CreateSchedule(const std::string& org_id,
                                          const ScheduleDraft& draft) override {
    v1::CreateScheduleRequest request;
    DraftToProto(org_id, draft, request);
    return rpc_.Call(&Stub::CreateSchedule, request);
  }

  absl::StatusOr<Page<Schedule>> ListSchedules(const std::string& org_id,
                                               const std::string& route_id,
                                               const PageRequest& page) override {
    v1::ListSchedulesRequest request;
    request.set_org_id(org_id);
    request.set_limit(page.limit);
    request.set_cursor(page.cursor);
    request.set_route_id(route_id);
    TRAVIO_ASSIGN_OR_RETURN(v1::ListSchedulesResponse reply,
                            rpc_.QueryRaw(&Stub::ListSchedules, request));
    Page<Schedule> out;
    for (const v1::Schedule& item : reply.items()) {
      auto schedule = FromProto(item);
      if (!schedule.ok()) return schedule.status();
      out.items.push_back(*std::move(schedule));
    }
    out.next_cursor = reply.next_cursor();
    return out;
  }

  absl::StatusOr<Schedule> GetSchedule(const std::string& org_id,
                                       const std::string& schedule_id) override {
    return rpc_.Query(&Stub::GetSchedule, Get(org_id, schedule_id));
  }

  absl::StatusOr<Schedule> UpdateSchedule(const std::string& org_id, const std::string& schedule_id,
                                          const SchedulePatch& patch) override {
    v1::UpdateScheduleRequest request;
    request.set_org_id(org_id);
    request.set_schedule_id(schedule_id);
    for (const std::string& field : patch.fields) request.add_fields(field);
    DraftToProto(org_id, patch.values, *request.mutable_values());
    return rpc_.Call(&Stub::UpdateSchedule, request);
  }

  absl::StatusOr<ScheduleEnding> EndSchedule(const std::string& org_id,
                                             const std::string& schedule_id,
                                             const ScheduleEnd& end) override {
    v1::EndScheduleRequest request;
    request.set_org_id(org_id);
    request.set_schedule_id(schedule_id);
    request.set_last_date(end.last_date);
    request.set_cancel_later_trips(end.cancel_later_trips);
    request.set_reason(end.reason);
    request.set_dry_run(end.dry_run);
    TRAVIO_ASSIGN_OR_RETURN(v1::EndScheduleResponse reply, rpc_.Raw(&Stub::EndSchedule, request));
    TRAVIO_ASSIGN_OR_RETURN(Schedule schedule, FromProto(reply.schedule()));
    return ScheduleEnding{.schedule = std::move(schedule),
                          .cancelled = reply.cancelled(),
                          .kept = reply.kept(),
                          .remaining = reply.remaining()};
  }

  absl::StatusOr<GenerationResult> GenerateTrips(const std::string& org_id,
                                                 const std::string& schedule_id,
                                                 const std::string& until) override {
    v1::GenerateTripsRequest request;
    request.set_org_id(org_id);
    request.set_schedule_id(schedule_id);
    request.set_until(until);
    TRAVIO_ASSIGN_OR_RETURN(v1::GenerateTripsResponse reply,
                            rpc_.Raw(&Stub::GenerateTrips, request));
    return GenerationResult{
        .created = reply.created(), .existing = reply.existing(), .remaining = reply.remaining()};
  }

  absl::StatusOr<CrewAssignment> AssignCrew(const std::string& org_id, const std::string& trip_id,
                                            const std::string& staff_id,
                                            const std::string& duty) override {
    v1::AssignCrewRequest request;
    request.set_org_id(org_id);
    request.set_trip_id(trip_id);
    request.set_staff_id(staff_id);
    request.set_duty(duty);
    return rpc_.Call(&Stub::AssignCrew, request);
  }

  absl::StatusOr<std::vector<CrewAssignment>> ListCrew(const std::string& org_id,
                                                       const std::string& trip_id) override {
    TRAVIO_ASSIGN_OR_RETURN(v1::ListCrewResponse reply,
                            rpc_.QueryRaw(&Stub::ListCrew, Get(org_id, trip_id)));
    std::vector<CrewAssignment> crew;
    for (const v1::CrewAssignment& item : reply.items()) crew.push_back(FromProto(item));
    return crew;
  }

  absl::StatusOr<bool> BusInUse(const std::string& org_id, const std::string& bus_id) override {
    v1::BusInUseRequest request;
    request.set_org_id(org_id);
    request.set_bus_id(bus_id);
    TRAVIO_ASSIGN_OR_RETURN(v1::BusInUseResponse reply, rpc_.QueryRaw(&Stub::BusInUse, request));
    return reply.in_use();
  }

  absl::StatusOr<std::map<std::string, std::string>> ExportGtfs(
      const std::string& org_id, const std::string& agency_name,
      const std::string& agency_url) override {
    v1::ExportGtfsRequest request;
    request.set_org_id(org_id);
    request.set_agency_name(agency_name);
    request.set_agency_url(agency_url);
    TRAVIO_ASSIGN_OR_RETURN(v1::GtfsFeed reply, rpc_.QueryRaw(&Stub::ExportGtfs, request));
    return std::map<std::string, std::string>(reply.files().begin(), reply.files().end());
  }

 private:
  static v1::GetRequest Get(const std::string& org_id, const std::string& id) {
    v1::GetRequest request;
    request.set_org_id(org_id);
    request.set_id(id);
    return request;
  }

  rpc::UnaryClient<v1::CatalogService> rpc_;
};

}  // namespace

std::shared_ptr<CatalogClient> CatalogClient::OverGrpc(std::shared_ptr<grpc::Channel> channel,
                                                       const rpc::CallPolicy& policy) {
  return std::make_shared<GrpcCatalogClient>(std::move(channel), policy);
}

}  // namespace travio::catalog
