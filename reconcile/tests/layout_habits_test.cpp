// Layout habits of real disclosures, on small tables built cell by cell: the column-number row's
// formulas (栏次 5=6+7), sums found from the data only where some row adds two numbers, and rows
// nested without codes read from the numbers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tally/core/amount.h"
#include "tally/reconcile/reconcile.h"

namespace {

using namespace tally;

// One table from rows of texts; body cells that print an amount get it as their reading.
core::Document document_of(const std::vector<std::vector<std::string>>& rows, int header_rows,
                           core::TextSource source = core::TextSource::TextLayer) {
  core::Document doc;
  core::Table t;
  t.title = "下达情况表";
  t.header_rows = header_rows;
  t.n_rows = static_cast<int>(rows.size());
  t.n_cols = static_cast<int>(rows.front().size());
  t.pages = {1};
  for (int r = 0; r < t.n_rows; ++r)
    for (int c = 0; c < t.n_cols; ++c) {
      core::Cell cell;
      cell.row = r;
      cell.col = c;
      cell.page = 1;
      cell.text = rows[r][c];
      cell.source = source;
      cell.confidence = source == core::TextSource::TextLayer ? 1.0 : 0.9;
      if (r >= header_rows) cell.read = core::amount_from_text(cell.text);
      t.cells.push_back(cell);
    }
  doc.tables.push_back(t);
  return doc;
}

void check(core::Document& doc) {
  const reconcile::Options options;
  reconcile::understand_tables(doc, options);
  reconcile::check_identities(doc, options);
}

// The checks whose first term (the total) is at (row, col).
std::vector<const core::Check*> checks_at(const core::Document& doc, int row, int col) {
  std::vector<const core::Check*> out;
  for (const core::Check& c : doc.checks)
    if (!c.terms.empty() && c.terms[0].cell.row == row && c.terms[0].cell.col == col)
      out.push_back(&c);
  return out;
}

std::vector<int> term_cols(const core::Check& c) {
  std::vector<int> cols;
  for (const core::Term& t : c.terms) cols.push_back(t.cell.col);
  return cols;
}

}  // namespace

// 54249f10 (长沙 普惠金融 allocation, a scan): the column-number row prints the sums, 5=6+7 and
// 6=1+3, and OCR read the second as 0=1+3. The formulas are the table's own statement of its
// column sums; the misread number is the one the sequence leaves (6).
TEST(LayoutHabits, ColumnNumberRowFormulasAreTheColumnSums) {
  core::Document doc = document_of(
      {
          {"单位", "贴息/中央", "贴息/省级", "示范区/中央", "示范区/省级", "合计", "合计/中央",
           "合计/省级"},
          {"行号", "1", "2", "3", "4", "5=6+7", "0=1+3", "7=2+4"},
          {"市创业指导中心", "-9.0", "16.7", "0", "0", "7.7", "-9.0", "16.7"},
          {"岳麓区", "-14.0", "9.1", "0", "0", "-4.9", "-14.0", "9.1"},
          {"天心区", "-1.1", "1.0", "0", "0", "-0.1", "-1.1", "1.0"},
          {"长沙县", "15.4", "26.5", "2000", "1000", "3041.9", "2015.4", "1026.5"},
      },
      2, core::TextSource::Ocr);
  check(doc);
  ASSERT_EQ(doc.tables[0].rows[1].role, core::RowRole::Numbering);
  for (int row = 2; row <= 5; ++row) {
    const auto at5 = checks_at(doc, row, 5), at6 = checks_at(doc, row, 6),
               at7 = checks_at(doc, row, 7);
    ASSERT_EQ(at5.size(), 1u) << row;
    ASSERT_EQ(at6.size(), 1u) << row;
    ASSERT_EQ(at7.size(), 1u) << row;
    EXPECT_EQ(term_cols(*at5[0]), (std::vector<int>{5, 6, 7}));
    EXPECT_EQ(term_cols(*at6[0]), (std::vector<int>{6, 1, 3}));
    EXPECT_EQ(term_cols(*at7[0]), (std::vector<int>{7, 2, 4}));
    EXPECT_EQ(at6[0]->origin, "generic");
  }
  for (const core::Check& c : doc.checks)
    EXPECT_NE(c.status, core::CheckStatus::Broken) << c.description;
}

// Two columns equal on every row where a third is 0 are not a sum: 中央 = 示范区/小计 + 合计/中央
// "held" on six rows of 54249f10 only because 示范区 was 0 there, and broke on 长沙县.
TEST(LayoutHabits, ASumFromTheDataNeedsARowThatAddsTwoNumbers) {
  core::Document doc = document_of(
      {
          {"单位", "贴息", "示范区", "合计"},
          {"市创业指导中心", "-9.0", "0", "-9.0"},
          {"岳麓区", "-14.0", "0", "-14.0"},
          {"芙蓉区", "-16.5", "0", "-16.5"},
          {"天心区", "-1.1", "0", "-1.1"},
          {"开福区", "-6.8", "0", "-6.8"},
          {"长沙县", "15.4", "3000", "2015.4"},
      },
      1, core::TextSource::Ocr);
  check(doc);
  for (const core::Check& c : doc.checks) EXPECT_NE(c.kind, "column_sum") << c.description;
}

// A project list by unit without codes (Xi'an 专项业务经费支出表): 合计 → units → project groups →
// projects, each parent printed above its children. The nesting is read from the numbers. (Where
// the numbers allow two nestings, a group of 300.00 over a project of 300.00 over a unit of
// 300.00, the deeper one is taken: every sum found holds either way.)
TEST(LayoutHabits, RowsNestedWithoutCodesAreReadFromTheNumbers) {
  core::Document doc = document_of(
      {
          {"单位（项目）名称", "项目金额"},
          {"合计", "1,000.50"},
          {"西安市某局", "700.50"},
          {"通用项目", "400.50"},
          {"办公场所租赁", "150.25"},
          {"物业管理", "250.25"},
          {"专项业务", "300.00"},
          {"某某专项", "200.00"},
          {"另一专项", "100.00"},
          {"西安市某中心", "300.00"},
          {"设备购置", "120.00"},
          {"信息化运维", "180.00"},
      },
      1);
  check(doc);
  const auto parts_of = [&](int row) {
    std::vector<int> rows;
    for (const core::Check* c : checks_at(doc, row, 1))
      if (c->origin == "discovered" || c->origin == "generic")
        for (std::size_t i = 1; i < c->terms.size(); ++i) rows.push_back(c->terms[i].cell.row);
    return rows;
  };
  EXPECT_EQ(parts_of(1), (std::vector<int>{2, 9}));
  EXPECT_EQ(parts_of(2), (std::vector<int>{3, 6}));
  EXPECT_EQ(parts_of(3), (std::vector<int>{4, 5}));
  EXPECT_EQ(parts_of(6), (std::vector<int>{7, 8}));
  EXPECT_EQ(parts_of(9), (std::vector<int>{10, 11}));
  for (const core::Check& c : doc.checks)
    EXPECT_EQ(c.status, core::CheckStatus::Held) << c.description;
}

// Beijing 商务 项目支出绩效目标表 over 33 pages: the join keeps the header printed again on each
// page as body rows, so the column 其他资金 holds its own name more often than numbers. Those
// repeats say nothing of the column: it is an amount column, and 项目总额 = 财政资金 + 其他资金.
TEST(LayoutHabits, AHeaderRepeatedInTheBodyDoesNotMakeAnAmountColumnText) {
  std::vector<std::vector<std::string>> rows = {
      {"项目名称", "项目总额", "其中：", "其中："},
      {"", "", "财政资金", "其他资金"},
  };
  for (int page = 0; page < 4; ++page) {
    rows.push_back({"项目名称", "项目总额", "财政资金", "其他资金"});
    rows.push_back({"办公设备运行维护", "7.000000", "7.000000", ""});
    rows.push_back({"行业培训", "128.562000", "99.562000", "29.000000"});
  }
  core::Document doc = document_of(rows, 2);
  check(doc);
  ASSERT_EQ(doc.tables[0].columns[3].role, core::ColumnRole::Amount);
  const auto sums = checks_at(doc, 4, 1);
  ASSERT_EQ(sums.size(), 1u);
  EXPECT_EQ(term_cols(*sums[0]), (std::vector<int>{1, 2, 3}));
  for (const core::Check& c : doc.checks)
    EXPECT_NE(c.status, core::CheckStatus::Broken) << c.description;
}
