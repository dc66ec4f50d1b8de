// Ruling lines from a raster by mathematical morphology: an opening with a long thin structuring
// element keeps only strokes at least that long, which removes glyphs; the survivors' connected
// components are the rulings. Broken rules are mended afterwards, in vector form, so that text is
// never smeared into lines by a closing.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>

#include "tally/imaging/opencv.h"
#include "tally/layout/layout.h"

namespace tally::layout {

namespace {

// Ink threshold on 8-bit grey: antialiased 0.5 pt rules at 100–150 dpi render at 80–180.
constexpr int kInkThreshold = 200;
// A component thicker than this is a filled area or a bold glyph run, not a rule.
constexpr double kMaxThicknessPoints = 4.0;

// Rulings from an opened mask whose strokes run along its rows (a vertical mask is transposed
// first). Runs of ink in adjacent rows that overlap are one ruling: a rule 2 px thick, or one
// skewed by a fraction of a degree, spans a few rows. Scanning runs is ~10× faster than labelling
// connected components on a whole page, and the opened mask holds nothing but strokes anyway.
std::vector<core::Ruling> segments_from_mask(const cv::Mat& mask, core::Orientation orientation,
                                             const core::Raster& raster, double min_length_px,
                                             double max_thickness_px) {
  struct Open {
    int x0, x1, last_row;
    double weighted_row = 0;  // Σ row × run length, for the centre line
    double ink = 0;           // Σ run length
    int first_row;
  };
  std::vector<Open> open, done;
  std::vector<Open> still_open;
  for (int y = 0; y < mask.rows; ++y) {
    const std::uint8_t* row = mask.ptr<std::uint8_t>(y);
    still_open.clear();
    std::size_t k = 0;  // open segments are kept sorted by x0
    for (int x = 0; x < mask.cols;) {
      if (!row[x]) {
        // The mask is nearly empty: skip blank stretches a machine word at a time.
        std::uint64_t word = 0;
        while (x + 8 <= mask.cols && (std::memcpy(&word, row + x, 8), word == 0)) x += 8;
        while (x < mask.cols && !row[x]) ++x;
        continue;
      }
      const int start = x;
      while (x < mask.cols && row[x]) ++x;
      const int end = x;  // exclusive
      // Continue the open segment this run overlaps most, if any.
      while (k < open.size() && open[k].x1 <= start) {
        if (open[k].last_row == y - 1) done.push_back(open[k]);
        ++k;
      }
      if (k < open.size() && open[k].x0 < end && open[k].last_row == y - 1) {
        Open segment = open[k++];
        segment.x0 = std::min(segment.x0, start);
        segment.x1 = std::max(segment.x1, end);
        segment.last_row = y;
        segment.weighted_row += static_cast<double>(y) * (end - start);
        segment.ink += end - start;
        still_open.push_back(segment);
      } else {
        still_open.push_back({start, end, y, static_cast<double>(y) * (end - start),
                              static_cast<double>(end - start), y});
      }
    }
    for (; k < open.size(); ++k) done.push_back(open[k]);
    std::sort(still_open.begin(), still_open.end(),
              [](const Open& a, const Open& b) { return a.x0 < b.x0; });
    open.swap(still_open);
  }
  done.insert(done.end(), open.begin(), open.end());

  std::vector<core::Ruling> out;
  for (const Open& s : done) {
    const double length = s.x1 - s.x0;
    const double thickness = s.ink / std::max(1.0, length);
    if (length < min_length_px || thickness > max_thickness_px) continue;
    core::Ruling r;
    r.orientation = orientation;
    r.position = raster.to_points(s.weighted_row / s.ink + 0.5);
    r.start = raster.to_points(s.x0);
    r.end = raster.to_points(s.x1);
    r.thickness = raster.to_points(thickness);
    out.push_back(r);
  }
  return out;
}

// Joins collinear pieces separated by small gaps (broken or faint rules on scans).
std::vector<core::Ruling> mend_gaps(std::vector<core::Ruling> rulings, double max_gap,
                                    double same_line) {
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
      for (std::size_t j = i + 1;
           j < rulings.size() && rulings[j].position <= line.position + same_line; ++j) {
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
  const cv::Mat grey = imaging::view(raster);
  cv::Mat ink;
  cv::threshold(grey, ink, kInkThreshold, 255, cv::THRESH_BINARY_INV);

  const double min_length = std::max(3.0, raster.to_pixels(options.min_ruling_points));
  const int kernel = static_cast<int>(std::lround(min_length));
  const double max_thickness = std::max(2.0, raster.to_pixels(kMaxThicknessPoints));

  const cv::Mat horizontal = imaging::open_by_line(ink, kernel, core::Orientation::Horizontal);
  cv::Mat vertical;  // vertical strokes then run along rows
  cv::transpose(imaging::open_by_line(ink, kernel, core::Orientation::Vertical), vertical);

  const double same_line = std::max(1.5, raster.to_points(2.0));
  std::vector<core::Ruling> rulings =
      mend_gaps(segments_from_mask(horizontal, core::Orientation::Horizontal, raster, min_length,
                                   max_thickness),
                options.max_ruling_gap_points, same_line);
  std::vector<core::Ruling> verticals = mend_gaps(
      segments_from_mask(vertical, core::Orientation::Vertical, raster, min_length, max_thickness),
      options.max_ruling_gap_points, same_line);
  rulings.insert(rulings.end(), verticals.begin(), verticals.end());
  return rulings;
}

}  // namespace tally::layout
