// Schedules and the trips generated from them.
#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "platform/base/absl_interop.h"
#include "platform/base/caller_deadline.h"
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

absl::StatusOr<Schedule> CatalogService::ScheduleFrom(const std::string& org_id,
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
  schedule.route_id = route.id;
  schedule.bus_id = bus.id;
  schedule.departure_minutes = *time;
  schedule.weekdays = *mask;
  schedule.start_date = *start;
  schedule.end_date = *end;
  schedule.publish = draft.publish;
  return schedule;
}

absl::StatusOr<Schedule> CatalogService::CreateSchedule(const std::string& org_id,
                                                        const ScheduleDraft& draft) {
  TRAVIO_ASSIGN_OR_RETURN(Schedule schedule, ScheduleFrom(org_id, draft));
  schedule.id = ports_.ids.NewId();
  schedule.org_id = org_id;
  schedule.created_at = ports_.clock.Now();
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction(
      [&](CatalogUnit& unit) -> absl::Status { return unit.InsertSchedule(schedule); }));
  return schedule;
}

absl::StatusOr<Page<Schedule>> CatalogService::ListSchedules(const std::string& org_id,
                                                             const std::string& route_id,
                                                             const PageRequest& page) {
  TRAVIO_ASSIGN_OR_RETURN(auto start, PageStart(page));
  TRAVIO_ASSIGN_OR_RETURN(
      auto rows, ports_.store.Reads().ListSchedules(org_id, route_id, start, page.limit + 1));
  return MakePage(std::move(rows), page.limit, [](const Schedule& schedule) {
    return ListPosition{schedule.created_at, schedule.id};
  });
}

absl::StatusOr<Schedule> CatalogService::GetSchedule(const std::string& org_id,
                                                     const std::string& schedule_id) {
  TRAVIO_ASSIGN_OR_RETURN(auto found, ports_.store.Reads().FindSchedule(org_id, schedule_id));
  if (!found) return Error(reasons::kScheduleNotFound, "No such schedule in this organization.");
  return *std::move(found);
}

namespace {

// The schedule as a draft again: what a change starts from.
ScheduleDraft DraftOf(const Schedule& schedule) {
  ScheduleDraft draft{.route_id = schedule.route_id,
                      .bus_id = schedule.bus_id,
                      .departure_time = FormatClockTime(schedule.departure_minutes),
                      .days = WeekdayNames(schedule.weekdays),
                      .start_date = FormatLocalDate(schedule.start_date),
                      .end_date = FormatLocalDate(schedule.end_date),
                      .except_dates = {},
                      .fares = schedule.fares,
                      .publish = schedule.publish};
  for (const LocalDate& date : schedule.except_dates) {
    draft.except_dates.push_back(FormatLocalDate(date));
  }
  return draft;
}

constexpr std::string_view kPatchable[] = {"bus_id",   "departure_time", "days",  "start_date",
                                           "end_date", "except_dates",   "fares", "publish"};

}  // namespace

absl::StatusOr<Schedule> CatalogService::UpdateSchedule(const std::string& org_id,
                                                        const std::string& schedule_id,
                                                        const SchedulePatch& patch) {
  std::vector<FieldError> unknown;
  for (const std::string& field : patch.fields) {
    if (std::find(std::begin(kPatchable), std::end(kPatchable), field) == std::end(kPatchable)) {
      unknown.push_back({field.substr(0, 64), "cannot be changed"});
    }
  }
  if (!unknown.empty()) return Invalid(reasons::kValidationFailed, unknown);
  // Read, change, write if nothing changed it meanwhile (an ending, another change); a change
  // lost to a race is made again on the newer schedule, twice at most.
  for (int attempt = 0;; ++attempt) {
    TRAVIO_ASSIGN_OR_RETURN(Schedule current, GetSchedule(org_id, schedule_id));
    ScheduleDraft draft = DraftOf(current);
    const ScheduleDraft& given = patch.values;
    auto set = [&](std::string_view name) { return patch.fields.count(std::string(name)) > 0; };
    if (set("bus_id")) draft.bus_id = given.bus_id;
    if (set("departure_time")) draft.departure_time = given.departure_time;
    if (set("days")) draft.days = given.days;
    if (set("start_date")) draft.start_date = given.start_date;
    if (set("end_date")) draft.end_date = given.end_date;
    if (set("except_dates")) draft.except_dates = given.except_dates;
    if (set("fares")) draft.fares = given.fares;
    if (set("publish")) draft.publish = given.publish;
    TRAVIO_ASSIGN_OR_RETURN(Schedule changed, ScheduleFrom(org_id, draft));
    changed.id = current.id;
    changed.org_id = current.org_id;
    changed.created_at = current.created_at;
    changed.version = current.version + 1;
    bool raced = false;
    TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
      TRAVIO_ASSIGN_OR_RETURN(bool updated, unit.UpdateSchedule(changed, current.version));
      if (!updated) {
        raced = true;
        return absl::OkStatus();
      }
      // Holding the schedule, no trip can be generated meanwhile: those already made show
      // whether the dates still cover them. Trips are cancelled by ending the schedule only.
      TRAVIO_ASSIGN_OR_RETURN(const std::set<std::string> made,
                              unit.ServiceDatesOf(org_id, schedule_id));
      const std::string first = FormatLocalDate(changed.start_date);
      const std::string last = FormatLocalDate(changed.end_date);
      for (const std::string& date : made) {
        if (date < first || date > last) {
          return WithFieldErrors(
              Error(reasons::kTripsOutsideSchedule,
                    "Trips were already made outside these dates: end the schedule to stop it "
                    "(and cancel its later trips), or keep the dates."),
              {{date > last ? "end_date" : "start_date",
                absl::StrCat("the schedule already made a trip on ", date)}});
        }
      }
      return absl::OkStatus();
    }));
    if (!raced) {
      ports_.logger.Info("schedule changed", {{"org_id", org_id}, {"schedule_id", schedule_id}});
      return changed;
    }
    if (attempt == 2) {
      return Error(reasons::kConcurrentUpdate, "The schedule kept changing; try again.");
    }
  }
}

absl::StatusOr<ScheduleEnding> CatalogService::EndSchedule(const std::string& org_id,
                                                           const std::string& schedule_id,
                                                           const ScheduleEnd& end) {
  const absl::Time answer_by = AnswerBy();
  auto last = ParseLocalDate(end.last_date);
  if (!last.ok()) {
    return Invalid(reasons::kValidationFailed, {{"last_date", "must be a date (2026-12-31)"}});
  }
  if (end.reason.size() > 500) {
    return Invalid(reasons::kValidationFailed, {{"reason", "at most 500 bytes"}});
  }
  // Read and shortened under the schedule's lock, so no change or generation slips between.
  ScheduleEnding ending;
  TRAVIO_RETURN_IF_ERROR(ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
    TRAVIO_ASSIGN_OR_RETURN(std::optional<Schedule> schedule,
                            end.dry_run ? unit.FindSchedule(org_id, schedule_id)
                                        : unit.LockSchedule(org_id, schedule_id));
    if (!schedule) {
      return Error(reasons::kScheduleNotFound, "No such schedule in this organization.");
    }
    if (*last < schedule->start_date) {
      return Invalid(reasons::kInvalidDateRange,
                     {{"last_date", "must be on or after the schedule's first day, " +
                                        FormatLocalDate(schedule->start_date)}});
    }
    ending.schedule = *schedule;
    // Never longer than it was: ending is not a way round the three-year limit.
    if (end.dry_run || !(*last < schedule->end_date)) return absl::OkStatus();
    ending.schedule.end_date = *last;
    ending.schedule.version = schedule->version + 1;
    TRAVIO_ASSIGN_OR_RETURN(bool updated, unit.UpdateSchedule(ending.schedule, schedule->version));
    if (!updated) return Error(reasons::kConcurrentUpdate, "The schedule changed; try again.");
    return absl::OkStatus();
  }));

  // The trips it made after the last day: generation holds the schedule for each trip it
  // makes, so every trip made before the ending was saved is in this list, and none after it.
  const absl::Time now = ports_.clock.Now();
  TripFilter later{.from_date = NextDay(*last),
                   .to_date = std::nullopt,
                   .route_id = "",
                   .status = std::nullopt,
                   .schedule_id = schedule_id};
  std::optional<ListPosition> after;
  int tried = 0;  // trips this call went to cancel, whatever came of it
  for (;;) {
    TRAVIO_ASSIGN_OR_RETURN(std::vector<Trip> trips,
                            ports_.store.Reads().ListTrips(org_id, later, after, 200));
    for (const Trip& trip : trips) {
      if (!trip.service_date || !(*last < *trip.service_date)) continue;
      if (trip.status == TripStatus::kCancelled || trip.status == TripStatus::kCompleted) continue;
      const bool open =
          (trip.status == TripStatus::kDraft || trip.status == TripStatus::kPublished ||
           trip.status == TripStatus::kDelayed) &&
          trip.arrival() + trip.delay() > now;
      if (!end.cancel_later_trips || !open) {
        ++ending.kept;
      } else if (end.dry_run) {
        ++ending.cancelled;
      } else if (ending.cancelled >= kMostTripsCancelledAtOnce ||
                 (tried > 0 && ports_.clock.Now() >= answer_by)) {
        ++ending.remaining;
      } else {
        const std::string reason = end.reason.empty() ? "the schedule was ended" : end.reason;
        ++tried;
        absl::StatusOr<Trip> cancelled = CancelTrip(org_id, trip.id, reason);
        // A trip changed at that moment (a delay): once more on the newer trip.
        if (absl::IsAborted(cancelled.status())) cancelled = CancelTrip(org_id, trip.id, reason);
        if (cancelled.ok()) {
          ++ending.cancelled;
        } else if (absl::IsFailedPrecondition(cancelled.status())) {
          ++ending.kept;  // it left or arrived in the meantime
        } else if (absl::IsAborted(cancelled.status())) {
          ++ending.remaining;
        } else {
          // What was done stays done; the answer says how much, and calling again goes on.
          return WithProblemFields(cancelled.status(), {{"cancelled", int64_t{ending.cancelled}}});
        }
      }
    }
    if (trips.size() < 200) break;
    after = ListPosition{trips.back().departure(), trips.back().id};
  }
  if (!end.dry_run) {
    ports_.logger.Info("schedule ended", {{"org_id", org_id},
                                          {"schedule_id", schedule_id},
                                          {"last_date", end.last_date},
                                          {"cancelled", ending.cancelled},
                                          {"kept", ending.kept},
                                          {"remaining", ending.remaining}});
  }
  return ending;
}

absl::StatusOr<GenerationResult> CatalogService::GenerateTrips(const std::string& org_id,
                                                               const std::string& schedule_id,
                                                               const std::string& until_text) {
  const absl::Time answer_by = AnswerBy();
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
  int tried = 0;  // dates this call went to make a trip for
  const std::vector<LocalDate> dates = ServiceDates(schedule, today, *until);
  for (size_t next = 0; next < dates.size(); ++next) {
    const LocalDate& date = dates[next];
    if (made.count(FormatLocalDate(date))) {
      ++result.existing;
      continue;
    }
    // At least one date a call, made here or by a racing run, so the calls always get on.
    if (tried > 0 && ports_.clock.Now() >= answer_by) {
      // Out of time (a long horizon on a busy database): the answer says what is left, and
      // the next call goes on from the first date still without a trip.
      for (; next < dates.size(); ++next) {
        ++(made.count(FormatLocalDate(dates[next])) ? result.existing : result.remaining);
      }
      break;
    }
    TRAVIO_ASSIGN_OR_RETURN(absl::Time departure,
                            LocalToInstant(date, schedule.departure_minutes, origin_zone));
    if (departure <= now) continue;  // today's run already left
    ++tried;
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
    bool schedule_moved = false;
    const absl::Status stored = ports_.store.InTransaction([&](CatalogUnit& unit) -> absl::Status {
      // Held while the trip is made: an ending or a change saved meanwhile is seen here, and
      // one saved after waits until this trip is in (where an ending finds it).
      TRAVIO_ASSIGN_OR_RETURN(std::optional<Schedule> now_stored,
                              unit.LockSchedule(org_id, schedule.id));
      if (!now_stored || now_stored->version != schedule.version) {
        schedule_moved = true;
        return absl::OkStatus();
      }
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
    if (schedule_moved) {
      // Changed or ended while this run was making trips: the rest would follow the old
      // schedule. What was made stays; running again follows the schedule as it is now.
      return WithProblemFields(
          Error(reasons::kConcurrentUpdate,
                "The schedule changed while its trips were being made; generate again."),
          {{"created", int64_t{result.created}}});
    }
    if (inserted) {
      ++result.created;
    } else {
      ++result.existing;
    }
  }
  ports_.logger.Info("schedule generated", {{"org_id", org_id},
                                            {"schedule_id", schedule_id},
                                            {"created", result.created},
                                            {"existing", result.existing},
                                            {"remaining", result.remaining}});
  return result;
}

absl::Time CatalogService::AnswerBy() const {
  const absl::Time now = ports_.clock.Now();
  absl::Time by = now + settings_.longest_call;
  if (const absl::Time caller_gives_up = CallerDeadline();
      caller_gives_up != absl::InfiniteFuture()) {
    // The caller's deadline is on the wall clock: what is left of it, on the service's clock.
    by = std::min(by, now + (caller_gives_up - absl::Now()) / 2);
  }
  return by;
}

}  // namespace travio::catalog
