// join_tables: a table continued on the next page becomes one table.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "table_text.h"
#include "tally/core/amount.h"
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
// nothing when the columns do not line up. A border of `next` inside a column of `previous` (a
// label wrapped so that its cell was split in two: Xi'an 表8 p20 "支出 | 其他商品和服务") maps to
// kInsideColumn: the two parts are one column of `previous`. At most kMaxInsideBorders such
// borders, never the first or last, so a table of another layout is still not joined.
constexpr int kInsideColumn = -1;
constexpr int kMaxInsideBorders = 1;
std::optional<std::vector<int>> map_columns(const std::vector<double>& previous,
                                            const std::vector<double>& next, bool allow_inside) {
  constexpr double kTolerance = 4.0;  // points; the same template drawn on two pages
  std::vector<int> map;
  int from = 0, inside = 0;
  for (double x : next) {
    if (std::isnan(x)) return std::nullopt;
    int found = -1;
    for (int k = from; k < static_cast<int>(previous.size()); ++k)
      if (!std::isnan(previous[static_cast<std::size_t>(k)]) &&
          std::abs(previous[static_cast<std::size_t>(k)] - x) <= kTolerance) {
        found = k;
        break;
      }
    if (found < 0) {
      if (!allow_inside || ++inside > kMaxInsideBorders || map.empty()) return std::nullopt;
      map.push_back(kInsideColumn);
      continue;
    }
    map.push_back(found);
    from = found + 1;
  }
  if (map.front() != 0 || map.back() != static_cast<int>(previous.size()) - 1) return std::nullopt;
  return map;
}

bool looks_like_table_title(const std::string& title) {
  const std::string t = core::remove_space(title);
  for (const char* end : {"表", "表）", "表)"})
    if (t.size() >= std::string(end).size() &&
        t.compare(t.size() - std::string(end).size(), std::string::npos, end) == 0)
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

// A header cell read again by OCR on the continuation page comes back a little different: a bracket
// as another (财政拨款（补助） read 财政拨款《补助）), a stray point. Measured on the variety
// corpus's dev scans (gen-0101 notosans bilevel, 表 1 and 表 2): the repeats were 0.8–0.9 alike;
// body labels are never that close to a header's.
constexpr double kMisreadHeaderSimilarity = 0.6;

// Whether two texts at the same place of two header rows are the same header cell as OCR reads it:
// equal, close (kMisreadHeaderSimilarity), or both one character (类, ※ read 这 or 炎); never when
// one of them is empty or a number.
bool same_header_cell(const std::string& a, const std::string& b) {
  if (a == b) return true;
  if (a.empty() || b.empty() || core::is_amount_text(a) || core::is_amount_text(b)) return false;
  const bool one_character_each =
      core::utf8_to_u32(a).size() == 1 && core::utf8_to_u32(b).size() == 1;
  return one_character_each || core::text_similarity(a, b) >= kMisreadHeaderSimilarity;
}

// Whether header rows (cell texts, row-major) repeat those starting at `header`: equal, or — on
// pages read by OCR, where header words are misread (类 as 去, （ as 《) or missed — at most one
// printed cell in ten not the same header cell as OCR reads it (same_header_cell; a cell blank on
// one side counts as unlike), at least half of the printed cells equal, and no number unequal.
bool same_header_rows(const std::vector<std::string>& rows,
                      std::vector<std::string>::const_iterator header) {
  int printed = 0, equal = 0, unlike = 0;
  for (std::size_t i = 0; i < rows.size(); ++i, ++header) {
    if (rows[i].empty() && header->empty()) continue;
    ++printed;
    if (rows[i] == *header) {
      ++equal;
      continue;
    }
    if (core::is_amount_text(rows[i]) || core::is_amount_text(*header)) return false;
    // A header word one reading missed (款 left blank on one page) is one cell unlike.
    if (!same_header_cell(rows[i], *header)) ++unlike;
  }
  return unlike * 10 <= printed && 2 * equal >= printed;
}

// A column-number row: marks (※, 栏次) and the integers 1…N in order, N ≥ 3, in its non-empty
// cells.
bool column_number_row(const std::vector<std::string>& cells) {
  int next = 1;
  for (const std::string& text : cells) {
    if (text.empty() || (next == 1 && (text == "※" || text == "*" || text == "栏次"))) continue;
    if (text != std::to_string(next)) return false;
    ++next;
  }
  return next > 3;
}

// Whether the last header row of `table` numbers its columns.
bool numbered_header(const core::Table& table) {
  if (table.header_rows == 0) return false;
  const std::vector<std::string> header = detail::header_signature(table, table.header_rows);
  return column_number_row(std::vector<std::string>(header.end() - table.n_cols, header.end()));
}

// How many leading rows of `next` repeat the header of `previous` (all of it, or only its last rows
// such as ※ 1 2 3); 0 when none do or the column counts differ.
int repeated_header_rows(const core::Table& previous, const core::Table& next) {
  int skip = 0;
  if (next.n_cols == previous.n_cols && previous.header_rows > 0) {
    const std::vector<std::string> header =
        detail::header_signature(previous, previous.header_rows);
    const std::vector<std::string> leading =
        detail::header_signature(next, std::min(previous.header_rows, next.n_rows));
    const auto width = static_cast<std::ptrdiff_t>(previous.n_cols);
    for (int k = static_cast<int>(leading.size() / previous.n_cols); k > 0 && skip == 0; --k) {
      const auto rows = std::vector<std::string>(leading.begin(), leading.begin() + k * width);
      const bool same_start = same_header_rows(rows, header.begin());
      const bool same_end = same_header_rows(rows, header.end() - k * width);
      if (same_start || same_end) skip = k;
    }
    // Headers set without rules wrap differently on each page (a title cut after other words), so
    // their rows do not pair up; the column-number row (※ 1 2 3) repeated as the last header row
    // still marks the whole header of `next` as repeated.
    if (skip == 0 && next.header_rows > 0 && numbered_header(previous)) {
      const std::vector<std::string> own = detail::header_signature(next, next.header_rows);
      if (same_header_rows(std::vector<std::string>(own.end() - width, own.end()),
                           header.end() - width))
        skip = next.header_rows;
    }
  }
  return skip;
}

void append(core::Table& previous, core::Table next, const std::vector<int>& column_map) {
  // A repeated header is dropped, row for row as it matches the header of the table it continues;
  // a continuation without one keeps all rows.
  const int skip = repeated_header_rows(previous, next);
  const int offset = previous.n_rows - skip;
  // A border inside a column of `previous` joins the cells on both sides of it into one.
  const auto border_left = [&](int b) {
    while (column_map[static_cast<std::size_t>(b)] == kInsideColumn) --b;
    return column_map[static_cast<std::size_t>(b)];
  };
  const auto border_right = [&](int b) {
    while (column_map[static_cast<std::size_t>(b)] == kInsideColumn) ++b;
    return column_map[static_cast<std::size_t>(b)];
  };
  std::map<std::pair<int, int>, std::size_t> placed;  // (row, col) → index in previous.cells
  for (core::Cell& cell : next.cells) {
    if (cell.row < skip) continue;
    const int col_end = border_right(cell.col + cell.colspan);
    cell.col = border_left(cell.col);
    cell.colspan = col_end - cell.col;
    cell.row += offset;
    const auto [it, fresh] = placed.emplace(std::pair{cell.row, cell.col}, previous.cells.size());
    if (!fresh) {  // the other part of a split cell
      core::Cell& whole = previous.cells[it->second];
      whole.text = core::normalize_space(whole.text + " " + cell.text);
      whole.box.x0 = std::min(whole.box.x0, cell.box.x0);
      whole.box.x1 = std::max(whole.box.x1, cell.box.x1);
      whole.colspan = std::max(whole.colspan, cell.colspan);
      continue;
    }
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
    if (!joined.empty() && first_here && previous_was_last &&
        continues(joined.back(), page_tables[i])) {
      // A split cell is allowed only on a bare continuation (no header of its own) of a list:
      // 绩效目标表 forms print one project per page, and a page whose cells are cut otherwise is
      // the next project's form, not more rows of this one.
      const bool allow_inside =
          page_tables[i].header_rows == 0 && joined.back().title.find("绩效") == std::string::npos;
      auto map = map_columns(column_borders(joined.back(), joined.back().pages.back()),
                             column_borders(page_tables[i], page_of[i]), allow_inside);
      // Borders found from the text (a table printed without rules) move with the words on each
      // page; a repeated column-number row with the same columns says the table goes on all the
      // same (a repeated row of column titles alone does not: statistics print table after table
      // under the same titles).
      if (!map && numbered_header(joined.back()) &&
          repeated_header_rows(joined.back(), page_tables[i]) > 0) {
        map.emplace(static_cast<std::size_t>(page_tables[i].n_cols) + 1);
        for (std::size_t k = 0; k < map->size(); ++k) (*map)[k] = static_cast<int>(k);
      }
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
    return std::none_of(table.cells.begin(), table.cells.end(),
                        [](const core::Cell& c) { return c.read.has_value(); });
  });
  for (std::size_t i = 0; i < joined.size(); ++i) joined[i].id = static_cast<int>(i);
  return joined;
}

}  // namespace tally::layout
