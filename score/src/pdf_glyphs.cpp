#include "pdf_glyphs.h"

#include <filesystem>
#include <memory>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include "tally/core/error.h"

namespace tally::score::detail {

std::vector<PageGlyphs> read_pdf_glyphs(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw core::Error(core::ErrorCode::NotFound, path + ": no such file");
  std::unique_ptr<poppler::document> document(poppler::document::load_from_file(path));
  if (!document || document->is_locked())
    throw core::Error(core::ErrorCode::Damaged, path + ": Poppler cannot open it as a PDF");
  std::vector<PageGlyphs> pages;
  for (int i = 0; i < document->pages(); ++i) {
    std::unique_ptr<poppler::page> page(document->create_page(i));
    PageGlyphs glyphs;
    glyphs.number = i + 1;
    if (!page) {
      pages.push_back(glyphs);
      continue;
    }
    const poppler::rectf rect = page->page_rect(poppler::crop_box);
    const bool turned = page->orientation() == poppler::page::landscape ||
                        page->orientation() == poppler::page::seascape;
    glyphs.width = turned ? rect.height() : rect.width();
    glyphs.height = turned ? rect.width() : rect.height();
    // text_list() reports boxes in the displayed frame, origin top-left.
    for (const poppler::text_box& word : page->text_list()) {
      const std::size_t n = word.text().size();
      for (std::size_t k = 0; k < n; ++k) {
        const poppler::rectf r = word.char_bbox(k);
        glyphs.glyphs.push_back({r.left(), r.top(), r.right(), r.bottom()});
      }
    }
    pages.push_back(std::move(glyphs));
  }
  return pages;
}

}  // namespace tally::score::detail
