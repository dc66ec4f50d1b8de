// Tables without full rulings, found and structured from the words' geometry.
//
// Detection: a line is a *table row candidate* when it splits into cells at wide gaps and holds a
// number after its first cell (or holds three cells). Runs of candidates close together, with the
// short lines between them (wrapped labels), form a block. The block's columns are the whitespace
// rivers that no candidate's cell crosses. A block becomes a table only when it has at least
// kMinCandidateRows candidates and two columns, and its cells are numbers or short phrases: text
// paragraphs (one cell per line), lists (a number only in the first cell) and multi-column page
// layouts (long runs of words in every cell) do not qualify.
//
// Structure: rows from the lines (a wrapped label joins the row it continues), header lines above
// the body up to a rule, a caption or a gap; a header word crossing a river spans those columns.
#include "unruled.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <optional>

#include "grid.h"
#include "tally/core/text.h"

namespace tally::layout::detail {

namespace {

// Fewest candidate rows that make a table: two aligned lines are often just a label and a figure.
constexpr int kMinCandidateRows = 3;
// A line belongs to the block above when the blank between them is at most this many em (tables
// leave blank lines between groups of rows; paragraphs after a table usually sit further away).
constexpr double kMaxLineGapEm = 1.8;
// Most lines without numbers (wrapped labels, group headings) tolerated between two candidates.
constexpr int kMaxFillerLines = 6;
// A single-cell line wider than this share of the block is a paragraph, which ends the block.
constexpr double kParagraphShare = 0.6;
// Narrowest whitespace river between two columns, in points, and the share of the lines with words
// on both sides that must leave a cell gap (≥ kCellGapEm) in it or, at least kMinFlushLines of
// them, set a word flush (within kFlushEm) with an edge of the gap: right-aligned figures ending
// at its left edge, or a left-aligned column starting at its right edge (tables set with narrow
// padding leave less than a cell gap between columns: "1,740.75 201 一般公共服务支出").
constexpr double kMinRiverPoints = 2.0;
constexpr double kRiverSupport = 0.7;
constexpr double kFlushEm = 0.15;
constexpr int kMinFlushLines = 2;
// A column holds words on at least this share of the candidate lines (and on two).
constexpr double kMinColumnShare = 0.2;
// Share of numeric cells (outside the first column) that makes a block a table of figures; below
// it, only short cells (at most kMaxWordsPerTextCell words on average) and 3+ columns qualify.
constexpr double kMinNumericShare = 0.5;
constexpr double kMaxWordsPerTextCell = 3.0;
// Share of the candidate rows' slots that hold text: measured ≥ 0.58 on the tables of the ICDAR
// tuning half, ≤ 0.38 on the axis labels and legends of its charts.
constexpr double kMinFilledShare = 0.5;
// Sparse tables (budget tables with many empty columns: 0.43–0.47 of their slots filled) still
// qualify when at least kMinFigureColumns columns each hold kMinAlignedFigures figures on separate
// lines whose right edges agree within kFigureAlignEm (right-aligned amounts); a chart's scattered
// tick labels and legends do not line up so.
constexpr int kMinFigureColumns = 2;
constexpr int kMinAlignedFigures = 3;
constexpr double kFigureAlignEm = 0.15;
// On OCR'd pages a table needs kMinFigureColumns columns of this many aligned figures (a figure
// column running over several lines), whatever its other evidence.
constexpr int kMinScanAlignedFigures = 4;
// Narrowest table, in points (as Options::min_table_width_points for ruled tables).
constexpr double kMinTableWidthPoints = 50;
// Header lines looked for above the body: at most this many, each at most kMaxHeaderGapEm above
// the next, and all within kHeaderReachEm of the body's top (a rule above the body reaches as far).
constexpr int kMaxHeaderLines = 6;
constexpr double kMaxHeaderGapEm = 1.2;
constexpr double kHeaderReachEm = 8.0;
// A horizontal rule counts as a table's top, header or bottom rule when it spans this share of
// the table's width.
constexpr double kRuleSpanShare = 0.6;
// Wrapped label lines kept after the last candidate row.
constexpr int kMaxTrailingLabelLines = 4;
// A column-number row numbers at least this many columns ("1 2" is as often two figures).
constexpr int kMinNumberedColumns = 3;

struct LineInfo {
  const TextLine* line = nullptr;
  const TextLine* words = nullptr;  // the same line split at every word space
  double em = 10;
  bool candidate = false;
  int numbers = 0;  // numeric words after the first cell
};

double em_of(const TextLine& line) {
  double em = 0;
  for (const TextSegment& s : line.segments) em = std::max(em, s.font_size);
  return em > 0 ? em : std::max(line.box.height(), 4.0);
}

std::u32string first_letters(const std::string& text) {
  return core::utf8_to_u32(text.substr(0, 8));
}

bool starts_lowercase(const TextLine& line) {
  const std::u32string s = first_letters(line.segments.front().text);
  return !s.empty() && s.front() >= U'a' && s.front() <= U'z';
}

// Captions, sources and notes are printed next to a table but are not part of it.
bool caption_or_note(const TextLine& line) {
  const std::string& t = line.segments.front().text;
  for (const char* prefix : {"Table", "TABLE", "Figure", "Source", "Note", "表", "注", "图",
                             "资料来源", "续表", "编制部门", "编制单位", "单位：", "单位:"})
    if (t.rfind(prefix, 0) == 0) return true;
  return false;
}

std::vector<LineInfo> describe(const std::vector<TextLine>& lines,
                               const std::vector<TextLine>& word_lines) {
  std::vector<LineInfo> infos;
  const bool paired = word_lines.size() == lines.size();
  for (std::size_t k = 0; k < lines.size(); ++k) {
    const TextLine& line = lines[k];
    LineInfo info{&line, paired ? &word_lines[k] : &line, em_of(line)};
    // Figures after the first cell, word by word: a figure set close to the next column's code
    // ("1,747.75 201 一般公共服务支出") shares its cell.
    if (!line.segments.empty())
      for (const TextSegment& w : info.words->segments)
        info.numbers += w.box.x0 > line.segments.front().box.x1 && numeric_text(w.text);
    info.candidate = !line.segments.empty() && (info.numbers > 0 || line.segments.size() >= 3) &&
                     line.segments.size() >= 2;
    infos.push_back(info);
  }
  return infos;
}

struct Block {
  int first = 0, last = 0;  // body lines, inclusive
  int header_first = 0;     // first header line (== first when none)
  double top = 0, bottom = 0;
  std::vector<double> rivers;  // x of the column boundaries inside the table
};

// Where candidate line i's words after its first cell start: the left edges of inner columns.
void add_column_starts(const LineInfo& info, std::vector<double>& starts) {
  for (const TextSegment& w : info.words->segments)
    if (w.box.x0 > info.line->segments.front().box.x1) starts.push_back(w.box.x0);
}

// Whether a line without figures starts flush with an inner column of the rows above (a row of a
// budget table whose code and name sit in the second column and whose amounts are blank: "213
// 农林水支出"), rather than at the table's left edge where paragraphs and lists start.
bool starts_in_inner_column(const LineInfo& info, const std::vector<double>& starts, double left) {
  const double x0 = info.line->box.x0, tolerance = kFlushEm * info.em;
  return x0 > left + info.em && std::any_of(starts.begin(), starts.end(), [&](double s) {
           return std::abs(s - x0) <= tolerance;
         });
}

// A total row: its first cell is a total's label, with or without figures ("合计", "收入总计",
// "Total expenditure").
bool total_row(const TextLine& line) {
  const std::string t = core::remove_space(line.segments.front().text);
  for (const std::string label : {"合计", "总计"})
    if (t.rfind(label, 0) == 0 ||
        (t.size() >= label.size() && t.compare(t.size() - label.size(), label.size(), label) == 0))
      return true;
  return t.rfind("Total", 0) == 0 || t.rfind("TOTAL", 0) == 0;
}

// A short block that is still a table: a column header line (three or more cells, no figures)
// over a total row. A table's continuation page or an empty table prints only these.
bool headed_total(const std::vector<LineInfo>& infos, const Block& block) {
  if (!total_row(*infos[block.last].line)) return false;
  for (int i = block.first; i < block.last; ++i)
    if (infos[i].candidate && infos[i].numbers == 0 && infos[i].line->segments.size() >= 3)
      return true;
  return false;
}

// Runs of candidate lines, with filler lines between candidates, as [first, last] ranges. Lines
// that start in an inner column are rows with blank figures and do not count as fillers.
std::vector<Block> find_blocks(const std::vector<LineInfo>& infos) {
  std::vector<Block> blocks;
  const int n = static_cast<int>(infos.size());
  for (int i = 0; i < n; ++i) {
    if (!infos[i].candidate) continue;
    Block block{i, i, i};
    core::Box extent = infos[i].line->box;
    std::vector<double> starts;
    add_column_starts(infos[i], starts);
    int fillers = 0, candidates = 1;
    for (int j = i + 1; j < n; ++j) {
      const TextLine& line = *infos[j].line;
      const double gap = line.box.y0 - infos[j - 1].line->box.y1;
      if (gap > kMaxLineGapEm * std::max(infos[j].em, infos[j - 1].em)) break;
      if (infos[j].candidate) {
        block.last = j;
        fillers = 0;
        ++candidates;
        extent = extent.united(line.box);
        add_column_starts(infos[j], starts);
        continue;
      }
      const bool paragraph =
          line.segments.size() == 1 && line.box.width() > kParagraphShare * extent.width();
      if (paragraph || caption_or_note(line)) break;
      if (total_row(line)) {
        block.last = j;  // a total without figures (an empty table's 合计) closes the table
        continue;
      }
      // Lines starting flush with the indented line above are rows of an inner column too (a
      // continuation page whose classes have no amounts: "224 …", "227 …").
      const LineInfo& above = infos[j - 1];
      const bool column_run = !above.candidate && line.box.x0 > extent.x0 + infos[j].em &&
                              std::abs(line.box.x0 - above.line->box.x0) <= kFlushEm * infos[j].em;
      if (!column_run && !starts_in_inner_column(infos[j], starts, extent.x0) &&
          ++fillers > kMaxFillerLines)
        break;
    }
    if (candidates >= kMinCandidateRows || headed_total(infos, block)) blocks.push_back(block);
    i = block.last;
  }
  return blocks;
}

// Whether line i of the block is a row without figures set in an inner column (a class without
// amounts on a budget table's expenditure side), not a label line at the table's left edge.
bool inner_row(const std::vector<LineInfo>& infos, const Block& block, int i) {
  if (infos[i].candidate) return false;
  double left = 1e18;
  for (int k = block.first; k <= block.last; ++k)
    if (infos[k].candidate) left = std::min(left, infos[k].line->box.x0);
  return infos[i].line->box.x0 > left + infos[i].em;
}

// Whether most candidate lines with words on both sides of the gap [x0, x1] leave a cell gap there
// (a label set one space before its neighbour column does not hide the column) or set a word flush
// with the gap's edges.
bool supported_river(const std::vector<LineInfo>& infos, const Block& block, double x0, double x1) {
  int both = 0, split = 0, flush = 0;
  for (int i = block.first; i <= block.last; ++i) {
    if (!infos[i].candidate) continue;
    const TextLine& line = *infos[i].line;
    if (line.box.x0 >= x0 || line.box.x1 <= x1) continue;
    ++both;
    if (std::none_of(line.segments.begin(), line.segments.end(),
                     [&](const TextSegment& s) { return s.box.x0 < x0 && s.box.x1 > x1; })) {
      ++split;
      continue;
    }
    const double tolerance = kFlushEm * infos[i].em;
    flush += std::any_of(infos[i].words->segments.begin(), infos[i].words->segments.end(),
                         [&](const TextSegment& s) {
                           return std::abs(s.box.x1 - x0) <= tolerance ||
                                  std::abs(s.box.x0 - x1) <= tolerance;
                         });
  }
  // Rows without figures in an inner column (classes without amounts: "224 …", "227 …") that
  // start at the gap's right edge are that column's left edge too; those crossing it deny it.
  for (int i = block.first; i <= block.last; ++i) {
    if (!inner_row(infos, block, i) || infos[i].line->box.x1 <= x1) continue;
    const TextLine& line = *infos[i].line;
    if (std::abs(line.box.x0 - x1) <= kFlushEm * infos[i].em) {
      ++flush;
    } else if (line.box.x0 < x0) {
      ++both;
    }
  }
  // One line's words always end and start at a gap of their own making ("Very | healthy"):
  // flush lines count only when several agree.
  if (flush < kMinFlushLines) flush = 0;
  return both > 0 && split + flush >= kRiverSupport * both;
}

// Column boundaries: gaps in the union of the candidate lines' words, at their middles, where most
// lines split into cells.
std::vector<double> rivers_of(const std::vector<LineInfo>& infos, const Block& block) {
  std::vector<std::pair<double, double>> spans;
  for (int i = block.first; i <= block.last; ++i)
    if (infos[i].candidate)
      for (const TextSegment& s : infos[i].words->segments) spans.push_back({s.box.x0, s.box.x1});
  std::sort(spans.begin(), spans.end());
  std::vector<double> rivers;
  double reach = spans.front().second;
  for (const auto& [a, b] : spans) {
    if (a - reach >= kMinRiverPoints && supported_river(infos, block, reach, a))
      rivers.push_back((a + reach) / 2);
    reach = std::max(reach, b);
  }
  return rivers;
}

int column_of(const std::vector<double>& rivers, double x) {
  return static_cast<int>(std::upper_bound(rivers.begin(), rivers.end(), x) - rivers.begin());
}

// Words of a column-number row ("※ ※ ※ 1 2 3", "栏次 1 2 3"): marks, then the integers 1…N in
// order.
bool column_number_row(const LineInfo& info) {
  int next = 1;
  for (const TextSegment& w : info.words->segments) {
    if (next == 1 && (w.text == "※" || w.text == "*" || w.text == "栏次" || w.text == "行次"))
      continue;
    if (w.text != std::to_string(next)) return false;
    ++next;
  }
  return next - 1 >= kMinNumberedColumns;
}

// Per column, how many words of the block's column-number row it holds; empty when the block has
// no such row or two of its words share a column (the rivers then do not follow the numbering).
std::vector<int> numbered_columns(const std::vector<LineInfo>& infos, const Block& block) {
  for (int i = block.first; i <= block.last; ++i) {
    if (!infos[i].candidate || !column_number_row(infos[i])) continue;
    std::vector<int> numbers(block.rivers.size() + 1, 0);
    for (const TextSegment& w : infos[i].words->segments) {
      int& n = numbers[static_cast<std::size_t>(column_of(block.rivers, w.box.center_x()))];
      if (++n > 1) return {};
    }
    return numbers;
  }
  return {};
}

// A column that holds words on few candidate lines is the tail of long labels (or a stray word):
// it joins the column on its left, unless the column on its right is nearer and shares no line
// with it (a column number centred above right-aligned figures, "※ 1 2 3").
void drop_sparse_columns(const std::vector<LineInfo>& infos, Block& block) {
  int candidates = 0;
  for (int i = block.first; i <= block.last; ++i) candidates += infos[i].candidate;
  // Per column: the candidate lines with words in it and the horizontal extent of those words.
  struct Use {
    std::vector<bool> lines;  // by line index from block.first
    double x0 = 1e18, x1 = -1e18;
    int count = 0;
  };
  // Each sparse column's neighbour is chosen on the columns as found, then the rivers go: chains
  // of merges ("3" into "4" into the figures) cannot then depend on their order.
  const std::vector<Use> u = [&] {
    std::vector<Use> columns(block.rivers.size() + 1);
    for (Use& use : columns)
      use.lines.assign(static_cast<std::size_t>(block.last - block.first + 1), false);
    for (int i = block.first; i <= block.last; ++i) {
      if (!infos[i].candidate && !inner_row(infos, block, i)) continue;
      for (const TextSegment& s : infos[i].words->segments) {
        Use& use = columns[static_cast<std::size_t>(column_of(block.rivers, s.box.center_x()))];
        const auto k = static_cast<std::size_t>(i - block.first);
        use.count += !use.lines[k];
        use.lines[k] = true;
        use.x0 = std::min(use.x0, s.box.x0);
        use.x1 = std::max(use.x1, s.box.x1);
      }
    }
    return columns;
  }();
  const auto share_a_line = [](const Use& a, const Use& b) {
    for (std::size_t i = 0; i < a.lines.size(); ++i)
      if (a.lines[i] && b.lines[i]) return true;
    return false;
  };
  std::vector<bool> erase(block.rivers.size(), false);
  // A column-number row decides: a column headed by one of its words stays (empty columns of a
  // budget table are columns), a column without one joins a neighbour (a left-aligned label
  // beside its centred ※, right-aligned figures beside their centred number).
  const std::vector<int> numbers = numbered_columns(infos, block);
  if (!numbers.empty()) {
    for (std::size_t c = 0; c < u.size(); ++c) {
      if (numbers[c] > 0 || u.size() < 2) continue;
      const bool has_left = c > 0, has_right = c + 1 < u.size();
      const bool left_free = has_left && !share_a_line(u[c], u[c - 1]);
      const bool right_free = has_right && !share_a_line(u[c], u[c + 1]);
      bool right = !has_left || (right_free && !left_free);
      if (has_left && has_right && left_free == right_free)
        right = u[c + 1].x0 - u[c].x1 < u[c].x0 - u[c - 1].x1;
      erase[right ? c : c - 1] = true;
    }
  } else {
    for (std::size_t c = 1; c < u.size(); ++c) {
      if (u[c].count >= std::max(2.0, kMinColumnShare * candidates)) continue;
      const bool right = c + 1 < u.size() && !share_a_line(u[c], u[c + 1]) &&
                         u[c + 1].x0 - u[c].x1 < u[c].x0 - u[c - 1].x1;
      erase[right ? c : c - 1] = true;
    }
  }
  for (std::size_t k = erase.size(); k-- > 0;)
    if (erase[k]) block.rivers.erase(block.rivers.begin() + static_cast<long>(k));
}

// Columns right of the first that hold `min_figures` figures with a common right edge.
int aligned_figure_columns(const std::vector<LineInfo>& infos, const Block& block,
                           int min_figures) {
  std::vector<std::vector<std::pair<double, double>>> edges(block.rivers.size() + 1);  // x1, em
  for (int i = block.first; i <= block.last; ++i) {
    if (!infos[i].candidate) continue;
    for (const TextSegment& s : infos[i].words->segments) {
      const int col = column_of(block.rivers, s.box.center_x());
      if (col > 0 && numeric_text(s.text))
        edges[static_cast<std::size_t>(col)].push_back({s.box.x1, infos[i].em});
    }
  }
  int columns = 0;
  for (auto& column : edges) {
    std::sort(column.begin(), column.end());
    int best = 0;
    for (std::size_t a = 0, b = 0; b < column.size(); ++b) {
      while (column[b].first - column[a].first > kFigureAlignEm * column[b].second) ++a;
      best = std::max(best, static_cast<int>(b - a + 1));
    }
    columns += best >= min_figures;
  }
  return columns;
}

// Figures, or short phrases in three or more columns: what tables hold and prose does not. Most
// slots of the candidate rows are filled, unlike the tick labels and legends of a chart, or
// columns of right-aligned figures line up.
bool looks_tabular(const std::vector<LineInfo>& infos, const Block& block, bool figures_only) {
  if (block.rivers.empty()) return false;
  // OCR'd words: garbled narrative lines up by chance (15 false tables on 16 real scans when
  // judged as text-layer words); only columns of aligned figures make a table there.
  if (figures_only &&
      aligned_figure_columns(infos, block, kMinScanAlignedFigures) < kMinFigureColumns)
    return false;
  int cells = 0, words = 0, tokens = 0, numeric = 0, filled = 0, slots = 0;
  for (int i = block.first; i <= block.last; ++i) {
    if (!infos[i].candidate) continue;
    // Slots and figures word by word (a figure set close to its neighbour shares its cell).
    std::vector<bool> used(block.rivers.size() + 1, false);
    for (const TextSegment& s : infos[i].words->segments) {
      const int col = column_of(block.rivers, s.box.center_x());
      used[static_cast<std::size_t>(col)] = true;
      if (col == 0) continue;
      ++tokens;
      numeric += numeric_text(s.text);
    }
    for (const TextSegment& s : infos[i].line->segments) {
      if (column_of(block.rivers, s.box.center_x()) == 0) continue;
      ++cells;
      words += 1 + static_cast<int>(std::count(s.text.begin(), s.text.end(), ' '));
    }
    filled += static_cast<int>(std::count(used.begin(), used.end(), true));
    slots += static_cast<int>(used.size());
  }
  if (cells == 0) return false;
  if (filled < kMinFilledShare * slots &&
      aligned_figure_columns(infos, block, kMinAlignedFigures) < kMinFigureColumns)
    return false;
  if (numeric >= kMinNumericShare * tokens) return true;
  return block.rivers.size() >= 2 && words <= kMaxWordsPerTextCell * cells;
}

// Horizontal rules spanning most of [x0, x1], by position.
std::vector<double> spanning_rules(const std::vector<core::Ruling>& rulings, double x0, double x1) {
  std::vector<double> positions;
  for (const core::Ruling& r : rulings)
    if (r.orientation == core::Orientation::Horizontal &&
        std::min(r.end, x1) - std::max(r.start, x0) >= kRuleSpanShare * (x1 - x0))
      positions.push_back(r.position);
  std::sort(positions.begin(), positions.end());
  return positions;
}

// Whether a line above the body can be a header line: inside the table's width, not a caption,
// and not a single cell running from the label column into the figures (a title or a sentence).
bool header_like(const TextLine& line, const Block& block, double x0, double x1, double em) {
  if (line.box.x0 < x0 - 2 * em || line.box.x1 > x1 + 2 * em || caption_or_note(line)) return false;
  if (line.segments.size() > 1) return true;
  return line.box.x0 > block.rivers.front() || line.box.x1 < block.rivers.front();
}

// The body's horizontal extent: every candidate cell.
std::pair<double, double> body_extent(const std::vector<LineInfo>& infos, const Block& block) {
  double x0 = 1e18, x1 = -1e18;
  for (int i = block.first; i <= block.last; ++i) {
    x0 = std::min(x0, infos[i].line->box.x0);
    x1 = std::max(x1, infos[i].line->box.x1);
  }
  return {x0, x1};
}

// Header lines above the body: up to the highest table-wide rule within reach when there is one
// (a three-line table's top rule), else while lines stay close and header-like. `floor` is the
// last line of the block above, which the header may not reach.
void extend_header(const std::vector<LineInfo>& infos, Block& block,
                   const std::vector<core::Ruling>& rulings, int floor) {
  const auto [x0, x1] = body_extent(infos, block);
  const double em = infos[block.first].em, body_top = infos[block.first].line->box.y0;
  std::optional<double> top_rule;
  for (double y : spanning_rules(rulings, x0, x1))
    if (y < body_top + 0.5 * em && y > body_top - kHeaderReachEm * em && !top_rule) top_rule = y;
  int k = block.first - 1;
  bool stopped_below_rule = false;  // a line that is no header sits between the rule and the body
  for (; k > floor && block.first - k <= kMaxHeaderLines; --k) {
    const TextLine& line = *infos[k].line;
    if (top_rule ? line.box.y0 < *top_rule - 0.3 * em
                 : infos[k + 1].line->box.y0 - line.box.y1 > kMaxHeaderGapEm * em)
      break;
    if (!header_like(line, block, x0, x1, em)) {
      stopped_below_rule = top_rule.has_value();
      break;
    }
  }
  // The rule is the table's top only when the header reaches it (a page's title rule may lie
  // above a caption that sits between it and the table).
  block.top = top_rule && !stopped_below_rule ? std::min(*top_rule, body_top) : body_top;
  block.header_first = k + 1;
  if (block.header_first < block.first)
    block.top = std::min(block.top, infos[block.header_first].line->box.y0);
}

// Wrapped label lines after the last candidate row (lower case, inside the label column).
void extend_trailing_labels(const std::vector<LineInfo>& infos, Block& block, int ceiling) {
  for (int k = block.last + 1; k < ceiling && k - block.last <= kMaxTrailingLabelLines; ++k) {
    const TextLine& line = *infos[k].line;
    const double gap = line.box.y0 - infos[k - 1].line->box.y1;
    if (gap > kMaxLineGapEm * infos[k].em || line.box.x1 > block.rivers.front() ||
        !starts_lowercase(line))
      break;
    block.last = k;
  }
  block.bottom = infos[block.last].line->box.y1;
}

bool has_data(const TextLine& line, const std::vector<double>& rivers) {
  for (const TextSegment& s : line.segments)
    if (s.box.x1 > rivers.front()) return true;
  return false;
}

bool crosses_river(const TextLine& line, const std::vector<double>& rivers) {
  for (const TextSegment& s : line.segments)
    for (double r : rivers)
      if (s.box.x0 < r && s.box.x1 > r) return true;
  return false;
}

// Body rows: each line with figures starts a row; a label line starting in lower case continues the
// row above, and a line of figures whose label starts in lower case completes a label-only row.
// Lines whose boxes overlap vertically, one of them without figures, are one row: a label wrapped
// over two lines with its figures set midway between them (CJK labels have no lower case).
std::vector<std::vector<int>> body_rows(const std::vector<LineInfo>& infos, const Block& block) {
  std::vector<std::vector<int>> rows;
  bool last_has_data = false;
  for (int i = block.first; i <= block.last; ++i) {
    const TextLine& line = *infos[i].line;
    const bool data = has_data(line, block.rivers);
    const bool lower = starts_lowercase(line) && line.box.x0 < block.rivers.front();
    const bool overlaps = i > block.first && line.box.y0 < infos[i - 1].line->box.y1;
    if (!rows.empty() && (lower || overlaps) && (!data || !last_has_data)) {
      rows.back().push_back(i);
      last_has_data = last_has_data || data;
      continue;
    }
    rows.push_back({i});
    last_has_data = data;
  }
  return rows;
}

// Header rows: a line with a cell spanning columns is a row of its own; the lines between such
// lines are one row (header cells wrap over several lines).
std::vector<std::vector<int>> header_rows(const std::vector<LineInfo>& infos, const Block& block) {
  std::vector<std::vector<int>> rows;
  bool open = false;
  for (int i = block.header_first; i < block.first; ++i) {
    const bool spanning = crosses_river(*infos[i].line, block.rivers);
    if (spanning || !open)
      rows.push_back({i});
    else
      rows.back().push_back(i);
    open = !spanning;
  }
  return rows;
}

// Slots of a header row: a cell crossing rivers spans the columns it covers.
void add_row_cells(Grid& grid, int row, const std::vector<std::pair<int, int>>& spans) {
  const int n_cols = grid.n_cols();
  std::vector<int> owner(static_cast<std::size_t>(n_cols), -1);
  for (std::size_t k = 0; k < spans.size(); ++k)
    for (int c = spans[k].first; c <= spans[k].second; ++c)
      if (owner[static_cast<std::size_t>(c)] < 0)
        owner[static_cast<std::size_t>(c)] = static_cast<int>(k);
  for (int c = 0; c < n_cols;) {
    int end = c;
    const int k = owner[static_cast<std::size_t>(c)];
    while (k >= 0 && end + 1 < n_cols && owner[static_cast<std::size_t>(end + 1)] == k) ++end;
    grid.cells.push_back({row,
                          c,
                          1,
                          end - c + 1,
                          {grid.col_lines[c], grid.row_lines[row], grid.col_lines[end + 1],
                           grid.row_lines[row + 1]}});
    c = end + 1;
  }
}

std::vector<std::pair<int, int>> spans_of(const std::vector<LineInfo>& infos,
                                          const std::vector<int>& lines,
                                          const std::vector<double>& rivers) {
  std::vector<std::pair<int, int>> spans;
  for (int i : lines)
    for (const TextSegment& s : infos[i].line->segments) {
      const int c0 = column_of(rivers, s.box.x0 + 1), c1 = column_of(rivers, s.box.x1 - 1);
      if (c1 > c0) spans.push_back({c0, c1});
    }
  return spans;
}

Grid grid_of(const std::vector<LineInfo>& infos, const Block& block) {
  std::vector<std::vector<int>> rows = header_rows(infos, block);
  const int n_header = static_cast<int>(rows.size());
  for (auto& r : body_rows(infos, block)) rows.push_back(std::move(r));
  double x0 = 1e18, x1 = -1e18;
  for (const auto& row : rows)
    for (int i : row) {
      x0 = std::min(x0, infos[i].line->box.x0);
      x1 = std::max(x1, infos[i].line->box.x1);
    }
  Grid grid;
  grid.col_lines.push_back(x0 - 1);
  for (double r : block.rivers) grid.col_lines.push_back(r);
  grid.col_lines.push_back(x1 + 1);
  grid.row_lines.push_back(block.top - 1);
  for (std::size_t r = 1; r < rows.size(); ++r)
    grid.row_lines.push_back(
        (infos[rows[r - 1].back()].line->box.y1 + infos[rows[r].front()].line->box.y0) / 2);
  grid.row_lines.push_back(block.bottom + 1);
  grid.box = {grid.col_lines.front(), grid.row_lines.front(), grid.col_lines.back(),
              grid.row_lines.back()};
  for (int r = 0; r < static_cast<int>(rows.size()); ++r)
    add_row_cells(grid, r,
                  r < n_header ? spans_of(infos, rows[static_cast<std::size_t>(r)], block.rivers)
                               : std::vector<std::pair<int, int>>{});
  return grid;
}

}  // namespace

bool numeric_text(const std::string& text) {
  static const std::vector<std::string> placeholders = {"-",  "–", "—", "n.a.", "n/a", "N/A",
                                                        "..", "…", ":", "x",    "*"};
  if (std::find(placeholders.begin(), placeholders.end(), text) != placeholders.end()) return true;
  int digits = 0, others = 0;
  for (const char32_t c : core::utf8_to_u32(text)) {
    if (core::is_cjk(c)) return false;  // 2010年度, 第3款: words, not figures
    if (c >= U'0' && c <= U'9')
      ++digits;
    else if (c != U' ' && c != U',' && c != U'.' && c != U'%' && c != U'(' && c != U')' &&
             c != U'-' && c != U'+' && c != U'−' && c != U'–')
      ++others;
  }
  return digits > 0 && digits >= 2 * others;
}

}  // namespace tally::layout::detail

namespace tally::layout::detail {

std::vector<Grid> grids_from_lines(const std::vector<TextLine>& lines,
                                   const std::vector<TextLine>& word_lines,
                                   const std::vector<core::Ruling>& rulings, bool figures_only) {
  const std::vector<LineInfo> infos = describe(lines, word_lines);
  std::vector<Block> blocks;
  for (Block& block : find_blocks(infos)) {
    block.rivers = rivers_of(infos, block);
    // Judged before sparse columns are dropped: a chart's scattered labels make sparse slots.
    if (!looks_tabular(infos, block, figures_only)) continue;
    drop_sparse_columns(infos, block);
    if (block.rivers.empty()) continue;  // a lone header line: every column too sparse
    blocks.push_back(block);
  }
  std::vector<Grid> grids;
  for (std::size_t b = 0; b < blocks.size(); ++b) {
    Block& block = blocks[b];
    extend_header(infos, block, rulings, b == 0 ? -1 : blocks[b - 1].last);
    extend_trailing_labels(
        infos, block, b + 1 < blocks.size() ? blocks[b + 1].first : static_cast<int>(infos.size()));
    Grid grid = grid_of(infos, block);
    if (grid.box.width() >= kMinTableWidthPoints) grids.push_back(std::move(grid));
  }
  return grids;
}

namespace {

// Rivers inside one column of a ruled grid: gaps between words, on the numeric lines, where most
// lines with words on both sides leave a cell gap and hold a figure on the right.
std::vector<double> rivers_in_column(const std::vector<TextLine>& word_lines, double x0,
                                     double x1) {
  std::vector<std::pair<double, double>> spans;
  std::vector<const TextLine*> rows;
  for (const TextLine& line : word_lines) {
    std::vector<std::pair<double, double>> inside;
    bool numeric = false;
    for (const TextSegment& s : line.segments)
      if (s.box.center_x() > x0 && s.box.center_x() < x1) {
        inside.push_back({s.box.x0, s.box.x1});
        numeric = numeric || numeric_text(s.text);
      }
    if (!numeric) continue;
    rows.push_back(&line);
    spans.insert(spans.end(), inside.begin(), inside.end());
  }
  std::vector<double> rivers;
  if (static_cast<int>(rows.size()) < kMinCandidateRows) return rivers;
  std::sort(spans.begin(), spans.end());
  double reach = spans.empty() ? x1 : spans.front().second;
  for (const auto& [a, b] : spans) {
    if (a - reach >= kMinRiverPoints) {
      int both = 0, split = 0;
      for (const TextLine* line : rows) {
        const TextSegment *left = nullptr, *right = nullptr;
        for (const TextSegment& s : line->segments) {
          if (s.box.x1 <= reach && s.box.center_x() > x0) left = &s;
          if (s.box.x0 >= a && s.box.center_x() < x1 && !right) right = &s;
        }
        if (!left || !right) continue;
        ++both;
        split += right->box.x0 - left->box.x1 >= kCellGapEm * std::max(left->font_size, 4.0) &&
                 numeric_text(right->text);
      }
      if (both >= kMinCandidateRows && split >= kRiverSupport * both)
        rivers.push_back((a + reach) / 2);
    }
    reach = std::max(reach, b);
  }
  return rivers;
}

// Adds a grid line at `at` inside row or column `k` (`columns`): the cells there are split in
// two, except those that already span several (or that `whole` keeps whole), which grow by one.
void insert_line(Grid& grid, bool columns, int k, double at,
                 const std::function<bool(const GridCell&)>& whole) {
  const auto index = [&](GridCell& cell) -> int& { return columns ? cell.col : cell.row; };
  const auto span = [&](GridCell& cell) -> int& { return columns ? cell.colspan : cell.rowspan; };
  std::vector<GridCell> cells;
  for (GridCell cell : grid.cells) {
    const bool covers = index(cell) <= k && index(cell) + span(cell) > k;
    if (index(cell) > k) ++index(cell);
    if (!covers) {
      cells.push_back(cell);
    } else if (span(cell) > 1 || whole(cell)) {
      ++span(cell);
      cells.push_back(cell);
    } else {
      GridCell after = cell;
      (columns ? cell.box.x1 : cell.box.y1) = at;
      (columns ? after.box.x0 : after.box.y0) = at;
      index(after) = k + 1;
      cells.push_back(cell);
      cells.push_back(after);
    }
  }
  grid.cells = std::move(cells);
  std::vector<double>& lines = columns ? grid.col_lines : grid.row_lines;
  lines.insert(lines.begin() + k + 1, at);
}

// Adds a column line at x inside column c: cells of that column are split, or widened where their
// words cross x (a header over both parts).
void insert_column(Grid& grid, int c, double x, const std::vector<TextLine>& word_lines) {
  insert_line(grid, true, c, x, [&](const GridCell& cell) {
    for (const TextLine& line : word_lines)
      for (const TextSegment& s : line.segments)
        if (s.box.x0 < x && s.box.x1 > x && cell.box.contains(s.box.center_x(), s.box.center_y()))
          return true;
    return false;
  });
}

// Adds a row line at y inside row r: its cells are split in two; cells spanning across it grow.
void insert_row(Grid& grid, int r, double y) {
  insert_line(grid, false, r, y, [](const GridCell&) { return false; });
}

// Where a ruled row holds lines that are separate rows (a rule left out between a header and the
// first figures, or between two rows of figures): between two lines no text crosses, with a
// figure below and text above in at least kMinStackedColumns columns. A cell of figures holds
// one figure, so text over a figure in one cell means two rows; a wrapped label beside figures
// stacks in one column only.
constexpr int kMinStackedColumns = 2;

// "1996": a header's year under its column title more often than a figure.
bool year_text(const std::string& text) {
  return text.size() == 4 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (text.rfind("19", 0) == 0 || text.rfind("20", 0) == 0);
}

std::vector<double> stacked_row_splits(const Grid& grid, int r,
                                       const std::vector<TextLine>& word_lines) {
  const double y0 = grid.row_lines[r], y1 = grid.row_lines[r + 1];
  std::vector<const TextLine*> lines;
  for (const TextLine& line : word_lines)
    if (line.box.center_y() > y0 && line.box.center_y() < y1) lines.push_back(&line);
  std::vector<double> splits;
  if (lines.size() < 2) return splits;
  const int n_cols = grid.n_cols();
  for (std::size_t k = 1; k < lines.size(); ++k) {
    double above_bottom = y0;
    for (std::size_t j = 0; j < k; ++j) above_bottom = std::max(above_bottom, lines[j]->box.y1);
    const double below_top = lines[k]->box.y0;
    if (below_top <= above_bottom) continue;
    std::vector<bool> text_above(static_cast<std::size_t>(n_cols), false);
    std::vector<bool> figure_below(static_cast<std::size_t>(n_cols), false);
    for (std::size_t j = 0; j < lines.size(); ++j) {
      // The line's text in each column ("Eurotop 100 companies" is no figure, though 100 is).
      std::vector<std::string> texts(static_cast<std::size_t>(n_cols));
      for (const TextSegment& s : lines[j]->segments) {
        const int c = static_cast<int>(std::upper_bound(grid.col_lines.begin(),
                                                        grid.col_lines.end(), s.box.center_x()) -
                                       grid.col_lines.begin()) -
                      1;
        if (c < 0 || c >= n_cols) continue;
        std::string& t = texts[static_cast<std::size_t>(c)];
        t += (t.empty() ? "" : " ") + s.text;
      }
      for (std::size_t c = 0; c < texts.size(); ++c) {
        if (texts[c].empty()) continue;
        if (j < k)
          text_above[c] = true;
        else if (numeric_text(texts[c]) && !year_text(texts[c]))
          figure_below[c] = true;
      }
    }
    int stacked = 0;
    for (int c = 0; c < n_cols; ++c)
      stacked +=
          text_above[static_cast<std::size_t>(c)] && figure_below[static_cast<std::size_t>(c)];
    if (stacked >= kMinStackedColumns) splits.push_back((above_bottom + below_top) / 2);
  }
  return splits;
}

}  // namespace

void complete_ruled_grid(Grid& grid, const std::vector<core::Word>& words) {
  std::vector<core::Word> inside;  // only the grid's words are cut and grouped (speed)
  for (const core::Word& w : words)
    if (w.box.x1 > grid.box.x0 && w.box.x0 < grid.box.x1 && w.box.y1 > grid.box.y0 &&
        w.box.y0 < grid.box.y1)
      inside.push_back(w);
  std::vector<std::vector<Piece>> buckets =
      cut_words(inside, 1, [&](double x, double y) { return grid.box.contains(x, y) ? 0 : -1; });
  const std::vector<TextLine> word_lines =
      lines_from_pieces(std::move(buckets.front()), kWordGapEm);
  for (int c = grid.n_cols() - 1; c >= 0; --c) {
    const std::vector<double> rivers =
        rivers_in_column(word_lines, grid.col_lines[c], grid.col_lines[c + 1]);
    for (auto it = rivers.rbegin(); it != rivers.rend(); ++it)
      insert_column(grid, c, *it, word_lines);
  }
  for (int r = grid.n_rows() - 1; r >= 0; --r) {
    const std::vector<double> splits = stacked_row_splits(grid, r, word_lines);
    for (auto it = splits.rbegin(); it != splits.rend(); ++it) insert_row(grid, r, *it);
  }
}

std::vector<Grid> grids_from_text(const core::Page& page, const std::vector<Grid>& ruled) {
  const auto inside_ruled = [&](double x, double y) {
    for (const Grid& g : ruled)
      if (g.box.contains(x, y)) return 0;
    return -1;
  };
  std::vector<std::vector<Piece>> buckets = cut_words(page.words, 1, inside_ruled);
  const std::vector<TextLine> lines = lines_from_pieces(buckets.back(), kCellGapEm);
  const std::vector<TextLine> word_lines = lines_from_pieces(std::move(buckets.back()), kWordGapEm);
  return grids_from_lines(lines, word_lines, page.rulings,
                          page.text_source != core::TextSource::TextLayer);
}

}  // namespace tally::layout::detail
