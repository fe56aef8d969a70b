#include "services/operator/api/layout_json.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "platform/testing/status_matchers.h"

namespace travio::fleet {
namespace {

using nlohmann::json;

std::vector<std::string> FieldsOf(const absl::Status& status) {
  std::vector<std::string> fields;
  for (const FieldError& error : FieldErrorsOf(status)) fields.push_back(error.field);
  return fields;
}

TEST(LayoutJsonTest, ReadsTemplates) {
  auto layout = LayoutFromJson(json{{"template", "2+2"}, {"rows", 10}});
  ASSERT_OK(layout);
  EXPECT_EQ(layout->Capacity(), 40);
  auto back_row = LayoutFromJson(json{{"template", "2+2"}, {"rows", 10}, {"full_back_row", true}});
  ASSERT_OK(back_row);
  EXPECT_EQ(back_row->Capacity(), 41);
  auto decker = LayoutFromJson(json{{"template", "double-decker"}, {"rows", 9}});
  ASSERT_OK(decker);
  EXPECT_EQ(decker->decks.size(), 2u);
}

TEST(LayoutJsonTest, RefusesBadTemplatesWithFieldPaths) {
  auto status = LayoutFromJson(json{{"template", "3+3"}, {"rows", 10}}).status();
  EXPECT_EQ(ReasonOf(status), "invalid_layout");
  EXPECT_EQ(FieldsOf(status), std::vector<std::string>{"layout.template"});
  status = LayoutFromJson(json{{"template", "2+2"}, {"rows", 0}, {"colour", "red"}}).status();
  EXPECT_EQ(FieldsOf(status), (std::vector<std::string>{"layout.colour", "layout.rows"}));
  EXPECT_EQ(FieldsOf(LayoutFromJson(json::array()).status()), std::vector<std::string>{"layout"});
}

TEST(LayoutJsonTest, ExplicitDecksRoundTrip) {
  const json explicit_layout = {
      {"decks",
       {{{"name", "lower"},
         {"rows", 2},
         {"cols", 3},
         {"cells",
          {{{"row", 0}, {"col", 0}, {"type", "driver"}},
           {{"row", 0}, {"col", 2}, {"type", "door"}},
           {{"row", 1}, {"col", 0}, {"type", "berth"}, {"label", "L1"}, {"category", "ladies"}},
           {{"row", 1}, {"col", 1}, {"type", "aisle"}},
           {{"row", 1}, {"col", 2}, {"type", "berth"}, {"label", "L2"}, {"blocked", true}}}}}}}};
  auto layout = LayoutFromJson(explicit_layout);
  ASSERT_OK(layout);
  EXPECT_EQ(layout->Capacity(), 2);
  EXPECT_EQ(layout->SellableCapacity(), 1);
  const json written = LayoutToJson(*layout);
  auto again = LayoutFromJson(written);
  ASSERT_OK(again);
  EXPECT_EQ(LayoutToJson(*again), written);
  EXPECT_EQ(written["decks"][0]["cells"][2]["category"], "ladies");
  EXPECT_EQ(written["decks"][0]["cells"][4]["blocked"], true);
}

TEST(LayoutJsonTest, ReportsEveryCellProblemAtOnce) {
  const json layout = {
      {"decks",
       {{{"name", "main"},
         {"rows", 2},
         {"cols", 2},
         {"cells",
          {{{"row", 0}, {"col", 0}, {"type", "seat"}, {"label", "A1"}},
           {{"row", "1"}, {"col", 0}, {"type", "seat"}, {"label", "A2"}},
           {{"row", 1}, {"col", 1}, {"type", "throne"}, {"label", "A3"}},
           {{"row", 1}, {"col", 0}, {"type", "seat"}, {"label", "A4"}, {"blocked", "yes"}}}}}}}};
  const absl::Status status = LayoutFromJson(layout).status();
  EXPECT_EQ(ReasonOf(status), "invalid_layout");
  EXPECT_EQ(FieldsOf(status), (std::vector<std::string>{"layout.decks[0].cells[1].row",
                                                        "layout.decks[0].cells[2].type",
                                                        "layout.decks[0].cells[3].blocked"}));
}

TEST(LayoutJsonTest, ValidationProblemsKeepTheirPathsUnderAnotherField) {
  const json layout = {{"decks",
                        {{{"name", "main"},
                          {"rows", 1},
                          {"cols", 2},
                          {"cells",
                           {{{"row", 0}, {"col", 0}, {"type", "seat"}, {"label", "A1"}},
                            {{"row", 0}, {"col", 5}, {"type", "seat"}, {"label", "A1"}}}}}}}};
  const absl::Status status = LayoutFromJson(layout, "bus.layout").status();
  ASSERT_FALSE(FieldsOf(status).empty());
  for (const std::string& field : FieldsOf(status)) EXPECT_EQ(field.rfind("bus.layout", 0), 0u);
}

}  // namespace
}  // namespace travio::fleet
