// Ink profiles of a crop, square pictures of glyphs and how unlike two are: shared by the label
// memory, the digit glyphs and the character glyphs (an internal header of the ocr stage).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <utility>
#include <vector>

#include "tally/ocr/ocr.h"

namespace tally::ocr::detail {

// Dark pixels (below 128) per row and per column of `box` (inside `raster`).
struct InkProfile {
  std::vector<int> rows, cols;
};
inline InkProfile ink_profile(const core::Raster& raster, const PixelBox& box) {
  InkProfile profile{std::vector<int>(static_cast<std::size_t>(box.height()), 0),
                     std::vector<int>(static_cast<std::size_t>(box.width()), 0)};
  for (int y = box.y0; y < box.y1; ++y) {
    const std::uint8_t* row = raster.pixels.data() + static_cast<std::size_t>(y) * raster.width;
    for (int x = box.x0; x < box.x1; ++x)
      if (row[x] < 128) {
        ++profile.rows[static_cast<std::size_t>(y - box.y0)];
        ++profile.cols[static_cast<std::size_t>(x - box.x0)];
      }
  }
  return profile;
}

// The first index whose count reaches `least` and one past the last: an empty span (first >=
// second) when none does.
inline std::pair<int, int> span_of(const std::vector<int>& counts, int least) {
  const auto reaches = [least](int n) { return n >= least; };
  const auto first = std::find_if(counts.begin(), counts.end(), reaches);
  const auto last = std::find_if(counts.rbegin(), counts.rend(), reaches);
  return {static_cast<int>(first - counts.begin()), static_cast<int>(counts.rend() - last)};
}

// `coverage` (CV_32F in [0, 1]) scaled to `side` rows and `width` columns (at most `side`), centred
// on a side × side square.
inline cv::Mat square_picture(const cv::Mat& coverage, int width, int side) {
  cv::Mat scaled;
  cv::resize(coverage, scaled, cv::Size(std::clamp(width, 1, side), side), 0, 0, cv::INTER_AREA);
  cv::Mat square(side, side, CV_32F, cv::Scalar(0));
  scaled.copyTo(square(cv::Rect((side - scaled.cols) / 2, 0, scaled.cols, side)));
  return square;
}

// How unlike two square pictures of one size are with `b` shifted by (dx, dy): the coverage they
// do not share over the coverage either has. The sums run in kUnlikenessLanes float lanes that the
// compiler turns into vector adds (a single double sum is a chain of dependent scalar adds: 4% of a
// scanned page's CPU in perf, gen-0001.scan300 pages 5-8, inside CharacterGlyphs::pieces_of).
inline constexpr int kUnlikenessLanes = 8;
inline double unlikeness_at(const cv::Mat& a, const cv::Mat& b, int dx, int dy) {
  const int side = a.rows;
  float differ[kUnlikenessLanes] = {}, either[kUnlikenessLanes] = {};
  const int x0 = std::max(0, dx), x1 = side + std::min(0, dx);
  double differ_rest = 0, either_rest = 0;
  for (int y = std::max(0, dy); y < side + std::min(0, dy); ++y) {
    const float* pa = a.ptr<float>(y);
    const float* pb = b.ptr<float>(y - dy);
    int x = x0;
    for (; x + kUnlikenessLanes <= x1; x += kUnlikenessLanes)
      for (int k = 0; k < kUnlikenessLanes; ++k) {
        differ[k] += std::abs(pa[x + k] - pb[x + k - dx]);
        either[k] += std::max(pa[x + k], pb[x + k - dx]);
      }
    for (; x < x1; ++x) {
      differ_rest += std::abs(pa[x] - pb[x - dx]);
      either_rest += std::max(pa[x], pb[x - dx]);
    }
  }
  for (int k = 0; k < kUnlikenessLanes; ++k) {
    differ_rest += differ[k];
    either_rest += either[k];
  }
  return either_rest > 0 ? differ_rest / either_rest : 1.0;
}

// The same at the best shift of up to a pixel: a scan moves a glyph's edge by one.
inline double unlikeness(const cv::Mat& a, const cv::Mat& b) {
  double best = 1;
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) best = std::min(best, unlikeness_at(a, b, dx, dy));
  return best;
}

}  // namespace tally::ocr::detail
