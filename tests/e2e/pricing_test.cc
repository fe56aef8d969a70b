// Pricing rules through the public API on both deployments (the "done when"): a manager
// saves a weekend surcharge; a quote and a hold on a Friday-night trip show it, a Tuesday trip
// does not; an invalid rule answers 422 with its line and column and saves nothing; a traveller
// who held before a rule changed pays the price the hold froze. Rules are the organization's own.
#include "absl/time/civil_time.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

class PricingE2eTest : public OrderApiTest {
 protected:
  // A trip on the fixture's route and bus leaving at 22:30 in Dhaka on the first `weekday` at
  // least two days from now.
  std::string TripOn(absl::Weekday weekday) {
    const absl::TimeZone dhaka = absl::FixedTimeZone(6 * 3600);
    absl::CivilDay day = absl::ToCivilDay(absl::Now(), dhaka) + 2;
    while (absl::GetWeekday(day) != weekday) ++day;
    last_date_ = absl::FormatCivilTime(day);
    const std::string departure =
        absl::FormatTime("%Y-%m-%dT22:30:00+06:00", absl::FromCivil(day, dhaka), dhaka);
    return PublishTrip(trip_json_["route_id"], trip_json_["bus_id"], departure)["id"];
  }

  json Quote(const std::string& trip_id, const std::vector<std::string>& seats = {}) {
    json body = {{"trip_id", trip_id}, {"from", "DHK"}, {"to", "CXB"}};
    if (!seats.empty()) body["seats"] = seats;
    return Ok(Send("POST", "/v1/pricing/quote", body, ""));
  }

  HttpResult LockOn(const std::string& trip_id, const std::string& token,
                    const std::vector<std::string>& seats) {
    return Send("POST", "/v1/inventory/lock",
                {{"trip_id", trip_id}, {"seats", seats}, {"from", "DHK"}, {"to", "CXB"}}, token);
  }

  // The fare search shows for `trip_id` on the journey DHK -> CXB on `date`; null when the
  // search does not find it.
  json SearchFare(const std::string& trip_id, const std::string& date,
                  const std::string& extra = "") {
    const json results = Ok(Get("/v1/search?from=DHK&to=CXB&date=" + date + extra));
    for (const json& item : results["items"]) {
      if (item["trip_id"] == trip_id) return item["fare"]["amount"];
    }
    return nullptr;
  }

  std::string last_date_;

  static json WeekendSurcharge(int percent) {
    return {{"name", "Weekend surcharge"},
            {"priority", 10},
            {"when", "trip.departure.getDayOfWeek() in [5, 6]"},
            {"adjust", "price + price * " + std::to_string(percent) + " / 100"}};
  }
};

TEST_P(PricingE2eTest, WeekendSurchargeOnFridayNightsAndTheHeldPriceIsWhatIsPaid) {
  const std::string friday = TripOn(absl::Weekday::friday);
  const std::string friday_date = last_date_;
  const std::string tuesday = TripOn(absl::Weekday::tuesday);
  const std::string tuesday_date = last_date_;
  const std::string manager = AddMember("manager");

  // An invalid rule: 422 with the field, line and column of each problem; nothing is saved.
  const HttpResult invalid = Send("POST", "/v1/pricing/rules",
                                  {{"name", "Weekend surcharge"},
                                   {"when", "trip.departure.getDayOfWeek() in [5, 6] &&\n  trp.ac"},
                                   {"adjust", "price * 1.1"}},
                                  manager);
  ASSERT_EQ(invalid.status, 422) << invalid.body;
  const json problem = Body(invalid);
  EXPECT_EQ(problem["code"], "invalid_expression");
  ASSERT_EQ(problem["errors"].size(), 2u) << problem;
  EXPECT_EQ(problem["errors"][0], json({{"field", "when"},
                                        {"message", "undeclared reference to 'trp'"},
                                        {"line", 2},
                                        {"column", 3}}));
  EXPECT_EQ(problem["errors"][1]["field"], "adjust");
  EXPECT_EQ(problem["errors"][1]["message"],
            "no matching overload for '_*_' applied to (int, double)");
  EXPECT_EQ(problem["errors"][1]["column"], 7);
  EXPECT_EQ(Ok(Get("/v1/pricing/rules", manager))["items"].size(), 0u);

  // Travellers and other organizations have no say over the rules.
  const std::string guest = Guest();
  EXPECT_EQ(Send("POST", "/v1/pricing/rules", WeekendSurcharge(10), guest).status, 403);

  const json rule = Created(Send("POST", "/v1/pricing/rules", WeekendSurcharge(10), manager));
  EXPECT_EQ(rule["version"], 1);
  EXPECT_EQ(rule["active"], true);

  // Quotes: the Friday-night trip's seats cost 10% more, the Tuesday one's the base fare.
  const json friday_quote = Quote(friday);
  ASSERT_EQ(friday_quote["categories"].size(), 1u) << friday_quote;
  const json& standard = friday_quote["categories"][0];
  EXPECT_EQ(standard["base"], 150000);
  EXPECT_EQ(standard["price"], 165000);
  EXPECT_EQ(standard["available"], 40);
  ASSERT_EQ(standard["applied"].size(), 1u);
  EXPECT_EQ(standard["applied"][0], json({{"rule_id", rule["id"]},
                                          {"version", 1},
                                          {"name", "Weekend surcharge"},
                                          {"before", 150000},
                                          {"after", 165000}}));
  // Search shows the same prices, and filters on them: the Friday trip costs more than 1,600
  // taka now though its base fare does not.
  EXPECT_EQ(SearchFare(friday, friday_date), 165000);
  EXPECT_EQ(SearchFare(tuesday, tuesday_date), 150000);
  EXPECT_EQ(SearchFare(friday, friday_date, "&max_price=160000"), nullptr);
  EXPECT_EQ(SearchFare(tuesday, tuesday_date, "&max_price=160000"), 150000);
  const json tuesday_quote = Quote(tuesday, {"A1"});
  EXPECT_EQ(tuesday_quote["categories"][0]["price"], 150000);
  EXPECT_EQ(tuesday_quote["seats"][0]["price"], 150000);
  EXPECT_EQ(tuesday_quote["seats"][0]["applied"].size(), 0u);

  // Holds freeze what the quote showed.
  const json held = Created(LockOn(friday, guest, {"A1", "A2"}));
  EXPECT_EQ(held["prices"][0]["amount"], 165000);
  EXPECT_EQ(held["prices"][0]["base"], 150000);
  EXPECT_EQ(held["total"], json({{"amount", 330000}, {"currency", "BDT"}}));
  const std::string other_guest = Guest();
  const json tuesday_hold = Created(LockOn(tuesday, other_guest, {"A1"}));
  EXPECT_EQ(tuesday_hold["prices"][0]["amount"], 150000);

  // The rule changes (a new version) after the hold: new quotes show it, the hold keeps its
  // price, and the order charges the held price.
  const json changed = Ok(Send("PUT", "/v1/pricing/rules/" + rule["id"].get<std::string>(),
                               WeekendSurcharge(20), manager));
  EXPECT_EQ(changed["version"], 2);
  EXPECT_EQ(Quote(friday, {"A3"})["seats"][0]["price"], 180000);
  const HttpResult ordered = PostOrder(guest, OrderRequest(held["hold_id"], {"A1", "A2"}), "k1");
  ASSERT_EQ(ordered.status, 201) << ordered.body;
  const json order = Body(ordered);
  EXPECT_EQ(order["total"], json({{"amount", 330000}, {"currency", "BDT"}}));
  const HttpResult paid = Pay(guest, order["id"], kGoodCard, "pay-1");
  ASSERT_EQ(paid.status, 201) << paid.body;
  EXPECT_EQ(Body(paid)["amount"], json({{"amount", 330000}, {"currency", "BDT"}}));
  // A hold placed now pays the new price.
  const json later = Created(LockOn(friday, Guest(), {"A3"}));
  EXPECT_EQ(later["prices"][0]["amount"], 180000);

  // Another organization's manager sees none of it.
  const std::string stranger = SignUp("stranger");
  const json other_org = Created(Send("POST", "/v1/orgs", {{"name", "Other Paribahan"}}, stranger));
  EXPECT_EQ(Ok(Send("GET", "/v1/pricing/rules", nullptr, stranger, nullptr,
                    {{"X-Org-Id", other_org["id"]}}))["items"]
                .size(),
            0u);
  EXPECT_EQ(Send("GET", "/v1/pricing/rules/" + rule["id"].get<std::string>(), nullptr, stranger,
                 nullptr, {{"X-Org-Id", other_org["id"]}})
                .status,
            404);

  // A rule that fails is skipped and the quote says so, but not why: the error is the
  // operator's business. A quote previews a day ahead at most.
  Created(
      Send("POST", "/v1/pricing/rules",
           {{"name", "Broken"}, {"when", "true"}, {"adjust", "price / (occupancy - occupancy)"}},
           manager));
  const json with_broken = Quote(tuesday, {"D3"});
  ASSERT_EQ(with_broken["seats"][0]["skipped"].size(), 1u) << with_broken;
  EXPECT_EQ(with_broken["seats"][0]["skipped"][0]["name"], "Broken");
  EXPECT_FALSE(with_broken["seats"][0]["skipped"][0].contains("error"));
  EXPECT_EQ(with_broken["seats"][0]["price"], 150000);
  const std::string next_week =
      absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(24 * 7), absl::UTCTimeZone());
  EXPECT_EQ(Send("POST", "/v1/pricing/quote",
                 {{"trip_id", friday}, {"from", "DHK"}, {"to", "CXB"}, {"at", next_week}}, "")
                .status,
            400);

  // The rule editor's trial runs.
  const json evaluated = Ok(
      Send("POST", "/v1/pricing/evaluate",
           {{"expression", "trip.departure.getDayOfWeek('Asia/Dhaka') == 5 ? price * 2 : price"},
            {"bindings", {{"price", 100}, {"trip", {{"departure", "2026-12-11T22:30:00+06:00"}}}}}},
           manager));
  EXPECT_EQ(evaluated, json({{"value", 200}, {"type", "int"}}));
  const HttpResult mixed =
      Send("POST", "/v1/pricing/evaluate", {{"expression", "1 + 1.0"}}, manager);
  EXPECT_EQ(mixed.status, 422);
  EXPECT_EQ(Body(mixed)["errors"][0]["column"], 3);
  const HttpResult failed =
      Send("POST", "/v1/pricing/evaluate",
           {{"expression", "price / 0"}, {"bindings", {{"price", 1}}}}, manager);
  EXPECT_EQ(failed.status, 422);
  EXPECT_EQ(Body(failed)["code"], "evaluation_error");
  // Lists are shared: 22 maps of `[a, a]` make a value of 4 million numbers in 22 steps, too
  // large to write out.
  std::string doubling = "[1]";
  for (int i = 0; i < 22; ++i) doubling += ".map(a, [a, a])";
  const HttpResult huge = Send("POST", "/v1/pricing/evaluate", {{"expression", doubling}}, manager);
  EXPECT_EQ(huge.status, 422);
  EXPECT_EQ(Body(huge)["code"], "evaluation_error");
  EXPECT_LT(huge.body.size(), 2000u);
}

INSTANTIATE_TEST_SUITE_P(Deployments, PricingE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
