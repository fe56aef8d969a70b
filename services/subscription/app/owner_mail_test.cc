// The owners' mail: every change and invoice is told to each owner once, in the configured
// language, with what the template needs; a notification service that is down has the event
// asked for again without telling anyone twice.
#include "services/subscription/app/owner_mail.h"

#include <gtest/gtest.h>

#include <deque>
#include <nlohmann/json.hpp>

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
  absl::StatusOr<OrgOwners> OwnersOf(const std::string& org_id) override {
    asked.push_back(org_id);
    if (!failure.ok()) return failure;
    return owners;
  }
  std::vector<std::string> asked;
};

// Keeps one notice per key, as the notification service does; answers from a script first.
class RecordedNotices final : public notification::NotificationClient {
 public:
  std::deque<absl::Status> script;
  std::map<std::string, notification::Notice> by_key;
  int calls = 0;

  absl::StatusOr<std::string> SendEmail(const notification::EmailMessage&) override {
    return absl::UnimplementedError("not used");
  }
  absl::StatusOr<notification::NoticeReceipt> Notify(const notification::Notice& notice) override {
    ++calls;
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

class OwnerMailTest : public ::testing::Test {
 protected:
  OwnerMail Mail(std::string locale = "en") {
    Plan growth{.name = "growth", .monthly_price = {990'000, "BDT"}, .booking_fee = 300};
    return OwnerMail(owners_, notices_,
                     [this](const std::string& org_id,
                            const std::string& invoice_id) -> absl::StatusOr<InvoiceDocument> {
                       pdfs_asked_.push_back(org_id + "/" + invoice_id);
                       if (!pdf_answer_.ok()) return pdf_answer_;
                       return InvoiceDocument{.filename = "TRV-202612-000001.pdf",
                                              .bytes = "%PDF-1.5 ..."};
                     },
                     log::Logger::ToStderr(log::Level::kError),
                     {.locale = std::move(locale), .time_zone = "Asia/Dhaka", .plans = {growth}});
  }
  json DataOf(const std::string& key) { return json::parse(notices_.by_key.at(key).data); }

  FixedOwners owners_;
  RecordedNotices notices_;
  absl::Status pdf_answer_;
  std::vector<std::string> pdfs_asked_;
};

TEST_F(OwnerMailTest, AnUpgradeIsToldToEveryOwnerWithItsChargeAndNewPrices) {
  OwnerMail mail = Mail("bn");
  const SubscriptionChanged upgrade{.plan = "growth",
                                    .previous_plan = "starter",
                                    .pending_plan = "",
                                    .effective_at = kAt,
                                    .trial_end = kAt - absl::Hours(1),
                                    .charge = {536'129, "BDT"},
                                    .actor = "u-1"};
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-1", "subscription.plan_changed.v1"),
                                       kPlanChanged.type, upgrade));
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

TEST_F(OwnerMailTest, AnEventDeliveredAgainAfterAFailureTellsNobodyTwice) {
  OwnerMail mail = Mail();
  const InvoiceIssued invoice{.invoice_id = "inv-1",
                              .number = "TRV-202612-000001",
                              .period_start = kAt - absl::Hours(24 * 31),
                              .period_end = kAt,
                              .total = {1'234'500, "BDT"}};
  const events::Event event = EventOf("e-2", "subscription.invoice_issued.v1");
  // The second owner's notice cannot be stored: the event must come again.
  notices_.script = {absl::OkStatus(), absl::UnavailableError("notification is down")};
  EXPECT_THAT(mail.OnInvoiceIssued(event, invoice), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_OK(mail.OnInvoiceIssued(event, invoice));
  // Two owners, one notice each, whatever the deliveries.
  EXPECT_EQ(notices_.by_key.size(), 2u);
  const json data = DataOf("subscription/e-2/u-2");
  EXPECT_EQ(notices_.by_key.at("subscription/e-2/u-2").kind, "subscription_invoice_issued");
  EXPECT_EQ(data["number"], "TRV-202612-000001");
  EXPECT_EQ(data["total"], json({{"amount", 1'234'500}, {"currency", "BDT"}}));
  EXPECT_EQ(data["period_end"], FormatRfc3339(kAt));
  // The invoice's PDF goes with it, drawn for the event's organization.
  const auto& attachments = notices_.by_key.at("subscription/e-2/u-2").attachments;
  ASSERT_EQ(attachments.size(), 1u);
  EXPECT_EQ(attachments[0].filename, "TRV-202612-000001.pdf");
  EXPECT_EQ(attachments[0].content_type, "application/pdf");
  EXPECT_EQ(attachments[0].bytes, "%PDF-1.5 ...");
  EXPECT_EQ(pdfs_asked_.front(), "org-1/inv-1");
}

TEST_F(OwnerMailTest, AnInvoiceWhosePdfCannotBeDrawnYetIsToldLater) {
  OwnerMail mail = Mail();
  const InvoiceIssued invoice{.invoice_id = "inv-9",
                              .number = "TRV-202612-000009",
                              .period_start = kAt - absl::Hours(24 * 31),
                              .period_end = kAt,
                              .total = {100, "BDT"}};
  const events::Event event = EventOf("e-9", "subscription.invoice_issued.v1");
  // Identity (the customer's name) is down: nothing is sent without its PDF.
  pdf_answer_ = absl::UnavailableError("identity is down");
  EXPECT_THAT(mail.OnInvoiceIssued(event, invoice), StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(notices_.by_key.empty());
  // Not the organization's the event names: no one is told another's number and total.
  pdf_answer_ = Error(reasons::kInvoiceNotFound, "no such invoice");
  ASSERT_OK(mail.OnInvoiceIssued(event, invoice));
  EXPECT_TRUE(notices_.by_key.empty());
  // Drawn when it comes again: told, with the PDF.
  pdf_answer_ = absl::OkStatus();
  ASSERT_OK(mail.OnInvoiceIssued(event, invoice));
  EXPECT_EQ(notices_.by_key.size(), 2u);
  EXPECT_EQ(notices_.by_key.at("subscription/e-9/u-1").attachments.size(), 1u);
}

TEST_F(OwnerMailTest, WhatCanNeverBeSentIsLoggedNotAskedForForever) {
  OwnerMail mail = Mail();
  const SubscriptionChanged started{.plan = "growth",
                                    .previous_plan = "",
                                    .pending_plan = "",
                                    .effective_at = kAt,
                                    .trial_end = kAt + absl::Hours(24 * 14),
                                    .charge = {0, "BDT"},
                                    .actor = ""};
  const events::Event event = EventOf("e-3", "subscription.started.v1");
  // An address notification refuses: the other owner is still told, and the event is done.
  notices_.script = {Error(reasons::kInvalidEmailAddress, "bad address")};
  ASSERT_OK(mail.OnSubscriptionChanged(event, kSubscriptionStarted.type, started));
  EXPECT_EQ(notices_.by_key.size(), 1u);
  const json data = DataOf("subscription/e-3/u-2");
  EXPECT_EQ(notices_.by_key.at("subscription/e-3/u-2").kind, "subscription_started");
  EXPECT_EQ(data["trial_end"], FormatRfc3339(kAt + absl::Hours(24 * 14)));
  EXPECT_FALSE(data.contains("charge"));
  // An organization identity does not know has no one to tell.
  owners_.failure = Error(reasons::kOrgNotFound, "no such organization");
  EXPECT_OK(mail.OnSubscriptionChanged(EventOf("e-4", "subscription.started.v1"),
                                       kSubscriptionStarted.type, started));
  // Identity down: asked for again.
  owners_.failure = absl::UnavailableError("identity is down");
  EXPECT_THAT(mail.OnSubscriptionChanged(EventOf("e-5", "subscription.started.v1"),
                                         kSubscriptionStarted.type, started),
              StatusIs(absl::StatusCode::kUnavailable));
  EXPECT_EQ(notices_.by_key.size(), 1u);
}

TEST_F(OwnerMailTest, EachChangeHasItsOwnTemplate) {
  OwnerMail mail = Mail();
  const SubscriptionChanged downgrade{.plan = "growth",
                                      .previous_plan = "",
                                      .pending_plan = "starter",
                                      .effective_at = kAt + absl::Hours(240),
                                      .trial_end = kAt,
                                      .charge = {0, "BDT"},
                                      .actor = "u-1"};
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-6", "x"), kDowngradeScheduled.type, downgrade));
  ASSERT_OK(mail.OnSubscriptionChanged(EventOf("e-7", "x"), kDowngradeCancelled.type, downgrade));
  EXPECT_EQ(notices_.by_key.at("subscription/e-6/u-1").kind, "subscription_downgrade_scheduled");
  EXPECT_EQ(DataOf("subscription/e-6/u-1")["pending_plan"], "starter");
  EXPECT_EQ(notices_.by_key.at("subscription/e-7/u-1").kind, "subscription_downgrade_cancelled");
}

}  // namespace
}  // namespace travio::subscription
