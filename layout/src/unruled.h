// Tables without full rulings: grids from the geometry of the words (aligned columns over several
// lines, whitespace no text crosses, rows on common baselines) with the horizontal rules that do
// exist (the top, header and bottom rules of a three-line table). Internal to layout/.
#pragma once

#include <vector>

#include "tally/core/model.h"
#include "tally/layout/layout.h"
#include "text_pieces.h"

namespace tally::layout::detail {

// Lines of text with cells split at gaps this wide (em of the larger font): a Latin word space is
// ~0.25 em and justified text stays under ~0.7 em, while table columns are set ≥ 1 em apart.
constexpr double kCellGapEm = 1.0;
// Lines split at every word space (rivers between columns are found between words).
constexpr double kWordGapEm = 0.2;

// A piece of text is numeric ("1,234.5", "(12)", "52%", "-", "n.a."): amounts, counts, shares.
bool numeric_text(const std::string& text);

// Grids of tables printed without (full) rulings, from the words outside `ruled` grids and the
// horizontal rulings of the page, top to bottom. Paragraphs, lists and multi-column text make none.
// On pages read by OCR only blocks with columns of aligned figures qualify.
std::vector<Grid> grids_from_text(const core::Page& page, const std::vector<Grid>& ruled);

// A ruled grid whose rules are incomplete is completed from its text: columns holding several
// aligned figures side by side (vertical rules missing) get column lines in the whitespace
// between them, and rows holding text over figures in several columns (a horizontal rule
// missing) are split between those lines.
void complete_ruled_grid(Grid& grid, const std::vector<core::Word>& words);

// The same from lines already built: split into cells (kCellGapEm) and into words (kWordGapEm), the
// same lines in the same order (for unit tests, word_lines may be the cell lines themselves).
// `figures_only`: words read by OCR (see grids_from_text).
std::vector<Grid> grids_from_lines(const std::vector<TextLine>& lines,
                                   const std::vector<TextLine>& word_lines,
                                   const std::vector<core::Ruling>& rulings,
                                   bool figures_only = false);

}  // namespace tally::layout::detail
