// Plans and quotas through the public API on both deployments, in one story per deployment (each
// costs a start): an organization on a small plan meets each quota with a clear 402 and nothing
// half-written, racing creations never pass a limit, an upgrade lifts the limits at once, a
// downgrade the usage does not fit is refused naming the quotas, and the plan is its owner's
// business alone.
#include <algorithm>
#include <csignal>
#include <fstream>
#include <latch>
#include <thread>

#include "platform/base/money.h"
#include "platform/testing/command.h"
#include "platform/testing/status_matchers.h"
#include "platform/testing/temp_dir.h"
#include "tests/e2e/order_api.h"

namespace travio::e2e {
namespace {

class SubscriptionE2eTest : public OrderApiTest {
 protected:
  // A small starter plan: the network's bus, route and trip leave room for two buses, no
  // route, one staff member, one published trip and two bookings this month.
  std::map<std::string, std::string> Environment() const override {
    std::map<std::string, std::string> environment = OrderApiTest::Environment();
    environment["TRAVIO_SUBSCRIPTION_DEFAULT_PLAN"] = "starter";
    environment["TRAVIO_SUBSCRIPTION_PLANS_STARTER_BUSES"] = "3";
    environment["TRAVIO_SUBSCRIPTION_PLANS_STARTER_ROUTES"] = "1";
    environment["TRAVIO_SUBSCRIPTION_PLANS_STARTER_STAFF"] = "1";
    environment["TRAVIO_SUBSCRIPTION_PLANS_STARTER_TRIPS_PER_MONTH"] = "2";
    environment["TRAVIO_SUBSCRIPTION_PLANS_STARTER_BOOKINGS_PER_MONTH"] = "2";
    return environment;
  }

  HttpResult NewBus(const std::string& plate, HttpClient* client = nullptr) {
    return Send("POST", "/v1/operator/buses",
                {{"plate", plate},
                 {"class", "seater"},
                 {"ac", true},
                 {"layout", {{"template", "2+2"}, {"rows", 10}}}},
                owner_, client);
  }

  HttpResult NewTrip(int days_ahead, const std::string& status) {
    const std::string departure =
        absl::FormatTime("%Y-%m-%dT08:00:00+06:00", absl::Now() + absl::Hours(24 * days_ahead),
                         absl::FixedTimeZone(6 * 3600));
    return Send("POST", "/v1/catalog/trips",
                {{"route_id", trip_json_["route_id"]},
                 {"bus_id", trip_json_["bus_id"]},
                 {"departure", departure},
                 {"fares",
                  {{{"from", "DHK"}, {"to", "CXB"}, {"amount", 150000}, {"currency", "BDT"}},
                   {{"from", "DHK"}, {"to", "CTG"}, {"amount", 90000}, {"currency", "BDT"}},
                   {{"from", "CTG"}, {"to", "CXB"}, {"amount", 60000}, {"currency", "BDT"}}}},
                 {"status", status}},
                owner_);
  }

  // A 402 naming `quota`, its `limit` and what is `used`.
  void ExpectPlanLimit(const HttpResult& result, const std::string& quota, int64_t limit,
                       int64_t used) {
    ASSERT_EQ(result.status, 402) << result.body;
    const json problem = Body(result);
    EXPECT_EQ(problem["code"], "plan_limit_reached");
    EXPECT_EQ(problem["quota"], quota);
    EXPECT_EQ(problem["limit"], limit);
    EXPECT_EQ(problem["used"], used);
    EXPECT_EQ(result.headers.at("content-type"), "application/problem+json");
  }

  size_t Count(const std::string& path) { return Ok(Get(path, owner_))["items"].size(); }

  json Subscription() { return Ok(Get("/v1/subscription", owner_)); }

  // Eight owners' requests race for the plan's last two buses.
  void RaceForTheLastTwoBuses() {
    constexpr int kClients = 8;
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < kClients; ++i) {
      clients.push_back(std::make_unique<HttpClient>(deployment_->base_url()));
    }
    std::vector<int> statuses(kClients);
    std::latch start(kClients);
    std::vector<std::thread> racers;
    for (int i = 0; i < kClients; ++i) {
      racers.emplace_back([&, i] {
        start.arrive_and_wait();
        statuses[i] = NewBus(absl::StrCat("DHAKA METRO-GA 22-000", i), clients[i].get()).status;
      });
    }
    for (std::thread& racer : racers) racer.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 201), 2);  // the plan had room for two
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 402), kClients - 2);
    EXPECT_EQ(Count("/v1/operator/buses"), 3u);
    EXPECT_EQ(Subscription()["usage"]["buses"], 3);
  }

  // Nobody but the owner sees or changes the plan, and a malformed change changes nothing.
  void OnlyTheOwnerTouchesThePlan() {
    const std::string manager = AddMember("manager");
    const std::string admin = AddMember("admin");
    for (const std::string& token : {manager, admin}) {
      EXPECT_EQ(Get("/v1/subscription", token).status, 403);
      EXPECT_EQ(Send("PUT", "/v1/subscription", {{"plan", "enterprise"}}, token).status, 403);
    }
    EXPECT_EQ(Get("/v1/subscription").status, 401);
    // Another organization's owner sees their own subscription, and is not even told this one
    // exists.
    const std::string stranger_email = NewAccount("stranger");
    const std::string stranger = LogIn(stranger_email);
    Created(Send("POST", "/v1/orgs", {{"name", "Hanif Enterprise"}}, stranger));
    // Each owner is welcomed to their own organization's plan, and to no one else's.
    EXPECT_EQ(
        AwaitMail(stranger_email, "Welcome to Travio: Hanif Enterprise is on the Starter plan", 1)
            .size(),
        1u)
        << deployment_->Logs();
    EXPECT_TRUE(MailTo(stranger_email, "Welcome to Travio: Shohagh Paribahan").empty());
    EXPECT_EQ(Ok(Get("/v1/subscription", stranger))["usage"]["buses"], 0);
    EXPECT_EQ(
        Send("GET", "/v1/subscription", nullptr, stranger, nullptr, {{"X-Org-Id", org_}}).status,
        404);
    EXPECT_EQ(Send("PUT", "/v1/subscription", {{"plan", "enterprise"}}, stranger, nullptr,
                   {{"X-Org-Id", org_}})
                  .status,
              404);
    const HttpResult bad = Send("PUT", "/v1/subscription", {{"plan", 7}}, owner_);
    EXPECT_EQ(bad.status, 400) << bad.body;
    const HttpResult extra =
        Send("PUT", "/v1/subscription", {{"plan", "growth"}, {"price", 0}}, owner_);
    EXPECT_EQ(extra.status, 400) << extra.body;
  }
};

TEST_P(SubscriptionE2eTest, EachQuotaRefusesWithA402RacersIncludedAndAnUpgradeLiftsItAtOnce) {
  const json plans = Ok(Get("/v1/plans"));  // public
  ASSERT_EQ(plans["items"].size(), 3u);
  EXPECT_EQ(plans["items"][0]["name"], "starter");
  EXPECT_EQ(plans["items"][0]["limits"]["buses"], 3);
  EXPECT_TRUE(plans["items"][2]["limits"]["buses"].is_null());  // enterprise: unlimited

  json subscription = Subscription();
  EXPECT_EQ(subscription["plan"], "starter");
  EXPECT_EQ(subscription["status"], "trialing");
  EXPECT_EQ(subscription["usage"]["buses"], 1);
  EXPECT_EQ(subscription["usage"]["routes"], 1);
  EXPECT_EQ(subscription["usage"]["trips_per_month"], 1);
  EXPECT_EQ(subscription["limits"]["buses"], 3);

  OnlyTheOwnerTouchesThePlan();
  EXPECT_EQ(Subscription()["plan"], "starter");

  // Buses: racing requests take the two places left, then the plan is full; the refused ones
  // are nowhere.
  RaceForTheLastTwoBuses();
  ExpectPlanLimit(NewBus("DHAKA METRO-BA 11-0004"), "buses", 3, 3);
  EXPECT_EQ(Count("/v1/operator/buses"), 3u);

  // Routes: the network's one is all the plan allows.
  const HttpResult route =
      Send("POST", "/v1/catalog/routes",
           {{"name", "Dhaka - Chattogram"},
            {"stops",
             {{{"station", "DHK"}, {"arrive_offset_min", 0}, {"depart_offset_min", 0}},
              {{"station", "CTG"}, {"arrive_offset_min", 330}, {"depart_offset_min", 330}}}}},
           owner_);
  ExpectPlanLimit(route, "routes", 1, 1);
  EXPECT_EQ(Count("/v1/catalog/routes"), 1u);

  // Staff: one member.
  const json staff = {{"name", "Rahim"}, {"role", "driver"}, {"phone", "01711000001"}};
  Created(Send("POST", "/v1/operator/staff", staff, owner_));
  ExpectPlanLimit(Send("POST", "/v1/operator/staff", staff, owner_), "staff", 1, 1);
  EXPECT_EQ(Count("/v1/operator/staff"), 1u);

  // Trips published this month: one more; a draft counts for nothing until it is published.
  Created(NewTrip(5, "published"));
  ExpectPlanLimit(NewTrip(6, "published"), "trips_per_month", 2, 2);
  const json draft = Created(NewTrip(7, "draft"));
  const std::string publish = "/v1/catalog/trips/" + draft["id"].get<std::string>() + "/publish";
  ExpectPlanLimit(Send("POST", publish, nullptr, owner_), "trips_per_month", 2, 2);
  EXPECT_EQ(Ok(Get("/v1/catalog/trips/" + draft["id"].get<std::string>(), owner_))["status"],
            "draft");

  // Bookings this month: two orders, then a traveller is told the operator is full, and the
  // seats they held stay theirs (nothing ordered).
  PaidOrder(Guest(), {"A1"}, "DHK", "CXB");
  PaidOrder(Guest(), {"A2"}, "DHK", "CXB");
  const std::string traveller = Guest();
  const json hold = Created(Lock(traveller, {"A3"}, "DHK", "CXB"));
  const HttpResult full = PostOrder(traveller, OrderRequest(hold["hold_id"], {"A3"}), "late-order");
  ASSERT_EQ(full.status, 402) << full.body;
  EXPECT_EQ(Body(full)["code"], "plan_limit_reached");
  // The traveller is not told the operator's plan, limit or volume.
  EXPECT_FALSE(Body(full).contains("quota"));
  EXPECT_FALSE(Body(full).contains("used"));
  EXPECT_EQ(full.body.find("starter"), std::string::npos);
  EXPECT_EQ(Subscription()["usage"]["bookings_per_month"], 2);
  EXPECT_TRUE(Ok(Get("/v1/orders", traveller))["items"].empty());
  EXPECT_EQ(Statuses("DHK", "CXB")["A3"], "held");

  // The owner upgrades: every limit lifts at once, and the same requests now succeed.
  subscription = Ok(Send("PUT", "/v1/subscription", {{"plan", "growth"}}, owner_));
  EXPECT_EQ(subscription["plan"], "growth");
  // And is told so by mail, once, with the new plan's prices.
  const std::vector<std::string> told =
      AwaitMail(owner_email_, "Shohagh Paribahan is now on the Growth plan", 1);
  ASSERT_EQ(told.size(), 1u) << deployment_->Logs();
  EXPECT_NE(told[0].find("BDT 9,900.00 a month, and BDT 3.00 for each booking"), std::string::npos)
      << told[0];
  EXPECT_EQ(subscription["limits"]["buses"], 50);
  Created(NewBus("DHAKA METRO-BA 11-0004"));
  Created(PostOrder(traveller, OrderRequest(hold["hold_id"], {"A3"}), "late-order-again"));
  Ok(Send("POST", publish, nullptr, owner_));
  subscription = Subscription();
  EXPECT_EQ(subscription["usage"]["buses"], 4);
  EXPECT_EQ(subscription["usage"]["bookings_per_month"], 3);
  EXPECT_EQ(subscription["usage"]["trips_per_month"], 3);

  // Back down to starter does not fit what the organization now has: refused, naming why.
  const HttpResult down = Send("PUT", "/v1/subscription", {{"plan", "starter"}}, owner_);
  ASSERT_EQ(down.status, 409) << down.body;
  EXPECT_EQ(Body(down)["code"], "plan_downgrade_blocked");
  // Only what stands counts against it: this month's trips and bookings start again.
  EXPECT_EQ(Body(down)["exceeded"], json::array({"buses"}));
  EXPECT_EQ(Subscription()["plan"], "growth");
  const HttpResult unknown = Send("PUT", "/v1/subscription", {{"plan", "platinum"}}, owner_);
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Body(unknown)["code"], "plan_not_found");
}

// Billing periods of thirty seconds, no trial, a period job five times a second.
class InvoiceE2eTest : public OrderApiTest {
 protected:
  static constexpr absl::Duration kPeriod = absl::Seconds(30);

  std::map<std::string, std::string> Environment() const override {
    std::map<std::string, std::string> environment = OrderApiTest::Environment();
    environment["TRAVIO_SUBSCRIPTION_TEST_PERIOD"] = "30s";
    environment["TRAVIO_SUBSCRIPTION_TRIAL_DAYS"] = "0";
    environment["TRAVIO_SUBSCRIPTION_CLOSE_INTERVAL"] = "200ms";
    return environment;
  }

  static absl::Time TimeOf(const json& value) {
    absl::Time time;
    std::string error;
    EXPECT_TRUE(absl::ParseTime(absl::RFC3339_full, value.get<std::string>(), &time, &error))
        << value;
    return time;
  }

  // `amount` x `part` / `whole` in minor units, halves away from zero: the service's rule,
  // worked out here on its own.
  static int64_t Prorate(int64_t amount, absl::Duration part, absl::Duration whole) {
    const __int128 numerator = static_cast<__int128>(amount) * absl::ToInt64Microseconds(part);
    const __int128 denominator = absl::ToInt64Microseconds(whole);
    return static_cast<int64_t>((2 * numerator + denominator) / (2 * denominator));
  }

  std::string Subscription() { return Ok(Get("/v1/subscription", owner_)).dump(); }
};

TEST_P(InvoiceE2eTest, APeriodWithBookingsAndAnUpgradeIsBilledOnceThroughACrash) {
  // Everything below happens in one period: start it fresh when little of this one is left.
  json subscription = json::parse(Subscription());
  absl::Time period_end = TimeOf(subscription["period_end"]);
  if (period_end - absl::Now() < absl::Seconds(22)) {
    absl::SleepFor(period_end - absl::Now() + absl::Milliseconds(300));
    subscription = json::parse(Subscription());
    period_end = TimeOf(subscription["period_end"]);
  }
  const absl::Time period_start = TimeOf(subscription["period_start"]);
  ASSERT_EQ(period_end - period_start, kPeriod);
  const absl::Time trial_end = TimeOf(subscription["trial_end"]);  // no trial: when it began

  PaidOrder(Guest(), {"A1"}, "DHK", "CXB");  // at starter's fee
  PaidOrder(Guest(), {"A2"}, "DHK", "CXB");
  const absl::Time before_upgrade = absl::Now();
  Ok(Send("PUT", "/v1/subscription", {{"plan", "growth"}}, owner_));
  const absl::Time after_upgrade = absl::Now();
  PaidOrder(Guest(), {"A3"}, "DHK", "CXB");  // at growth's
  // The period job is armed to be killed once it has written an invoice, before the commit;
  // started again, it writes it once.
  // Killed rather than stopped, and started at once: a graceful stop drains for seconds.
  deployment_->Signal("subscription", SIGKILL);
  ASSERT_OK(deployment_->Restart(
      "subscription", {{"TRAVIO_SUBSCRIPTION_TEST_CRASH_AT", "subscription:invoice-written"}}))
      << deployment_->Logs();
  ASSERT_LT(absl::Now(), period_end) << "the bookings ran past the period; nothing to check";
  absl::SleepFor(period_end - absl::Now() + absl::Seconds(3));
  const absl::Time restarted = absl::Now();
  ASSERT_OK(deployment_->Restart("subscription", {{"TRAVIO_SUBSCRIPTION_TEST_CRASH_AT", ""}}))
      << deployment_->Logs();
  json invoices;
  for (int i = 0; i < 200; ++i) {
    const HttpResult listed = Get("/v1/invoices", owner_);
    if (listed.status == 200 && !Body(listed)["items"].empty()) {
      invoices = Body(listed);
      break;
    }
    absl::SleepFor(absl::Milliseconds(100));
  }
  ASSERT_FALSE(invoices.is_null()) << deployment_->Logs();
  // The job runs five times a second, and the next period has its own invoice: one for this.
  absl::SleepFor(absl::Seconds(1));
  std::vector<json> ours;
  const json listed = Ok(Get("/v1/invoices", owner_));
  for (const json& item : listed["items"]) {
    if (TimeOf(item["period_start"]) == period_start) ours.push_back(item);
  }
  ASSERT_EQ(ours.size(), 1u);
  EXPECT_GE(TimeOf(ours[0]["issued_at"]), restarted);  // the killed job's write never landed

  const json invoice = Ok(Get("/v1/invoices/" + ours[0]["id"].get<std::string>(), owner_));
  EXPECT_EQ(invoice["plan"], "starter");
  const json& lines = invoice["lines"];
  ASSERT_EQ(lines.size(), 4u) << invoice.dump();
  // The API gives instants to the millisecond, and a millisecond of these periods is worth
  // more than a minor unit: the fee is the one for a stretch within a millisecond of this.
  const absl::Duration billed = period_end - std::max(trial_end, period_start);
  EXPECT_EQ(lines[0]["kind"], "plan_fee");
  const int64_t plan_fee = lines[0]["amount"]["amount"];
  EXPECT_GE(plan_fee, Prorate(250'000, billed - absl::Milliseconds(1), kPeriod));
  EXPECT_LE(plan_fee, Prorate(250'000, billed + absl::Milliseconds(1), kPeriod));
  // Growth less starter for what was left of the period when the upgrade was made.
  EXPECT_EQ(lines[1]["kind"], "proration");
  const int64_t proration = lines[1]["amount"]["amount"];
  EXPECT_GE(proration, Prorate(740'000, period_end - after_upgrade, kPeriod));
  EXPECT_LE(proration,
            Prorate(740'000, period_end + absl::Milliseconds(1) - before_upgrade, kPeriod));
  EXPECT_EQ(lines[2], json({{"kind", "booking_fees"},
                            {"description", "bookings at 5.00 each"},
                            {"quantity", 2},
                            {"unit_amount", {{"amount", 500}, {"currency", "BDT"}}},
                            {"amount", {{"amount", 1'000}, {"currency", "BDT"}}}}));
  EXPECT_EQ(lines[3]["quantity"], 1);
  EXPECT_EQ(lines[3]["amount"]["amount"], 300);
  EXPECT_EQ(invoice["total"],
            json({{"amount", plan_fee + proration + 1'000 + 300}, {"currency", "BDT"}}));
  // Its owner is sent it once, the crash notwithstanding.
  const std::string number = invoice["number"];
  const std::vector<std::string> mailed = AwaitMail(owner_email_, "Travio invoice " + number, 1);
  ASSERT_EQ(mailed.size(), 1u) << deployment_->Logs();
  const std::string total_text = "BDT " + FormatAmount(plan_fee + proration + 1'000 + 300);
  EXPECT_NE(mailed[0].find("Total: " + total_text), std::string::npos) << mailed[0];
  // With the invoice's PDF attached.
  EXPECT_NE(mailed[0].find("Content-Type: application/pdf"), std::string::npos);
  EXPECT_NE(mailed[0].find("filename=\"" + number + ".pdf\""), std::string::npos);

  // The same PDF to download: its number, lines and total as the invoice has them.
  const std::string pdf_path = "/v1/invoices/" + ours[0]["id"].get<std::string>() + "/pdf";
  const HttpResult pdf = Get(pdf_path, owner_);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.headers.at("content-type"), "application/pdf");
  EXPECT_EQ(pdf.headers.at("cache-control"), "private, no-store");
  const testing::TempDir scratch("travio-invoice-pdf");
  const std::string file = (scratch.path() / "invoice.pdf").string();
  std::ofstream(file, std::ios::binary) << pdf.body;
  auto [text_rc, text] = testing::RunCommand("pdftotext -layout " + file + " -");
  ASSERT_EQ(text_rc, 0) << "not a PDF";
  for (const std::string& words :
       {number, std::string("Shohagh Paribahan"), std::string("bookings at 5.00 each"),
        std::string("bookings at 3.00 each"), total_text}) {
    EXPECT_NE(text.find(words), std::string::npos) << words << "\n" << text;
  }
  // Nobody else's: a manager may not read the books, another organization sees no such invoice.
  EXPECT_EQ(Get(pdf_path, AddMember("manager")).status, 403);
  const std::string stranger = SignUp("stranger");
  Created(Send("POST", "/v1/orgs", {{"name", "Hanif Enterprise"}}, stranger));
  EXPECT_EQ(Get(pdf_path, stranger).status, 404);
  // The books are the owner's and admins', nobody else's.
  EXPECT_EQ(Get("/v1/invoices", AddMember("manager")).status, 403);
  EXPECT_EQ(Get("/v1/invoices/" + ours[0]["id"].get<std::string>(), AddMember("admin")).status,
            200);
}

INSTANTIATE_TEST_SUITE_P(Deployments, InvoiceE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

INSTANTIATE_TEST_SUITE_P(Deployments, SubscriptionE2eTest,
                         ::testing::Values(Mode::kMonolith, Mode::kMicroservices), ModeName);

}  // namespace
}  // namespace travio::e2e
