// The digit glyphs read an amount only from digits learned in the same document, each matched
// clearly; anything they have not learned or cannot split cleanly is left to Tesseract (nullopt).
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace {

using tally::ocr::DigitGlyphs;
using tally::ocr::PixelBox;
using tally::ocr::Reading;

// A binary 300 dpi page with `numbers` one under the other, each drawn a character at a time at a
// fixed pitch (tabular figures, as amounts are printed); `pitch` below the glyphs' width makes
// neighbours touch.
tally::core::Raster page_with(const std::vector<std::string>& numbers, std::vector<PixelBox>& boxes,
                              int pitch = 24) {
  cv::Mat page(40 + 60 * static_cast<int>(numbers.size()), 400, CV_8U, cv::Scalar(255));
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    const int baseline = 50 + 60 * static_cast<int>(i);
    int x = 30;
    for (const char c : numbers[i]) {
      const bool mark = c == '.' || c == ',';
      // A mark keeps clear of its neighbours whatever the pitch.
      cv::putText(page, std::string(1, c), {mark ? x + (pitch < 24 ? 3 : -6) : x, baseline},
                  cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 3, cv::LINE_8);
      x += mark ? 12 + (pitch < 24 ? 4 : 0) : pitch;
    }
    boxes.push_back({24, baseline - 30, x + 8, baseline + 12});
  }
  return tally::imaging::raster_of(page, 300);
}

Reading confident(const std::string& text) {
  return {text, 0.96, {}};
}

TEST(DigitGlyphs, ReadsAnAmountFromDigitsLearnedBefore) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({"12345.67", "890.12", "706.45", "71.73"}, boxes);
  DigitGlyphs glyphs;
  EXPECT_FALSE(glyphs.read(page, boxes[2]).has_value()) << "nothing learned yet";
  glyphs.learn(page, boxes[0], confident("12345.67"));
  glyphs.learn(page, boxes[1], confident("890.12"));
  EXPECT_GE(glyphs.size(), 10u);
  for (const std::size_t i : {std::size_t{2}, std::size_t{3}}) {
    const std::optional<Reading> read = glyphs.read(page, boxes[i]);
    ASSERT_TRUE(read.has_value()) << i;
    EXPECT_EQ(read->text, i == 2 ? "706.45" : "71.73");
    EXPECT_GE(read->confidence, 0.9);
  }
}

TEST(DigitGlyphs, LeavesUnlearnedDigitsMinusSignsAndDoubtfulTeachersToTesseract) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page =
      page_with({"1234.56", "789.12", "-12.34", "3456", "7890.12"}, boxes);
  DigitGlyphs glyphs;
  glyphs.learn(page, boxes[1], {"789.12", 0.50, {}});  // Tesseract unsure: teaches nothing
  EXPECT_EQ(glyphs.size(), 0u);
  glyphs.learn(page, boxes[0], confident("1234.56"));
  EXPECT_FALSE(glyphs.read(page, boxes[1]).has_value()) << "7, 8, 9 and 0 were never learned";
  // Until every digit is learned, none is read: an unlearned 8 could pass for a 3.
  EXPECT_FALSE(glyphs.read(page, boxes[3]).has_value());
  glyphs.learn(page, boxes[4], confident("7890.12"));
  EXPECT_FALSE(glyphs.read(page, boxes[2]).has_value()) << "a minus sign is Tesseract's";
  for (const std::size_t i : {std::size_t{1}, std::size_t{3}}) {
    const std::optional<Reading> read = glyphs.read(page, boxes[i]);
    ASSERT_TRUE(read.has_value()) << i;
    EXPECT_EQ(read->text, i == 1 ? "789.12" : "3456");
  }
}

TEST(DigitGlyphs, LearnsAndReadsDigitsThatTouch) {
  std::vector<PixelBox> apart, touching;
  const tally::core::Raster separate = page_with({"1234.56"}, apart);
  const tally::core::Raster bold = page_with({"5678.90", "9876.05", "8765.09"}, touching, 17);
  DigitGlyphs glyphs;
  glyphs.learn(separate, apart[0], confident("1234.56"));  // the digits' width per digit
  const std::size_t before = glyphs.size();
  glyphs.learn(bold, touching[0], confident("5678.90"));  // touching digits, cut as read cuts them
  EXPECT_GT(glyphs.size(), before) << "learned from touching digits";
  for (const std::size_t i : {std::size_t{1}, std::size_t{2}}) {
    const std::optional<Reading> read = glyphs.read(bold, touching[i]);
    ASSERT_TRUE(read.has_value()) << i;
    EXPECT_EQ(read->text, i == 1 ? "9876.05" : "8765.09");
  }
}

}  // namespace
