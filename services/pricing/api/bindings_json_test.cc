#include "services/pricing/api/bindings_json.h"

#include <gtest/gtest.h>

#include "platform/base/errors.h"
#include "services/pricing/domain/rule_program.h"

namespace travio::pricing {
namespace {

TEST(BindingsJson, ReadsDeclaredVariablesAsTheirTypes) {
  auto bindings = BindingsFromJson(
      R"({"price": 120000, "trip": {"departure": "2026-12-11T22:30:00+06:00", "ac": true},
          "extra": {"n": 1, "x": 1.5, "tags": ["eid"]}})",
      RuleEnv());
  ASSERT_TRUE(bindings.ok()) << bindings.status();
  EXPECT_EQ(bindings->at("price").int_value(), 120000);
  const cel::Map& trip = bindings->at("trip").map_value();
  EXPECT_EQ(trip.FindField("departure")->kind(), cel::Kind::kTimestamp);
  const cel::Map& extra = bindings->at("extra").map_value();
  EXPECT_EQ(extra.FindField("n")->kind(), cel::Kind::kInt);
  EXPECT_EQ(extra.FindField("x")->kind(), cel::Kind::kDouble);
  EXPECT_EQ(extra.FindField("tags")->kind(), cel::Kind::kList);
}

TEST(BindingsJson, NamesTheBindingThatDoesNotRead) {
  auto field_of = [](const std::string& json) {
    auto bindings = BindingsFromJson(json, RuleEnv());
    EXPECT_FALSE(bindings.ok());
    EXPECT_TRUE(IsReason(bindings.status(), reasons::kValidationFailed));
    auto errors = FieldErrorsOf(bindings.status());
    return errors.empty() ? std::string() : errors[0].field + ": " + errors[0].message;
  };
  EXPECT_EQ(field_of(R"({"price": 1.5})"), "bindings.price: must be an integer");
  EXPECT_EQ(field_of(R"({"trip": {"departure": "friday"}})"),
            "bindings.trip.departure: must be an RFC 3339 timestamp");
  EXPECT_EQ(field_of(R"({"trip": {"departur": "x"}})"),
            "bindings.trip.departur: is not a field of trip");
  EXPECT_EQ(field_of(R"([1, 2])"), "bindings: must be a JSON object of variable names to values");
  EXPECT_EQ(field_of(R"({"big": 18446744073709551615})"),
            "bindings.big: is beyond the range of an int");
  EXPECT_EQ(field_of(R"({"s": ")" + std::string(5000, 'a') + R"("})"),
            "bindings.s: is longer than 4096 bytes");
  std::string many = "[";
  for (int i = 0; i < 1001; ++i) many += (i ? ",1" : "1");
  EXPECT_EQ(field_of(R"({"l": )" + many + "]}"), "bindings.l: has more than 1000 items");
  std::string big = "{";
  for (int i = 0; i < 40; ++i) {
    big += (i ? "," : "") + std::string("\"k") + std::to_string(i) + "\": \"" +
           std::string(2000, 'x') + "\"";
  }
  EXPECT_EQ(field_of(big + "}"), "bindings: are larger than 65536 bytes");
  std::string deep = "1";
  for (int i = 0; i < 40; ++i) deep = "[" + deep + "]";
  EXPECT_EQ(field_of(R"({"deep": )" + deep + "}").substr(0, 12), "bindings.dee");
}

TEST(BindingsJson, WritesValuesAsJson) {
  EXPECT_EQ(ValueToJson(cel::Value(int64_t{42})), "42");
  EXPECT_EQ(ValueToJson(cel::Value(1.5)), "1.5");
  EXPECT_EQ(ValueToJson(cel::Value(std::nan(""))), "\"NaN\"");
  EXPECT_EQ(ValueToJson(cel::Value(cel::Bytes{"\xff"})), "\"/w==\"");
  EXPECT_EQ(ValueToJson(cel::Value(absl::FromUnixSeconds(0))), "\"1970-01-01T00:00:00Z\"");
  EXPECT_EQ(ValueToJson(cel::Value(absl::Seconds(90))), "\"90s\"");
  EXPECT_EQ(ValueToJson(cel::Value(cel::List{cel::Value(true), cel::Value()})), "[true,null]");
  EXPECT_EQ(ValueToJson(cel::Value(cel::Map({{cel::Value(int64_t{1}), cel::Value("a")}}))),
            "{\"1\":\"a\"}");
}

}  // namespace
}  // namespace travio::pricing
