#include "tally/core/amount.h"

#include <gtest/gtest.h>

using tally::core::Amount;
using tally::core::amount_from_text;

TEST(AmountFromText, ParsesPlainAndGroupedDecimals) {
  EXPECT_EQ(amount_from_text("1,760.38"), (Amount{176038, 2}));
  EXPECT_EQ(amount_from_text("1760.38"), (Amount{176038, 2}));
  EXPECT_EQ(amount_from_text("0.58"), (Amount{58, 2}));
  EXPECT_EQ(amount_from_text("0.018"), (Amount{18, 3}));
  EXPECT_EQ(amount_from_text("  7.00 "), (Amount{700, 2}));
}

TEST(AmountFromText, ParsesWpsSpacedGroupsAndIntegers) {
  EXPECT_EQ(amount_from_text("2, 932, 700"), (Amount{2932700, 0}));
  EXPECT_EQ(amount_from_text("156,211,123"), (Amount{156211123, 0}));
  EXPECT_EQ(amount_from_text("0"), (Amount{0, 0}));
}

TEST(AmountFromText, ParsesFullWidthAndNegatives) {
  EXPECT_EQ(amount_from_text("１，７６０．３８"), (Amount{176038, 2}));
  EXPECT_EQ(amount_from_text("-12.50"), (Amount{-1250, 2}));
  EXPECT_EQ(amount_from_text("－0.01"), (Amount{-1, 2}));
  EXPECT_EQ(amount_from_text("(3.00)"), (Amount{-300, 2}));
}

TEST(AmountFromText, RejectsWhatIsNotOneAmount) {
  for (const char* text : {"", "-", "一般公共服务支出", "201 03", "1.2.3", "12,34.00", "1,2345",
                           ".5", "5.", "12a", "1,760.38 1.00", "--1", "(-1)", "※"})
    EXPECT_FALSE(amount_from_text(text).has_value()) << text;
}

TEST(AmountToString, IsCanonical) {
  EXPECT_EQ((Amount{176038, 2}).to_string(), "1760.38");
  EXPECT_EQ((Amount{5, 2}).to_string(), "0.05");
  EXPECT_EQ((Amount{-5, 2}).to_string(), "-0.05");
  EXPECT_EQ((Amount{2932700, 0}).to_string(), "2932700");
  EXPECT_EQ((Amount{0, 2}).to_string(), "0.00");
}

TEST(AmountUnitsAt, ScalesExactly) {
  EXPECT_EQ((Amount{7, 0}).units_at(2), 700);
  EXPECT_EQ((Amount{18, 3}).units_at(3), 18);
}
