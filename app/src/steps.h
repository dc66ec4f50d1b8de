// The pipeline's per-page steps that live in their own files (internal to app/).
#pragma once

#include "tally/app/job.h"
#include "tally/core/model.h"
#include "tally/extract/extract.h"
#include "tally/ocr/page_reader.h"

namespace tally::app {

// Reads a page whose text layer is not trusted (page.text_source == Ocr): renders it at
// options.ocr_dpi, prepares the raster (deskew, orientation, background, binarization), finds its
// rulings and table grids, reads every cell and the text outside the tables, and fills page.rulings
// and page.words (page points, in the upright page's frame) plus page.skew_degrees and
// page.orientation_degrees, so that layout::find_tables builds the tables as on a born-digital
// page. OCR words carry source Ocr, their confidence and alternatives. Problems go to `document`'s
// diagnostics. Label readings and digit glyphs are learned into `memory`, shared by the pages of
// one document, and used for crops that look the same. Calls, laps and comparisons go to `trace`.
// Safe to call from several threads at once (one OCR engine per thread).
void read_untrusted_page(const extract::PdfDocument& pdf, core::Page& page,
                         const JobOptions& options, ocr::DocumentMemory& memory,
                         ocr::PageTrace& trace, std::vector<core::Diagnostic>& diagnostics);

}  // namespace tally::app
