#include "services/search/domain/station_index.h"

#include <gtest/gtest.h>

namespace travio::search {
namespace {

class StationIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const StationEntry& station : std::vector<StationEntry>{
             {"DHK", "Dhaka", "Dhaka"},
             {"CTG", "Chattogram", "Chattogram"},
             {"CXB", "Cox's Bazar", "Cox's Bazar"},
             {"SYL", "Sylhet", "Sylhet"},
             {"JSR", "Jashore", "Jashore"},
             {"CML", "Cumilla", "Cumilla"},
             {"KHL", "Khulna", "Khulna"},
             {"TKF", "Teknaf", "Cox's Bazar"},
         }) {
      index_.Upsert(station);
    }
  }
  std::vector<std::string> Codes(std::string_view query, int limit = 10) {
    std::vector<std::string> codes;
    for (const StationEntry& station : index_.Find(query, limit)) codes.push_back(station.code);
    return codes;
  }
  StationIndex index_;
};

TEST_F(StationIndexTest, TheIssuesExamplesAreFound) {
  EXPECT_EQ(Codes("chittagong").front(), "CTG");  // the former name
  EXPECT_EQ(Codes("chatogram").front(), "CTG");   // a letter missing
  EXPECT_EQ(Codes("coxs bazar").front(), "CXB");  // no apostrophe
  EXPECT_EQ(Codes("coxs").front(), "CXB");
}

TEST_F(StationIndexTest, CodesPrefixesAndWordsMatchBestFirst) {
  EXPECT_EQ(Codes("dhk"), std::vector<std::string>{"DHK"});
  EXPECT_EQ(Codes("Dha").front(), "DHK");
  EXPECT_EQ(Codes("bazar").front(), "CXB");  // a later word of the name
  // Teknaf is in Cox's Bazar district: found by its city too, after the exact name.
  EXPECT_EQ(Codes("cox's bazar"), (std::vector<std::string>{"CXB", "TKF"}));
  EXPECT_EQ(Codes("jessore").front(), "JSR");
  EXPECT_EQ(Codes("comilla").front(), "CML");
  EXPECT_EQ(Codes("sylhte").front(), "SYL");  // two letters swapped
}

TEST_F(StationIndexTest, NoiseFindsNothingAndLimitsHold) {
  EXPECT_TRUE(Codes("zzzzzz").empty());
  EXPECT_TRUE(Codes("").empty());
  EXPECT_TRUE(Codes("'''").empty());
  EXPECT_TRUE(Codes("xy").empty());  // too short to forgive a typo
  EXPECT_EQ(Codes("a", 2).size(), 0u);
  EXPECT_LE(Codes("k", 1).size(), 1u);
}

TEST(NormalizeName, FoldsCaseAndPunctuation) {
  EXPECT_EQ(NormalizeName("Cox's  Bazar!"), "coxs bazar");
  EXPECT_EQ(NormalizeName("  DHAKA-ctg "), "dhaka ctg");
}

TEST(EditDistance, CountsTranspositionsOnceAndCaps) {
  EXPECT_EQ(EditDistance("sylhet", "sylhte", 2), 1);
  EXPECT_EQ(EditDistance("chatogram", "chattogram", 2), 1);
  EXPECT_EQ(EditDistance("abc", "xyz", 1), 2);  // capped at cap + 1
}

}  // namespace
}  // namespace travio::search
