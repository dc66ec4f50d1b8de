// Page preparation: background, orientation, skew, binarization.
#include <leptonica/allheaders.h>

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {

namespace {

// Ink on a normalized page: paper is 255; faint rules (grey up to 0.6 on harsh scans, blurred)
// stay below this.
constexpr int kInkBelow = 205;

using imaging::view;

// The ink of a binary page without its rules (strokes longer than 0.4 inch either way) and a
// fringe of `fringe` pixels around them, as a 0/255 mask.
cv::Mat ink_without_rules(const core::Raster& binary, int fringe) {
  cv::Mat ink;
  cv::threshold(view(binary), ink, 128, 255, cv::THRESH_BINARY_INV);
  const int long_px = std::max(8, static_cast<int>(0.4 * binary.dpi));
  cv::Mat h_rules = imaging::open_by_line(ink, long_px, core::Orientation::Horizontal);
  const cv::Mat v_rules = imaging::open_by_line(ink, long_px, core::Orientation::Vertical);
  cv::dilate(h_rules | v_rules, h_rules,
             cv::getStructuringElement(cv::MORPH_RECT, {fringe, fringe}));
  return ink & ~h_rules;
}

}  // namespace

core::Raster normalize_background(const core::Raster& raster) {
  if (raster.width < 16 || raster.height < 16) return raster;
  const cv::Mat grey = view(raster);
  // The paper at 1/8 scale: the brightest value around each point, which text cannot reach.
  cv::Mat small, background;
  cv::resize(grey, small, cv::Size(std::max(2, raster.width / 8), std::max(2, raster.height / 8)),
             0, 0, cv::INTER_AREA);
  cv::dilate(small, small, cv::getStructuringElement(cv::MORPH_RECT, {7, 7}));
  cv::GaussianBlur(small, small, {0, 0}, 3.0);
  cv::resize(small, background, grey.size(), 0, 0, cv::INTER_LINEAR);
  cv::max(background, cv::Scalar(64), background);  // a black border is not paper
  cv::Mat out;
  cv::divide(grey, background, out, 255.0);
  return imaging::raster_of(out, raster.dpi);
}

core::Raster binarize(const core::Raster& normalized) {
  cv::Mat out;
  cv::threshold(view(normalized), out, kInkBelow, 255, cv::THRESH_BINARY);
  return imaging::raster_of(out, normalized.dpi);
}

double estimate_skew(const core::Raster& binary) {
  if (binary.width < 64 || binary.height < 64) return 0;
  PIX* pix = pixCreate(binary.width, binary.height, 1);
  if (!pix) return 0;
  l_uint32* data = pixGetData(pix);
  const int wpl = pixGetWpl(pix);
  for (int y = 0; y < binary.height; ++y) {
    l_uint32* line = data + static_cast<std::ptrdiff_t>(y) * wpl;
    const std::uint8_t* row = binary.pixels.data() + static_cast<std::size_t>(y) * binary.width;
    for (int x = 0; x < binary.width; ++x)
      if (row[x] < 128) line[x >> 5] |= 0x80000000u >> (x & 31);
  }
  l_float32 angle = 0, confidence = 0;
  // Sweep ±5° at 1/4 scale, then binary search to 0.01° at 1/2 scale.
  const l_int32 failed =
      pixFindSkewSweepAndSearch(pix, &angle, &confidence, 4, 2, 5.0f, 0.5f, 0.01f);
  pixDestroy(&pix);
  if (failed || confidence < 2.0f) return 0;
  // Leptonica's angle is positive for a page turned counter-clockwise (checked by the unit tests).
  return static_cast<double>(angle);
}

core::Raster rotate(const core::Raster& raster, double degrees, std::uint8_t fill) {
  const cv::Mat src = view(raster);
  const cv::Mat m = cv::getRotationMatrix2D(cv::Point2f(static_cast<float>(raster.width) / 2.0f,
                                                        static_cast<float>(raster.height) / 2.0f),
                                            degrees, 1.0);
  cv::Mat out;
  cv::warpAffine(src, out, m, src.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(fill));
  return imaging::raster_of(out, raster.dpi);
}

core::Raster rotate_quarter(const core::Raster& raster, int degrees_clockwise) {
  const int d = ((degrees_clockwise % 360) + 360) % 360;
  if (d == 0) return raster;
  cv::Mat out;
  cv::rotate(view(raster), out,
             d == 90    ? cv::ROTATE_90_CLOCKWISE
             : d == 180 ? cv::ROTATE_180
                        : cv::ROTATE_90_COUNTERCLOCKWISE);
  return imaging::raster_of(out, raster.dpi);
}

bool text_runs_vertically(const core::Raster& full) {
  if (full.width < 32 || full.height < 32) return false;
  // Above 200 dpi, half the resolution tells as well, four times faster.
  core::Raster half;
  if (full.dpi > 200) {
    cv::Mat small;
    cv::resize(view(full), small, cv::Size(full.width / 2, full.height / 2), 0, 0, cv::INTER_AREA);
    cv::threshold(small, small, 200, 255, cv::THRESH_BINARY);
    half = imaging::raster_of(small, full.dpi / 2);
  }
  const core::Raster& binary = full.dpi > 200 ? half : full;
  const cv::Mat text = ink_without_rules(binary, 3);
  // Bridging gaps of about 2 pt joins the glyphs of a line (characters sit closer than that) but
  // not two lines (their leading is wider): count the line-shaped pieces each way.
  const int gap = std::max(1, static_cast<int>(std::lround(binary.dpi * 0.015)));
  // Line thickness 5–kThickestLinePt: 16 pt 仿宋 body text of official notices comes out about
  // 17–18 pt thick once scanned and smeared, headings (二号) 22–24 pt; a window ending at 16 pt
  // missed them, so a few vertical pieces (seals, digit columns) decided the page (issue 14).
  constexpr double kThickestLinePt = 30;
  const double min_h = binary.dpi * 5 / 72, max_h = binary.dpi * kThickestLinePt / 72;
  const auto lines = [&](bool across) {
    cv::Mat smeared, labels, stats, centroids;
    cv::dilate(text, smeared,
               cv::getStructuringElement(
                   cv::MORPH_RECT, across ? cv::Size(2 * gap + 1, 1) : cv::Size(1, 2 * gap + 1)));
    const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8);
    int count = 0;
    for (int i = 1; i < n; ++i) {
      const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
      const int thick = across ? h : w, length = across ? w : h;
      count += thick >= min_h && thick <= max_h && length >= 2.5 * thick;
    }
    return count;
  };
  const int across = lines(true), down = lines(false);
  return down >= 3 && down > 2 * across;
}

namespace {

// Boxes of text lines in a binary page (rules removed), largest first, for orientation tests.
std::vector<PixelBox> sample_lines(const core::Raster& binary, std::size_t limit) {
  cv::Mat text = ink_without_rules(binary, 5);
  const int gap = std::max(2, static_cast<int>(std::lround(0.04 * binary.dpi)));
  cv::Mat smeared, labels, stats, centroids;
  cv::dilate(text, smeared, cv::getStructuringElement(cv::MORPH_RECT, {gap * 2 + 1, 1}));
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8);
  const double line_min = 0.06 * binary.dpi, line_max = 0.35 * binary.dpi;  // 4–25 pt tall
  std::vector<PixelBox> boxes;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (h < line_min || h > line_max || w < 2 * h || w > binary.width / 2) continue;
    boxes.push_back({std::max(0, x - gap), y, std::min(binary.width, x + w - gap), y + h});
  }
  std::sort(boxes.begin(), boxes.end(), [](const PixelBox& a, const PixelBox& b) {
    return a.width() * a.height() > b.width() * b.height();
  });
  if (boxes.size() > limit) boxes.resize(limit);
  return boxes;
}

// Crop of `box` turned by 180°.
core::Raster crop_turned(const core::Raster& raster, const PixelBox& box) {
  cv::Mat crop = view(raster)(cv::Rect(box.x0, box.y0, box.width(), box.height())).clone();
  cv::rotate(crop, crop, cv::ROTATE_180);
  return imaging::raster_of(crop, raster.dpi);
}

// Whether the page reads better turned by 180°: mean confidence over a few text lines.
bool reads_better_turned(const core::Raster& grey, const core::Raster& binary, Engine& engine) {
  const std::vector<PixelBox> lines = sample_lines(binary, 4);
  if (lines.empty()) return false;
  double upright = 0, turned = 0;
  for (const PixelBox& box : lines) {
    upright += engine.read(grey, box, TextKind::Label).confidence;
    const core::Raster crop = crop_turned(grey, box);
    turned += engine.read(crop, {0, 0, crop.width, crop.height}, TextKind::Label).confidence;
  }
  return turned > upright + 0.05 * static_cast<double>(lines.size());
}

// A quarter turn is taken only when the turned page reads better than upright by this much mean
// Tesseract confidence (0–1) over the sampled lines: the geometric test alone turned upright
// notices with big body text (issue 14); a truly sideways page reads near 0 upright.
constexpr double kQuarterTurnMargin = 0.10;

// Mean confidence of up to 4 sampled text lines of a page, read as they stand (`turned` false) or
// each turned by 180°; 0 when the page shows no line to sample.
double mean_line_confidence(const core::Raster& grey, const core::Raster& binary, Engine& engine,
                            bool turned) {
  const std::vector<PixelBox> lines = sample_lines(binary, 4);
  if (lines.empty()) return 0;
  double sum = 0;
  for (const PixelBox& box : lines) {
    if (!turned) {
      sum += engine.read(grey, box, TextKind::Label).confidence;
      continue;
    }
    const core::Raster crop = crop_turned(grey, box);
    sum += engine.read(crop, {0, 0, crop.width, crop.height}, TextKind::Label).confidence;
  }
  return sum / static_cast<double>(lines.size());
}

// Whether a page whose ink looks sideways really reads better turned a quarter (either way).
bool reads_better_quarter_turned(const core::Raster& grey, const core::Raster& binary,
                                 Engine& engine) {
  const double upright = mean_line_confidence(grey, binary, engine, false);
  const core::Raster turned_grey = rotate_quarter(grey, 90);
  const core::Raster turned_binary = rotate_quarter(binary, 90);
  const double turned = std::max(mean_line_confidence(turned_grey, turned_binary, engine, false),
                                 mean_line_confidence(turned_grey, turned_binary, engine, true));
  return turned > upright + kQuarterTurnMargin;
}

}  // namespace

PreparedPage prepare_page(const core::Raster& raster, Engine* engine, bool check_upside_down) {
  PreparedPage page;
  page.grey = normalize_background(raster);
  page.binary = binarize(page.grey);
  if (text_runs_vertically(page.binary) &&
      (!engine || reads_better_quarter_turned(page.grey, page.binary, *engine))) {
    page.orientation_degrees = 90;
    page.grey = rotate_quarter(page.grey, 90);
    page.binary = rotate_quarter(page.binary, 90);
    check_upside_down = true;  // a sideways page was turned one way or the other
  }
  const double skew = estimate_skew(page.binary);
  if (std::abs(skew) >= 0.03) {
    page.skew_degrees = skew;
    page.grey = rotate(page.grey, -skew, 255);
    page.binary = binarize(page.grey);
  }
  if (engine && check_upside_down && reads_better_turned(page.grey, page.binary, *engine)) {
    page.orientation_degrees = (page.orientation_degrees + 180) % 360;
    page.grey = rotate_quarter(page.grey, 180);
    page.binary = rotate_quarter(page.binary, 180);
  }
  return page;
}

}  // namespace tally::ocr
