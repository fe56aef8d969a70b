#include "services/inventory/domain/offer.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::inventory {
namespace {

TripOffer Offer() {
  return TripOffer{.seats = {.trip_id = "trip-1",
                             .stops = {"DHK", "CTG", "CXB"},
                             .places = {{"A1", "ladies", true},
                                        {"A2", "standard", true},
                                        {"A3", "premium", true},
                                        {"A4", "standard", false}}},
                   .fares = {{"DHK", "CXB", 150000, "BDT", ""},
                             {"DHK", "CXB", 140000, "BDT", "ladies"},
                             {"DHK", "CTG", 90000, "BDT", ""},
                             {"CTG", "CXB", 70000, "BDT", "premium"}},
                   .org_id = "org-1",
                   .on_sale = true,
                   .catalog_version = 2};
}

TEST(QuoteTest, EachSeatPaysItsCategorysFareOrThePairsDefault) {
  auto prices = Quote(Offer(), Journey{0, 2}, {"A1", "A2", "A3"});
  ASSERT_OK(prices);
  ASSERT_EQ(prices->size(), 3u);
  EXPECT_EQ((*prices)[0].amount, 140000);  // ladies
  EXPECT_EQ((*prices)[1].amount, 150000);
  EXPECT_EQ((*prices)[2].amount, 150000);  // no premium fare for this pair: the default
  EXPECT_EQ((*prices)[0].currency, "BDT");
  EXPECT_EQ(Quote(Offer(), Journey{0, 1}, {"A2"})->at(0).amount, 90000);
}

TEST(QuoteTest, PairsWithoutAFareForTheSeatAreNotSold) {
  auto unsold = Quote(Offer(), Journey{1, 2}, {"A3", "A2"});
  EXPECT_EQ(ReasonOf(unsold.status()), "journey_not_sold");
  const auto errors = FieldErrorsOf(unsold.status());
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "seats[1]");
  EXPECT_EQ(Quote(Offer(), Journey{1, 2}, {"A3"})->at(0).amount, 70000);
  EXPECT_EQ(ReasonOf(Quote(Offer(), Journey{0, 2}, {"Z9"}).status()), "journey_not_sold");
  EXPECT_EQ(ReasonOf(Quote(Offer(), Journey{0, 3}, {"A1"}).status()), "invalid_journey");
  TripOffer draft = Offer();
  draft.on_sale = false;
  EXPECT_EQ(ReasonOf(Quote(draft, Journey{0, 2}, {"A1"}).status()), "not_on_sale");
}

}  // namespace
}  // namespace travio::inventory
