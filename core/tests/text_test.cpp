#include "tally/core/text.h"

#include <gtest/gtest.h>

using namespace tally::core;

TEST(Text, FoldsFullWidthForms) {
  EXPECT_EQ(fold_width("１２３，．（）"), "123,.()");
  EXPECT_EQ(fold_width("行政运行"), "行政运行");
}

TEST(Text, NormalizesAndRemovesSpace) {
  EXPECT_EQ(normalize_space("  a \u3000 b\n"), "a b");
  EXPECT_EQ(remove_space("行政单位离退 休"), "行政单位离退休");
}

TEST(Text, RoundTripsUtf8AndCountsCodePoints) {
  const std::string text = "表 1 部门收支";
  EXPECT_EQ(u32_to_utf8(utf8_to_u32(text)), text);
  EXPECT_EQ(utf8_length(text), 8u);  // 表, space, 1, space and four more
  EXPECT_EQ(utf8_to_u32("\xff")[0], U'\uFFFD');
}

TEST(Text, RecognizesDigitsAndCjk) {
  EXPECT_TRUE(is_digits("2010301"));
  EXPECT_FALSE(is_digits("201 03"));
  EXPECT_TRUE(is_cjk(U'表'));
  EXPECT_FALSE(is_cjk(U'A'));
}

TEST(Text, EditDistanceAndSimilarityCountCodePoints) {
  EXPECT_EQ(edit_distance(U"行政运行", U"行政远行"), 1u);
  EXPECT_EQ(edit_distance(U"", U"合计"), 2u);
  EXPECT_EQ(edit_distance(U"kitten", U"sitting"), 3u);
  EXPECT_EQ(edit_distance(U"sitting", U"kitten"), 3u);
  EXPECT_DOUBLE_EQ(text_similarity("", ""), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("合计", "合计"), 1.0);
  EXPECT_DOUBLE_EQ(text_similarity("财政拨款（补助）", "财政拨款《补助）"), 1.0 - 1.0 / 8.0);
  EXPECT_DOUBLE_EQ(text_similarity("类", ""), 0.0);
}
