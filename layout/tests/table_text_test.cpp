// Captions, header rows, amounts and cell text assembly.
#include "table_text.h"

#include <gtest/gtest.h>

#include "text_pieces.h"

using namespace tally::layout::detail;
using tally::core::Box;
using tally::core::Cell;
using tally::core::Table;

namespace {

TextLine line(std::vector<std::pair<std::string, double>> segments, double y) {
  TextLine out;
  double x = 50;
  for (auto& [text, size] : segments) {
    TextSegment s{text, {x, y, x + 100, y + size}, size, false};
    out.segments.push_back(s);
    out.box = out.box.united(s.box);
    x += 400;
  }
  return out;
}

// A table from rows of texts (one string per column, no spans).
Table table_of(const std::vector<std::vector<std::string>>& rows) {
  Table t;
  t.n_rows = static_cast<int>(rows.size());
  t.n_cols = static_cast<int>(rows.front().size());
  for (int r = 0; r < t.n_rows; ++r)
    for (int c = 0; c < t.n_cols; ++c) t.cells.push_back({.row = r, .col = c, .text = rows[r][c]});
  return t;
}

}  // namespace

TEST(CaptionFromLines, ReadsNumberTitleDepartmentAndUnit) {
  const TextLine number = line({{"表 3", 10}}, 40);
  const TextLine title = line({{"部门支出总体情况表", 16}}, 60);
  const TextLine meta =
      line({{"编制部门：昌吉回族自治州人民政府办公室", 10}, {"单位：万元", 10}}, 90);
  const Caption caption = caption_from_lines({&number, &title, &meta});
  EXPECT_EQ(caption.number, 3);
  EXPECT_EQ(caption.title, "部门支出总体情况表");
  EXPECT_EQ(caption.department, "昌吉回族自治州人民政府办公室");
  EXPECT_EQ(caption.unit, "万元");
}

TEST(CaptionFromLines, ReadsInlineNumberAndJoinedDepartmentUnit) {
  const TextLine title = line({{"表1 部门收支总体情况表", 14}}, 60);
  const TextLine meta = line({{"编制单位：某某局 单位：元", 10}}, 90);
  const Caption caption = caption_from_lines({&title, &meta});
  EXPECT_EQ(caption.number, 1);
  EXPECT_EQ(caption.title, "部门收支总体情况表");
  EXPECT_EQ(caption.department, "某某局");
  EXPECT_EQ(caption.unit, "元");
}

TEST(CaptionFromLines, PrefersTableTitlesOverRunningHeadsAndNarrative) {
  const TextLine head = line({{"上海市普陀区人民政府万里街道办事处", 18}}, 20);
  const TextLine narrative =
      line({{"按照全口径预算的原则，本部门所有收入和支出均纳入部门预算管理。", 10}}, 40);
  const TextLine title = line({{"2024年部门收入预算总表", 14}}, 60);
  const Caption caption = caption_from_lines({&head, &narrative, &title});
  EXPECT_FALSE(caption.number.has_value());
  EXPECT_EQ(caption.title, "2024年部门收入预算总表");
}

TEST(CaptionFromLines, TakesTheNearestTableTitleUnderAPartHeading) {
  const TextLine part = line({{"上海市规划和自然资源局 2024 年度部门决算表", 16}}, 30);
  const TextLine title = line({{"收入支出决算总表", 14}}, 50);
  EXPECT_EQ(caption_from_lines({&part, &title}).title, "收入支出决算总表");
}

TEST(CaptionFromLines, JoinsAWrappedLeadInSentence) {
  const TextLine heading = line({{"二、部门决算单位构成", 12}}, 10);
  const TextLine narrative =
      line({{"算包括：上海市普陀区规划和自然资源局本级决算、下属行政事业单位决算。", 12}}, 30);
  const TextLine first = line({{"纳入上海市普陀区规划和自然资源局 2024 年度部门决算编", 12}}, 50);
  const TextLine tail = line({{"制范围的单位包括：", 12}}, 70);
  EXPECT_EQ(caption_from_lines({&heading, &narrative, &first, &tail}).title,
            "纳入上海市普陀区规划和自然资源局2024年度部门决算编制范围的单位包括：");
}

TEST(CaptionFromLines, EmptyForAContinuation) {
  EXPECT_TRUE(caption_from_lines({}).empty());
}

TEST(NotesFromLines, KeepsNotesAndEmptyTableSentences) {
  const TextLine note = line({{"注：本表反映部门本年度取得的各项收入情况。", 10}}, 300);
  const TextLine other = line({{"第三部分 2024 年部门预算情况说明", 14}}, 330);
  EXPECT_EQ(notes_from_lines({&note, &other}),
            std::vector<std::string>{"注：本表反映部门本年度取得的各项收入情况。"});
}

TEST(DetectHeaderRows, StopsAfterTheNumberingRow) {
  Table t =
      table_of({{"科目", "", "合计"}, {"类", "款", ""}, {"※", "※", "1"}, {"201", "", "1,447.80"}});
  EXPECT_EQ(detect_header_rows(t), 3);
}

TEST(DetectHeaderRows, StopsAtTheFirstRowOfAmountsOrCodes) {
  EXPECT_EQ(detect_header_rows(table_of({{"项目", "预算数"}, {"一、本年收入", "1,747.75"}})), 1);
  EXPECT_EQ(detect_header_rows(table_of({{"功能分类科目编码", "合计"}, {"2080505", "0"}})), 1);
  EXPECT_EQ(detect_header_rows(table_of({{"201", "一般公共服务支出", "2,932,700"}})), 0);
  EXPECT_EQ(detect_header_rows(table_of({{"项目", "合计"}, {"类", "1"}})), 2);  // header only
  EXPECT_EQ(detect_header_rows(table_of({{"项目", "合计"}, {"类", "款"}, {"", ""}, {"", ""}})),
            2);  // empty body
  EXPECT_EQ(detect_header_rows(table_of({{"项目", "合计"}, {"类", "款"}, {"", ""}, {"合计", ""}})),
            2);
  EXPECT_EQ(detect_header_rows(table_of({{"内容", "合计", "资金来源"}, {"合计", "1.00", ""}})), 1);
}

TEST(DetectHeaderRows, ExtendsOverSpannedHeaderCells) {
  Table t = table_of({{"项目", "合计"}, {"", "1,000.00"}, {"201", "5.00"}});
  t.cells[0].rowspan = 2;  // "项目" reaches into row 1
  t.cells.erase(t.cells.begin() + 2);
  EXPECT_EQ(detect_header_rows(t), 2);
}

TEST(AssignAmounts, ReadsAmountColumnsOnly) {
  Table t = table_of({{"类", "款", "科目名称", "合计"},
                      {"201", "03", "行政运行", "835.10"},
                      {"208", "", "社会保障和就业支出", "2, 932, 700"}});
  t.header_rows = 1;
  assign_amounts(t);
  EXPECT_FALSE(t.cell_at(1, 0)->read.has_value());
  EXPECT_FALSE(t.cell_at(1, 2)->read.has_value());
  EXPECT_EQ(t.cell_at(1, 3)->read, (tally::core::Amount{83510, 2}));
  EXPECT_EQ(t.cell_at(2, 3)->read, (tally::core::Amount{2932700, 0}));
  EXPECT_FALSE(t.cell_at(0, 3)->read.has_value());  // header
}

TEST(CellText, JoinsWrappedCjkWithoutSpaceAndWordsWithOne) {
  const tally::core::Word w;
  std::vector<Piece> pieces = {
      {U"费支出", {10, 22, 40, 32}, 10, false, &w, true},
      {U"机关事业单位基本养老保险缴", {10, 10, 140, 20}, 10, false, &w, true},
  };
  EXPECT_EQ(cell_text(pieces), "机关事业单位基本养老保险缴费支出");
  std::vector<Piece> amount = {{U"932,", {30, 10, 50, 20}, 10, false, &w, true},
                               {U"2,", {10, 10, 20, 20}, 10, false, &w, true},
                               {U"700", {55, 10, 70, 20}, 10, false, &w, true}};
  EXPECT_EQ(cell_text(amount), "2, 932, 700");
}

TEST(CutWords, SplitsAWordAcrossTwoCellsByGlyph) {
  tally::core::Word word{.text = "835.10832.10", .box = {0, 0, 120, 10}};
  for (int i = 0; i < 12; ++i) word.glyphs.push_back({i * 10.0, 0, i * 10.0 + 9, 10});
  const auto buckets = cut_words({word}, 2, [](double x, double) { return x < 60 ? 0 : 1; });
  ASSERT_EQ(buckets[0].size(), 1u);
  ASSERT_EQ(buckets[1].size(), 1u);
  EXPECT_EQ(buckets[0][0].text, U"835.10");
  EXPECT_EQ(buckets[1][0].text, U"832.10");
  EXPECT_FALSE(buckets[0][0].whole_word);
}

TEST(CellText, KeepsTheSpaceTheTextLayerDrew) {
  tally::core::Word code{.text = "201", .space_after = true};
  tally::core::Word label{.text = "一般公共服务支出"};
  std::vector<Piece> pieces = {
      {U"一般公共服务支出", {31, 10, 110, 20}, 10, false, &label, true, true},
      {U"201", {10, 10, 29, 20}, 10, false, &code, true, true}};
  EXPECT_EQ(cell_text(pieces), "201 一般公共服务支出");       // a 2 pt gap, yet a space was drawn
  tally::core::Word head{.text = "2.", .space_after = true};  // text drawn out of order
  tally::core::Word tail{.text = "80"};
  std::vector<Piece> amount = {{U"2.", {10, 10, 17.5, 20}, 9, false, &head, true, true},
                               {U"80", {18, 10, 28, 20}, 9, false, &tail, true, true}};
  EXPECT_EQ(cell_text(amount), "2.80");
}

TEST(CaptionFromLines, KeepsTheTitleAsPrinted) {
  const TextLine title = line({{"表１：部门（单位）收入总体情况表", 14}}, 60);
  const Caption caption = caption_from_lines({&title});
  EXPECT_EQ(caption.number, 1);
  const TextLine plain = line({{"部门（单位）支出总体情况表", 14}}, 60);
  EXPECT_EQ(caption_from_lines({&plain}).title, "部门（单位）支出总体情况表");
}

TEST(CaptionFromLines, ASeriesLabelAboveTheTitleIsItsNumberNotItsTitle) {
  // Suzhou 2026 budgets: "公开 05 表" on its own line, the title below it with a bracketed
  // qualifier, under the running head of the disclosure.
  const TextLine head = line({{"苏州市科学技术局 2026 年度单位预算公开", 12}}, 10);
  const TextLine label = line({{"公开 05 表", 12}}, 30);
  const TextLine title = line({{"财政拨款支出表（功能科目）", 16}}, 50);
  const Caption caption = caption_from_lines({&head, &label, &title});
  EXPECT_EQ(caption.number, 5);
  EXPECT_EQ(caption.title, "财政拨款支出表（功能科目）");
}

TEST(CaptionFromLines, KeepsALongTitleThatNamesATable) {
  const TextLine title = line(
      {{"2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）", 14}},
      50);
  EXPECT_EQ(caption_from_lines({&title}).title,
            "2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）");
}
