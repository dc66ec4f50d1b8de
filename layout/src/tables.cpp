// find_grids and find_tables: one page's tables from its rulings and words.
#include <algorithm>

#include "grid.h"
#include "table_text.h"
#include "tally/core/text.h"
#include "tally/layout/layout.h"
#include "text_pieces.h"
#include "unruled.h"

namespace tally::layout {

namespace {

// How far above a table its caption may start, in points: title, 表 N and 编制部门 lines.
constexpr double kCaptionReach = 110;
// How far below a table its notes may start.
constexpr double kNoteReach = 60;

}  // namespace

std::vector<Grid> find_grids(const core::Page& page, const Options& options) {
  std::vector<Grid> grids =
      detail::grids_from_rulings(detail::drop_glyph_strokes(page.rulings, page.words), options);
  // Scanned pages: OCR words of pictures and seals align by chance; not yet trusted for this.
  if (!options.unruled_tables || page.text_source != core::TextSource::TextLayer) return grids;
  for (Grid& grid : grids) detail::complete_ruled_columns(grid, page.words);
  std::vector<Grid> unruled = detail::grids_from_text(page, grids);
  grids.insert(grids.end(), std::make_move_iterator(unruled.begin()),
               std::make_move_iterator(unruled.end()));
  std::sort(grids.begin(), grids.end(), [](const Grid& a, const Grid& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
  return grids;
}

namespace {

// The table cell of a grid slot, with the pieces of words that fell in it.
core::Cell cell_of(const GridCell& slot, const core::Page& page,
                   std::vector<detail::Piece> pieces) {
  core::Cell cell;
  cell.row = slot.row;
  cell.col = slot.col;
  cell.rowspan = slot.rowspan;
  cell.colspan = slot.colspan;
  cell.page = page.number;
  cell.box = slot.box;
  cell.source = page.text_source == core::TextSource::Ocr ? core::TextSource::Ocr
                                                          : core::TextSource::TextLayer;
  for (const detail::Piece& piece : pieces) {
    cell.confidence = std::min(cell.confidence, piece.word->confidence);
    if (piece.word->source == core::TextSource::Ocr) cell.source = core::TextSource::Ocr;
  }
  // OCR alternatives belong to a whole word; they carry over when the cell holds just that
  // word.
  if (pieces.size() == 1 && pieces.front().whole_word)
    cell.alternatives = pieces.front().word->alternatives;
  cell.text = detail::cell_text(std::move(pieces));
  return cell;
}

// Caption: the lines between the previous table (or the page top) and grid `g`; notes: the lines
// below it, up to the next table.
void attach_caption_and_notes(core::Table& table, const std::vector<Grid>& grids, std::size_t g,
                              const std::vector<detail::TextLine>& outside, double page_height) {
  const Grid& grid = grids[g];
  const double ceiling = g == 0 ? -1.0 : grids[g - 1].box.y1;
  std::vector<const detail::TextLine*> above, below;
  for (const detail::TextLine& line : outside)
    if (line.box.y1 <= grid.box.y0 + 2 && line.box.y0 >= ceiling &&
        line.box.y0 >= grid.box.y0 - kCaptionReach && line.box.x1 >= grid.box.x0 - 20 &&
        line.box.x0 <= grid.box.x1 + 20)
      above.push_back(&line);
  const double floor = g + 1 < grids.size() ? grids[g + 1].box.y0 : page_height + 1;
  for (const detail::TextLine& line : outside)
    if (line.box.y0 >= grid.box.y1 - 2 && line.box.y1 <= floor &&
        line.box.y0 <= grid.box.y1 + kNoteReach)
      below.push_back(&line);
  const detail::Caption caption = detail::caption_from_lines(above);
  table.number = caption.number;
  table.title = caption.title;
  table.department = caption.department;
  table.unit = caption.unit;
  table.notes = detail::notes_from_lines(below);
}

}  // namespace

std::vector<core::Table> find_tables(const core::Page& page, const Options& options) {
  const std::vector<Grid> grids = find_grids(page, options);

  // Every cell of every grid is a region; words are cut at region borders glyph by glyph, so text
  // order in the file never matters and two cells' texts merged into one word come apart.
  std::vector<int> first_region(grids.size() + 1, 0);
  std::vector<std::vector<int>> slot_to_region(grids.size());
  for (std::size_t g = 0; g < grids.size(); ++g) {
    const Grid& grid = grids[g];
    slot_to_region[g].assign(static_cast<std::size_t>(grid.n_rows() * grid.n_cols()), -1);
    for (std::size_t k = 0; k < grid.cells.size(); ++k) {
      const GridCell& cell = grid.cells[k];
      for (int r = cell.row; r < cell.row + cell.rowspan; ++r)
        for (int c = cell.col; c < cell.col + cell.colspan; ++c)
          slot_to_region[g][static_cast<std::size_t>(r * grid.n_cols() + c)] =
              first_region[g] + static_cast<int>(k);
    }
    first_region[g + 1] = first_region[g] + static_cast<int>(grid.cells.size());
  }
  const auto region_at = [&](double x, double y) -> int {
    for (std::size_t g = 0; g < grids.size(); ++g) {
      const auto [r, c] = detail::slot_at(grids[g], x, y);
      if (r >= 0) return slot_to_region[g][static_cast<std::size_t>(r * grids[g].n_cols() + c)];
    }
    return -1;
  };
  std::vector<std::vector<detail::Piece>> buckets =
      detail::cut_words(page.words, first_region.back(), region_at);
  const std::vector<detail::TextLine> outside =
      detail::lines_from_pieces(std::move(buckets.back()));

  std::vector<core::Table> tables;
  for (std::size_t g = 0; g < grids.size(); ++g) {
    const Grid& grid = grids[g];
    core::Table table;
    table.pages = {page.number};
    table.n_rows = grid.n_rows();
    table.n_cols = grid.n_cols();
    table.regions.push_back({page.number, grid.box, 0, table.n_rows - 1});
    for (std::size_t k = 0; k < grid.cells.size(); ++k) {
      table.cells.push_back(cell_of(
          grid.cells[k], page, std::move(buckets[static_cast<std::size_t>(first_region[g]) + k])));
    }

    attach_caption_and_notes(table, grids, g, outside, page.height);

    // A ruled grid without a word in it on a page with a text layer is a chart's grid lines.
    const bool no_text = std::all_of(table.cells.begin(), table.cells.end(),
                                     [](const core::Cell& c) { return c.text.empty(); });
    if (no_text && page.text_source == core::TextSource::TextLayer && !page.words.empty()) continue;
    table.header_rows = detail::detect_header_rows(table);
    detail::assign_amounts(table);
    tables.push_back(std::move(table));
  }
  return tables;
}

}  // namespace tally::layout
