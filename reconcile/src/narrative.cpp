// The narrative's restated totals: "收支总预算 1,760.38 万元" printed in the 说明 must equal the
// total of 表1 (and likewise the income and expenditure totals of 表2 and 表3).
#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "narrative_internal.h"
#include "tally/core/amount.h"
#include "tally/core/text.h"
#include "tally/reconcile/reconcile.h"

namespace tally::reconcile {

namespace {

// What a statement restates: the phrase before the amount, and where its table prints it.
struct Statement {
  const char* phrase;     // e.g. 收支总预算, matched on text without spaces, full-width folded
  const char* kind;       // template kind of the table that prints the total
  const char* row_label;  // a label cell of the total's row; "" = the table's total row
  const char* description;  // for the check's sentence
};

constexpr Statement kStatements[] = {
    {"收支总预算", "budget.1", "收入总计", "表1 收入总计"},
    {"收入预算", "budget.2", "", "表2 总计"},
    {"支出预算", "budget.3", "", "表3 合计"},
};

// The page's words as lines in reading order, joined without separators, so that a statement
// wrapped over two lines still reads as one phrase.
std::string page_text(const core::Document& document, const core::Page& page) {
  std::string text;
  for (const detail::Line& line : detail::page_lines(document, page, /*with_tables=*/true))
    text += line.text;
  return text;
}

bool is_amount_char(char c) {
  return (c >= '0' && c <= '9') || c == ',' || c == '.';
}

// The first "<phrase><amount>万元" of the text whose phrase is not the tail of a narrower one
// (一般公共预算支出预算 is 表5's total, 基本支出预算 a part of 表3's, 财政拨款支出预算 表4's), with
// the amount as printed.
std::optional<std::string> stated_amount(const std::string& text, const std::string& phrase) {
  for (std::size_t at = text.find(phrase); at != std::string::npos;
       at = text.find(phrase, at + 1)) {
    const std::string before = at >= 6 ? text.substr(at - 6, 6) : std::string();
    if (before == "预算" || before == "基本" || before == "项目" || before == "经费" ||
        before == "资金" || before == "拨款")  // 财政拨款支出预算: 表4/表5's, not 表3's
      continue;
    std::size_t end = at + phrase.size();
    while (end < text.size() && is_amount_char(text[end])) ++end;
    const std::string amount = text.substr(at + phrase.size(), end - at - phrase.size());
    if (amount.empty() || text.compare(end, std::string("万元").size(), "万元") != 0) continue;
    return amount;
  }
  return std::nullopt;
}

// The cell holding the restated total: on the row labelled `row_label` (or the table's total
// row), the first amount column to the right of the label that holds a number.
std::optional<core::CellRef> total_cell(const core::Table& table, const std::string& row_label) {
  if (table.rows.size() != static_cast<std::size_t>(table.n_rows) ||
      table.columns.size() != static_cast<std::size_t>(table.n_cols))
    return std::nullopt;
  for (int r = table.header_rows; r < table.n_rows; ++r) {
    int from = 0;
    if (row_label.empty()) {
      if (table.rows[static_cast<std::size_t>(r)].role != core::RowRole::Total) continue;
    } else {
      from = -1;
      for (int c = 0; c < table.n_cols && from < 0; ++c) {
        const core::Cell* cell = table.cell_at(r, c);
        if (cell && core::remove_space(core::fold_width(cell->text)) == row_label) from = c + 1;
      }
      if (from < 0) continue;
    }
    for (int c = from; c < table.n_cols; ++c) {
      const core::Cell* cell = table.cell_at(r, c);
      if (table.columns[static_cast<std::size_t>(c)].role == core::ColumnRole::Amount && cell &&
          cell->row == r && cell->read)
        return core::CellRef{table.id, r, c};
    }
    return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

void check_narrative(core::Document& document) {
  std::string text;
  for (const core::Page& page : document.pages) text += page_text(document, page);
  for (const Statement& statement : kStatements) {
    const std::optional<std::string> printed = stated_amount(text, statement.phrase);
    if (!printed) continue;
    const std::optional<core::Amount> stated = core::amount_from_text(*printed);
    const auto table = std::find_if(document.tables.begin(), document.tables.end(),
                                    [&](const core::Table& t) { return t.kind == statement.kind; });
    if (!stated || table == document.tables.end()) continue;
    // The narrative speaks in 万元; tables print in 万元 or 元.
    std::int64_t scale = 1;
    if (table->unit == "元")
      scale = 10000;
    else if (!table->unit.empty() && table->unit != "万元")
      continue;
    const std::optional<core::CellRef> ref = total_cell(*table, statement.row_label);
    if (!ref) continue;
    const core::Cell& cell = *table->cell_at(ref->row, ref->col);
    const core::Amount& value = cell.value ? *cell.value : *cell.read;

    core::Check check;
    check.id = std::string("narrative.") + statement.kind;
    check.kind = "narrative";
    check.origin = "template";
    check.description = std::string("正文「") + statement.phrase + *printed +
                        "万元」= " + statement.description + (scale == 1 ? "" : "（元）");
    check.terms = {{*ref, 1}};
    // Residual: the table's value minus the stated one, in the table's unit and the finer of the
    // two precisions. A statement coarser than the table (fewer decimals, or 万元 against 元)
    // stands for ±½ of its own last digit.
    check.decimals = std::max(value.decimals, stated->decimals);
    const auto pow10 = [](int n) {
      std::int64_t p = 1;
      while (n-- > 0) p *= 10;
      return p;
    };
    const std::int64_t stated_step = scale * pow10(check.decimals - stated->decimals);
    const std::int64_t value_step = pow10(check.decimals - value.decimals);
    check.residual = value.units_at(check.decimals) - stated->units * stated_step;
    check.tolerance = stated_step > value_step ? stated_step / 2 : 0;
    const std::int64_t off = std::llabs(check.residual);
    check.status = off == 0                 ? core::CheckStatus::Held
                   : off <= check.tolerance ? core::CheckStatus::HeldRounding
                                            : core::CheckStatus::Broken;
    if (check.status == core::CheckStatus::Broken)
      document.diagnostics.push_back({core::Severity::Warning, "narrative_mismatch", cell.page,
                                      "the narrative states " + std::string(statement.phrase) +
                                          " " + *printed + " 万元, but " + statement.description +
                                          " prints " + value.to_string()});
    document.checks.push_back(std::move(check));
  }
}

}  // namespace tally::reconcile
