// Text placement: words cut into pieces by region (cell or outside), and pieces assembled into
// lines and cell text. Internal to layout/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tally/core/model.h"

namespace tally::layout::detail {

// A run of consecutive glyphs of one word that fall into the same region.
struct Piece {
  std::u32string text;
  core::Box box;
  double font_size = 0;
  bool bold = false;
  const core::Word* word = nullptr;  // the word it was cut from (for confidence and alternatives)
  bool whole_word = false;           // the piece is the entire word
  bool ends_word = false;            // the piece holds the word's last glyph
};

// Cuts every word into pieces by the region (an integer, -1 for none) that holds each glyph's
// centre; words without glyph boxes go whole by their centre. Returns pieces grouped by region id
// (index = region id, the last bucket for region -1).
std::vector<std::vector<Piece>> cut_words(const std::vector<core::Word>& words, int region_count,
                                          const std::function<int(double x, double y)>& region_at);

// A line of text: pieces side by side, split into segments where a wide gap separates them
// ("编制部门：…" on the left, "单位：万元" on the right).
struct TextSegment {
  std::string text;
  core::Box box;
  double font_size = 0;
  bool bold = false;
};

struct TextLine {
  core::Box box;
  std::vector<TextSegment> segments;
  std::string text() const;  // segments joined with a space
};

// Groups pieces into lines, top to bottom, each left to right.
std::vector<TextLine> lines_from_pieces(std::vector<Piece> pieces, double segment_gap_em = 2.0);

// The text of a cell: its pieces in reading order, lines joined without a space between CJK
// characters (wrapped labels) and with one between Latin words.
std::string cell_text(std::vector<Piece> pieces);

}  // namespace tally::layout::detail
