// A doubtful number read from several views of its crop, the readings voted on.
#include <algorithm>

#include "reader.h"

namespace tally::ocr::detail {

namespace {

// The grey crop scaled by this much is one of the views: Tesseract rescales every line to its own
// x-height, so the same digits at another size come out of a different interpolation, and a stroke
// joined or broken at one size may not be at the other.
constexpr double kScaledView = 1.5;

}  // namespace

std::optional<Reading> vote_on_number(PageContext& page, const PixelBox& ink,
                                      const std::optional<Reading>& first,
                                      const std::function<bool(const Reading&)>& acceptable) {
  const ReaderOptions& o = page.options;
  std::vector<Reading> votes;  // acceptable readings, in the order read
  const auto count = [&](const std::string& text) {
    return static_cast<int>(std::count_if(votes.begin(), votes.end(),
                                          [&](const Reading& r) { return r.text == text; }));
  };
  // Adds a reading; true once two views agree on an acceptable text.
  const auto add = [&](Reading r) {
    if (!acceptable(r)) return false;
    votes.push_back(std::move(r));
    return count(votes.back().text) >= o.number_votes_to_agree;
  };
  bool agreed = first && add(*first);
  for (std::size_t k = 0; !agreed && k < o.rereads.size(); ++k) {
    agreed = add(page.engine.read(page.grey, ink, TextKind::Number, o.rereads[k]));
    ++page.trace.counts.numbers;
  }
  if (!agreed) {
    agreed = add(page.engine.read(page.binary, ink, TextKind::Number));
    ++page.trace.counts.numbers;
  }
  if (!agreed) {
    add(page.engine.read(page.grey, ink, TextKind::Number, {-1, false, kScaledView}));
    ++page.trace.counts.numbers;
  }
  if (votes.empty()) return std::nullopt;
  // The text most views read; among as many, the first read (the earlier views are the ones the
  // reader was tuned with).
  const Reading* best = &votes.front();
  for (const Reading& r : votes)
    if (count(r.text) > count(best->text)) best = &r;
  Reading taken = *best;
  double sum = 0;
  for (const Reading& r : votes)
    if (r.text == best->text) sum += r.confidence;
  taken.confidence = sum / count(best->text);
  for (const Reading& r : votes)
    if (r.text != taken.text &&
        std::none_of(taken.alternatives.begin(), taken.alternatives.end(),
                     [&](const core::Alternative& a) { return a.text == r.text; }))
      taken.alternatives.insert(taken.alternatives.begin(), {r.text, r.confidence / 2});
  return taken;
}

}  // namespace tally::ocr::detail
