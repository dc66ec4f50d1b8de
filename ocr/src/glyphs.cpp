// Amounts read from the document's own digits: every glyph of a number matched against pictures of
// digits Tesseract has already read confidently in the same document.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <type_traits>

#include "pictures.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {

namespace {

constexpr int kSide = 24;  // a glyph's picture: kSide × kSide, its height scaled to kSide
constexpr std::size_t kPerDigit =
    12;  // pictures kept per digit (whole glyphs and pieces, regular and bold)
constexpr std::size_t kPerMark = 16;   // shapes kept per mark (point, comma)
constexpr std::size_t kAdvances = 64;  // digit widths kept
constexpr double kSameGlyph = 0.08;    // a new picture this close to a kept one adds nothing
// A crop of more parts than this is a label or a smear, not an amount ("1,234,567.89" has 12).
constexpr std::size_t kMostParts = 24;
// A part shorter than a digit by this share is a mark (point, comma); taller, it is a digit or
// junk.
constexpr double kMarkHeightShare = 0.6;
// A part at least this many digit advances wide holds touching digits, to be cut.
constexpr double kTouchingAdvances = 1.5;
// A reading's confidence: a clean Tesseract reading's when the glyphs match exactly (0.99), falling
// by this much per unit of the worst glyph's unlikeness.
constexpr double kExactMatchConfidence = 0.99;
constexpr double kConfidencePerUnlikeness = 0.4;
// A runner-up digit is at most this sure (when it is as close as the best), never a coin flip.
constexpr double kRunnerUpConfidence = 0.5;
// Alternatives kept per reading, the surest first: the reconciler prices a handful, not more.
constexpr std::size_t kMostAlternatives = 4;

// One connected part of a crop's ink, or a piece of one.
struct Part {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // crop pixels, exclusive ends
  int id = 0;                          // its label in the components image
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
};

struct Ink {
  cv::Mat labels;           // CV_32S, one label per connected part
  std::vector<Part> parts;  // left to right
};

// The connected parts of the ink in `box` of `binary` (0 ink), 8-connected, left to right.
Ink ink_of(const core::Raster& binary, const PixelBox& box) {
  Ink ink;
  const cv::Mat page = imaging::view(binary);
  cv::Mat crop;
  cv::threshold(page(cv::Rect(box.x0, box.y0, box.width(), box.height())), crop, 128, 255,
                cv::THRESH_BINARY_INV);
  cv::Mat stats, centroids;
  const int n = cv::connectedComponentsWithStats(crop, ink.labels, stats, centroids, 8, CV_32S);
  for (int i = 1; i < n; ++i) {
    const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
    ink.parts.push_back({x, y, x + stats.at<int>(i, cv::CC_STAT_WIDTH),
                         y + stats.at<int>(i, cv::CC_STAT_HEIGHT), i});
  }
  std::sort(ink.parts.begin(), ink.parts.end(),
            [](const Part& a, const Part& b) { return a.x0 < b.x0; });
  return ink;
}

// A part's picture: its own pixels, scaled to kSide rows keeping the aspect, centred on a
// kSide × kSide square of coverage in [0, 1]. Empty when the part is wider than it is tall.
cv::Mat picture_of(const Ink& ink, const Part& part) {
  const int width =
      static_cast<int>(std::lround(part.width() * static_cast<double>(kSide) / part.height()));
  if (width > kSide) return {};
  cv::Mat mask;
  cv::compare(ink.labels(cv::Rect(part.x0, part.y0, part.width(), part.height())), part.id, mask,
              cv::CMP_EQ);
  mask.convertTo(mask, CV_32F, 1.0 / 255.0);
  return detail::square_picture(mask, width, kSide);
}

using detail::unlikeness;
using detail::unlikeness_at;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// Where a small part sits against the digits of its number: its height, width, and top and bottom
// below the digits' baseline, all over the digits' height.
std::array<double, 4> shape_of(const Part& part, double digit_height, double baseline) {
  return {part.height() / digit_height, part.width() / digit_height,
          (part.y0 - baseline) / digit_height, (part.y1 - baseline) / digit_height};
}

double distance(const std::array<double, 4>& a, const std::array<double, 4>& b) {
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}

// The digits' height and baseline in a number's parts: the medians over the parts at least half as
// tall as the tallest.
std::pair<double, double> digit_line(const std::vector<Part>& parts) {
  int tallest = 0;
  for (const Part& p : parts) tallest = std::max(tallest, p.height());
  std::vector<int> heights, bottoms;
  for (const Part& p : parts)
    if (2 * p.height() >= tallest) {
      heights.push_back(p.height());
      bottoms.push_back(p.y1);
    }
  std::sort(heights.begin(), heights.end());
  std::sort(bottoms.begin(), bottoms.end());
  return {heights[heights.size() / 2], bottoms[bottoms.size() / 2]};
}

// A part as tall as the digits and standing on their baseline.
bool is_tall(const Part& part, double digit_height, double baseline) {
  return part.height() >= 0.8 * digit_height &&
         std::abs(part.y1 - baseline) <= std::max(2.0, 0.1 * digit_height);
}

// A part of touching digits cut into `count` pieces, each at the emptiest column within a quarter
// digit of an equal share, each piece's rows trimmed to its ink. Empty when a piece comes out
// empty.
std::vector<Part> pieces_of(const Ink& ink, const Part& part, int count) {
  std::vector<int> column(static_cast<std::size_t>(part.width()), 0);
  for (int y = part.y0; y < part.y1; ++y) {
    const int* row = ink.labels.ptr<int>(y);
    for (int x = part.x0; x < part.x1; ++x)
      column[static_cast<std::size_t>(x - part.x0)] += row[x] == part.id;
  }
  std::vector<int> cuts{0};
  const int reach = std::max(1, part.width() / (4 * count));
  for (int j = 1; j < count; ++j) {
    const int expected = j * part.width() / count;
    int best = expected;
    for (int x = std::max(cuts.back() + 2, expected - reach);
         x <= std::min(part.width() - 2, expected + reach); ++x)
      if (column[static_cast<std::size_t>(x)] < column[static_cast<std::size_t>(best)] ||
          (column[static_cast<std::size_t>(x)] == column[static_cast<std::size_t>(best)] &&
           std::abs(x - expected) < std::abs(best - expected)))
        best = x;
    if (best <= cuts.back() + 1) return {};
    cuts.push_back(best);
  }
  cuts.push_back(part.width());
  std::vector<Part> pieces;
  for (std::size_t j = 0; j + 1 < cuts.size(); ++j) {
    Part piece{part.x0 + cuts[j], part.y1, part.x0 + cuts[j + 1], part.y0, part.id};
    for (int y = part.y0; y < part.y1; ++y) {
      const int* row = ink.labels.ptr<int>(y);
      if (std::any_of(row + piece.x0, row + piece.x1,
                      [&](int label) { return label == part.id; })) {
        piece.y0 = std::min(piece.y0, y);
        piece.y1 = std::max(piece.y1, y + 1);
      }
    }
    if (piece.y1 <= piece.y0) return {};
    pieces.push_back(piece);
  }
  return pieces;
}

// A number's characters split into runs of digits and single marks: "1,234.56" → 1 , 234 . 56.
std::vector<std::string> runs_of(const std::string& text) {
  std::vector<std::string> runs;
  for (const char c : text) {
    if (is_digit(c) && !runs.empty() && is_digit(runs.back().back()))
      runs.back() += c;
    else
      runs.emplace_back(1, c);
  }
  return runs;
}

}  // namespace

struct DigitGlyphs::Glyph {
  cv::Mat picture;
  int height = 0, width = 0;  // pixels, as scanned
};

struct DigitGlyphs::Choice {
  char digit = 0, second = 0;  // the closest digit and the runner-up (0: none)
  double d1 = 1, d2 = 1;       // their unlikeness
  bool clear() const { return digit != 0 && d1 <= kSameDigit && d2 >= d1 + kDigitMargin; }
};

DigitGlyphs::DigitGlyphs() = default;
DigitGlyphs::~DigitGlyphs() = default;

DigitGlyphs::Choice DigitGlyphs::closest_digit(const Glyph& probe) const {
  // Every picture unshifted first; the shifts only for the digits that come near.
  std::array<double, 10> best;
  best.fill(1);
  std::array<const Glyph*, 10> nearest{};
  for (std::size_t d = 0; d < digits_.size(); ++d)
    for (const Glyph& g : digits_[d])
      if (std::abs(g.height - probe.height) <= std::max(2.0, 0.12 * g.height)) {
        const double u = unlikeness_at(g.picture, probe.picture, 0, 0);
        if (u < best[d]) {
          best[d] = u;
          nearest[d] = &g;
        }
      }
  // Until every digit has a picture of this height, an unlearned digit could pass for a learned
  // one it resembles (an 8 for a 3): no reading then.
  if (std::find(nearest.begin(), nearest.end(), nullptr) != nearest.end()) return {};
  const double lowest = *std::min_element(best.begin(), best.end());
  for (std::size_t d = 0; d < digits_.size(); ++d)
    if (nearest[d] && best[d] < lowest + 0.15)
      best[d] = unlikeness(nearest[d]->picture, probe.picture);
  Choice choice;
  for (std::size_t d = 0; d < digits_.size(); ++d) {
    if (!nearest[d]) continue;
    const char c = static_cast<char>('0' + d);
    if (best[d] < choice.d1) {
      choice.d2 = choice.d1;
      choice.second = choice.digit;
      choice.d1 = best[d];
      choice.digit = c;
    } else if (best[d] < choice.d2) {
      choice.d2 = best[d];
      choice.second = c;
    }
  }
  return choice;
}

void DigitGlyphs::learn(const core::Raster& binary, const PixelBox& box, const Reading& reading) {
  if (reading.confidence < kLearnFrom || reading.text.empty()) return;
  if (!std::all_of(reading.text.begin(), reading.text.end(),
                   [](char c) { return is_digit(c) || c == '.' || c == ','; }))
    return;
  const Ink ink = ink_of(binary, box);
  if (ink.parts.empty()) return;
  const auto [digit_height, baseline] = digit_line(ink.parts);
  // The parts must pair with the reading's runs: a mark with one small part, a run of digits with
  // one part per digit or with one part of touching digits, cut as `read` cuts it. Anything else
  // (a broken glyph, a speck) teaches nothing.
  std::vector<std::pair<char, Glyph>> digits;
  std::vector<std::pair<char, std::array<double, 4>>> marks;
  std::vector<double> advances;
  std::size_t next = 0;
  for (const std::string& run : runs_of(reading.text)) {
    if (next >= ink.parts.size()) return;
    if (!is_digit(run[0])) {
      const Part& part = ink.parts[next++];
      if (is_tall(part, digit_height, baseline) || part.height() >= kMarkHeightShare * digit_height)
        return;
      marks.emplace_back(run[0], shape_of(part, digit_height, baseline));
      continue;
    }
    std::size_t end = next;
    while (end < ink.parts.size() && is_tall(ink.parts[end], digit_height, baseline)) ++end;
    const std::size_t tall = end - next;
    std::vector<Part> glyphs;
    if (tall == run.size())
      glyphs.assign(ink.parts.begin() + static_cast<std::ptrdiff_t>(next),
                    ink.parts.begin() + static_cast<std::ptrdiff_t>(end));
    else if (tall == 1)
      glyphs = pieces_of(ink, ink.parts[next], static_cast<int>(run.size()));
    if (glyphs.size() != run.size()) return;
    for (std::size_t i = 1; i < glyphs.size(); ++i)
      if (glyphs[i].x0 < glyphs[i - 1].x1 - 1) return;  // side by side, never stacked
    advances.push_back((glyphs.back().x1 - glyphs.front().x0) /
                       (digit_height * static_cast<double>(run.size())));
    for (std::size_t i = 0; i < glyphs.size(); ++i) {
      if (!is_tall(glyphs[i], digit_height, baseline)) return;
      cv::Mat picture = picture_of(ink, glyphs[i]);
      if (picture.empty()) return;
      digits.emplace_back(run[i], Glyph{std::move(picture), glyphs[i].height(), glyphs[i].width()});
    }
    next = end;
  }
  if (next != ink.parts.size()) return;
  std::lock_guard lock(mutex_);
  keep(digits, marks, advances);
}

void DigitGlyphs::keep(std::vector<std::pair<char, Glyph>>& digits,
                       const std::vector<std::pair<char, std::array<double, 4>>>& marks,
                       const std::vector<double>& advances) {
  for (auto& digit : digits) {
    const char c = digit.first;
    Glyph& glyph =
        digit.second;  // a named reference, not a structured binding: Clang 14 cannot capture those
    std::vector<Glyph>& kept = digits_[static_cast<std::size_t>(c - '0')];
    if (kept.size() >= kPerDigit) continue;
    const bool known = std::any_of(kept.begin(), kept.end(), [&](const Glyph& k) {
      return std::abs(k.height - glyph.height) <= 1 &&
             unlikeness(k.picture, glyph.picture) <= kSameGlyph;
    });
    if (!known) kept.push_back(std::move(glyph));
  }
  for (const auto& [c, shape] : marks) {
    std::vector<std::array<double, 4>>& kept = c == '.' ? points_ : commas_;
    if (kept.size() < kPerMark) kept.push_back(shape);
  }
  for (const double a : advances)
    if (advances_.size() < kAdvances) advances_.push_back(a);
}

namespace {

// The mark a small part of `shape` is, by where it sits against the learned points and commas:
// '.', ',' or nothing when neither is clearly nearer (a minus, a speck: Tesseract's).
std::optional<char> mark_of(const std::array<double, 4>& shape,
                            const std::vector<std::array<double, 4>>& points,
                            const std::vector<std::array<double, 4>>& commas) {
  double to_point = 1e9, to_comma = 1e9;
  for (const auto& s : points) to_point = std::min(to_point, distance(shape, s));
  for (const auto& s : commas) to_comma = std::min(to_comma, distance(shape, s));
  const double nearest = std::min(to_point, to_comma);
  if (nearest > DigitGlyphs::kMarkTolerance ||
      std::max(to_point, to_comma) < nearest + DigitGlyphs::kMarkTolerance)
    return std::nullopt;
  return to_point < to_comma ? '.' : ',';
}

// Touching digits: `part` cut into as many as its width holds at `advance` a digit (either count
// near it), each piece read by `digit_of` (a clear choice or nothing); taken only when exactly one
// count gives clear digits.
template <class DigitOf>
auto touching_digits(const Ink& ink, const Part& part, double advance, const DigitOf& digit_of)
    -> std::optional<std::vector<typename std::invoke_result_t<DigitOf, const Part&>::value_type>> {
  using Found = std::vector<typename std::invoke_result_t<DigitOf, const Part&>::value_type>;
  if (advance <= 0 || part.width() < kTouchingAdvances * advance) return std::nullopt;
  const double estimate = part.width() / advance;
  Found found;
  int counts_clear = 0;
  std::vector<int> counts{static_cast<int>(std::floor(estimate))};
  if (std::ceil(estimate) > estimate) counts.push_back(counts.front() + 1);
  for (const int count : counts) {
    if (count < 2 || count > 12) continue;
    Found these;
    for (const Part& piece : pieces_of(ink, part, count)) {
      auto choice = digit_of(piece);
      if (!choice) break;
      these.push_back(*choice);
    }
    if (static_cast<int>(these.size()) != count) continue;
    ++counts_clear;
    found = std::move(these);
  }
  if (counts_clear != 1) return std::nullopt;
  return found;
}

}  // namespace

std::optional<Reading> DigitGlyphs::read(const core::Raster& binary, const PixelBox& box) const {
  const Ink ink = ink_of(binary, box);
  if (ink.parts.empty() || ink.parts.size() > kMostParts) return std::nullopt;
  const auto [digit_height, baseline] = digit_line(ink.parts);
  std::vector<Choice> choices;  // one per character; marks have digit '.' or ','
  std::lock_guard lock(mutex_);
  std::vector<double> sorted = advances_;
  std::sort(sorted.begin(), sorted.end());
  const double advance = sorted.empty() ? 0 : sorted[sorted.size() / 2] * digit_height;
  // The digit a tall part clearly is, or nothing. The structured bindings are captured by copy
  // by name: Clang 14 (the fuzz build's compiler) cannot capture them implicitly.
  const auto digit_of = [&, digit_height = digit_height,
                         baseline = baseline](const Part& part) -> std::optional<Choice> {
    if (!is_tall(part, digit_height, baseline)) return std::nullopt;
    cv::Mat picture = picture_of(ink, part);
    if (picture.empty()) return std::nullopt;
    const Choice choice = closest_digit({std::move(picture), part.height(), part.width()});
    if (!choice.clear()) return std::nullopt;
    return choice;
  };
  for (std::size_t i = 0; i < ink.parts.size(); ++i) {
    const Part& part = ink.parts[i];
    if (i > 0 && part.x0 < ink.parts[i - 1].x1 - 1)
      return std::nullopt;  // stacked parts: a speck, a broken glyph
    if (!is_tall(part, digit_height, baseline)) {
      // A point or a comma, by where it sits; anything else (a minus, a speck) is Tesseract's.
      if (part.height() >= kMarkHeightShare * digit_height) return std::nullopt;
      const std::optional<char> mark =
          mark_of(shape_of(part, digit_height, baseline), points_, commas_);
      if (!mark) return std::nullopt;
      Choice choice;
      choice.digit = *mark;
      choices.push_back(choice);
      continue;
    }
    if (const std::optional<Choice> choice = digit_of(part)) {
      choices.push_back(*choice);
      continue;
    }
    const auto found = touching_digits(ink, part, advance, digit_of);
    if (!found) return std::nullopt;
    choices.insert(choices.end(), found->begin(), found->end());
  }
  return reading_of(choices);
}

// The reading of the characters chosen, with the runner-up digit of each glyph as alternatives;
// nullopt unless it is a number.
std::optional<Reading> DigitGlyphs::reading_of(const std::vector<Choice>& choices) {
  Reading reading;
  double worst = 0;
  for (const Choice& c : choices) {
    reading.text += c.digit;
    if (is_digit(c.digit)) worst = std::max(worst, c.d1);
  }
  if (!looks_numeric(reading.text) ||
      std::none_of(reading.text.begin(), reading.text.end(), is_digit))
    return std::nullopt;
  // As sure as a clean Tesseract reading when the glyphs match closely, less as they match less.
  reading.confidence =
      std::clamp(kExactMatchConfidence - kConfidencePerUnlikeness * worst, 0.0, 1.0);
  // The runner-up digit of each glyph, the closest calls first.
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (!is_digit(choices[i].digit) || choices[i].second == 0 || choices[i].d2 >= 1) continue;
    std::string alt = reading.text;
    alt[i] = choices[i].second;
    reading.alternatives.push_back(
        {alt, std::clamp(kRunnerUpConfidence * choices[i].d1 / choices[i].d2, 0.0,
                         kRunnerUpConfidence)});
  }
  std::stable_sort(reading.alternatives.begin(), reading.alternatives.end(),
                   [](const core::Alternative& a, const core::Alternative& b) {
                     return a.confidence > b.confidence;
                   });
  if (reading.alternatives.size() > kMostAlternatives)
    reading.alternatives.resize(kMostAlternatives);
  return reading;
}

std::size_t DigitGlyphs::size() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& kept : digits_) n += kept.size();
  return n;
}

DigitGlyphs::Extent DigitGlyphs::extent() const {
  std::lock_guard lock(mutex_);
  Extent e;
  for (std::size_t d = 0; d < digits_.size(); ++d) e.digits[d] = digits_[d].size();
  e.points = points_.size();
  e.commas = commas_.size();
  e.advances = advances_.size();
  return e;
}

void DigitGlyphs::copy_from(const DigitGlyphs& from) {
  if (&from == this) return;
  std::scoped_lock lock(mutex_, from.mutex_);
  digits_ = from.digits_;
  points_ = from.points_;
  commas_ = from.commas_;
  advances_ = from.advances_;
}

void DigitGlyphs::add_learned(const DigitGlyphs& page, const Extent& since) {
  if (&page == this) return;
  std::scoped_lock lock(mutex_, page.mutex_);
  const auto after = [](const auto& all, std::size_t first) {
    return std::vector(all.begin() + static_cast<std::ptrdiff_t>(std::min(first, all.size())),
                       all.end());
  };
  std::vector<std::pair<char, Glyph>> digits;
  for (std::size_t d = 0; d < page.digits_.size(); ++d)
    for (Glyph& glyph : after(page.digits_[d], since.digits[d]))
      digits.emplace_back(static_cast<char>('0' + d), std::move(glyph));
  std::vector<std::pair<char, std::array<double, 4>>> marks;
  for (const auto& shape : after(page.points_, since.points)) marks.emplace_back('.', shape);
  for (const auto& shape : after(page.commas_, since.commas)) marks.emplace_back(',', shape);
  keep(digits, marks, after(page.advances_, since.advances));
}

}  // namespace tally::ocr
