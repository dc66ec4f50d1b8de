// join_tables: continuation pages with and without a repeated header, and tables that must stay
// apart.
#include <gtest/gtest.h>

#include "tally/layout/layout.h"

using tally::core::Cell;
using tally::core::Table;

namespace {

// A page table with equal 100 pt columns starting at x = 50, rows 20 pt tall from y = 100.
Table page_table(int page, const std::vector<std::vector<std::string>>& rows, int header_rows) {
  Table t;
  t.pages = {page};
  t.n_rows = static_cast<int>(rows.size());
  t.n_cols = static_cast<int>(rows.front().size());
  t.header_rows = header_rows;
  for (int r = 0; r < t.n_rows; ++r)
    for (int c = 0; c < t.n_cols; ++c)
      t.cells.push_back({.row = r,
                         .col = c,
                         .text = rows[r][c],
                         .page = page,
                         .box = {50.0 + 100 * c, 100.0 + 20 * r, 150.0 + 100 * c, 120.0 + 20 * r}});
  t.regions.push_back(
      {page, {50, 100, 50.0 + 100 * t.n_cols, 100.0 + 20 * t.n_rows}, 0, t.n_rows - 1});
  return t;
}

}  // namespace

TEST(JoinTables, AppendsAContinuationWithoutHeader) {
  Table first = page_table(5, {{"科目", "合计"}, {"201", "1.00"}}, 1);
  first.number = 2;
  first.title = "部门收入总体情况表";
  const Table second = page_table(6, {{"208", "2.00"}, {"210", "3.00"}}, 0);
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].n_rows, 4);
  EXPECT_EQ(joined[0].pages, (std::vector<int>{5, 6}));
  EXPECT_EQ(joined[0].cell_at(3, 0)->text, "210");
  EXPECT_EQ(joined[0].cell_at(3, 1)->read, (tally::core::Amount{300, 2}));
  EXPECT_EQ(joined[0].regions.size(), 2u);
  EXPECT_EQ(joined[0].regions[1].first_row, 2);
}

TEST(JoinTables, DropsARepeatedHeader) {
  Table first = page_table(5, {{"科目", "合计"}, {"※", "1"}, {"201", "1.00"}}, 2);
  first.title = "部门支出总体情况表";
  Table second = page_table(6, {{"科目", "合计"}, {"※", "1"}, {"221", "2.00"}}, 2);
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].n_rows, 4);
  EXPECT_EQ(joined[0].cell_at(3, 0)->text, "221");
}

// OCR misreads one header word on one page (类 as 去): the repeat is still a repeat, but a row of
// numbers is never taken for one.
TEST(JoinTables, DropsARepeatedHeaderWithOneMisreadWord) {
  const std::vector<std::vector<std::string>> header = {
      {"科目编码", "", "", "科目名称", "合计", "基本支出", "项目支出", "", "", "", "", ""},
      {"类", "款", "项", "", "", "人员经费", "公用经费", "", "", "", "", ""},
      {"※", "※", "※", "※", "1", "2", "3", "4", "5", "6", "7", "8"}};
  auto rows_with = [&](std::vector<std::vector<std::string>> body) {
    std::vector<std::vector<std::string>> rows = header;
    rows.insert(rows.end(), body.begin(), body.end());
    return rows;
  };
  Table first = page_table(
      5, rows_with({{"201", "", "", "一般公共服务支出", "1.00", "1.00", "", "", "", "", "", ""}}),
      3);
  first.title = "部门支出总体情况表";
  std::vector<std::vector<std::string>> misread =
      rows_with({{"221", "", "", "住房保障支出", "2.00", "2.00", "", "", "", "", "", ""}});
  misread[1][0] = "去";
  const Table second = page_table(6, misread, 3);
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].n_rows, 5);
  EXPECT_EQ(joined[0].cell_at(4, 0)->text, "221");

  std::vector<std::vector<std::string>> numbers = misread;
  numbers[1] = {"221", "", "", "住房保障支出", "2.00", "2.00", "", "", "",
                "",    "", ""};  // a body row in the header's place
  numbers[0] = header[0];
  const auto kept = tally::layout::join_tables({first, page_table(6, numbers, 3)});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].n_rows, 4 + 4 - 1);  // only the first row (an exact repeat) dropped
}

// A scanned continuation page repeats the header, read again by OCR with several small misreads
// (from the variety corpus's gen-0101 notosans bilevel scan, 表 2): brackets read as other
// brackets, ※ read as 炎, a stray point. It is still the header and is dropped; a body row of
// labels is not.
TEST(JoinTables, DropsARepeatedHeaderThatOcrReadWithSeveralMisreads) {
  const std::vector<std::vector<std::string>> header = {
      {"功能分类科目编码", "", "", "功能分类科目名称", "总计", "财政拨款（补助）"},
      {"类", "款", "项", "", "", "财政拨款（补助）小计"},
      {"※", "※", "※", "※", "1", "2"}};
  auto rows_with = [](std::vector<std::vector<std::string>> rows,
                      const std::vector<std::vector<std::string>>& body) {
    rows.insert(rows.end(), body.begin(), body.end());
    return rows;
  };
  Table first =
      page_table(5, rows_with(header, {{"221", "", "", "住房保障支出", "36.67", "36.67"}}), 3);
  first.number = 2;
  first.title = "部门收入总体情况表";
  std::vector<std::vector<std::string>> again = header;
  again[0][1] = "";
  again[0][3] = "功能分类科目名称.";
  again[0][5] = "财政拨款〈补助)";
  again[1][5] = "财政拨款《补助)小计";
  again[2][0] = "炎";
  const Table second =
      page_table(6, rows_with(again, {{"221", "02", "", "住房改革支出", "36.67", "36.67"}}), 3);
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].n_rows, 5);
  EXPECT_EQ(joined[0].cell_at(4, 3)->text, "住房改革支出");

  // The first page's reading missed a header word (款 blank) and the continuation repeats only the
  // header's last two rows (gen-0101 notosans-light scan150, 表 2): still the header.
  Table missed = first;
  for (Cell& c : missed.cells)
    if (c.row == 1 && c.col == 1) c.text = "";
  std::vector<std::vector<std::string>> last_two = {header[1], header[2]};
  last_two[1][0] = "党";
  const auto tail = tally::layout::join_tables(
      {missed,
       page_table(6, rows_with(last_two, {{"221", "02", "", "住房改革支出", "36.67", "36.67"}}),
                  2)});
  ASSERT_EQ(tail.size(), 1u);
  EXPECT_EQ(tail[0].n_rows, 5);

  // A first row of labels alike in part to the header's is a body row, kept.
  std::vector<std::vector<std::string>> body = {
      {"类", "款", "项", "", "", "财政拨款（补助）小计"},
      {"支出功能分类科目", "", "", "功能分类科目名称合计", "", "财政拨款"},
      {"221", "02", "", "住房改革支出", "36.67", "36.67"}};
  const auto kept = tally::layout::join_tables({first, page_table(6, body, 0)});
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0].n_rows, 4 + 3);  // its 类 款 项 row alone repeats neither end of the header
}

TEST(JoinTables, KeepsTablesWithTheirOwnCaptionApart) {
  Table first = page_table(5, {{"科目", "合计"}, {"201", "1.00"}}, 1);
  first.number = 3;
  Table second = page_table(6, {{"科目", "合计"}, {"201", "1.00"}}, 1);
  second.number = 4;
  second.title = "财政拨款收支预算总体情况表";
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 2u);
  EXPECT_EQ(joined[1].id, 1);
}

TEST(JoinTables, KeepsTablesWithDifferentColumnsApart) {
  const Table first = page_table(5, {{"科目", "合计"}, {"201", "1.00"}}, 1);
  const Table second = page_table(6, {{"a", "b", "c"}, {"1", "2", "3"}}, 0);
  EXPECT_EQ(tally::layout::join_tables({first, second}).size(), 2u);
}

TEST(JoinTables, MapsContinuationColumnsThatMergeSeveral) {
  const Table first = page_table(5, {{"a", "b", "c"}, {"1.00", "2.00", "3.00"}}, 1);
  Table second = page_table(6, {{"x", "4.00"}}, 0);
  // The continuation's first cell spans the first two columns of the table it continues.
  second.cells[0].box = {50, 100, 250, 120};
  second.cells[1].box = {250, 100, 350, 120};
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].cell_at(2, 1)->text, "x");
  EXPECT_EQ(joined[0].cell_at(2, 0)->colspan, 2);
  EXPECT_EQ(joined[0].cell_at(2, 2)->text, "4.00");
}

TEST(JoinTables, OnlyJoinsAcrossConsecutivePages) {
  Table first = page_table(5, {{"科目", "合计"}, {"201", "1.00"}}, 1);
  const Table second = page_table(7, {{"208", "2.00"}}, 0);
  EXPECT_EQ(tally::layout::join_tables({first, second}).size(), 2u);
}

TEST(JoinTables, JoinsAOneRowContinuationAndDropsLoneOneRowBoxes) {
  Table first = page_table(12, {{"项目", "合计"}, {"总计", "9.00"}}, 1);
  first.title = "财政拨款收入支出决算总表";
  const Table last_row = page_table(13, {{"", ""}}, 0);
  const Table framed_line = page_table(15, {{"单位名称", "性质"}}, 1);
  const auto joined = tally::layout::join_tables({first, last_row, framed_line});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].pages, (std::vector<int>{12, 13}));
}

// Xi'an 表8 p20: a label wrapped on the continuation page splits its cell in two at a border the
// table it continues does not have; the two parts are one cell of that column.
TEST(JoinTables, JoinsAContinuationWhoseLabelCellIsSplit) {
  const Table first = page_table(19, {{"编码", "名称", "合计"}, {"30228", "工会经费", "8.79"}}, 1);
  Table second = page_table(20, {{"30299", "支出", "其他商品和服务", "7.05"}}, 0);
  second.cells[1].box = {150, 100, 200, 120};
  second.cells[2].box = {200, 100, 250, 120};
  second.cells[3].box = {250, 100, 350, 120};
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].n_cols, 3);
  EXPECT_EQ(joined[0].cell_at(2, 1)->text, "支出 其他商品和服务");
  EXPECT_EQ(joined[0].cell_at(2, 1)->colspan, 1);
  EXPECT_EQ(joined[0].cell_at(2, 2)->read, (tally::core::Amount{705, 2}));

  // Two borders the first table lacks: another layout, kept apart.
  Table other = page_table(20, {{"1", "2", "3", "4", "5"}}, 0);
  other.cells[1].box = {150, 100, 180, 120};
  other.cells[2].box = {180, 100, 210, 120};
  other.cells[3].box = {210, 100, 250, 120};
  other.cells[4].box = {250, 100, 350, 120};
  EXPECT_EQ(tally::layout::join_tables({first, other}).size(), 2u);
}

// A table printed without rules: its column borders come from the words and move from page to
// page, and its header wraps differently (a title cut after another word). The last header row
// (※ 1 2 3) repeated with the same columns still makes the next page a continuation, and the
// whole repeated header is dropped.
TEST(JoinTables, JoinsAnUnruledContinuationByItsRepeatedColumnNumbers) {
  Table first = page_table(8,
                           {{"功能分类科目编", "", "", ""},
                            {"码", "合计", "基本", "项目"},
                            {"※", "1", "2", "3"},
                            {"201", "1.00", "1.00", ""}},
                           3);
  first.title = "部门支出总体情况表";
  Table second = page_table(
      9,
      {{"功能分类科目编码", "合计", "基本", "项目"}, {"※", "1", "2", "3"}, {"221", "2.00", "", ""}},
      2);
  for (Cell& cell : second.cells) cell.box.x0 += cell.col > 0 ? 9 : -6;  // borders from other words
  const auto joined = tally::layout::join_tables({first, second});
  ASSERT_EQ(joined.size(), 1u);
  EXPECT_EQ(joined[0].n_rows, 5);
  EXPECT_EQ(joined[0].cell_at(4, 0)->text, "221");
  EXPECT_EQ(joined[0].cell_at(4, 1)->read, (tally::core::Amount{200, 2}));
}

// Statistics print table after table under the same column titles (ICDAR eu-001: "Heavy metals"
// at the foot of one page, "Pesticides" at the top of the next). Without rules their borders
// differ, and a repeated row of titles alone does not join them.
TEST(JoinTables, KeepsUnruledTablesUnderTheSameColumnTitlesApart) {
  const Table first = page_table(1, {{"Substance", "Air", "Water"}, {"Lead", "200", "20"}}, 1);
  Table second = page_table(2, {{"Substance", "Air", "Water"}, {"Aldrin", "1", "1"}}, 1);
  for (Cell& cell : second.cells) cell.box.x0 += cell.col > 0 ? 9 : -6;
  EXPECT_EQ(tally::layout::join_tables({first, second}).size(), 2u);
}
