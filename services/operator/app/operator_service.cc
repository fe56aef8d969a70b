#include "services/operator/app/operator_service.h"

#include "platform/base/errors.h"
#include "platform/base/ids.h"
#include "platform/base/status_macros.h"

namespace travio::fleet {
namespace {

absl::Status BusNotFound() {
  return Error(reasons::kBusNotFound, "No such bus in this organization.");
}

absl::Status Invalid(const std::vector<FieldError>& errors) {
  return WithFieldErrors(Error(reasons::kValidationFailed, "Some fields are not valid."), errors);
}

// Checks and normalises the descriptive fields a bus has besides its layout.
void CheckPlate(const std::string& plate, std::string& into, std::vector<FieldError>& errors) {
  auto normalized = NormalizePlate(plate);
  if (!normalized) {
    errors.push_back({"plate", "must be 2 to 32 letters, digits, spaces or hyphens"});
  } else {
    into = *normalized;
  }
}

void CheckBusName(const std::string& name, std::string& into, std::vector<FieldError>& errors) {
  if (name.empty()) {
    into.clear();
    return;
  }
  auto normalized = NormalizeName(name, 120);
  if (!normalized) {
    errors.push_back({"name", "must be up to 120 bytes of printable text"});
  } else {
    into = *normalized;
  }
}

void CheckClass(const std::string& name, BusClass& into, std::vector<FieldError>& errors) {
  auto parsed = ParseBusClass(name);
  if (!parsed) {
    errors.push_back({"class", "must be seater, semi_sleeper or sleeper"});
  } else {
    into = *parsed;
  }
}

}  // namespace

absl::StatusOr<Bus> OperatorService::CreateBus(const std::string& org_id, const BusDraft& draft) {
  Bus bus;
  std::vector<FieldError> errors;
  CheckPlate(draft.plate, bus.plate, errors);
  CheckBusName(draft.name, bus.name, errors);
  CheckClass(draft.bus_class, bus.bus_class, errors);
  bus.amenities = NormalizeAmenities(draft.amenities, errors);
  if (!errors.empty()) return Invalid(errors);
  TRAVIO_RETURN_IF_ERROR(ValidateLayout(draft.layout));
  bus.layout = draft.layout;
  bus.ac = draft.ac;
  bus.org_id = org_id;
  bus.id = ports_.ids.NewId();
  bus.created_at = bus.updated_at = ports_.clock.Now();
  bus.version = 1;
  // Reserved before the transaction, so no database connection or writer lock waits on a
  // remote call; the reservation is atomic against the plan's limit (racers cannot pass it).
  TRAVIO_RETURN_IF_ERROR(subscription::CreateWithinQuota(
      *ports_.quota, {.org_id = org_id, .quota = subscription::Quota::kBuses, .key = bus.id}, [&] {
        return ports_.store.InTransaction([&](FleetUnit& unit) -> absl::Status {
          TRAVIO_RETURN_IF_ERROR(unit.InsertBus(bus));
          return unit.Append(kBusRegistered.Make(SummaryOf(bus), Header(bus.id, org_id)));
        });
      }));
  ports_.logger.Info("bus registered", {{"org_id", org_id}, {"bus_id", bus.id}});
  return bus;
}

absl::StatusOr<Bus> OperatorService::GetBus(const std::string& org_id, const std::string& bus_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto bus, ports_.store.FindBus(org_id, bus_id));
  if (!bus) return BusNotFound();
  return *std::move(bus);
}

absl::StatusOr<Page<Bus>> OperatorService::ListBuses(const std::string& org_id,
                                                     const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(auto start, PageStart(page));
  TRAVIO_ASSIGN_OR_RETURN(auto rows, ports_.store.ListBuses(org_id, start, page.limit + 1));
  return MakePage(std::move(rows), page.limit, [](const Bus& bus) {
    return ListPosition{bus.created_at, bus.id};
  });
}

absl::StatusOr<Bus> OperatorService::UpdateBus(const std::string& org_id, const std::string& bus_id,
                                               const BusPatch& patch) {
  std::vector<FieldError> errors;
  Bus updated;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](FleetUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(auto found, unit.FindBus(org_id, bus_id));
    if (!found) return BusNotFound();
    Bus bus = *std::move(found);
    const int64_t version = bus.version;
    if (patch.plate) CheckPlate(*patch.plate, bus.plate, errors);
    if (patch.name) CheckBusName(*patch.name, bus.name, errors);
    if (patch.bus_class) CheckClass(*patch.bus_class, bus.bus_class, errors);
    if (patch.amenities) bus.amenities = NormalizeAmenities(*patch.amenities, errors);
    if (patch.ac) bus.ac = *patch.ac;
    if (!errors.empty()) return Invalid(errors);
    if (patch.layout) {
      TRAVIO_RETURN_IF_ERROR(ValidateLayout(*patch.layout));
      bus.layout = *patch.layout;
    }
    bus.version = version + 1;
    bus.updated_at = ports_.clock.Now();
    TRAVIO_ASSIGN_OR_RETURN(const bool stored, unit.UpdateBus(bus, version));
    if (!stored) {
      return Error(reasons::kConcurrentUpdate, "The bus changed while this update ran; try again.");
    }
    updated = bus;
    return unit.Append(kBusUpdated.Make(SummaryOf(bus), Header(bus.id, org_id)));
  }));
  return updated;
}

absl::Status OperatorService::DeleteBus(const std::string& org_id, const std::string& bus_id) {
  return ports_.store.InTransaction([&](FleetUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(auto found, unit.FindBus(org_id, bus_id));
    if (!found) return BusNotFound();
    TRAVIO_ASSIGN_OR_RETURN(const bool deleted, unit.DeleteBus(org_id, bus_id));
    if (!deleted) return BusNotFound();
    return unit.Append(kBusRemoved.Make(SummaryOf(*found), Header(bus_id, org_id)));
  });
}

absl::StatusOr<StaffMember> OperatorService::CreateStaff(const std::string& org_id,
                                                         const StaffDraft& draft) {
  StaffMember member;
  std::vector<FieldError> errors;
  if (auto name = NormalizeName(draft.name, 200)) {
    member.name = *name;
  } else {
    errors.push_back({"name", "must be 1 to 200 bytes of printable text"});
  }
  if (auto role = ParseStaffRole(draft.role)) {
    member.role = *role;
  } else {
    errors.push_back({"role", "must be driver, conductor or helper"});
  }
  if (auto phone = NormalizePhone(draft.phone)) {
    member.phone = *phone;
  } else {
    errors.push_back({"phone", "must be a phone number of 6 to 16 digits"});
  }
  if (!draft.license_no.empty()) {
    auto license = NormalizePlate(draft.license_no);  // same alphabet as plates
    if (!license) {
      errors.push_back({"license_no", "must be 2 to 32 letters, digits, spaces or hyphens"});
    } else {
      member.license_no = *license;
    }
  }
  if (!draft.user_id.empty()) {
    if (IsUuid(draft.user_id)) {
      member.user_id = draft.user_id;
    } else {
      errors.push_back({"user_id", "must be the id of a member of the organization"});
    }
  }
  if (!errors.empty()) return Invalid(errors);
  member.id = ports_.ids.NewId();
  member.org_id = org_id;
  member.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(subscription::CreateWithinQuota(
      *ports_.quota, {.org_id = org_id, .quota = subscription::Quota::kStaff, .key = member.id},
      [&] {
        return ports_.store.InTransaction([&](FleetUnit& unit) -> absl::Status {
          TRAVIO_RETURN_IF_ERROR(unit.InsertStaff(member));
          return unit.Append(kStaffAdded.Make({.staff_id = member.id, .role = member.role},
                                              Header(member.id, org_id)));
        });
      }));
  return member;
}

absl::StatusOr<StaffMember> OperatorService::GetStaff(const std::string& org_id,
                                                      const std::string& staff_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto member, ports_.store.FindStaff(org_id, staff_id));
  if (!member) {
    return Error(reasons::kStaffNotFound, "No such staff member in this organization.");
  }
  return *std::move(member);
}

absl::StatusOr<Page<StaffMember>> OperatorService::ListStaff(const std::string& org_id,
                                                             const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(auto start, PageStart(page));
  TRAVIO_ASSIGN_OR_RETURN(auto rows, ports_.store.ListStaff(org_id, start, page.limit + 1));
  return MakePage(std::move(rows), page.limit, [](const StaffMember& member) {
    return ListPosition{member.created_at, member.id};
  });
}

}  // namespace travio::fleet
