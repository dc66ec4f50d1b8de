// core::open_by_line against cv::morphologyEx: bit-identical on random masks, both directions.
#include <gtest/gtest.h>

#include <algorithm>
#include <opencv2/imgproc.hpp>
#include <string>

#include "tally/imaging/opencv.h"

using tally::core::Orientation;
using tally::imaging::open_by_line;

namespace {

// A 0/255 mask of `rows` × `cols` with ink at about `density` (0–1), in ragged blocks about `run`
// pixels across (1: independent pixels): runs of many lengths both ways, some at the borders.
cv::Mat random_mask(int rows, int cols, double density, int run, cv::RNG& rng) {
  cv::Mat seeds(std::max(1, rows / run + 1), std::max(1, cols / run + 1), CV_32F);
  rng.fill(seeds, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::Mat grown;
  cv::resize(seeds, grown, cv::Size(cols, rows), 0, 0, cv::INTER_NEAREST);
  cv::Mat noise(rows, cols, CV_32F);
  rng.fill(noise, cv::RNG::UNIFORM, 0.0, 1.0);
  grown = 0.8 * grown + 0.2 * noise;  // ragged edges
  cv::Mat mask;
  cv::compare(grown, cv::Scalar(1.0 - density), mask, cv::CMP_GT);
  return mask;
}

cv::Mat opencv_open(const cv::Mat& mask, int length, Orientation along) {
  const cv::Size size =
      along == Orientation::Horizontal ? cv::Size(length, 1) : cv::Size(1, length);
  cv::Mat out;
  cv::morphologyEx(mask, out, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, size));
  return out;
}

void expect_same(const cv::Mat& mask, int length, const std::string& what) {
  for (Orientation along : {Orientation::Horizontal, Orientation::Vertical}) {
    const cv::Mat ours = open_by_line(mask, length, along);
    const cv::Mat theirs = opencv_open(mask, length, along);
    ASSERT_EQ(ours.type(), CV_8UC1);
    ASSERT_EQ(ours.size(), mask.size());
    EXPECT_EQ(cv::countNonZero(ours != theirs), 0)
        << what << ", length " << length
        << (along == Orientation::Horizontal ? " along rows" : " along columns");
  }
}

}  // namespace

TEST(OpenByLine, MatchesOpenCVOnRandomMasks) {
  cv::RNG rng(20240611);
  // Sizes around the 8-pixel steps the runs are scanned in, and wider than tall and the reverse.
  const cv::Size sizes[] = {{1, 1},  {7, 5},  {8, 8},   {9, 13},
                            {64, 3}, {3, 64}, {97, 61}, {200, 131}};
  for (const cv::Size& size : sizes)
    for (double density : {0.02, 0.3, 0.7, 0.97})
      for (int run : {1, 3, 12, 40}) {
        const cv::Mat mask = random_mask(size.height, size.width, density, run, rng);
        const std::string what = std::to_string(size.width) + "x" + std::to_string(size.height) +
                                 " at " + std::to_string(density) + " in blocks of " +
                                 std::to_string(run);
        for (int length : {1, 2, 3, 4, 5, 8, 9, 16, 25, 60, 61, 250, 251})
          expect_same(mask, length, what);
      }
}

TEST(OpenByLine, MatchesOpenCVOnAllInkAndAllPaper) {
  for (int value : {0, 255}) {
    const cv::Mat mask(37, 45, CV_8UC1, cv::Scalar(value));
    for (int length : {1, 2, 36, 37, 38, 45, 46, 100})
      expect_same(mask, length, "all " + std::to_string(value));
  }
}

TEST(OpenByLine, MatchesOpenCVOnLinesAtTheBorders) {
  // Full-length and nearly full-length rules on the first and last rows and columns.
  cv::Mat mask(50, 70, CV_8UC1, cv::Scalar(0));
  mask.row(0).setTo(255);
  mask.row(49).colRange(1, 70).setTo(255);
  mask.col(0).setTo(255);
  mask.col(69).rowRange(0, 49).setTo(255);
  mask(cv::Rect(10, 20, 30, 1)).setTo(255);  // inside, 30 long
  mask(cv::Rect(25, 5, 1, 30)).setTo(255);
  for (int length = 1; length <= 75; ++length) expect_same(mask, length, "border lines");
}

TEST(OpenByLine, OpensAViewOfALargerImageAsIfAlone) {
  // A region of interest: its rows are not contiguous, and its edges are borders, where OpenCV by
  // default reads the pixels of the larger image around it (BORDER_ISOLATED makes it not).
  cv::RNG rng(7);
  const cv::Mat page = random_mask(120, 160, 0.6, 6, rng);
  const cv::Mat roi = page(cv::Rect(13, 9, 101, 77));
  for (int length : {1, 2, 7, 30, 200}) {
    expect_same(roi.clone(), length, "region of interest, copied");
    for (Orientation along : {Orientation::Horizontal, Orientation::Vertical}) {
      const cv::Size size =
          along == Orientation::Horizontal ? cv::Size(length, 1) : cv::Size(1, length);
      cv::Mat isolated;
      cv::morphologyEx(
          roi, isolated, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, size), {-1, -1},
          1, cv::BORDER_CONSTANT | cv::BORDER_ISOLATED, cv::morphologyDefaultBorderValue());
      EXPECT_EQ(cv::countNonZero(open_by_line(roi, length, along) != isolated), 0)
          << "length " << length;
    }
  }
}

TEST(OpenByLine, AnyNonzeroIsInkAndTheResultIs0Or255) {
  cv::Mat mask(4, 10, CV_8UC1, cv::Scalar(0));
  mask.row(1).setTo(1);
  mask.row(2).colRange(1, 6).setTo(17);
  const cv::Mat out = open_by_line(mask, 6, Orientation::Horizontal);
  EXPECT_EQ(cv::countNonZero(out.row(1) == 255), 10);
  EXPECT_EQ(cv::countNonZero(out.row(2)), 0);  // 5 long: too short
  EXPECT_EQ(cv::countNonZero((out != 0) & (out != 255)), 0);
}
