#include "services/catalog/domain/gtfs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "absl/strings/str_split.h"
#include "services/catalog/domain/rules.h"

namespace travio::catalog {
namespace {

using ::testing::ElementsAre;
using ::testing::IsSupersetOf;
using ::testing::SizeIs;

// The lines of a CSV file, without the empty string after the final "\n".
std::vector<std::string> Lines(const std::string& file) {
  EXPECT_TRUE(file.ends_with('\n')) << file;
  std::vector<std::string> lines = absl::StrSplit(file, '\n');
  lines.pop_back();
  return lines;
}

Station MakeStation(std::string code, std::string name, double lat, double lon) {
  return Station{.code = std::move(code),
                 .name = std::move(name),
                 .city = "",
                 .lat = lat,
                 .lon = lon,
                 .timezone = "Asia/Dhaka"};
}

Route DhakaCoxsBazarRoute() {
  return Route{.id = "route-1",
               .org_id = "org-1",
               .name = "Dhaka - Cox's Bazar",
               .stops = {{"DHK", 0, 0, true, false},
                         {"CTG", 330, 345, true, true},
                         {"CXB", 570, 570, false, true}}};
}

Trip MakeTrip(std::string id, TripStatus status, const LocalDate& date, int departure_minutes) {
  const Route route = DhakaCoxsBazarRoute();
  const absl::Time departure = *LocalToInstant(date, departure_minutes, "Asia/Dhaka");
  const std::map<std::string, std::string> zones = {
      {"DHK", "Asia/Dhaka"}, {"CTG", "Asia/Dhaka"}, {"CXB", "Asia/Dhaka"}};
  return Trip{.id = std::move(id),
              .org_id = "org-1",
              .route_id = route.id,
              .route_name = route.name,
              .stops = *TripStops(route, departure, zones),
              .fares = {{"DHK", "CXB", 150000, "BDT", ""},
                        {"DHK", "CTG", 90000, "BDT", ""},
                        {"DHK", "CXB", 140000, "BDT", "ladies"}},
              .status = status};
}

GtfsNetwork DhakaNetwork() {
  return GtfsNetwork{
      .agency_id = "org-1",
      .agency_name = "Green Line, \"Night\" Coaches",
      .agency_url = "https://greenline.example",
      .agency_timezone = "Asia/Dhaka",
      .stations = {MakeStation("DHK", "Dhaka Sayedabad", 23.7104, 90.4074),
                   MakeStation("CTG", "Chattogram", 22.3569, 91.7832),
                   MakeStation("CXB", "Cox's Bazar, \"Kolatoli\"", 21.4272, 92.0058),
                   MakeStation("SYL", "Sylhet", 24.8949, 91.8687)},
      .routes = {DhakaCoxsBazarRoute()},
      .trips = {MakeTrip("trip-night", TripStatus::kPublished, {2026, 12, 20}, 22 * 60 + 30),
                MakeTrip("trip-draft", TripStatus::kDraft, {2026, 12, 21}, 8 * 60)}};
}

TEST(GtfsTest, WritesEveryFileOfTheFeed) {
  const auto files = GtfsFiles(DhakaNetwork());
  std::vector<std::string> names;
  for (const auto& [name, content] : files) names.push_back(name);
  EXPECT_THAT(names, ElementsAre("agency.txt", "calendar.txt", "calendar_dates.txt",
                                 "fare_attributes.txt", "fare_rules.txt", "routes.txt",
                                 "stop_times.txt", "stops.txt", "trips.txt"));
  EXPECT_EQ(files.at("calendar.txt"),
            "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,"
            "end_date\n");
}

TEST(GtfsTest, QuotesFieldsWithCommasAndQuotes) {
  const auto files = GtfsFiles(DhakaNetwork());
  EXPECT_THAT(Lines(files.at("agency.txt")),
              ElementsAre("agency_id,agency_name,agency_url,agency_timezone",
                          "org-1,\"Green Line, \"\"Night\"\" Coaches\",https://greenline.example,"
                          "Asia/Dhaka"));
}

TEST(GtfsTest, ListsOnlyTheStopsOfExportedTrips) {
  const auto files = GtfsFiles(DhakaNetwork());
  EXPECT_THAT(
      Lines(files.at("stops.txt")),
      ElementsAre("stop_id,stop_name,stop_lat,stop_lon,zone_id,stop_timezone",
                  "CTG,Chattogram,22.356900,91.783200,CTG,Asia/Dhaka",
                  "CXB,\"Cox's Bazar, \"\"Kolatoli\"\"\",21.427200,92.005800,CXB,Asia/Dhaka",
                  "DHK,Dhaka Sayedabad,23.710400,90.407400,DHK,Asia/Dhaka"));
}

TEST(GtfsTest, ExportsPublishedTripsAsOneDayServices) {
  const auto files = GtfsFiles(DhakaNetwork());
  EXPECT_THAT(Lines(files.at("routes.txt")),
              ElementsAre("route_id,agency_id,route_short_name,route_long_name,route_type",
                          "route-1,org-1,,Dhaka - Cox's Bazar,3"));
  EXPECT_THAT(Lines(files.at("trips.txt")),
              ElementsAre("route_id,service_id,trip_id", "route-1,trip-night,trip-night"));
  EXPECT_THAT(Lines(files.at("calendar_dates.txt")),
              ElementsAre("service_id,date,exception_type", "trip-night,20261220,1"));
  for (const auto& [name, content] : files) {
    EXPECT_EQ(content.find("trip-draft"), std::string::npos) << name;
  }
}

TEST(GtfsTest, NightCoachTimesRunPastMidnightOfTheServiceDay) {
  const auto files = GtfsFiles(DhakaNetwork());
  EXPECT_THAT(Lines(files.at("stop_times.txt")),
              ElementsAre("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,"
                          "drop_off_type",
                          "trip-night,22:30:00,22:30:00,DHK,1,0,1",
                          "trip-night,28:00:00,28:15:00,CTG,2,0,0",
                          "trip-night,32:00:00,32:00:00,CXB,3,1,0"));
}

TEST(GtfsTest, ExportsScheduledTimesOfADelayedTrip) {
  GtfsNetwork network = DhakaNetwork();
  network.trips[0].status = TripStatus::kDelayed;
  network.trips[0].delay_minutes = 45;
  EXPECT_THAT(Lines(GtfsFiles(network).at("stop_times.txt")),
              IsSupersetOf({"trip-night,22:30:00,22:30:00,DHK,1,0,1"}));
}

TEST(GtfsTest, PricesJourneysButNotSeatCategories) {
  const auto files = GtfsFiles(DhakaNetwork());
  EXPECT_THAT(
      Lines(files.at("fare_attributes.txt")),
      ElementsAre("fare_id,price,currency_type,payment_method,transfers,agency_id",
                  "route-1:DHK-CTG,900.00,BDT,1,0,org-1", "route-1:DHK-CXB,1500.00,BDT,1,0,org-1"));
  EXPECT_THAT(Lines(files.at("fare_rules.txt")),
              ElementsAre("fare_id,route_id,origin_id,destination_id",
                          "route-1:DHK-CTG,route-1,DHK,CTG", "route-1:DHK-CXB,route-1,DHK,CXB"));
  EXPECT_EQ(files.at("fare_attributes.txt").find("1400.00"), std::string::npos);
}

TEST(GtfsTest, PricesInEachCurrencysOwnMinorUnits) {
  GtfsNetwork network = DhakaNetwork();
  network.trips[0].fares = {{"DHK", "CXB", 150000, "JPY", ""}, {"DHK", "CTG", 1500, "KWD", ""}};
  const auto files = GtfsFiles(network);
  EXPECT_THAT(
      Lines(files.at("fare_attributes.txt")),
      ElementsAre("fare_id,price,currency_type,payment_method,transfers,agency_id",
                  "route-1:DHK-CTG,1.500,KWD,1,0,org-1", "route-1:DHK-CXB,150000,JPY,1,0,org-1"));
}

TEST(GtfsTest, TripsOfOneRouteShareEqualFaresAndSplitDifferentOnes) {
  GtfsNetwork network = DhakaNetwork();
  network.trips.push_back(MakeTrip("trip-morning", TripStatus::kBoarding, {2026, 12, 21}, 8 * 60));
  Trip cheaper = MakeTrip("trip-noon", TripStatus::kPublished, {2026, 12, 21}, 12 * 60);
  cheaper.fares[0].amount = 120050;
  network.trips.push_back(cheaper);

  const auto files = GtfsFiles(network);
  EXPECT_THAT(Lines(files.at("fare_attributes.txt")),
              ElementsAre("fare_id,price,currency_type,payment_method,transfers,agency_id",
                          "route-1:DHK-CTG,900.00,BDT,1,0,org-1",
                          "route-1:DHK-CXB:120050BDT,1200.50,BDT,1,0,org-1",
                          "route-1:DHK-CXB:150000BDT,1500.00,BDT,1,0,org-1"));
  EXPECT_THAT(Lines(files.at("calendar_dates.txt")),
              ElementsAre("service_id,date,exception_type", "trip-morning,20261221,1",
                          "trip-night,20261220,1", "trip-noon,20261221,1"));
}

TEST(GtfsTest, LeavesOutTripsCallingAtUnknownStations) {
  GtfsNetwork network = DhakaNetwork();
  network.stations.erase(network.stations.begin() + 1);  // CTG
  const auto files = GtfsFiles(network);
  EXPECT_THAT(Lines(files.at("trips.txt")), ElementsAre("route_id,service_id,trip_id"));
  EXPECT_THAT(Lines(files.at("stops.txt")),
              ElementsAre("stop_id,stop_name,stop_lat,stop_lon,zone_id,stop_timezone"));
  EXPECT_THAT(Lines(files.at("stop_times.txt")), SizeIs(1));
}

TEST(GtfsTest, CountsFromNoonMinusTwelveHoursOnADaylightSavingDay) {
  // New York springs forward at 02:00 on 2026-03-08: noon minus 12h is 23:00 of the day
  // before, so a 05:00 departure still reads "05:00:00".
  Route route{.id = "ny",
              .name = "New York - Boston",
              .stops = {{"NYC", 0, 0, true, false}, {"BOS", 270, 270, false, true}}};
  const absl::Time departure = *LocalToInstant({2026, 3, 8}, 5 * 60, "America/New_York");
  Trip trip{.id = "t",
            .route_id = "ny",
            .route_name = route.name,
            .stops = *TripStops(route, departure,
                                {{"NYC", "America/New_York"}, {"BOS", "America/New_York"}}),
            .status = TripStatus::kPublished};
  Station nyc = MakeStation("NYC", "New York", 40.75, -73.99);
  Station bos = MakeStation("BOS", "Boston", 42.35, -71.06);
  nyc.timezone = bos.timezone = "America/New_York";
  const GtfsNetwork network{.agency_id = "a",
                            .agency_name = "A",
                            .agency_url = "https://a.example",
                            .agency_timezone = "America/New_York",
                            .stations = {nyc, bos},
                            .routes = {route},
                            .trips = {trip}};
  const auto files = GtfsFiles(network);
  EXPECT_THAT(Lines(files.at("stop_times.txt")),
              IsSupersetOf({"t,05:00:00,05:00:00,NYC,1,0,1", "t,09:30:00,09:30:00,BOS,2,1,0"}));
  EXPECT_THAT(Lines(files.at("stops.txt")),
              IsSupersetOf({"NYC,New York,40.750000,-73.990000,NYC,America/New_York"}));
}

}  // namespace
}  // namespace travio::catalog
