// Schedules and the trips generated from them.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "services/catalog/api/bus_snapshot.h"
#include "services/catalog/api/catalog_events.h"
#include "services/catalog/app/catalog_refusals.h"
#include "services/catalog/app/catalog_service.h"
#include "services/catalog/domain/gtfs.h"
#include "services/catalog/domain/rules.h"
#include "services/operator/api/layout_document.h"

namespace travio::catalog {

absl::StatusOr<Schedule> CatalogService::CreateSchedule(const std::string& org_id,
                                                        const ScheduleDraft& draft) {
  std::vector<FieldError> errors;
  Schedule schedule;
  auto time = ParseClockTime(draft.departure_time);
  if (!time.ok()) errors.push_back({"departure_time", "must be HH:MM (22:30)"});
  auto mask = WeekdayMask(draft.days);
  if (!mask.ok()) errors.push_back({"days", "\"daily\" or a list of mon, tue, ... sun"});
  auto start = ParseLocalDate(draft.start_date);
  if (!start.ok()) errors.push_back({"start_date", "must be a date (2026-12-01)"});
  auto end = ParseLocalDate(draft.end_date);
  if (!end.ok()) errors.push_back({"end_date", "must be a date (2026-12-31)"});
  const bool bad_range =
      start.ok() && end.ok() && (*end < *start || DaysBetween(*start, *end) > 3 * 366);
  if (draft.except_dates.size() > 366) errors.push_back({"except_dates", "at most 366 dates"});
  for (size_t i = 0; i < draft.except_dates.size() && i < 366; ++i) {
    auto date = ParseLocalDate(draft.except_dates[i]);
    if (!date.ok()) {
      errors.push_back({absl::StrCat("except_dates[", i, "]"), "must be a date"});
    } else {
      schedule.except_dates.push_back(*date);
    }
  }
  if (!errors.empty()) return Invalid(reasons::kValidationFailed, errors);
  if (bad_range) {
    return Invalid(reasons::kInvalidDateRange,
                   {{"end_date", "must be on or after start_date, within three years"}});
  }
  TRAVIO_ASSIGN_OR_RETURN(Route route, GetRoute(org_id, draft.route_id));
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, draft.bus_id));
  schedule.fares = draft.fares;
  TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), schedule.fares));
  schedule.id = ports_.ids.NewId();
  schedule.org_id = org_id;
  schedule.route_id = route.id;
  schedule.bus_id = bus.id;
  schedule.departure_minutes = *time;
  schedule.weekdays = *mask;
  schedule.start_date = *start;
  schedule.end_date = *end;
  schedule.publish = draft.publish;
  schedule.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction(
      [&](CatalogUnit& unit) -> absl::Status { return unit.InsertSchedule(schedule); }));
  return schedule;
}

absl::StatusOr<GenerationResult> CatalogService::GenerateTrips(const std::string& org_id,
                                                               const std::string& schedule_id,
                                                               const std::string& until_text) {
  auto until = ParseLocalDate(until_text);
  if (!until.ok())
    return Invalid(reasons::kValidationFailed, {{"until", "must be a date (2026-12-31)"}});
  TRAVIO_ASSIGN_OR_RETURN(auto found, ports_.store.Reads().FindSchedule(org_id, schedule_id));
  if (!found) {
    return Error(reasons::kScheduleNotFound, "No such schedule in this organization.");
  }
  const Schedule schedule = *std::move(found);
  TRAVIO_ASSIGN_OR_RETURN(Route route, GetRoute(org_id, schedule.route_id));
  TRAVIO_ASSIGN_OR_RETURN(auto zones, ZonesOf(ports_.store.Reads(), route));
  const std::string& origin_zone = zones.at(route.stops.front().station);
  const absl::Time now = ports_.clock.Now();
  const LocalDate today = DateInZone(now, origin_zone);
  if (DaysBetween(today, *until) > settings_.generation_horizon_days) {
    return Invalid(
        reasons::kBeyondHorizon,
        {{"until", absl::StrCat("at most ", settings_.generation_horizon_days, " days ahead")}});
  }
  TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, ports_.fleet->GetBus(org_id, schedule.bus_id));
  // The bus may have changed since the schedule was made: its seats must still be priced.
  std::vector<Fare> fares = schedule.fares;
  TRAVIO_RETURN_IF_ERROR(ValidateFares(route, SoldCategories(bus.layout), fares));
  TRAVIO_ASSIGN_OR_RETURN(const std::set<std::string> made,
                          ports_.store.Reads().ServiceDatesOf(org_id, schedule.id));

  GenerationResult result;
  for (const LocalDate& date : ServiceDates(schedule, today, *until)) {
    if (made.count(FormatLocalDate(date))) {
      ++result.existing;
      continue;
    }
    TRAVIO_ASSIGN_OR_RETURN(absl::Time departure,
                            LocalToInstant(date, schedule.departure_minutes, origin_zone));
    if (departure <= now) continue;  // today's run already left
    TRAVIO_ASSIGN_OR_RETURN(
        Trip trip, NewTrip(org_id, route, zones, bus, departure, fares,
                           schedule.publish ? TripStatus::kPublished : TripStatus::kDraft));
    trip.schedule_id = schedule.id;
    trip.service_date = date;
    // A published trip is reserved against the plan first; a refusal stops the run after the
    // whole trips made before it (a larger plan, then the same run again, makes the rest).
    bool reserved = false;
    if (trip.status == TripStatus::kPublished) {
      absl::StatusOr<bool> made = ports_.quota->Reserve(PublishingOf(trip));
      if (!made.ok()) {
        // Said with the refusal: how many trips this run made before it.
        std::vector<ProblemField> fields = ProblemFieldsOf(made.status());
        fields.push_back({"created", int64_t{result.created}});
        return WithProblemFields(made.status(), fields);
      }
      reserved = *made;
    }
    // One transaction per trip: a long horizon never holds the writer for long, and a failure
    // half-way leaves whole trips that the next run counts as existing. A racing run that made
    // the date first leaves the insert without effect.
    bool inserted = false;
    const absl::Status stored = ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(inserted, unit.InsertTrip(trip));
      if (inserted && trip.status == TripStatus::kPublished) {
        TRAVIO_RETURN_IF_ERROR(unit.Append(TripEvent(kTripPublished, trip)));
      }
      return absl::OkStatus();
    });
    if (reserved && (!stored.ok() || !inserted)) {
      ports_.quota->Release(PublishingOf(trip)).IgnoreError();
    }
    TRAVIO_RETURN_IF_ERROR(stored);
    if (inserted) {
      ++result.created;
    } else {
      ++result.existing;
    }
  }
  ports_.logger.Info("schedule generated", {{"org_id", org_id},
                                            {"schedule_id", schedule_id},
                                            {"created", result.created},
                                            {"existing", result.existing}});
  return result;
}

}  // namespace travio::catalog
