// The characters of a PDF's text layer, for the ICDAR region measure.
//
// Read through extract::PdfDocument, so the frame (points, displayed orientation, origin top-left)
// is the one Tally's boxes use.
#pragma once

#include <string>
#include <vector>

#include "tally/core/geometry.h"

namespace tally::score::detail {

struct PageGlyphs {
  int number = 0;                 // 1-based
  double width = 0, height = 0;   // points, as displayed (after /Rotate)
  std::vector<core::Box> glyphs;  // one box per character, displayed frame, origin top-left
};

// Throws core::Error (NotFound, Damaged) naming the file.
std::vector<PageGlyphs> read_pdf_glyphs(const std::string& path);

}  // namespace tally::score::detail
