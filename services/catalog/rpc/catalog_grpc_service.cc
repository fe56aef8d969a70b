#include "services/catalog/rpc/catalog_grpc_service.h"

#include "platform/rpc/answer.h"
#include "services/catalog/api/proto_conversions.h"

namespace travio::catalog {
namespace {

using rpc::Answer;

}  // namespace

grpc::Status CatalogGrpcService::CreateStation(Context*, const v1::CreateStationRequest* request,
                                               v1::Station* reply) {
  return Answer(local_->CreateStation(request->org_id(), FromProto(request->station())), reply);
}

grpc::Status CatalogGrpcService::ListStations(Context*, const v1::ListStationsRequest* request,
                                              v1::ListStationsResponse* reply) {
  auto stations = local_->ListStations(request->query(), request->limit());
  if (!stations.ok()) return Answer(stations.status());
  for (const Station& station : *stations) ToProto(station, *reply->add_items());
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::CreateRoute(Context*, const v1::CreateRouteRequest* request,
                                             v1::Route* reply) {
  return Answer(local_->CreateRoute(request->org_id(), FromProto(request->route())), reply);
}

grpc::Status CatalogGrpcService::GetRoute(Context*, const v1::GetRequest* request,
                                          v1::Route* reply) {
  return Answer(local_->GetRoute(request->org_id(), request->id()), reply);
}

grpc::Status CatalogGrpcService::ListRoutes(Context*, const v1::ListRequest* request,
                                            v1::ListRoutesResponse* reply) {
  auto page = local_->ListRoutes(
      request->org_id(), PageRequest{.limit = request->limit(), .cursor = request->cursor()});
  if (!page.ok()) return Answer(page.status());
  for (const Route& route : page->items) ToProto(route, *reply->add_items());
  reply->set_next_cursor(page->next_cursor);
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::CreateTrip(Context*, const v1::CreateTripRequest* request,
                                            v1::Trip* reply) {
  return Answer(
      local_->CreateTrip(request->org_id(), TripDraft{.route_id = request->route_id(),
                                                      .bus_id = request->bus_id(),
                                                      .departure = request->departure(),
                                                      .fares = FaresFromProto(request->fares()),
                                                      .status = request->status()}),
      reply);
}

grpc::Status CatalogGrpcService::GetTrip(Context*, const v1::GetRequest* request, v1::Trip* reply) {
  return Answer(local_->GetTrip(request->org_id(), request->id()), reply);
}

grpc::Status CatalogGrpcService::ListTrips(Context*, const v1::ListTripsRequest* request,
                                           v1::ListTripsResponse* reply) {
  TripFilter filter;
  // The gateway sends dates and statuses it already parsed; anything else is a caller bug.
  if (!request->from_date().empty()) {
    auto date = ParseLocalDate(request->from_date());
    if (!date.ok()) return Answer(date.status());
    filter.from_date = *date;
  }
  if (!request->to_date().empty()) {
    auto date = ParseLocalDate(request->to_date());
    if (!date.ok()) return Answer(date.status());
    filter.to_date = *date;
  }
  filter.route_id = request->route_id();
  filter.schedule_id = request->schedule_id();
  if (!request->status().empty()) {
    filter.status = ParseTripStatus(request->status());
    if (!filter.status) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unknown trip status");
    }
  }
  auto page =
      local_->ListTrips(request->org_id(), filter,
                        PageRequest{.limit = request->limit(), .cursor = request->cursor()});
  if (!page.ok()) return Answer(page.status());
  for (const Trip& trip : page->items) ToProto(trip, *reply->add_items());
  reply->set_next_cursor(page->next_cursor);
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::PublishTrip(Context*, const v1::GetRequest* request,
                                             v1::Trip* reply) {
  return Answer(local_->PublishTrip(request->org_id(), request->id()), reply);
}

grpc::Status CatalogGrpcService::CancelTrip(Context*, const v1::CancelTripRequest* request,
                                            v1::Trip* reply) {
  return Answer(local_->CancelTrip(request->org_id(), request->trip_id(), request->reason()),
                reply);
}

grpc::Status CatalogGrpcService::DelayTrip(Context*, const v1::DelayTripRequest* request,
                                           v1::Trip* reply) {
  return Answer(local_->DelayTrip(request->org_id(), request->trip_id(), request->delay_minutes()),
                reply);
}

grpc::Status CatalogGrpcService::AdvanceTrip(Context*, const v1::AdvanceTripRequest* request,
                                             v1::Trip* reply) {
  auto status = ParseTripStatus(request->status());
  if (!status) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "unknown trip status");
  return Answer(local_->AdvanceTrip(request->org_id(), request->trip_id(), *status), reply);
}

grpc::Status CatalogGrpcService::MoveTrip(Context*, const v1::MoveTripRequest* request,
                                          v1::MoveTripResponse* reply) {
  auto move = local_->MoveTrip(request->org_id(), request->trip_id(), request->bus_id());
  if (!move.ok()) return Answer(move.status());
  ToProto(move->trip, *reply->mutable_trip());
  for (const std::string& label : move->missing_seats) reply->add_missing_seats(label);
  return grpc::Status::OK;
}

namespace {

ScheduleDraft DraftFromProto(const v1::CreateScheduleRequest& request) {
  return ScheduleDraft{
      .route_id = request.route_id(),
      .bus_id = request.bus_id(),
      .departure_time = request.departure_time(),
      .days = {request.days().begin(), request.days().end()},
      .start_date = request.start_date(),
      .end_date = request.end_date(),
      .except_dates = {request.except_dates().begin(), request.except_dates().end()},
      .fares = FaresFromProto(request.fares()),
      .publish = request.publish()};
}

}  // namespace

grpc::Status CatalogGrpcService::CreateSchedule(Context*, const v1::CreateScheduleRequest* request,
                                                v1::Schedule* reply) {
  return Answer(local_->CreateSchedule(request->org_id(), DraftFromProto(*request)), reply);
}

grpc::Status CatalogGrpcService::ListSchedules(Context*, const v1::ListSchedulesRequest* request,
                                               v1::ListSchedulesResponse* reply) {
  auto page =
      local_->ListSchedules(request->org_id(), request->route_id(),
                            PageRequest{.limit = request->limit(), .cursor = request->cursor()});
  if (!page.ok()) return Answer(page.status());
  for (const Schedule& schedule : page->items) ToProto(schedule, *reply->add_items());
  reply->set_next_cursor(page->next_cursor);
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::GetSchedule(Context*, const v1::GetRequest* request,
                                             v1::Schedule* reply) {
  return Answer(local_->GetSchedule(request->org_id(), request->id()), reply);
}

grpc::Status CatalogGrpcService::UpdateSchedule(Context*, const v1::UpdateScheduleRequest* request,
                                                v1::Schedule* reply) {
  SchedulePatch patch{.fields = {request->fields().begin(), request->fields().end()},
                      .values = DraftFromProto(request->values())};
  return Answer(local_->UpdateSchedule(request->org_id(), request->schedule_id(), patch), reply);
}

grpc::Status CatalogGrpcService::EndSchedule(Context*, const v1::EndScheduleRequest* request,
                                             v1::EndScheduleResponse* reply) {
  auto ending = local_->EndSchedule(request->org_id(), request->schedule_id(),
                                    ScheduleEnd{.last_date = request->last_date(),
                                                .cancel_later_trips = request->cancel_later_trips(),
                                                .reason = request->reason(),
                                                .dry_run = request->dry_run()});
  if (!ending.ok()) return Answer(ending.status());
  ToProto(ending->schedule, *reply->mutable_schedule());
  reply->set_cancelled(ending->cancelled);
  reply->set_kept(ending->kept);
  reply->set_remaining(ending->remaining);
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::GenerateTrips(Context*, const v1::GenerateTripsRequest* request,
                                               v1::GenerateTripsResponse* reply) {
  auto result = local_->GenerateTrips(request->org_id(), request->schedule_id(), request->until());
  if (!result.ok()) return Answer(result.status());
  reply->set_created(result->created);
  reply->set_existing(result->existing);
  reply->set_remaining(result->remaining);
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::AssignCrew(Context*, const v1::AssignCrewRequest* request,
                                            v1::CrewAssignment* reply) {
  return Answer(local_->AssignCrew(request->org_id(), request->trip_id(), request->staff_id(),
                                   request->duty()),
                reply);
}

grpc::Status CatalogGrpcService::ListCrew(Context*, const v1::GetRequest* request,
                                          v1::ListCrewResponse* reply) {
  auto crew = local_->ListCrew(request->org_id(), request->id());
  if (!crew.ok()) return Answer(crew.status());
  for (const CrewAssignment& assignment : *crew) ToProto(assignment, *reply->add_items());
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::BusInUse(Context*, const v1::BusInUseRequest* request,
                                          v1::BusInUseResponse* reply) {
  auto in_use = local_->BusInUse(request->org_id(), request->bus_id());
  if (!in_use.ok()) return Answer(in_use.status());
  reply->set_in_use(*in_use);
  return grpc::Status::OK;
}

grpc::Status CatalogGrpcService::ExportGtfs(Context*, const v1::ExportGtfsRequest* request,
                                            v1::GtfsFeed* reply) {
  auto files = local_->ExportGtfs(request->org_id(), request->agency_name(), request->agency_url());
  if (!files.ok()) return Answer(files.status());
  for (auto& [name, content] : *files) (*reply->mutable_files())[name] = std::move(content);
  return grpc::Status::OK;
}

}  // namespace travio::catalog
