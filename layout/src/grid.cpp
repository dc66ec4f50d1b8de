#include "grid.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>

namespace tally::layout::detail {

namespace {

class UnionFind {
 public:
  explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void unite(std::size_t a, std::size_t b) { parent_[find(a)] = find(b); }

 private:
  std::vector<std::size_t> parent_;
};

bool meet(const core::Ruling& h, const core::Ruling& v, double touch) {
  return v.position >= h.start - touch && v.position <= h.end + touch &&
         h.position >= v.start - touch && h.position <= v.end + touch;
}

// Clusters ruling positions into lines; returns the line positions and, per ruling, its line.
std::vector<double> cluster_positions(const std::vector<const core::Ruling*>& rulings,
                                      double same_line, std::vector<int>& line_of) {
  std::vector<std::size_t> order(rulings.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return rulings[a]->position < rulings[b]->position;
  });
  std::vector<double> lines;
  line_of.assign(rulings.size(), -1);
  double weight = 0, sum = 0, last = -1e9;
  for (std::size_t k : order) {
    const core::Ruling& r = *rulings[k];
    if (!lines.empty() && r.position - last <= same_line) {
      const double w = std::max(r.end - r.start, 1.0);
      weight += w;
      sum += r.position * w;
      lines.back() = sum / weight;
    } else {
      weight = std::max(r.end - r.start, 1.0);
      sum = r.position * weight;
      lines.push_back(r.position);
    }
    last = r.position;
    line_of[k] = static_cast<int>(lines.size()) - 1;
  }
  return lines;
}

// Length of [from, to] covered by the union of the intervals.
double covered_length(std::vector<std::pair<double, double>> intervals, double from, double to) {
  std::sort(intervals.begin(), intervals.end());
  double covered = 0, reach = from;
  for (auto [a, b] : intervals) {
    a = std::max(a, reach);
    b = std::min(b, to);
    if (b > a) {
      covered += b - a;
      reach = b;
    }
  }
  return covered;
}

struct LineSet {
  std::vector<double> positions;  // line positions, sorted
  std::vector<std::vector<std::pair<double, double>>>
      extents;                     // per line: the rulings' [start, end]
  std::vector<bool> virtual_line;  // added where the border is missing
};

LineSet lines_of(const std::vector<const core::Ruling*>& rulings, double same_line,
                 double border_start, double border_end, double touch) {
  std::vector<int> line_of;
  LineSet set;
  set.positions = cluster_positions(rulings, same_line, line_of);
  set.extents.resize(set.positions.size());
  set.virtual_line.assign(set.positions.size(), false);
  for (std::size_t k = 0; k < rulings.size(); ++k)
    set.extents[static_cast<std::size_t>(line_of[k])].push_back(
        {rulings[k]->start, rulings[k]->end});
  // Perpendicular rules that run past the outermost line mean a border that is not drawn
  // (open-sided tables, tables cut by the page edge): the grid ends where those rules end.
  if (set.positions.empty() || border_start < set.positions.front() - touch) {
    set.positions.insert(set.positions.begin(), border_start);
    set.extents.insert(set.extents.begin(), std::vector<std::pair<double, double>>{});
    set.virtual_line.insert(set.virtual_line.begin(), true);
  }
  if (border_end > set.positions.back() + touch) {
    set.positions.push_back(border_end);
    set.extents.emplace_back();
    set.virtual_line.push_back(true);
  }
  return set;
}

// Whether line `k` of `lines` separates the cells on either side of it along [from, to].
bool separates(const LineSet& lines, std::size_t k, double from, double to,
               const GridTolerances& tolerances) {
  if (k == 0 || k + 1 == lines.positions.size()) return true;  // the outer border
  if (lines.virtual_line[k]) return true;
  std::vector<std::pair<double, double>> intervals = lines.extents[k];
  for (auto& [a, b] : intervals) {
    a -= tolerances.touch;
    b += tolerances.touch;
  }
  return covered_length(intervals, from, to) >= tolerances.coverage * (to - from);
}

// A line that separates no pair of cells anywhere along it (a stray stroke inside a row, a rule
// under a single word) is not a grid line: keeping it would only split every cell it crosses.
void drop_lines_that_divide_nothing(LineSet& rows, LineSet& cols,
                                    const GridTolerances& tolerances) {
  const auto useful = [&](const LineSet& lines, const LineSet& across) {
    std::vector<bool> keep(lines.positions.size(), true);
    for (std::size_t k = 1; k + 1 < lines.positions.size(); ++k) {
      bool divides = false;
      for (std::size_t j = 0; j + 1 < across.positions.size() && !divides; ++j)
        divides = separates(lines, k, across.positions[j], across.positions[j + 1], tolerances);
      keep[k] = divides;
    }
    return keep;
  };
  const std::vector<bool> keep_rows = useful(rows, cols), keep_cols = useful(cols, rows);
  const auto filter = [](LineSet& lines, const std::vector<bool>& keep) {
    LineSet kept;
    for (std::size_t k = 0; k < keep.size(); ++k)
      if (keep[k]) {
        kept.positions.push_back(lines.positions[k]);
        kept.extents.push_back(lines.extents[k]);
        kept.virtual_line.push_back(lines.virtual_line[k]);
      }
    lines = std::move(kept);
  };
  filter(rows, keep_rows);
  filter(cols, keep_cols);
}

// Strokes of large bold glyphs meet like rules, but their "rows" and "columns" are narrower than
// text: a grid whose typical slot is that small is a title, not a table (seen on scans, which
// have no text layer to tell glyphs apart).
bool slots_finer_than_text(const LineSet& rows, const LineSet& cols, const Options& options) {
  const auto lower_median_gap = [](const std::vector<double>& lines) {
    std::vector<double> gaps;
    for (std::size_t k = 1; k < lines.size(); ++k) gaps.push_back(lines[k] - lines[k - 1]);
    std::sort(gaps.begin(), gaps.end());
    return gaps[(gaps.size() - 1) / 2];
  };
  return lower_median_gap(rows.positions) < options.min_row_points ||
         lower_median_gap(cols.positions) < options.min_column_points;
}

std::optional<Grid> grid_from_group(const std::vector<const core::Ruling*>& horizontals,
                                    const std::vector<const core::Ruling*>& verticals,
                                    const Options& options, const GridTolerances& tolerances) {
  double top = 1e18, bottom = -1e18, left = 1e18, right = -1e18;
  for (const core::Ruling* v : verticals) {
    top = std::min(top, v->start);
    bottom = std::max(bottom, v->end);
  }
  for (const core::Ruling* h : horizontals) {
    left = std::min(left, h->start);
    right = std::max(right, h->end);
  }
  LineSet rows = lines_of(horizontals, tolerances.same_line, top, bottom, tolerances.touch);
  LineSet cols = lines_of(verticals, tolerances.same_line, left, right, tolerances.touch);
  drop_lines_that_divide_nothing(rows, cols, tolerances);
  const int n_rows = static_cast<int>(rows.positions.size()) - 1;
  const int n_cols = static_cast<int>(cols.positions.size()) - 1;
  if (n_rows < options.min_rows || n_cols < options.min_cols) return std::nullopt;
  if (cols.positions.back() - cols.positions.front() < options.min_table_width_points)
    return std::nullopt;
  if (slots_finer_than_text(rows, cols, options)) return std::nullopt;

  // Slots joined where the line between them is missing become one spanned cell.
  const auto slot = [n_cols](int r, int c) { return static_cast<std::size_t>(r * n_cols + c); };
  UnionFind cells(static_cast<std::size_t>(n_rows * n_cols));
  for (int r = 0; r < n_rows; ++r)
    for (int c = 0; c < n_cols; ++c) {
      const double y0 = rows.positions[r], y1 = rows.positions[r + 1];
      const double x0 = cols.positions[c], x1 = cols.positions[c + 1];
      if (c + 1 < n_cols && !separates(cols, static_cast<std::size_t>(c + 1), y0, y1, tolerances))
        cells.unite(slot(r, c), slot(r, c + 1));
      if (r + 1 < n_rows && !separates(rows, static_cast<std::size_t>(r + 1), x0, x1, tolerances))
        cells.unite(slot(r, c), slot(r + 1, c));
    }

  struct Extent {
    int r0 = 1 << 30, c0 = 1 << 30, r1 = -1, c1 = -1, count = 0;
  };
  std::vector<Extent> extents(static_cast<std::size_t>(n_rows * n_cols));
  for (int r = 0; r < n_rows; ++r)
    for (int c = 0; c < n_cols; ++c) {
      Extent& e = extents[cells.find(slot(r, c))];
      e.r0 = std::min(e.r0, r);
      e.c0 = std::min(e.c0, c);
      e.r1 = std::max(e.r1, r);
      e.c1 = std::max(e.c1, c);
      ++e.count;
    }

  Grid grid;
  grid.row_lines = rows.positions;
  grid.col_lines = cols.positions;
  grid.box = {cols.positions.front(), rows.positions.front(), cols.positions.back(),
              rows.positions.back()};
  const auto add_cell = [&](int r0, int c0, int r1, int c1) {
    grid.cells.push_back(
        {r0,
         c0,
         r1 - r0 + 1,
         c1 - c0 + 1,
         {cols.positions[c0], rows.positions[r0], cols.positions[c1 + 1], rows.positions[r1 + 1]}});
  };
  for (int r = 0; r < n_rows; ++r)
    for (int c = 0; c < n_cols; ++c) {
      const std::size_t root = cells.find(slot(r, c));
      const Extent& e = extents[root];
      const bool rectangular = e.count == (e.r1 - e.r0 + 1) * (e.c1 - e.c0 + 1);
      if (!rectangular) {
        add_cell(r, c, r, c);  // an L-shaped region is not a cell: keep its slots apart
      } else if (e.r0 == r && e.c0 == c) {
        add_cell(e.r0, e.c0, e.r1, e.c1);
      }
    }
  return grid;
}

}  // namespace

std::vector<core::Ruling> drop_glyph_strokes(const std::vector<core::Ruling>& rulings,
                                             const std::vector<core::Word>& words) {
  // Some fonts report boxes far shorter than their glyphs (a 27 pt title with a 7 pt box), so a
  // word is taken to be at least as tall as its font, upwards from its bottom.
  std::vector<core::Box> boxes;
  for (const core::Word& word : words) {
    core::Box w = word.box;
    if (word.font_size > w.height()) w.y0 = w.y1 - word.font_size;
    boxes.push_back(w);
  }
  std::sort(boxes.begin(), boxes.end(),
            [](const core::Box& a, const core::Box& b) { return a.x0 < b.x0; });
  std::vector<core::Ruling> kept;
  kept.reserve(rulings.size());
  for (const core::Ruling& r : rulings) {
    const bool horizontal = r.orientation == core::Orientation::Horizontal;
    const double length = r.end - r.start;
    // A rule passes between words; a stroke lies inside them, along most of its length. A
    // horizontal stroke may reach across several words of one line: OCR cuts a bold Chinese title
    // into words of a character or two, spaced up to a character apart, and the gaps between
    // the words it passes through count as covered. (A rule never runs through the middle of a
    // line of text; a vertical one is a stroke only inside one word.)
    double covered = 0, run0 = 0, run1 = 0, run_height = 0;
    bool in_run = false;
    for (const core::Box& w : boxes) {
      const double across0 = horizontal ? w.y0 : w.x0, across1 = horizontal ? w.y1 : w.x1;
      if (r.position <= across0 + 0.5 || r.position >= across1 - 0.5) continue;
      const double along0 = horizontal ? w.x0 : w.y0, along1 = horizontal ? w.x1 : w.y1;
      if (!horizontal) {
        covered = std::max(covered, std::min(r.end, along1) - std::max(r.start, along0));
        continue;
      }
      if (in_run && along0 - run1 <= std::max(run_height, w.height())) {
        run1 = std::max(run1, along1);
        run_height = std::max(run_height, w.height());
      } else {
        if (in_run) covered = std::max(covered, std::min(r.end, run1) - std::max(r.start, run0));
        run0 = along0;
        run1 = along1;
        run_height = w.height();
        in_run = true;
      }
    }
    if (in_run) covered = std::max(covered, std::min(r.end, run1) - std::max(r.start, run0));
    if (covered < 0.8 * length) kept.push_back(r);
  }
  return kept;
}

std::vector<Grid> grids_from_rulings(const std::vector<core::Ruling>& rulings,
                                     const Options& options, const GridTolerances& tolerances) {
  std::vector<std::size_t> horizontal, vertical;
  for (std::size_t i = 0; i < rulings.size(); ++i)
    (rulings[i].orientation == core::Orientation::Horizontal ? horizontal : vertical).push_back(i);

  UnionFind groups(rulings.size());
  std::vector<bool> met(rulings.size(), false);
  for (std::size_t h : horizontal)
    for (std::size_t v : vertical)
      if (meet(rulings[h], rulings[v], tolerances.touch)) {
        groups.unite(h, v);
        met[h] = met[v] = true;
      }

  // Tables without vertical rules (aligned columns only) would be found here from horizontal
  // groups and word alignment; for now a table needs rules in both directions.
  std::vector<std::vector<std::size_t>> members(rulings.size());
  for (std::size_t i = 0; i < rulings.size(); ++i)
    if (met[i]) members[groups.find(i)].push_back(i);

  std::vector<Grid> grids;
  for (const auto& group : members) {
    if (group.empty()) continue;
    std::vector<const core::Ruling*> hs, vs;
    for (std::size_t i : group)
      (rulings[i].orientation == core::Orientation::Horizontal ? hs : vs).push_back(&rulings[i]);
    if (std::optional<Grid> grid = grid_from_group(hs, vs, options, tolerances))
      grids.push_back(std::move(*grid));
  }
  std::sort(grids.begin(), grids.end(), [](const Grid& a, const Grid& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
  return grids;
}

std::pair<int, int> slot_at(const Grid& grid, double x, double y) {
  const auto& rows = grid.row_lines;
  const auto& cols = grid.col_lines;
  if (rows.size() < 2 || cols.size() < 2) return {-1, -1};
  if (y < rows.front() || y > rows.back() || x < cols.front() || x > cols.back()) return {-1, -1};
  const int r = static_cast<int>(std::upper_bound(rows.begin(), rows.end(), y) - rows.begin()) - 1;
  const int c = static_cast<int>(std::upper_bound(cols.begin(), cols.end(), x) - cols.begin()) - 1;
  return {std::clamp(r, 0, grid.n_rows() - 1), std::clamp(c, 0, grid.n_cols() - 1)};
}

}  // namespace tally::layout::detail
