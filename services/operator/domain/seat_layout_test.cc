#include "services/operator/domain/seat_layout.h"

#include <gtest/gtest.h>

#include <set>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::fleet {
namespace {

std::vector<std::string> Labels(const SeatLayout& layout) {
  std::vector<std::string> labels;
  for (const Cell* cell : layout.Places()) labels.push_back(cell->label);
  return labels;
}

TEST(SeatLayoutTemplates, TwoPlusTwoIsLabelledByRowLetterAndSeatNumber) {
  auto layout = LayoutFromTemplate("2+2", 10);
  ASSERT_OK(layout);
  EXPECT_EQ(layout->Capacity(), 40);
  const auto labels = Labels(*layout);
  EXPECT_EQ(labels.front(), "A1");
  EXPECT_EQ(labels[3], "A4");
  EXPECT_EQ(labels.back(), "J4");
  EXPECT_OK(ValidateLayout(*layout));
  // The aisle is the middle column of every row.
  EXPECT_EQ(layout->decks[0].cols, 5);
  EXPECT_EQ(layout->decks[0].cells[2].type, CellType::kAisle);
}

TEST(SeatLayoutTemplates, AFullBackRowFillsTheAisle) {
  auto layout = LayoutFromTemplate("2+2", 10, /*full_back_row=*/true);
  ASSERT_OK(layout);
  EXPECT_EQ(layout->Capacity(), 41);
  EXPECT_EQ(Labels(*layout).back(), "J5");
  auto two_one = LayoutFromTemplate("2+1", 8, true);
  EXPECT_EQ(two_one->Capacity(), 7 * 3 + 4);
  EXPECT_OK(ValidateLayout(*two_one));
}

TEST(SeatLayoutTemplates, SleepersHaveBerthsOnOneOrTwoDecks) {
  auto sleeper = LayoutFromTemplate("1+1", 9);
  ASSERT_OK(sleeper);
  EXPECT_EQ(sleeper->Capacity(), 18);
  EXPECT_EQ(sleeper->Places().front()->type, CellType::kBerth);

  auto double_decker = LayoutFromTemplate("double-decker", 8);
  ASSERT_OK(double_decker);
  ASSERT_EQ(double_decker->decks.size(), 2u);
  EXPECT_EQ(double_decker->decks[0].name, "lower");
  EXPECT_EQ(double_decker->decks[1].name, "upper");
  EXPECT_EQ(double_decker->Capacity(), 32);
  const auto labels = Labels(*double_decker);
  EXPECT_EQ(labels.front(), "LA1");
  EXPECT_EQ(labels.back(), "UH2");
  EXPECT_OK(ValidateLayout(*double_decker));
}

TEST(SeatLayoutTemplates, UnknownTemplatesAndSillyRowCountsAreRefused) {
  for (const auto& [name, rows] : std::vector<std::pair<std::string, int>>{
           {"3+3", 10}, {"", 10}, {"2+2", 0}, {"2+2", 27}, {"1+1", -1}}) {
    auto layout = LayoutFromTemplate(name, rows);
    EXPECT_EQ(layout.status().code(), absl::StatusCode::kInvalidArgument) << name << rows;
    EXPECT_EQ(ReasonOf(layout.status()), "invalid_layout");
  }
}

SeatLayout Explicit() {
  Deck deck{"lower", 2, 3, {}};
  deck.cells = {
      {.row = 0, .col = 0, .type = CellType::kDriver, .label = ""},
      {.row = 0, .col = 2, .type = CellType::kDoor, .label = ""},
      {.row = 1, .col = 0, .type = CellType::kSeat, .label = "A1", .category = "ladies"},
      {.row = 1, .col = 1, .type = CellType::kAisle, .label = ""},
      {.row = 1, .col = 2, .type = CellType::kSeat, .label = "A2", .category = "premium"},
  };
  return SeatLayout{{deck}};
}

TEST(SeatLayoutValidation, AcceptsAnExplicitDeckWithCategories) {
  const SeatLayout layout = Explicit();
  EXPECT_OK(ValidateLayout(layout)) << ValidateLayout(layout);
  EXPECT_EQ(layout.Capacity(), 2);
  EXPECT_EQ(layout.Places()[0]->category, "ladies");
}

TEST(SeatLayoutValidation, BlockedAndCrewSeatsCountButAreNotSold) {
  SeatLayout layout = Explicit();
  layout.decks[0].cells[2].blocked = true;
  EXPECT_EQ(layout.Capacity(), 2);
  EXPECT_EQ(layout.SellableCapacity(), 1);
  layout.decks[0].cells[4].crew = true;
  EXPECT_EQ(layout.SellableCapacity(), 0);
  const absl::Status status = ValidateLayout(layout);
  EXPECT_EQ(ReasonOf(status), "invalid_layout");
  EXPECT_EQ(FieldErrorsOf(status).at(0).field, "layout");
}

TEST(SeatLayoutValidation, ReportsEveryProblemWithItsPath) {
  SeatLayout layout = Explicit();
  layout.decks[0].cells.push_back(
      {.row = 2, .col = 0, .type = CellType::kSeat, .label = "A3"});  // outside the grid
  layout.decks[0].cells.push_back(
      {.row = 1, .col = 0, .type = CellType::kSeat, .label = "A9"});  // position taken
  layout.decks[0].cells[4].label = "A1";                              // duplicate label
  layout.decks[0].cells[3].label = "X";                               // aisle with a label
  const absl::Status status = ValidateLayout(layout);
  ASSERT_EQ(ReasonOf(status), "invalid_layout");
  std::set<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(status)) fields.insert(error.field);
  EXPECT_TRUE(fields.contains("layout.decks[0].cells[5]")) << status;
  EXPECT_TRUE(fields.contains("layout.decks[0].cells[6]")) << status;
  EXPECT_TRUE(fields.contains("layout.decks[0].cells[4].label")) << status;
  EXPECT_TRUE(fields.contains("layout.decks[0].cells[3].label")) << status;
}

TEST(SeatLayoutValidation, LabelsAreUniqueAcrossDecksAndDecksAreNamedOnce) {
  SeatLayout layout = Explicit();
  layout.decks.push_back(layout.decks[0]);  // same name, same labels
  const auto errors = FieldErrorsOf(ValidateLayout(layout));
  std::set<std::string> fields;
  for (const FieldError& error : errors) fields.insert(error.field);
  EXPECT_TRUE(fields.contains("layout.decks[1].name"));
  EXPECT_TRUE(fields.contains("layout.decks[1].cells[2].label"));

  SeatLayout three = Explicit();
  three.decks.resize(3, three.decks[0]);
  EXPECT_EQ(FieldErrorsOf(ValidateLayout(three)).at(0).field, "layout.decks");
  EXPECT_EQ(ReasonOf(ValidateLayout(SeatLayout{})), "invalid_layout");
}

TEST(SeatLayoutValidation, RefusesBadLabelsAndGrids) {
  SeatLayout layout = Explicit();
  layout.decks[0].cells[2].label = "a1";
  layout.decks[0].cells[4].label = "";
  layout.decks[0].rows = 31;
  const auto errors = FieldErrorsOf(ValidateLayout(layout));
  std::set<std::string> fields;
  for (const FieldError& error : errors) fields.insert(error.field);
  EXPECT_TRUE(fields.contains("layout.decks[0].rows"));
  EXPECT_TRUE(fields.contains("layout.decks[0].cells[2].label"));
  EXPECT_TRUE(fields.contains("layout.decks[0].cells[4].label"));
}

TEST(CellTypes, NamesRoundTrip) {
  for (const char* name : {"seat", "berth", "aisle", "driver", "door", "empty"}) {
    auto type = ParseCellType(name);
    ASSERT_TRUE(type.has_value()) << name;
    EXPECT_EQ(CellTypeName(*type), name);
  }
  EXPECT_FALSE(ParseCellType("toilet").has_value());
}

}  // namespace
}  // namespace travio::fleet
