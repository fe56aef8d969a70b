// Ticket numbers and the pages a ticket's PDF shows.
#include "services/fulfillment/domain/ticket.h"

#include <gtest/gtest.h>

#include <set>

#include "services/fulfillment/domain/ticket_page.h"

namespace travio::fulfillment {
namespace {

TEST(TicketNumberTest, TenCharactersOfTheAlphabetInTwoGroups) {
  std::string random;
  for (int i = 0; i < 32; ++i) random.push_back(static_cast<char>(i * 7));
  const std::optional<std::string> number = TicketNumberFrom(random);
  ASSERT_TRUE(number.has_value());
  ASSERT_EQ(number->size(), 11u);
  EXPECT_EQ((*number)[5], '-');
  for (size_t i = 0; i < number->size(); ++i) {
    if (i == 5) continue;
    EXPECT_NE(kTicketNumberAlphabet.find((*number)[i]), std::string_view::npos) << *number;
  }
}

TEST(TicketNumberTest, NoLookAlikeCharacters) {
  for (char c : std::string("0O1IL")) {
    EXPECT_EQ(kTicketNumberAlphabet.find(c), std::string_view::npos) << c;
  }
}

TEST(TicketNumberTest, SkipsBytesThatWouldBiasTheDraw) {
  // 248 = 8 * 31 and above would make the first characters likelier; they are skipped.
  std::string random(10, static_cast<char>(250));
  EXPECT_EQ(TicketNumberFrom(random), std::nullopt);  // ran out
  random += std::string(10, '\0');
  EXPECT_EQ(TicketNumberFrom(random), "22222-22222");
}

TEST(TicketNumberTest, EveryCharacterCanBeDrawn) {
  std::set<char> seen;
  std::string random;
  for (int byte = 0; byte < 248; ++byte) random.push_back(static_cast<char>(byte));
  for (size_t start = 0; start + 10 <= random.size(); start += 10) {
    auto number = TicketNumberFrom(random.substr(start, 10));
    ASSERT_TRUE(number.has_value());
    for (char c : *number) seen.insert(c);
  }
  seen.erase('-');
  EXPECT_EQ(seen.size(), kTicketNumberAlphabet.size());
}

TEST(TicketNumberTest, CanonicalFormIgnoresCaseAndDash) {
  EXPECT_EQ(CanonicalTicketNumber("k7q2m9xd3f"), "K7Q2M-9XD3F");
  EXPECT_EQ(CanonicalTicketNumber("K7Q2M-9XD3F"), "K7Q2M-9XD3F");
  EXPECT_EQ(CanonicalTicketNumber("K7Q2M-9XD3"), std::nullopt);     // short
  EXPECT_EQ(CanonicalTicketNumber("K7Q2M-9XD3O"), std::nullopt);    // O is not in the alphabet
  EXPECT_EQ(CanonicalTicketNumber("K7Q2M 9XD3F"), std::nullopt);    // space
  EXPECT_EQ(CanonicalTicketNumber("K7Q2M-9XD3F-2"), std::nullopt);  // long
}

TEST(FormatMoneyTest, MajorUnitsWithSeparatorsAndCurrency) {
  EXPECT_EQ(FormatMoney({120000, "BDT"}), "BDT 1,200.00");
  EXPECT_EQ(FormatMoney({5, "BDT"}), "BDT 0.05");
  EXPECT_EQ(FormatMoney({123456789, "BDT"}), "BDT 1,234,567.89");
  EXPECT_EQ(FormatMoney({-1050, "USD"}), "USD -10.50");
}

Ticket SampleTicket() {
  Ticket ticket;
  ticket.id = "t1";
  ticket.number = "K7Q2M-9XD3F";
  ticket.order_id = "o1";
  ticket.seat = "L1";
  ticket.deck = "lower";
  ticket.passenger = "করিম আহমেদ";
  ticket.from = "DHK";
  ticket.to = "CXB";
  ticket.fare = {150000, "BDT"};
  ticket.qr = "v4.public.x";
  return ticket;
}

TripFacts SampleTrip() {
  TripFacts trip;
  trip.operator_name = "Green Line";
  trip.route_name = "Dhaka - Cox's Bazar";
  trip.from_code = "DHK";
  trip.from_name = "Dhaka";
  trip.from_timezone = "Asia/Dhaka";
  trip.to_code = "CXB";
  trip.to_name = "Cox's Bazar";
  trip.to_timezone = "Asia/Dhaka";
  // 2026-12-20T16:30Z is 22:30 in Dhaka (UTC+6), a Sunday.
  trip.departure = absl::FromUnixSeconds(1'797'784'200);
  trip.arrival = trip.departure + absl::Hours(8);
  trip.bus_class = "sleeper";
  trip.ac = true;
  trip.plate = "DHAKA-11-2233";
  trip.deck_of_seat = {{"L1", "lower"}, {"U1", "upper"}};
  return trip;
}

TEST(DescribeTicketTest, DepartureInTheBoardingStationsZone) {
  const TicketPage page = DescribeTicket(SampleTicket(), SampleTrip(), 2, 3);
  EXPECT_EQ(page.departure_time, "22:30");
  EXPECT_EQ(page.departure_date, "Sunday, 20 December 2026");
  EXPECT_EQ(page.departure_zone, "Asia/Dhaka (UTC+06:00)");
  EXPECT_EQ(page.arrival, "06:30, Monday 21 December");
}

TEST(DescribeTicketTest, SaysWhatATravellerChecks) {
  const TicketPage page = DescribeTicket(SampleTicket(), SampleTrip(), 2, 3);
  EXPECT_EQ(page.operator_name, "Green Line");
  EXPECT_EQ(page.from, "Dhaka (DHK)");
  EXPECT_EQ(page.to, "Cox's Bazar (CXB)");
  EXPECT_EQ(page.passenger, "করিম আহমেদ");
  EXPECT_EQ(page.seat, "L1");
  EXPECT_EQ(page.deck, "lower deck");  // the bus has two
  EXPECT_EQ(page.fare, "BDT 1,500.00");
  EXPECT_EQ(page.bus, "AC sleeper, DHAKA-11-2233");
  EXPECT_EQ(page.page_label, "Ticket 2 of 3");
  EXPECT_EQ(page.qr, "v4.public.x");
  EXPECT_FALSE(page.terms.empty());
}

TEST(DescribeTicketTest, NoDeckOnASingleDeckBus) {
  TripFacts trip = SampleTrip();
  trip.deck_of_seat = {{"L1", "main"}, {"L2", "main"}};
  EXPECT_EQ(DescribeTicket(SampleTicket(), trip, 1, 1).deck, "");
}

}  // namespace
}  // namespace travio::fulfillment
