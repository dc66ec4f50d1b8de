// Ruling lines from a raster by mathematical morphology: an opening with a long thin structuring
// element keeps only strokes at least that long, which removes glyphs; the survivors' connected
// components are the rulings. Broken rules are mended afterwards, in vector form, so that text is
// never smeared into lines by a closing.
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

#include "tally/layout/layout.h"

namespace tally::layout {

namespace {

// Ink threshold on 8-bit grey: antialiased 0.5 pt rules at 100–150 dpi render at 80–180.
constexpr int kInkThreshold = 200;
// A component thicker than this is a filled area or a bold glyph run, not a rule.
constexpr double kMaxThicknessPoints = 4.0;

std::vector<core::Ruling> segments_from_mask(const cv::Mat& mask, core::Orientation orientation,
                                             const core::Raster& raster, double min_length_px,
                                             double max_thickness_px) {
  cv::Mat labels, stats, centroids;
  const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
  std::vector<core::Ruling> out;
  for (int i = 1; i < count; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    const bool horizontal = orientation == core::Orientation::Horizontal;
    const double length = horizontal ? w : h;
    // A slightly skewed rule spans a few rows of pixels; its true thickness is area / length.
    const double thickness = area / std::max(1.0, length);
    if (length < min_length_px || thickness > max_thickness_px) continue;
    core::Ruling r;
    r.orientation = orientation;
    r.position = raster.to_points(horizontal ? centroids.at<double>(i, 1) + 0.5 : centroids.at<double>(i, 0) + 0.5);
    r.start = raster.to_points(horizontal ? x : y);
    r.end = raster.to_points(horizontal ? x + w : y + h);
    r.thickness = raster.to_points(thickness);
    out.push_back(r);
  }
  return out;
}

// Joins collinear pieces separated by small gaps (broken or faint rules on scans).
std::vector<core::Ruling> mend_gaps(std::vector<core::Ruling> rulings, double max_gap, double same_line) {
  std::sort(rulings.begin(), rulings.end(), [](const core::Ruling& a, const core::Ruling& b) {
    return a.position != b.position ? a.position < b.position : a.start < b.start;
  });
  std::vector<core::Ruling> out;
  std::vector<bool> used(rulings.size(), false);
  for (std::size_t i = 0; i < rulings.size(); ++i) {
    if (used[i]) continue;
    core::Ruling line = rulings[i];
    used[i] = true;
    double weight = line.end - line.start;
    double weighted_position = line.position * weight;
    for (bool grew = true; grew;) {
      grew = false;
      for (std::size_t j = i + 1; j < rulings.size() && rulings[j].position <= line.position + same_line; ++j) {
        if (used[j]) continue;
        const core::Ruling& other = rulings[j];
        if (std::abs(other.position - line.position) > same_line) continue;
        if (other.start > line.end + max_gap || other.end < line.start - max_gap) continue;
        used[j] = true;
        grew = true;
        line.start = std::min(line.start, other.start);
        line.end = std::max(line.end, other.end);
        line.thickness = std::max(line.thickness, other.thickness);
        const double w = other.end - other.start;
        weight += w;
        weighted_position += other.position * w;
      }
    }
    line.position = weighted_position / std::max(weight, 1e-9);
    out.push_back(line);
  }
  return out;
}

}  // namespace

std::vector<core::Ruling> find_rulings(const core::Raster& raster, const Options& options) {
  if (raster.width <= 0 || raster.height <= 0 || raster.dpi <= 0) return {};
  const cv::Mat grey(raster.height, raster.width, CV_8U, const_cast<std::uint8_t*>(raster.pixels.data()));
  cv::Mat ink;
  cv::threshold(grey, ink, kInkThreshold, 255, cv::THRESH_BINARY_INV);

  const double min_length = std::max(3.0, raster.to_pixels(options.min_ruling_points));
  const int kernel = static_cast<int>(std::lround(min_length));
  const double max_thickness = std::max(2.0, raster.to_pixels(kMaxThicknessPoints));

  cv::Mat horizontal, vertical;
  cv::morphologyEx(ink, horizontal, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {kernel, 1}));
  cv::morphologyEx(ink, vertical, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, kernel}));

  const double same_line = std::max(1.5, raster.to_points(2.0));
  std::vector<core::Ruling> rulings = mend_gaps(
      segments_from_mask(horizontal, core::Orientation::Horizontal, raster, min_length, max_thickness),
      options.max_ruling_gap_points, same_line);
  std::vector<core::Ruling> verticals = mend_gaps(
      segments_from_mask(vertical, core::Orientation::Vertical, raster, min_length, max_thickness),
      options.max_ruling_gap_points, same_line);
  rulings.insert(rulings.end(), verticals.begin(), verticals.end());
  return rulings;
}

}  // namespace tally::layout
