// Side-by-side tables: two lists printed on one row, each half with its own code, name and amount
// columns (决算 表6 一般公共预算财政拨款基本支出决算表: 人员经费 301, 303 on the left, 公用经费
// 302, 310 … on the right, "人员经费合计 | … | 公用经费合计 | …" at the bottom). Each half is read
// as a list of its own: a class (301) = its items (30101 …) printed below it in the same half, the
// half's 合计 = its classes.
#include <algorithm>
#include <map>

#include "internal.h"

namespace tally::reconcile::detail {

namespace {

using core::ColumnRole;

bool is_code_role(ColumnRole role) {
  return role == ColumnRole::Code || role == ColumnRole::ClassCode ||
         role == ColumnRole::SectionCode;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An economic code of the half on row r: "301" / "30101" in one column, or 类 | 款 in two.
std::string code_at(const core::Table& t, int r, const std::vector<int>& code_cols) {
  std::string code;
  for (int c : code_cols) code += squash(text_at(t, r, c));
  return all_digits(code) && (code.size() == 3 || code.size() == 5) ? code : "";
}

}  // namespace

std::vector<Half> halves_of(const core::Table& t) {
  const int n = t.n_cols;
  if (n < 4 || n % 2 != 0 || static_cast<int>(t.columns.size()) != n) return {};
  const int k = n / 2;
  std::vector<Half> out(2);
  for (int i = 0; i < k; ++i) {
    const core::ColumnInfo& a = t.columns[static_cast<std::size_t>(i)];
    const core::ColumnInfo& b = t.columns[static_cast<std::size_t>(i + k)];
    if (squash(a.header_path) != squash(b.header_path) || a.role != b.role) return {};
    for (int h = 0; h < 2; ++h) {
      const int c = i + h * k;
      if (is_code_role(a.role)) out[h].code_cols.push_back(c);
      if (a.role == ColumnRole::Amount) out[h].amount_cols.push_back(c);
      out[h].cols.push_back(c);
    }
  }
  for (const Half& h : out)
    if (h.code_cols.empty() || h.amount_cols.size() != 1) return {};
  return out;
}

std::vector<HalfSum> half_sums(const core::Table& t, const std::vector<Half>& halves) {
  std::vector<HalfSum> out;
  std::vector<std::map<std::string, int>> classes(halves.size());
  for (std::size_t h = 0; h < halves.size(); ++h)
    for (int r = t.header_rows; r < t.n_rows; ++r) {
      const std::string code = code_at(t, r, halves[h].code_cols);
      if (code.size() == 3) classes[h][code] = r;
    }
  for (std::size_t h = 0; h < halves.size(); ++h) {
    const Half& half = halves[h];
    const int amount = half.amount_cols.front();
    const std::map<std::string, int>& other = classes[1 - h];
    // A class (301) = the items printed under it in this half, unless the other half prints it
    // too (a class continued across the halves: which rows belong is not known).
    for (const auto& [code, row] : classes[h]) {
      if (other.count(code)) continue;
      HalfSum sum{{row, amount}, {}, code};
      for (int r = row + 1; r < t.n_rows; ++r) {
        const std::string item = code_at(t, r, half.code_cols);
        if (item.size() == 5 && item.compare(0, 3, code) == 0)
          sum.parts.push_back({r, amount});
        else if (!item.empty())
          break;
      }
      if (!sum.parts.empty()) out.push_back(sum);
    }
    // The half's 合计 (人员经费合计, 公用经费合计): its classes.
    for (int r = t.header_rows; r < t.n_rows; ++r) {
      std::string label;
      const core::Cell* last = nullptr;  // a merged cell counts once
      for (int c : half.cols) {
        const core::Cell* cell = t.cell_at(r, c);
        if (c == amount || !cell || cell == last) continue;
        last = cell;
        label += squash(cell->text);
      }
      if (label.size() < std::string("合计").size() ||
          label.compare(label.size() - std::string("合计").size(), std::string::npos, "合计") != 0)
        continue;
      HalfSum sum{{r, amount}, {}, label};
      for (const auto& [code, row] : classes[h]) sum.parts.push_back({row, amount});
      if (!sum.parts.empty() && std::none_of(other.begin(), other.end(), [&](const auto& kv) {
            return classes[h].count(kv.first) > 0;
          }))
        out.push_back(sum);
    }
  }
  return out;
}

}  // namespace tally::reconcile::detail
