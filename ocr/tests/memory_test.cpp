// The label memory gives a remembered reading back only for a crop with the same ink: the same
// line scanned again (noise, a pixel's shift), never one that differs in a single character or in
// size, and it never remembers digits.
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace {

using tally::ocr::LabelMemory;
using tally::ocr::PixelBox;
using tally::ocr::Reading;

struct Line {
  std::string text;
  int dx = 0, dy = 0;  // shift of the ink inside its box
  double scale = 1.2;  // font scale
  int noise = 0;       // scan noise over the line: its standard deviation in grey levels
};

// A 300 dpi grey page with `lines` drawn one under the other, and the box cut around each the same
// way whatever the shift (so that a shifted line sits off-centre in its box, as on a second scan).
tally::core::Raster page_with(const std::vector<Line>& lines, std::vector<PixelBox>& boxes) {
  cv::Mat page(80 + 90 * static_cast<int>(lines.size()), 900, CV_8U, cv::Scalar(255));
  cv::RNG rng(7);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const Line& line = lines[i];
    const int baseline = 80 + 90 * static_cast<int>(i);
    cv::putText(page, line.text, {60 + line.dx, baseline + line.dy}, cv::FONT_HERSHEY_SIMPLEX,
                line.scale, cv::Scalar(0), 3, cv::LINE_AA);
    int base = 0;
    const cv::Size size =
        cv::getTextSize(line.text, cv::FONT_HERSHEY_SIMPLEX, line.scale, 3, &base);
    const PixelBox box{56, baseline - size.height - 5, 64 + size.width, baseline + base + 1};
    if (line.noise > 0) {
      cv::Mat noise(box.height(), box.width(), CV_8U);
      rng.fill(noise, cv::RNG::NORMAL, 0, line.noise);
      cv::Mat region = page(cv::Rect(box.x0, box.y0, box.width(), box.height()));
      cv::subtract(region, noise, region);
    }
    boxes.push_back(box);
  }
  return tally::imaging::raster_of(page, 300);
}

Reading reading_of(const std::string& text) {
  return {text, 0.95, {}};
}

TEST(LabelMemory, RecallsTheSameLineScannedAgain) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({{"PUBLIC SAFETY"},
                                              {"PUBLIC SAFETY", 1, -1},
                                              {"PUBLIC SAFETY", 0, 0, 1.2, 6},
                                              {"PUBLIC SAFETY"}},
                                             boxes);
  LabelMemory memory;
  EXPECT_FALSE(memory.recall(page, boxes[0]).has_value());
  memory.remember(page, boxes[0], reading_of("公共安全支出"));
  EXPECT_EQ(memory.size(), 1u);
  for (const std::size_t i : {std::size_t{1}, std::size_t{2}, std::size_t{3}}) {
    const std::optional<Reading> recalled = memory.recall(page, boxes[i]);
    ASSERT_TRUE(recalled.has_value()) << "line " << i;
    EXPECT_EQ(recalled->text, "公共安全支出");
    EXPECT_DOUBLE_EQ(recalled->confidence, 0.95);
  }
  EXPECT_LT(memory.nearest(page, boxes[3])->unlikeness, 0.05);  // the same pixels
}

TEST(LabelMemory, DoesNotRecallALineThatDiffersInOneCharacterOrInSize) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with(
      {{"PUBLIC SAFETY"}, {"PUBLIC SAFETX"}, {"PUBLIC SAVETY"}, {"PUBLIC SAFETY", 0, 0, 1.4}},
      boxes);
  LabelMemory memory;
  memory.remember(page, boxes[0], reading_of("公共安全支出"));
  for (const std::size_t i : {std::size_t{1}, std::size_t{2}}) {
    const std::optional<LabelMemory::Recalled> near = memory.nearest(page, boxes[i]);
    ASSERT_TRUE(near.has_value()) << "line " << i;  // same size: compared
    EXPECT_GT(near->unlikeness, LabelMemory::kSameInk) << "line " << i;
    EXPECT_FALSE(memory.recall(page, boxes[i]).has_value()) << "line " << i;
  }
  EXPECT_FALSE(memory.nearest(page, boxes[3]).has_value());  // larger: not compared at all
}

TEST(LabelMemory, RecallsTheWordsOfALineWhereItsInkNowIs) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with(
      {{"UNIT: TEN THOUSAND"}, {"UNIT: TEN THOUSAND", 7, 3}, {"UNIT: TEN THOUSANE"}}, boxes);
  LabelMemory memory;
  const int x = boxes[0].x0 + 10, y = boxes[0].y0 + 5;
  memory.remember_words(page, boxes[0],
                        {{"单位", 0.9, x, y, x + 80, y + 30, false},
                         {"万元", 0.9, x + 90, y, x + 170, y + 30, false}});
  EXPECT_FALSE(memory.recall(page, boxes[0]).has_value());  // lines and labels are kept apart
  EXPECT_FALSE(memory.recall_words(page, boxes[2]).has_value());
  const std::optional<std::vector<tally::ocr::WordReading>> words =
      memory.recall_words(page, boxes[1]);
  ASSERT_TRUE(words.has_value());
  ASSERT_EQ(words->size(), 2u);
  EXPECT_EQ((*words)[1].text, "万元");
  // The second line's ink sits 7 px right and one line plus 3 px down: so do its words.
  EXPECT_EQ((*words)[0].x0, x + 7);
  EXPECT_EQ((*words)[0].y0, y + (boxes[1].y0 - boxes[0].y0) + 3);
  EXPECT_EQ((*words)[1].x1, x + 177);
}

TEST(LabelMemory, RemembersOnlyChineseWithoutDigits) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({{"2010101"}, {"TOTAL"}, {"SUBTOTAL 2"}}, boxes);
  LabelMemory memory;
  memory.remember(page, boxes[0], reading_of("2010101"));
  memory.remember(page, boxes[1], reading_of("TOTAL"));
  memory.remember(page, boxes[2], reading_of("小计2"));
  EXPECT_EQ(memory.size(), 0u);
  memory.remember(page, {-5, 0, 40, 30}, reading_of("合计"));   // outside the page
  memory.remember(page, {10, 10, 11, 40}, reading_of("合计"));  // degenerate
  EXPECT_EQ(memory.size(), 0u);
  EXPECT_FALSE(memory.recall(page, {-5, 0, 40, 30}).has_value());
}

}  // namespace
