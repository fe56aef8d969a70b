#include "services/operator/domain/fleet.h"

#include <gtest/gtest.h>

namespace travio::fleet {
namespace {

TEST(FleetTest, PlatesTakeOneCanonicalForm) {
  EXPECT_EQ(NormalizePlate("  dhaka metro-ba   11-2345 "), "DHAKA METRO-BA 11-2345");
  EXPECT_EQ(NormalizePlate("ctg-ja-1234"), "CTG-JA-1234");
  EXPECT_FALSE(NormalizePlate("A"));
  EXPECT_FALSE(NormalizePlate("DHA_1234"));
  EXPECT_FALSE(NormalizePlate("ঢাকা-1234"));
  EXPECT_FALSE(NormalizePlate(std::string(33, 'A')));
}

TEST(FleetTest, AmenitiesAreTokensWithoutDuplicates) {
  std::vector<FieldError> errors;
  EXPECT_EQ(NormalizeAmenities({"WiFi", "usb_charging", "wifi", "blanket"}, errors),
            (std::vector<std::string>{"wifi", "usb_charging", "blanket"}));
  EXPECT_TRUE(errors.empty());
  NormalizeAmenities({"ok", "not ok", ""}, errors);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "amenities[1]");
  EXPECT_EQ(errors[1].field, "amenities[2]");
  errors.clear();
  NormalizeAmenities(std::vector<std::string>(21, "wifi"), errors);
  EXPECT_EQ(errors.size(), 1u);
}

TEST(FleetTest, PhonesKeepDigitsAndALeadingPlus) {
  EXPECT_EQ(NormalizePhone("+880 1711-000000"), "+8801711000000");
  EXPECT_EQ(NormalizePhone("(01711) 000.000"), "01711000000");
  EXPECT_FALSE(NormalizePhone("12345"));
  EXPECT_FALSE(NormalizePhone("017110000x0"));
  EXPECT_FALSE(NormalizePhone("01711+000000"));
}

TEST(FleetTest, NamesAreTrimmedPrintableUtf8) {
  EXPECT_EQ(NormalizeName("  Abdul Karim ", 200), "Abdul Karim");
  EXPECT_EQ(NormalizeName("আব্দুল করিম", 200), "আব্দুল করিম");
  EXPECT_FALSE(NormalizeName("   ", 200));
  EXPECT_FALSE(NormalizeName("bell\a", 200));
  EXPECT_FALSE(NormalizeName("\xc0\xaf", 200));  // overlong
  EXPECT_FALSE(NormalizeName("abcdef", 5));
}

TEST(FleetTest, ClassesAndRolesRoundTrip) {
  for (auto name : {"seater", "semi_sleeper", "sleeper"}) {
    EXPECT_EQ(BusClassName(*ParseBusClass(name)), name);
  }
  for (auto name : {"driver", "conductor", "helper"}) {
    EXPECT_EQ(StaffRoleName(*ParseStaffRole(name)), name);
  }
  EXPECT_FALSE(ParseBusClass("Seater"));
  EXPECT_FALSE(ParseStaffRole("pilot"));
}

}  // namespace
}  // namespace travio::fleet
