// Reading crops side by side must give each crop what reading it alone gives: the same text, in
// the order asked, nothing carried over from a neighbour.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace {

using tally::ocr::Engine;
using tally::ocr::PixelBox;
using tally::ocr::TextKind;

// A 300 dpi grey page with `texts` drawn one under the other, and the box around each.
tally::core::Raster page_with(const std::vector<std::string>& texts, std::vector<PixelBox>& boxes) {
  cv::Mat page(120 + 80 * static_cast<int>(texts.size()), 900, CV_8U, cv::Scalar(255));
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const int baseline = 80 + 80 * static_cast<int>(i);
    cv::putText(page, texts[i], {60, baseline}, cv::FONT_HERSHEY_SIMPLEX, 1.2, cv::Scalar(0), 2,
                cv::LINE_AA);
    int base = 0;
    const cv::Size size = cv::getTextSize(texts[i], cv::FONT_HERSHEY_SIMPLEX, 1.2, 2, &base);
    boxes.push_back({56, baseline - size.height - 5, 64 + size.width, baseline + base + 1});
  }
  return tally::imaging::raster_of(page, 300);
}

TEST(Engine, ReadsCropsSideBySideAsItReadsThemAlone) {
  const std::vector<std::string> texts = {"1,234.56", "708.00", "42", "0.64"};
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with(texts, boxes);
  Engine& engine = Engine::for_this_thread();
  const std::vector<tally::ocr::Reading> together =
      engine.read_side_by_side(page, boxes, TextKind::Number);
  ASSERT_EQ(together.size(), texts.size());
  for (std::size_t i = 0; i < texts.size(); ++i) {
    const tally::ocr::Reading alone = engine.read(page, boxes[i], TextKind::Number);
    EXPECT_EQ(alone.text, texts[i]);
    EXPECT_EQ(together[i].text, texts[i]) << "crop " << i;
    EXPECT_GT(together[i].confidence, 0.6) << "crop " << i;
  }
}

TEST(Engine, GivesAnEmptyReadingForAnEmptyOrDegenerateCrop) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({"96.28", "51.51"}, boxes);
  // A blank crop between the two, and one of zero width.
  const PixelBox blank{600, boxes[0].y0, 700, boxes[0].y1};
  const PixelBox degenerate{10, 10, 10, 40};
  const std::vector<tally::ocr::Reading> readings = Engine::for_this_thread().read_side_by_side(
      page, {boxes[0], blank, degenerate, boxes[1]}, TextKind::Number);
  ASSERT_EQ(readings.size(), 4u);
  EXPECT_EQ(readings[0].text, "96.28");
  EXPECT_EQ(readings[1].text, "");
  EXPECT_EQ(readings[1].confidence, 0.0);
  EXPECT_EQ(readings[2].text, "");
  EXPECT_EQ(readings[3].text, "51.51");
}

}  // namespace
