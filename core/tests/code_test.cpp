#include "tally/core/code.h"

#include <gtest/gtest.h>

using namespace tally::core;

TEST(CodeFromJoined, SplitsThreeFiveAndSevenDigits) {
  EXPECT_EQ(code_from_joined("2010301"), (ClassificationCode{"201", "03", "01"}));
  EXPECT_EQ(code_from_joined("20805"), (ClassificationCode{"208", "05", ""}));
  EXPECT_EQ(code_from_joined("229"), (ClassificationCode{"229", "", ""}));
  EXPECT_EQ(code_from_joined("２０１")->class_code, "201");
  EXPECT_FALSE(code_from_joined("2010").has_value());
  EXPECT_FALSE(code_from_joined("20").has_value());
  EXPECT_FALSE(code_from_joined("20a").has_value());
}

TEST(CodeFromParts, AcceptsThreeColumns) {
  EXPECT_EQ(code_from_parts("201", "03", "01"), (ClassificationCode{"201", "03", "01"}));
  EXPECT_EQ(code_from_parts("301", "01", ""), (ClassificationCode{"301", "01", ""}));
  EXPECT_FALSE(code_from_parts("20", "", "").has_value());  // seed 004 prints truncated classes
  EXPECT_FALSE(code_from_parts("201", "", "01").has_value());
}

TEST(ClassificationCode, LevelsAndParents) {
  const ClassificationCode item{"201", "03", "01"};
  EXPECT_EQ(item.level(), CodeLevel::Item);
  EXPECT_EQ(item.parent()->joined(), "20103");
  EXPECT_EQ(item.parent()->parent()->joined(), "201");
  EXPECT_FALSE(item.parent()->parent()->parent().has_value());
}
