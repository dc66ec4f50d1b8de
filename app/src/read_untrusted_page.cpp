#include "steps.h"
#include "tally/layout/layout.h"

namespace tally::app {

// Until the OCR stage lands: find the rulings so the grid is still reported, and say that the
// cells could not be read.
void read_untrusted_page(const extract::PdfDocument& pdf, core::Page& page, const JobOptions& options,
                         std::vector<core::Diagnostic>& diagnostics) {
  page.rulings = layout::find_rulings(pdf.render_page(page.number, options.dpi));
  diagnostics.push_back({core::Severity::Warning, "ocr_unavailable", page.number,
                         "page needs OCR, which this build does not have; cells are left empty"});
}

}  // namespace tally::app
