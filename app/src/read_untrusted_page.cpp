// The OCR path: a page whose text layer is missing or garbled is rendered, prepared, its grids
// found (layout/) and its cells and lines read (ocr/), so that layout::find_tables sees words and
// rulings as on a born-digital page.
#include "steps.h"
#include "tally/layout/layout.h"
#include "tally/ocr/page_reader.h"

namespace tally::app {

namespace {

// A scan whose images cover less of the page than this, or that draws anything else, is rendered
// by Poppler at the OCR resolution; so is one whose images need scaling up by more than
// kMaxUpscale, or by less than 1 / kMinImageShare (drawn at nearly the OCR resolution).
constexpr double kScanCover = 0.9;
constexpr double kMaxUpscale = 1.55;
constexpr double kMinImageShare = 0.9;

// The page at `dpi` for OCR. A scan drawn at a somewhat lower resolution (and nothing else drawn)
// is rendered at its own and scaled up with OpenCV: Poppler scales a page image up at about three
// times the cost (0.19 against 0.07 s a page, 200 dpi to 300). Scans that need more than 1.5×
// (150 dpi) stay with Poppler: scaled 2× they read worse (32-scan corpus, 150 dpi: 14 → 23 extra
// rows, 41 → 45 label characters wrong); nor is an image drawn at nearly the OCR resolution scaled.
core::Raster render_for_ocr(const extract::PdfDocument& pdf, int number, double dpi) {
  const extract::PageDrawing drawing = pdf.page_drawing(number);
  if (drawing.other_ink || drawing.image_cover < kScanCover ||
      drawing.image_dpi < dpi / kMaxUpscale || drawing.image_dpi > kMinImageShare * dpi)
    return pdf.render_page(number, dpi);
  return ocr::scale_up(pdf.render_page(number, drawing.image_dpi), dpi);
}

// The layout's grids as the cells the reader crops.
std::vector<ocr::TableCells> cells_of(const std::vector<layout::Grid>& grids) {
  std::vector<ocr::TableCells> tables;
  for (const layout::Grid& grid : grids) {
    ocr::TableCells table{grid.box, {}};
    for (const layout::GridCell& cell : grid.cells)
      table.cells.push_back({cell.row, cell.col, cell.box});
    tables.push_back(std::move(table));
  }
  return tables;
}

// The prepared page's frame on `page`: skew and quarter turns, the size swapped for a sideways
// scan.
void take_frame(const ocr::PreparedPage& prepared, core::Page& page,
                std::vector<core::Diagnostic>& diagnostics) {
  page.skew_degrees = prepared.skew_degrees;
  page.orientation_degrees = prepared.orientation_degrees;
  if (prepared.orientation_degrees % 180 == 90) std::swap(page.width, page.height);
  if (prepared.orientation_degrees != 0)
    diagnostics.push_back({core::Severity::Info, "page_turned", page.number,
                           "page scanned sideways or upside down: turned by " +
                               std::to_string(prepared.orientation_degrees) +
                               "° clockwise before reading"});
}

}  // namespace

void read_untrusted_page(const extract::PdfDocument& pdf, core::Page& page,
                         const JobOptions& options, ocr::DocumentMemory& memory,
                         ocr::PageTrace& trace, std::vector<core::Diagnostic>& diagnostics) {
  ocr::Engine& engine = ocr::Engine::for_this_thread(options.tessdata_dir);
  trace.lap("engine");
  const core::Raster rendered = render_for_ocr(pdf, page.number, options.ocr_dpi);
  trace.lap("render");
  const ocr::PreparedPage prepared = ocr::prepare_page(rendered, &engine);
  trace.lap("prepare");
  take_frame(prepared, page, diagnostics);
  layout::ScanGrids scan = layout::find_scan_grids(page, prepared.grey, prepared.binary);
  page.rulings = std::move(scan.rulings);
  if (scan.faint)
    diagnostics.push_back(
        {core::Severity::Info, "faint_rules", page.number,
         "rules too faint or broken for the plain finder: found on direction-smoothed rasters"});
  trace.lap("grid");
  std::vector<core::Diagnostic> read_notes;
  page.words = ocr::read_page_words(prepared, page.number, cells_of(scan.grids), engine, memory,
                                    options.reader, trace, read_notes);
  // Tables without rules show only in the words' alignment: when the words read as lines hold
  // one, the page is read again with its cells cropped like ruled ones (numbers first, column
  // statistics, the code lists), which reads amounts better than lines do.
  const std::vector<layout::Grid> grids = layout::find_grids(page);
  trace.lap("unruled");
  if (grids.size() > scan.grids.size()) {
    read_notes.clear();
    page.words = ocr::read_page_words(prepared, page.number, cells_of(grids), engine, memory,
                                      options.reader, trace, read_notes);
  }
  diagnostics.insert(diagnostics.end(), read_notes.begin(), read_notes.end());
  if (page.words.empty())
    diagnostics.push_back(
        {core::Severity::Warning, "ocr_empty", page.number, "OCR found no text on the page"});
}

}  // namespace tally::app
