#include "align.h"

#include <gtest/gtest.h>

#include "tally/core/text.h"
#include "tally/score/score.h"

using namespace tally::score;

TEST(EditDistance, CountsCodePoints) {
  EXPECT_EQ(edit_distance(U"行政运行", U"行政运行"), 0u);
  EXPECT_EQ(edit_distance(U"行政运行", U"行政远行"), 1u);
  EXPECT_EQ(edit_distance(U"", U"合计"), 2u);
  EXPECT_EQ(edit_distance(U"kitten", U"sitting"), 3u);
  EXPECT_EQ(detail::utf8_edit_distance("一般公共服务支出", "一般公共服务"), 2u);
}

TEST(NormalizeText, IgnoresSpacesAndWidth) {
  EXPECT_EQ(detail::normalize_text(" 政府办公厅（室）\n及相关 "), "政府办公厅(室)及相关");
  EXPECT_EQ(detail::normalize_text("１，７６０．３８"), "1,760.38");
}

TEST(AlignSequences, SkipsAMissingElementWithoutShiftingTheRest) {
  const std::vector<std::string> truth = {"a", "b", "c", "d", "e"};
  const std::vector<std::string> pred = {"a", "c", "d", "x", "e"};
  const auto pairs = detail::align_sequences(5, 5, [&](int i, int j) {
    return truth[static_cast<std::size_t>(i)] == pred[static_cast<std::size_t>(j)] ? 1.0 : -1.0;
  });
  const std::vector<std::pair<int, int>> expected = {{0, 0}, {2, 1}, {3, 2}, {4, 4}};
  EXPECT_EQ(pairs, expected);
}

TEST(AlignSequences, MakesNoPairWithoutGain) {
  EXPECT_TRUE(detail::align_sequences(3, 2, [](int, int) { return 0.0; }).empty());
  EXPECT_TRUE(detail::align_sequences(0, 4, [](int, int) { return 1.0; }).empty());
}
