// join_tables: a table continued on the next page becomes one table.
#include <algorithm>
#include <cmath>
#include <map>

#include "table_text.h"
#include "tally/core/text.h"
#include "tally/layout/layout.h"

namespace tally::layout {

namespace {

// Column borders of a table on its last page: x of each column's left edge, and the right edge.
// Unknown borders (a column only ever spanned on that page) are NaN.
std::vector<double> column_borders(const core::Table& table, int page) {
  std::vector<double> borders(static_cast<std::size_t>(table.n_cols) + 1, std::nan(""));
  for (const core::Cell& cell : table.cells) {
    if (cell.page != page) continue;
    borders[static_cast<std::size_t>(cell.col)] = cell.box.x0;
    borders[static_cast<std::size_t>(cell.col + cell.colspan)] = cell.box.x1;
  }
  return borders;
}

// Maps each column border of `next` to a border of `previous` (same x within tolerance), or returns
// nothing when the columns do not line up.
std::optional<std::vector<int>> map_columns(const std::vector<double>& previous, const std::vector<double>& next) {
  constexpr double kTolerance = 4.0;  // points; the same template drawn on two pages
  std::vector<int> map;
  int from = 0;
  for (double x : next) {
    if (std::isnan(x)) return std::nullopt;
    int found = -1;
    for (int k = from; k < static_cast<int>(previous.size()); ++k)
      if (!std::isnan(previous[static_cast<std::size_t>(k)]) && std::abs(previous[static_cast<std::size_t>(k)] - x) <= kTolerance) {
        found = k;
        break;
      }
    if (found < 0) return std::nullopt;
    map.push_back(found);
    from = found + 1;
  }
  if (map.front() != 0 || map.back() != static_cast<int>(previous.size()) - 1) return std::nullopt;
  return map;
}

bool looks_like_table_title(const std::string& title) {
  const std::string t = core::remove_space(title);
  for (const char* end : {"表", "表）", "表)"})
    if (t.size() >= std::string(end).size() && t.compare(t.size() - std::string(end).size(), std::string::npos, end) == 0)
      return true;
  return false;
}

// Whether `next` (first table on its page) continues `previous` (last table on the page before).
bool continues(const core::Table& previous, const core::Table& next) {
  if (next.pages.front() != previous.pages.back() + 1) return false;
  if (next.number && next.number != previous.number) return false;
  const bool own_caption = next.number.has_value() || looks_like_table_title(next.title);
  if (own_caption && next.title != previous.title) return false;
  return true;
}

void append(core::Table& previous, core::Table next, const std::vector<int>& column_map) {
  // A repeated header (all of it, or only its last rows such as ※ 1 2 3) is dropped; a
  // continuation without one keeps all its rows.
  int skip = 0;
  const int h = next.header_rows;
  if (h > 0 && h <= previous.header_rows && next.n_cols == previous.n_cols) {
    const std::vector<std::string> repeated = detail::header_signature(next, h);
    const std::vector<std::string> whole = detail::header_signature(previous, previous.header_rows);
    const auto width = static_cast<std::ptrdiff_t>(h * previous.n_cols);
    const bool same_start = std::equal(repeated.begin(), repeated.end(), whole.begin());
    const bool same_end = std::equal(repeated.begin(), repeated.end(), whole.end() - width);
    if (same_start || same_end) skip = h;
  }
  const int offset = previous.n_rows - skip;
  for (core::Cell& cell : next.cells) {
    if (cell.row < skip) continue;
    const int col_end = column_map[static_cast<std::size_t>(cell.col + cell.colspan)];
    cell.col = column_map[static_cast<std::size_t>(cell.col)];
    cell.colspan = col_end - cell.col;
    cell.row += offset;
    previous.cells.push_back(std::move(cell));
  }
  for (core::TableRegion region : next.regions) {
    region.first_row = std::max(region.first_row, skip) + offset;
    region.last_row += offset;
    previous.regions.push_back(region);
  }
  previous.n_rows += next.n_rows - skip;
  previous.pages.push_back(next.pages.front());
  if (previous.unit.empty()) previous.unit = next.unit;
  if (previous.department.empty()) previous.department = next.department;
  previous.notes.insert(previous.notes.end(), next.notes.begin(), next.notes.end());
}

}  // namespace

std::vector<core::Table> join_tables(std::vector<core::Table> page_tables) {
  // Which tables are the first and last on their page (read before any table is moved).
  std::vector<int> page_of(page_tables.size());
  std::map<int, std::size_t> first_on_page, last_on_page;
  for (std::size_t i = 0; i < page_tables.size(); ++i) {
    page_of[i] = page_tables[i].pages.front();
    if (!first_on_page.count(page_of[i])) first_on_page[page_of[i]] = i;
    last_on_page[page_of[i]] = i;
  }
  std::vector<core::Table> joined;
  for (std::size_t i = 0; i < page_tables.size(); ++i) {
    const bool first_here = first_on_page[page_of[i]] == i;
    const bool previous_was_last = i > 0 && last_on_page[page_of[i - 1]] == i - 1;
    if (!joined.empty() && first_here && previous_was_last && continues(joined.back(), page_tables[i])) {
      const auto map = map_columns(column_borders(joined.back(), joined.back().pages.back()),
                                   column_borders(page_tables[i], page_of[i]));
      if (map) {
        append(joined.back(), std::move(page_tables[i]), *map);
        continue;
      }
    }
    joined.push_back(std::move(page_tables[i]));
  }
  for (core::Table& table : joined) {
    std::sort(table.cells.begin(), table.cells.end(), [](const core::Cell& a, const core::Cell& b) {
      return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    detail::assign_amounts(table);
  }
  // A one-row grid is kept only as a continuation, or when it holds numbers: on its own it is a
  // framed line of text, not a table.
  std::erase_if(joined, [](const core::Table& table) {
    if (table.n_rows > 1) return false;
    return std::none_of(table.cells.begin(), table.cells.end(), [](const core::Cell& c) { return c.read.has_value(); });
  });
  for (std::size_t i = 0; i < joined.size(); ++i) joined[i].id = static_cast<int>(i);
  return joined;
}

}  // namespace tally::layout
