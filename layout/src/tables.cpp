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
// A ruled frame on a text-layer page is a chart's (gridlines, small-multiple panels), not a table,
// when fewer than kMinTextCells of its cells hold text, or when rows without any text that are
// taller than kPictureRowEm lines of the page's text make up more than kPictureShare of its height
// (an empty table row is one or two lines tall; a plot area is many). Measured on the ICDAR 2013
// EU tuning half: the charts' frames hold 1 legend or only panel titles over 5+ em rows.
// (A grid of fewer than kMinChartRows rows with one cell of text is a table's continuation.)
// Gridlines with a legend: text in fewer cells than kMinTextShare of the slots, no figure in any,
// and no row with text in every column (an empty table's header).
constexpr int kMinTextCells = 2;
constexpr int kMinChartRows = 3;
constexpr double kMinTextShare = 0.1;
constexpr double kPictureRowEm = 4.0;
constexpr double kPictureShare = 0.5;
// Words this many em around a chart's frame are its axis labels and legend, not a table.
constexpr double kChartMarginEm = 3.0;

// The median font size of the page's words (its text's em), 10 when unknown.
double page_em(const core::Page& page) {
  std::vector<double> sizes;
  for (const core::Word& w : page.words)
    if (w.font_size > 0) sizes.push_back(w.font_size);
  if (sizes.empty()) return 10;
  std::nth_element(sizes.begin(), sizes.begin() + static_cast<long>(sizes.size() / 2), sizes.end());
  return sizes[sizes.size() / 2];
}

bool chart_frame(const Grid& grid, const std::vector<core::Word>& words, double em) {
  std::vector<int> cell_of_slot(static_cast<std::size_t>(grid.n_rows() * grid.n_cols()), -1);
  for (std::size_t k = 0; k < grid.cells.size(); ++k) {
    const GridCell& cell = grid.cells[k];
    for (int r = cell.row; r < cell.row + cell.rowspan; ++r)
      for (int c = cell.col; c < cell.col + cell.colspan; ++c)
        cell_of_slot[static_cast<std::size_t>(r * grid.n_cols() + c)] = static_cast<int>(k);
  }
  std::vector<bool> cell_has_text(grid.cells.size(), false);
  bool figures = false;
  for (const core::Word& w : words) {
    const auto [r, c] = detail::slot_at(grid, w.box.center_x(), w.box.center_y());
    if (r < 0) continue;
    const int k = cell_of_slot[static_cast<std::size_t>(r * grid.n_cols() + c)];
    if (k >= 0) cell_has_text[static_cast<std::size_t>(k)] = true;
    figures = figures || detail::numeric_text(w.text);
  }
  const auto text_cells = std::count(cell_has_text.begin(), cell_has_text.end(), true);
  if (text_cells < kMinTextCells && grid.n_rows() >= kMinChartRows) return true;
  // Rows with text in every slot: an empty table's header (its body left blank) has one.
  std::vector<bool> row_has_text(static_cast<std::size_t>(grid.n_rows()), false);
  std::vector<int> row_text_slots(static_cast<std::size_t>(grid.n_rows()), 0);
  for (std::size_t k = 0; k < grid.cells.size(); ++k)
    if (cell_has_text[k])
      for (int r = grid.cells[k].row; r < grid.cells[k].row + grid.cells[k].rowspan; ++r) {
        row_has_text[static_cast<std::size_t>(r)] = true;
        row_text_slots[static_cast<std::size_t>(r)] += grid.cells[k].colspan;
      }
  const bool full_row = std::find(row_text_slots.begin(), row_text_slots.end(), grid.n_cols()) !=
                        row_text_slots.end();
  if (!figures && !full_row &&
      static_cast<double>(text_cells) < kMinTextShare * grid.n_rows() * grid.n_cols())
    return true;
  double picture = 0;
  for (int r = 0; r < grid.n_rows(); ++r) {
    const double height = grid.row_lines[r + 1] - grid.row_lines[r];
    if (!row_has_text[static_cast<std::size_t>(r)] && height > kPictureRowEm * em)
      picture += height;
  }
  return picture > kPictureShare * grid.box.height();
}

// `grids` with the unruled tables found in the words outside the `taken` areas, top to bottom.
std::vector<Grid> with_unruled(std::vector<Grid> grids, const core::Page& page,
                               const std::vector<Grid>& taken) {
  std::vector<Grid> unruled = detail::grids_from_text(page, taken);
  grids.insert(grids.end(), std::make_move_iterator(unruled.begin()),
               std::make_move_iterator(unruled.end()));
  std::sort(grids.begin(), grids.end(), [](const Grid& a, const Grid& b) {
    return a.box.y0 != b.box.y0 ? a.box.y0 < b.box.y0 : a.box.x0 < b.box.x0;
  });
  return grids;
}

}  // namespace

std::vector<Grid> find_grids(const core::Page& page, const Options& options) {
  std::vector<Grid> grids =
      detail::grids_from_rulings(detail::drop_glyph_strokes(page.rulings, page.words), options);
  if (page.words.empty()) return grids;
  // Scanned pages: the same unruled finder on the OCR'd words' boxes outside the ruled grids (the
  // frames and charts below are judged on text-layer pages only).
  if (page.text_source != core::TextSource::TextLayer) {
    if (!options.unruled_tables) return grids;
    const std::vector<Grid> ruled = grids;
    return with_unruled(std::move(grids), page, ruled);
  }
  // A frame around other grids (a box around a figure and its panels) is no table itself, and its
  // words (the figure's labels) make none.
  std::vector<bool> frame(grids.size(), false);
  for (std::size_t o = 0; o < grids.size(); ++o)
    for (std::size_t i = 0; i < grids.size(); ++i) {
      const core::Box &outer = grids[o].box, &inner = grids[i].box;
      frame[o] = frame[o] ||
                 (i != o && inner.width() < outer.width() && inner.x0 >= outer.x0 - 1 &&
                  inner.x1 <= outer.x1 + 1 && inner.y0 >= outer.y0 - 1 && inner.y1 <= outer.y1 + 1);
    }
  std::vector<Grid> taken;  // areas whose words make no unruled table
  for (std::size_t o = grids.size(); o-- > 0;)
    if (frame[o]) {
      taken.push_back(grids[o]);
      grids.erase(grids.begin() + static_cast<long>(o));
    }
  // Charts' frames are dropped; their words (axis labels, legends) are kept out of unruled tables.
  const double em = page_em(page);
  std::erase_if(grids, [&](const Grid& grid) {
    if (!chart_frame(grid, page.words, em)) return false;
    Grid area;
    const double margin = kChartMarginEm * em;
    area.box = {grid.box.x0 - margin, grid.box.y0 - margin, grid.box.x1 + margin,
                grid.box.y1 + margin};
    taken.push_back(area);
    return true;
  });
  if (!options.unruled_tables) return grids;
  for (Grid& grid : grids) detail::complete_ruled_grid(grid, page.words);
  taken.insert(taken.end(), grids.begin(), grids.end());
  return with_unruled(std::move(grids), page, taken);
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

    table.header_rows = detail::detect_header_rows(table);
    detail::assign_amounts(table);
    tables.push_back(std::move(table));
  }
  return tables;
}

}  // namespace tally::layout
