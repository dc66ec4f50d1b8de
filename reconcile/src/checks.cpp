// check_identities: every identity of the templates, the generic ones (code hierarchy, total rows,
// two-sided tables) and the ones discovered from the data (column sums), within and across tables.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>

#include "internal.h"
#include "tally/core/text.h"
#include "tally/reconcile/reconcile.h"
#include "tally/reconcile/search.h"

namespace tally::reconcile {

using core::ColumnRole;
using core::RowRole;

namespace detail {

// Σ coefficient × value, tolerance from rounding, status. `use_value`: after repair.
namespace {
// Grid indexes of the document's tables, rebuilt when the tables change shape.
thread_local std::vector<std::vector<int>> g_grids;
thread_local std::vector<const core::Cell*> g_firsts;

const core::Cell* cell_of(const core::Document& document, const core::CellRef& ref) {
  const std::size_t t = static_cast<std::size_t>(ref.table);
  if (g_grids.size() != document.tables.size() || g_firsts.size() != document.tables.size() ||
      (t < g_firsts.size() &&
       (document.tables[t].cells.empty() ? nullptr : &document.tables[t].cells.front()) !=
           g_firsts[t]) ||
      g_grids[t].size() !=
          static_cast<std::size_t>(document.tables[t].n_rows) * document.tables[t].n_cols) {
    g_grids.clear();
    g_firsts.clear();
    for (const core::Table& table : document.tables) {
      g_grids.push_back(table.grid_index());
      g_firsts.push_back(table.cells.empty() ? nullptr : &table.cells.front());
    }
  }
  const core::Table& table = document.tables[t];
  if (ref.row < 0 || ref.row >= table.n_rows || ref.col < 0 || ref.col >= table.n_cols)
    return nullptr;
  const int index = g_grids[t][static_cast<std::size_t>(ref.row) * table.n_cols + ref.col];
  return index < 0 ? nullptr : &table.cells[static_cast<std::size_t>(index)];
}
}  // namespace

void reset_grid_cache() {
  g_grids.clear();
  g_firsts.clear();
}

void evaluate(core::Document& document, core::Check& check, bool use_value) {
  int decimals = 0;
  std::vector<Units> units;
  for (const core::Term& t : check.terms) {
    units.push_back(amount_of(cell_of(document, t.cell), use_value));
    decimals = std::max(decimals, units.back().decimals);
  }
  std::int64_t residual = 0, half_units = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    std::int64_t scale = 1;
    for (int k = units[i].decimals; k < decimals; ++k) scale *= 10;
    residual += check.terms[i].coefficient * units[i].units * scale;
    // A printed non-zero value stands for [v − ½u, v + ½u] of its own unit u.
    if (units[i].present && units[i].units != 0) half_units += scale;
  }
  check.decimals = decimals;
  check.residual = residual;
  check.tolerance = half_units / 2;

  const std::int64_t a = residual < 0 ? -residual : residual;
  check.status = a == 0                 ? core::CheckStatus::Held
                 : a <= check.tolerance ? core::CheckStatus::HeldRounding
                                        : core::CheckStatus::Broken;
}

}  // namespace detail

namespace {

using detail::squash;

struct Builder {
  core::Document& document;
  std::set<std::vector<std::tuple<int, int, int, int>>> seen;

  std::string table_name(const core::Table& t) const {
    return t.number ? "表" + std::to_string(*t.number) : "表「" + t.title + "」";
  }
  std::string row_name(const core::Table& t, int r) const {
    const core::RowInfo& info = t.rows[r];
    std::string s = info.code ? info.code->joined() + " " : "";
    s += info.label.empty() ? "行 " + std::to_string(r) : info.label;
    return s;
  }
  std::string col_name(const core::Table& t, int c) const {
    const std::vector<std::string> segs = detail::path_segments(t.columns[c].header_path);
    return segs.empty() ? "列 " + std::to_string(c) : t.columns[c].header_path;
  }
  bool has_number(const core::Table& t, int r, int c) const {
    const core::Cell* cell = t.cell_at(r, c);
    return cell && cell->read;
  }
  // total = Σ parts; added when some term prints a number.
  void add(int table_total, int rt, int ct, const std::vector<core::CellRef>& parts,
           const std::string& id, const std::string& kind, const std::string& origin,
           const std::string& description) {
    std::vector<core::Term> terms;
    terms.push_back({{table_total, rt, ct}, -1});
    for (const core::CellRef& p : parts) terms.push_back({p, 1});
    bool any = false;
    std::vector<std::tuple<int, int, int, int>> key;
    for (const core::Term& t : terms) {
      const core::Table& table = document.tables[t.cell.table];
      const core::Cell* cell = table.cell_at(t.cell.row, t.cell.col);
      if (!cell) return;  // a position no cell covers: nothing to check
      any = any || cell->read.has_value();
      key.emplace_back(t.cell.table, t.cell.row, t.cell.col, t.coefficient);
    }
    if (!any) return;
    std::sort(key.begin(), key.end());
    if (!seen.insert(key).second) return;
    core::Check check;
    check.id = id;
    check.kind = kind;
    check.origin = origin;
    check.description = description;
    check.terms = std::move(terms);
    document.checks.push_back(std::move(check));
  }
};

// Column selector → column index (amount columns only); nearest left of `before` when several fit.
int find_column(const core::Table& table, const std::string& selector,
                const std::vector<int>& within, int before = 1 << 30) {
  int found = -1;
  for (int c : within)
    if (detail::path_matches(table.columns[c].header_path, selector) && c < before)
      found = found < 0 || c > found ? c : found;
  if (found >= 0 || before == (1 << 30)) return found;
  for (int c : within)
    if (detail::path_matches(table.columns[c].header_path, selector)) return c;
  return -1;
}

std::string strip_qizhong(const std::string& label) {
  std::string s = squash(label);
  for (const char* p : {"其中:", "其中："})
    if (s.rfind(p, 0) == 0) s = s.substr(std::string(p).size());
  if (s.rfind("其中", 0) == 0) s = s.substr(std::string("其中").size());
  return s;
}

int find_row(const core::Table& table, const std::string& selector) {
  std::size_t start = 0;
  while (start <= selector.size()) {
    const std::size_t bar = selector.find('|', start);
    const std::string alt =
        squash(selector.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    for (int r = table.header_rows; r < table.n_rows; ++r)
      if (!alt.empty() && strip_qizhong(table.rows[r].label).rfind(alt, 0) == 0) return r;
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return -1;
}

int total_row(const core::Table& table) {
  for (int r = table.header_rows; r < table.n_rows; ++r)
    if (table.rows[r].role == RowRole::Total) return r;
  return -1;
}

std::int64_t units_at(const core::Table& table, int r, int c) {
  const detail::Units u = detail::amount_of(table.cell_at(r, c), false);
  std::int64_t v = u.units;
  for (int k = u.decimals; k < 6; ++k) v *= 10;
  return v;
}

// ---- within one table ----

void hierarchy_checks(Builder& b, const core::Table& t, const detail::TableShape& shape) {
  const std::string name = b.table_name(t);
  std::map<int, std::vector<int>> children;
  for (int r = t.header_rows; r < t.n_rows; ++r)
    if (t.rows[r].parent_row >= 0 && t.rows[r].role != RowRole::Note &&
        t.rows[r].role != RowRole::Total)
      children[t.rows[r].parent_row].push_back(r);
  for (const auto& [parent, kids] : children) {
    const bool is_total = t.rows[parent].role == RowRole::Total;
    for (int c : shape.amount_cols) {
      std::vector<core::CellRef> parts;
      for (int k : kids) parts.push_back({t.id, k, c});
      const std::string id =
          "t" + std::to_string(t.id) +
          (is_total ? ".total.c" : ".hierarchy.r" + std::to_string(parent) + ".c") +
          std::to_string(c);
      const std::string what = is_total
                                   ? name + " " + b.col_name(t, c) + "：" + b.row_name(t, parent) +
                                         " = 各" + (kids.size() == 1 ? "行" : "顶层行") + "之和（" +
                                         std::to_string(kids.size()) + " 行）"
                                   : name + " " + b.col_name(t, c) + "：" + b.row_name(t, parent) +
                                         " = 其下级 " + std::to_string(kids.size()) + " 行之和";
      b.add(t.id, parent, c, parts, id, is_total ? "total" : "hierarchy", "generic", what);
    }
  }
}

void column_sum_check(Builder& b, const core::Table& t, int total_col,
                      const std::vector<int>& parts, const std::string& origin) {
  std::string what = b.table_name(t) + " 每行：" + b.col_name(t, total_col) + " =";
  for (std::size_t i = 0; i < parts.size(); ++i)
    what += (i ? " + " : " ") + b.col_name(t, parts[i]);
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    if (t.rows[r].role == RowRole::Header || t.rows[r].role == RowRole::Numbering) continue;
    std::vector<core::CellRef> refs;
    for (int p : parts) refs.push_back({t.id, r, p});
    b.add(t.id, r, total_col, refs,
          "t" + std::to_string(t.id) + ".r" + std::to_string(r) + ".colsum.c" +
              std::to_string(total_col),
          "column_sum", origin, what + "（" + b.row_name(t, r) + "）");
  }
}

// Rows on which a sum found from the data must add at least two printed numbers.
constexpr int kMinAddingRows = 1;

// Columns that are the sum of others on nearly every row, found from the data.
void discover_column_sums(Builder& b, const core::Table& t, const std::vector<int>& cols,
                          std::set<int>& covered) {
  std::vector<int> live;
  for (int c : cols) {
    bool any = false;
    for (int r = t.header_rows; r < t.n_rows && !any; ++r) any = units_at(t, r, c) != 0;
    if (any) live.push_back(c);
  }
  for (std::size_t j = 0; j < live.size(); ++j) {
    const int total = live[j];
    if (covered.count(total)) continue;
    std::vector<int> right(live.begin() + static_cast<long>(j) + 1, live.end());
    if (right.size() < 2 || right.size() > 14) continue;
    int best_mask = 0, best_size = 99, best_hold = 0;
    const int n = static_cast<int>(right.size());
    for (int mask = 1; mask < (1 << n); ++mask) {
      const int size = __builtin_popcount(static_cast<unsigned>(mask));
      if (size < 2 || size > best_size) continue;
      int hold = 0, fail = 0, adds = 0;
      for (int r = t.header_rows; r < t.n_rows; ++r) {
        if (t.rows[r].role == RowRole::Header || t.rows[r].role == RowRole::Numbering) continue;
        const std::int64_t tv = units_at(t, r, total);
        if (tv == 0) continue;
        std::int64_t sum = 0;
        int k = 1;
        for (int i = 0; i < n; ++i)
          if (mask >> i & 1) {
            const std::int64_t v = units_at(t, r, right[i]);
            sum += v;
            k += v != 0;
          }
        const std::int64_t d = sum > tv ? sum - tv : tv - sum;
        if (d * 2 <= 10000 * static_cast<std::int64_t>(k)) {
          ++hold;  // ⌊k/2⌋ hundredths (units of 1e-6)
          adds += k > 2;
        } else {
          ++fail;
        }
        if (fail * 4 > hold + fail && hold + fail > 4) break;
      }
      // Rows where one part alone equals the total (the others blank or 0) show two equal
      // columns, not a sum: at least one row must add two numbers (54249f10: 中央 = 中央 on every
      // row where the other fund is 0, so 贴息/中央 = 示范区/小计 + 合计/中央 held there by
      // chance).
      if (hold >= 3 && adds >= kMinAddingRows && fail * 4 <= hold + fail &&
          (size < best_size || hold > best_hold)) {
        best_mask = mask;
        best_size = size;
        best_hold = hold;
      }
    }
    if (!best_mask) continue;
    std::vector<int> parts;
    for (int i = 0; i < n; ++i)
      if (best_mask >> i & 1) parts.push_back(right[i]);
    column_sum_check(b, t, total, parts, "discovered");
    covered.insert(total);
  }
}

bool starts_roman(const std::string& label) {
  const std::u32string s = core::utf8_to_u32(squash(label));
  std::size_t i = 0;
  while (i < s.size() &&
         std::u32string_view(U"一二三四五六七八九十").find(s[i]) != std::u32string_view::npos)
    ++i;
  return i > 0 && i < s.size() && (s[i] == U'、' || s[i] == U'.' || s[i] == U'，');
}
bool starts_number(const std::string& label) {
  const std::string s = squash(label);
  std::size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || i >= s.size()) return false;
  return s[i] == '.' || s.compare(i, 3, "、") == 0;
}

// How a label is numbered: 0 not, 1 一、, 2 1. or 1、, 3 (1).
int numbering_style(const std::string& label) {
  if (starts_roman(label)) return 1;
  if (starts_number(label)) return 2;
  const std::string s = squash(label);
  if (s.size() > 1 && s[0] == '(' && std::isdigit(static_cast<unsigned char>(s[1]))) return 3;
  return 0;
}

// 表 1 / 表 4: income items on the left, expenditure by class on the right.
void two_sided_checks(Builder& b, const core::Table& t, const detail::TableShape& shape) {
  const detail::Side& a = shape.sides[0];
  const detail::Side& s = shape.sides[1];
  const std::string name = b.table_name(t);
  const auto label = [&](int r, int col) { return squash(detail::text_at(t, r, col)); };
  int in_total = -1, out_total = -1, out_subtotal = -1, in_subtotal = -1;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    const std::string la = label(r, a.label_col), lb = label(r, s.label_col);
    if (la == "收入总计" || (in_total < 0 && la == "总计")) in_total = r;
    if (la.find("本年收入合计") != std::string::npos && in_subtotal < 0) in_subtotal = r;
    if (lb == "支出总计" || (out_total < 0 && lb == "总计")) out_total = r;
    if (lb == "本年支出合计") out_subtotal = r;
  }
  // Left: 收入总计 = Σ 一、二、…; each 一、 = its numbered parts (or its plain rows).
  if (!a.amount_cols.empty()) {
    // The income items sum to 本年收入合计 where one is printed, else to 收入总计.
    const int in_sum = in_subtotal >= 0 ? in_subtotal : in_total;
    std::vector<int> roman;
    for (int r = t.header_rows; r < (in_sum >= 0 ? in_sum : t.n_rows); ++r)
      if (starts_roman(detail::text_at(t, r, a.label_col))) roman.push_back(r);
    const auto summary = [&](int r) {
      const std::string l = label(r, a.label_col);
      return l.find("合计") != std::string::npos || l.find("总计") != std::string::npos ||
             l.find("结余") != std::string::npos || l.find("结转") != std::string::npos;
    };
    for (int c : a.amount_cols) {
      if (in_sum >= 0 && !roman.empty()) {
        std::vector<core::CellRef> parts;
        for (int r : roman) parts.push_back({t.id, r, c});
        b.add(t.id, in_sum, c, parts,
              "t" + std::to_string(t.id) + ".income.total.c" + std::to_string(c), "two_sided",
              "generic", name + " " + label(in_sum, a.label_col) + " = 各大项（一、二、…）之和");
      }
      for (std::size_t i = 0; i < roman.size(); ++i) {
        const int end = i + 1 < roman.size() ? roman[i + 1] : (in_sum >= 0 ? in_sum : t.n_rows);
        std::vector<int> numbered, plain;
        bool stop = false;
        for (int r = roman[i] + 1; r < end; ++r) {
          const std::string l = detail::text_at(t, r, a.label_col);
          if (squash(l).empty()) continue;
          if (starts_number(l))
            numbered.push_back(r);
          else if (summary(r) && !i)
            stop = true;
          else if (squash(l).rfind("其中", 0) != 0)
            plain.push_back(r);
          if (summary(r) && starts_roman(l) == false && !starts_number(l)) stop = true;
        }
        if (stop) plain.clear();
        const std::vector<int>& kids = numbered.empty() ? plain : numbered;
        if (kids.empty() || (!numbered.empty() && kids.size() < 1)) continue;
        if (numbered.empty() && plain.size() > 6)
          continue;  // plain rows are parts only in short blocks
        std::vector<core::CellRef> parts;
        for (int r : kids) parts.push_back({t.id, r, c});
        b.add(t.id, roman[i], c, parts,
              "t" + std::to_string(t.id) + ".income.r" + std::to_string(roman[i]) + ".c" +
                  std::to_string(c),
              "two_sided", "generic",
              name + " " + detail::text_at(t, roman[i], a.label_col) + " = 其各项之和");
      }
    }
  }
  // Right: 支出总计 (or 本年支出合计) = Σ the classes.
  const int sum_row = out_subtotal >= 0 ? out_subtotal : out_total;
  if (sum_row >= 0) {
    std::vector<int> classes;
    bool others = false;
    // The classes are the coded rows, or where no row carries a code, the rows numbered 一、二、…
    // (收支总表 of many cities: "二十三、灾害防治及应急管理支出").
    const bool coded = std::any_of(t.rows.begin() + t.header_rows, t.rows.begin() + sum_row,
                                   [](const core::RowInfo& info) { return info.code.has_value(); });
    for (int r = t.header_rows; r < sum_row; ++r) {
      if (coded ? t.rows[r].code.has_value() : starts_roman(detail::text_at(t, r, s.label_col)))
        classes.push_back(r);
      else if (!label(r, s.label_col).empty())
        for (int c : s.amount_cols) others = others || units_at(t, r, c) != 0;
    }
    if (!classes.empty() && !others)
      for (int c : s.amount_cols) {
        std::vector<core::CellRef> parts;
        for (int r : classes) parts.push_back({t.id, r, c});
        b.add(
            t.id, sum_row, c, parts,
            "t" + std::to_string(t.id) + ".expense.total.c" + std::to_string(c), "two_sided",
            "generic",
            name + " " + b.col_name(t, c) + "：" + label(sum_row, s.label_col) + " = 各类支出之和");
      }
  }
  // 收入总计 = 本年收入合计 + the rows between them (上年结转结余 …); 支出总计 likewise
  // (年终结转结余).
  const auto carried = [&](const detail::Side& side, int subtotal, int total, const char* what) {
    if (subtotal < 0 || total <= subtotal) return;
    // The rows between are items (上年结转结余 …), or numbered parts of the item above them
    // (1.财政拨款结余、结转), or 其中 rows: only the items add to the total; each item = its parts.
    std::vector<int> rows{subtotal};
    std::map<int, std::vector<int>> parts_of;
    int item = -1;
    for (int r = subtotal + 1; r < total; ++r) {
      const std::string l = label(r, side.label_col);
      if (l.empty() || l.rfind("其中", 0) == 0) continue;
      // A row numbered in another style than its item (1. / (1) / 一、 under 上年结转结余) is
      // one of its parts.
      if (item >= 0 && numbering_style(l) != 0 &&
          numbering_style(l) != numbering_style(label(item, side.label_col))) {
        parts_of[item].push_back(r);
        continue;
      }
      rows.push_back(r);
      item = r;
    }
    for (int c : side.amount_cols) {
      std::vector<core::CellRef> parts;
      for (int r : rows) parts.push_back({t.id, r, c});
      b.add(t.id, total, c, parts,
            "t" + std::to_string(t.id) + "." + what + ".carried.c" + std::to_string(c), "two_sided",
            "generic",
            name + " " + label(total, side.label_col) + " = " + label(subtotal, side.label_col) +
                " + 结转结余");
      for (const auto& [head, kids] : parts_of) {
        std::vector<core::CellRef> refs;
        for (int r : kids) refs.push_back({t.id, r, c});
        b.add(t.id, head, c, refs,
              "t" + std::to_string(t.id) + "." + what + ".carried.r" + std::to_string(head) + ".c" +
                  std::to_string(c),
              "two_sided", "generic", name + " " + label(head, side.label_col) + " = 其各项之和");
      }
    }
  };
  carried(a, in_subtotal, in_total, "income");
  carried(s, out_subtotal, out_total, "expense");
  if (in_total >= 0 && out_total >= 0 && !a.amount_cols.empty() && !s.amount_cols.empty())
    b.add(t.id, in_total, a.amount_cols[0], {{t.id, out_total, s.amount_cols[0]}},
          "t" + std::to_string(t.id) + ".balance", "two_sided", "generic",
          name + " 收入总计 = 支出总计");
}

// Candidates per misread cell tried when a total read from a scan fails by one misread.
constexpr std::size_t kCandidatesPerCell = 40;

// In micro units (6 decimals), as units_at.
std::int64_t micro(const core::Amount& a) {
  std::int64_t v = a.units;
  for (int k = a.decimals; k < 6; ++k) v *= 10;
  return v;
}

// A sum over cells read by OCR that fails by what one plausible misread of one of its cells
// explains (合计 35.678 over nine rows, one 7.9 read as 79): the sum is the table's, and the
// misread is the repair step's question. Trusted cells are never the misread.
bool one_misread_explains(const core::Table& t, int total_row, const std::vector<int>& rows,
                          int c) {
  std::int64_t residual = -units_at(t, total_row, c);
  int k = 1;
  for (int r : rows) {
    residual += units_at(t, r, c);
    k += units_at(t, r, c) != 0;
  }
  std::vector<std::pair<int, int>> terms{{total_row, -1}};
  for (int r : rows) terms.emplace_back(r, 1);
  for (const auto& [r, coefficient] : terms) {
    const core::Cell* cell = t.cell_at(r, c);
    if (!cell || !cell->read || !detail::is_untrusted(*cell)) continue;
    const std::vector<Candidate> candidates =
        misread_candidates(*cell->read, cell->alternatives, cell->confidence, cell->read->decimals);
    for (std::size_t i = 0; i < candidates.size() && i < kCandidatesPerCell; ++i) {
      const std::int64_t d =
          residual + coefficient * (micro(candidates[i].value) - micro(*cell->read));
      const std::int64_t unit = [&] {
        std::int64_t u = 1;
        for (int x = std::max(cell->read->decimals, candidates[i].value.decimals); x < 6; ++x)
          u *= 10;
        return u;
      }();
      if ((d < 0 ? -d : d) * 2 <= unit * k) return true;
    }
  }
  return false;
}

// Totals of tables without codes: the total row is the sum of the rows below it (or of one unit row
// that itself sums the rest), when that holds in nearly every column.
void uncoded_total_checks(Builder& b, const core::Table& t, const detail::TableShape& shape,
                          std::set<int>& summed_rows) {
  const int total = total_row(t);
  if (total < 0 || shape.amount_cols.empty()) return;
  for (int r = t.header_rows; r < t.n_rows; ++r)
    if (t.rows[r].code) return;
  std::vector<int> rows;
  for (int r = t.header_rows; r < t.n_rows; ++r)
    if (r != total && t.rows[r].role == RowRole::Detail && t.rows[r].parent_row < 0 &&
        !summed_rows.count(r))
      rows.push_back(r);
  if (rows.empty()) return;
  const auto holds = [&](int tr, const std::vector<int>& parts) {
    int hold = 0, fail = 0;
    for (int c : shape.amount_cols) {
      std::int64_t sum = 0;
      int k = 1;
      for (int r : parts) {
        sum += units_at(t, r, c);
        k += units_at(t, r, c) != 0;
      }
      const std::int64_t tv = units_at(t, tr, c);
      if (tv == 0 && sum == 0) continue;
      const std::int64_t d = sum > tv ? sum - tv : tv - sum;
      (d * 2 <= 10000 * static_cast<std::int64_t>(k) || one_misread_explains(t, tr, parts, c)
           ? hold
           : fail)++;
    }
    return hold >= 1 && fail * 4 <= hold + fail;
  };
  // Read by OCR, the printed 合计 row is the statement (its sum was accepted above only by
  // holding, or by missing by one plausible misread): a source error must then cost as much as for
  // any printed total, or a lost decimal point (79 for 7.9) would be left as the document's fault.
  const bool scanned = std::any_of(t.cells.begin(), t.cells.end(), [](const core::Cell& cell) {
    return cell.read && detail::is_untrusted(cell);
  });
  const auto emit = [&](int tr, const std::vector<int>& parts, const std::string& tag) {
    for (int c : shape.amount_cols) {
      std::vector<core::CellRef> refs;
      for (int r : parts) refs.push_back({t.id, r, c});
      b.add(t.id, tr, c, refs, "t" + std::to_string(t.id) + "." + tag + ".c" + std::to_string(c),
            "total", scanned ? "generic" : "discovered",
            b.table_name(t) + " " + b.col_name(t, c) + "：" + b.row_name(t, tr) + " = 其下 " +
                std::to_string(parts.size()) + " 行之和");
    }
  };
  if (rows.size() >= 2 && holds(total, rows)) {
    emit(total, rows, "rows");
    return;
  }
  if (rows.size() >= 2) {
    const std::vector<int> rest(rows.begin() + 1, rows.end());
    if (holds(total, {rows[0]}) && holds(rows[0], rest)) {
      emit(total, {rows[0]}, "unit");
      emit(rows[0], rest, "unitrows");
    }
  }
}

void table_checks(Builder& b, const core::Table& t, const detail::Templates& templates) {
  const detail::TableShape shape = detail::shape_of(t);
  std::set<int> covered;      // total columns with a template relation
  std::set<int> summed_rows;  // rows given a template row sum
  const detail::Template* tpl = nullptr;
  for (const detail::Template& x : templates.tables)
    if (x.kind == t.kind) tpl = &x;
  const std::vector<std::vector<int>> groups =
      shape.sides.empty()
          ? std::vector<std::vector<int>>{shape.amount_cols}
          : std::vector<std::vector<int>>{shape.sides[0].amount_cols, shape.sides[1].amount_cols};
  // Column sums the header states and the numbers confirm: total column → parts, per side. Where a
  // template names other parts for the same total, the confirmed reading wins (a 收入总表 with more
  // income columns than the template knows); where it names the same ones, the template's stays.
  std::map<int, std::vector<int>> from_header;
  for (const std::vector<int>& cols : groups)
    for (const detail::ColumnRelation& rel : detail::header_column_sums(t, cols))
      from_header[rel.total] = rel.parts;
  // The column-number row's formulas (5=6+7) state their sums outright.
  std::set<int> from_formula;
  for (const detail::ColumnRelation& rel : detail::formula_column_sums(t)) {
    from_header[rel.total] = rel.parts;
    from_formula.insert(rel.total);
  }
  // Template relations that could not be placed: reported as not checked unless another relation
  // covers their total column.
  std::vector<std::pair<std::vector<int>, std::string>> unplaced;  // columns found, description
  const std::size_t first_check = b.document.checks.size();
  if (tpl) {
    for (const detail::ColumnSum& cs : tpl->column_sums) {
      // Two-sided tables: a relation of one side is not missing from the other.
      std::optional<std::pair<std::vector<int>, std::string>> missed;
      bool placed = false;
      for (const std::vector<int>& cols : groups) {
        std::vector<int> parts;
        bool ok = true;
        if (cs.parts.size() == 1 && cs.parts[0] == "*") {  // every amount column right of the total
          const int total = find_column(t, cs.total, cols);
          if (total < 0) continue;
          for (int c : cols)
            if (c > total) parts.push_back(c);
          if (parts.empty()) continue;
          column_sum_check(b, t, total, parts, "template");
          covered.insert(total);
          continue;
        }
        std::string missing;
        for (const std::string& p : cs.parts) {
          const int c = find_column(t, p, cols);
          if (c < 0) {
            ok = false;
            missing += (missing.empty() ? "" : "、") + p.substr(0, p.find('|'));
          }
          parts.push_back(c);
        }
        const int total =
            ok ? find_column(t, cs.total, cols, *std::min_element(parts.begin(), parts.end()))
               : find_column(t, cs.total, cols);
        if (!ok || total < 0 || std::find(parts.begin(), parts.end(), total) != parts.end()) {
          if (cols.empty()) continue;
          std::string what = cs.total.substr(0, cs.total.find('|')) + " =";
          for (std::size_t i = 0; i < cs.parts.size(); ++i)
            what += (i ? " + " : " ") + cs.parts[i].substr(0, cs.parts[i].find('|'));
          std::vector<int> found;
          for (int c : parts)
            if (c >= 0) found.push_back(c);
          if (total >= 0) found.push_back(total);
          if (!missed)
            missed.emplace(found, what + "：未找到列 " +
                                      (ok ? cs.total.substr(0, cs.total.find('|')) : missing));
          continue;
        }
        placed = true;
        if (const auto h = from_header.find(total); h != from_header.end()) {
          std::vector<int> a = parts, c = h->second;
          std::sort(a.begin(), a.end());
          std::sort(c.begin(), c.end());
          if (a != c) continue;  // the header's confirmed reading is checked instead
          from_header.erase(h);
        }
        column_sum_check(b, t, total, parts, "template");
        covered.insert(total);
      }
      if (missed && !placed) unplaced.push_back(*missed);
    }
    for (const detail::RowSum& rs : tpl->row_sums) {
      const int total = find_row(t, rs.total);
      std::vector<int> rows;
      for (const std::string& p : rs.parts) {
        const int r = find_row(t, p);
        if (r < 0 || r == total) {
          rows.clear();
          break;
        }
        rows.push_back(r);
      }
      if (total < 0 || rows.empty()) continue;
      for (int r : rows) summed_rows.insert(r);
      for (int c : shape.amount_cols) {
        std::vector<core::CellRef> refs;
        for (int r : rows) refs.push_back({t.id, r, c});
        b.add(t.id, total, c, refs,
              "t" + std::to_string(t.id) + ".rowsum.r" + std::to_string(total) + ".c" +
                  std::to_string(c),
              "total", "template",
              b.table_name(t) + " " + b.col_name(t, c) + "：" + b.row_name(t, total) + " = " +
                  std::to_string(rows.size()) + " 项之和");
      }
    }
  }
  for (const auto& [total, parts] : from_header) {
    column_sum_check(b, t, total, parts, from_formula.count(total) ? "generic" : "discovered");
    covered.insert(total);
  }
  for (const std::vector<int>& cols : groups) discover_column_sums(b, t, cols, covered);
  // A known kind whose identity's columns are not all printed: said, never reported broken —
  // unless the columns it found are all in column sums read otherwise (小计 | 其中：基本支出 |
  // 项目支出 checked from the header where the template names 合计), or, finding none, the
  // table's amount columns are.
  std::set<int> related;
  for (std::size_t i = first_check; i < b.document.checks.size(); ++i)
    if (b.document.checks[i].kind == "column_sum")
      for (const core::Term& term : b.document.checks[i].terms) related.insert(term.cell.col);
  const bool any_amount = std::any_of(t.cells.begin(), t.cells.end(), [&](const core::Cell& c) {
    return c.row >= t.header_rows && c.read.has_value();
  });
  const auto is_related = [&](int c) { return related.count(c) > 0; };
  if (any_amount)  // an empty table has nothing to check, nothing left unchecked
    for (const auto& [found, what] : unplaced) {
      const bool elsewhere = found.empty() ? std::any_of(shape.amount_cols.begin(),
                                                         shape.amount_cols.end(), is_related)
                                           : std::all_of(found.begin(), found.end(), is_related);
      if (!elsewhere)
        b.document.warn(t.pages.empty() ? 0 : t.pages.front(), "identity_not_checked",
                        (t.number ? b.table_name(t) + "「" + t.title + "」" : b.table_name(t)) +
                            " " + what + "，此恒等式未检查");
    }
  // Two lists side by side (人员经费 | 公用经费): each half summed on its own side.
  if (const std::vector<detail::Half> halves = detail::halves_of(t); !halves.empty()) {
    for (const detail::HalfSum& s : detail::half_sums(t, halves)) {
      std::vector<core::CellRef> parts;
      for (const auto& [r, c] : s.parts) parts.push_back({t.id, r, c});
      const bool is_class =
          s.what.size() == 3 &&
          std::all_of(s.what.begin(), s.what.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
      b.add(t.id, s.total.first, s.total.second, parts,
            "t" + std::to_string(t.id) + ".half.r" + std::to_string(s.total.first) + ".c" +
                std::to_string(s.total.second),
            is_class ? "hierarchy" : "total", "generic",
            b.table_name(t) + " " + b.col_name(t, s.total.second) + "（" +
                (s.total.second < t.n_cols / 2 ? "左" : "右") + "半）：" + s.what + " = " +
                (is_class ? "其下级 " : "各类 ") + std::to_string(parts.size()) + " 行之和");
    }
    return;
  }
  if (shape.sides.size() == 2) {
    two_sided_checks(b, t, shape);
    return;
  }
  hierarchy_checks(b, t, shape);
  if (summed_rows.empty()) uncoded_total_checks(b, t, shape, summed_rows);
}

// Columns whose numbers no identity above reaches: rows nested without codes, found from the
// numbers (number_tree.cpp). Only sums that reach a cell nothing else checks are added.
void number_tree_checks(Builder& b, const core::Table& t) {
  std::set<std::pair<int, int>> covered;
  for (const core::Check& check : b.document.checks)
    for (const core::Term& term : check.terms)
      if (term.cell.table == t.id) covered.emplace(term.cell.row, term.cell.col);
  std::map<int, int> open;  // column → body cells with a number no check reaches
  for (const core::Cell& cell : t.cells)
    if (cell.row >= t.header_rows && cell.read && !covered.count({cell.row, cell.col}))
      ++open[cell.col];
  const std::string name = b.table_name(t);
  for (const auto& [c, n] : open) {
    if (n < 2) continue;
    for (const detail::TreeSum& s : detail::number_tree_sums(t, c)) {
      bool reaches = !covered.count({s.total_row, c});
      std::vector<core::CellRef> parts;
      for (int r : s.part_rows) {
        parts.push_back({t.id, r, c});
        reaches = reaches || !covered.count({r, c});
      }
      if (!reaches) continue;
      b.add(t.id, s.total_row, c, parts,
            "t" + std::to_string(t.id) + ".nested.r" + std::to_string(s.total_row) + ".c" +
                std::to_string(c),
            "hierarchy", "discovered",
            name + " " + b.col_name(t, c) + "：" +
                (s.label.empty() ? "行 " + std::to_string(s.total_row) : s.label) + " = 其下 " +
                std::to_string(parts.size()) + " 行之和（层次由数字推得）");
    }
  }
}

// ---- across tables ----

// The one table of a kind; none when two tables share it (a city printing the table by function
// and by economic code under one title, or once per unit): which one a cross identity means is
// then not known, and it is not checked.
const core::Table* table_of_kind(const core::Document& d, const std::string& kind) {
  const core::Table* found = nullptr;
  for (const core::Table& t : d.tables)
    if (t.kind == kind) {
      if (found) return nullptr;
      found = &t;
    }
  return found;
}

int selector_column(const core::Table& t, const detail::Selector& s, int row = -1) {
  const detail::TableShape shape = detail::shape_of(t);
  if (shape.sides.size() == 2) {
    if (!s.column.empty()) return find_column(t, s.column, shape.sides[1].amount_cols);
    if (row >= 0)  // the amount right of the label
      for (const detail::Side& side : shape.sides)
        if (!side.amount_cols.empty() &&
            detail::squash(detail::text_at(t, row, side.label_col)).find(squash(s.row)) !=
                std::string::npos)
          return side.amount_cols[0];
    return shape.sides[1].amount_cols.empty() ? -1 : shape.sides[1].amount_cols[0];
  }
  return find_column(t, s.column, shape.amount_cols);
}

int selector_row(const core::Table& t, const detail::Selector& s) {
  if (s.row == "total") return total_row(t);
  const detail::TableShape shape = detail::shape_of(t);
  const std::string want = squash(s.row);
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    if (shape.sides.size() == 2) {
      for (const detail::Side& side : shape.sides)
        if (squash(detail::text_at(t, r, side.label_col)) == want) return r;
    } else if (squash(t.rows[r].label) == want) {
      return r;
    }
  }
  return -1;
}

void cross_checks(Builder& b, const detail::Templates& templates) {
  const core::Document& d = b.document;
  for (const detail::CrossIdentity& x : templates.cross) {
    const core::Table* ta = table_of_kind(d, x.a.kind);
    const core::Table* tb = table_of_kind(d, x.b.kind);
    if (!ta || !tb || ta == tb) continue;
    if (x.by == "total") {
      const int ra = selector_row(*ta, x.a), rb = selector_row(*tb, x.b);
      if (ra < 0 || rb < 0) continue;
      const int ca = selector_column(*ta, x.a, ra), cb = selector_column(*tb, x.b, rb);
      if (ca < 0 || cb < 0) continue;
      b.add(ta->id, ra, ca, {{tb->id, rb, cb}}, "x." + x.id, "cross_table", "template",
            x.description);
    } else {
      const int ca = selector_column(*ta, x.a), cb = selector_column(*tb, x.b);
      if (ca < 0 || cb < 0) continue;
      // A code printed on several rows of a table (listed by unit, or by function and economic
      // code at once) has no one row to compare: such codes are left out.
      const auto rows_by_code = [](const core::Table& t) {
        std::map<std::string, int> rows;
        std::set<std::string> repeated;
        for (int r = t.header_rows; r < t.n_rows; ++r)
          if (t.rows[r].code && !rows.emplace(t.rows[r].code->joined(), r).second)
            repeated.insert(t.rows[r].code->joined());
        for (const std::string& code : repeated) rows.erase(code);
        return rows;
      };
      const std::map<std::string, int> rows_a = rows_by_code(*ta), rows_b = rows_by_code(*tb);
      for (int r = ta->header_rows; r < ta->n_rows; ++r) {
        if (!ta->rows[r].code) continue;
        const std::string code = ta->rows[r].code->joined();
        const auto it = rows_b.find(code);
        if (!rows_a.count(code) || it == rows_b.end()) continue;
        b.add(ta->id, r, ca, {{tb->id, it->second, cb}}, "x." + x.id + "." + code, "cross_table",
              "template", x.description + "：" + code);
      }
    }
  }
}

}  // namespace

void check_identities(core::Document& document, const Options& options) {
  const detail::Templates templates =
      detail::load_templates(detail::resolve_templates_dir(options.templates_dir));
  document.checks.clear();
  detail::reset_grid_cache();
  Builder b{document, {}};
  for (const core::Table& t : document.tables) {
    if (t.columns.size() != static_cast<std::size_t>(t.n_cols) ||
        t.rows.size() != static_cast<std::size_t>(t.n_rows))
      continue;
    table_checks(b, t, templates);
  }
  for (const core::Table& t : document.tables)
    if (t.columns.size() == static_cast<std::size_t>(t.n_cols) &&
        t.rows.size() == static_cast<std::size_t>(t.n_rows))
      number_tree_checks(b, t);
  cross_checks(b, templates);
  for (core::Check& c : document.checks) detail::evaluate(document, c, false);
  detail::doubt_layout(document);
}

}  // namespace tally::reconcile
