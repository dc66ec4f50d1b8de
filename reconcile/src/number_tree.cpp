// Rows nested without codes, found from the numbers (see internal.h: number_tree_sums).
//
// Project lists by unit (单位 → 通用项目 → 办公场所租赁 → items), the expenditure side of a
// 收支总表 printed by name only, the four groups of Xi'an's 收支总表, the 资金总额 / 其中：财政拨款
// lines of a performance form: a parent row is printed above its children and equals their sum, and
// nothing but the numbers says which rows are whose children. The column is read as a forest,
// preferring "this row is the sum of the rows below it" wherever the numbers allow, then totals
// printed below (本年支出合计, 支出总计) as the sum of the top-level rows above them.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "internal.h"
#include "tally/core/text.h"

namespace tally::reconcile::detail {

namespace {

using core::RowRole;

// Search steps for one parent row. The first reading (each block closed at its first fit, failures
// remembered by position and remainder) is quick; only where it fails is every nesting tried, up
// to this many steps, after which the row is taken as a leaf. The largest real list measured
// (838aeef9 p33, 240 rows) is read by the first reading alone.
constexpr long kMaxStepsPerRow = 20000;
// Values this small and whole (counts, scores, weights 5/3/2) add up by chance too often to take
// a sum of only such values as evidence of nesting.
constexpr std::int64_t kWeakBelow = 100;

struct Line {
  int row = 0;
  std::int64_t v = 0;  // in units of the column's finest printed decimal
  bool present = false, weak = true, memo = false, total = false;
  bool barrier = false;  // words in the amount column: no sum runs across it
};

// The search: rows are taken in order, each one a leaf or the head of a block of children that
// must add up to it; a block closes as soon as its children reach its value. Every choice can be
// undone, so a block that closed too early or too late is reopened when the rows after it do not
// fit (a 300.00 project under a 300.00 group, then a 300.00 unit).
struct Forest {
  const std::vector<Line>& lines;
  bool any_negative = false;
  long steps = 0;
  struct Frame {
    std::size_t head = 0;  // the parent line
    std::int64_t remaining = 0;
    int terms = 1;  // printed non-zero terms so far, the parent included
    std::vector<std::size_t> kids;
  };
  std::vector<Frame> open;
  std::set<std::vector<std::int64_t>> failed;  // states known to lead nowhere
  // parent line → child lines, for the parse being built
  std::map<std::size_t, std::vector<std::size_t>> sums;

  static std::int64_t tolerance(int nonzero_terms) { return nonzero_terms / 2; }

  // ---- the first reading: a block is the first run of rows that adds up to its parent ----
  std::set<std::tuple<std::size_t, std::int64_t, int>> quick_failed;
  std::optional<std::size_t> quick_block(std::size_t i) {
    std::vector<std::size_t> kids;
    const auto end = quick_siblings(i, lines[i - 1].v, 1, kids);
    if (end) sums[i - 1] = kids;
    return end;
  }
  std::optional<std::size_t> quick_siblings(std::size_t j, std::int64_t remaining, int terms,
                                            std::vector<std::size_t>& kids) {
    if (++steps > kMaxStepsPerRow) return std::nullopt;
    if (!kids.empty() && std::llabs(remaining) <= tolerance(terms)) return j;
    if (j >= lines.size() || lines[j].total || lines[j].barrier) return std::nullopt;
    if (!any_negative && remaining < -tolerance(terms)) return std::nullopt;
    const auto key = std::make_tuple(j, remaining, std::min(terms, 64));
    if (quick_failed.count(key)) return std::nullopt;
    const Line& l = lines[j];
    const int add = l.v != 0;
    if (l.v != 0 && !l.weak) {
      const auto saved = sums;
      if (const auto e = quick_block(j + 1)) {
        kids.push_back(j);
        if (const auto done = quick_siblings(*e, remaining - l.v, terms + add, kids)) return done;
        kids.pop_back();
      }
      sums = saved;
    }
    kids.push_back(j);
    if (const auto done = quick_siblings(j + 1, remaining - l.v, terms + add, kids)) return done;
    kids.pop_back();
    if (l.memo)
      if (const auto done = quick_siblings(j + 1, remaining, terms, kids)) return done;
    quick_failed.insert(key);
    return std::nullopt;
  }

  // Children of the parent at line i - 1: the first reading, else every nesting.
  std::optional<std::size_t> read_block(std::size_t i) {
    steps = 0;
    sums.clear();
    quick_failed.clear();
    if (const auto end = quick_block(i)) return end;
    steps = 0;
    return block(i);
  }

  // Children of the parent at line i - 1, and of every block opened inside it; the line after
  // the parent's last child on success.
  std::optional<std::size_t> block(std::size_t i) {
    open.assign(1, Frame{i - 1, lines[i - 1].v, 1, {}});
    failed.clear();
    sums.clear();
    return next(i);
  }

  std::optional<std::size_t> next(std::size_t j) {
    if (++steps > kMaxStepsPerRow) return std::nullopt;
    Frame& top = open.back();
    if (!top.kids.empty() && std::llabs(top.remaining) <= tolerance(top.terms)) {
      // The block is complete: close it and go on with the block around it.
      Frame closed = top;
      open.pop_back();
      sums[closed.head] = closed.kids;
      if (open.empty()) return j;
      if (const auto done = next(j)) return done;
      sums.erase(closed.head);
      open.push_back(closed);
      return std::nullopt;
    }
    if (j >= lines.size() || lines[j].total || lines[j].barrier) return std::nullopt;
    if (!any_negative && top.remaining < -tolerance(top.terms)) return std::nullopt;
    std::vector<std::int64_t> key{static_cast<std::int64_t>(j)};
    for (const Frame& f : open) {
      key.push_back(f.remaining);
      key.push_back(f.terms);
      key.push_back(static_cast<std::int64_t>(f.kids.size() > 0));
    }
    if (failed.count(key)) return std::nullopt;
    const Line& l = lines[j];
    const int add = l.v != 0;
    const auto take = [&](bool as_head) -> std::optional<std::size_t> {
      Frame& f = open.back();
      f.remaining -= l.v;
      f.terms += add;
      f.kids.push_back(j);
      if (as_head) open.push_back(Frame{j, l.v, 1, {}});
      const auto done = next(j + 1);
      if (done) return done;
      if (as_head) open.pop_back();
      Frame& g = open.back();
      g.kids.pop_back();
      g.terms -= add;
      g.remaining += l.v;
      return std::nullopt;
    };
    // This row is itself a sum of the rows below it; else one of the parts.
    if (l.v != 0 && !l.weak)
      if (const auto done = take(true)) return done;
    if (const auto done = take(false)) return done;
    if (l.memo)  // 其中 … : a part printed for information, not one of the siblings
      if (const auto done = next(j + 1)) return done;
    failed.insert(key);
    return std::nullopt;
  }
};

bool is_total_label(const std::string& squashed) {
  return squashed.find("合计") != std::string::npos || squashed.find("总计") != std::string::npos;
}

}  // namespace

std::vector<TreeSum> number_tree_sums(const core::Table& t, int col) {
  // Label of the row as this column reads it: the nearest label column to its left.
  int label_col = -1;
  for (int c = col - 1; c >= 0 && label_col < 0; --c)
    if (t.columns[c].role == core::ColumnRole::Label) label_col = c;
  std::vector<Line> lines;
  int decimals = 0;
  for (int r = t.header_rows; r < t.n_rows; ++r) {
    const RowRole role = t.rows[r].role;
    if (role == RowRole::Header || role == RowRole::Numbering || role == RowRole::Note) continue;
    const std::string label = squash(label_col >= 0 ? text_at(t, r, label_col) : t.rows[r].label);
    const core::Cell* cell = t.cell_at(r, col);
    if (cell && cell->row != r) continue;  // the lower rows of a cell spanning several
    const Units u = amount_of(cell, false);
    if (!u.present && label.empty()) continue;  // a spacer row
    Line l;
    const std::string words = squash(text_at(t, r, col));
    l.barrier = !u.present && !words.empty() && words != "-" && words != "—";
    l.row = r;
    l.present = u.present;
    l.v = u.units;
    decimals = std::max(decimals, u.decimals);
    l.memo = label.rfind("其中", 0) == 0;
    l.total = role == RowRole::Total || is_total_label(label);
    lines.push_back(l);
  }
  // Every value in units of the finest decimal printed in the column.
  for (Line& l : lines) {
    const Units u = amount_of(t.cell_at(l.row, col), false);
    for (int k = u.decimals; k < decimals; ++k) l.v *= 10;
    std::int64_t whole = l.v;
    bool fraction = false;
    for (int k = 0; k < decimals; ++k) {
      fraction = fraction || whole % 10 != 0;
      whole /= 10;
    }
    l.weak = !fraction && std::llabs(whole) < kWeakBelow;
  }
  Forest f{lines, false, 0, {}, {}, {}, {}};
  f.any_negative = std::any_of(lines.begin(), lines.end(), [](const Line& l) { return l.v < 0; });

  std::vector<TreeSum> out;
  std::vector<std::size_t> roots;  // top-level lines since the last total printed below them
  const auto emit = [&](std::size_t parent, const std::vector<std::size_t>& kids) {
    bool all_weak = lines[parent].weak;
    TreeSum s;
    s.total_row = lines[parent].row;
    s.label = core::normalize_space(label_col >= 0 ? text_at(t, s.total_row, label_col)
                                                   : t.rows[s.total_row].label);
    for (std::size_t k : kids) {
      if (!lines[k].present) continue;
      all_weak = all_weak && lines[k].weak;
      s.part_rows.push_back(lines[k].row);
    }
    if (!all_weak && !s.part_rows.empty()) out.push_back(std::move(s));
  };
  for (std::size_t i = 0; i < lines.size();) {
    const Line& l = lines[i];
    if (l.barrier) {
      roots.clear();
      ++i;
      continue;
    }
    if (l.total && !roots.empty()) {
      std::int64_t sum = 0;
      int terms = 1;
      for (std::size_t r : roots) {
        sum += lines[r].v;
        terms += lines[r].v != 0;
      }
      if (std::llabs(sum - l.v) <= Forest::tolerance(terms) && (l.v != 0 || sum != 0)) {
        emit(i, roots);
        roots = {i};
        ++i;
        continue;
      }
    }
    if (l.v != 0 && !l.weak) {
      if (const auto end = f.read_block(i + 1)) {
        for (const auto& [parent, kids] : f.sums) emit(parent, kids);
        roots.push_back(i);
        i = *end;
        continue;
      }
    }
    if (!l.memo) roots.push_back(i);
    ++i;
  }
  return out;
}

}  // namespace tally::reconcile::detail
