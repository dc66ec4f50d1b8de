// Shared helpers of reconcile/'s steps (not part of the public interface).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/core/model.h"

namespace tally::reconcile::detail {

// Text as compared: width folded, every space removed.
std::string squash(std::string_view text);

// Header path split back into its segments.
std::vector<std::string> path_segments(const std::string& header_path);

// True when the header path ends with the segments of `selector` ("财政拨款/合计" matches
// "财政拨款/合计" and "支出/财政拨款/合计", not "非财政拨款/合计"); segments compared squashed.
bool path_matches(const std::string& header_path, const std::string& selector);

// One side of a two-sided table (表 1, 表 4): a label column and the amount columns right of it.
struct Side {
  int label_col = -1;
  std::vector<int> amount_cols;
};

// What understand_tables learned that the model has no place for; rebuilt from the model when
// needed (sides of two-sided tables, the level of rows whose codes are truncated).
struct TableShape {
  std::vector<Side> sides;  // two entries for a two-sided table, else empty
  std::vector<int> amount_cols;
  std::vector<int> body_rows;  // rows below the header
};
TableShape shape_of(const core::Table& table);

// The label printed in (row, col), "" when nothing covers it.
std::string text_at(const core::Table& table, int row, int col);

// The amount of a cell as the checks see it: value after repair if any, else the reading, else 0.
struct Units {
  std::int64_t units = 0;
  int decimals = 0;
  bool present = false;  // the cell prints a number
};
Units amount_of(const core::Cell* cell, bool use_value);

// ----- templates -----

struct ColumnSum {
  std::string total;  // column selector (header path suffix, alternatives split by '|')
  std::vector<std::string> parts;  // one selector per part
};
struct RowSum {
  std::string total;  // row label (squashed prefix match, alternatives split by '|')
  std::vector<std::string> parts;
};
struct Template {
  std::string kind;                 // e.g. budget.3
  std::string name;                 // readable name
  std::vector<int> numbers;         // printed 表 N that fit
  std::vector<std::string> titles;  // title keywords; the longest one found in a title decides
  std::vector<ColumnSum> column_sums;
  std::vector<RowSum> row_sums;
};
// A cell picked in a table of a kind: a column (header path selector) and a row (total row, a
// label, or each coded row for per-code identities).
struct Selector {
  std::string kind;
  std::string column;  // header path selector
  std::string row;     // "total", or a label (alternatives split by '|'); empty with by = code
};
struct CrossIdentity {
  std::string id;
  std::string description;
  Selector a, b;
  std::string by;  // "total" (one cell each) or "code" (each code printed in both)
};
struct Templates {
  std::vector<Template> tables;
  std::vector<CrossIdentity> cross;
  std::vector<std::string> errors;  // files that could not be read, one sentence each
};
// Reads every *.json of `dir` (see templates/README.md). A missing dir gives an empty set.
Templates load_templates(const std::filesystem::path& dir);
// The folder used when `configured` does not exist: the source tree's templates/.
std::filesystem::path resolve_templates_dir(const std::filesystem::path& configured);

bool is_untrusted(const core::Cell& cell);

// A column that is the sum of others on every body row (grid column indexes).
struct ColumnRelation {
  int total = -1;
  std::vector<int> parts;
};
// Side-by-side tables (halves.cpp): two lists on one row, each half with the same columns (code,
// name, one amount). Empty when the table is not one.
struct Half {
  std::vector<int> cols, code_cols, amount_cols;
};
std::vector<Half> halves_of(const core::Table& table);
// A sum within one half: total cell (row, col) = Σ parts; `what` names the total (a class code, or
// the half's 合计 label).
struct HalfSum {
  std::pair<int, int> total;
  std::vector<std::pair<int, int>> parts;
  std::string what;
};
std::vector<HalfSum> half_sums(const core::Table& table, const std::vector<Half>& halves);

// Column sums read from the header (a 总计/合计/小计 column = the groups beside it under the same
// parent) and confirmed by the numbers (header_sums.cpp); `cols`: the amount columns of one side.
std::vector<ColumnRelation> header_column_sums(const core::Table& table,
                                               const std::vector<int>& cols);

// Rows nested without codes, read from the numbers of one column (number_tree.cpp): each row that
// is the sum of the rows printed below it, and each total printed below the rows it sums. Only
// sums that hold (within rounding) are returned; empty when the column shows no such nesting.
struct TreeSum {
  int total_row = -1;
  std::vector<int> part_rows;
  std::string label;  // the total row's label as the column reads it (its side's label column)
};
std::vector<TreeSum> number_tree_sums(const core::Table& table, int col);

// Column sums printed as the formulas of a column-number row (栏次 `1 | 2 | 3=1+2`): total column
// → the columns its formula names, by their printed numbers (header_sums.cpp).
std::vector<ColumnRelation> formula_column_sums(const core::Table& table);

// Residual, tolerance and status of a check from the cells' values (after repair) or readings.
void evaluate(core::Document& document, core::Check& check, bool use_value);
// Forgets the grid indexes evaluate() keeps per thread (call when starting on a document).
void reset_grid_cache();

// Doubt before accusation (doubt.cpp): every broken check over trusted text that another reading of
// the layout would make hold (another set of rows or columns, levels listed nested) is taken out of
// document.checks and becomes a `layout_uncertain` diagnostic giving that reading.
void doubt_layout(core::Document& document);
// The terms of a check as printed: "−p8 r3c4 2,946.25 + p8 r4c4 2,112.86 …".
std::string describe_terms(const core::Document& document, const core::Check& check);

}  // namespace tally::reconcile::detail
