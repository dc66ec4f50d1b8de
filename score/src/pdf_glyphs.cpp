#include "pdf_glyphs.h"

#include "tally/extract/extract.h"

namespace tally::score::detail {

std::vector<PageGlyphs> read_pdf_glyphs(const std::string& path) {
  const extract::PdfDocument pdf = extract::PdfDocument::open(path);
  std::vector<PageGlyphs> pages;
  for (int n = 1; n <= pdf.page_count(); ++n) {
    const core::Page page = pdf.read_page(n);
    PageGlyphs glyphs{n, page.width, page.height, {}};
    for (const core::Word& word : page.words) {
      if (!word.glyphs.empty())
        glyphs.glyphs.insert(glyphs.glyphs.end(), word.glyphs.begin(), word.glyphs.end());
      else
        glyphs.glyphs.push_back(word.box);
    }
    pages.push_back(std::move(glyphs));
  }
  return pages;
}

}  // namespace tally::score::detail
