// Rulings and grids on scanned pages: the plain ruling finder on the prepared page, with room for
// the gaps of broken rules, and beside it a finder for faint rules (light grey, blurred, noisy) on
// rasters smoothed along each direction with their contrast raised: smoothing along a rule keeps
// it as dark as it is while the paper's noise averages out; glyphs smeared the same way stay too
// thick to pass for rules. The finder whose grids cover more of the page wins.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <opencv2/imgproc.hpp>

#include "tally/imaging/opencv.h"
#include "tally/layout/layout.h"

namespace tally::layout {

namespace {

// Largest gap bridged inside one ruling on a scan, points: scanned rules break more than drawn
// ones.
constexpr double kScanRulingGapPoints = 8;
// Faint rules: the smoothing window along a rule (points), and the contrast raised around the
// paper: 255 − 2.5 × (255 − v), so the ruling finder's ink threshold (200) falls at v ≈ 233.
constexpr double kSmoothingPoints = 2.0;
constexpr double kContrast = 2.5;
// A faint rule's candidate must be darker than the paper (below kPaperGrey on the unsmoothed page,
// ±1 px across) along at least kMinCoverage of its length: a rule, however faint or broken,
// covers most of its length; the bottoms of a line of bold digits leave gaps between the glyphs.
constexpr int kPaperGrey = 238;
constexpr double kMinCoverage = 0.96;
// A candidate runs through text when both sides, kTextOffsetPoints away, hold ink along more
// than kTextInkShare of its length. A rule has paper on at least one side.
constexpr double kTextOffsetPoints = 2.5;
constexpr double kTextInkShare = 0.12;
// The faint finder's grids are taken when their area is this many times the plain finder's.
constexpr double kFaintAreaGain = 1.3;
// Above this resolution the faint rules are looked for at half of it (see rules_resolution).
constexpr double kHalfResolutionAboveDpi = 200;
// A one-row grid narrower than this share of the page is the strokes of a bold title.
constexpr double kTitleStrokeGridShare = 0.25;

// Whether a ruling runs through a line of text: ink on both sides of it, a little way off, along
// much of its length.
bool through_text(const core::Raster& binary, const core::Ruling& r) {
  const bool horizontal = r.orientation == core::Orientation::Horizontal;
  const int offset = static_cast<int>(std::lround(binary.to_pixels(kTextOffsetPoints)));
  const int at = static_cast<int>(std::lround(binary.to_pixels(r.position)));
  const int from = std::max(0, static_cast<int>(binary.to_pixels(r.start)));
  const int to = std::min(horizontal ? binary.width : binary.height,
                          static_cast<int>(binary.to_pixels(r.end)));
  if (to <= from) return false;
  const auto ink_share = [&](int across) {
    if (across < 0 || across >= (horizontal ? binary.height : binary.width)) return 0.0;
    int n = 0;
    for (int along = from; along < to; ++along)
      n += (horizontal ? binary.at(along, across) : binary.at(across, along)) < 128;
    return static_cast<double>(n) / (to - from);
  };
  return ink_share(at - offset) > kTextInkShare && ink_share(at + offset) > kTextInkShare;
}

// Share of a ruling's length where the grey raster is darker than the paper on the ruling itself
// (±1 px).
double coverage(const core::Raster& grey, const core::Ruling& r) {
  const bool horizontal = r.orientation == core::Orientation::Horizontal;
  const int at = static_cast<int>(std::lround(grey.to_pixels(r.position)));
  const int from = std::max(0, static_cast<int>(grey.to_pixels(r.start)));
  const int to =
      std::min(horizontal ? grey.width : grey.height, static_cast<int>(grey.to_pixels(r.end)));
  const int across_max = horizontal ? grey.height : grey.width;
  if (to <= from) return 0;
  int covered = 0;
  for (int along = from; along < to; ++along) {
    int darkest = 255;
    for (int d = -1; d <= 1; ++d) {
      const int across = at + d;
      if (across < 0 || across >= across_max) continue;
      darkest =
          std::min<int>(darkest, horizontal ? grey.at(along, across) : grey.at(across, along));
    }
    covered += darkest < kPaperGrey;
  }
  return static_cast<double>(covered) / (to - from);
}

// Faint rules: `rules_grey` is the page at the resolution rules are looked for at (see
// rules_resolution); the candidates are checked on the full-resolution `grey` and `binary`.
std::vector<core::Ruling> faint_rulings(const core::Raster& rules_grey, const core::Raster& grey,
                                        const core::Raster& binary, const Options& options) {
  const int k =
      std::max(3, static_cast<int>(std::lround(rules_grey.dpi * kSmoothingPoints / 72)) | 1);
  std::vector<core::Ruling> out;
  for (const core::Orientation orientation :
       {core::Orientation::Horizontal, core::Orientation::Vertical}) {
    const bool horizontal = orientation == core::Orientation::Horizontal;
    cv::Mat smooth;
    cv::blur(imaging::view(rules_grey), smooth, horizontal ? cv::Size(k, 1) : cv::Size(1, k));
    smooth.convertTo(smooth, CV_8U, kContrast, (1 - kContrast) * 255);
    core::Raster raster = rules_grey;
    std::memcpy(raster.pixels.data(), smooth.data, raster.pixels.size());
    for (const core::Ruling& r : find_rulings(raster, options))
      if (r.orientation == orientation && !through_text(binary, r) &&
          coverage(grey, r) >= kMinCoverage)
        out.push_back(r);
  }
  return out;
}

// The page for finding faint rules: above 200 dpi, half the resolution, each pixel the darkest of
// the four it stands for, so that a rule one pixel thin or faint keeps its darkness; the smoothing
// and the two searches cost a fifth of what they cost at 300 dpi. Not for the plain finder: the
// darkest of four closes gaps of two pixels, which joins the strokes of a bold title into "rules"
// (tables lost their titles on 3 of 32 scans); the faint finder's candidates are checked against
// text and coverage on the full page.
core::Raster rules_resolution(const core::Raster& grey) {
  if (grey.dpi <= kHalfResolutionAboveDpi || grey.width < 4 || grey.height < 4) return grey;
  cv::Mat darkest, half;
  cv::erode(imaging::view(grey), darkest, cv::getStructuringElement(cv::MORPH_RECT, {2, 2}),
            {0, 0});
  cv::resize(darkest, half, cv::Size(grey.width / 2, grey.height / 2), 0, 0, cv::INTER_NEAREST);
  return imaging::raster_of(half, grey.dpi / 2);
}

// Whether a ruling lies within `box` (points, a point's slack).
bool ruling_inside(const core::Ruling& r, const core::Box& box) {
  const bool horizontal = r.orientation == core::Orientation::Horizontal;
  const double x0 = horizontal ? r.start : r.position, x1 = horizontal ? r.end : r.position;
  const double y0 = horizontal ? r.position : r.start, y1 = horizontal ? r.position : r.end;
  return x0 >= box.x0 - 1 && x1 <= box.x1 + 1 && y0 >= box.y0 - 1 && y1 <= box.y1 + 1;
}

double area_of(const std::vector<Grid>& grids) {
  double a = 0;
  for (const Grid& g : grids) a += g.box.area();
  return a;
}

// The strokes of a bold title can close into a grid of one row across a few of its characters
// (gen-0002.scan200, 表9: 1×4, 63 pt wide); read as cells, they put junk into the title. One row is
// a table only as a continuation's last line, which spans the table's width: narrower one-row
// grids are dropped, with their rulings, or layout would find them again in the page's rulings and
// take the title's words into them.
void drop_title_stroke_grids(ScanGrids& scan, double page_width) {
  std::erase_if(scan.grids, [&](const Grid& g) {
    if (g.n_rows() != 1 || g.box.width() >= page_width * kTitleStrokeGridShare) return false;
    std::erase_if(scan.rulings, [&](const core::Ruling& r) { return ruling_inside(r, g.box); });
    return true;
  });
}

}  // namespace

ScanGrids find_scan_grids(const core::Page& page, const core::Raster& grey,
                          const core::Raster& binary) {
  Options options;
  options.max_ruling_gap_points = kScanRulingGapPoints;
  core::Page bare = page;
  bare.words.clear();
  bare.rulings = find_rulings(grey, options);
  ScanGrids scan;
  scan.grids = find_grids(bare, options);
  scan.rulings = std::move(bare.rulings);
  // Faint or broken rules: when the rules as printed give no grid, or a much smaller one than the
  // faint-rule finder, the faint-rule finder's are taken.
  bare.rulings = faint_rulings(rules_resolution(grey), grey, binary, options);
  std::vector<Grid> faint_grids = find_grids(bare, options);
  if (area_of(faint_grids) > kFaintAreaGain * area_of(scan.grids)) {
    scan.rulings = std::move(bare.rulings);
    scan.grids = std::move(faint_grids);
    scan.faint = true;
  }
  drop_title_stroke_grids(scan, page.width);
  return scan;
}

}  // namespace tally::layout
