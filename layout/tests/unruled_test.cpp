// Tables without rulings from synthetic lines of text: what must become a table (aligned figures,
// a three-line table, wrapped labels, spanning headers) and what must not (paragraphs, lists,
// two-column prose).
#include "unruled.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tally/layout/layout.h"

using tally::core::Box;
using tally::core::Orientation;
using tally::core::Ruling;
using tally::layout::Grid;
using tally::layout::detail::grids_from_lines;
using tally::layout::detail::numeric_text;
using tally::layout::detail::TextLine;
using tally::layout::detail::TextSegment;

namespace {

constexpr double kFont = 9;
constexpr double kPitch = 12;  // baseline to baseline

// A line at row `row` (y = 100 + row·pitch) holding cells that start at the given x, each `text`
// about 5 pt per character wide.
TextLine line(int row, const std::vector<std::pair<double, std::string>>& cells) {
  TextLine out;
  const double y0 = 100 + row * kPitch;
  for (const auto& [x, text] : cells) {
    const Box box{x, y0, x + 5.0 * static_cast<double>(text.size()), y0 + kFont};
    out.segments.push_back({text, box, kFont, false});
    out.box = out.box.united(box);
  }
  return out;
}

std::vector<TextLine> figures_table(int first_row) {
  return {line(first_row, {{50, "Item"}, {200, "2010"}, {280, "2011"}}),
          line(first_row + 1, {{50, "Wheat"}, {200, "1,200"}, {280, "1,350"}}),
          line(first_row + 2, {{50, "Barley and"}}),
          line(first_row + 3, {{50, "oats"}, {200, "310"}, {280, "295"}}),
          line(first_row + 4, {{50, "Maize"}, {200, "88.5"}, {280, "-"}}),
          line(first_row + 5, {{50, "Total"}, {200, "1,598.5"}, {280, "1,645"}})};
}

}  // namespace

TEST(NumericText, ReadsFiguresAndPlaceholders) {
  for (const char* t : {"1,234.5", "(12)", "52%", "-", "n.a.", "−3.2", "2010"})
    EXPECT_TRUE(numeric_text(t)) << t;
  for (const char* t : {"Total", "Table 3", "IAS 39", "", "2010年度"})
    EXPECT_FALSE(numeric_text(t)) << t;
}

TEST(GridsFromLines, FindsAlignedFiguresWithHeaderAndWrappedLabel) {
  const auto grids = grids_from_lines(figures_table(0), {}, {});
  ASSERT_EQ(grids.size(), 1u);
  const Grid& grid = grids[0];
  EXPECT_EQ(grid.n_cols(), 3);
  // Header, Wheat, "Barley and / oats" joined, Maize, Total.
  EXPECT_EQ(grid.n_rows(), 5);
  EXPECT_LE(grid.box.y0, 100);
  EXPECT_GE(grid.box.y1, 100 + 5 * kPitch + kFont);
}

TEST(GridsFromLines, ThreeLineTableTakesItsHeaderDownFromTheTopRule) {
  std::vector<TextLine> lines = {line(0, {{50, "Table 1 Crops"}}),
                                 line(2, {{190, "Harvest (tonnes)"}}),
                                 line(3, {{200, "2010"}, {280, "2011"}})};
  for (TextLine& l : figures_table(4))
    if (l.segments.front().text != "Item") lines.push_back(l);
  // The top rule under the caption, the header rule under the header, the bottom rule.
  const std::vector<Ruling> rules = {{Orientation::Horizontal, 100 + 2 * kPitch - 2, 45, 330, 0.8},
                                     {Orientation::Horizontal, 100 + 4 * kPitch - 2, 45, 330, 0.4},
                                     {Orientation::Horizontal, 100 + 10 * kPitch, 45, 330, 0.8}};
  const auto grids = grids_from_lines(lines, lines, rules);
  ASSERT_EQ(grids.size(), 1u);
  const Grid& grid = grids[0];
  EXPECT_GT(grid.box.y0, 100 + kFont);  // the caption stays outside
  EXPECT_LE(grid.box.y0, 100 + 2 * kPitch);
  // "Harvest (tonnes)" spans the two figure columns.
  bool spanning = false;
  for (const auto& cell : grid.cells)
    spanning |= cell.row == 0 && cell.col == 1 && cell.colspan == 2;
  EXPECT_TRUE(spanning);
}

// A budget table with empty columns: under a column-number row ("※ 1 2 3 4", each number centred
// left of its column's right-aligned figures) only two of four figure columns hold amounts, so
// fewer than half the slots are filled; the aligned figures still make it a table, and each
// column number joins its own column.
TEST(GridsFromLines, SparseBudgetTableWithColumnNumbersIsATable) {
  const auto right = [](double x1, const std::string& text) {
    return std::pair<double, std::string>{x1 - 5.0 * static_cast<double>(text.size()), text};
  };
  std::vector<TextLine> lines = {
      line(0, {{150, "*"}, {262, "1"}, {342, "2"}, {422, "3"}, {502, "4"}})};
  const std::vector<std::pair<std::string, std::string>> body = {{"Total", "22.12"},
                                                                 {"Travel", "10.19"},
                                                                 {"Hosting", "6.21"},
                                                                 {"Cars", "5.72"},
                                                                 {"Fuel", "5.72"}};
  for (std::size_t r = 0; r < body.size(); ++r)
    lines.push_back(
        line(static_cast<int>(r) + 1,
             {{50, body[r].first}, right(300, body[r].second), right(380, body[r].second)}));
  const auto grids = grids_from_lines(lines, lines, {});
  ASSERT_EQ(grids.size(), 1u);
  const Grid& grid = grids[0];
  EXPECT_EQ(grid.n_rows(), 6);
  // Label with its centred "*", then "1" with the first figures, "2" with the second, and the
  // empty columns numbered 3 and 4: the column-number row says they are columns.
  ASSERT_EQ(grid.n_cols(), 5);
  EXPECT_GT(grid.col_lines[1], 155);
  EXPECT_LT(grid.col_lines[1], 262);
  EXPECT_GT(grid.col_lines[2], 300);
  EXPECT_LT(grid.col_lines[2], 342);
  EXPECT_GT(grid.col_lines[3], 380);
  EXPECT_LT(grid.col_lines[3], 422);
  EXPECT_GT(grid.col_lines[4], 427);
  EXPECT_LT(grid.col_lines[4], 502);
}

// The continuation page of a budget table: short labels leave a gap before the label column's
// centred ※, and the header word over it sits there too. The column-number row puts the ※ with
// its labels instead of making a column of its own.
TEST(GridsFromLines, ColumnNumberRowJoinsALabelWithItsCentredMark) {
  const std::vector<TextLine> lines = {
      line(0, {{30, "Code"}, {140, "Name"}, {210, "Total"}, {290, "Basic"}, {370, "Project"}}),
      line(1, {{30, "*"}, {150, "*"}, {225, "1"}, {305, "2"}, {385, "3"}}),
      line(2, {{30, "221"}, {80, "Housing"}, {220, "79.44"}, {300, "79.44"}}),
      line(3, {{30, "22102"}, {80, "Funds"}, {220, "79.44"}, {300, "79.44"}})};
  const auto grids = grids_from_lines(lines, lines, {});
  ASSERT_EQ(grids.size(), 1u);
  ASSERT_EQ(grids[0].n_cols(), 5);
  EXPECT_GT(grids[0].col_lines[1], 55);   // the codes end at 55
  EXPECT_LT(grids[0].col_lines[1], 80);   // the labels start at 80
  EXPECT_GT(grids[0].col_lines[2], 160);  // the label's "*" (and its title) stay with them
}

// A continuation page holding only the header, classes without amounts in the inner column and
// the total row: two candidate rows, still a table. The total row's figures end 5 pt before the
// inner column starts, where the classes start too: that is a column boundary.
TEST(GridsFromLines, HeaderOverATotalRowWithClassRowsIsATable) {
  std::vector<TextLine> lines = {
      line(0, {{50, "Item"}, {150, "Sum"}, {220, "Function"}, {400, "Sum"}, {460, "Budget"}})};
  for (int r = 1; r <= 8; ++r)
    lines.push_back(line(r, {{195, std::to_string(223 + r) + " Class of spending"}}));
  lines.push_back(line(9, {{50, "Total income"},
                           {160, "816.88"},
                           {195, "Total out"},
                           {400, "816.88"},
                           {460, "816.88"}}));
  const auto grids = grids_from_lines(lines, lines, {});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 10);
  ASSERT_EQ(grids[0].n_cols(), 5);
  EXPECT_GT(grids[0].col_lines[2], 190);  // 816.88 ends at 190, the classes start at 195
  EXPECT_LT(grids[0].col_lines[2], 195);
}

// An empty table: its header and a total row without figures.
TEST(GridsFromLines, EmptyTableWithHeaderAndTotalIsATable) {
  std::vector<TextLine> lines = {
      line(0, {{50, "Name"}, {200, "Total"}, {300, "Basic"}, {400, "Project"}}),
      line(1, {{50, "Class"}, {200, "Sum"}, {300, "Staff"}, {400, "Goods"}}),
      line(2, {{80, "合计"}})};
  const auto grids = grids_from_lines(lines, lines, {});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 3);
  EXPECT_EQ(grids[0].n_cols(), 4);
  // Without the total row, lines of column titles are no table; a lone one leaves no column.
  lines.pop_back();
  EXPECT_TRUE(grids_from_lines(lines, lines, {}).empty());
  lines = {line(0, {{50, "Name"}, {200, "Total"}, {300, "Basic"}}), line(1, {{80, "Total"}})};
  EXPECT_TRUE(grids_from_lines(lines, lines, {}).empty());
}

// A two-sided budget table: income on the left, expenditure by class on the right, most classes
// without amounts ("205 Education" alone in its inner column). Those rows are rows of the table,
// not filler lines that end it.
TEST(GridsFromLines, RowsWithBlankFiguresInAnInnerColumnStayInTheTable) {
  std::vector<TextLine> lines = {
      line(0, {{50, "Grants"}, {200, "12.5"}, {300, "201 Services"}, {450, "7.5"}}),
      line(1, {{50, "Funds"}, {200, "0.5"}, {300, "202 Defence"}, {450, "0.5"}})};
  for (int r = 2; r < 10; ++r)
    lines.push_back(line(r, {{300, std::to_string(201 + r) + " Class"}}));
  lines.push_back(line(10, {{300, "221 Housing"}, {450, "5.0"}}));
  const auto grids = grids_from_lines(lines, lines, {});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_rows(), 11);
  EXPECT_EQ(grids[0].n_cols(), 4);
}

// Right-aligned income figures set 6 pt before the left-aligned codes of the expenditure side: the
// cells run together ("1,740.75 201 Services"), but the figures end flush on two lines, so the
// column boundary is found between them.
TEST(GridsFromLines, NarrowGapFlushWithAlignedFiguresIsAColumnBoundary) {
  const std::vector<TextLine> cells = {line(0, {{50, "Grants"}, {255, "1,740.75 201 Services"}}),
                                       line(1, {{50, "Budget"}, {255, "1,740.75 202 Defence"}}),
                                       line(2, {{50, "Funds"}, {301, "203 Police"}}),
                                       line(3, {{50, "Capital"}, {301, "204 Schools"}})};
  const std::vector<TextLine> words = {
      line(0, {{50, "Grants"}, {255, "1,740.75"}, {301, "201"}, {321, "Services"}}),
      line(1, {{50, "Budget"}, {255, "1,740.75"}, {301, "202"}, {321, "Defence"}}),
      line(2, {{50, "Funds"}, {301, "203"}, {321, "Police"}}),
      line(3, {{50, "Capital"}, {301, "204"}, {321, "Schools"}})};
  const auto grids = grids_from_lines(cells, words, {});
  ASSERT_EQ(grids.size(), 1u);
  const std::vector<double>& cols = grids[0].col_lines;
  EXPECT_TRUE(std::any_of(cols.begin(), cols.end(), [](double x) { return x > 295 && x < 301; }));
}

TEST(GridsFromLines, ParagraphsAreNotTables) {
  std::vector<TextLine> lines;
  for (int r = 0; r < 12; ++r)
    lines.push_back(
        line(r, {{50, "In 2010 the harvest rose by 12 per cent over the 2009 level of 1,200 t."}}));
  EXPECT_TRUE(grids_from_lines(lines, lines, {}).empty());
}

TEST(GridsFromLines, NumberedListsAreNotTables) {
  std::vector<TextLine> lines;
  for (int r = 0; r < 8; ++r)
    lines.push_back(line(
        r, {{50, std::to_string(r + 1) + "."}, {70, "The committee shall report every year"}}));
  EXPECT_TRUE(grids_from_lines(lines, lines, {}).empty());
}

TEST(GridsFromLines, TwoColumnProseIsNotATable) {
  std::vector<TextLine> lines;
  for (int r = 0; r < 20; ++r)
    lines.push_back(line(r, {{50, "members of the board in 2010 were re-elected"},
                             {300, "the figures for 2011 follow in section 4 below"}}));
  EXPECT_TRUE(grids_from_lines(lines, lines, {}).empty());
}

TEST(GridsFromLines, ParagraphAfterATableEndsIt) {
  std::vector<TextLine> lines = figures_table(0);
  lines.push_back(
      line(7, {{50, "The harvest of 2011 was the largest since records began in 1950 and more."}}));
  const auto grids = grids_from_lines(lines, lines, {});
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_LT(grids[0].box.y1, 100 + 7 * kPitch);
}

namespace {

// A ruled grid of one row and three columns (x 0–100–150–200, y 0–40), as drawn when the rule
// between two lines of text was left out.
Grid one_ruled_row() {
  Grid grid;
  grid.col_lines = {0, 100, 150, 200};
  grid.row_lines = {0, 40};
  grid.box = {0, 0, 200, 40};
  for (int c = 0; c < 3; ++c)
    grid.cells.push_back({0, c, 1, 1, {grid.col_lines[c], 0, grid.col_lines[c + 1], 40}});
  return grid;
}

tally::core::Word word(const std::string& text, double x, double y) {
  return {.text = text,
          .box = {x, y, x + 5.0 * static_cast<double>(text.size()), y + kFont},
          .font_size = kFont};
}

}  // namespace

TEST(CompleteRuledGrid, SplitsARowHoldingAHeaderOverFigures) {
  Grid grid = one_ruled_row();
  tally::layout::detail::complete_ruled_grid(
      grid, {word("Item", 5, 5), word("Never", 105, 5), word("Often", 155, 5), word("Left", 5, 25),
             word("27.9%", 105, 25), word("19.9%", 155, 25)});
  ASSERT_EQ(grid.n_rows(), 2);
  EXPECT_GT(grid.row_lines[1], 5 + kFont);
  EXPECT_LT(grid.row_lines[1], 25);
  EXPECT_EQ(grid.cells.size(), 6u);
}

TEST(CompleteRuledGrid, KeepsAWrappedLabelBesideItsFiguresInOneRow) {
  Grid grid = one_ruled_row();
  tally::layout::detail::complete_ruled_grid(grid, {word("Barley", 5, 5), word("oats", 5, 25),
                                                    word("310", 105, 25), word("295", 155, 25)});
  EXPECT_EQ(grid.n_rows(), 1);
}

TEST(CompleteRuledGrid, KeepsAHeaderWithYearsUnderItsTitleInOneRow) {
  Grid grid = one_ruled_row();
  tally::layout::detail::complete_ruled_grid(
      grid, {word("Estimate", 105, 5), word("Survey", 155, 5), word("1996", 105, 25),
             word("1997", 155, 25)});
  EXPECT_EQ(grid.n_rows(), 1);
}

namespace {

// A page of OCR'd words (no font size, OCR source) from lines of cells.
tally::core::Page scanned_page(const std::vector<TextLine>& lines) {
  tally::core::Page page;
  page.number = 1;
  page.width = 595;
  page.height = 842;
  page.text_source = tally::core::TextSource::Ocr;
  for (const TextLine& l : lines)
    for (const TextSegment& s : l.segments) {
      tally::core::Word w;
      w.text = s.text;
      w.box = s.box;
      w.confidence = 0.9;
      w.source = tally::core::TextSource::Ocr;
      page.words.push_back(w);
    }
  return page;
}

}  // namespace

// A scanned page: the OCR'd words' boxes go through the same finder; two columns of right-aligned
// figures over several lines make the table.
TEST(FindGrids, FindsAnUnruledTableInTheWordsOfAScannedPage) {
  const auto right = [](double x1, const std::string& text) {
    return std::pair<double, std::string>{x1 - 5.0 * static_cast<double>(text.size()), text};
  };
  std::vector<TextLine> lines = {line(0, {{50, "Item"}, right(250, "2010"), right(330, "2011")})};
  const std::vector<std::vector<std::string>> body = {{"Wheat", "1,200", "1,350"},
                                                      {"Barley", "310", "295"},
                                                      {"Maize", "88.5", "90.1"},
                                                      {"Rye", "12.0", "14.2"},
                                                      {"Total", "1,610.5", "1,749.3"}};
  for (std::size_t r = 0; r < body.size(); ++r)
    lines.push_back(line(static_cast<int>(r) + 1,
                         {{50, body[r][0]}, right(250, body[r][1]), right(330, body[r][2])}));
  const tally::core::Page page = scanned_page(lines);
  const auto grids = tally::layout::find_grids(page);
  ASSERT_EQ(grids.size(), 1u);
  EXPECT_EQ(grids[0].n_cols(), 3);
  tally::layout::Options no_unruled;
  no_unruled.unruled_tables = false;
  EXPECT_TRUE(tally::layout::find_grids(page, no_unruled).empty());
}

// Garbled OCR of a narrative page lines up by chance: short words in columns and a figure here and
// there pass on a text-layer page, but without columns of aligned figures a scan makes no table.
TEST(FindGrids, GarbledNarrativeOnAScannedPageIsNoTable) {
  std::vector<TextLine> lines;
  for (int r = 0; r < 8; ++r)
    lines.push_back(line(r, {{50, "ab cd"},
                             {150, r % 2 ? "12" : "x7"},
                             {250 + 3.0 * r, "ef"},
                             {350 - 4.0 * r, std::to_string(r * 37)}}));
  EXPECT_FALSE(grids_from_lines(lines, lines, {}).empty());  // as text-layer words: a table
  EXPECT_TRUE(tally::layout::find_grids(scanned_page(lines)).empty());
}
