// Column sums read from the header and confirmed by the numbers: a 总计/合计/小计/总额 column is
// the sum of the column groups printed beside it under the same parent (a group with its own 小计
// counts by that subtotal, a group without one by its leaves; a 其中 column is a memo unless the
// sum only holds with it). Which groups belong is decided on the data: all of them, else the
// longest run from the left that adds up (a 政府采购 group printed after the funds is not part of
// 总计).
#include <algorithm>
#include <map>

#include "internal.h"

namespace tally::reconcile::detail {

namespace {

// A relation the header states in full is believed when it holds on every row (a table of zeros
// too: a misprint there would break it), or, on long tables, when it fails on at most one row in
// this many: the failing rows are then reported as a doubt about the layout (origin "discovered"),
// not as a source error. A shorter reading must hold on every row and on one that prints a number.
constexpr int kFailShareDenominator = 10;
constexpr int kMinRowsForFailures = 10;

bool is_total_word(const std::string& segment) {
  if (segment.rfind("其中", 0) == 0) return false;
  for (const char* w : {"总计", "合计", "小计", "总额"})
    if (segment.size() >= std::string(w).size() &&
        segment.compare(segment.size() - std::string(w).size(), std::string::npos, w) == 0)
      return true;
  return false;
}

bool is_digits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

// Header segments without the column numbers a ※ 1 2 3 row may leave at the end ("总计/1").
std::vector<std::string> segments(const core::Table& t, int c) {
  std::vector<std::string> s = path_segments(t.columns[c].header_path);
  while (!s.empty() && is_digits(s.back())) s.pop_back();
  return s;
}

std::int64_t scaled(const core::Table& t, int r, int c, int* nonzero) {
  const Units u = amount_of(t.cell_at(r, c), false);
  std::int64_t v = u.units;
  for (int k = u.decimals; k < 6; ++k) v *= 10;
  if (v != 0) ++*nonzero;
  return v;
}

// `whole`: the parts are every group the header names; a shorter run (groups left out) or a 其中
// column taken as a part is a reading the numbers must show, on at least one row that prints one.
bool confirmed(const core::Table& t, int total, const std::vector<int>& parts, bool whole) {
  int hold = 0, fail = 0;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    const core::RowRole role = t.rows[static_cast<std::size_t>(r)].role;
    if (role == core::RowRole::Header || role == core::RowRole::Numbering) continue;
    int k = 0;
    const std::int64_t tv = scaled(t, r, total, &k);
    std::int64_t sum = 0;
    for (int p : parts) sum += scaled(t, r, p, &k);
    if (k == 0) continue;
    const std::int64_t d = sum > tv ? sum - tv : tv - sum;
    // ⌊k/2⌋ hundredths in millionths: each printed non-zero term is ±½ of its last digit.
    (d * 2 <= 10000 * static_cast<std::int64_t>(k) ? hold : fail)++;
  }
  if (fail == 0) return whole || hold > 0;
  if (!whole) return false;
  return hold + fail >= kMinRowsForFailures && fail * kFailShareDenominator <= hold + fail;
}

}  // namespace

std::vector<ColumnRelation> header_column_sums(const core::Table& t, const std::vector<int>& cols) {
  std::vector<ColumnRelation> out;
  for (std::size_t i = 0; i < cols.size(); ++i) {
    const int total = cols[i];
    const std::vector<std::string> ts = segments(t, total);
    if (ts.empty() || !is_total_word(ts.back())) continue;
    const std::vector<std::string> prefix(ts.begin(), ts.end() - 1);
    const std::size_t depth = prefix.size();
    // The columns right of the total under the same parent, grouped by their next segment.
    std::vector<std::vector<int>> groups;
    std::string group_name;
    for (std::size_t j = i + 1; j < cols.size(); ++j) {
      const std::vector<std::string> s = segments(t, cols[j]);
      if (s.size() <= depth || !std::equal(prefix.begin(), prefix.end(), s.begin())) break;
      if (groups.empty() || s[depth] != group_name) {
        groups.emplace_back();
        group_name = s[depth];
      }
      groups.back().push_back(cols[j]);
    }
    // The columns each group adds to the total. A 其中 column is first read as a memo (a part of
    // some part, left out); where the sum only holds with it, as the start of the breakdown
    // ("小计 | 其中：基本支出 | 项目支出": 其中 heads the list of parts).
    const auto units_of = [&](bool memo_is_part) {
      std::vector<std::vector<int>> units;
      bool readable = true;
      // The columns a group adds: its own 小计 where it prints one, else its subgroups' (a group
      // printed over two header rows, 2026年预算 / 财政拨款 / 一般公共预算拨款, opens level by
      // level).
      const auto add_group = [&](const auto& self, const std::vector<int>& g,
                                 std::size_t d) -> void {
        const std::vector<std::string> head = segments(t, g.front());
        if (head[d].rfind("其中", 0) == 0 && !memo_is_part) return;
        if (head[d] == "备注" || head[d] == "说明") return;
        if (g.size() == 1) {
          units.push_back(g);
          return;
        }
        for (int c : g) {
          const std::vector<std::string> s = segments(t, c);
          if (s.size() == d + 2 && is_total_word(s.back())) {
            units.push_back({c});
            return;
          }
        }
        std::vector<std::vector<int>> subgroups;
        std::string name;
        for (int c : g) {
          const std::vector<std::string> s = segments(t, c);
          if (s.size() < d + 2) {  // a column of the group's own beside deeper ones: not read
            readable = false;
            return;
          }
          if (subgroups.empty() || s[d + 1] != name) {
            subgroups.emplace_back();
            name = s[d + 1];
          }
          subgroups.back().push_back(c);
        }
        for (const std::vector<int>& sub : subgroups) self(self, sub, d + 1);
      };
      for (const std::vector<int>& g : groups) add_group(add_group, g, depth);
      return readable ? units : std::vector<std::vector<int>>{};
    };
    bool found = false;
    for (const bool memo_is_part : {false, true}) {
      const std::vector<std::vector<int>> units = units_of(memo_is_part);
      for (std::size_t n = units.size(); n >= 1 && !found; --n) {
        std::vector<int> parts;
        for (std::size_t u = 0; u < n; ++u)
          parts.insert(parts.end(), units[u].begin(), units[u].end());
        if (parts.size() < 2) break;
        if (confirmed(t, total, parts, n == units.size() && !memo_is_part)) {
          out.push_back({total, parts});
          found = true;
        }
      }
      if (found) break;
    }
  }
  // A total group whose columns split by fund (总计/一般公共预算 | 总计/政府性基金预算 …) beside
  // item groups split the same way (因公出国(境)费/一般公共预算 …,
  // 公务用车购置及运行维护费/小计/一般公共预算): each fund's total column = that fund's column of
  // every item group (its 小计 where it has one).
  for (const int total : cols) {
    const std::vector<std::string> ts = segments(t, total);
    if (ts.size() < 2 || !is_total_word(ts[ts.size() - 2]) ||
        std::any_of(out.begin(), out.end(),
                    [&](const ColumnRelation& r) { return r.total == total; }))
      continue;
    const std::size_t k = ts.size() - 2;  // depth of the total segment
    std::vector<std::string> order;
    std::map<std::string, int> pick;  // item group → its column of this fund
    for (const int c : cols) {
      const std::vector<std::string> s = segments(t, c);
      if (c == total || s.size() < k + 2 || !std::equal(ts.begin(), ts.begin() + k, s.begin()) ||
          s[k] == ts[k] || s.back() != ts.back())
        continue;
      const bool own = s.size() == k + 2, subtotal = s.size() == k + 3 && is_total_word(s[k + 1]);
      if (!own && !subtotal) continue;
      if (!pick.count(s[k])) order.push_back(s[k]);
      if (!pick.count(s[k]) || subtotal) pick[s[k]] = c;
    }
    std::vector<int> parts;
    for (const std::string& g : order) parts.push_back(pick[g]);
    std::sort(parts.begin(), parts.end());
    if (parts.size() >= 2 && confirmed(t, total, parts, true)) out.push_back({total, parts});
  }
  return out;
}

}  // namespace tally::reconcile::detail

namespace tally::reconcile::detail {

namespace {

// "12" → 12; anything else → -1.
int column_number(const std::string& s) {
  if (!is_digits(s) || s.size() > 3) return -1;
  return std::stoi(s);
}

}  // namespace

std::vector<ColumnRelation> formula_column_sums(const core::Table& t) {
  std::vector<ColumnRelation> out;
  for (int r = 0; r < std::min(t.n_rows, t.header_rows + 1); ++r) {
    // Per column: its number, and the numbers its formula adds ("5=6+7").
    struct Numbered {
      int col = -1, number = -1;
      std::vector<int> adds;
    };
    std::vector<Numbered> row;
    int formulas = 0;
    for (int c = 0; c < t.n_cols; ++c) {
      const core::Cell* cell = t.cell_at(r, c);
      if (!cell || cell->col != c) continue;
      const std::string s = squash(cell->text);
      if (s.empty()) continue;
      Numbered n;
      n.col = c;
      const std::size_t eq = s.find('=');
      if (eq == std::string::npos) {
        n.number = column_number(s);
        if (n.number < 0) continue;
      } else {
        n.number = column_number(s.substr(0, eq));
        std::size_t at = eq + 1;
        bool ok = at < s.size();
        while (ok && at < s.size()) {
          std::size_t plus = s.find('+', at);
          if (plus == std::string::npos) plus = s.size();
          const int part = column_number(s.substr(at, plus - at));
          ok = part >= 0;
          n.adds.push_back(part);
          at = plus + 1;
        }
        if (!ok || n.adds.size() < 2) continue;
        ++formulas;
      }
      row.push_back(n);
    }
    if (formulas == 0 || row.size() < 3) continue;
    // A formula's own number misread (0=1+3 for 6=1+3): the columns are numbered in order, so a
    // number that does not fit between its neighbours is the one the gap leaves.
    for (std::size_t i = 0; i < row.size(); ++i) {
      const int before = i ? row[i - 1].number : 0;
      const int after = i + 1 < row.size() ? row[i + 1].number : 1 << 20;
      if (row[i].number > before && row[i].number < after) continue;
      if (before + 1 < after) row[i].number = before + 1;
    }
    std::map<int, int> col_of;
    for (const Numbered& n : row)
      if (!col_of.emplace(n.number, n.col).second) col_of[n.number] = -1;  // twice: unknown
    for (const Numbered& n : row) {
      if (n.adds.empty()) continue;
      ColumnRelation rel;
      rel.total = n.col;
      for (int a : n.adds) {
        const auto it = col_of.find(a);
        if (it == col_of.end() || it->second < 0 || it->second == n.col) {
          rel.parts.clear();
          break;
        }
        rel.parts.push_back(it->second);
      }
      if (rel.parts.size() >= 2) out.push_back(rel);
    }
    if (!out.empty()) break;
  }
  return out;
}

}  // namespace tally::reconcile::detail
