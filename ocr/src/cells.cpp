// The cells of one table: numbers first, the doubtful ones again, then labels, then the readings
// mended (digits chi_sim garbled, specks, false minus signs).
#include <algorithm>
#include <limits>
#include <map>

#include "reader.h"

namespace tally::ocr::detail {

namespace {

// A column's record below the first row of amounts.
struct ColumnSoFar {
  int numbers = 0, failures = 0;  // below the first row of amounts
  int numbers_in_a_row = 0;       // since the last failure
  int with_point = 0;             // numbers printed with a decimal point
};

// The first pass's state over a table, row by row.
struct FirstPass {
  std::map<int, ColumnSoFar> columns;
  bool amounts_seen = false;
};

// How the cells of one row are read in the first pass.
struct RowPlan {
  std::vector<std::size_t> side_by_side;
  std::vector<std::pair<std::size_t, bool>>
      alone;  // cell, whether the number engine reads it first
  std::vector<std::pair<std::size_t, Reading>> from_glyphs;
};

bool is_one_line(const PageContext& page, const CellRead& c) {
  return c.ink.height() < page.grey.to_pixels(page.options.one_line_points);
}

// An amount from the document's digit glyphs, if they read it. With the trace's glyphs_check
// Tesseract reads it too (GLYPHS, whether the two agree, both readings and confidences).
std::optional<Reading> read_by_glyphs(PageContext& page, const PixelBox& box) {
  std::optional<Reading> reading = page.memory.digits.read(page.binary, box);
  if (page.trace.switches.glyphs_check && reading) {
    const Reading tesseract = page.engine.read(page.grey, box, TextKind::Number);
    page.trace.compare(formatted("GLYPHS\t%d\t%s\t%.2f\t%s\t%.2f", reading->text == tesseract.text,
                                 reading->text.c_str(), reading->confidence, tesseract.text.c_str(),
                                 tesseract.confidence));
  }
  return reading;
}

// Below the first row of amounts, the cells of a column that has read as numbers (twice, and never
// failed since) are read a row at a time in one call when their ink looks like digits; every other
// cell alone: headers and labels on the line would sway the LSTM's reading of the numbers beside
// them (a decimal point lost next to a Chinese label). A column whose wide cells keep failing as
// numbers (and never read as one) holds labels: its cells skip the number engine. Digit-looking
// ink goes to the document's digit glyphs before any of this.
RowPlan plan_row(PageContext& page, const std::vector<CellRead>& cells,
                 const std::vector<std::size_t>& members, FirstPass& pass) {
  const ReaderOptions& o = page.options;
  RowPlan plan;
  for (const std::size_t i : members) {
    const CellRead& read = cells[i];
    const ColumnSoFar& column = pass.columns[read.col];
    if (!is_one_line(page, read) ||
        (column.failures >= o.label_column_failures && column.numbers == 0))
      continue;
    const bool digits = looks_like_digits(page.binary, read.ink);
    // The document's own digits read most amounts once Tesseract has read a few; not one without a
    // point in a column that prints points (a point lost in touching digits).
    if (digits) {
      if (std::optional<Reading> r = read_by_glyphs(page, read.ink);
          r && (column.with_point < o.points_make_a_point_column ||
                r->text.find('.') != std::string::npos)) {
        plan.from_glyphs.emplace_back(i, std::move(*r));
        ++page.trace.counts.from_digits;
        continue;
      }
    }
    const bool numbers_so_far =
        pass.amounts_seen && column.numbers_in_a_row >= o.numbers_before_side_by_side;
    if (digits && numbers_so_far) plan.side_by_side.push_back(i);
    // In a column reading as numbers, the number engine goes first even where the ink does not
    // look like digits (bold amounts whose digits touch): chi_sim would read them as digits
    // anyway, at twice the cost.
    else
      plan.alone.emplace_back(i, digits || numbers_so_far);
  }
  return plan;
}

// The row's digit-looking crops in one call. A doubtful reading on the shared line (low
// confidence, a close second reading, or no point where the column prints them) is read again
// alone, where no neighbour sways it.
std::vector<Reading> read_row_side_by_side(PageContext& page, const std::vector<CellRead>& cells,
                                           const RowPlan& plan, FirstPass& pass) {
  const ReaderOptions& o = page.options;
  std::vector<Reading> readings;
  if (plan.side_by_side.empty()) return readings;
  std::vector<PixelBox> boxes;
  for (const std::size_t i : plan.side_by_side) boxes.push_back(cells[i].ink);
  readings = page.engine.read_side_by_side(page.grey, boxes, TextKind::Number);
  ++page.trace.counts.numbers;
  for (std::size_t k = 0; k < readings.size(); ++k) {
    const Reading& r = readings[k];
    const bool point_missing =
        pass.columns[cells[plan.side_by_side[k]].col].with_point >= o.points_make_a_point_column &&
        r.text.find('.') == std::string::npos;
    if (r.confidence >= o.side_by_side_sure &&
        (r.alternatives.empty() || r.alternatives.front().confidence < o.side_by_side_rival) &&
        !point_missing)
      continue;
    readings[k] = page.engine.read(page.grey, boxes[k], TextKind::Number);
    ++page.trace.counts.numbers;
  }
  return readings;
}

// Ink that does not look like digits is asked of chi_sim first: a confident Chinese reading without
// digits, or with digits only as a code before the label ("201一般公共服务支出"), settles it as a
// label, and the number engine is not asked at all. Appends the number readings to `readings` and
// their cells to `which`.
void read_row_alone(PageContext& page, std::vector<CellRead>& cells, const RowPlan& plan,
                    std::vector<Reading>& readings, std::vector<std::size_t>& which) {
  for (const auto& [i, number_first] : plan.alone) {
    CellRead& read = cells[i];
    if (!number_first) {
      Reading as_label = read_label(page, read.ink);
      if ((has_cjk(as_label.text) && digits_of(split_code_prefix(as_label.text).second) == 0 &&
           as_label.confidence >= page.options.settled_label_confidence) ||
          is_column_formula(as_label.text)) {
        read.reading = std::move(as_label);
        read.settled = true;
        continue;
      }
      read.label_reading = std::move(as_label);
    }
    readings.push_back(page.engine.read(page.grey, read.ink, TextKind::Number));
    which.push_back(i);
    ++page.trace.counts.numbers;
  }
}

// Takes the row's readings into its cells and its columns' records.
void record_row(PageContext& page, std::vector<CellRead>& cells, std::vector<Reading>& readings,
                const std::vector<std::size_t>& which, FirstPass& pass) {
  const ReaderOptions& o = page.options;
  bool amounts = false;
  for (std::size_t k = 0; k < which.size(); ++k) {
    CellRead& read = cells[which[k]];
    read.reading = std::move(readings[k]);
    read.numeric = looks_numeric(read.reading.text) &&
                   read.reading.confidence >= o.number_confidence &&
                   explains_width(read.reading.text, read.ink, o);
    amounts |= read.numeric && digits_of(read.reading.text) >= o.amount_digits &&
               read.reading.text.find('.') != std::string::npos;
  }
  pass.amounts_seen |= amounts;
  if (!pass.amounts_seen) return;
  for (const std::size_t i : which) {
    const CellRead& read = cells[i];
    ColumnSoFar& column = pass.columns[read.col];
    if (read.numeric) {
      ++column.numbers;
      ++column.numbers_in_a_row;
      column.with_point += read.reading.text.find('.') != std::string::npos;
    } else {
      column.numbers_in_a_row = 0;
      if (read.ink.width() >= o.wide_cell_aspect * read.ink.height()) ++column.failures;
    }
  }
}

// Numbers first, row by row: digit glyphs, then side by side, then alone; Tesseract's readings
// teach the digit glyphs.
void read_numbers_first(PageContext& page, std::vector<CellRead>& cells) {
  std::map<int, std::vector<std::size_t>> by_row;
  for (std::size_t i = 0; i < cells.size(); ++i) by_row[cells[i].row].push_back(i);
  FirstPass pass;
  for (const auto& [row, members] : by_row) {
    RowPlan plan = plan_row(page, cells, members, pass);
    std::vector<Reading> readings = read_row_side_by_side(page, cells, plan, pass);
    std::vector<std::size_t> which =
        plan.side_by_side;  // the cells read as numbers, in `readings` order
    read_row_alone(page, cells, plan, readings, which);
    for (std::size_t k = 0; k < which.size(); ++k)
      page.memory.digits.learn(page.binary, cells[which[k]].ink, readings[k]);
    for (auto& [i, r] : plan.from_glyphs) {
      readings.push_back(std::move(r));
      which.push_back(i);
    }
    record_row(page, cells, readings, which, pass);
  }
}

// Columns of numbers, the decimals their numbers print (two: 万元 amounts) and whether they group
// thousands, from the first pass.
class ColumnKinds {
 public:
  ColumnKinds(const std::vector<CellRead>& cells, const ReaderOptions& options)
      : options_(options) {
    for (const CellRead& read : cells) {
      ++tried_[read.col].first;
      if (!read.numeric) continue;
      ++tried_[read.col].second;
      const NumberForm form = form_of(read.reading.text);
      if (!form.well_formed) continue;
      ++decimals_[read.col][form.decimals];
      if (form.whole_digits > 3) ++(form.grouped ? grouped_ : ungrouped_)[read.col];
    }
  }
  bool numbers(int col) {
    const auto [cells, accepted] = tried_[col];
    return accepted >= options_.number_column_share * cells && accepted >= 2;
  }
  bool decimals(int col) { return printed_decimals(col) == 2; }
  // The decimals the column prints, when enough of its numbers agree.
  std::optional<int> printed_decimals(int col) {
    int most = 0, with_most = 0, all = 0;
    for (const auto& [d, n] : decimals_[col]) {
      all += n;
      if (n > with_most) most = d, with_most = n;
    }
    if (all < options_.decimal_column_min || with_most < options_.decimal_column_share * all)
      return std::nullopt;
    return most;
  }
  // Whether the column groups thousands, when enough of its numbers of four or more whole digits
  // agree.
  std::optional<bool> groups_thousands(int col) {
    const int yes = grouped_[col], no = ungrouped_[col];
    if (yes + no < options_.decimal_column_min) return std::nullopt;
    if (yes >= options_.decimal_column_share * (yes + no)) return true;
    if (no >= options_.decimal_column_share * (yes + no)) return false;
    return std::nullopt;
  }
  // Whether a number is printed as the column prints its numbers: well formed, with the column's
  // decimals and its grouping. "2,6073.22", "2073.22" among grouped amounts, "302.865" among
  // whole numbers do not fit.
  bool fits(int col, const std::string& text) {
    if (text == "-" || text == "0") return true;
    const NumberForm form = form_of(text);
    if (!form.well_formed) return false;
    if (const std::optional<int> d = printed_decimals(col); d && form.decimals != *d) return false;
    if (const std::optional<bool> g = groups_thousands(col); g && form.whole_digits > 3)
      return form.grouped == *g;
    return true;
  }
  // `text` mended into the column's form (points and commas where the column prints them), when
  // the column's form is known and the digits allow it.
  std::optional<std::string> mended(int col, const std::string& text) {
    const std::optional<int> d = printed_decimals(col);
    const std::optional<bool> g = groups_thousands(col);
    if (!d) return std::nullopt;
    std::optional<std::string> m =
        in_column_form(text, *d, g ? *g : text.find(',') != std::string::npos);
    if (!m || !looks_numeric(*m) || !fits(col, *m) || m->size() != text.size()) return std::nullopt;
    // Only the kind of a mark may change, not where marks are: "2,6073.22" is a digit too many,
    // not "26,073.22".
    for (std::size_t i = 0; i < text.size(); ++i)
      if ((text[i] == '.' || text[i] == ',') != ((*m)[i] == '.' || (*m)[i] == ','))
        return std::nullopt;
    return m;
  }

 private:
  const ReaderOptions& options_;
  std::map<int, std::pair<int, int>> tried_;    // col → (cells read, accepted as numbers)
  std::map<int, std::map<int, int>> decimals_;  // col → decimals → numbers
  std::map<int, int> grouped_, ungrouped_;      // col → numbers of ≥ 4 whole digits
};

// Rows of labels (headers): a short "number" there is more likely a character (类 read "26").
void read_header_rows_again(PageContext& page, std::vector<CellRead>& cells) {
  const ReaderOptions& o = page.options;
  std::map<int, std::pair<int, int>> row_counts;  // row → (cells, numbers)
  for (const CellRead& read : cells) {
    ++row_counts[read.row].first;
    row_counts[read.row].second += read.numeric;
  }
  for (CellRead& read : cells) {
    const auto [in_row, numbers_in_row] = row_counts[read.row];
    if (!read.numeric || digits_of(read.reading.text) > o.header_number_digits ||
        numbers_in_row >= o.header_row_number_share * in_row)
      continue;
    Reading as_label = page.engine.read(page.grey, read.ink, TextKind::Label);
    ++page.trace.counts.labels;
    if (has_cjk(as_label.text) &&
        as_label.confidence >= read.reading.confidence - o.header_label_slack) {
      read.reading = std::move(as_label);
      read.numeric = false;
      read.settled = true;
    }
  }
}

// Whether a reading is one the column takes: a confident number as wide as the ink, printed as the
// column prints its numbers.
bool acceptable_number(const Reading& r, const CellRead& read, ColumnKinds& kinds,
                       const ReaderOptions& o) {
  return looks_numeric(r.text) && r.confidence >= o.number_confidence &&
         explains_width(r.text, read.ink, o) && kinds.fits(read.col, r.text);
}

// A number that failed, or is not printed as its column prints numbers: read again from several
// views, voted on (vote_on_number). When no view gives a reading that fits the column, a reading
// whose points and commas only are out of place is put into the column's form ("302.865" →
// "302,865" among whole numbers grouped by thousands), at half its confidence.
void reread_number(PageContext& page, CellRead& read, ColumnKinds& kinds) {
  const ReaderOptions& o = page.options;
  if (std::optional<Reading> voted =
          vote_on_number(page, read.ink, std::nullopt,
                         [&](const Reading& r) { return acceptable_number(r, read, kinds, o); })) {
    read.reading = std::move(*voted);
    read.numeric = true;
    return;
  }
  if (const std::optional<std::string> m = kinds.mended(read.col, read.reading.text);
      m && digits_of(read.reading.text) >= 2 && explains_width(*m, read.ink, o)) {
    read.reading.alternatives.insert(read.reading.alternatives.begin(),
                                     {read.reading.text, read.reading.confidence / 2});
    read.reading.text = *m;
    read.reading.confidence /= 2;
    read.numeric = true;
  }
}

// A number the column takes but that was read with little confidence: read again from several
// views, and replaced when others agree on another reading (the first reading is one vote).
void vote_on_doubtful_number(PageContext& page, CellRead& read, ColumnKinds& kinds) {
  const ReaderOptions& o = page.options;
  if (!read.numeric || read.reading.confidence >= o.vote_below_confidence ||
      digits_of(read.reading.text) < 2 || !acceptable_number(read.reading, read, kinds, o))
    return;
  std::optional<Reading> voted =
      vote_on_number(page, read.ink, read.reading,
                     [&](const Reading& r) { return acceptable_number(r, read, kinds, o); });
  if (voted && voted->text != read.reading.text) read.reading = std::move(*voted);
}

// A number whose thousands groups no reread mended ("2,6073.22", which no amount parser takes):
// its digits in the column's grouping at half its confidence, and the readings with one digit of
// the long group dropped as alternatives as likely as it, so that the reconciler weighs them.
void take_misgrouped(CellRead& read, ColumnKinds& kinds) {
  const std::optional<Misgrouped> m = misgrouped(read.reading.text);
  if (!m) return;
  const std::optional<bool> grouped = kinds.groups_thousands(read.col);
  const std::optional<std::string> regrouped =
      in_column_form(m->digits, std::max(0, decimals_of(m->digits)), !grouped || *grouped);
  Reading taken{regrouped ? *regrouped : m->digits, read.reading.confidence / 2, {}};
  for (const std::string& shorter : m->one_dropped)
    taken.alternatives.push_back({shorter, taken.confidence});
  taken.alternatives.push_back({read.reading.text, taken.confidence / 2});
  for (const core::Alternative& a : read.reading.alternatives) taken.alternatives.push_back(a);
  read.reading = std::move(taken);
  read.numeric = true;
}

// Still no decimal point where the column prints two: put it back, at half the confidence.
void restore_point(CellRead& read, ColumnKinds& kinds, const ReaderOptions& o) {
  const std::string& t = read.reading.text;
  if (kinds.decimals(read.col) && t.find_first_of(".,") == std::string::npos &&
      digits_of(t) >= o.amount_digits && looks_numeric(t) && t.front() != '(') {
    read.reading.alternatives.insert(read.reading.alternatives.begin(),
                                     {t, read.reading.confidence / 2});
    read.reading.text = t.substr(0, t.size() - 2) + "." + t.substr(t.size() - 2);
    read.reading.confidence /= 2;
  }
}

// The second pass: doubtful numbers read again; what still is no number goes to chi_sim (the cells
// returned, with their reading as a number).
std::vector<std::pair<std::size_t, Reading>> read_numbers_again(PageContext& page,
                                                                std::vector<CellRead>& cells) {
  const ReaderOptions& o = page.options;
  ColumnKinds kinds(cells, o);
  read_header_rows_again(page, cells);
  std::vector<std::pair<std::size_t, Reading>> to_label;
  for (std::size_t index = 0; index < cells.size(); ++index) {
    CellRead& read = cells[index];
    if (read.settled) continue;
    const bool one_line = is_one_line(page, read);
    const bool suspect =
        read.numeric ? digits_of(read.reading.text) >= 2 && !kinds.fits(read.col, read.reading.text)
                     : one_line && mostly_digits(read.reading.text);
    if (suspect)
      reread_number(page, read, kinds);
    else
      vote_on_doubtful_number(page, read, kinds);
    if (!read.numeric && one_line) take_misgrouped(read, kinds);
    if (read.numeric) {
      restore_point(read, kinds, o);
      // Still not in the column's form: at half its confidence, so that the reconciler doubts it
      // first.
      if (suspect && !kinds.fits(read.col, read.reading.text)) read.reading.confidence /= 2;
      continue;
    }
    // In a column of numbers, a doubtful number is still a number (its low confidence says so).
    if (one_line && (kinds.numbers(read.col) || kinds.decimals(read.col)) &&
        looks_numeric(read.reading.text) && digits_of(read.reading.text) >= o.amount_digits &&
        explains_width(read.reading.text, read.ink, o)) {
      read.numeric = true;
      continue;
    }
    to_label.emplace_back(index, read.reading);
  }
  return to_label;
}

// Keeps the crop of a cell for the trace's dump.
void keep(PageContext& page, const CellRead& read, const std::string& note) {
  if (page.trace.switches.dump_crops) page.trace.keep_crop(page.grey, read.ink, note);
}

// Digits the number engine doubted, that chi_sim reads as digits and junk ("1]1"): the digits. So
// are digits where chi_sim saw a thin 1 as a bracket or a bar ("]1" for the code 11). A number with
// a speck read as a character keeps the number.
void mend_labels(PageContext& page, std::vector<CellRead>& cells,
                 const std::vector<std::pair<std::size_t, Reading>>& to_label) {
  for (const auto& [index, as_number] : to_label) {
    CellRead& read = cells[index];
    if (!has_cjk(read.reading.text) && looks_numeric(as_number.text) && !as_number.text.empty() &&
        (digits_of(read.reading.text) == digits_of(as_number.text) ||
         ones_as_bars(read.reading.text, as_number.text))) {
      read.reading = as_number;
      read.numeric = true;
      continue;
    }
    if (const std::optional<std::string> number = number_inside(read.reading.text)) {
      read.reading.alternatives.insert(read.reading.alternatives.begin(),
                                       {read.reading.text, read.reading.confidence});
      read.reading.text = *number;
      read.numeric = true;
    }
    keep(page, read, as_number.text + "|" + read.reading.text);
  }
}

// A minus sign that is a speck or a rule's remnant.
void drop_false_minus_signs(PageContext& page, std::vector<CellRead>& cells) {
  for (CellRead& read : cells)
    if (read.numeric && read.reading.text.size() > 1 && read.reading.text.front() == '-' &&
        !starts_with_dash(page.binary, read.ink)) {
      keep(page, read, "negative|" + read.reading.text);
      read.reading.alternatives.insert(read.reading.alternatives.begin(),
                                       {read.reading.text, read.reading.confidence});
      read.reading.text.erase(read.reading.text.begin());
    }
}

// Number cells never come back with Chinese characters: a cell of a column of amounts, from the
// table's first row of numbers down (headers are above it), whose reading has any (chi_sim's, after
// the number engine failed or before it was asked) is read again as a number with each reread
// setting; the first reading that looks like a number is taken at the lowest confidence a number is
// taken at, so that the reconciler doubts it, and the Chinese reading stays as its last
// alternative. When none reads as a number the cell is left empty (`number_unread`: the page reader
// reports it).
void no_chinese_in_numbers(PageContext& page, std::vector<CellRead>& cells,
                           const std::vector<std::pair<std::size_t, Reading>>& to_label) {
  const ReaderOptions& o = page.options;
  ColumnKinds kinds(cells, o);
  // Columns of amounts: their numbers print decimals or thousands groups. Codes (类款项, 2010301)
  // print neither, and a code column holds labels too (合计 spanning the code columns).
  const auto amounts = [&](int col) {
    const std::optional<int> d = kinds.printed_decimals(col);
    const std::optional<bool> g = kinds.groups_thousands(col);
    return (d && *d > 0) || (g && *g);
  };
  // The table's first row of numbers: headers are above it.
  int first_number_row = std::numeric_limits<int>::max();
  for (const CellRead& read : cells)
    if (read.numeric && amounts(read.col)) first_number_row = std::min(first_number_row, read.row);
  std::map<std::size_t, Reading> number_readings(to_label.begin(), to_label.end());
  for (std::size_t index = 0; index < cells.size(); ++index) {
    CellRead& read = cells[index];
    if (!has_cjk(read.reading.text) || !is_one_line(page, read) || !amounts(read.col) ||
        read.row < first_number_row)
      continue;
    const Reading as_number = number_readings.count(index) ? number_readings[index] : Reading{};
    std::vector<Reading> tries{as_number};
    for (const Engine::Settings& settings : o.rereads) {
      if (looks_numeric(tries.back().text) && digits_of(tries.back().text) > 0) break;
      tries.push_back(page.engine.read(page.grey, read.ink, TextKind::Number, settings));
      ++page.trace.counts.numbers;
    }
    const Reading& last = tries.back();
    keep(page, read, as_number.text + "|" + read.reading.text);
    if (looks_numeric(last.text) && digits_of(last.text) > 0) {
      Reading number = last;
      number.confidence = std::min(number.confidence, o.number_confidence / 2);
      number.alternatives.push_back({read.reading.text, 0});
      read.reading = std::move(number);
      read.numeric = true;
    } else {
      read.reading = {};
      read.numeric = false;
      read.number_unread = true;
    }
  }
}

}  // namespace

void read_cells(PageContext& page, std::vector<CellRead>& cells) {
  read_numbers_first(page, cells);
  page.trace.lap("numbers");
  const std::vector<std::pair<std::size_t, Reading>> to_label = read_numbers_again(page, cells);
  page.trace.lap("numbers again");
  for (const auto& [index, as_number] : to_label) {
    CellRead& read = cells[index];
    read.reading = read.label_reading ? std::move(*read.label_reading) : read_label(page, read.ink);
  }
  page.trace.lap("labels");
  mend_labels(page, cells, to_label);
  no_chinese_in_numbers(page, cells, to_label);
  drop_false_minus_signs(page, cells);
}

}  // namespace tally::ocr::detail
