// The ink of a cell's crop: where the text is, its lines, whether it looks like digits or starts
// with a minus sign. Binary rasters are 0/255, 0 ink. Pixel sizes are at 300 dpi and scaled.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "reader.h"
#include "tally/imaging/opencv.h"

namespace tally::ocr::detail {

namespace {

// Connected parts of ink smaller than this (pixels) are specks, not strokes.
constexpr int kSpeckArea = 4;
// A crop narrower or lower than this holds no text, and no speck is ever smaller (pixels).
constexpr int kMinCropPixels = 3;

// Pixels at 300 dpi for ink_box: specks under kSpeckArea300 (area), glyph parts at least
// kGlyph300 tall or wide (~3 pt); a rule's remnant is at most kRemnantThickness300 (+2) thick and
// spans kRemnantSpan of the crop; text lower than kMinTextHeight300 is none.
constexpr double kSpeckArea300 = 8;
constexpr double kGlyph300 = 12;
constexpr double kRemnantThickness300 = 4;
constexpr double kRemnantSpan = 0.6;
constexpr double kMinTextHeight300 = 5;
// A digit "1" touching a side of a tight cell is nearly as tall as the other digits; a piece of a
// jagged rule beside them is cut where the scan broke it.
constexpr double kDigitOneHeightShare = 0.8;
// A text line is at least this tall (points); a shorter band is a dot or a stroke of its line.
constexpr double kMinLinePoints = 4;

// The connected parts of a crop's ink, with their statistics (OpenCV's layout).
struct Parts {
  cv::Mat labels, stats;
  int n = 0;
  int at(int i, int what) const { return stats.at<int>(i, what); }
};

Parts parts_of(const core::Raster& binary, const PixelBox& box) {
  cv::Mat ink, centroids;
  cv::threshold(imaging::view(binary)(cv::Rect(box.x0, box.y0, box.width(), box.height())), ink,
                kInk, 255, cv::THRESH_BINARY_INV);
  Parts parts;
  parts.n = cv::connectedComponentsWithStats(ink, parts.labels, parts.stats, centroids, 8);
  return parts;
}

PixelBox united(const PixelBox& a, const PixelBox& b) {
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

}  // namespace

PixelBox clip(const PixelBox& b, int width, int height) {
  return {std::clamp(b.x0, 0, width), std::clamp(b.y0, 0, height), std::clamp(b.x1, 0, width),
          std::clamp(b.y1, 0, height)};
}

// Glyph-sized pieces make the box; small ones (points, commas, minus signs) join it only where
// they sit beside them on their line.
std::optional<PixelBox> ink_box(const core::Raster& binary, const PixelBox& box) {
  if (box.width() < kMinCropPixels || box.height() < kMinCropPixels) return std::nullopt;
  cv::Mat ink;
  cv::threshold(imaging::view(binary)(cv::Rect(box.x0, box.y0, box.width(), box.height())), ink,
                kInk, 255, cv::THRESH_BINARY_INV);
  if (cv::countNonZero(ink) == 0) return std::nullopt;  // an empty cell, without labelling it
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  const double scale = binary.dpi / 300.0;
  const int min_area =
      std::max(kMinCropPixels, static_cast<int>(std::lround(kSpeckArea300 * scale * scale)));
  const double glyph = kGlyph300 * scale;
  const double remnant = kRemnantThickness300 * scale + 2;
  // Thin parts along an edge they touch, longer than a speck: a rule's remnant, or a glyph's
  // stroke in a tight cell (decided below, against the other glyphs).
  std::vector<PixelBox> big, small, upright, level;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (stats.at<int>(i, cv::CC_STAT_AREA) < min_area) continue;
    const PixelBox p{box.x0 + x, box.y0 + y, box.x0 + x + w, box.y0 + y + h};
    // A rule's remnant: thin and long, along the edge it runs along (a level one along the top or
    // bottom, an upright one along a side: a "1" touching the top of a tight cell is no rule).
    const bool along_top_or_bottom = (y == 0 || y + h == box.height()) && h <= remnant;
    const bool along_a_side = (x == 0 || x + w == box.width()) && w <= remnant;
    if (along_top_or_bottom && w > kRemnantSpan * box.width()) continue;
    // Shorter ones are the pieces of a rule a bilevel scan left jagged, a pixel inside where the
    // rule ends (read "|" in blank cells: codes 100 → 93.5 % on gen-0001.scan200-bilevel).
    if (along_a_side && (h > kRemnantSpan * box.height() || h >= glyph)) {
      upright.push_back(p);
      continue;
    }
    if (along_top_or_bottom && w >= glyph) {
      level.push_back(p);
      continue;
    }
    (std::max(w, h) >= glyph ? big : small).push_back(p);
  }
  // Alone in the crop they are a rule's remnants: the cell is empty. A real "1" alone is wider
  // than a remnant is thick (its flag), so it is among the glyphs. Beside glyphs, an upright part
  // is a digit "1" of a tight cell when it stands within the glyphs' rows (a pixel either way) and
  // is about as tall as they are; a rule's remnant runs past them or is shorter. A level part is a
  // glyph's stroke (the last of 三 touching the bottom of a tight cell) when it lies under or over
  // the glyphs, within their columns.
  if (big.empty()) return std::nullopt;
  {
    PixelBox glyphs = big[0];
    for (const PixelBox& p : big) glyphs = united(glyphs, p);
    for (const PixelBox& p : upright)
      if (p.y0 >= glyphs.y0 - 1 && p.y1 <= glyphs.y1 + 1 &&
          p.height() >= kDigitOneHeightShare * glyphs.height())
        big.push_back(p);
    for (const PixelBox& p : level)
      if (p.x0 >= glyphs.x0 - 1 && p.x1 <= glyphs.x1 + 1) big.push_back(p);
  }
  PixelBox out = big[0];
  for (const PixelBox& p : big) out = united(out, p);
  // Small pieces on the glyphs' lines, within half a line height of them along the line, and a
  // quarter of it (a point, a comma below the digits: reach / 4) or an eighth above (reach / 2).
  const int reach = std::max(2, out.height() / 2);
  for (const PixelBox& p : small) {
    const int cy = (p.y0 + p.y1) / 2;
    if (cy < out.y0 - reach / 2 || cy > out.y1 + reach / 4) continue;
    if (p.x1 < out.x0 - reach || p.x0 > out.x1 + reach) continue;
    out = united(out, p);
  }
  if (out.height() < static_cast<int>(kMinTextHeight300 * scale)) return std::nullopt;
  return out;
}

namespace {

// A row (column) of a cell's edge is its rule when ink covers at least this share of it: a text
// line's rows leave gaps between glyphs, a rule's only where the scan broke it. A rule left
// slanted by a residual skew spreads over two rows that cover this much together, each at least
// kSlantedRuleShare.
constexpr double kRuleCoverage = 0.8;
constexpr double kSlantedRuleShare = 0.25;

// Share of the ink in row (or column) `at` of `binary` over [from, to) of the other axis, or in
// `at` and `also` together.
double coverage(const core::Raster& binary, bool row, int at, int from, int to, int also = -1) {
  int ink = 0;
  const auto ink_at = [&](int line, int k) {
    return (row ? binary.at(k, line) : binary.at(line, k)) < kInk;
  };
  for (int k = from; k < to; ++k) ink += ink_at(at, k) || (also >= 0 && ink_at(also, k));
  return to > from ? static_cast<double>(ink) / (to - from) : 0.0;
}

// How far in from edge `edge` (stepping by `step`, ±1) the rule lasts, within `most` pixels: the
// rows (columns) from the edge to the end of the first run that is rule, plus one; `most` when no
// rule is found (faint or broken rules of harsh scans keep the full inset).
int past_rule(const core::Raster& binary, bool row, int edge, int step, int most, int from,
              int to) {
  std::vector<double> alone;
  for (int k = 0; k < most; ++k) alone.push_back(coverage(binary, row, edge + step * k, from, to));
  const auto slanted_with = [&](int k, int other) {
    return other >= 0 && other < most && alone[other] < kRuleCoverage &&
           alone[other] >= kSlantedRuleShare &&
           coverage(binary, row, edge + step * k, from, to, edge + step * other) >= kRuleCoverage;
  };
  int last_rule = -1;
  for (int k = 0; k < most; ++k) {
    const auto i = static_cast<std::size_t>(k);
    if (alone[i] >= kRuleCoverage ||
        (alone[i] >= kSlantedRuleShare && (slanted_with(k, k - 1) || slanted_with(k, k + 1))))
      last_rule = k;
    else if (last_rule >= 0)
      break;  // the rule ended: what follows is the cell's own
  }
  // No rule found (a faint or broken one): the whole inset, as before rules were looked for.
  return last_rule < 0 ? most : last_rule + 2;
}

}  // namespace

PixelBox inside_rules(const core::Raster& binary, const PixelBox& cell, int most) {
  const PixelBox c = clip(cell, binary.width, binary.height);
  if (c.width() < 4 * most || c.height() < 2 * most)
    return {c.x0 + most, c.y0 + most, c.x1 - most, c.y1 - most};
  // Coverage is measured away from the corners, where the crossing rules are.
  const int top = past_rule(binary, true, c.y0, 1, most, c.x0 + most, c.x1 - most);
  const int bottom = past_rule(binary, true, c.y1 - 1, -1, most, c.x0 + most, c.x1 - most);
  const int left = past_rule(binary, false, c.x0, 1, most, c.y0 + most, c.y1 - most);
  const int right = past_rule(binary, false, c.x1 - 1, -1, most, c.y0 + most, c.y1 - most);
  return {c.x0 + std::min(left, most), c.y0 + std::min(top, most), c.x1 - std::min(right, most),
          c.y1 - std::min(bottom, most)};
}

std::vector<PixelBox> line_bands(const core::Raster& binary, const PixelBox& box) {
  std::vector<int> ink_rows(static_cast<std::size_t>(box.height()), 0);
  for (int y = box.y0; y < box.y1; ++y) {
    const std::uint8_t* row = binary.pixels.data() + static_cast<std::size_t>(y) * binary.width;
    int n = 0;
    for (int x = box.x0; x < box.x1; ++x) n += row[x] < kInk;
    ink_rows[static_cast<std::size_t>(y - box.y0)] = n;
  }
  const int min_line = std::max(4, static_cast<int>(binary.dpi * kMinLinePoints / 72));
  std::vector<PixelBox> bands;
  int start = -1;
  for (int y = 0; y <= box.height(); ++y) {
    // A row with one pixel of ink is noise, not a line.
    const bool ink = y < box.height() && ink_rows[static_cast<std::size_t>(y)] > 1;
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      if (y - start >= min_line || bands.empty()) {
        bands.push_back({box.x0, box.y0 + start, box.x1, box.y0 + y});
      } else {
        bands.back().y1 = box.y0 + y;  // a dot or a stroke apart from its line: the line above
      }
      start = -1;
    }
  }
  // A first band that is too short belongs to the next one.
  if (bands.size() > 1 && bands.front().height() < min_line) {
    bands[1].y0 = bands.front().y0;
    bands.erase(bands.begin());
  }
  if (bands.empty()) bands.push_back(box);
  return bands;
}

// A speck or a rule's remnant read as '-' is not a minus sign: the bar (alone, or the first columns
// of a part where a bold minus touches its digit) is at least kDashAspect
// times as wide as thick, at most 1 / kDashHeightDivisor of the crop's height (+1 px) thick, its
// middle between kDashTop and kDashBottom of the height down. A bilevel scan at 150 dpi prints a
// minus as a block of about 4 × 2 pixels; brought to 300 dpi and binarized at 205 it grows a
// pixel on every side (10 × 6): an aspect of 2 dropped every such minus sign that Tesseract read
// (number_read_bench, Noto Serif 150 dpi bilevel: 13 of 29 negatives lost, all dropped here).
constexpr double kDashAspect = 1.5;
constexpr int kDashHeightDivisor = 4;
constexpr double kDashTop = 0.3, kDashBottom = 0.75;

bool starts_with_dash(const core::Raster& binary, const PixelBox& box) {
  const Parts parts = parts_of(binary, box);
  int best = -1;
  for (int i = 1; i < parts.n; ++i) {
    if (parts.at(i, cv::CC_STAT_AREA) < kSpeckArea) continue;
    if (best < 0 || parts.at(i, cv::CC_STAT_LEFT) < parts.at(best, cv::CC_STAT_LEFT)) best = i;
  }
  if (best < 0) return false;
  const int w = parts.at(best, cv::CC_STAT_WIDTH), h = parts.at(best, cv::CC_STAT_HEIGHT);
  const double cy = parts.at(best, cv::CC_STAT_TOP) + h / 2.0;
  const auto a_bar = [&](int width, int thickness, double centre) {
    return width >= kDashAspect * thickness && thickness <= box.height() / kDashHeightDivisor + 1 &&
           centre > box.height() * kDashTop && centre < box.height() * kDashBottom;
  };
  if (a_bar(w, h, cy)) return true;
  // A bold minus sign touches the first digit: the part's first columns are then a level bar.
  const int x0 = parts.at(best, cv::CC_STAT_LEFT), y0 = parts.at(best, cv::CC_STAT_TOP);
  int bar = 0, top = box.height(), bottom = -1, first = 0;
  for (int x = x0; x < x0 + w; ++x) {
    int column_top = box.height(), column_bottom = -1;
    for (int y = y0; y < y0 + h; ++y)
      if (parts.labels.at<int>(y, x) == best) {
        column_top = std::min(column_top, y);
        column_bottom = std::max(column_bottom, y);
      }
    const int t = std::min(top, column_top), b = std::max(bottom, column_bottom);
    // The bar ends where the columns grow thicker than its first ones (the digit's curve begins).
    if (column_bottom < 0 || b - t + 1 > box.height() / kDashHeightDivisor + 1 ||
        (bottom >= 0 && b - t + 1 > first + 1))
      break;
    if (bottom < 0) first = b - t + 1;
    top = t, bottom = b;
    ++bar;
  }
  return bottom >= 0 && bar < w && a_bar(bar, bottom - top + 1, (top + bottom + 1) / 2.0);
}

namespace {

// Glyph parts lower and narrower than kMarkShare of the line are points and commas; a glyph is at
// least kDigitHeightShare of the line tall. A part wider than kJoinedAspect × its height may be
// two bold digits joined through a waist thinner than kWaistShare of its height, never wider than
// kMaxJoinedAspect × its height.
constexpr double kMarkShare = 0.45;
constexpr double kDigitHeightShare = 0.75;
constexpr double kJoinedAspect = 0.85;
constexpr double kMaxJoinedAspect = 2.5;
constexpr double kWaistShare = 0.2;

// Whether part `i` (wider than tall-ish) is digits joined through a thin waist: bold digits touch
// ("96" as one piece) through a thin waist; a Chinese character's strokes cross its whole width.
bool joined_digits(const Parts& parts, int i) {
  const int w = parts.at(i, cv::CC_STAT_WIDTH), h = parts.at(i, cv::CC_STAT_HEIGHT);
  if (w > kMaxJoinedAspect * h) return false;
  const int x0 = parts.at(i, cv::CC_STAT_LEFT), y0 = parts.at(i, cv::CC_STAT_TOP);
  int thinnest = h;
  for (int x = x0 + w / 4; x < x0 + 3 * w / 4; ++x) {
    int column = 0;
    for (int y = y0; y < y0 + h; ++y) column += parts.labels.at<int>(y, x) == i;
    thinnest = std::min(thinnest, column);
  }
  return thinnest <= kWaistShare * h;
}

}  // namespace

// Every glyph-sized piece about as tall as the line and at most as wide as tall, the rest small
// (points, commas). Chinese characters have pieces as wide as tall or short radicals.
bool looks_like_digits(const core::Raster& binary, const PixelBox& box) {
  const Parts parts = parts_of(binary, box);
  int top = box.height(), bottom = 0;
  for (int i = 1; i < parts.n; ++i) {
    if (parts.at(i, cv::CC_STAT_AREA) < kSpeckArea) continue;
    top = std::min(top, parts.at(i, cv::CC_STAT_TOP));
    bottom = std::max(bottom, parts.at(i, cv::CC_STAT_TOP) + parts.at(i, cv::CC_STAT_HEIGHT));
  }
  const int line = bottom - top;
  if (line <= 0) return false;
  int glyphs = 0;
  for (int i = 1; i < parts.n; ++i) {
    const int w = parts.at(i, cv::CC_STAT_WIDTH), h = parts.at(i, cv::CC_STAT_HEIGHT);
    if (parts.at(i, cv::CC_STAT_AREA) < kSpeckArea ||
        (h < kMarkShare * line && w < kMarkShare * line))
      continue;  // a point, a comma
    if (h < kDigitHeightShare * line) return false;
    if (w > kJoinedAspect * h && !joined_digits(parts, i)) return false;
    ++glyphs;
  }
  return glyphs > 0;
}

}  // namespace tally::ocr::detail
