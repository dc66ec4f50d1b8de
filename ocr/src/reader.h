// The page reader's parts (page_reader.h), internal to ocr/ and exposed to its unit tests.
#pragma once

#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tally/ocr/page_reader.h"

namespace tally::ocr::detail {

// One cell's crop and what it read as.
struct CellRead {
  PixelBox ink;
  int row = 0, col = 0;
  Reading reading;
  bool numeric = false;
  bool settled = false;                  // read as a label already
  std::optional<Reading> label_reading;  // chi_sim's, when asked before the number engine
  bool number_unread = false;            // a number cell no engine read as a number: left empty
};

// What every phase of a page's reading works with.
struct PageContext {
  const core::Raster& grey;
  const core::Raster& binary;
  Engine& engine;
  DocumentMemory& memory;
  const ReaderOptions& options;
  PageTrace& trace;
};

// Binary rasters are 0/255: below this is ink.
inline constexpr int kInk = 128;

// A line for the trace, printf-style.
inline std::string formatted(const char* format, auto... values) {
  char line[1024];
  std::snprintf(line, sizeof line, format, values...);
  return line;
}

// --- crops.cpp: the ink of a crop (binary rasters, 0 ink)

// The box of the ink inside `box`, leaving out specks and the remnants of rules along the crop's
// edges; nullopt when the region holds no text.
std::optional<PixelBox> ink_box(const core::Raster& binary, const PixelBox& box);
// A cell's box (its grid lines) kept off its rules: each side moved in past the rows (columns) of
// its rule, one pixel beyond, and never more than `most` pixels (`most` where no rule is found). A
// fixed inset cut the digits of tight cells, which sit a pixel or two from the rule.
PixelBox inside_rules(const core::Raster& binary, const PixelBox& cell, int most);
// The text lines inside an ink box: bands of rows with ink separated by blank rows.
std::vector<PixelBox> line_bands(const core::Raster& binary, const PixelBox& box);
// Whether the leftmost ink of a number's crop is a minus sign: a short level bar at mid-height.
bool starts_with_dash(const core::Raster& binary, const PixelBox& box);
// Whether a crop's ink looks like a line of digits. Only decides how a crop is read.
bool looks_like_digits(const core::Raster& binary, const PixelBox& box);
// `b` clipped to a raster of `width` × `height`.
PixelBox clip(const PixelBox& b, int width, int height);

// --- readings.cpp: what a reading's text says

int digits_of(const std::string& text);
// Digits after the decimal point; -1 without one.
int decimals_of(const std::string& text);
// A reading of at least two digits that are most of its characters ("51,51", "515)").
bool mostly_digits(const std::string& text);
// Whether `label` is `digits` with some 1s read as brackets, bars or letters ("]1" for 11).
bool ones_as_bars(const std::string& label, const std::string& digits);
// The number inside a reading cluttered by specks read as characters ("”600.00").
std::optional<std::string> number_inside(const std::string& text);
// Leading digits of a label cell that prints its code first ("201一般公共服务支出"), and the rest.
std::pair<std::string, std::string> split_code_prefix(const std::string& text);
bool has_cjk(const std::string& text);
// A column's stated formula as a 栏次 row prints it ("5=6+7", "1=2+3+4"): column numbers, one '=',
// '+' or '-' between the terms. The number engine, without '=' and '+', reads "6=1+3" as "6143".
bool is_column_formula(const std::string& text);

// A number's printed form, for checking it against its column's.
struct NumberForm {
  int decimals = 0;          // digits after the point
  int whole_digits = 0;      // digits before it
  bool grouped = false;      // thousands separated by commas
  bool well_formed = false;  // digits; groups of three after the first (of one to three); one point
};
NumberForm form_of(const std::string& text);
// `text` with its points and commas put where a column printing `decimals` decimals (and grouping
// thousands when `grouped`) prints them, the digits kept: "302.865" → "302,865", "1.019.77" →
// "1,019.77". Nullopt when the digits cannot take that form.
std::optional<std::string> in_column_form(const std::string& text, int decimals, bool grouped);
// A reading that would be a number but for its thousands groups ("2,6073.22": a digit read into a
// group, "26,73.22"): its digits without the groups, and the readings with one digit of each group
// longer than three dropped (a digit read twice or a speck read as one), for the reconciler to
// weigh. Nullopt for anything else.
struct Misgrouped {
  std::string digits;                    // "26073.22"
  std::vector<std::string> one_dropped;  // "2,073.22", "2,673.22", "2,603.22", "2,607.22"
};
std::optional<Misgrouped> misgrouped(const std::string& text);
// Whether a number read from a crop could fill its ink's width.
bool explains_width(const std::string& text, const PixelBox& ink, const ReaderOptions& options);

// --- votes.cpp

// A doubtful number read from several views of its crop (`first`, when given, counts as one): each
// reread setting on the grey page, the page's own binarization, the grey crop scaled. Reading stops
// once `number_votes_to_agree` acceptable readings agree; the text most acceptable readings gave is
// taken (the first read among as many), at their mean confidence, the others as alternatives.
// Nullopt when no view gave an acceptable reading.
std::optional<Reading> vote_on_number(PageContext& page, const PixelBox& ink,
                                      const std::optional<Reading>& first,
                                      const std::function<bool(const Reading&)>& acceptable);

// --- labels.cpp

// Reads a label that may wrap over several lines, one line at a time, each recalled from the
// memory, read from the document's characters, or read by chi_sim (and then learned).
Reading read_label(PageContext& page, const PixelBox& box);

// --- cells.cpp

// The cells of one table read: numbers first, then the doubtful ones again, then labels.
void read_cells(PageContext& page, std::vector<CellRead>& cells);

// --- dictionary.cpp

// Labels by dictionary: a row's classification code names its label and a label its code.
void correct_by_dictionary(std::vector<CellRead>& cells, int page, const ReaderOptions& options,
                           std::vector<core::Diagnostic>& diagnostics);
// The same with a given code list (tests).
void correct_by_dictionary(const CodeBook& book, std::vector<CellRead>& cells, int page,
                           const ReaderOptions& options,
                           std::vector<core::Diagnostic>& diagnostics);

// --- lines.cpp

// Lines of text outside the tables (pixel boxes of the tables): ink smeared along the line.
std::vector<PixelBox> text_lines(const core::Raster& binary, const std::vector<PixelBox>& tables);
// Reads the lines as words, 表 N and standard titles mended.
std::vector<core::Word> read_lines(PageContext& page, int page_number,
                                   const std::vector<PixelBox>& lines,
                                   std::vector<core::Diagnostic>& diagnostics);

}  // namespace tally::ocr::detail
