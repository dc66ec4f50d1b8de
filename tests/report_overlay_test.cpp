// The audit report shows what was read where it was read: on a scan the OCR stage deskewed, the
// page image is turned the same way, so the cell boxes drawn over it lie on the printed rules.
// Measured, not looked at: along every cell's top and bottom edge, the share of the edge that has
// ink within two pixels, on the report's image and on the image as scanned.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include "tally/app/job.h"
#include "tally/export/export.h"
#include "tally/extract/pdf_document.h"
#include "tally/fixtures/render.h"
#include "tally/fixtures/truth.h"

namespace {

using namespace tally;
namespace fs = std::filesystem;

constexpr double kReportDpi = 100;
constexpr double kMinSkew = 0.7;  // degrees: 6 px of drift across a 500 pt table at 100 dpi

// Share of the cells' horizontal edges on `page` with ink within 2 px of the drawn line.
double edges_on_ink(const exports::PageImage& image, const core::Table& table, int page) {
  std::vector<std::uint8_t> bytes(image.png.begin(), image.png.end());
  const cv::Mat grey = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
  const double scale = grey.cols / image.width_pt;
  long on = 0, all = 0;
  for (const core::Cell& cell : table.cells) {
    if (cell.page != page || cell.box.empty()) continue;
    for (double y_pt : {cell.box.y0, cell.box.y1}) {
      const int y = static_cast<int>(std::lround(y_pt * scale));
      for (int x = static_cast<int>(cell.box.x0 * scale) + 3;
           x < static_cast<int>(cell.box.x1 * scale) - 3; ++x) {
        if (x < 0 || x >= grey.cols || y < 2 || y + 2 >= grey.rows) continue;
        ++all;
        bool ink = false;
        for (int dy = -2; dy <= 2; ++dy) ink = ink || grey.at<std::uint8_t>(y + dy, x) < 140;
        on += ink;
      }
    }
  }
  return all ? static_cast<double>(on) / static_cast<double>(all) : 0;
}

TEST(AuditReport, TheGridOverlayFollowsADeskewedPage) {
  const fs::path root = TALLY_SOURCE_DIR;
  const fixtures::TruthDocument truth = fixtures::load_truth(root / "fixtures/truth/seed-000.json");
  const fs::path pdf = fs::temp_directory_path() / "tally-report-overlay.pdf";
  constexpr int kPage = 3;  // a table page of seed 000
  // Seeds of the harsh profile until the page comes out skewed enough to tell.
  for (std::uint64_t seed = 1; seed <= 8; ++seed) {
    fixtures::RenderOptions render;
    render.variant = fixtures::Variant::Scan;
    render.dpi = 150;
    render.profile = "harsh";
    render.seed = seed;
    fixtures::render_pdf(truth, render, pdf);
    app::JobOptions options;
    options.pages = app::PageRange{kPage, kPage};
    options.ocr_dpi = 150;
    const core::Document doc = app::run_document(pdf, options);
    const core::Page* page = nullptr;
    for (const core::Page& p : doc.pages)
      if (p.number == kPage) page = &p;
    ASSERT_NE(page, nullptr);
    if (std::abs(page->skew_degrees) < kMinSkew || page->orientation_degrees != 0) continue;
    const core::Table* table = nullptr;
    for (const core::Table& t : doc.tables)
      if (!t.pages.empty() && t.pages.front() == kPage && (!table || t.cells.size() > table->cells.size()))
        table = &t;
    ASSERT_NE(table, nullptr);
    const core::Raster raster = extract::PdfDocument::open(pdf).render_page(kPage, kReportDpi);
    const exports::PageImage level =
        exports::page_image_of(raster, 0, page->width, page->height, page->skew_degrees);
    const exports::PageImage as_scanned = exports::page_image_of(raster, 0, page->width, page->height);
    const double on_level = edges_on_ink(level, *table, kPage);
    const double on_scanned = edges_on_ink(as_scanned, *table, kPage);
    EXPECT_GT(on_level, 0.85) << "skew " << page->skew_degrees;
    EXPECT_GT(on_level, on_scanned + 0.15) << "skew " << page->skew_degrees;
    // And the report embeds that image under the boxes.
    const std::string html = exports::html_of(doc, {{kPage, level}});
    EXPECT_NE(html.find("data:image/png;base64,"), std::string::npos);
    fs::remove(pdf);
    return;
  }
  fs::remove(pdf);
  FAIL() << "no harsh render of seed 000 page " << kPage << " came out skewed by " << kMinSkew << "°";
}

}  // namespace
