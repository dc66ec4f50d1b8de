// ocr/ page reading: the policy that reads a prepared scan's table cells and the lines of text
// outside its tables into words, as on a born-digital page.
//
// Cells are read numbers first: what looks like digits goes to the document's digit glyphs, else to
// the number engine (a row's digit-looking crops side by side in one call once a column has read
// as numbers), what does not look like digits to chi_sim first. Doubtful numbers are read again
// alone with other settings, columns whose wide cells keep failing as numbers become label
// columns, labels are read line by line (recalled from the document's memory, or read from its
// learned characters where it can), and a row's classification code and label correct each other
// from the code lists. Lines outside the tables are read word by word; 表 N and standard titles are
// mended. Every decision's threshold is a field of ReaderOptions. The engine is an interface, so
// unit tests drive this policy with a scripted fake (ocr/tests/fake_engine.h).
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "tally/core/model.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {

// What the pages of one document learn while they are read. Each page reads with a memory of its
// own, a copy of the document's as earlier pages left it, and what it learns is added to the
// document's in page order, so that no reading depends on which page worker finishes first
// (app/src/pipeline.cpp).
struct DocumentMemory {
  LabelMemory labels;          // label readings, recalled for crops with the same ink
  DigitGlyphs digits;          // the document's digits, to read amounts without Tesseract
  CharacterGlyphs characters;  // the document's Chinese characters, to read labels without chi_sim

  // How much it holds: what is learned later comes after it.
  struct Extent {
    std::size_t labels = 0;
    DigitGlyphs::Extent digits;
    std::size_t characters = 0;
  };
  Extent extent() const;
  // Becomes a copy of `document`.
  void copy_from(const DocumentMemory& document);
  // Learns what `page` (a copy of this memory once, at `since`) learned after `since`, under the
  // limits learning has.
  void add_learned(const DocumentMemory& page, const Extent& since);
};

// How the reader decides, one field per rule. The defaults are the values measured on the
// fixtures' scans (150–300 dpi, moderate, harsh, bilevel) and the 32-scan corpus; ReaderOptions{}
// is what `tally` uses. Lengths are in points, converted to pixels once per page.
struct ReaderOptions {
  // A number read with at least this confidence is taken as a number without asking chi_sim.
  double number_confidence = 0.60;
  // A crop that does not look like digits, read by chi_sim as Chinese without digits with at least
  // this confidence, is a label without asking the number engine.
  double settled_label_confidence = 0.80;
  // A label reading (or a line's mean word confidence) at least this high is remembered for crops
  // that look the same, and a run of new characters chi_sim reads must reach it to be used.
  double remembered_label_confidence = 0.80;

  // A crop lower than this holds one line of text; a taller one a wrapped label, never a number.
  double one_line_points = 16;
  // The cell's crop stays this far inside the grid lines (and at least 2 px), so that no rule
  // reaches into it; its ink box is then widened by `ink_margin_points` for Tesseract.
  double cell_inset_points = 1.0;
  double ink_margin_points = 0.8;

  // Side by side: a column reads a row at a time in one call below the first row of amounts, once
  // its last `numbers_before_side_by_side` cells read as numbers. A reading on the shared line is
  // read again alone unless its confidence is at least `side_by_side_sure`, its runner-up below
  // `side_by_side_rival`, and it has a point where the column prints them.
  int numbers_before_side_by_side = 2;
  double side_by_side_sure = 0.90;
  double side_by_side_rival = 0.30;
  // A column prints points once this many of its numbers had one: the digit glyphs' reading
  // without a point is then not taken, and a side-by-side reading without one is doubted.
  int points_make_a_point_column = 2;
  // A column whose wide cells (ink at least `wide_cell_aspect` times as wide as tall) failed as
  // numbers this many times, and never read as one, holds labels: its next cells skip the number
  // engine.
  int label_column_failures = 3;
  double wide_cell_aspect = 2;
  // An amount: a number of at least this many digits with a decimal point. The first row holding
  // one starts the column statistics above (headers above it do not count).
  int amount_digits = 3;

  // A column of numbers: at least `number_column_share` of its cells read as numbers, and at least
  // two. A column of two-decimal amounts (万元): at least `decimal_column_min` numbers, and
  // `decimal_column_share` of them with two decimals.
  double number_column_share = 0.5;
  int decimal_column_min = 3;
  double decimal_column_share = 0.6;
  // A row where fewer than this share of the cells read as numbers is a header row: a short
  // "number" (at most `header_number_digits` digits) there is read as a label too, and taken as one
  // when chi_sim reads Chinese at most `header_label_slack` less confident.
  double header_row_number_share = 0.3;
  int header_number_digits = 2;
  double header_label_slack = 0.1;
  // A doubtful number is read again alone with each of these settings in turn (margins as a share
  // of the height, word mode), until one reads as a number the column accepts.
  std::vector<Engine::Settings> rereads{{0.05, false}, {0.25, false}, {0.10, true}};
  // A doubtful number (one that fails its column's form, or a number read with less than
  // `vote_below_confidence`) is read from several views of its crop, until this many readings the
  // column accepts agree (detail::vote_on_number). Measured with number_read_bench on the
  // development fonts (150 dpi, clean and bilevel, 3360 amounts): off 55 wrong, 0.8 52 wrong, at
  // no measurable CPU cost.
  int number_votes_to_agree = 2;
  double vote_below_confidence = 0.8;
  // A number's characters fill at most `width_per_character` of the ink's height each, plus
  // `width_slack` heights: a crop much wider holds something else (a bold label read "7").
  double width_per_character = 0.75;
  double width_slack = 1.5;

  // Dictionary: a label whose code names another label within `label_similarity` (and no sibling
  // code's name as close) becomes that name; a code one digit short is completed when exactly one
  // listed code extending it has a name within `closest_similarity` of the label. Labels the list
  // cannot vouch for are kept (label_unverified). Labels of fewer than
  // `min_label_bytes` bytes (two characters) are too short to judge; codes have at most
  // `max_code_digits` digits.
  double label_similarity = 0.6;
  double closest_similarity = 0.75;
  std::size_t min_label_bytes = 6;
  std::size_t max_code_digits = 7;
  // A line within this similarity of a standard title is that title.
  double title_similarity = 0.75;
};

// What the OCR path may collect besides its words, switched on by the CLI (`TALLY_OCR_TIMING` …,
// read once in main). Comparisons change what is read (both readers run); nothing is printed here.
struct TraceSwitches {
  bool timing = false;            // laps per phase and call counts per page
  bool memory_log = false;        // every label line read by chi_sim, compared with the nearest
                                  // remembered crop (MEM lines, for LabelMemory::kSameInk)
  bool characters_check = false;  // chi_sim reads the lines the characters read too (CHARS lines)
  bool glyphs_check = false;      // Tesseract reads the amounts the glyphs read too (GLYPHS lines)
  bool dump_crops = false;        // the crops of cells that did not read as numbers, kept
};

// One page's trace: calls to the engines, time per phase, comparisons and crops when switched on.
class PageTrace {
 public:
  explicit PageTrace(int page = 0, TraceSwitches switches = {});

  // Adds the time since the last lap (or the trace's start) to `step`, when timing.
  void lap(const char* step);
  // Records a comparison line (tab-separated, its kind first) when the switch asks for it.
  void compare(std::string line) { comparisons.push_back(std::move(line)); }
  // Keeps `box` of `grey` with a note, when dump_crops.
  void keep_crop(const core::Raster& grey, const PixelBox& box, const std::string& note);
  // "page N: step s, … K number calls, …" for the terminal.
  std::string summary() const;

  struct Counts {
    int numbers = 0, labels = 0;  // calls to the number and the label engine
    int from_digits = 0;          // amounts read from the document's digit glyphs
    int from_characters = 0;      // label lines read from the document's character glyphs
  };
  struct Crop {
    std::string note;  // the number engine's reading, '|', the final one
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // grey, row by row
  };

  int page;
  TraceSwitches switches;
  Counts counts;
  std::vector<std::pair<std::string, double>> laps;  // step, seconds (summed over the page)
  std::vector<std::string> comparisons;              // MEM, CHARS and GLYPHS lines
  std::vector<Crop> crops;

 private:
  std::chrono::steady_clock::time_point clock_;
};

// One table's cells as the layout found them, in page points.
struct TableCells {
  core::Box box;
  struct Cell {
    int row = 0, col = 0;
    core::Box box;
  };
  std::vector<Cell> cells;
};

// Reads the cells of `tables`, then the lines of text outside them, on a prepared page: words in
// page points (OCR source, confidence, alternatives), tables' cells first, lines after, top to
// bottom. Corrections by dictionary and problems go to `diagnostics`, naming `page_number`.
std::vector<core::Word> read_page_words(const PreparedPage& page, int page_number,
                                        const std::vector<TableCells>& tables, Engine& engine,
                                        DocumentMemory& memory, const ReaderOptions& options,
                                        PageTrace& trace,
                                        std::vector<core::Diagnostic>& diagnostics);

// A scan drawn at `native.dpi`, scaled up to `dpi` (bicubic: bilinear, like Poppler's, lost more
// label characters on the corpus).
core::Raster scale_up(const core::Raster& native, double dpi);

}  // namespace tally::ocr
