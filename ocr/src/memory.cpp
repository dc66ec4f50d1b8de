// Label readings remembered per document, found again by the look of their ink.
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "pictures.h"
#include "tally/core/text.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"
#include "tally/ocr/page_reader.h"

namespace tally::ocr {

namespace {

// Crops are compared at this height: enough to tell one character from another, low enough that
// a scan's noise and a pixel's shift in where the crop was cut average out.
constexpr int kHeight = 20;

// The crop's ink (paper 0, black 215) at kHeight rows and `width` columns.
cv::Mat ink_at(const core::Raster& grey, const PixelBox& box, int width) {
  const cv::Mat all = imaging::view(grey);
  cv::Mat small;
  cv::resize(all(cv::Rect(box.x0, box.y0, box.width(), box.height())), small,
             cv::Size(width, kHeight), 0, 0, cv::INTER_AREA);
  // Ink is what is darker than the paper by more than its noise: 255 − 40 − v, at least 0.
  cv::Mat ink;
  cv::subtract(cv::Scalar(255 - 40), small, ink);
  // Centred on the ink's centre of mass, to a fraction of a pixel: strokes at this scale are one
  // or two pixels wide, and half a pixel's offset between two crops of one line would part them.
  const cv::Moments m = cv::moments(ink);
  if (m.m00 <= 0) return ink;
  const double dx = ink.cols / 2.0 - m.m10 / m.m00, dy = ink.rows / 2.0 - m.m01 / m.m00;
  const cv::Mat shift =
      (cv::Mat_<double>(2, 3) << 1, 0, dx - std::round(dx), 0, 1, dy - std::round(dy));
  cv::Mat centred;
  cv::warpAffine(ink, centred, shift, ink.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT,
                 cv::Scalar(0));
  return centred;
}

// The tight box of the ink inside `box` (rows and columns with at least two dark pixels), so that
// two crops cut a little differently around the same ink compare from the same corner.
PixelBox tight(const core::Raster& grey, const PixelBox& box) {
  const detail::InkProfile profile = detail::ink_profile(grey, box);
  const auto [c0, c1] = detail::span_of(profile.cols, 2);
  const auto [r0, r1] = detail::span_of(profile.rows, 2);
  const PixelBox t{box.x0 + c0, box.y0 + r0, box.x0 + c1, box.y0 + r1};
  return t.width() >= 2 && t.height() >= 2 ? t : box;
}

int signature_width(const PixelBox& box) {
  return std::max(
      1, static_cast<int>(std::lround(static_cast<double>(box.width()) * kHeight / box.height())));
}

// How unlike two inks of one size are: per block of one character's width (a square of kHeight),
// the ink they do not share over the ink either has; the worst block counts, so that labels
// differing in one character of many stay apart. The second is shifted by up to a pixel each way
// and the best alignment taken.
double unlikeness(const cv::Mat& a, const cv::Mat& b) {
  const int w = a.cols, h = a.rows;
  const int blocks = std::max(1, (w + kHeight / 2) / kHeight);
  double best = 1.0;
  for (int dy = -1; dy <= 1; ++dy)
    for (int dx = -1; dx <= 1; ++dx) {
      std::vector<double> differ(static_cast<std::size_t>(blocks), 0.0),
          either(static_cast<std::size_t>(blocks), 0.0);
      for (int y = 0; y < h; ++y) {
        const int by = y + dy;
        const std::uint8_t* ra = a.ptr<std::uint8_t>(y);
        const std::uint8_t* rb = by >= 0 && by < h ? b.ptr<std::uint8_t>(by) : nullptr;
        for (int x = 0; x < w; ++x) {
          const int bx = x + dx;
          const int va = ra[x], vb = rb && bx >= 0 && bx < w ? rb[bx] : 0;
          const std::size_t k = static_cast<std::size_t>(std::min(blocks - 1, x / kHeight));
          differ[k] += std::abs(va - vb);
          either[k] += std::max(va, vb);
        }
      }
      double worst = 0;
      for (std::size_t k = 0; k < differ.size(); ++k)
        if (either[k] > 0) worst = std::max(worst, differ[k] / either[k]);
      best = std::min(best, worst);
    }
  return best;
}

bool similar_size(const PixelBox& a, const PixelBox& b) {
  return std::abs(a.width() - b.width()) <= std::max(2, a.width() / 30) &&
         std::abs(a.height() - b.height()) <= std::max(2, a.height() / 12);
}

}  // namespace

struct LabelMemory::Entry {
  PixelBox box;  // the ink's tight box where the crop was remembered
  cv::Mat ink;
  Reading reading;
  bool line = false;               // a line outside the tables, read as words
  std::vector<WordReading> words;  // a line's words, boxes relative to box's corner
};

LabelMemory::LabelMemory() = default;
LabelMemory::~LabelMemory() = default;

namespace {

bool inside(const core::Raster& grey, const PixelBox& box) {
  return box.width() >= 2 && box.height() >= 2 && box.x0 >= 0 && box.y0 >= 0 &&
         box.x1 <= grey.width && box.y1 <= grey.height;
}

// Only Chinese without digits: digits differ by too little ink ("05" and "06", "50.00" and "60.00"
// measured 0.19–0.21 apart) for the comparison to tell them.
bool rememberable(const std::string& utf8) {
  const std::u32string text = core::utf8_to_u32(utf8);
  return std::any_of(text.begin(), text.end(), core::is_cjk) &&
         std::none_of(text.begin(), text.end(), [](char32_t c) { return c >= U'0' && c <= U'9'; });
}

}  // namespace

const LabelMemory::Entry* LabelMemory::closest(const core::Raster& grey, const PixelBox& ink_box,
                                               bool line, double& unlikeness_out) const {
  const Entry* best = nullptr;
  cv::Mat ink;  // the crop at the size of the entries compared, made once per size
  for (const Entry& entry : entries_) {
    if (entry.line != line || !similar_size(entry.box, ink_box)) continue;
    if (ink.cols != entry.ink.cols) ink = ink_at(grey, ink_box, entry.ink.cols);
    const double d = unlikeness(entry.ink, ink);
    if (!best || d < unlikeness_out) {
      best = &entry;
      unlikeness_out = d;
    }
  }
  return best;
}

std::optional<LabelMemory::Recalled> LabelMemory::nearest(const core::Raster& grey,
                                                          const PixelBox& box) const {
  if (!inside(grey, box)) return std::nullopt;
  const PixelBox ink_box = tight(grey, box);
  std::lock_guard<std::mutex> lock(mutex_);
  double d = 1;
  const Entry* entry = closest(grey, ink_box, false, d);
  if (!entry) return std::nullopt;
  return Recalled{entry->reading, d};
}

std::optional<Reading> LabelMemory::recall(const core::Raster& grey, const PixelBox& box) const {
  std::optional<Recalled> found = nearest(grey, box);
  if (!found || found->unlikeness > kSameInk) return std::nullopt;
  return std::move(found->reading);
}

void LabelMemory::remember(const core::Raster& grey, const PixelBox& box, const Reading& reading) {
  if (!rememberable(reading.text) || !inside(grey, box)) return;
  const PixelBox ink_box = tight(grey, box);
  Entry entry{ink_box, ink_at(grey, ink_box, signature_width(ink_box)), reading, false, {}};
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kCapacity) return;
  entries_.push_back(std::move(entry));
}

std::optional<std::vector<WordReading>> LabelMemory::recall_words(const core::Raster& grey,
                                                                  const PixelBox& box) const {
  if (!inside(grey, box)) return std::nullopt;
  const PixelBox ink_box = tight(grey, box);
  std::lock_guard<std::mutex> lock(mutex_);
  double d = 1;
  const Entry* entry = closest(grey, ink_box, true, d);
  if (!entry || d > kSameInk) return std::nullopt;
  std::vector<WordReading> words = entry->words;
  for (WordReading& w : words) {
    w.x0 += ink_box.x0;
    w.x1 += ink_box.x0;
    w.y0 += ink_box.y0;
    w.y1 += ink_box.y0;
  }
  return words;
}

void LabelMemory::remember_words(const core::Raster& grey, const PixelBox& box,
                                 const std::vector<WordReading>& words) {
  std::string text;
  for (const WordReading& w : words) text += w.text;
  if (!rememberable(text) || !inside(grey, box)) return;
  const PixelBox ink_box = tight(grey, box);
  Entry entry{ink_box, ink_at(grey, ink_box, signature_width(ink_box)), {text, 0, {}}, true, words};
  for (WordReading& w : entry.words) {
    w.x0 -= ink_box.x0;
    w.x1 -= ink_box.x0;
    w.y0 -= ink_box.y0;
    w.y1 -= ink_box.y0;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (entries_.size() >= kCapacity) return;
  entries_.push_back(std::move(entry));
}

std::size_t LabelMemory::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return entries_.size();
}

void LabelMemory::copy_from(const LabelMemory& from) {
  if (&from == this) return;
  std::scoped_lock lock(mutex_, from.mutex_);
  entries_ = from.entries_;
}

void LabelMemory::add_learned(const LabelMemory& page, std::size_t since) {
  if (&page == this) return;
  std::scoped_lock lock(mutex_, page.mutex_);
  for (std::size_t i = since; i < page.entries_.size() && entries_.size() < kCapacity; ++i)
    entries_.push_back(page.entries_[i]);
}

DocumentMemory::Extent DocumentMemory::extent() const {
  return {labels.size(), digits.extent(), characters.size()};
}

void DocumentMemory::copy_from(const DocumentMemory& document) {
  labels.copy_from(document.labels);
  digits.copy_from(document.digits);
  characters.copy_from(document.characters);
}

void DocumentMemory::add_learned(const DocumentMemory& page, const Extent& since) {
  labels.add_learned(page.labels, since.labels);
  digits.add_learned(page.digits, since.digits);
  characters.add_learned(page.characters, since.characters);
}

}  // namespace tally::ocr
