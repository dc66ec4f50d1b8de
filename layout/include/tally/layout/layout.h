// layout/: finds tables from the geometry of a page.
//
// Ruling lines come from the page raster (OpenCV morphology); the grid is built from their
// positions, cells that span rows or columns are found where a separating segment is missing, and
// words are assigned to cells by position alone, so the order of text in the PDF never matters.
// Captions above a table (表 N, title, 编制部门, 单位) and header rows are recognised, and tables
// continued on the next page are joined.
#pragma once

#include <vector>

#include "tally/core/model.h"

namespace tally::layout {

struct Options {
  // Shortest segment kept as a ruling, in points; shorter strokes are glyph parts.
  double min_ruling_points = 12;
  // Largest gap bridged inside one ruling (broken or dashed rules), in points.
  double max_ruling_gap_points = 4;
  // Smallest table: rows × columns of the grid (one row: a continuation's last line), and width.
  int min_rows = 1, min_cols = 2;
  double min_table_width_points = 50;
  // A grid whose median row is lower, or median column narrower, than these is made of glyph
  // strokes: printed rows hold at least 7 pt text, and columns are wider than two characters.
  double min_row_points = 7;
  double min_column_points = 12;
  // Also find tables printed without full rulings, from the words' alignment
  // (layout/src/unruled.cpp).
  bool unruled_tables = true;
};

// Ruling lines on a raster, in page points. Works on rendered and on scanned (cleaned) pages.
std::vector<core::Ruling> find_rulings(const core::Raster& raster, const Options& options = {});

// One cell of a grid before any text is placed in it.
struct GridCell {
  int row = 0, col = 0, rowspan = 1, colspan = 1;
  core::Box box;
};

// The geometry of one table on one page.
struct Grid {
  core::Box box;
  std::vector<double> row_lines;  // y of the horizontal lines, top to bottom (n_rows + 1)
  std::vector<double> col_lines;  // x of the vertical lines, left to right (n_cols + 1)
  std::vector<GridCell> cells;    // a spanned cell once, at its top-left position
  int n_rows() const { return static_cast<int>(row_lines.size()) - 1; }
  int n_cols() const { return static_cast<int>(col_lines.size()) - 1; }
};

// Table grids on a page, from page.rulings (and page.words where rules are missing), top to bottom.
std::vector<Grid> find_grids(const core::Page& page, const Options& options = {});

// The rulings and grids of a scanned page, prepared by ocr::prepare_page (`grey` upright,
// deskewed, background normalized; `binary` the same frame, 0 ink). Rules are looked for as on a
// rendered page, with gaps up to 8 pt mended, and on rasters smoothed along each direction (faint,
// blurred, broken rules of harsh scans), whose candidates must cover nearly all their length on
// `grey` and must not run through text; the finder whose grids cover clearly more wins. One-row
// grids narrower than a quarter of the page (the strokes of a bold title) are dropped with their
// rulings. `page` gives the size (points, upright); its words are not used.
struct ScanGrids {
  std::vector<core::Ruling> rulings;  // for page.rulings, so that find_tables finds the grids again
  std::vector<Grid> grids;            // top to bottom
  bool faint = false;                 // found by the faint-rule finder
};
ScanGrids find_scan_grids(const core::Page& page, const core::Raster& grey,
                          const core::Raster& binary);

// The tables of one page: grids filled with the page's words, captions read from the lines above
// each table, header rows found. Tables are numbered by position; Table::id is left 0.
std::vector<core::Table> find_tables(const core::Page& page, const Options& options = {});

// Joins tables that continue on the next page (same columns, and either a repeated header or no
// caption of their own) into one, dropping repeated header rows, and sets Table::id in order.
std::vector<core::Table> join_tables(std::vector<core::Table> page_tables);

// Document metadata (department, year, budget or final account, unit) from the words of the first
// pages and the tables' captions.
core::Metadata read_metadata(const core::Document& document);

}  // namespace tally::layout
