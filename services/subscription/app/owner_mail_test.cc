// The owners' mail: every change and invoice is told to each owner once, in the configured
// language, from this service's own records; a service that is down has the event asked for
// again without telling anyone twice; what can never be sent, or should not be (a forged plan,
// another organization's invoice, a flood of changes), is let go.
#include "services/subscription/app/owner_mail.h"

#include <gtest/gtest.h>

#include <deque>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "platform/base/errors.h"
#include "platform/base/rfc3339.h"
#include "platform/testing/status_matchers.h"

namespace travio::subscription {
namespace {

using nlohmann::json;
using ::travio::testing::StatusIs;

class FixedOwners final : public OwnerDirectory {
 public:
  OrgOwners owners{.org_name = "Green Line",
                   .owners = {{"u-1", "rahim@example.com"}, {"u-2", "karima@example.com"}}};
  absl::Status failure;
  absl::StatusOr<OrgOwners> OwnersOf(const std::string&) override {
    if (!failure.ok()) return failure;
    return owners;
  }
  absl::StatusOr<std::string> NameOf(const std::string&) override {
    if (!failure.ok()) return failure;
    return owners.org_name;
  }
};

// Keeps one notice per key, as the notification service does; answers from a script first.
class RecordedNotices final : public notification::NotificationClient {
 public:
  std::deque<absl::Status> script;
  std::map<std::string, notification::Notice> by_key;

  absl::StatusOr<std::string> SendEmail(const notification::EmailMessage&) override {
    return absl::UnimplementedError("not used");
  }
  absl::StatusOr<notification::NoticeReceipt> Notify(const notification::Notice& notice) override {
    if (!script.empty()) {
      absl::Status next = script.front();
      script.pop_front();
      if (!next.ok()) return next;
    }
    const bool seen = by_key.count(notice.key) > 0;
    by_key.emplace(notice.key, notice);
    return notification::NoticeReceipt{.message_ids = {"m-" + notice.key}, .duplicate = seen};
  }
};

const absl::Time kAt = absl::FromUnixSeconds(1'796'000'000);

events::Event EventOf(const std::string& id, const std::string& type) {
  return {.id = id,
          .type = type,
          .aggregate_id = "org-1",
          .org_id = "org-1",
          .occurred_at = kAt,
          .trace_id = "",
          .payload = ""};
}

SubscriptionChanged Change(std::string plan, std::string previous, std::string pending) {
  return {.plan = std::move(plan),
          .previous_plan = std::move(previous),
          .pending_plan = std::move(pending),
          .effective_at = kAt + absl::Hours(240),
          .trial_end = kAt,
          .charge = {0, "BDT"},
          .actor = "u-1"};
}

class OwnerMailTest : public ::testing::Test {
 protected:
  OwnerMail Mail(std::string locale = "en") {
    Plan starter{.name = "starter", .monthly_price = {250'000, "BDT"}, .booking_fee = 500};
    Plan growth{.name = "growth", .monthly_price = {990'000, "BDT"}, .booking_fee = 300};
    return OwnerMail(
        owners_, notices_,
        [this](const std::string& org_id,
               const std::string& invoice_id) -> absl::StatusOr<InvoiceMail> {
          invoices_asked_.push_back(org_id + "/" + invoice_id);
          if (!invoice_answer_.ok()) return invoice_answer_;
          return InvoiceMail{.invoice = stored_,
                             .pdf = {.filename = "TRV-202612-000001.pdf", .bytes = "%PDF-1.5"}};
        },
        clock_, log::Logger::ToStderr(log::Level::kError),
        {.locale = std::move(locale), .time_zone = "Asia/Dhaka", .plans = {starter, growth}});
  }
  json DataOf(const std::string& key) { return json::parse(notices_.by_key.at(key).data); }

  ManualClock clock_{kAt};
  FixedOwners owners_;
  RecordedNotices notices_;
  absl::Status invoice_answer_;
  std::vector<std::string> invoices_asked_;
  InvoiceView stored_{.id = "inv-1",
                      .org_id = "org-1",
                      .number = "TRV-202612-000001",
                      .plan = "starter",
                      .currency = "BDT",
                      .period_start = kAt - absl::Hours(24 * 31),
                      .period_end = kAt,
                      .issued_at = kAt,
                      .total = 1'234'500,
                      .lines = {}};
  // What an invoice event says; the mail tells what is stored.
  InvoiceIssued issued_{.invoice_id = "inv-1",
                        .number = "FORGED-000",
                        .period_start = kAt,
                        .period_end = kAt,
                        .total = {1, "BDT"}};
};

TEST_F(OwnerMailTest, AnUpgradeIsToldToEveryOwnerWithItsChargeAndNewPrices) {
  OwnerMail mail = Mail("bn");
  SubscriptionChanged upgrade = Change("growth", "starter", "");
  upgrade.effective_at = kAt;
  upgrade.trial_end = kAt - absl::Hours(1);
  upgrade.charge = {536'129, "BDT"};
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-1", "x"), kPlanChanged.type, upgrade));
  ASSERT_EQ(notices_.by_key.size(), 2u);
  const notification::Notice& first = notices_.by_key.at("subscription/e-1/u-1");
  EXPECT_EQ(first.kind, "subscription_plan_changed");
  EXPECT_EQ(first.locale, "bn");
  EXPECT_EQ(first.email, "rahim@example.com");
  EXPECT_EQ(first.org_id, "org-1");
  EXPECT_EQ(notices_.by_key.at("subscription/e-1/u-2").email, "karima@example.com");
  const json data = DataOf("subscription/e-1/u-1");
  EXPECT_EQ(data["org_name"], "Green Line");
  EXPECT_EQ(data["plan"], "growth");
  EXPECT_EQ(data["previous_plan"], "starter");
  EXPECT_EQ(data["effective_at"], FormatRfc3339(kAt));
  EXPECT_EQ(data["timezone"], "Asia/Dhaka");
  EXPECT_EQ(data["charge"], json({{"amount", 536'129}, {"currency", "BDT"}}));
  EXPECT_EQ(data["plan_price"], json({{"amount", 990'000}, {"currency", "BDT"}}));
  EXPECT_EQ(data["booking_fee"], json({{"amount", 300}, {"currency", "BDT"}}));
  // A trial already over is not mentioned.
  EXPECT_FALSE(data.contains("trial_end"));
}

TEST_F(OwnerMailTest, AnInvoiceIsToldAsStoredWithItsPdfAndNobodyTwiceThroughFailures) {
  OwnerMail mail = Mail();
  const events::Event event = EventOf("e-2", "subscription.invoice_issued.v1");
  // The second owner's notice cannot be stored: the event must come again.
  notices_.script = {absl::OkStatus(), absl::UnavailableError("notification is down")};
  EXPECT_THAT(mail.OnInvoiceIssued(event, issued_), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK(mail.OnInvoiceIssued(event, issued_));
  // Two owners, one notice each, whatever the deliveries.
  EXPECT_EQ(notices_.by_key.size(), 2u);
  const notification::Notice& notice = notices_.by_key.at("subscription/e-2/u-2");
  EXPECT_EQ(notice.kind, "subscription_invoice_issued");
  const json data = DataOf("subscription/e-2/u-2");
  // The stored invoice's number, period and total, not the event's.
  EXPECT_EQ(data["number"], "TRV-202612-000001");
  EXPECT_EQ(data["total"], json({{"amount", 1'234'500}, {"currency", "BDT"}}));
  EXPECT_EQ(data["period_start"], FormatRfc3339(kAt - absl::Hours(24 * 31)));
  ASSERT_EQ(notice.attachments.size(), 1u);
  EXPECT_EQ(notice.attachments[0].filename, "TRV-202612-000001.pdf");
  EXPECT_EQ(notice.attachments[0].content_type, "application/pdf");
  EXPECT_EQ(notice.attachments[0].bytes, "%PDF-1.5");
  EXPECT_EQ(invoices_asked_.front(), "org-1/inv-1");
}

TEST_F(OwnerMailTest, AnInvoiceOfAnotherOrganizationOrNotYetDrawnIsNotToldNow) {
  OwnerMail mail = Mail();
  const events::Event event = EventOf("e-9", "subscription.invoice_issued.v1");
  // Identity (the customer's name) is down: nothing is sent without the PDF, and asked again.
  invoice_answer_ = absl::UnavailableError("identity is down");
  EXPECT_THAT(mail.OnInvoiceIssued(event, issued_), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(notices_.by_key.empty());
  // Not the organization's the event names: no one is told of it.
  invoice_answer_ = Error(reasons::kInvoiceNotFound, "no such invoice");
  ASSERT_OK(mail.OnInvoiceIssued(event, issued_));
  EXPECT_TRUE(notices_.by_key.empty());
  // A PDF that cannot be drawn at all is let go, not asked for forever.
  invoice_answer_ = absl::InternalError("drawing failed");
  ASSERT_OK(mail.OnInvoiceIssued(event, issued_));
  EXPECT_TRUE(notices_.by_key.empty());
}

TEST_F(OwnerMailTest, WhatCanNeverBeSentIsLoggedNotAskedForForever) {
  OwnerMail mail = Mail();
  SubscriptionChanged started = Change("growth", "", "");
  started.trial_end = kAt + absl::Hours(24 * 14);
  const events::Event event = EventOf("e-3", "subscription.started.v1");
  // An address notification refuses: the other owner is still told, and the event is done.
  notices_.script = {Error(reasons::kInvalidEmailAddress, "bad address")};
  ASSERT_OK(mail.OnSubscriptionChanged(event, kSubscriptionStarted.type, started));
  EXPECT_EQ(notices_.by_key.size(), 1u);
  const json data = DataOf("subscription/e-3/u-2");
  EXPECT_EQ(notices_.by_key.at("subscription/e-3/u-2").kind, "subscription_started");
  EXPECT_EQ(data["trial_end"], FormatRfc3339(kAt + absl::Hours(24 * 14)));
  EXPECT_FALSE(data.contains("charge"));
  // A notice that cannot be written at all (a render failure) is let go too.
  notices_.script = {absl::InternalError("render failed"), absl::InternalError("render failed")};
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-4", "x"), kSubscriptionStarted.type, started));
  // An organization identity does not know has no one to tell.
  owners_.failure = Error(reasons::kOrgNotFound, "no such organization");
  EXPECT_OK(mail.OnSubscriptionChanged(EventOf("e-5", "x"), kSubscriptionStarted.type, started));
  // Identity down: asked for again.
  owners_.failure = absl::UnavailableError("identity is down");
  EXPECT_THAT(mail.OnSubscriptionChanged(EventOf("e-6", "x"), kSubscriptionStarted.type, started),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(notices_.by_key.size(), 1u);
}

TEST_F(OwnerMailTest, AnEventNamingAPlanNotOnSaleIsNotMailedInTravioName) {
  OwnerMail mail = Mail();
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-7", "x"), kPlanChanged.type,
                                       Change("Suspended: call +8801711000000", "starter", "")));
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-8", "x"), kDowngradeScheduled.type,
                                       Change("growth", "", "platinum")));
  // No plan at all (an event that decodes with an empty one) is no plan on sale either.
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-10", "x"), kPlanChanged.type,
                                       Change("", "starter", "")));
  EXPECT_TRUE(notices_.by_key.empty());
}

TEST_F(OwnerMailTest, PlanChangeMailIsCappedPerHourButEachEventCountsOnce) {
  OwnerMail mail = Mail();
  auto change = [&](int i) {
    const bool scheduling = i % 2 == 0;
    return mail.OnSubscriptionChanged(
        EventOf(absl::StrCat("c-", i), "x"),
        scheduling ? kDowngradeScheduled.type : kDowngradeCancelled.type,
        Change("growth", "", scheduling ? "starter" : ""));
  };
  for (int i = 0; i < 4; ++i) ASSERT_OK(change(i));
  // An event delivered again is itself, not another change.
  ASSERT_OK(change(0));
  ASSERT_OK(change(0));
  for (int i = 4; i < 7; ++i) ASSERT_OK(change(i));
  // Five changes told to two owners; the sixth and seventh not.
  EXPECT_EQ(notices_.by_key.size(), 10u);
  EXPECT_EQ(notices_.by_key.count("subscription/c-4/u-1"), 1u);
  EXPECT_EQ(notices_.by_key.count("subscription/c-5/u-1"), 0u);
  // Invoices and welcomes are not changes: they always go.
  ASSERT_OK(mail.OnInvoiceIssued(EventOf("i-1", "x"), issued_));
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("s-1", "x"), kSubscriptionStarted.type,
                                       Change("growth", "", "")));
  EXPECT_EQ(notices_.by_key.size(), 14u);
  // An hour on, changes are told again.
  clock_.Advance(absl::Minutes(61));
  ASSERT_OK(change(9));
  EXPECT_EQ(notices_.by_key.count("subscription/c-9/u-1"), 1u);
}

}  // namespace
}  // namespace travio::subscription
