#include "cmd/travio/demo_seed.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/status_macros.h"
#include "platform/crypto/encoding.h"
#include "services/catalog/api/catalog_client.h"
#include "services/catalog/seed/bangladesh_stations.h"
#include "services/identity/api/identity_client.h"
#include "services/operator/api/operator_client.h"
#include "services/pricing/api/pricing_client.h"
#include "services/queue/api/queue_client.h"
#include "services/subscription/api/subscription_client.h"

namespace travio {
namespace {

constexpr char kDemoEmail[] = "manager@demo-paribahan.travio.test";
constexpr char kDemoOrg[] = "Demo Paribahan";
constexpr char kDemoRoom[] = "demo-ticket-drop";
constexpr char kZone[] = "Asia/Dhaka";
constexpr int kHorizonDays = 30;

struct DemoBus {
  const char* plate;
  const char* name;
  const char* bus_class;
  bool ac;
  std::vector<std::string> amenities;
  const char* layout;
  int rows;
};

struct DemoRoute {
  const char* name;
  std::vector<catalog::RouteStop> stops;
  std::vector<catalog::Fare> fares;                     // amounts in poisha
  std::vector<std::pair<const char*, int>> departures;  // local time, bus index
};

catalog::Fare Taka(const char* from, const char* to, int64_t taka, const char* category = "") {
  return catalog::Fare{
      .from = from, .to = to, .amount = taka * 100, .currency = "BDT", .category = category};
}

// Boarding only at the first stop, getting off only at the last; both at the ones between.
std::vector<catalog::RouteStop> Stops(
    std::initializer_list<std::tuple<const char*, int, int>> stops) {
  std::vector<catalog::RouteStop> out;
  for (const auto& [station, arrive, depart] : stops) {
    out.push_back({station, arrive, depart, true, true});
  }
  out.front().dropping = false;
  out.back().boarding = false;
  return out;
}

std::vector<DemoBus> Buses() {
  return {
      {"DHAKA METRO-BA 11-0001",
       "Scania Multi-Axle",
       "seater",
       true,
       {"wifi", "usb_charging", "water"},
       "2+2",
       10},
      {"DHAKA METRO-BA 11-0002",
       "Hyundai Universe",
       "seater",
       true,
       {"wifi", "usb_charging"},
       "2+1",
       9},
      {"DHAKA METRO-BA 11-0003",
       "Volvo Double-Decker",
       "sleeper",
       true,
       {"blanket", "water", "usb_charging"},
       "double-decker",
       9},
      {"DHAKA METRO-BA 11-0004", "Hino Sleeper", "sleeper", true, {"blanket", "water"}, "1+1", 12},
      {"DHAKA METRO-BA 11-0005", "Ashok Leyland", "seater", false, {}, "2+2", 10},
      {"DHAKA METRO-BA 11-0006", "Hino AK", "semi_sleeper", true, {"usb_charging"}, "2+1", 10},
      {"CHATTA METRO-BA 11-0007", "Hyundai Aero", "seater", true, {"wifi"}, "2+2", 10},
      {"DHAKA METRO-BA 11-0008", "Scania Touring", "seater", true, {"wifi", "snacks"}, "2+2", 10},
      {"DHAKA METRO-BA 11-0009", "Hino RN8J", "seater", false, {}, "2+2", 10},
      {"DHAKA METRO-BA 11-0010",
       "MAN Lion's Coach",
       "semi_sleeper",
       true,
       {"usb_charging", "water"},
       "2+1",
       10},
  };
}

std::vector<DemoRoute> Routes() {
  return {
      {"Dhaka - Chattogram - Cox's Bazar",
       Stops({{"DHK", 0, 0}, {"CTG", 330, 345}, {"CXB", 570, 570}}),
       {Taka("DHK", "CXB", 1500), Taka("DHK", "CTG", 900), Taka("CTG", "CXB", 600)},
       {{"07:00", 0}, {"22:30", 2}}},
      {"Cox's Bazar - Chattogram - Dhaka",
       Stops({{"CXB", 0, 0}, {"CTG", 225, 240}, {"DHK", 570, 570}}),
       {Taka("CXB", "DHK", 1500), Taka("CXB", "CTG", 600), Taka("CTG", "DHK", 900)},
       {{"21:00", 3}}},
      {"Dhaka - Sreemangal - Sylhet",
       Stops({{"DHK", 0, 0}, {"SMG", 210, 220}, {"SYL", 330, 330}}),
       {Taka("DHK", "SYL", 850), Taka("DHK", "SMG", 600), Taka("SMG", "SYL", 350)},
       {{"08:00", 1}}},
      {"Dhaka - Sirajganj - Natore - Rajshahi",
       Stops({{"DHK", 0, 0}, {"SRG", 150, 160}, {"NTR", 270, 275}, {"RAJ", 360, 360}}),
       {Taka("DHK", "RAJ", 750), Taka("DHK", "SRG", 400), Taka("DHK", "NTR", 650),
        Taka("SRG", "RAJ", 450)},
       {{"23:00", 4}}},
      {"Dhaka - Gopalganj - Khulna",
       Stops({{"DHK", 0, 0}, {"GPG", 180, 190}, {"KHL", 300, 300}}),
       {Taka("DHK", "KHL", 800), Taka("DHK", "GPG", 500)},
       {{"07:30", 5}}},
      {"Chattogram - Cox's Bazar - Teknaf",
       Stops({{"CTG", 0, 0}, {"CXB", 240, 255}, {"TKF", 345, 345}}),
       {Taka("CTG", "TKF", 750), Taka("CTG", "CXB", 600), Taka("CXB", "TKF", 200)},
       {{"06:30", 6}}},
      {"Dhaka - Barishal",
       Stops({{"DHK", 0, 0}, {"BSL", 240, 240}}),
       {Taka("DHK", "BSL", 650)},
       {{"09:00", 7}}},
      {"Dhaka - Bogura - Rangpur",
       Stops({{"DHK", 0, 0}, {"BOG", 240, 250}, {"RNG", 420, 420}}),
       {Taka("DHK", "RNG", 900), Taka("DHK", "BOG", 600), Taka("BOG", "RNG", 350)},
       {{"22:00", 8}}},
      {"Dhaka - Mymensingh",
       Stops({{"DHK", 0, 0}, {"MYM", 180, 180}}),
       {Taka("DHK", "MYM", 400)},
       {{"10:00", 9}}},
  };
}

std::string RandomPassword() {
  std::string bytes(18, '\0');
  randombytes_buf(bytes.data(), bytes.size());
  return crypto::Base64UrlEncode(bytes);
}

absl::Status WriteCredentials(const std::filesystem::path& path, const std::string& password) {
  std::filesystem::create_directories(path.parent_path());
  // Created 0600 from the start (and made so if it existed), never readable by others.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  const std::string text = absl::StrCat(
      "Demo operator sign-in (generated by travio seed --demo; keep private)\nemail: ", kDemoEmail,
      "\npassword: ", password, "\n");
  const bool written = ::fchmod(fd, 0600) == 0 &&
                       ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written) return absl::InternalError(absl::StrCat("cannot write ", path.string()));
  return absl::OkStatus();
}

}  // namespace

absl::Status SeedDemo(module::Clients& clients, const std::filesystem::path& data_dir,
                      const Clock& clock, std::ostream& out) {
  // The seed runs with every module of the monolith, so these are the in-process services.
  TRAVIO_ASSIGN_OR_RETURN(auto identity, clients.Bind<identity::IdentityClient>());
  TRAVIO_ASSIGN_OR_RETURN(auto fleet, clients.Bind<fleet::OperatorClient>());
  TRAVIO_ASSIGN_OR_RETURN(auto catalog, clients.Bind<catalog::CatalogClient>());
  TRAVIO_ASSIGN_OR_RETURN(auto waiting_rooms, clients.Bind<queue::QueueClient>());
  TRAVIO_ASSIGN_OR_RETURN(auto pricing, clients.Bind<pricing::PricingClient>());
  TRAVIO_ASSIGN_OR_RETURN(auto subscriptions, clients.Bind<subscription::SubscriptionClient>());

  int stations_added = 0;
  const std::string password = RandomPassword();
  auto user = identity->Register({.email = kDemoEmail,
                                  .password = password,
                                  .name = "Demo Manager",
                                  .phone = "+8801700000000"});
  if (!user.ok()) {
    if (ReasonOf(user.status()) == "email_taken") {
      out << "demo data is already loaded (the demo operator exists); nothing to do\n";
      return absl::OkStatus();
    }
    return user.status();
  }
  TRAVIO_RETURN_IF_ERROR(WriteCredentials(data_dir / "demo-credentials.txt", password));
  TRAVIO_ASSIGN_OR_RETURN(identity::Organization org,
                          identity->CreateOrganization(user->id, kDemoOrg, "demo-paribahan"));
  // A fleet of ten buses and nine routes fills the starter plan; the demo operator has room to
  // grow, the way its owner would have chosen (still in the trial, so nothing is charged).
  TRAVIO_RETURN_IF_ERROR(
      subscriptions->ChangePlan({.org_id = org.id, .plan = "growth", .actor = user->id}).status());

  for (const catalog::DemoStation& station : catalog::BangladeshStations()) {
    auto added = catalog->CreateStation(catalog::kPlatformOrg, {.code = std::string(station.code),
                                                                .name = std::string(station.name),
                                                                .city = std::string(station.city),
                                                                .lat = station.lat,
                                                                .lon = station.lon,
                                                                .timezone = kZone});
    if (added.ok()) {
      ++stations_added;
    } else if (ReasonOf(added.status()) != "code_taken") {
      return added.status();
    }
  }

  std::vector<fleet::Bus> buses;
  for (const DemoBus& demo : Buses()) {
    TRAVIO_ASSIGN_OR_RETURN(fleet::SeatLayout layout,
                            fleet::LayoutFromTemplate(demo.layout, demo.rows, false));
    TRAVIO_ASSIGN_OR_RETURN(fleet::Bus bus, fleet->CreateBus(org.id, {.plate = demo.plate,
                                                                      .name = demo.name,
                                                                      .bus_class = demo.bus_class,
                                                                      .ac = demo.ac,
                                                                      .amenities = demo.amenities,
                                                                      .layout = layout}));
    buses.push_back(std::move(bus));
  }
  for (const auto& [name, role, phone, license] :
       std::vector<std::tuple<const char*, const char*, const char*, const char*>>{
           {"Abdul Karim", "driver", "+8801711000001", "DK-0012345"},
           {"Jamal Uddin", "driver", "+8801711000002", "DK-0054321"},
           {"Rafiqul Islam", "conductor", "+8801711000003", ""},
           {"Shafiq Mia", "helper", "+8801711000004", ""}}) {
    TRAVIO_RETURN_IF_ERROR(
        fleet
            ->CreateStaff(org.id,
                          {.name = name, .role = role, .phone = phone, .license_no = license})
            .status());
  }

  const absl::Time now = clock.Now();
  const LocalDate today = DateInZone(now, kZone);
  LocalDate until = today;
  for (int i = 0; i < kHorizonDays; ++i) until = NextDay(until);
  int schedules = 0;
  int trips = 0;
  for (const DemoRoute& demo : Routes()) {
    TRAVIO_ASSIGN_OR_RETURN(catalog::Route route,
                            catalog->CreateRoute(org.id, {.name = demo.name, .stops = demo.stops}));
    for (const auto& [time, bus_index] : demo.departures) {
      TRAVIO_ASSIGN_OR_RETURN(
          catalog::Schedule schedule,
          catalog->CreateSchedule(org.id, {.route_id = route.id,
                                           .bus_id = buses.at(static_cast<size_t>(bus_index)).id,
                                           .departure_time = time,
                                           .days = {"daily"},
                                           .start_date = FormatLocalDate(today),
                                           .end_date = FormatLocalDate(until),
                                           .except_dates = {},
                                           .fares = demo.fares,
                                           .publish = true}));
      ++schedules;
      // A call makes what it can in its time; the next goes on.
      catalog::GenerationResult generated{.remaining = 1};
      while (generated.remaining > 0) {
        TRAVIO_ASSIGN_OR_RETURN(
            generated, catalog->GenerateTrips(org.id, schedule.id, FormatLocalDate(until)));
        if (generated.created == 0 && generated.remaining > 0) {
          return absl::InternalError("a generation call made no trip and left some to make");
        }
        trips += generated.created;
      }
    }
  }
  // Two everyday pricing rules: weekend departures (Friday and Saturday in Bangladesh) cost 10%
  // more; seats still free in the last six hours of a trip under half full cost 15% less. Both
  // round to whole taka.
  const std::vector<pricing::RuleDraft> rules = {
      {.name = "Weekend surcharge",
       .priority = 10,
       .when = "trip.departure.getDayOfWeek() in [5, 6]",
       .adjust = "(price + price / 10) / 100 * 100"},
      {.name = "Last-minute discount",
       .priority = 20,
       .when = "trip.hours_to_departure < 6 && occupancy < 50",
       .adjust = "(price - price * 15 / 100) / 100 * 100"},
  };
  for (const pricing::RuleDraft& rule : rules) {
    TRAVIO_RETURN_IF_ERROR(pricing->CreateRule(org.id, rule).status());
  }
  // A ticket drop: tomorrow's first trip of the first route sells through a waiting room that
  // opens five minutes from now, its pre-queue open already.
  TRAVIO_ASSIGN_OR_RETURN(
      Page<catalog::Trip> tomorrow,
      catalog->ListTrips(org.id, {.from_date = NextDay(today), .to_date = NextDay(today)},
                         PageRequest{.limit = 1, .cursor = ""}));
  if (tomorrow.items.empty()) return absl::InternalError("the demo network has no trip tomorrow");
  const catalog::Trip& dropped = tomorrow.items.front();
  TRAVIO_ASSIGN_OR_RETURN(queue::RoomView room,
                          waiting_rooms->PutRoom({.room_id = std::string(kDemoRoom),
                                                  .org_id = org.id,
                                                  .name = "Demo ticket drop: " + dropped.route_name,
                                                  .mode = queue::RoomMode::kScheduled,
                                                  .trip_ids = {dropped.id},
                                                  // On a whole second, as the API writes
                                                  // instants: a console sending the opening
                                                  // back unchanged must match it.
                                                  .opens_at = absl::FromUnixSeconds(
                                                      absl::ToUnixSeconds(now + absl::Minutes(5))),
                                                  .pre_queue_minutes = 10,
                                                  .admit_per_minute = 30,
                                                  .max_active = 100,
                                                  .session_minutes = 10}));
  out << "demo network loaded: " << stations_added << " stations, " << buses.size()
      << " buses, 4 staff, " << Routes().size() << " routes, " << schedules << " schedules, "
      << trips << " published trips until " << FormatLocalDate(until) << ", " << rules.size()
      << " pricing rules\n"
      << "demo operator: " << kDemoEmail << " (password in "
      << (data_dir / "demo-credentials.txt").string() << ")\n"
      << "demo waiting room: /queue/" << room.spec.room_id << " guards trip " << dropped.id
      << " and opens at " << absl::FormatTime(*room.spec.opens_at) << "\n";
  return absl::OkStatus();
}

}  // namespace travio
