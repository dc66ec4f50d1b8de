// The OCR path: a page whose text layer is missing or garbled is rendered, prepared and read cell
// by cell, so that layout::find_tables sees words and rulings as on a born-digital page.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "steps.h"
#include "tally/core/text.h"
#include "tally/layout/layout.h"
#include "tally/ocr/ocr.h"

namespace tally::app {

namespace {

// A number read with at least this confidence is taken as a number without asking chi_sim.
constexpr double kNumberConfidence = 0.60;

cv::Mat view(const core::Raster& raster) {
  return cv::Mat(raster.height, raster.width, CV_8U, const_cast<std::uint8_t*>(raster.pixels.data()));
}

ocr::PixelBox to_pixels(const core::Raster& raster, const core::Box& box) {
  return {static_cast<int>(std::floor(raster.to_pixels(box.x0))), static_cast<int>(std::floor(raster.to_pixels(box.y0))),
          static_cast<int>(std::ceil(raster.to_pixels(box.x1))), static_cast<int>(std::ceil(raster.to_pixels(box.y1)))};
}

core::Box to_points(const core::Raster& raster, const ocr::PixelBox& box) {
  return {raster.to_points(box.x0), raster.to_points(box.y0), raster.to_points(box.x1), raster.to_points(box.y1)};
}

ocr::PixelBox clip(const ocr::PixelBox& b, int width, int height) {
  return {std::clamp(b.x0, 0, width), std::clamp(b.y0, 0, height), std::clamp(b.x1, 0, width), std::clamp(b.y1, 0, height)};
}

// The box of the ink inside `box` of a binary raster, leaving out specks and the remnants of rules
// along the crop's edges; nullopt when the region holds no text.
std::optional<ocr::PixelBox> ink_box(const core::Raster& binary, const ocr::PixelBox& box) {
  if (box.width() < 3 || box.height() < 3) return std::nullopt;
  cv::Mat ink;
  cv::threshold(view(binary)(cv::Rect(box.x0, box.y0, box.width(), box.height())), ink, 128, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  const double scale = binary.dpi / 300.0;
  const int min_area = std::max(3, static_cast<int>(std::lround(8 * scale * scale)));
  const int min_extent = std::max(2, static_cast<int>(std::lround(3 * scale)));
  std::optional<ocr::PixelBox> out;
  int kept_area = 0;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (area < min_area || std::max(w, h) < min_extent) continue;
    const bool touches = x == 0 || y == 0 || x + w == box.width() || y + h == box.height();
    // A rule's remnant: thin and long, along an edge.
    if (touches && ((w > 0.6 * box.width() && h <= 4 * scale + 2) || (h > 0.6 * box.height() && w <= 4 * scale + 2)))
      continue;
    kept_area += area;
    const ocr::PixelBox b{box.x0 + x, box.y0 + y, box.x0 + x + w, box.y0 + y + h};
    out = out ? ocr::PixelBox{std::min(out->x0, b.x0), std::min(out->y0, b.y0), std::max(out->x1, b.x1),
                              std::max(out->y1, b.y1)}
              : b;
  }
  if (!out || kept_area < 2 * min_area || out->height() < static_cast<int>(5 * scale)) return std::nullopt;
  return out;
}

struct CellRead {
  ocr::PixelBox ink;
  int col = 0;
  ocr::Reading reading;
  bool numeric = false;
};

core::Word word_of(const core::Raster& raster, const CellRead& cell) {
  core::Word word;
  word.text = cell.reading.text;
  word.box = to_points(raster, cell.ink);
  word.confidence = cell.reading.confidence;
  word.source = core::TextSource::Ocr;
  word.alternatives = cell.reading.alternatives;
  return word;
}

// Rulings from the prepared page: the layout's ruling finder on the cleaned grey, with room for the
// gaps of broken rules.
std::vector<core::Ruling> rulings_of(const ocr::PreparedPage& prepared, const layout::Options& options) {
  return layout::find_rulings(prepared.grey, options);
}

// Lines of text outside the tables: ink smeared along the line, grid areas left out.
std::vector<ocr::PixelBox> text_lines(const core::Raster& binary, const std::vector<ocr::PixelBox>& tables) {
  cv::Mat ink;
  cv::threshold(view(binary), ink, 128, 255, cv::THRESH_BINARY_INV);
  for (const ocr::PixelBox& t : tables) {
    const ocr::PixelBox b = clip({t.x0 - 3, t.y0 - 3, t.x1 + 3, t.y1 + 3}, binary.width, binary.height);
    ink(cv::Rect(b.x0, b.y0, b.width(), b.height())).setTo(0);
  }
  // Rules outside tables (underlines, frames) are not text.
  const int long_px = std::max(8, static_cast<int>(0.5 * binary.dpi));
  cv::Mat h_rules, v_rules;
  cv::morphologyEx(ink, h_rules, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {long_px, 1}));
  cv::morphologyEx(ink, v_rules, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {1, long_px}));
  ink &= ~(h_rules | v_rules);
  const int gap = std::max(2, static_cast<int>(std::lround(binary.dpi * 0.06)));  // ~4.5 pt
  cv::Mat smeared, labels, stats, centroids;
  cv::dilate(ink, smeared, cv::getStructuringElement(cv::MORPH_RECT, {2 * gap + 1, 1}));
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8);
  const double min_h = binary.dpi * 5.0 / 72, max_h = binary.dpi * 40.0 / 72;
  std::vector<ocr::PixelBox> lines;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (h < min_h || h > max_h || w - 2 * gap < min_h * 0.8) continue;
    lines.push_back(clip({x + gap - 2, y - 2, x + w - gap + 2, y + h + 2}, binary.width, binary.height));
  }
  std::sort(lines.begin(), lines.end(),
            [](const ocr::PixelBox& a, const ocr::PixelBox& b) { return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0; });
  return lines;
}

}  // namespace

void read_untrusted_page(const extract::PdfDocument& pdf, core::Page& page, const JobOptions& options,
                         std::vector<core::Diagnostic>& diagnostics) {
  static const bool timing = std::getenv("TALLY_OCR_TIMING") != nullptr;
  auto clock = std::chrono::steady_clock::now();
  const auto lap = [&](const char* what) {
    if (!timing) return;
    const auto now = std::chrono::steady_clock::now();
    std::fprintf(stderr, "page %d %s %.3f s\n", page.number, what, std::chrono::duration<double>(now - clock).count());
    clock = now;
  };
  ocr::Engine& engine = ocr::Engine::for_this_thread(options.tessdata_dir);
  lap("engine");
  const core::Raster rendered = pdf.render_page(page.number, options.ocr_dpi);
  lap("render");
  ocr::PreparedPage prepared = ocr::prepare_page(rendered, &engine);
  lap("prepare");
  const core::Raster& grey = prepared.grey;
  const core::Raster& binary = prepared.binary;
  page.skew_degrees = prepared.skew_degrees;
  page.orientation_degrees = prepared.orientation_degrees;
  if (prepared.orientation_degrees % 180 == 90) std::swap(page.width, page.height);
  if (prepared.orientation_degrees != 0)
    diagnostics.push_back({core::Severity::Info, "page_turned", page.number,
                           "page scanned sideways or upside down: turned by " +
                               std::to_string(prepared.orientation_degrees) + "° clockwise before reading"});

  layout::Options layout_options;
  layout_options.max_ruling_gap_points = 8;  // broken rules on scans
  page.rulings = rulings_of(prepared, layout_options);
  core::Page bare = page;
  bare.words.clear();
  const std::vector<layout::Grid> grids = layout::find_grids(bare, layout_options);
  lap("grid");
  int numbers = 0, labels = 0;

  // Cells: numbers first (cheap); what does not read as a number is read as a label.
  const double inset = std::max(2.0, grey.to_pixels(1.0));
  std::vector<ocr::PixelBox> table_boxes;
  for (const layout::Grid& grid : grids) {
    table_boxes.push_back(to_pixels(grey, grid.box));
    std::vector<CellRead> cells;
    for (const layout::GridCell& cell : grid.cells) {
      ocr::PixelBox box = to_pixels(grey, cell.box);
      const int d = static_cast<int>(std::lround(inset));
      box = clip({box.x0 + d, box.y0 + d, box.x1 - d, box.y1 - d}, grey.width, grey.height);
      const std::optional<ocr::PixelBox> ink = ink_box(binary, box);
      if (!ink) continue;
      const int m = static_cast<int>(std::lround(grey.to_pixels(0.8)));
      CellRead read{clip({ink->x0 - m, ink->y0 - m, ink->x1 + m, ink->y1 + m}, grey.width, grey.height), cell.col, {}, false};
      read.ink = {std::max(read.ink.x0, box.x0), std::max(read.ink.y0, box.y0), std::min(read.ink.x1, box.x1),
                  std::min(read.ink.y1, box.y1)};
      // A crop much taller than a line of text holds a wrapped label, never a number.
      const bool one_line = read.ink.height() < grey.to_pixels(16);
      if (one_line) {
        read.reading = engine.read(grey, read.ink, ocr::TextKind::Number);
        ++numbers;
        read.numeric = ocr::looks_numeric(read.reading.text) && read.reading.confidence >= kNumberConfidence;
      }
      cells.push_back(std::move(read));
    }
    for (CellRead& read : cells) {
      if (read.numeric) continue;
      read.reading = engine.read(grey, read.ink, ocr::TextKind::Label);
      ++labels;
    }
    for (const CellRead& read : cells)
      if (!read.reading.text.empty()) page.words.push_back(word_of(grey, read));
  }

  lap("cells");
  if (timing) std::fprintf(stderr, "page %d: %d number reads, %d label reads\n", page.number, numbers, labels);
  // Text outside the tables: titles, 表 N, 编制部门, 单位, notes.
  for (const ocr::PixelBox& line : text_lines(binary, table_boxes))
    for (const ocr::WordReading& w : engine.read_words(grey, line)) {
      core::Word word;
      word.text = w.text;
      word.box = to_points(grey, {w.x0, w.y0, w.x1, w.y1});
      word.confidence = w.confidence;
      word.source = core::TextSource::Ocr;
      word.space_after = w.space_after;
      page.words.push_back(std::move(word));
    }
  lap("lines");
  if (page.words.empty())
    diagnostics.push_back({core::Severity::Warning, "ocr_empty", page.number, "OCR found no text on the page"});
}

}  // namespace tally::app
