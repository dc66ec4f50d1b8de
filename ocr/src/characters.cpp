// Labels read from the document's own Chinese characters: a line of full-width characters cut at
// their pitch, each piece matched against pictures of characters chi_sim has already read
// confidently in the same document.
#include <algorithm>
#include <cmath>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "pictures.h"
#include "tally/core/text.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {

namespace {

constexpr int kSide =
    32;  // a character's picture: kSide × kSide, the line's height scaled to kSide
constexpr std::size_t kPerCharacter = 4;  // pictures kept per character (regular and bold, sizes)
constexpr std::size_t kPictures =
    4000;  // pictures kept at most (4 KB each): a document's memory stays within 20 MB
constexpr std::size_t kCandidates =
    16;                        // pictures compared in full with a piece, the closest by thumbnail
constexpr int kCodeGaps = 10;  // gaps tried for the end of a code before a name
constexpr double kSamePicture = 0.10;
// The most ink two pictures of one character may differ by in one 8 × 8 block (of 64): on
// gen-0001.scan200 pp. 5–8, 自 matched 目 at 0.18 with a blot of 26.9 (the tick on top); matches
// of the same character stayed below 19.3 but for two (22.4, 25.8).
constexpr double kBlot = 20;  // a new picture this close to a kept one adds nothing

bool full_width(char32_t c) {
  return core::is_cjk(c);
}

}  // namespace

// A line's ink in `box` of `binary` (0 ink): its tight box and the ink per column.
struct CharacterGlyphs::LineInk {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // page pixels, exclusive ends; empty when x1 <= x0
  std::vector<int> columns;            // ink pixels per column from x0
  int height() const { return y1 - y0; }
  int width() const { return x1 - x0; }
};

namespace {

using LineInk = CharacterGlyphs::LineInk;

LineInk line_ink(const core::Raster& binary, const PixelBox& requested) {
  LineInk ink;
  const PixelBox box{std::max(0, requested.x0), std::max(0, requested.y0),
                     std::min(binary.width, requested.x1), std::min(binary.height, requested.y1)};
  if (box.width() <= 0 || box.height() <= 0) return ink;
  const detail::InkProfile profile = detail::ink_profile(binary, box);
  const auto [c0, c1] = detail::span_of(profile.cols, 1);
  const auto [r0, r1] = detail::span_of(profile.rows, 1);
  if (c1 <= c0) return ink;
  ink = {box.x0 + c0, box.y0 + r0, box.x0 + c1, box.y0 + r1, {}};
  ink.columns.assign(profile.cols.begin() + c0, profile.cols.begin() + c1);
  return ink;
}

// The line cut into `count` pieces of about equal width, each cut at the emptiest column within a
// quarter of a piece of an equal share (the nearest of the emptiest); empty when a cut crosses more
// than a twelfth of the line's height of ink: no gap between characters there, so the line is not
// `count` full-width characters. (Characters a scan has made touch by a pixel or two still cut.)
std::vector<std::pair<int, int>> cut(const LineInk& ink, int count) {
  std::vector<std::pair<int, int>> pieces;
  const double share = static_cast<double>(ink.width()) / count;
  const int reach = std::max(1, static_cast<int>(share / 4));
  const int most_ink = std::max(2, ink.height() / 12);
  const auto column = [&](int x) { return ink.columns[static_cast<std::size_t>(x)]; };
  int from = 0;
  for (int j = 1; j <= count; ++j) {
    int to = ink.width();
    if (j < count) {
      const int expected = static_cast<int>(std::lround(j * share));
      int best = -1;
      for (int d = 0; d <= reach; ++d)
        for (const int x : {expected - d, expected + d})
          if (x > from && x < ink.width() && (best < 0 || column(x) < column(best))) best = x;
      if (best < 0 || column(best) > most_ink) return {};
      to = best;
    }
    // The piece's own columns of ink: the gap on either side trimmed, with a pixel's bridge in it.
    int a = from, b = to;
    while (a < b && column(a) <= 1) ++a;
    while (b > a && column(b - 1) <= 1) --b;
    if (b <= a) return {};
    pieces.emplace_back(ink.x0 + a, ink.x0 + b);
    from = to;
  }
  return pieces;
}

// A piece's picture: the line's rows (so that a character keeps its place in the line) and the
// piece's columns, scaled to kSide rows keeping the aspect, centred on a kSide × kSide square of
// coverage in [0, 1]. Empty when the piece is much wider than the line is tall.
cv::Mat picture_of(const core::Raster& binary, const LineInk& ink, std::pair<int, int> piece) {
  const int w = piece.second - piece.first;
  const int width = static_cast<int>(std::lround(w * static_cast<double>(kSide) / ink.height()));
  if (width > kSide + 2) return {};
  cv::Mat mask;
  cv::threshold(imaging::view(binary)(cv::Rect(piece.first, ink.y0, w, ink.height())), mask, 128,
                1.0, cv::THRESH_BINARY_INV);
  mask.convertTo(mask, CV_32F);
  return detail::square_picture(mask, width, kSide);
}

// (The worst quarter of the square instead of the whole picture's unlikeness, which should part
// characters that differ in one stroke, measured worse on eight scans: a scan's noise moves a
// quarter's ink more than it moves the whole, and more lines went to chi_sim for the same
// disagreements. largest_blot below catches the stroke instead.)
using detail::unlikeness;
using detail::unlikeness_at;

// The most two pictures differ within one block of kBlock × kBlock (coverage summed), at the
// shift within a pixel where they are most alike.
constexpr int kBlock = 8;
double largest_blot(const cv::Mat& a, const cv::Mat& b) {
  int best_dx = 0, best_dy = 0;
  double best = 2;
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx)
      if (const double u = unlikeness_at(a, b, dx, dy); u < best) {
        best = u;
        best_dx = dx;
        best_dy = dy;
      }
  double largest = 0;
  for (int by = 0; by < kSide; by += kBlock / 2)  // blocks overlapping by half
    for (int bx = 0; bx < kSide; bx += kBlock / 2) {
      double differ = 0;
      for (int y = std::max({by, best_dy, 0}); y < std::min({by + kBlock, kSide + best_dy, kSide});
           ++y) {
        const float* pa = a.ptr<float>(y);
        const float* pb = b.ptr<float>(y - best_dy);
        for (int x = std::max({bx, best_dx, 0});
             x < std::min({bx + kBlock, kSide + best_dx, kSide}); ++x)
          differ += std::abs(pa[x] - pb[x - best_dx]);
      }
      largest = std::max(largest, differ);
    }
  return largest;
}

// A picture at kThumb × kThumb, to find the few pictures worth comparing in full.
constexpr int kThumb = 8;
cv::Mat thumbnail_of(const cv::Mat& picture) {
  cv::Mat thumb;
  cv::resize(picture, thumb, cv::Size(kThumb, kThumb), 0, 0, cv::INTER_AREA);
  return thumb;
}

bool similar_height(int a, int b) {
  return std::abs(a - b) <= std::max(2.0, 0.1 * std::max(a, b));
}

// The first kCodeGaps gaps between glyphs on the line, left to right: the columns where each
// begins and ends (exclusive), from ink.x0.
std::vector<std::pair<int, int>> gaps_of(const LineInk& ink) {
  std::vector<std::pair<int, int>> gaps;
  for (int x = 1; x < ink.width() && static_cast<int>(gaps.size()) < kCodeGaps; ++x) {
    if (ink.columns[static_cast<std::size_t>(x)] != 0 ||
        ink.columns[static_cast<std::size_t>(x - 1)] == 0)
      continue;
    int end = x;
    while (end < ink.width() && ink.columns[static_cast<std::size_t>(end)] == 0) ++end;
    gaps.emplace_back(x, end);
  }
  return gaps;
}

}  // namespace

struct CharacterGlyphs::Picture {
  char32_t character = 0;
  cv::Mat picture;
  cv::Mat thumb;        // the picture at kThumb × kThumb
  int line_height = 0;  // pixels, as scanned
  double pitch = 0;     // the line's width per character, pixels
};

CharacterGlyphs::CharacterGlyphs() = default;
CharacterGlyphs::~CharacterGlyphs() = default;

void CharacterGlyphs::learn(const core::Raster& binary, const PixelBox& box,
                            const Reading& reading) {
  if (reading.confidence < kLearnFrom) return;
  const std::u32string all = core::utf8_to_u32(reading.text);
  // A code before the name teaches the name: "201一般公共服务支出".
  const std::size_t code = static_cast<std::size_t>(
      std::find_if(all.begin(), all.end(), [](char32_t c) { return c < U'0' || c > U'9'; }) -
      all.begin());
  const std::u32string text = all.substr(code);
  if (text.empty() || !std::all_of(text.begin(), text.end(), full_width)) return;
  LineInk ink = line_ink(binary, box);
  if (ink.width() <= 0 || ink.height() < 8) return;
  const int count = static_cast<int>(text.size());
  if (code > 0) {
    // The name begins after the gap that leaves it the learned pitch per character (within 8 %).
    double learned_pitch = 0;
    {
      std::lock_guard lock(mutex_);
      learned_pitch = pitch_at(ink.height());
    }
    if (learned_pitch <= 0) return;
    LineInk best;
    double off = 0.08;
    for (const auto& [gap, end] : gaps_of(ink)) {
      LineInk name = line_ink(binary, {ink.x0 + end, box.y0, box.x1, box.y1});
      if (name.width() <= 0) continue;
      const double o = std::abs(static_cast<double>(name.width()) / count / learned_pitch - 1);
      if (o < off) {
        off = o;
        best = std::move(name);
      }
    }
    if (best.width() <= 0 || !similar_height(best.height(), ink.height())) return;
    ink = std::move(best);
  }
  // The line must be as wide as its characters are, one full width each.
  const double pitch = static_cast<double>(ink.width()) / count;
  if (pitch < 0.75 * ink.height() || pitch > 1.35 * ink.height()) return;
  const std::vector<std::pair<int, int>> pieces = cut(ink, count);
  if (static_cast<int>(pieces.size()) != count) return;
  std::vector<Picture> learned;
  for (int i = 0; i < count; ++i) {
    cv::Mat picture = picture_of(binary, ink, pieces[static_cast<std::size_t>(i)]);
    if (picture.empty()) return;
    cv::Mat thumb = thumbnail_of(picture);
    learned.push_back({text[static_cast<std::size_t>(i)], std::move(picture), std::move(thumb),
                       ink.height(), pitch});
  }
  std::lock_guard lock(mutex_);
  keep(learned);
}

void CharacterGlyphs::keep(std::vector<Picture>& learned) {
  for (Picture& p : learned) {
    std::size_t same = 0;
    bool known = false;
    for (const Picture& k : pictures_) {
      if (k.character != p.character) continue;
      ++same;
      known |= similar_height(k.line_height, p.line_height) &&
               unlikeness(k.picture, p.picture) <= kSamePicture;
    }
    if (!known && same < kPerCharacter && pictures_.size() < kPictures)
      pictures_.push_back(std::move(p));
  }
}

std::optional<Reading> CharacterGlyphs::read(const core::Raster& binary, const PixelBox& box,
                                             const DigitGlyphs* code_digits) const {
  const std::optional<Pieces> pieces = read_pieces(binary, box, code_digits);
  if (!pieces || !pieces->all_known()) return std::nullopt;
  return pieces->reading();
}

std::optional<CharacterGlyphs::Pieces> CharacterGlyphs::read_pieces(
    const core::Raster& binary, const PixelBox& box, const DigitGlyphs* code_digits) const {
  const LineInk ink = line_ink(binary, box);
  if (ink.width() <= 0 || ink.height() < 8) return std::nullopt;
  std::lock_guard lock(mutex_);
  std::optional<Pieces> whole = pieces_of(binary, ink);
  if (whole) whole->x0 = box.x0;
  if (!code_digits || (whole && whole->all_known())) return whole;
  const auto unknown = [](const Pieces& p) {
    return std::count(p.characters.begin(), p.characters.end(), U'\0');
  };
  // A code before the name ("201一般公共服务支出"): split at a gap between glyphs, the digits to
  // the left read by the digit glyphs, the characters to the right cut by these. Of the gaps where
  // both go, the one that leaves the fewest characters unknown ("20|8社会…" cuts too, the 8 a
  // piece); a two-digit code is as wide as a character, so the whole line may cut too.
  std::optional<Pieces> best = whole;
  for (const auto& [gap, end] : gaps_of(ink)) {
    const LineInk name = line_ink(binary, {ink.x0 + end, box.y0, box.x1, box.y1});
    if (name.width() <= 0 || !similar_height(name.height(), ink.height())) continue;
    const std::optional<Reading> code =
        code_digits->read(binary, {box.x0, box.y0, ink.x0 + gap, box.y1});
    if (!code || code->text.size() < 2 ||
        !std::all_of(code->text.begin(), code->text.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
      continue;
    std::optional<Pieces> pieces = pieces_of(binary, name);
    if (!pieces) continue;
    pieces->code = code->text;
    pieces->code_confidence = code->confidence;
    pieces->x0 = ink.x0 + (gap + end) / 2;
    if (const auto u = unknown(*pieces); !best || u < unknown(*best)) {
      best = std::move(pieces);
      if (u == 0) break;
    }
  }
  return best;
}

bool CharacterGlyphs::Pieces::all_known() const {
  return std::none_of(characters.begin(), characters.end(), [](char32_t c) { return c == 0; });
}

Reading CharacterGlyphs::Pieces::reading() const {
  // As sure as a clean chi_sim reading when the pictures match closely, less as they match less.
  const double confidence = std::clamp(0.99 - 0.4 * worst, 0.0, 1.0);
  return {code + core::u32_to_utf8(characters),
          code.empty() ? confidence : std::min(confidence, code_confidence),
          {}};
}

std::optional<CharacterGlyphs::Pieces> CharacterGlyphs::pieces_of(const core::Raster& binary,
                                                                  const LineInk& ink) const {
  // The pitch learned at this line height: how many characters the line holds.
  const double pitch = pitch_at(ink.height());
  if (pitch <= 0) return std::nullopt;
  const double estimate = ink.width() / pitch;
  const int count = static_cast<int>(std::lround(estimate));
  if (count < 1 || count > 40 || std::abs(estimate - count) > 0.25) return std::nullopt;
  const std::vector<std::pair<int, int>> cuts = cut(ink, count);
  if (static_cast<int>(cuts.size()) != count) return std::nullopt;
  Pieces pieces;
  for (const auto& piece : cuts) {
    pieces.boxes.push_back({piece.first, ink.y0, piece.second, ink.y1});
    pieces.characters.push_back(0);
    const cv::Mat probe = picture_of(binary, ink, piece);
    if (probe.empty()) continue;
    // Every picture's thumbnail first (a document may have learned thousands); the closest few
    // pictures then in full, at every shift.
    const cv::Mat probe_thumb = thumbnail_of(probe);
    std::vector<std::pair<double, const Picture*>> near;
    for (const Picture& p : pictures_)
      if (similar_height(p.line_height, ink.height()))
        near.emplace_back(unlikeness_at(p.thumb, probe_thumb, 0, 0), &p);
    const std::size_t keep = std::min(near.size(), kCandidates);
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(keep), near.end(),
                      [](const auto& a, const auto& b) { return a.first < b.first; });
    // The closest picture of each character; the two closest characters decide.
    std::map<char32_t, std::pair<double, const Picture*>> closest;
    for (std::size_t k = 0; k < keep; ++k) {
      const Picture& p = *near[k].second;
      const double u = unlikeness(p.picture, probe);
      const auto [it, added] = closest.emplace(p.character, std::make_pair(u, &p));
      if (!added && u < it->second.first) it->second = {u, &p};
    }
    char32_t best = 0;
    const Picture* nearest = nullptr;
    double d1 = 1, d2 = 1;
    for (const auto& [c, found] : closest)
      if (found.first < d1) {
        d2 = d1;
        d1 = found.first;
        best = c;
        nearest = found.second;
      } else if (found.first < d2) {
        d2 = found.first;
      }
    if (best == 0 || d1 > kSameCharacter || d2 < d1 + kCharacterMargin) continue;
    // A stroke one has and the other lacks (自 and 目) hides in the whole picture's measure: no
    // block of a quarter of the picture's side may differ by more than kBlot.
    if (largest_blot(nearest->picture, probe) > kBlot) continue;
    pieces.characters.back() = best;
    pieces.worst = std::max(pieces.worst, d1);
  }
  return pieces;
}

double CharacterGlyphs::pitch_at(int line_height) const {
  std::vector<double> pitches;
  for (const Picture& p : pictures_)
    if (similar_height(p.line_height, line_height)) pitches.push_back(p.pitch);
  if (pitches.empty()) return 0;
  std::nth_element(pitches.begin(),
                   pitches.begin() + static_cast<std::ptrdiff_t>(pitches.size() / 2),
                   pitches.end());
  return pitches[pitches.size() / 2];
}

std::size_t CharacterGlyphs::size() const {
  std::lock_guard lock(mutex_);
  return pictures_.size();
}

void CharacterGlyphs::copy_from(const CharacterGlyphs& from) {
  if (&from == this) return;
  std::scoped_lock lock(mutex_, from.mutex_);
  pictures_ = from.pictures_;
}

void CharacterGlyphs::add_learned(const CharacterGlyphs& page, std::size_t since) {
  if (&page == this) return;
  std::scoped_lock lock(mutex_, page.mutex_);
  std::vector<Picture> learned(
      page.pictures_.begin() + static_cast<std::ptrdiff_t>(std::min(since, page.pictures_.size())),
      page.pictures_.end());
  keep(learned);
}

}  // namespace tally::ocr
