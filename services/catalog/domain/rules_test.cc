#include "services/catalog/domain/rules.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::catalog {
namespace {

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(status)) fields.push_back(error.field);
  return fields;
}

Route DhakaCoxsBazar() {
  return Route{.name = "Dhaka - Cox's Bazar",
               .stops = {{"DHK", 0, 0, true, false},
                         {"ctg", 330, 345, true, true},
                         {"CXB", 570, 570, false, true}}};
}

TEST(RouteRulesTest, AcceptsAnOrderedRouteAndNormalisesCodes) {
  Route route = DhakaCoxsBazar();
  ASSERT_OK(ValidateRoute(route));
  EXPECT_EQ(route.stops[1].station, "CTG");
}

TEST(RouteRulesTest, RefusesShortLoopingOrBackwardRoutes) {
  Route one{.name = "x", .stops = {{"DHK", 0, 0, true, true}}};
  EXPECT_EQ(ReasonOf(ValidateRoute(one)), "invalid_route");
  Route backward = DhakaCoxsBazar();
  backward.stops[2].arrive_offset_min = 300;
  EXPECT_EQ(FieldsOf(ValidateRoute(backward)),
            std::vector<std::string>{"stops[2].arrive_offset_min"});
  Route loop = DhakaCoxsBazar();
  loop.stops[2].station = "DHK";
  EXPECT_EQ(FieldsOf(ValidateRoute(loop)), std::vector<std::string>{"stops[2].station"});
  Route late_start = DhakaCoxsBazar();
  late_start.stops[0].depart_offset_min = 10;
  EXPECT_EQ(ReasonOf(ValidateRoute(late_start)), "invalid_route");
}

TEST(FareRulesTest, EveryPairOnSaleMustPriceEverySeatCategory) {
  Route route = DhakaCoxsBazar();
  ASSERT_OK(ValidateRoute(route));
  // A 2+2 coach whose first seat is kept for ladies.
  const std::set<std::string> layout = {"ladies", "standard"};
  std::vector<Fare> fares = {{"DHK", "CXB", 150000, "bdt", ""}};
  EXPECT_OK(ValidateFares(route, layout, fares));
  EXPECT_EQ(fares[0].currency, "BDT");

  std::vector<Fare> only_ladies = {{"DHK", "CXB", 150000, "BDT", "ladies"}};
  EXPECT_EQ(ReasonOf(ValidateFares(route, layout, only_ladies)), "missing_fare");
  std::vector<Fare> no_end_to_end = {{"DHK", "CTG", 90000, "BDT", ""}};
  EXPECT_EQ(ReasonOf(ValidateFares(route, layout, no_end_to_end)), "missing_fare");

  const Fare ladies{"DHK", "CXB", 140000, "BDT", "ladies"};
  EXPECT_EQ(FareFor({fares[0], ladies}, "DHK", "CXB", "ladies")->amount, 140000);
  EXPECT_EQ(FareFor({fares[0], ladies}, "DHK", "CXB", "standard")->amount, 150000);
  EXPECT_FALSE(FareFor({fares[0], ladies}, "DHK", "CTG", "standard"));
}

TEST(FareRulesTest, RefusesFaresOffTheRouteOrAgainstItsFlags) {
  Route route = DhakaCoxsBazar();
  ASSERT_OK(ValidateRoute(route));
  const std::set<std::string> layout = {"standard"};  // a 2+2 coach of standard seats
  std::vector<Fare> fares = {{"DHK", "CXB", 150000, "BDT", ""},
                             {"CXB", "DHK", 150000, "BDT", ""},
                             {"DHK", "SYL", 100, "BDT", ""},
                             {"DHK", "CTG", -5, "USD", "royal"},
                             {"DHK", "CXB", 1, "BDT", ""}};
  const absl::Status status = ValidateFares(route, layout, fares);
  EXPECT_EQ(ReasonOf(status), "invalid_fares");
  EXPECT_EQ(FieldsOf(status),
            (std::vector<std::string>{"fares[1].to", "fares[2].to", "fares[3].amount",
                                      "fares[3].currency", "fares[3].category", "fares[4]"}));
}

TEST(TripRulesTest, StopTimesFollowTheRouteOffsets) {
  Route route = DhakaCoxsBazar();
  ASSERT_OK(ValidateRoute(route));
  const absl::Time departure = *LocalToInstant({2026, 12, 20}, 22 * 60 + 30, "Asia/Dhaka");
  auto stops = TripStops(route, departure,
                         {{"DHK", "Asia/Dhaka"}, {"CTG", "Asia/Dhaka"}, {"CXB", "Asia/Dhaka"}});
  ASSERT_OK(stops);
  EXPECT_EQ(FormatInZone((*stops)[1].arrive_at, "Asia/Dhaka"), "2026-12-21T04:00:00+06:00");
  EXPECT_EQ(FormatInZone((*stops)[2].arrive_at, "Asia/Dhaka"), "2026-12-21T08:00:00+06:00");
  EXPECT_FALSE(TripStops(route, departure, {{"DHK", "Asia/Dhaka"}}).ok());
}

TEST(TripRulesTest, LifecycleAllowsOnlyItsTransitions) {
  using enum TripStatus;
  EXPECT_EQ(*NextStatus(kDraft, TripAction::kPublish), kPublished);
  EXPECT_EQ(*NextStatus(kPublished, TripAction::kDelay), kDelayed);
  EXPECT_EQ(*NextStatus(kDelayed, TripAction::kBoard), kBoarding);
  EXPECT_EQ(*NextStatus(kBoarding, TripAction::kDepart), kDeparted);
  EXPECT_EQ(*NextStatus(kDeparted, TripAction::kComplete), kCompleted);
  EXPECT_EQ(*NextStatus(kPublished, TripAction::kCancel), kCancelled);
  EXPECT_EQ(ReasonOf(NextStatus(kPublished, TripAction::kPublish).status()), "invalid_transition");
  EXPECT_FALSE(NextStatus(kDraft, TripAction::kBoard).ok());
  EXPECT_FALSE(NextStatus(kDeparted, TripAction::kCancel).ok());
  EXPECT_FALSE(NextStatus(kCancelled, TripAction::kPublish).ok());
  EXPECT_FALSE(NextStatus(kCompleted, TripAction::kDelay).ok());
}

TEST(ScheduleRulesTest, ServiceDatesHonourWeekdaysRangeAndExceptions) {
  Schedule schedule{.weekdays = *WeekdayMask({"mon", "wed", "fri"}),
                    .start_date = {2026, 11, 30},
                    .end_date = {2026, 12, 31},
                    .except_dates = {{2026, 12, 2}}};
  const auto dates = ServiceDates(schedule, {2026, 11, 1}, {2026, 12, 7});
  std::vector<std::string> texts;
  for (const LocalDate& date : dates) texts.push_back(FormatLocalDate(date));
  EXPECT_EQ(texts, (std::vector<std::string>{"2026-11-30", "2026-12-04", "2026-12-07"}));
  EXPECT_EQ(ServiceDates(schedule, {2027, 1, 1}, {2027, 2, 1}).size(), 0u);
  EXPECT_EQ(*WeekdayMask({"daily"}), 0x7f);
  EXPECT_FALSE(WeekdayMask({"funday"}).ok());
  EXPECT_FALSE(WeekdayMask({}).ok());
  EXPECT_EQ(WeekdayNames(*WeekdayMask({"sun", "mon"})), (std::vector<std::string>{"mon", "sun"}));
}

TEST(CrewRulesTest, DutiesNeedRestBetweenThem) {
  Trip first;
  first.stops = {TripStop{.depart_at = absl::FromUnixSeconds(0)},
                 TripStop{.arrive_at = absl::FromUnixSeconds(0) + absl::Hours(6)}};
  Trip second = first;
  for (TripStop& stop : second.stops) {
    stop.depart_at += absl::Hours(7);
    stop.arrive_at += absl::Hours(7);
  }
  EXPECT_FALSE(Overlaps(DutyWindowOf(first, absl::Hours(1)), DutyWindowOf(second, absl::Hours(1))));
  EXPECT_TRUE(Overlaps(DutyWindowOf(first, absl::Hours(2)), DutyWindowOf(second, absl::Hours(2))));
  first.delay_minutes = 90;  // a late arrival eats the rest
  EXPECT_TRUE(Overlaps(DutyWindowOf(first, absl::Hours(1)), DutyWindowOf(second, absl::Hours(1))));
  EXPECT_TRUE(RoleCanTake("driver", Duty::kCoDriver));
  EXPECT_FALSE(RoleCanTake("helper", Duty::kDriver));
  EXPECT_TRUE(RoleCanTake("conductor", Duty::kHelper));
}

TEST(StationRulesTest, ChecksEveryField) {
  Station station{.code = " dhk ",
                  .name = "Dhaka",
                  .city = "Dhaka",
                  .lat = 23.8,
                  .lon = 90.4,
                  .timezone = "Asia/Dhaka"};
  EXPECT_OK(ValidateStation(station));
  EXPECT_EQ(station.code, "DHK");
  Station bad{.code = "D", .name = "", .city = "x", .lat = 91, .lon = 0, .timezone = "Dhaka"};
  EXPECT_EQ(FieldsOf(ValidateStation(bad)),
            (std::vector<std::string>{"code", "name", "lat", "timezone"}));
}

}  // namespace
}  // namespace travio::catalog
