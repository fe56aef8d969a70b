#include "platform/base/money.h"

#include <gtest/gtest.h>

namespace travio {
namespace {

TEST(FormatAmountTest, TwoDecimalsAndThousandsGrouped) {
  EXPECT_EQ(FormatAmount(0), "0.00");
  EXPECT_EQ(FormatAmount(5), "0.05");
  EXPECT_EQ(FormatAmount(150000), "1,500.00");
  EXPECT_EQ(FormatAmount(99999), "999.99");
  EXPECT_EQ(FormatAmount(123456789), "1,234,567.89");
  EXPECT_EQ(FormatAmount(-120050), "-1,200.50");
  EXPECT_EQ(FormatAmount(100000000), "1,000,000.00");
}

}  // namespace
}  // namespace travio
