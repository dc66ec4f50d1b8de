// Grid construction from rulings: internal to layout/, exposed to its unit tests.
#pragma once

#include <vector>

#include "tally/core/model.h"
#include "tally/layout/layout.h"

namespace tally::layout::detail {

// Tolerances in points, chosen for printed tables: rules 0.1–1.5 pt thick, rows ≥ 10 pt tall.
struct GridTolerances {
  double touch = 3.0;  // how far a ruling may stop short of a perpendicular one and still meet it
  double same_line = 3.0;  // positions closer than this are one line (double rules, antialiasing)
  double coverage = 0.5;   // share of a cell side a ruling must cover to separate two cells
};

// Rulings that are strokes of glyphs, not rules: mostly inside the box of a word of the text layer.
std::vector<core::Ruling> drop_glyph_strokes(const std::vector<core::Ruling>& rulings,
                                             const std::vector<core::Word>& words);

// Tables from rulings: groups of horizontal and vertical rulings that meet, each turned into a grid
// of rows and columns with spanned cells where a separating segment is missing. Sorted top to
// bottom.
std::vector<Grid> grids_from_rulings(const std::vector<core::Ruling>& rulings,
                                     const Options& options, const GridTolerances& tolerances = {});

// Grid slot (row, col) holding the point, or {-1, -1} outside the grid.
std::pair<int, int> slot_at(const Grid& grid, double x, double y);

}  // namespace tally::layout::detail
