// The grid builder on synthetic rulings: spans, missing segments, double lines, open borders.
#include "grid.h"

#include <gtest/gtest.h>

using tally::core::Orientation;
using tally::core::Ruling;
using tally::layout::Grid;
using tally::layout::GridCell;
using tally::layout::Options;
using tally::layout::detail::grids_from_rulings;

namespace {

Ruling h(double y, double x0, double x1) {
  return {Orientation::Horizontal, y, x0, x1, 0.5};
}
Ruling v(double x, double y0, double y1) {
  return {Orientation::Vertical, x, y0, y1, 0.5};
}

// A full rectangular grid with lines at the given positions.
std::vector<Ruling> full_grid(const std::vector<double>& ys, const std::vector<double>& xs) {
  std::vector<Ruling> out;
  for (double y : ys) out.push_back(h(y, xs.front(), xs.back()));
  for (double x : xs) out.push_back(v(x, ys.front(), ys.back()));
  return out;
}

const GridCell* cell_at(const Grid& grid, int row, int col) {
  for (const GridCell& cell : grid.cells)
    if (cell.row == row && cell.col == col) return &cell;
  return nullptr;
}

}  // namespace

TEST(GridsFromRulings, BuildsAFullGrid) {
  const auto grids =
      grids_from_rulings(full_grid({100, 120, 140, 160}, {50, 100, 200, 300}), Options{});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 3);
  EXPECT_EQ(grids[0].n_cols(), 3);
  EXPECT_EQ(grids[0].cells.size(), 9u);
  EXPECT_DOUBLE_EQ(grids[0].box.x0, 50);
  EXPECT_DOUBLE_EQ(grids[0].box.y1, 160);
}

TEST(GridsFromRulings, MergesCellsWhereSegmentsAreMissing) {
  // Header: row 0 has one cell over columns 1–2 (财政拨款 over its parts); column 0 spans rows 0–1.
  std::vector<Ruling> rulings = {h(100, 50, 300),  h(120, 100, 300), h(140, 50, 300),
                                 h(160, 50, 300),  v(50, 100, 160),  v(100, 100, 160),
                                 v(200, 120, 160), v(300, 100, 160)};
  const auto grids = grids_from_rulings(rulings, Options{});
  ASSERT_EQ(grids.size(), 1u);
  const Grid& grid = grids[0];
  ASSERT_EQ(grid.n_rows(), 3);
  ASSERT_EQ(grid.n_cols(), 3);
  const GridCell* label = cell_at(grid, 0, 0);
  ASSERT_NE(label, nullptr);
  EXPECT_EQ(label->rowspan, 2);
  EXPECT_EQ(label->colspan, 1);
  const GridCell* group = cell_at(grid, 0, 1);
  ASSERT_NE(group, nullptr);
  EXPECT_EQ(group->colspan, 2);
  EXPECT_EQ(group->rowspan, 1);
  EXPECT_EQ(cell_at(grid, 1, 0), nullptr);  // covered by the spanned label
  EXPECT_EQ(grid.cells.size(), 2u + 2u + 3u);
}

TEST(GridsFromRulings, BridgesSmallBreaksButNotMissingSegments) {
  // The rule between rows 1 and 2 is broken in two places (scan damage) but covers most of each
  // cell.
  std::vector<Ruling> rulings = full_grid({100, 120, 160}, {50, 150, 250});
  rulings.erase(rulings.begin() + 1);
  rulings.push_back(h(120, 50, 95));
  rulings.push_back(h(120, 105, 180));
  rulings.push_back(h(120, 190, 250));
  const auto grids = grids_from_rulings(rulings, Options{});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].cells.size(), 4u);
  for (const GridCell& cell : grids[0].cells) EXPECT_EQ(cell.rowspan, 1);
}

TEST(GridsFromRulings, TreatsDoubleRulesAsOneLine) {
  std::vector<Ruling> rulings = full_grid({100, 120, 140}, {50, 150, 250});
  rulings.push_back(h(101.5, 50, 250));  // a double rule under the header
  rulings.push_back(v(251.2, 100, 140));
  const auto grids = grids_from_rulings(rulings, Options{});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 2);
  EXPECT_EQ(grids[0].n_cols(), 2);
}

TEST(GridsFromRulings, ClosesTablesCutByThePageEdge) {
  // No bottom rule (the page ends) and no left rule (an open-sided table).
  std::vector<Ruling> rulings = {h(700, 0, 400), h(720, 0, 400), h(740, 0, 400), v(200, 700, 842),
                                 v(400, 700, 842)};
  const auto grids = grids_from_rulings(rulings, Options{});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 3);  // 700–720, 720–740, 740–842
  EXPECT_EQ(grids[0].n_cols(), 2);  // 0–200, 200–400
  EXPECT_DOUBLE_EQ(grids[0].box.y1, 842);
  EXPECT_DOUBLE_EQ(grids[0].box.x0, 0);
}

TEST(GridsFromRulings, SeparatesTwoTablesAndIgnoresStrayLines) {
  std::vector<Ruling> rulings = full_grid({100, 120, 140}, {50, 150, 250});
  const std::vector<Ruling> second = full_grid({300, 320, 340, 360}, {50, 100, 250});
  rulings.insert(rulings.end(), second.begin(), second.end());
  rulings.push_back(h(200, 50, 250));  // an underline between the tables
  const auto grids = grids_from_rulings(rulings, Options{});
  ASSERT_EQ(grids.size(), 2u);
  EXPECT_LT(grids[0].box.y0, grids[1].box.y0);
  EXPECT_EQ(grids[1].n_rows(), 3);
}

TEST(GridsFromRulings, RefusesABoxAroundText) {
  const auto grids = grids_from_rulings(full_grid({100, 140}, {50, 250}), Options{});
  EXPECT_TRUE(grids.empty());
}

TEST(SlotAt, FindsRowAndColumn) {
  const auto grids = grids_from_rulings(full_grid({100, 120, 140}, {50, 150, 250}), Options{});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(tally::layout::detail::slot_at(grids[0], 160, 130), std::make_pair(1, 1));
  EXPECT_EQ(tally::layout::detail::slot_at(grids[0], 10, 130), std::make_pair(-1, -1));
}

TEST(DropGlyphStrokes, KeepsRulesBetweenWordsAndDropsStrokesInsideThem) {
  tally::core::Word word{.text = "工", .box = {100, 100, 120, 112}};
  const std::vector<Ruling> rulings = {h(106, 101, 119), h(99, 50, 300), v(110, 100, 112)};
  const auto kept = tally::layout::detail::drop_glyph_strokes(rulings, {word});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_DOUBLE_EQ(kept[0].position, 99);
}

TEST(DropGlyphStrokes, DropsAStrokeAcrossWordsOfOneLineButNotARuleBetweenCells) {
  // OCR cuts a bold 17 pt title into words a character or two long, 6–10 pt apart; a stroke
  // reaches across several.
  const std::vector<tally::core::Word> title = {{.text = "公", .box = {354, 63, 364, 77}},
                                                {.text = "共", .box = {368, 63, 380, 77}},
                                                {.text = "预", .box = {386, 63, 397, 78}},
                                                {.text = "算", .box = {403, 63, 412, 78}},
                                                {.text = "支出", .box = {422, 62, 454, 79}}};
  // Two cells' words on one line, 6 pt apart with a rule between them, and a rule under them.
  std::vector<tally::core::Word> words = title;
  words.push_back({.text = "合计", .box = {100, 200, 124, 212}});
  words.push_back({.text = "96.28", .box = {130, 200, 160, 212}});
  const auto kept = tally::layout::detail::drop_glyph_strokes(
      {h(66, 366, 440), v(127, 199, 213), h(213, 90, 170)}, words);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_DOUBLE_EQ(kept[0].position, 127);
  EXPECT_DOUBLE_EQ(kept[1].position, 213);
}

TEST(GridsFromRulings, KeepsOneRowContinuationsButNotNarrowBoxes) {
  EXPECT_EQ(grids_from_rulings(full_grid({100, 115}, {50, 150, 250}), Options{}).size(), 1u);
  EXPECT_TRUE(grids_from_rulings(full_grid({100, 115, 130}, {50, 60, 70}), Options{})
                  .empty());  // 20 pt wide
}

TEST(DropGlyphStrokes, TrustsTheFontSizeOverAShortWordBox) {
  // A 27 pt title whose font reports a 7 pt box: its strokes reach 20 pt above the box.
  tally::core::Word word{.text = "上海市", .box = {176, 369, 260, 376}, .font_size = 27};
  const auto kept =
      tally::layout::detail::drop_glyph_strokes({h(356, 180, 200), v(190, 353, 376)}, {word});
  EXPECT_TRUE(kept.empty());
}

TEST(GridsFromRulings, RefusesGridsOfGlyphStrokes) {
  // Strokes of a bold 16 pt title: rows 4–9 pt, columns 4–28 pt.
  const auto grids = grids_from_rulings(
      full_grid({62.6, 66.4, 75.5}, {396.7, 401.0, 407.5, 417.2, 424.4, 452.2, 459.4}), Options{});
  EXPECT_TRUE(grids.empty());
}

TEST(GridsFromRulings, RefusesGridsOfLargeGlyphStrokes) {
  // A 16 pt bold title: rows of 6.6 and 8.5 pt, but columns of 4–23 pt (median 7.2).
  const auto grids =
      grids_from_rulings(full_grid({62.6, 69.2, 77.8},
                                   {380.9, 385.2, 391.7, 401.4, 408.6, 417.6, 424.1, 436.3, 459.4}),
                         Options{});
  EXPECT_TRUE(grids.empty());
}

TEST(GridsFromRulings, IgnoresLinesThatDivideNothing) {
  // A 30 pt stroke inside the second row's wide cell: it meets no rule and divides no cell.
  std::vector<Ruling> rulings = full_grid({100, 120, 150}, {50, 150, 250});
  rulings.push_back(h(135, 60, 90));
  rulings.push_back(v(100, 128, 142));
  const auto grids = grids_from_rulings(rulings, Options{});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 2);
  EXPECT_EQ(grids[0].n_cols(), 2);
}
