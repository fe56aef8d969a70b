#include "services/queue/app/catalog_trip_owners.h"

namespace travio::queue {
namespace {

class CatalogTripOwners final : public TripOwners {
 public:
  explicit CatalogTripOwners(std::shared_ptr<catalog::CatalogClient> catalog)
      : catalog_(std::move(catalog)) {}

  absl::StatusOr<bool> Owns(const std::string& org_id, const std::string& trip_id) override {
    auto trip = catalog_->GetTrip(org_id, trip_id);
    if (trip.ok()) return true;
    if (trip.status().code() == absl::StatusCode::kNotFound) return false;
    return trip.status();
  }

 private:
  std::shared_ptr<catalog::CatalogClient> catalog_;
};

}  // namespace

std::unique_ptr<TripOwners> MakeCatalogTripOwners(std::shared_ptr<catalog::CatalogClient> catalog) {
  return std::make_unique<CatalogTripOwners>(std::move(catalog));
}

}  // namespace travio::queue
