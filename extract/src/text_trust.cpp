#include "tally/core/text.h"
#include "tally/extract/extract.h"

namespace tally::extract {

// A first verdict from code points alone; the OCR stage's issue refines it with vocabulary hits.
TextLayerVerdict judge_text_layer(const core::Page& page, bool page_has_ink) {
  TextLayerVerdict verdict;
  std::size_t total = 0, suspicious = 0;
  for (const core::Word& word : page.words)
    for (char32_t c : core::utf8_to_u32(word.text)) {
      ++total;
      const bool private_use = (c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000;
      const bool control = c < 0x20 || (c >= 0x7F && c < 0xA0);
      if (private_use || control || c == 0xFFFD) ++suspicious;
    }
  if (total == 0) {
    verdict.source = page_has_ink ? core::TextSource::Ocr : core::TextSource::None;
    verdict.reasons.push_back(page_has_ink ? "no text layer, but the page has ink: read by OCR"
                                           : "no text layer and no ink: blank page");
    return verdict;
  }
  const double share = static_cast<double>(suspicious) / static_cast<double>(total);
  if (share > 0.05) {
    verdict.source = core::TextSource::Ocr;
    verdict.reasons.push_back(std::to_string(suspicious) + " of " + std::to_string(total) +
                              " characters are private-use, control or replacement code points");
    return verdict;
  }
  verdict.source = core::TextSource::TextLayer;
  verdict.reasons.push_back(std::to_string(total) + " characters, none improbable");
  return verdict;
}

}  // namespace tally::extract
