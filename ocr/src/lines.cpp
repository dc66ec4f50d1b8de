// Text outside the tables (titles, 表 N, 编制部门, 单位, notes): lines found by smearing the ink,
// read word by word, 表 N and standard titles mended.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "reader.h"
#include "tally/core/text.h"
#include "tally/imaging/opencv.h"

namespace tally::ocr::detail {

namespace {

// Grids are left out with this margin (pixels), so that their outer rules are not text.
constexpr int kGridMargin = 3;
// Above this resolution lines are looked for at half of it.
constexpr double kHalfResolutionAboveDpi = 200;
// Rules outside tables (underlines, frames) are strokes at least this long (inches).
constexpr double kRuleInches = 0.5;
// Ink closer than this along a line (inches, ~4.5 pt) is one line.
constexpr double kWordGapInches = 0.06;
// A line is 5 to 40 pt tall, and at least 0.8 of its height long.
constexpr double kMinLinePoints = 5.0, kMaxLinePoints = 40.0, kMinLineLength = 0.8;
// Pieces of one line join when they overlap by this share of the lower one's height, and lie
// within this many line heights of each other.
constexpr double kSameLineOverlap = 0.6, kSameLineGap = 1.2;

// The page's ink outside the tables, at full or half resolution (`scale`).
cv::Mat ink_outside(const core::Raster& binary, const std::vector<PixelBox>& tables, int scale) {
  cv::Mat ink;
  cv::threshold(imaging::view(binary), ink, kInk, 255, cv::THRESH_BINARY_INV);
  for (const PixelBox& t : tables) {
    const PixelBox b =
        clip({t.x0 - kGridMargin, t.y0 - kGridMargin, t.x1 + kGridMargin, t.y1 + kGridMargin},
             binary.width, binary.height);
    ink(cv::Rect(b.x0, b.y0, b.width(), b.height())).setTo(0);
  }
  // At half the resolution a 2×2 block with any ink is ink.
  if (scale == 2) {
    cv::Mat half;
    cv::resize(ink, half, cv::Size(binary.width / 2, binary.height / 2), 0, 0, cv::INTER_AREA);
    cv::threshold(half, ink, 0, 255, cv::THRESH_BINARY);
  }
  return ink;
}

// Pieces of one line with a wider gap (a title's “ ” or spaced characters): joined when they
// share most of their height and lie within a line height of each other.
std::vector<PixelBox> join_pieces(std::vector<PixelBox> lines) {
  std::sort(lines.begin(), lines.end(),
            [](const PixelBox& a, const PixelBox& b) { return a.x0 < b.x0; });
  std::vector<PixelBox> merged;
  for (const PixelBox& b : lines) {
    bool joined = false;
    for (PixelBox& m : merged) {
      const int overlap = std::min(m.y1, b.y1) - std::max(m.y0, b.y0);
      const int h = std::max(m.height(), b.height());
      if (overlap >= kSameLineOverlap * std::min(m.height(), b.height()) &&
          b.x0 - m.x1 <= kSameLineGap * h && b.x0 >= m.x0) {
        m = {m.x0, std::min(m.y0, b.y0), std::max(m.x1, b.x1), std::max(m.y1, b.y1)};
        joined = true;
        break;
      }
    }
    if (!joined) merged.push_back(b);
  }
  std::sort(merged.begin(), merged.end(), [](const PixelBox& a, const PixelBox& b) {
    return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0;
  });
  return merged;
}

// The words of a line joined into one word over their boxes, with their least confidence.
WordReading one_word(const std::vector<WordReading>& words, std::string text) {
  WordReading one = words.front();
  for (const WordReading& w : words)
    one = {one.text,
           std::min(one.confidence, w.confidence),
           std::min(one.x0, w.x0),
           std::min(one.y0, w.y0),
           std::max(one.x1, w.x1),
           std::max(one.y1, w.y1),
           false};
  one.text = std::move(text);
  return one;
}

// "表 8" with the gap read as a character ("表有8"): the table number. At most kTableNumberLength
// characters: 表, one or two characters read in the gap (or none), and the number.
constexpr std::size_t kTableNumberLength = 5;

void mend_table_number(std::vector<WordReading>& words, const std::string& joined) {
  const std::u32string j = core::utf8_to_u32(joined);
  if (j.size() < 2 || j.size() > kTableNumberLength || j.front() != U'表' || j.back() < U'0' ||
      j.back() > U'9')
    return;
  std::size_t d = j.size();  // where the number starts
  while (d > 1 && j[d - 1] >= U'0' && j[d - 1] <= U'9') --d;
  if (d > 1 && d <= 3) words = {one_word(words, "表" + core::u32_to_utf8(j.substr(d)))};
}

// 编制部门 and 单位 lines repeat on every page: recalled when the ink matches a confident reading.
std::vector<WordReading> words_of(PageContext& page, const PixelBox& line) {
  if (std::optional<std::vector<WordReading>> recalled =
          page.memory.labels.recall_words(page.grey, line))
    return std::move(*recalled);
  std::vector<WordReading> words = page.engine.read_words(page.grey, line);
  ++page.trace.counts.labels;
  double confidence = 0;  // mean over the words: a colon alone often reads at ~0.5
  for (const WordReading& w : words) confidence += w.confidence / static_cast<double>(words.size());
  if (!words.empty() && confidence >= page.options.remembered_label_confidence)
    page.memory.labels.remember_words(page.grey, line, words);
  return words;
}

}  // namespace

std::vector<PixelBox> text_lines(const core::Raster& binary, const std::vector<PixelBox>& tables) {
  // Above 200 dpi the lines are looked for at half the resolution: the morphology over the whole
  // page then costs a quarter (0.12–0.16 s a page at 300 dpi). Boxes come back at full resolution
  // with a margin for the half pixel lost.
  const int scale =
      binary.dpi > kHalfResolutionAboveDpi && binary.width >= 4 && binary.height >= 4 ? 2 : 1;
  cv::Mat ink = ink_outside(binary, tables, scale);
  const double dpi = binary.dpi / scale;
  const int long_px = std::max(8, static_cast<int>(kRuleInches * dpi));
  const cv::Mat h_rules = imaging::open_by_line(ink, long_px, core::Orientation::Horizontal);
  const cv::Mat v_rules = imaging::open_by_line(ink, long_px, core::Orientation::Vertical);
  ink &= ~(h_rules | v_rules);
  const int gap = std::max(2, static_cast<int>(std::lround(dpi * kWordGapInches)));
  cv::Mat smeared, labels, stats, centroids;
  cv::dilate(ink, smeared, cv::getStructuringElement(cv::MORPH_RECT, {2 * gap + 1, 1}));
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8);
  const double min_h = dpi * kMinLinePoints / 72, max_h = dpi * kMaxLinePoints / 72;
  const int margin = 2 * scale - 1;  // 2 px at full resolution, 3 at half
  std::vector<PixelBox> lines;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (h < min_h || h > max_h || w - 2 * gap < min_h * kMinLineLength) continue;
    lines.push_back(clip({(x + gap) * scale - margin, y * scale - margin,
                          (x + w - gap) * scale + margin, (y + h) * scale + margin},
                         binary.width, binary.height));
  }
  return join_pieces(std::move(lines));
}

std::vector<core::Word> read_lines(PageContext& page, int page_number,
                                   const std::vector<PixelBox>& lines,
                                   std::vector<core::Diagnostic>& diagnostics) {
  std::vector<core::Word> out;
  for (const PixelBox& line : lines) {
    std::vector<WordReading> words = words_of(page, line);
    std::string joined;
    for (const WordReading& w : words) joined += w.text;
    mend_table_number(words, joined);
    // A title line close to a standard title is that title.
    if (const auto title = CodeBook::standard().closest_title(joined);
        title && title->similarity >= page.options.title_similarity && title->similarity < 1.0 &&
        !words.empty() && joined.find_first_of("0123456789") == std::string::npos) {
      diagnostics.push_back({core::Severity::Info, "title_corrected", page_number,
                             "OCR read '" + joined + "', corrected to '" + title->label +
                                 "' from the standard titles"});
      words = {one_word(words, title->label)};
    }
    for (const WordReading& w : words) {
      core::Word word;
      word.text = w.text;
      word.box = {page.grey.to_points(w.x0), page.grey.to_points(w.y0), page.grey.to_points(w.x1),
                  page.grey.to_points(w.y1)};
      word.confidence = w.confidence;
      word.source = core::TextSource::Ocr;
      word.space_after = w.space_after;
      out.push_back(std::move(word));
    }
  }
  return out;
}

}  // namespace tally::ocr::detail
