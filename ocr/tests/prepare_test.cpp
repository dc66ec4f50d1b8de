// Page preparation on synthetic rasters: deskew, orientation, background and binarization.
#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

#include "fake_engine.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {
namespace {

core::Raster from(const cv::Mat& m, double dpi) {
  return tally::imaging::raster_of(m, dpi);
}

cv::Mat mat(core::Raster& r) {
  return cv::Mat(r.height, r.width, CV_8U, r.pixels.data());
}

// A table-like page at 150 dpi: a ruled grid and rows of "words" (short dark bars of glyph size).
cv::Mat table_page() {
  cv::Mat page(1240, 1754, CV_8U, cv::Scalar(255));
  for (int y = 150; y <= 1050; y += 40) cv::line(page, {100, y}, {1650, y}, cv::Scalar(0), 1);
  for (int x : {100, 400, 700, 1000, 1300, 1650})
    cv::line(page, {x, 150}, {x, 1050}, cv::Scalar(0), 1);
  // Glyphs of 9 pt digits at 150 dpi: 9 × 18 px rings, 2 px apart, in numbers of 7 glyphs.
  for (int y = 160; y < 1050; y += 40)
    for (int x0 : {120, 420, 720, 1020, 1320})
      for (int k = 0; k < 7; ++k)
        cv::rectangle(page, {x0 + 80 + 12 * k, y + 8}, {x0 + 88 + 12 * k, y + 25}, cv::Scalar(0),
                      2);
  return page;
}

TEST(Prepare, FindsTheSkewOfATurnedPage) {
  for (double angle : {-1.7, -0.6, 0.8, 1.9}) {
    core::Raster page = from(table_page(), 150);
    core::Raster turned = rotate(page, angle, 255);
    const double found = estimate_skew(binarize(normalize_background(turned)));
    EXPECT_NEAR(found, angle, 0.1) << "turned by " << angle;
    // Undoing it brings the rules back level.
    core::Raster fixed = rotate(turned, -found, 255);
    EXPECT_NEAR(estimate_skew(binarize(fixed)), 0.0, 0.1);
  }
}

TEST(Prepare, UprightPageHasNoSkew) {
  core::Raster page = from(table_page(), 150);
  EXPECT_NEAR(estimate_skew(binarize(page)), 0.0, 0.05);
}

TEST(Prepare, TellsSidewaysTextFromUpright) {
  core::Raster page = from(table_page(), 150);
  core::Raster binary = binarize(page);
  EXPECT_FALSE(text_runs_vertically(binary));
  EXPECT_TRUE(text_runs_vertically(rotate_quarter(binary, 90)));
  EXPECT_TRUE(text_runs_vertically(rotate_quarter(binary, 270)));
  EXPECT_FALSE(text_runs_vertically(rotate_quarter(binary, 180)));
}

// An upright notice at 200 dpi as real scans show it (issue 14): lines of 16 pt 仿宋 body text,
// whose glyphs come out about 17 pt tall once scanned (48 px rings with a cross, 4 px apart; real
// lines of c2b93ac7 p2 measure 14–17 pt by row profile), a
// 22 pt heading, and a few things that run down the page: three columns of 12 pt digits and a seal.
cv::Mat notice_page() {
  cv::Mat page(2339, 1654, CV_8U, cv::Scalar(255));
  const auto glyph = [&](int x, int y, int size) {
    cv::rectangle(page, {x, y}, {x + size - 4, y + size - 1}, cv::Scalar(0), 4);
    cv::line(page, {x + size / 2, y}, {x + size / 2, y + size - 1}, cv::Scalar(0), 3);
    cv::line(page, {x, y + size / 2}, {x + size - 4, y + size / 2}, cv::Scalar(0), 3);
  };
  for (int k = 0; k < 12; ++k) glyph(400 + 64 * k, 150, 61);  // the 22 pt heading
  for (int line = 0; line < 20; ++line)
    for (int k = 0; k < 24; ++k) glyph(150 + 52 * k, 300 + 78 * line, 48);
  for (int x : {1460, 1510, 1560})  // digit columns, 12 pt digits stacked 4 px apart
    for (int k = 0; k < 10; ++k)
      cv::rectangle(page, {x, 400 + 40 * k}, {x + 17, 432 + 40 * k}, cv::Scalar(0), 3);
  cv::circle(page, {1200, 2050}, 150, cv::Scalar(0), 6);  // the seal
  return page;
}

TEST(Prepare, UprightNoticeWithBigTextAndVerticalPiecesStaysUpright) {
  const core::Raster page = from(notice_page(), 200);
  const core::Raster binary = binarize(page);
  EXPECT_FALSE(text_runs_vertically(binary));
  EXPECT_EQ(prepare_page(page).orientation_degrees, 0);
  // The same page lying sideways is still seen as sideways.
  EXPECT_TRUE(text_runs_vertically(rotate_quarter(binary, 90)));
  EXPECT_TRUE(text_runs_vertically(rotate_quarter(binary, 270)));
}

TEST(Prepare, PreparedSidewaysPageComesBackUpright) {
  core::Raster page = from(table_page(), 150);
  const PreparedPage prepared = prepare_page(rotate_quarter(page, 270));
  EXPECT_EQ(prepared.orientation_degrees % 180, 90);
  EXPECT_EQ(prepared.grey.width, page.width);
  EXPECT_EQ(prepared.grey.height, page.height);
}

// A scripted engine: whole lines (boxes at least 4 times as wide as tall) read with `line`
// confidence, pieces of glyphs with `piece`.
testing::FakeEngine reading_lines_at(double line, double piece) {
  return testing::FakeEngine([=](const PixelBox& box, TextKind, const Engine::Settings&) {
    return Reading{"字", box.width() >= 4 * box.height() ? line : piece, {}};
  });
}

// With an engine, a page that looks sideways is turned only when the turned page reads better than
// upright by the margin: upright, a sideways table shows only glyph pieces to sample.
TEST(Prepare, QuarterTurnIsTakenOnlyWhenReadingConfirmsIt) {
  const core::Raster sideways = rotate_quarter(from(table_page(), 150), 270);
  testing::FakeEngine clear = reading_lines_at(0.9, 0.3);
  EXPECT_EQ(prepare_page(sideways, &clear).orientation_degrees % 180, 90);
  testing::FakeEngine unclear = reading_lines_at(0.35, 0.3);  // within the margin
  EXPECT_EQ(prepare_page(sideways, &unclear).orientation_degrees, 0);
  EXPECT_FALSE(unclear.calls.empty());
}

TEST(Prepare, QuarterTurnsSwapTheSize) {
  core::Raster page = from(table_page(), 150);
  const core::Raster q = rotate_quarter(page, 90);
  EXPECT_EQ(q.width, page.height);
  EXPECT_EQ(q.height, page.width);
  EXPECT_EQ(rotate_quarter(rotate_quarter(q, 270), 0).pixels, page.pixels);
}

TEST(Prepare, BinarizationKeepsFaintThinRulesOnDarkUnevenPaper) {
  // Grey paper darkening towards one corner, a faint 1 px rule and small digits.
  cv::Mat page(400, 800, CV_8U);
  for (int y = 0; y < page.rows; ++y)
    for (int x = 0; x < page.cols; ++x)
      page.at<std::uint8_t>(y, x) =
          static_cast<std::uint8_t>(240 - 50 * (x + y) / (page.cols + page.rows));
  cv::line(page, {20, 100}, {780, 100}, cv::Scalar(150), 1);
  cv::line(page, {400, 20}, {400, 380}, cv::Scalar(150), 1);
  cv::putText(page, "0.08", {100, 250}, cv::FONT_HERSHEY_PLAIN, 1.0, cv::Scalar(40), 1);
  core::Raster binary = binarize(normalize_background(from(page, 150)));
  cv::Mat b = mat(binary);
  int rule = 0, paper = 0, paper_ink = 0;
  for (int x = 20; x <= 780; ++x) rule += b.at<std::uint8_t>(100, x) == 0;
  EXPECT_GE(rule, 0.97 * 761);
  int vrule = 0;
  for (int y = 20; y <= 380; ++y) vrule += b.at<std::uint8_t>(y, 400) == 0;
  EXPECT_GE(vrule, 0.97 * 361);
  for (int y = 300; y < 390; ++y)
    for (int x = 500; x < 790; ++x) {
      ++paper;
      paper_ink += b.at<std::uint8_t>(y, x) == 0;
    }
  EXPECT_EQ(paper_ink, 0) << "of " << paper << " paper pixels";
  int digits = 0;
  for (int y = 235; y < 252; ++y)
    for (int x = 100; x < 140; ++x) digits += b.at<std::uint8_t>(y, x) == 0;
  EXPECT_GT(digits, 30);
}

TEST(Prepare, NormalizedPaperIsWhite) {
  cv::Mat page(300, 300, CV_8U, cv::Scalar(205));
  core::Raster n = normalize_background(from(page, 150));
  for (std::uint8_t p : n.pixels) ASSERT_GE(p, 250);
}

}  // namespace
}  // namespace tally::ocr
