// The message templates: every traveller's message renders in both locales with what it must
// say, values typed by people cannot add markup to the HTML, and numbers read in Bangla.
#include "services/notification/writing/templates.h"

#include <gtest/gtest.h>

#include "platform/testing/status_matchers.h"
#include "services/notification/domain/locale_format.h"
#include "services/notification/writing/message_data.h"

namespace travio::notification {
namespace {

using nlohmann::json;
using ::travio::testing::HasReason;

json TicketsData() {
  return {{"order_id", "0193f1d0-0a1b-7c2d-8e3f-4a5b6c7d8e10"},
          {"operator_name", "Green Line"},
          {"from", {{"code", "DHK"}, {"name", "Dhaka"}}},
          {"to", {{"code", "CXB"}, {"name", "Cox's Bazar"}}},
          {"timezone", "Asia/Dhaka"},
          {"departure", "2026-12-20T16:30:00.000Z"},
          {"tickets",
           {{{"ticket_id", "t1"},
             {"number", "K7Q2M-9XD3F"},
             {"seat", "A1"},
             {"passenger", "Rahim <b>Uddin</b>"},
             {"status", "issued"}},
            {{"ticket_id", "t2"},
             {"number", "Q8HSC-642BY"},
             {"seat", "A2"},
             {"passenger", "করিম আহমেদ"},
             {"status", "void"}}}},
          {"pdf_url", "https://travio.example/v1/orders/o/tickets.pdf?expires=1&signature=ab"},
          {"pdf_url_expires_at", "2026-12-27T16:30:00.000Z"},
          {"total", {{"amount", 150000}, {"currency", "BDT"}}},
          {"refund", {{"amount", 120000}, {"currency", "BDT"}}},
          {"tier", "48h"},
          {"delay_minutes", 90}};
}

RenderedMessage Render(const std::string& kind, const std::string& locale,
                       json data = TicketsData()) {
  auto context = TemplateData(kind, locale, data);
  EXPECT_OK(context);
  auto rendered = RenderTemplate(kind, locale, context.ok() ? *context : json::object());
  EXPECT_OK(rendered);
  return rendered.ok() ? *rendered : RenderedMessage{};
}

TEST(TemplatesTest, TheTicketEmailSaysWhatATravellerNeeds) {
  const RenderedMessage message = Render("tickets_issued", "en");
  EXPECT_EQ(message.subject,
            "Your tickets: Dhaka to Cox's Bazar, Sunday, 20 December 2026 at 22:30");
  for (const char* text :
       {"Green Line", "Seat A1: Rahim <b>Uddin</b>, ticket K7Q2M-9XD3F", "22:30", "BDT 1,500.00",
        "https://travio.example/v1/orders/o/tickets.pdf", "27 Dec 2026, 16:30 UTC"}) {
    EXPECT_NE(message.text.find(text), std::string::npos) << text << "\n" << message.text;
  }
  // The void ticket is not among those to show at boarding.
  EXPECT_EQ(message.text.find("Q8HSC-642BY"), std::string::npos);
  EXPECT_NE(message.html.find("<!doctype html>"), std::string::npos);
  EXPECT_NE(message.sms.find("K7Q2M-9XD3F"), std::string::npos);
  EXPECT_EQ(message.sms.find('\n'), std::string::npos);
}

TEST(TemplatesTest, HtmlEscapesWhatPeopleTyped) {
  const RenderedMessage message = Render("tickets_issued", "en");
  EXPECT_EQ(message.html.find("<b>Uddin</b>"), std::string::npos);
  EXPECT_NE(message.html.find("Rahim &lt;b&gt;Uddin&lt;"), std::string::npos) << message.html;
}

TEST(TemplatesTest, BanglaMessagesUseBanglaWordsAndDigits) {
  const RenderedMessage message = Render("tickets_issued", "bn");
  EXPECT_NE(message.subject.find("আপনার টিকিট"), std::string::npos) << message.subject;
  EXPECT_NE(message.subject.find("রবিবার, ২০ ডিসেম্বর ২০২৬"), std::string::npos) << message.subject;
  EXPECT_NE(message.subject.find("২২:৩০"), std::string::npos);
  EXPECT_NE(message.text.find("১,৫০০.০০ টাকা"), std::string::npos) << message.text;
  EXPECT_NE(message.html.find("lang=\"bn\""), std::string::npos);
}

TEST(TemplatesTest, CancellationDelayAndTripCancellationNotices) {
  const RenderedMessage cancelled = Render("tickets_cancelled", "en");
  EXPECT_NE(cancelled.subject.find("seat A2"), std::string::npos) << cancelled.subject;
  EXPECT_NE(cancelled.text.find("Refund: BDT 1,200.00"), std::string::npos) << cancelled.text;
  EXPECT_NE(cancelled.text.find("Still travelling"), std::string::npos);

  const RenderedMessage delayed = Render("trip_delayed", "en");
  EXPECT_NE(delayed.subject.find("Delayed 1 hour 30 minutes"), std::string::npos)
      << delayed.subject;

  json data = TicketsData();
  data["cancel_reason"] = "Road closed by flooding";
  const RenderedMessage trip = Render("trip_cancelled", "bn", data);
  EXPECT_NE(trip.text.find("Road closed by flooding"), std::string::npos) << trip.text;
  EXPECT_NE(trip.text.find("১,২০০.০০ টাকা"), std::string::npos) << trip.text;
}

// Cash taken at an operator's counter goes back there, not to a card that never paid.
TEST(TemplatesTest, ARefundOfCashSaysTheCounterNotTheCard) {
  json data = TicketsData();
  data["refund_at_counter"] = true;
  for (const char* kind : {"tickets_cancelled", "trip_cancelled"}) {
    for (const char* locale : {"en", "bn"}) {
      const RenderedMessage message = Render(kind, locale, data);
      for (const std::string& body : {message.text, message.html}) {
        EXPECT_EQ(body.find("card"), std::string::npos) << kind << " " << locale << "\n" << body;
        EXPECT_EQ(body.find("কার্ড"), std::string::npos) << kind << " " << locale << "\n" << body;
        EXPECT_TRUE(body.find("counter") != std::string::npos ||
                    body.find("কাউন্টার") != std::string::npos)
            << kind << " " << locale << "\n"
            << body;
      }
    }
  }
  data.erase("refund_at_counter");
  for (const char* locale : {"en", "bn"}) {
    const RenderedMessage card = Render("tickets_cancelled", locale, data);
    EXPECT_TRUE(card.text.find("card") != std::string::npos ||
                card.text.find("কার্ড") != std::string::npos)
        << card.text;
  }
}

TEST(TemplatesTest, TicketMessagesLinkToTheBookingOnlyWhenALinkCame) {
  json data = TicketsData();
  data["manage_url"] = "https://travio.example/orders/o?expires=9&signature=cd";
  for (const char* kind : {"tickets_issued", "tickets_cancelled", "trip_delayed"}) {
    for (const char* locale : {"en", "bn"}) {
      const RenderedMessage message = Render(kind, locale, data);
      EXPECT_NE(message.text.find("https://travio.example/orders/o?expires=9&signature=cd"),
                std::string::npos)
          << kind << " " << locale << "\n"
          << message.text;
      // Escaped as HTML attributes are (mstch writes '/' as &#x2F;); a browser reads it back.
      EXPECT_NE(message.html.find("href=\"https:&#x2F;&#x2F;travio.example&#x2F;orders&#x2F;o?"
                                  "expires=9&amp;signature=cd\""),
                std::string::npos)
          << kind << " " << locale << "\n"
          << message.html;
    }
  }
  data["manage_url"] = "";
  const RenderedMessage without = Render("tickets_issued", "en", data);
  EXPECT_EQ(without.text.find("See or change your booking"), std::string::npos) << without.text;
  EXPECT_EQ(without.html.find("See or change your booking"), std::string::npos);
}

// An order fraud held and nobody accepted: no tickets, the money released.
TEST(TemplatesTest, ANotAcceptedOrderSaysNothingWasCharged) {
  json data = TicketsData();
  data["tickets"] = json::array();
  data.erase("pdf_url");
  const RenderedMessage en = Render("order_not_accepted", "en", data);
  EXPECT_EQ(en.subject, "Your booking with Green Line was not accepted; nothing was charged");
  for (const char* text :
       {"Dhaka (DHK) to Cox's Bazar (CXB)", "Sunday, 20 December 2026", "22:30",
        "Nothing was charged", "BDT 1,500.00", "0193f1d0-0a1b-7c2d-8e3f-4a5b6c7d8e10"}) {
    EXPECT_NE(en.text.find(text), std::string::npos) << text << "\n" << en.text;
  }
  EXPECT_NE(en.html.find("Nothing was charged"), std::string::npos);
  EXPECT_NE(en.sms.find("not accepted"), std::string::npos) << en.sms;
  const RenderedMessage bn = Render("order_not_accepted", "bn", data);
  EXPECT_NE(bn.text.find("কোনো টাকা কাটা হয়নি"), std::string::npos) << bn.text;
  EXPECT_NE(bn.text.find("১,৫০০.০০ টাকা"), std::string::npos) << bn.text;
  EXPECT_NE(bn.subject.find("গ্রহণ করা হয়নি"), std::string::npos) << bn.subject;
}

TEST(TemplatesTest, AnInviteCarriesItsLinkAndToken) {
  const json data = {{"org_name", "Green Line"},
                     {"role", "manager"},
                     {"accept_url", "https://travio.example/invites/accept?token=tok_1"},
                     {"token", "tok_1"},
                     {"expires", "2026-12-20 16:30 UTC"}};
  const RenderedMessage message = Render("org_invite", "en", data);
  EXPECT_EQ(message.subject, "You are invited to join Green Line on Travio");
  EXPECT_NE(message.text.find("Invite token: tok_1"), std::string::npos);
  // Escaped as HTML does it ('/' as &#x2F;), which a browser reads back as the link.
  EXPECT_NE(message.html.find("accept?token=tok_1"), std::string::npos) << message.html;
}

json OwnerData() {
  return {{"org_name", "Green <i>Line</i>"},
          {"timezone", "Asia/Dhaka"},
          {"plan", "growth"},
          {"previous_plan", "starter"},
          {"pending_plan", "starter"},
          {"effective_at", "2026-12-09T18:30:00.000Z"},
          {"trial_end", "2026-12-20T18:00:00.000Z"},
          {"plan_price", {{"amount", 990000}, {"currency", "BDT"}}},
          {"booking_fee", {{"amount", 300}, {"currency", "BDT"}}},
          {"charge", {{"amount", 536129}, {"currency", "BDT"}}},
          {"number", "TRV-202612-000001"},
          {"period_start", "2026-11-30T18:00:00.000Z"},
          {"period_end", "2026-12-31T18:00:00.000Z"},
          {"total", {{"amount", 1234500}, {"currency", "BDT"}}}};
}

TEST(TemplatesTest, TheOwnersAreToldOfEachChangeToTheirPlan) {
  const RenderedMessage started = Render("subscription_started", "en", OwnerData());
  EXPECT_EQ(started.subject, "Welcome to Travio: Green <i>Line</i> is on the Growth plan");
  EXPECT_NE(started.text.find("free until Monday, 21 December 2026"), std::string::npos)
      << started.text;
  EXPECT_NE(started.text.find("BDT 9,900.00 a month, and BDT 3.00 for each booking"),
            std::string::npos)
      << started.text;
  EXPECT_NE(started.html.find("Green &lt;i&gt;Line"), std::string::npos) << started.html;
  // Travio writes these itself, not on an operator's behalf.
  EXPECT_NE(started.html.find("Sent by Travio about your organization"), std::string::npos);
  EXPECT_EQ(started.html.find("on behalf of the operator"), std::string::npos);

  const RenderedMessage changed = Render("subscription_plan_changed", "en", OwnerData());
  EXPECT_EQ(changed.subject, "Green <i>Line</i> is now on the Growth plan");
  EXPECT_NE(changed.text.find("from the Starter plan to the Growth plan on Thursday, 10 December"),
            std::string::npos)
      << changed.text;
  EXPECT_NE(changed.text.find("BDT 5,361.29 is added"), std::string::npos) << changed.text;
  // A change that costs nothing says nothing of a charge.
  json free = OwnerData();
  free["charge"]["amount"] = 0;
  EXPECT_EQ(Render("subscription_plan_changed", "en", free).text.find("is added"),
            std::string::npos);

  const RenderedMessage scheduled = Render("subscription_downgrade_scheduled", "en", OwnerData());
  EXPECT_EQ(scheduled.subject,
            "Green <i>Line</i> moves to the Starter plan on Thursday, 10 December 2026");
  const RenderedMessage kept = Render("subscription_downgrade_cancelled", "en", OwnerData());
  EXPECT_EQ(kept.subject, "Green <i>Line</i> stays on the Growth plan");
}

TEST(TemplatesTest, AnInvoiceEmailGivesItsNumberPeriodAndTotalInEitherLanguage) {
  const RenderedMessage en = Render("subscription_invoice_issued", "en", OwnerData());
  EXPECT_EQ(en.subject, "Travio invoice TRV-202612-000001 for Green <i>Line</i>: BDT 12,345.00");
  // Its period is December in Dhaka: the first to the last day, not the next month's first.
  EXPECT_NE(en.text.find("Period: Tuesday, 1 December 2026 to Thursday, 31 December 2026"),
            std::string::npos)
      << en.text;
  const RenderedMessage bn = Render("subscription_invoice_issued", "bn", OwnerData());
  EXPECT_NE(bn.subject.find("ইনভয়েস TRV-202612-000001"), std::string::npos) << bn.subject;
  EXPECT_NE(bn.text.find("১২,৩৪৫.০০ টাকা"), std::string::npos) << bn.text;
  EXPECT_NE(bn.text.find("৩১ ডিসেম্বর ২০২৬"), std::string::npos) << bn.text;
  EXPECT_NE(bn.html.find("lang=\"bn\""), std::string::npos);
  for (const char* kind :
       {"subscription_started", "subscription_plan_changed", "subscription_downgrade_scheduled",
        "subscription_downgrade_cancelled"}) {
    EXPECT_NE(Render(kind, "bn", OwnerData()).subject.find("Green <i>Line</i>"), std::string::npos)
        << kind;
  }
  // An owner's message names its organization, or it is not written.
  json nameless = OwnerData();
  nameless.erase("org_name");
  EXPECT_THAT(TemplateData("subscription_invoice_issued", "en", nameless),
              HasReason("invalid_notice"));
}

TEST(TemplatesTest, UnknownKindsAndBadDataAreRefused) {
  EXPECT_THAT(RenderTemplate("no_such_kind", "en", json::object()), HasReason("unknown_template"));
  EXPECT_THAT(RenderTemplate("../tickets_issued", "en", json::object()),
              HasReason("unknown_template"));
  EXPECT_THAT(RenderTemplate("partials", "en", json::object()), HasReason("unknown_template"));
  json no_departure = TicketsData();
  no_departure.erase("departure");
  EXPECT_THAT(TemplateData("tickets_issued", "en", no_departure), HasReason("invalid_notice"));
  EXPECT_THAT(TemplateData("tickets_issued", "en", json::array()), HasReason("invalid_notice"));
}

TEST(TemplatesTest, ASubjectIsOneLineWhateverAValueHolds) {
  json data = TicketsData();
  data["from"]["name"] = "Dhaka\r\nBcc: victim@example.com";
  const RenderedMessage message = Render("tickets_issued", "en", data);
  EXPECT_EQ(message.subject.find('\n'), std::string::npos);
  EXPECT_EQ(message.subject.find('\r'), std::string::npos);
}

TEST(TemplatesTest, AnUnknownLocaleFallsBackToEnglish) {
  EXPECT_EQ(Render("tickets_issued", "fr").subject, Render("tickets_issued", "en").subject);
  EXPECT_EQ(SupportedLocale("bn-BD"), "bn");
}

TEST(LocaleFormatTest, MoneyMinutesAndDigits) {
  EXPECT_EQ(FormatMoney(150000, "BDT", "en"), "BDT 1,500.00");
  EXPECT_EQ(FormatMoney(150000, "BDT", "bn"), "১,৫০০.০০ টাকা");
  EXPECT_EQ(FormatMoney(5, "USD", "bn"), "USD ০.০৫");
  EXPECT_EQ(FormatMinutes(45, "en"), "45 minutes");
  EXPECT_EQ(FormatMinutes(60, "en"), "1 hour");
  EXPECT_EQ(FormatMinutes(61, "en"), "1 hour 1 minute");
  EXPECT_EQ(FormatMinutes(150, "bn"), "২ ঘণ্টা ৩০ মিনিট");
  EXPECT_EQ(BengaliDigits("22:30"), "২২:৩০");
}

}  // namespace
}  // namespace travio::notification
