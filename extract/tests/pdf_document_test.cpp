#include <gtest/gtest.h>

#include <algorithm>

#include "tally/core/error.h"
#include "tally/extract/extract.h"

using tally::core::Error;
using tally::core::ErrorCode;
using tally::extract::OpenOptions;
using tally::extract::PdfDocument;

namespace {

const std::string kData = std::string(TALLY_SOURCE_DIR) + "/extract/tests/data/";

// Opens `file` expecting failure; returns the error so the test can check code and message.
Error open_error(const std::string& file, const OpenOptions& options = {}) {
  try {
    PdfDocument::open(kData + file, options);
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << file << " opened, but it should not";
  return Error(ErrorCode::Internal, "");
}

const tally::core::Word* find_word(const tally::core::Page& page, const std::string& text) {
  auto it = std::find_if(page.words.begin(), page.words.end(),
                         [&](const tally::core::Word& w) { return w.text == text; });
  return it == page.words.end() ? nullptr : &*it;
}

}  // namespace

TEST(PdfDocument, ReadsWordsWithPositionsInTopLeftPoints) {
  const PdfDocument pdf = PdfDocument::open(kData + "simple.pdf");
  EXPECT_EQ(pdf.page_count(), 1);
  EXPECT_EQ(pdf.source().file, "simple.pdf");
  EXPECT_EQ(pdf.source().sha256.size(), 64u);
  const tally::core::Page page = pdf.read_page(1);
  EXPECT_DOUBLE_EQ(page.width, 612);
  EXPECT_DOUBLE_EQ(page.height, 792);
  const auto* amount = find_word(page, "1,760.38");
  ASSERT_NE(amount, nullptr);
  EXPECT_NEAR(amount->box.x0, 102.0, 0.5);
  EXPECT_NEAR(amount->box.y1, 74.5, 1.0);  // baseline 72 pt below the top, descender below
  EXPECT_EQ(amount->glyphs.size(), 8u);
  EXPECT_NEAR(amount->font_size, 12, 0.01);
  // "right" is drawn before "left" in the content stream; positions, not order, place them.
  ASSERT_NE(find_word(page, "left"), nullptr);
  EXPECT_LT(find_word(page, "left")->box.x0, find_word(page, "right")->box.x0);
  EXPECT_EQ(pdf.info_title(), "Simple test");
}

TEST(PdfDocument, RendersGreyWithHairlinesVisible) {
  const PdfDocument pdf = PdfDocument::open(kData + "simple.pdf");
  const tally::core::Raster raster = pdf.render_page(1, 100);
  EXPECT_EQ(raster.width, 850);  // 612 pt at 100 dpi
  EXPECT_EQ(raster.height, 1100);
  // The 0.5 pt rule at y = 92 pt from the top, x 72–300 pt.
  const int y = static_cast<int>(raster.to_pixels(92));
  int darkest = 255;
  for (int dy = -2; dy <= 2; ++dy) darkest = std::min<int>(darkest, raster.at(150, y + dy));
  EXPECT_LT(darkest, 128);
  EXPECT_EQ(raster.at(5, 5), 255);
}

TEST(PdfDocument, SwapsSizeForRotatedPages) {
  const PdfDocument pdf = PdfDocument::open(kData + "rotated.pdf");
  const tally::core::Page page = pdf.read_page(1);
  EXPECT_DOUBLE_EQ(page.width, 792);
  EXPECT_DOUBLE_EQ(page.height, 612);
  for (const auto& word : page.words) {
    EXPECT_LE(word.box.x1, page.width + 1);
    EXPECT_LE(word.box.y1, page.height + 1);
  }
}

TEST(PdfDocument, OpensEncryptedWithPassword) {
  EXPECT_EQ(open_error("encrypted.pdf").code(), ErrorCode::Encrypted);
  const Error wrong = open_error("encrypted.pdf", {.password = "guess"});
  EXPECT_EQ(wrong.code(), ErrorCode::BadPassword);
  EXPECT_NE(std::string(wrong.what()).find("encrypted.pdf"), std::string::npos);
  const PdfDocument pdf = PdfDocument::open(kData + "encrypted.pdf", {.password = "secret"});
  EXPECT_NE(find_word(pdf.read_page(1), "Total"), nullptr);
}

TEST(PdfDocument, RefusesBadInputWithClearErrors) {
  EXPECT_EQ(open_error("missing.pdf").code(), ErrorCode::NotFound);
  EXPECT_EQ(open_error("not-a-pdf.pdf").code(), ErrorCode::NotPdf);
  EXPECT_EQ(open_error("truncated.pdf").code(), ErrorCode::Damaged);
  EXPECT_EQ(open_error("no-pages.pdf").code(), ErrorCode::NoPages);
  const Error huge = open_error("huge-page.pdf");
  EXPECT_EQ(huge.code(), ErrorCode::PageTooLarge);
  EXPECT_NE(std::string(huge.what()).find("page 1"), std::string::npos) << huge.what();
  EXPECT_EQ(open_error("simple.pdf", {.max_bytes = 100}).code(), ErrorCode::TooLarge);
  EXPECT_EQ(open_error("").code(), ErrorCode::NotPdf);  // the data folder itself
}

TEST(JudgeTextLayer, SeparatesBlankScannedGarbledAndFine) {
  using tally::core::TextSource;
  tally::core::Page page;
  EXPECT_EQ(tally::extract::judge_text_layer(page, false).source, TextSource::None);
  EXPECT_EQ(tally::extract::judge_text_layer(page, true).source, TextSource::Ocr);
  page.words.push_back({.text = "部门支出总体情况表"});
  EXPECT_EQ(tally::extract::judge_text_layer(page, true).source, TextSource::TextLayer);
  page.words.push_back({.text = "\xEE\x80\x81\xEE\x80\x82\xEE\x80\x83"});  // private use
  EXPECT_EQ(tally::extract::judge_text_layer(page, true).source, TextSource::Ocr);
}

// What a page draws decides the resolution a scan is rendered at for OCR: a scanned page is one
// image at its scan's resolution and nothing else; a born-digital page draws text and rules.
TEST(PdfDocument, TellsAScansResolutionFromWhatThePageDraws) {
  const std::string fixtures = std::string(TALLY_SOURCE_DIR) + "/fixtures/pdf/";
  for (const auto& [file, dpi] :
       {std::pair{"gen-0001.scan200.pdf", 200.0}, std::pair{"seed-000.scan150.pdf", 150.0}}) {
    const PdfDocument scan = PdfDocument::open(fixtures + file);
    for (const int page : {1, scan.page_count()}) {
      const tally::extract::PageDrawing drawing = scan.page_drawing(page);
      EXPECT_NEAR(drawing.image_dpi, dpi, 1.0) << file << " page " << page;
      EXPECT_GT(drawing.image_cover, 0.98) << file << " page " << page;
      EXPECT_FALSE(drawing.other_ink) << file << " page " << page;
    }
  }
  const tally::extract::PageDrawing born =
      PdfDocument::open(fixtures + "seed-000.mojibake.pdf").page_drawing(1);
  EXPECT_EQ(born.image_dpi, 0);
  EXPECT_TRUE(born.other_ink);
  // Opened with its password the second time too.
  EXPECT_TRUE(
      PdfDocument::open(kData + "encrypted.pdf", {.password = "secret"}).page_drawing(1).other_ink);
  EXPECT_EQ(PdfDocument::open(kData + "simple.pdf").page_drawing(2).image_dpi, 0) << "no such page";
}
