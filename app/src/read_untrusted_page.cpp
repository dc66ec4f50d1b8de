// The OCR path: a page whose text layer is missing or garbled is rendered, prepared and read cell
// by cell, so that layout::find_tables sees words and rulings as on a born-digital page.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "steps.h"
#include "tally/core/opencv.h"
#include "tally/core/text.h"
#include "tally/layout/layout.h"
#include "tally/ocr/ocr.h"

namespace tally::app {

namespace {

// A number read with at least this confidence is taken as a number without asking chi_sim.
constexpr double kNumberConfidence = 0.60;
// A crop that does not look like digits, read by chi_sim as Chinese without digits with at least
// this confidence, is a label without asking the number engine.
constexpr double kSettledLabelConfidence = 0.80;
// A label reading at least this confident is remembered for crops that look the same.
constexpr double kRememberedLabelConfidence = 0.80;

using core::raster_of;
using core::view;

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
// along the crop's edges; nullopt when the region holds no text. Glyph-sized pieces make the box;
// small ones (points, commas, minus signs) join it only where they sit beside them on their line.
std::optional<ocr::PixelBox> ink_box(const core::Raster& binary, const ocr::PixelBox& box) {
  if (box.width() < 3 || box.height() < 3) return std::nullopt;
  cv::Mat ink;
  cv::threshold(view(binary)(cv::Rect(box.x0, box.y0, box.width(), box.height())), ink, 128, 255, cv::THRESH_BINARY_INV);
  if (cv::countNonZero(ink) == 0) return std::nullopt;  // an empty cell, without labelling it
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  const double scale = binary.dpi / 300.0;
  const int min_area = std::max(3, static_cast<int>(std::lround(8 * scale * scale)));
  const double glyph = 12 * scale;  // px: a glyph part at least this tall or wide (~3 pt)
  struct Piece {
    int x0, y0, x1, y1, area;
  };
  std::vector<Piece> big, small;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    const int area = stats.at<int>(i, cv::CC_STAT_AREA);
    if (area < min_area) continue;
    const bool touches = x == 0 || y == 0 || x + w == box.width() || y + h == box.height();
    // A rule's remnant: thin and long, along an edge.
    if (touches && ((w > 0.6 * box.width() && h <= 4 * scale + 2) || (h > 0.6 * box.height() && w <= 4 * scale + 2)))
      continue;
    const Piece p{box.x0 + x, box.y0 + y, box.x0 + x + w, box.y0 + y + h, area};
    (std::max(w, h) >= glyph ? big : small).push_back(p);
  }
  if (big.empty()) return std::nullopt;
  ocr::PixelBox out{big[0].x0, big[0].y0, big[0].x1, big[0].y1};
  for (const Piece& p : big) out = {std::min(out.x0, p.x0), std::min(out.y0, p.y0), std::max(out.x1, p.x1), std::max(out.y1, p.y1)};
  // Small pieces on the glyphs' lines, within half a line height of them.
  const int reach = std::max(2, out.height() / 2);
  for (const Piece& p : small) {
    const int cy = (p.y0 + p.y1) / 2;
    if (cy < out.y0 - reach / 2 || cy > out.y1 + reach / 4) continue;
    if (p.x1 < out.x0 - reach || p.x0 > out.x1 + reach) continue;
    out = {std::min(out.x0, p.x0), std::min(out.y0, p.y0), std::max(out.x1, p.x1), std::max(out.y1, p.y1)};
  }
  if (out.height() < static_cast<int>(5 * scale)) return std::nullopt;
  return out;
}

// The number inside a reading cluttered by specks read as characters ("”600.00", ".二432.10"):
// the longest run that reads as an amount, when it holds nearly all the digits.
std::optional<std::string> number_inside(const std::string& text) {
  const std::u32string t = core::utf8_to_u32(core::fold_width(text));
  std::size_t best_start = 0, best_len = 0, digits = 0;
  for (char32_t c : t) digits += c >= U'0' && c <= U'9';
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!(t[i] >= U'0' && t[i] <= U'9') && t[i] != U'-') continue;
    std::size_t j = i + 1;
    while (j < t.size() && ((t[j] >= U'0' && t[j] <= U'9') || t[j] == U',' || t[j] == U'.')) ++j;
    if (j - i > best_len) best_start = i, best_len = j - i;
  }
  if (best_len == 0) return std::nullopt;
  std::string run = ocr::normalize_text(core::u32_to_utf8(t.substr(best_start, best_len)), ocr::TextKind::Number);
  std::size_t run_digits = 0;
  for (char c : run) run_digits += c >= '0' && c <= '9';
  if (!ocr::looks_numeric(run) || run_digits + 1 < digits || run.find('.') == std::string::npos) return std::nullopt;
  return run;
}

// The text lines inside an ink box: bands of rows with ink separated by blank rows.
std::vector<ocr::PixelBox> line_bands(const core::Raster& binary, const ocr::PixelBox& box) {
  std::vector<int> ink_rows(static_cast<std::size_t>(box.height()), 0);
  for (int y = box.y0; y < box.y1; ++y) {
    const std::uint8_t* row = binary.pixels.data() + static_cast<std::size_t>(y) * binary.width;
    int n = 0;
    for (int x = box.x0; x < box.x1; ++x) n += row[x] < 128;
    ink_rows[static_cast<std::size_t>(y - box.y0)] = n;
  }
  const int min_line = std::max(4, static_cast<int>(binary.dpi * 4 / 72));  // 4 pt
  std::vector<ocr::PixelBox> bands;
  int start = -1;
  for (int y = 0; y <= box.height(); ++y) {
    const bool ink = y < box.height() && ink_rows[static_cast<std::size_t>(y)] > 1;
    if (ink && start < 0) start = y;
    if (!ink && start >= 0) {
      if (y - start >= min_line || bands.empty()) {
        bands.push_back({box.x0, box.y0 + start, box.x1, box.y0 + y});
      } else {
        bands.back().y1 = box.y0 + y;  // a dot or a stroke apart from its line: part of the line above
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

// Calls to Tesseract on a page, and the readings that spared one.
struct ReadCounts {
  int numbers = 0, labels = 0;  // calls to the number and the label engine
  int from_digits = 0;          // amounts read from the document's digit glyphs
  int from_characters = 0;      // label lines read from the document's character glyphs
};

// A line whose characters are partly learned (`pieces`): chi_sim reads only each run of the others, with a
// known neighbour either side, and must find exactly as many characters there as the run has
// pieces, the neighbours among them; nullopt (chi_sim reads the whole line) otherwise, or when
// the runs would cost chi_sim as much as the line. The line, read whole this way, teaches its new
// characters.
std::optional<ocr::Reading> read_unknown_characters(ocr::Engine& engine, ocr::CharacterGlyphs& characters, const core::Raster& grey,
                                                    const core::Raster& binary, const ocr::PixelBox& box,
                                                    const ocr::CharacterGlyphs::Pieces& pieces, ReadCounts& counts) {
  const std::size_t n = pieces.characters.size();
  // The runs of unknown pieces, each widened by a known neighbour either side: [from, to), and
  // the run itself [i, end).
  struct Run {
    std::size_t from, i, end, to;
  };
  std::vector<Run> runs;
  for (std::size_t i = 0; i < n; ++i) {
    if (pieces.characters[i] != 0) continue;
    std::size_t end = i;
    while (end < n && pieces.characters[end] == 0) ++end;
    runs.push_back({i > 0 ? i - 1 : i, i, end, end < n ? end + 1 : end});
    i = end;
  }
  if (runs.empty() || (runs.size() == 1 && runs[0].i == 0 && runs[0].end == n)) return std::nullopt;
  // Each run costs chi_sim its characters with their neighbours, and a call about half a
  // character's time: only worth it when that is less than the whole line.
  double cost = 0;
  for (const Run& r : runs) cost += 0.5 + static_cast<double>(r.to - r.from);
  if (cost >= static_cast<double>(n) + 0.5) return std::nullopt;
  std::u32string text = pieces.characters;
  double confidence = pieces.reading().confidence;
  for (const auto& [from, i, end, to] : runs) {
    // The neighbours give chi_sim context and are a check: they must read as themselves. The crop
    // reaches halfway into the gaps beyond them.
    const int x0 = from == 0 ? pieces.x0 : (pieces.boxes[from - 1].x1 + pieces.boxes[from].x0) / 2;
    const int x1 = to == n ? box.x1 : (pieces.boxes[to - 1].x1 + pieces.boxes[to].x0) / 2;
    const ocr::Reading run = engine.read(grey, {x0, box.y0, x1, box.y1}, ocr::TextKind::Label);
    ++counts.labels;
    const std::u32string read = core::utf8_to_u32(run.text);
    if (read.size() != to - from || !std::all_of(read.begin(), read.end(), core::is_cjk) || run.confidence < kRememberedLabelConfidence)
      return std::nullopt;
    if ((from < i && read.front() != text[from]) || (to > end && read.back() != text[to - 1])) return std::nullopt;
    std::copy(read.begin() + static_cast<std::ptrdiff_t>(i - from), read.end() - static_cast<std::ptrdiff_t>(to - end),
              text.begin() + static_cast<std::ptrdiff_t>(i));
    confidence = std::min(confidence, run.confidence);
  }
  ocr::Reading reading{pieces.code + core::u32_to_utf8(text), confidence, {}};
  characters.learn(binary, box, reading);
  return reading;
}

// One line of a label: recalled when a crop with the same ink was read before in the document,
// else read from the document's characters when every one is clearly learned (or chi_sim reads
// only the runs of new ones, see read_unknown_characters), else read by chi_sim and remembered
// (the crop when confident, its characters when sure). TALLY_OCR_MEMORY_LOG=1 (for
// tuning LabelMemory::kSameInk): every line is read by chi_sim, and stderr gets one line per crop
// with a remembered neighbour: MEM, unlikeness, whether the texts agree, remembered text and
// confidence, chi_sim's text and confidence, crop size. TALLY_CHARACTERS_CHECK=1: chi_sim reads
// the lines the characters read too, and stderr gets CHARS, both readings and whether they agree.
ocr::Reading read_label_line(ocr::Engine& engine, DocumentMemory& memory, const core::Raster& grey, const core::Raster& binary,
                             const ocr::PixelBox& box, ReadCounts& counts) {
  static const bool log = std::getenv("TALLY_OCR_MEMORY_LOG") != nullptr;
  static const bool check = std::getenv("TALLY_CHARACTERS_CHECK") != nullptr;
  std::optional<ocr::LabelMemory::Recalled> near;
  if (log) near = memory.labels.nearest(grey, box);
  else if (std::optional<ocr::Reading> recalled = memory.labels.recall(grey, box)) return *recalled;
  std::optional<ocr::Reading> from_characters;
  if (std::optional<ocr::CharacterGlyphs::Pieces> pieces; !log && (pieces = memory.characters.read_pieces(binary, box, &memory.digits)))
    from_characters = pieces->all_known() ? pieces->reading()
                                          : read_unknown_characters(engine, memory.characters, grey, binary, box, *pieces, counts);
  if (from_characters && !check) {
    ++counts.from_characters;
    return *from_characters;
  }
  ocr::Reading reading = engine.read(grey, box, ocr::TextKind::Label);
  ++counts.labels;
  if (from_characters)
    std::fprintf(stderr, "CHARS\t%d\t%s\t%.2f\t%s\t%.2f\n", from_characters->text == reading.text, from_characters->text.c_str(),
                 from_characters->confidence, reading.text.c_str(), reading.confidence);
  if (log && near)
    std::fprintf(stderr, "MEM\t%.3f\t%d\t%s\t%.2f\t%s\t%.2f\t%dx%d\n", near->unlikeness, near->reading.text == reading.text,
                 near->reading.text.c_str(), near->reading.confidence, reading.text.c_str(), reading.confidence, box.width(),
                 box.height());
  if (reading.confidence >= kRememberedLabelConfidence) memory.labels.remember(grey, box, reading);
  memory.characters.learn(binary, box, reading);
  return reading;
}

// Reads a label that may wrap over several lines, one line at a time. (Labels side by side in one
// call, like numbers, cost less but chi_sim then reads quotes and stops in the paper between them.)
ocr::Reading read_label(ocr::Engine& engine, DocumentMemory& memory, const core::Raster& grey, const core::Raster& binary,
                        const ocr::PixelBox& box, ReadCounts& counts) {
  const std::vector<ocr::PixelBox> bands = line_bands(binary, box);
  if (bands.size() == 1) return read_label_line(engine, memory, grey, binary, box, counts);
  ocr::Reading joined;
  double confidence = 0;
  int n = 0;
  const int m = std::max(1, static_cast<int>(grey.dpi / 150));
  for (const ocr::PixelBox& band : bands) {
    const ocr::Reading r = read_label_line(
        engine, memory, grey, binary, {band.x0, std::max(box.y0, band.y0 - m), band.x1, std::min(box.y1, band.y1 + m)}, counts);
    if (r.text.empty()) continue;
    joined.text += r.text;
    confidence += r.confidence;
    ++n;
  }
  joined.confidence = n ? confidence / n : 0.0;
  return joined;
}

// The page at `dpi` for OCR. A scan drawn at a somewhat lower resolution (and nothing else drawn)
// is rendered at its own and scaled up with OpenCV: Poppler scales a page image up at about three
// times the cost (0.19 against 0.07 s a page, 200 dpi to 300). Bicubic: bilinear, like Poppler's,
// lost more label characters on the corpus. Scans that need more than 1.5× (150 dpi) stay with
// Poppler: scaled 2× by OpenCV they read worse (32-scan corpus, 150 dpi: 14 → 23 extra rows,
// 41 → 45 label characters wrong).
core::Raster render_for_ocr(const extract::PdfDocument& pdf, int number, double dpi) {
  const extract::PageDrawing drawing = pdf.page_drawing(number);
  if (drawing.other_ink || drawing.image_cover < 0.9 || drawing.image_dpi < dpi / 1.55 || drawing.image_dpi > 0.9 * dpi)
    return pdf.render_page(number, dpi);
  const core::Raster native = pdf.render_page(number, drawing.image_dpi);
  const double factor = dpi / native.dpi;
  cv::Mat scaled;
  cv::resize(view(native), scaled,
             cv::Size(static_cast<int>(std::lround(native.width * factor)), static_cast<int>(std::lround(native.height * factor))), 0,
             0, cv::INTER_CUBIC);
  return raster_of(scaled, dpi);
}

// An amount read from the document's digit glyphs, if they read it. TALLY_GLYPHS_CHECK=1 (for
// tuning DigitGlyphs' thresholds): Tesseract reads it too, and stderr gets one line per crop:
// GLYPHS, whether the two agree, the glyphs' reading and confidence, Tesseract's and its confidence.
std::optional<ocr::Reading> read_by_glyphs(const ocr::DigitGlyphs& glyphs, ocr::Engine& engine, const core::Raster& grey,
                                           const core::Raster& binary, const ocr::PixelBox& box) {
  static const bool check = std::getenv("TALLY_GLYPHS_CHECK") != nullptr;
  std::optional<ocr::Reading> reading = glyphs.read(binary, box);
  if (check && reading) {
    const ocr::Reading tesseract = engine.read(grey, box, ocr::TextKind::Number);
    std::fprintf(stderr, "GLYPHS\t%d\t%s\t%.2f\t%s\t%.2f\n", reading->text == tesseract.text, reading->text.c_str(),
                 reading->confidence, tesseract.text.c_str(), tesseract.confidence);
  }
  return reading;
}

// TALLY_OCR_DUMP=DIR: the crops of cells that did not read as numbers, as PGM files, for tuning.
void dump_crop(const char* dir, int page, const core::Raster& grey, const ocr::PixelBox& box, const std::string& text) {
  static std::atomic<int> counter{0};
  const std::string path = std::string(dir) + "/p" + std::to_string(page) + "-" + std::to_string(counter++) + ".pgm";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fprintf(f, "P5\n# %s\n%d %d\n255\n", text.c_str(), box.width(), box.height());
    for (int y = box.y0; y < box.y1; ++y)
      std::fwrite(grey.pixels.data() + static_cast<std::size_t>(y) * grey.width + box.x0, 1, static_cast<std::size_t>(box.width()), f);
    std::fclose(f);
  }
}

int digits_of(const std::string& text) {
  return static_cast<int>(std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

// Whether the leftmost ink of a number's crop is a minus sign: a short level bar at mid-height.
// A speck or a rule's remnant read as '-' is not.
bool starts_with_dash(const core::Raster& binary, const ocr::PixelBox& box) {
  cv::Mat ink;
  cv::threshold(view(binary)(cv::Rect(box.x0, box.y0, box.width(), box.height())), ink, 128, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  int best = -1;
  for (int i = 1; i < n; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 4) continue;
    if (best < 0 || stats.at<int>(i, cv::CC_STAT_LEFT) < stats.at<int>(best, cv::CC_STAT_LEFT)) best = i;
  }
  if (best < 0) return false;
  const int w = stats.at<int>(best, cv::CC_STAT_WIDTH), h = stats.at<int>(best, cv::CC_STAT_HEIGHT);
  const double cy = stats.at<int>(best, cv::CC_STAT_TOP) + h / 2.0;
  return w >= 2 * h && h <= box.height() / 4 + 1 && cy > box.height() * 0.3 && cy < box.height() * 0.75;
}

// A reading of at least two digits that are most of its characters ("51,51", "515)").
bool mostly_digits(const std::string& text) {
  const int d = digits_of(text);
  return d >= 2 && 3 * d >= 2 * static_cast<int>(core::utf8_length(text));
}

// Whether `label` is `digits` with some 1s read as brackets, bars or letters (chi_sim's "]1" for 11).
bool ones_as_bars(const std::string& label, const std::string& digits) {
  if (label.size() != digits.size() || digits_of(digits) != static_cast<int>(digits.size())) return false;
  for (std::size_t i = 0; i < label.size(); ++i)
    if (label[i] != digits[i] && !(digits[i] == '1' && std::string_view("]|[lI!").find(label[i]) != std::string_view::npos))
      return false;
  return true;
}

// Whether a crop's ink looks like a line of digits: every glyph-sized piece about as tall as the
// line and at most as wide as tall, the rest small (points, commas). Chinese characters have pieces
// as wide as tall or short radicals. Only decides how a crop is read, never what it says.
bool looks_like_digits(const core::Raster& binary, const ocr::PixelBox& box) {
  cv::Mat ink;
  cv::threshold(view(binary)(cv::Rect(box.x0, box.y0, box.width(), box.height())), ink, 128, 255, cv::THRESH_BINARY_INV);
  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(ink, labels, stats, centroids, 8);
  int top = box.height(), bottom = 0;
  for (int i = 1; i < n; ++i) {
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 4) continue;
    top = std::min(top, stats.at<int>(i, cv::CC_STAT_TOP));
    bottom = std::max(bottom, stats.at<int>(i, cv::CC_STAT_TOP) + stats.at<int>(i, cv::CC_STAT_HEIGHT));
  }
  const int line = bottom - top;
  if (line <= 0) return false;
  int glyphs = 0;
  for (int i = 1; i < n; ++i) {
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (stats.at<int>(i, cv::CC_STAT_AREA) < 4 || (h < 0.45 * line && w < 0.45 * line)) continue;  // a point, a comma
    if (h < 0.75 * line) return false;
    if (w > 0.85 * h) {
      // Bold digits touch ("96" as one piece) through a thin waist; a Chinese character's strokes
      // cross its whole width.
      if (w > 2.5 * h) return false;
      const int x0 = stats.at<int>(i, cv::CC_STAT_LEFT), y0 = stats.at<int>(i, cv::CC_STAT_TOP);
      int thinnest = h;
      for (int x = x0 + w / 4; x < x0 + 3 * w / 4; ++x) {
        int column = 0;
        for (int y = y0; y < y0 + h; ++y) column += labels.at<int>(y, x) == i;
        thinnest = std::min(thinnest, column);
      }
      if (thinnest > 0.2 * h) return false;
    }
    ++glyphs;
  }
  return glyphs > 0;
}

// Whether a number read from a crop could fill it: digits are about half as wide as tall, so a
// crop many times wider than its reading holds something else (a bold label read as "7").
bool explains_width(const std::string& text, const ocr::PixelBox& ink) {
  return ink.width() <= (0.75 * static_cast<double>(text.size()) + 1.5) * ink.height();
}

// Digits after the decimal point; -1 without one.
int decimals_of(const std::string& text) {
  const std::size_t dot = text.rfind('.');
  if (dot == std::string::npos) return -1;
  int n = 0;
  for (std::size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++n;
  return n;
}

struct CellRead {
  ocr::PixelBox ink;
  int row = 0, col = 0;
  ocr::Reading reading;
  bool numeric = false;
  bool settled = false;  // read as a label already
  std::optional<ocr::Reading> label_reading;  // chi_sim's, when asked before the number engine
};


// Leading digits of a label cell that prints its code first ("201一般公共服务支出").
std::pair<std::string, std::string> split_code_prefix(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return {text.substr(0, i), text.substr(i)};
}

bool has_cjk(const std::string& text) {
  for (char32_t c : core::utf8_to_u32(text))
    if (core::is_cjk(c)) return true;
  return false;
}

// Labels by dictionary: a row's classification code names its label and a label its code. Garbled
// labels are replaced by the code list's name, truncated codes completed from the label; every
// change is recorded as a diagnostic, and the reading as OCR gave it is kept as an alternative.
void correct_by_dictionary(std::vector<CellRead>& cells, int page, std::vector<core::Diagnostic>& diagnostics) {
  const ocr::CodeBook& book = ocr::CodeBook::standard();
  if (book.empty()) return;
  std::map<int, std::vector<CellRead*>> rows;
  for (CellRead& c : cells) rows[c.row].push_back(&c);
  std::string class_above;  // 类 code of the rows above, for split code columns with a blank 类
  const auto note = [&](const std::string& what, const std::string& from, const std::string& to, const std::string& why) {
    diagnostics.push_back({core::Severity::Info, what, page, "OCR read '" + from + "', corrected to '" + to + "' " + why});
  };
  for (auto& [row, members] : rows) {
    std::sort(members.begin(), members.end(), [](const CellRead* a, const CellRead* b) { return a->col < b->col; });
    // The code: leading cells of digits only (one cell, or 类 | 款 | 项), or a label's prefix.
    std::string code;
    std::vector<CellRead*> code_cells;
    CellRead* label = nullptr;
    std::string label_text, prefix;
    for (CellRead* c : members) {
      const std::string& t = c->reading.text;
      if (!label && core::is_digits(t) && t.size() <= 7 && t.find_first_of(",.") == std::string::npos) {
        code += t;
        code_cells.push_back(c);
        continue;
      }
      if (!label && has_cjk(t)) {
        label = c;
        std::tie(prefix, label_text) = split_code_prefix(t);
      }
      break;
    }
    if (!label) continue;
    if (code.empty() && prefix.size() >= 3) code = prefix;
    if (code_cells.size() >= 1 && code_cells.front()->reading.text.size() == 2 && class_above.size() == 3)
      code = class_above + code;  // 类 left blank under its class row
    if (code.size() >= 3 && code_cells.size() > 0 && code_cells.front()->reading.text.size() == 3) class_above = code.substr(0, 3);
    if (label_text.size() < 6) continue;  // two characters or fewer: too short to judge

    std::string corrected;
    const std::string* by_code = code.empty() ? nullptr : book.label_of(code);
    if (by_code) {
      const std::string read = core::remove_space(label_text);
      const double s = ocr::similarity(core::fold_width(read), core::fold_width(*by_code));
      if (s >= 0.6 && read != *by_code) {
        corrected = *by_code;
        // Full-width forms only: the printed form, not a correction of what was read.
        if (s < 1.0) note("label_corrected", label_text, corrected, "from the code list (code " + code + ")");
      }
    } else if (!code.empty()) {
      // A code not in the list (misread or truncated): the closest name, when it is close.
      const std::optional<ocr::CodeBook::Match> m = book.closest_label(label_text);
      if (m && m->similarity >= 0.75 && m->similarity < 1.0) {
        corrected = m->label;
        note("label_corrected", label_text, corrected, "from the code list (closest name)");
      }
      // A truncated or misread code: complete it from the label when one code of the list fits.
      const std::string name = corrected.empty() ? core::remove_space(label_text) : corrected;
      if (!code.empty() && code_cells.size() == 1 && (!m || m->similarity >= 0.75)) {
        std::vector<std::string> fits;
        for (const std::string& candidate : book.codes_of(name))
          if (candidate.size() == code.size() + 1 && candidate.compare(0, code.size(), code) == 0) fits.push_back(candidate);
        if (fits.size() == 1) {
          CellRead& cell = *code_cells.front();
          note("code_corrected", cell.reading.text, fits.front(), "from the code list (label " + name + ")");
          cell.reading.alternatives.insert(cell.reading.alternatives.begin(), {cell.reading.text, cell.reading.confidence});
          cell.reading.text = fits.front();
        }
      }
    }
    if (!corrected.empty()) {
      label->reading.alternatives.insert(label->reading.alternatives.begin(), {label->reading.text, label->reading.confidence});
      label->reading.text = prefix + corrected;
    }
  }
}

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
// Faint rules (light grey, blurred, noisy) are found on rasters smoothed along each direction, with
// their contrast raised: smoothing along a rule keeps it as dark as it is while the paper's noise
// averages out; glyphs smeared the same way stay too thick to pass for rules.
// Whether a ruling runs through a line of text: ink on both sides of it, a little way off, along
// much of its length. A rule has paper on at least one side.
bool through_text(const core::Raster& binary, const core::Ruling& r) {
  const bool horizontal = r.orientation == core::Orientation::Horizontal;
  const int offset = static_cast<int>(std::lround(binary.to_pixels(2.5)));
  const int at = static_cast<int>(std::lround(binary.to_pixels(r.position)));
  const int from = std::max(0, static_cast<int>(binary.to_pixels(r.start)));
  const int to = std::min(horizontal ? binary.width : binary.height, static_cast<int>(binary.to_pixels(r.end)));
  if (to <= from) return false;
  const auto ink_share = [&](int across) {
    if (across < 0 || across >= (horizontal ? binary.height : binary.width)) return 0.0;
    int n = 0;
    for (int along = from; along < to; ++along) n += (horizontal ? binary.at(along, across) : binary.at(across, along)) < 128;
    return static_cast<double>(n) / (to - from);
  };
  if (ink_share(at - offset) > 0.12 && ink_share(at + offset) > 0.12) return true;
  return false;
}

// Share of a ruling's length where the grey raster is darker than the paper on the ruling itself
// (±1 px): a rule, however faint or broken, covers most of its length; the bottoms of a line of
// bold digits, which smoothing joins into a bar, leave gaps between the glyphs.
double coverage(const core::Raster& grey, const core::Ruling& r) {
  const bool horizontal = r.orientation == core::Orientation::Horizontal;
  const int at = static_cast<int>(std::lround(grey.to_pixels(r.position)));
  const int from = std::max(0, static_cast<int>(grey.to_pixels(r.start)));
  const int to = std::min(horizontal ? grey.width : grey.height, static_cast<int>(grey.to_pixels(r.end)));
  const int across_max = horizontal ? grey.height : grey.width;
  if (to <= from) return 0;
  int covered = 0;
  for (int along = from; along < to; ++along) {
    int darkest = 255;
    for (int d = -1; d <= 1; ++d) {
      const int across = at + d;
      if (across < 0 || across >= across_max) continue;
      darkest = std::min<int>(darkest, horizontal ? grey.at(along, across) : grey.at(across, along));
    }
    covered += darkest < 238;
  }
  return static_cast<double>(covered) / (to - from);
}

// `rules_grey` is the page at the resolution rules are looked for at (see rules_resolution); the
// candidates are checked on the full-resolution `grey` and `binary`.
std::vector<core::Ruling> faint_rulings(const core::Raster& rules_grey, const core::Raster& grey,
                                        const core::Raster& binary, const layout::Options& options) {
  const int k = std::max(3, static_cast<int>(std::lround(rules_grey.dpi * 2.0 / 72)) | 1);  // ~2 pt
  std::vector<core::Ruling> out;
  for (const core::Orientation orientation : {core::Orientation::Horizontal, core::Orientation::Vertical}) {
    const bool horizontal = orientation == core::Orientation::Horizontal;
    cv::Mat smooth;
    cv::blur(view(rules_grey), smooth, horizontal ? cv::Size(k, 1) : cv::Size(1, k));
    // 255 − 2.5 × (255 − v): the ruling finder's ink threshold (200) now falls at v ≈ 233.
    smooth.convertTo(smooth, CV_8U, 2.5, -1.5 * 255);
    core::Raster raster = rules_grey;
    std::memcpy(raster.pixels.data(), smooth.data, raster.pixels.size());
    for (const core::Ruling& r : layout::find_rulings(raster, options))
      if (r.orientation == orientation && !through_text(binary, r) && coverage(grey, r) >= 0.96) out.push_back(r);
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
  if (grey.dpi <= 200 || grey.width < 4 || grey.height < 4) return grey;
  cv::Mat darkest, half;
  cv::erode(view(grey), darkest, cv::getStructuringElement(cv::MORPH_RECT, {2, 2}), {0, 0});
  cv::resize(darkest, half, cv::Size(grey.width / 2, grey.height / 2), 0, 0, cv::INTER_NEAREST);
  return raster_of(half, grey.dpi / 2);
}

// Whether a ruling lies within `box` (points, a point's slack).
bool ruling_inside(const core::Ruling& r, const core::Box& box) {
  const bool horizontal = r.orientation == core::Orientation::Horizontal;
  const double x0 = horizontal ? r.start : r.position, x1 = horizontal ? r.end : r.position;
  const double y0 = horizontal ? r.position : r.start, y1 = horizontal ? r.position : r.end;
  return x0 >= box.x0 - 1 && x1 <= box.x1 + 1 && y0 >= box.y0 - 1 && y1 <= box.y1 + 1;
}

// The strokes of a bold title can close into a grid of one row across a few of its characters
// (gen-0002.scan200, 表9: 1×4, 63 pt wide); read as cells, they put junk into the title. One row is
// a table only as a continuation's last line, which spans the table's width: narrower one-row
// grids are dropped, with their rulings, or layout would find them again in page.rulings and take
// the title's words into them.
void drop_title_stroke_grids(std::vector<layout::Grid>& grids, core::Page& page) {
  std::erase_if(grids, [&](const layout::Grid& g) {
    if (g.n_rows() != 1 || g.box.width() >= page.width / 4) return false;
    std::erase_if(page.rulings, [&](const core::Ruling& r) { return ruling_inside(r, g.box); });
    return true;
  });
}

// Lines of text outside the tables: ink smeared along the line, grid areas left out.
std::vector<ocr::PixelBox> text_lines(const core::Raster& binary, const std::vector<ocr::PixelBox>& tables) {
  cv::Mat ink;
  cv::threshold(view(binary), ink, 128, 255, cv::THRESH_BINARY_INV);
  for (const ocr::PixelBox& t : tables) {
    const ocr::PixelBox b = clip({t.x0 - 3, t.y0 - 3, t.x1 + 3, t.y1 + 3}, binary.width, binary.height);
    ink(cv::Rect(b.x0, b.y0, b.width(), b.height())).setTo(0);
  }
  // Above 200 dpi the lines are looked for at half the resolution (a 2×2 block with any ink is
  // ink): the morphology over the whole page then costs a quarter (0.12–0.16 s a page at 300 dpi).
  // Boxes come back at full resolution with a margin for the half pixel lost.
  const int scale = binary.dpi > 200 && binary.width >= 4 && binary.height >= 4 ? 2 : 1;
  if (scale == 2) {
    cv::Mat half;
    cv::resize(ink, half, cv::Size(binary.width / 2, binary.height / 2), 0, 0, cv::INTER_AREA);
    cv::threshold(half, ink, 0, 255, cv::THRESH_BINARY);
  }
  const double dpi = binary.dpi / scale;
  // Rules outside tables (underlines, frames) are not text.
  const int long_px = std::max(8, static_cast<int>(0.5 * dpi));
  const cv::Mat h_rules = core::open_by_line(ink, long_px, core::Orientation::Horizontal);
  const cv::Mat v_rules = core::open_by_line(ink, long_px, core::Orientation::Vertical);
  ink &= ~(h_rules | v_rules);
  const int gap = std::max(2, static_cast<int>(std::lround(dpi * 0.06)));  // ~4.5 pt
  cv::Mat smeared, labels, stats, centroids;
  cv::dilate(ink, smeared, cv::getStructuringElement(cv::MORPH_RECT, {2 * gap + 1, 1}));
  const int n = cv::connectedComponentsWithStats(smeared, labels, stats, centroids, 8);
  const double min_h = dpi * 5.0 / 72, max_h = dpi * 40.0 / 72;
  const int margin = 2 * scale - 1;  // 2 px at full resolution, 3 at half
  std::vector<ocr::PixelBox> lines;
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
    if (h < min_h || h > max_h || w - 2 * gap < min_h * 0.8) continue;
    lines.push_back(clip({(x + gap) * scale - margin, y * scale - margin, (x + w - gap) * scale + margin, (y + h) * scale + margin},
                         binary.width, binary.height));
  }
  std::sort(lines.begin(), lines.end(),
            [](const ocr::PixelBox& a, const ocr::PixelBox& b) { return a.x0 < b.x0; });
  // Pieces of one line with a wider gap (a title's “ ” or spaced characters): joined when they
  // share most of their height and lie within a line height of each other.
  std::vector<ocr::PixelBox> merged;
  for (const ocr::PixelBox& b : lines) {
    bool joined = false;
    for (ocr::PixelBox& m : merged) {
      const int overlap = std::min(m.y1, b.y1) - std::max(m.y0, b.y0);
      const int h = std::max(m.height(), b.height());
      if (overlap >= 0.6 * std::min(m.height(), b.height()) && b.x0 - m.x1 <= 1.2 * h && b.x0 >= m.x0) {
        m = {m.x0, std::min(m.y0, b.y0), std::max(m.x1, b.x1), std::max(m.y1, b.y1)};
        joined = true;
        break;
      }
    }
    if (!joined) merged.push_back(b);
  }
  std::sort(merged.begin(), merged.end(),
            [](const ocr::PixelBox& a, const ocr::PixelBox& b) { return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0; });
  return merged;
}

}  // namespace

void read_untrusted_page(const extract::PdfDocument& pdf, core::Page& page, const JobOptions& options,
                         DocumentMemory& document, std::vector<core::Diagnostic>& diagnostics) {
  ocr::LabelMemory& memory = document.labels;
  ocr::DigitGlyphs& glyphs = document.digits;
  static const bool timing = std::getenv("TALLY_OCR_TIMING") != nullptr;
  static const char* dump = std::getenv("TALLY_OCR_DUMP");
  auto clock = std::chrono::steady_clock::now();
  std::vector<std::pair<std::string, double>> laps;  // step, seconds (summed over the page's tables)
  const auto lap = [&](const char* what) {
    if (!timing) return;
    const auto now = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(now - clock).count();
    clock = now;
    const auto it = std::find_if(laps.begin(), laps.end(), [&](const auto& l) { return l.first == what; });
    if (it == laps.end()) laps.emplace_back(what, seconds);
    else it->second += seconds;
  };
  ocr::Engine& engine = ocr::Engine::for_this_thread(options.tessdata_dir);
  lap("engine");
  const core::Raster rendered = render_for_ocr(pdf, page.number, options.ocr_dpi);
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
  page.rulings = layout::find_rulings(grey, layout_options);
  core::Page bare = page;
  bare.words.clear();
  std::vector<layout::Grid> grids = layout::find_grids(bare, layout_options);
  // Faint or broken rules: when the rules as printed give no grid, or a much smaller one than the
  // faint-rule finder, the faint-rule finder's are taken.
  {
    core::Page faint = bare;
    faint.rulings = faint_rulings(rules_resolution(grey), grey, binary, layout_options);
    std::vector<layout::Grid> faint_grids = layout::find_grids(faint, layout_options);
    const auto area = [](const std::vector<layout::Grid>& gs) {
      double a = 0;
      for (const layout::Grid& g : gs) a += g.box.area();
      return a;
    };
    if (area(faint_grids) > 1.3 * area(grids)) {
      page.rulings = std::move(faint.rulings);
      grids = std::move(faint_grids);
      diagnostics.push_back({core::Severity::Info, "faint_rules", page.number,
                             "rules too faint or broken for the plain finder: found on direction-smoothed rasters"});
    }
  }
  drop_title_stroke_grids(grids, page);
  lap("grid");
  ReadCounts counts;

  // Cells: what looks like digits is read as a number first (cheap), what does not as a label first;
  // each goes to the other engine when the first reading does not fit.
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
      CellRead read{clip({ink->x0 - m, ink->y0 - m, ink->x1 + m, ink->y1 + m}, grey.width, grey.height), cell.row, cell.col, {}, false, false};
      read.ink = {std::max(read.ink.x0, box.x0), std::max(read.ink.y0, box.y0), std::min(read.ink.x1, box.x1),
                  std::min(read.ink.y1, box.y1)};
      cells.push_back(std::move(read));
    }
    // A crop much taller than a line of text holds a wrapped label, never a number.
    const auto is_one_line = [&](const CellRead& c) { return c.ink.height() < grey.to_pixels(16); };
    // Numbers first. Below the first row of amounts, the cells of a column that has read as numbers
    // (twice, and never failed since) are read a row at a time in one call when their ink looks like
    // digits; every other cell alone: headers and labels on the line would sway the LSTM's reading of
    // the numbers beside them (a decimal point lost next to a Chinese label). A column whose wide
    // cells keep failing as numbers (and never read as one) holds labels: its next cells skip the
    // number engine and go straight to chi_sim. Digit-looking ink goes to the document's digit
    // glyphs before any of this; Tesseract's confident readings teach them.
    {
      std::map<int, std::vector<std::size_t>> by_row;
      for (std::size_t i = 0; i < cells.size(); ++i) by_row[cells[i].row].push_back(i);
      struct ColumnSoFar {
        int numbers = 0, failures = 0;  // below the first row of amounts
        int numbers_in_a_row = 0;       // since the last failure
        int with_point = 0;             // numbers printed with a decimal point
      };
      std::map<int, ColumnSoFar> columns;
      bool amounts_seen = false;
      for (const auto& [row, members] : by_row) {
        std::vector<std::size_t> side_by_side;
        std::vector<std::pair<std::size_t, bool>> alone;  // cell, whether the number engine reads it first
        std::vector<std::pair<std::size_t, ocr::Reading>> from_glyphs;
        for (const std::size_t i : members) {
          const CellRead& read = cells[i];
          const ColumnSoFar& column = columns[read.col];
          if (!is_one_line(read) || (column.failures >= 3 && column.numbers == 0)) continue;
          const bool digits = looks_like_digits(binary, read.ink);
          // The document's own digits read most amounts once Tesseract has read a few; not one
          // without a point in a column that prints points (a point lost in touching digits).
          if (digits) {
            if (std::optional<ocr::Reading> r = read_by_glyphs(glyphs, engine, grey, binary, read.ink);
                r && (column.with_point < 2 || r->text.find('.') != std::string::npos)) {
              from_glyphs.emplace_back(i, std::move(*r));
              ++counts.from_digits;
              continue;
            }
          }
          if (digits && amounts_seen && column.numbers_in_a_row >= 2) side_by_side.push_back(i);
          // In a column reading as numbers, the number engine goes first even where the ink does
          // not look like digits (bold amounts whose digits touch): chi_sim would read them as
          // digits anyway, at twice the cost.
          else alone.emplace_back(i, digits || (amounts_seen && column.numbers_in_a_row >= 2));
        }
        std::vector<ocr::Reading> readings;
        if (!side_by_side.empty()) {
          std::vector<ocr::PixelBox> boxes;
          for (const std::size_t i : side_by_side) boxes.push_back(cells[i].ink);
          readings = engine.read_side_by_side(grey, boxes, ocr::TextKind::Number);
          ++counts.numbers;
          // A doubtful reading on the shared line (low confidence, a close second reading, or no
          // point where the column prints them) is read again alone, where no neighbour sways it.
          for (std::size_t k = 0; k < readings.size(); ++k) {
            const ocr::Reading& r = readings[k];
            const bool point_missing = columns[cells[side_by_side[k]].col].with_point >= 2 && r.text.find('.') == std::string::npos;
            if (r.confidence >= 0.9 && (r.alternatives.empty() || r.alternatives.front().confidence < 0.3) && !point_missing)
              continue;
            readings[k] = engine.read(grey, boxes[k], ocr::TextKind::Number);
            ++counts.numbers;
          }
        }
        std::vector<std::size_t> which = side_by_side;  // the cells read as numbers, in `readings` order
        for (const auto& [i, number_first] : alone) {
          CellRead& read = cells[i];
          // Ink that does not look like digits is asked of chi_sim first: a confident Chinese reading
          // without digits, or with digits only as a code before the label ("201一般公共服务支出"),
          // settles it as a label, and the number engine is not asked at all.
          if (!number_first) {
            ocr::Reading as_label = read_label(engine, document, grey, binary, read.ink, counts);
            if (has_cjk(as_label.text) && digits_of(split_code_prefix(as_label.text).second) == 0 &&
                as_label.confidence >= kSettledLabelConfidence) {
              read.reading = std::move(as_label);
              read.settled = true;
              continue;
            }
            read.label_reading = std::move(as_label);
          }
          readings.push_back(engine.read(grey, read.ink, ocr::TextKind::Number));
          which.push_back(i);
          ++counts.numbers;
        }
        for (std::size_t k = 0; k < which.size(); ++k) glyphs.learn(binary, cells[which[k]].ink, readings[k]);
        for (auto& [i, r] : from_glyphs) {
          readings.push_back(std::move(r));
          which.push_back(i);
        }
        bool amounts = false;
        for (std::size_t k = 0; k < which.size(); ++k) {
          CellRead& read = cells[which[k]];
          read.reading = std::move(readings[k]);
          read.numeric = ocr::looks_numeric(read.reading.text) && read.reading.confidence >= kNumberConfidence &&
                         explains_width(read.reading.text, read.ink);
          amounts |= read.numeric && digits_of(read.reading.text) >= 3 && read.reading.text.find('.') != std::string::npos;
        }
        amounts_seen |= amounts;
        if (!amounts_seen) continue;
        for (const std::size_t i : which) {
          const CellRead& read = cells[i];
          ColumnSoFar& column = columns[read.col];
          if (read.numeric) {
            ++column.numbers;
            ++column.numbers_in_a_row;
            column.with_point += read.reading.text.find('.') != std::string::npos;
          } else {
            column.numbers_in_a_row = 0;
            if (read.ink.width() >= 2 * read.ink.height()) ++column.failures;
          }
        }
      }
    }
    lap("numbers");
    // Columns of numbers, and those whose numbers print two decimals (万元 amounts).
    std::map<int, std::pair<int, int>> tried;  // col → (cells read, accepted as numbers)
    std::map<int, int> two_decimals;
    for (const CellRead& read : cells) {
      ++tried[read.col].first;
      if (!read.numeric) continue;
      ++tried[read.col].second;
      two_decimals[read.col] += decimals_of(read.reading.text) == 2;
    }
    const auto number_column = [&](int col) { return 2 * tried[col].second >= tried[col].first && tried[col].second >= 2; };
    const auto decimal_column = [&](int col) { return tried[col].second >= 3 && 10 * two_decimals[col] >= 6 * tried[col].second; };

    // Rows of labels (headers): a short "number" there is more likely a character (类 read "26").
    std::map<int, std::pair<int, int>> row_counts;  // row → (cells, numbers)
    for (const CellRead& read : cells) {
      ++row_counts[read.row].first;
      row_counts[read.row].second += read.numeric;
    }
    for (CellRead& read : cells) {
      const auto [in_row, numbers_in_row] = row_counts[read.row];
      if (!read.numeric || digits_of(read.reading.text) > 2 || 10 * numbers_in_row >= 3 * in_row) continue;
      ocr::Reading as_label = engine.read(grey, read.ink, ocr::TextKind::Label);
      ++counts.labels;
      if (has_cjk(as_label.text) && as_label.confidence >= read.reading.confidence - 0.1) {
        read.reading = std::move(as_label);
        read.numeric = false;
        read.settled = true;
      }
    }
    std::vector<std::pair<std::size_t, ocr::Reading>> to_label;  // cell, its reading as a number
    for (std::size_t index = 0; index < cells.size(); ++index) {
      CellRead& read = cells[index];
      if (read.settled) continue;
      const bool one_line = is_one_line(read);
      // A number that failed, or lacks the column's two decimals: read it again, otherwise presented.
      const bool suspect = read.numeric ? decimal_column(read.col) && decimals_of(read.reading.text) != 2 &&
                                              digits_of(read.reading.text) >= 3
                                        : one_line && mostly_digits(read.reading.text);
      if (suspect) {
        for (const ocr::Engine::Settings settings : {ocr::Engine::Settings{0.05, false}, ocr::Engine::Settings{0.25, false},
                                                     ocr::Engine::Settings{0.10, true}}) {
          ocr::Reading again = engine.read(grey, read.ink, ocr::TextKind::Number, settings);
          ++counts.numbers;
          if (!ocr::looks_numeric(again.text) || again.confidence < kNumberConfidence || !explains_width(again.text, read.ink))
            continue;
          if (decimal_column(read.col) && decimals_of(again.text) != 2) continue;
          read.reading = std::move(again);
          read.numeric = true;
          break;
        }
      }
      if (read.numeric) {
        // Still no decimal point where the column prints two: put it back, at half the confidence.
        const std::string& t = read.reading.text;
        if (decimal_column(read.col) && t.find_first_of(".,") == std::string::npos && digits_of(t) >= 3 &&
            ocr::looks_numeric(t) && t.front() != '(') {
          read.reading.alternatives.insert(read.reading.alternatives.begin(), {t, read.reading.confidence / 2});
          read.reading.text = t.substr(0, t.size() - 2) + "." + t.substr(t.size() - 2);
          read.reading.confidence /= 2;
        }
        continue;
      }
      // In a column of numbers, a doubtful number is still a number (its low confidence says so).
      if (one_line && (number_column(read.col) || decimal_column(read.col)) && ocr::looks_numeric(read.reading.text) &&
          digits_of(read.reading.text) >= 3 && explains_width(read.reading.text, read.ink)) {
        read.numeric = true;
        continue;
      }
      to_label.emplace_back(index, read.reading);
    }
    lap("numbers again");
    for (const auto& [index, as_number] : to_label) {
      CellRead& read = cells[index];
      if (read.label_reading) {
        read.reading = std::move(*read.label_reading);
      } else {
        read.reading = read_label(engine, document, grey, binary, read.ink, counts);
      }
    }
    lap("labels");
    for (const auto& [index, as_number] : to_label) {
      CellRead& read = cells[index];
      // Digits the number engine doubted, that chi_sim reads as digits and junk ("1]1"): the digits.
      // So are digits where chi_sim saw a thin 1 as a bracket or a bar ("]1" for the code 11).
      if (!has_cjk(read.reading.text) && ocr::looks_numeric(as_number.text) && !as_number.text.empty() &&
          (digits_of(read.reading.text) == digits_of(as_number.text) || ones_as_bars(read.reading.text, as_number.text))) {
        read.reading = as_number;
        read.numeric = true;
        continue;
      }
      // A number with a speck read as a character: keep the number.
      if (const std::optional<std::string> number = number_inside(read.reading.text)) {
        read.reading.alternatives.insert(read.reading.alternatives.begin(), {read.reading.text, read.reading.confidence});
        read.reading.text = *number;
        read.numeric = true;
      }
      if (dump) dump_crop(dump, page.number, grey, read.ink, as_number.text + "|" + read.reading.text);
    }
    // A minus sign that is a speck or a rule's remnant.
    for (CellRead& read : cells)
      if (read.numeric && read.reading.text.size() > 1 && read.reading.text.front() == '-' &&
          !starts_with_dash(binary, read.ink)) {
        if (dump) dump_crop(dump, page.number, grey, read.ink, "negative|" + read.reading.text);
        read.reading.alternatives.insert(read.reading.alternatives.begin(), {read.reading.text, read.reading.confidence});
        read.reading.text.erase(read.reading.text.begin());
      }
    correct_by_dictionary(cells, page.number, diagnostics);
    for (const CellRead& read : cells)
      if (!read.reading.text.empty()) page.words.push_back(word_of(grey, read));
  }

  lap("cells, other");
  // Text outside the tables: titles, 表 N, 编制部门, 单位, notes.
  const std::vector<ocr::PixelBox> found_lines = text_lines(binary, table_boxes);
  lap("find lines");
  for (const ocr::PixelBox& line : found_lines) {
    // 编制部门 and 单位 lines repeat on every page: recalled when the ink matches a confident reading.
    std::vector<ocr::WordReading> words;
    if (std::optional<std::vector<ocr::WordReading>> recalled = memory.recall_words(grey, line)) {
      words = std::move(*recalled);
    } else {
      words = engine.read_words(grey, line);
      ++counts.labels;
      double confidence = 0;  // mean over the words: a colon alone often reads at ~0.5
      for (const ocr::WordReading& w : words) confidence += w.confidence / static_cast<double>(words.size());
      if (!words.empty() && confidence >= kRememberedLabelConfidence) memory.remember_words(grey, line, words);
    }
    // A title line close to a standard title is that title.
    std::string joined;
    for (const ocr::WordReading& w : words) joined += w.text;
    // "表 8" with the gap read as a character ("表有8"): the table number.
    if (const std::u32string j = core::utf8_to_u32(joined); j.size() >= 2 && j.size() <= 5 && j.front() == U'表' &&
                                                            j.back() >= U'0' && j.back() <= U'9') {
      std::size_t d = j.size();
      while (d > 1 && j[d - 1] >= U'0' && j[d - 1] <= U'9') --d;
      if (d > 1 && d <= 3) {
        ocr::WordReading one = words.front();
        for (const ocr::WordReading& w : words)
          one = {one.text, std::min(one.confidence, w.confidence), std::min(one.x0, w.x0), std::min(one.y0, w.y0),
                 std::max(one.x1, w.x1), std::max(one.y1, w.y1), false};
        one.text = "表" + core::u32_to_utf8(j.substr(d));
        words = {one};
      }
    }
    if (const auto title = ocr::CodeBook::standard().closest_title(joined);
        title && title->similarity >= 0.75 && title->similarity < 1.0 && !words.empty() &&
        joined.find_first_of("0123456789") == std::string::npos) {
      diagnostics.push_back({core::Severity::Info, "title_corrected", page.number,
                             "OCR read '" + joined + "', corrected to '" + title->label + "' from the standard titles"});
      ocr::WordReading one = words.front();
      for (const ocr::WordReading& w : words)
        one = {one.text, std::min(one.confidence, w.confidence), std::min(one.x0, w.x0), std::min(one.y0, w.y0),
               std::max(one.x1, w.x1), std::max(one.y1, w.y1), false};
      one.text = title->label;
      words = {one};
    }
    for (const ocr::WordReading& w : words) {
      core::Word word;
      word.text = w.text;
      word.box = to_points(grey, {w.x0, w.y0, w.x1, w.y1});
      word.confidence = w.confidence;
      word.source = core::TextSource::Ocr;
      word.space_after = w.space_after;
      page.words.push_back(std::move(word));
    }
  }
  lap("lines");
  if (timing) {
    std::string line = "page " + std::to_string(page.number) + ":";
    for (const auto& [step, seconds] : laps) line += " " + step + " " + std::to_string(seconds).substr(0, 5) + " s,";
    std::fprintf(stderr, "%s %d number calls, %d label calls, %d amounts from glyphs, %d label lines from characters\n", line.c_str(),
                 counts.numbers, counts.labels, counts.from_digits, counts.from_characters);
  }
  if (page.words.empty())
    diagnostics.push_back({core::Severity::Warning, "ocr_empty", page.number, "OCR found no text on the page"});
}

}  // namespace tally::app
