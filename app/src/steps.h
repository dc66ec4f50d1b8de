// The pipeline's per-page steps that live in their own files (internal to app/).
#pragma once

#include "tally/app/job.h"
#include "tally/core/model.h"
#include "tally/extract/extract.h"
#include "tally/ocr/ocr.h"

namespace tally::app {

// What the pages of one document learn while they are read, shared by the page workers.
struct DocumentMemory {
  ocr::LabelMemory labels;  // label readings, recalled for crops with the same ink
  ocr::DigitGlyphs digits;  // the document's digits, to read amounts without Tesseract
  ocr::CharacterGlyphs characters;  // the document's Chinese characters, to read labels without chi_sim
};

// Reads a page whose text layer is not trusted (page.text_source == Ocr): renders it at
// options.ocr_dpi, prepares the raster (deskew, orientation, background, binarization), finds its
// rulings and table grids, reads every cell and the text outside the tables, and fills page.rulings
// and page.words (page points, in the upright page's frame) plus page.skew_degrees and
// page.orientation_degrees, so that layout::find_tables builds the tables as on a born-digital page.
// OCR words carry source Ocr, their confidence and alternatives. Problems go to `document`'s
// diagnostics. Label readings and digit glyphs are learned into `memory`, shared by the pages of
// one document, and used for crops that look the same. Safe to call from several threads at once
// (one OCR engine per thread).
void read_untrusted_page(const extract::PdfDocument& pdf, core::Page& page, const JobOptions& options,
                         DocumentMemory& memory, std::vector<core::Diagnostic>& diagnostics);

}  // namespace tally::app
