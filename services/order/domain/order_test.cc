#include "services/order/domain/order.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::order {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::UnorderedElementsAre;

Passenger Rahim() { return {.name = "Rahim Uddin", .gender = "male", .age = 34, .phone = ""}; }
Contact Buyer() { return {.email = "rahim@example.com", .phone = "+8801712345678"}; }

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(status)) fields.push_back(error.field);
  return fields;
}

TEST(ValidatePassengers, OnePassengerPerHeldSeatPasses) {
  Passenger karima{.name = "Karima", .gender = "female", .age = std::nullopt, .phone = ""};
  EXPECT_OK(ValidatePassengers({"A1", "A2"}, {{"A2", karima}, {"A1", Rahim()}}, Buyer()));
}

TEST(ValidatePassengers, NamesEveryBadField) {
  Passenger nameless{.name = "  ", .gender = "robot", .age = 130, .phone = "call me"};
  const absl::Status status = ValidatePassengers({"A1", "A2"}, {{"A1", nameless}, {"B9", Rahim()}},
                                                 {.email = "not-an-email", .phone = "x"});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReasonOf(status), "invalid_passengers");
  EXPECT_THAT(FieldsOf(status),
              UnorderedElementsAre("passengers[0].name", "passengers[0].gender",
                                   "passengers[0].age", "passengers[0].phone", "passengers[1].seat",
                                   "passengers", "contact.email", "contact.phone"));
}

TEST(ValidatePassengers, RefusesTwoPassengersOnOneSeatAndAMissingOne) {
  const absl::Status status =
      ValidatePassengers({"A1", "A2"}, {{"A1", Rahim()}, {"A1", Rahim()}}, Buyer());
  EXPECT_THAT(FieldsOf(status), UnorderedElementsAre("passengers[1].seat", "passengers"));
}

struct TwoSeatOrder {
  std::vector<OrderItem> items;
};

TwoSeatOrder TwoSeats() {
  TwoSeatOrder order;
  order.items = {{.seat = "A1", .passenger = Rahim(), .price = {90000, "BDT"}},
                 {.seat = "A2", .passenger = Rahim(), .price = {80000, "BDT"}}};
  return order;
}

TEST(PriceOfSeats, SumsActiveSeatsAndRefusesOthers) {
  TwoSeatOrder order = TwoSeats();
  EXPECT_EQ(*PriceOfSeats(order.items, {"A1", "A2"}), 170000);
  order.items[0].status = ItemStatus::kCancelled;
  EXPECT_EQ(*PriceOfSeats(order.items, {"A2"}), 80000);
  const auto refused = PriceOfSeats(order.items, {"A1", "Z9", "A2", "A2"});
  EXPECT_EQ(ReasonOf(refused.status()), "invalid_seats");
  EXPECT_THAT(FieldsOf(refused.status()), ElementsAre("seats[0]", "seats[1]", "seats[3]"));
}

TEST(StatusAfterCancelling, PartialUntilTheLastSeat) {
  TwoSeatOrder order = TwoSeats();
  EXPECT_EQ(StatusAfterCancelling(order.items, {"A1"}), OrderStatus::kPartiallyCancelled);
  EXPECT_EQ(StatusAfterCancelling(order.items, {"A1", "A2"}), OrderStatus::kCancelled);
  order.items[0].status = ItemStatus::kCancelled;
  EXPECT_EQ(StatusAfterCancelling(order.items, {"A2"}), OrderStatus::kCancelled);
  EXPECT_THAT(ActiveSeats(order.items), ElementsAre("A2"));
}

}  // namespace
}  // namespace travio::order
