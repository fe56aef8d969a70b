#pragma once

#include <memory>

#include "services/catalog/api/catalog_client.h"
#include "travio/catalog/v1/catalog_service.grpc.pb.h"

namespace travio::catalog {

/// Serves CatalogService over gRPC by translating to the local implementation; no rules here.
class CatalogGrpcService final : public v1::CatalogService::Service {
 public:
  explicit CatalogGrpcService(std::shared_ptr<CatalogClient> local) : local_(std::move(local)) {}

  using Context = grpc::ServerContext;
  grpc::Status CreateStation(Context*, const v1::CreateStationRequest*, v1::Station*) override;
  grpc::Status ListStations(Context*, const v1::ListStationsRequest*,
                            v1::ListStationsResponse*) override;
  grpc::Status CreateRoute(Context*, const v1::CreateRouteRequest*, v1::Route*) override;
  grpc::Status GetRoute(Context*, const v1::GetRequest*, v1::Route*) override;
  grpc::Status ListRoutes(Context*, const v1::ListRequest*, v1::ListRoutesResponse*) override;
  grpc::Status CreateTrip(Context*, const v1::CreateTripRequest*, v1::Trip*) override;
  grpc::Status GetTrip(Context*, const v1::GetRequest*, v1::Trip*) override;
  grpc::Status ListTrips(Context*, const v1::ListTripsRequest*, v1::ListTripsResponse*) override;
  grpc::Status PublishTrip(Context*, const v1::GetRequest*, v1::Trip*) override;
  grpc::Status CancelTrip(Context*, const v1::CancelTripRequest*, v1::Trip*) override;
  grpc::Status DelayTrip(Context*, const v1::DelayTripRequest*, v1::Trip*) override;
  grpc::Status AdvanceTrip(Context*, const v1::AdvanceTripRequest*, v1::Trip*) override;
  grpc::Status MoveTrip(Context*, const v1::MoveTripRequest*, v1::MoveTripResponse*) override;
  grpc::Status CreateSchedule(Context*, const v1::CreateScheduleRequest*, v1::Schedule*) override;
  grpc::Status GenerateTrips(Context*, const v1::GenerateTripsRequest*,
                             v1::GenerateTripsResponse*) override;
  grpc::Status ListSchedules(Context*, const v1::ListSchedulesRequest*,
                             v1::ListSchedulesResponse*) override;
  grpc::Status GetSchedule(Context*, const v1::GetRequest*, v1::Schedule*) override;
  grpc::Status UpdateSchedule(Context*, const v1::UpdateScheduleRequest*, v1::Schedule*) override;
  grpc::Status EndSchedule(Context*, const v1::EndScheduleRequest*,
                           v1::EndScheduleResponse*) override;
  grpc::Status AssignCrew(Context*, const v1::AssignCrewRequest*, v1::CrewAssignment*) override;
  grpc::Status ListCrew(Context*, const v1::GetRequest*, v1::ListCrewResponse*) override;
  grpc::Status BusInUse(Context*, const v1::BusInUseRequest*, v1::BusInUseResponse*) override;
  grpc::Status ExportGtfs(Context*, const v1::ExportGtfsRequest*, v1::GtfsFeed*) override;

 private:
  std::shared_ptr<CatalogClient> local_;
};

}  // namespace travio::catalog
