#include "text_pieces.h"

#include <algorithm>
#include <cmath>

#include "tally/core/text.h"

namespace tally::layout::detail {

namespace {

// Two pieces on one line are separated by a space when the gap exceeds this share of the font size
// (Latin word spaces are ~0.25 em; CJK runs split by the PDF producer have none).
constexpr double kSpaceGapEm = 0.2;

double piece_height(const Piece& p) {
  return std::max(p.box.height(), 1.0);
}
double em_of(const Piece& p) {
  return p.font_size > 0 ? p.font_size : piece_height(p);
}

bool wants_space_between(char32_t left, char32_t right) {
  return !core::is_cjk(left) && !core::is_cjk(right) && left < 0x3000 && right < 0x3000;
}

// Whether `previous` and `next`, side by side on one line, are separated by a space: where the gap
// is wide, or where it is at least half a narrow space and the text layer saw a space there.
// Poppler also reports a space between pieces of text drawn out of order with no gap at all ("2."
// and "80" at 0.06 em), while "201 一般…" in Noto CJK leaves 0.19 em.
bool space_between(const Piece& previous, const Piece& next) {
  const double em = std::max(em_of(previous), em_of(next));
  const double gap = next.box.x0 - previous.box.x1;
  if (gap > kSpaceGapEm * em) return true;
  return gap > kSpaceGapEm / 2 * em && previous.ends_word && previous.word &&
         previous.word->space_after;
}

// Groups pieces into rows by vertical overlap; rows sorted top to bottom, pieces left to right.
std::vector<std::vector<Piece>> rows_of(std::vector<Piece> pieces) {
  std::sort(pieces.begin(), pieces.end(),
            [](const Piece& a, const Piece& b) { return a.box.center_y() < b.box.center_y(); });
  std::vector<std::vector<Piece>> rows;
  std::vector<core::Box> row_boxes;
  for (Piece& piece : pieces) {
    bool placed = false;
    // Look at the most recent rows only: pieces arrive in centre order.
    for (std::size_t k = rows.size(); k-- > 0 && !placed;) {
      const core::Box& rb = row_boxes[k];
      const double overlap = std::min(rb.y1, piece.box.y1) - std::max(rb.y0, piece.box.y0);
      if (overlap >= 0.5 * std::min(rb.height(), piece_height(piece))) {
        row_boxes[k] = rb.united(piece.box);
        rows[k].push_back(std::move(piece));
        placed = true;
      }
      if (rows.size() - k > 3) break;
    }
    if (!placed) {
      row_boxes.push_back(piece.box);
      rows.push_back({std::move(piece)});
    }
  }
  for (auto& row : rows)
    std::sort(row.begin(), row.end(),
              [](const Piece& a, const Piece& b) { return a.box.x0 < b.box.x0; });
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.front().box.center_y() < b.front().box.center_y();
  });
  return rows;
}

}  // namespace

std::vector<std::vector<Piece>> cut_words(const std::vector<core::Word>& words, int region_count,
                                          const std::function<int(double x, double y)>& region_at) {
  std::vector<std::vector<Piece>> buckets(static_cast<std::size_t>(region_count) + 1);
  const auto bucket = [&](int region) -> std::vector<Piece>& {
    return buckets[region < 0 ? static_cast<std::size_t>(region_count)
                              : static_cast<std::size_t>(region)];
  };
  for (const core::Word& word : words) {
    const std::u32string text = core::utf8_to_u32(word.text);
    if (word.glyphs.size() != text.size()) {
      bucket(region_at(word.box.center_x(), word.box.center_y()))
          .push_back({text, word.box, word.font_size, word.bold, &word, true, true});
      continue;
    }
    std::size_t start = 0;
    while (start < text.size()) {
      const core::Box& g = word.glyphs[start];
      const int region = region_at(g.center_x(), g.center_y());
      std::size_t end = start + 1;
      core::Box box = g;
      while (end < text.size()) {
        const core::Box& next = word.glyphs[end];
        if (region_at(next.center_x(), next.center_y()) != region) break;
        box = box.united(next);
        ++end;
      }
      // Glyph boxes are as tall as the font; keep the word's vertical extent for line grouping.
      box.y0 = std::min(box.y0, word.box.y0);
      box.y1 = std::max(box.y1, word.box.y1);
      bucket(region).push_back({text.substr(start, end - start), box, word.font_size, word.bold,
                                &word, start == 0 && end == text.size(), end == text.size()});
      start = end;
    }
  }
  return buckets;
}

std::string TextLine::text() const {
  std::vector<std::string> parts;
  for (const TextSegment& s : segments) parts.push_back(s.text);
  return core::join(parts, " ");
}

std::vector<TextLine> lines_from_pieces(std::vector<Piece> pieces, double segment_gap_em) {
  std::vector<TextLine> lines;
  for (auto& row : rows_of(std::move(pieces))) {
    TextLine line;
    TextSegment segment;
    std::u32string text;
    const Piece* previous = nullptr;
    const auto flush = [&] {
      segment.text = core::u32_to_utf8(text);
      line.box = line.box.united(segment.box);
      line.segments.push_back(segment);
      segment = {};
      text.clear();
    };
    for (const Piece& piece : row) {
      if (previous) {
        const double gap = piece.box.x0 - previous->box.x1;
        const double em = std::max(em_of(*previous), em_of(piece));
        if (gap > segment_gap_em * em) {
          flush();
        } else if (space_between(*previous, piece)) {
          text.push_back(U' ');
        }
      }
      text += piece.text;
      segment.box = segment.box.united(piece.box);
      segment.font_size = std::max(segment.font_size, piece.font_size);
      segment.bold = segment.bold || piece.bold;
      previous = &piece;
    }
    if (!text.empty()) flush();
    lines.push_back(std::move(line));
  }
  return lines;
}

std::string cell_text(std::vector<Piece> pieces) {
  std::u32string out;
  for (auto& row : rows_of(std::move(pieces))) {
    std::u32string line;
    const Piece* previous = nullptr;
    for (const Piece& piece : row) {
      if (previous && !line.empty() && space_between(*previous, piece)) line.push_back(U' ');
      line += piece.text;
      previous = &piece;
    }
    if (line.empty()) continue;
    if (!out.empty() && wants_space_between(out.back(), line.front())) out.push_back(U' ');
    out += line;
  }
  return core::normalize_space(core::u32_to_utf8(out));
}

}  // namespace tally::layout::detail
