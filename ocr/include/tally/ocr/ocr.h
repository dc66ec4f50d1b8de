// ocr/: reads what the text layer cannot give.
//
// Page preparation (OpenCV + Leptonica): background normalization, orientation by quarter turns,
// deskew, binarization that keeps thin rules and small digits. Cell reading through the Tesseract
// C++ API: one engine per thread, reused, single-threaded (OMP_THREAD_LIMIT=1), told the raster's
// resolution; numbers with `eng` and a digit-and-punctuation character set in single-line mode,
// labels with `chi_sim`. Readings keep Tesseract's confidence and the LSTM's alternative choices.
// Classification code lists (data/codes/*.tsv) correct garbled labels and truncated codes. Label
// readings are remembered per document (LabelMemory) and recalled for crops with the same ink;
// amounts are read from the document's own digits (DigitGlyphs) once Tesseract has read a few,
// and label lines from its own Chinese characters (CharacterGlyphs) once chi_sim has read them.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "tally/core/model.h"

namespace tally::ocr {

// Tesseract's OpenMP threads make a page several times slower on few cores: call before any
// engine is made (the CLI calls it at start; engines call it too). Sets OMP_THREAD_LIMIT=1 unless
// the environment already sets it.
void limit_threads();

// OpenMP reads OMP_THREAD_LIMIT once, when the process loads it, so setting it later has no
// effect: a program that runs OCR calls this first thing in main(). When the variable is unset it
// sets it to 1 and re-executes the program (/proc/self/exe) with the same arguments; it returns
// when the variable was already set or the re-execution failed.
void reexec_single_threaded(char** argv);

// ---------------------------------------------------------------------------------------------
// Page preparation. Rasters are 8-bit grey, 0 black, 255 white.

// Divides out the paper's colour and uneven light: paper becomes 255, ink keeps its contrast.
core::Raster normalize_background(const core::Raster& raster);

// 0/255 raster (0 ink). A local threshold against the normalized paper, with a low bar so that
// faint and thin rules and small digits stay ink.
core::Raster binarize(const core::Raster& normalized);

// The page's skew in degrees (counter-clockwise positive, as the page was turned), within ±5°,
// from the projection profiles of a binary raster; 0 when no confident estimate.
double estimate_skew(const core::Raster& binary);

// Rotates by `degrees` counter-clockwise around the centre, keeping the size, filling with `fill`.
core::Raster rotate(const core::Raster& raster, double degrees, std::uint8_t fill = 255);

// Rotates by a quarter-turn multiple clockwise (90, 180, 270); the size swaps for 90 and 270.
core::Raster rotate_quarter(const core::Raster& raster, int degrees_clockwise);

// Whether the text lines of a binary page run across (false) or down (true) the raster, measured
// by how ink merges under horizontal versus vertical smearing, rules removed.
bool text_runs_vertically(const core::Raster& binary);

struct PreparedPage {
  core::Raster grey;            // upright, deskewed, background normalized
  core::Raster binary;          // the same frame, 0/255
  double skew_degrees = 0;      // the skew found and removed
  int orientation_degrees = 0;  // clockwise quarter turns applied: 0, 90, 180, 270
};

class Engine;

// Normalizes, turns upright (text direction, then 90/270 or 0/180 chosen by which reads with the
// higher confidence when `engine` is given and `check_upside_down` asks for it), deskews and
// binarizes. With an `engine`, a quarter turn suggested by the text direction is taken only when
// the turned page reads better than upright (issue 14).
PreparedPage prepare_page(const core::Raster& raster, Engine* engine = nullptr,
                          bool check_upside_down = false);

// ---------------------------------------------------------------------------------------------
// Reading

enum class TextKind {
  Number,  // amounts and codes: eng, digits and - , . ( ) %, single line
  Label,   // Chinese labels and headers: chi_sim, single line (block when the crop is tall)
  Line,    // a line of running text outside tables: chi_sim, single line
};

struct Reading {
  std::string text;       // normalized: full-width forms folded, whitespace collapsed
  double confidence = 0;  // [0, 1]; 0 when nothing was read
  std::vector<core::Alternative> alternatives;  // other readings of the whole text, best first
};

// A word read from a line, with its box in the raster's pixels.
struct WordReading {
  std::string text;
  double confidence = 0;
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool space_after = false;
};

struct PixelBox {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // x1, y1 exclusive
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
};

// What the reader asks of an OCR engine. The engine of `tally` is Tesseract's (for_this_thread);
// unit tests of the reading policy drive it with a scripted fake instead (ocr/tests/fake_engine.h).
class Engine {
 public:
  // The calling thread's Tesseract engine (one eng and one chi_sim TessBaseAPI, made on first use
  // and reused; not shareable across threads), made with `tessdata` (empty: Tesseract's default).
  // Throws core::Error(Internal) when the language data cannot be loaded.
  static Engine& for_this_thread(const std::filesystem::path& tessdata = {});

  Engine() = default;
  virtual ~Engine() = default;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // How to present a crop to Tesseract; the defaults suit most cells. A second reading with other
  // settings often mends a first that failed.
  struct Settings {
    double pad = -1;  // margin of paper around the crop, as a share of its height; <0: default
    bool single_word = false;  // page segmentation: single word instead of single line
    double scale = 1.0;        // the crop scaled by this much (bicubic) before reading
  };

  // Reads the region `box` of `raster` (grey, paper 255) as `kind`. The crop is padded with the
  // paper's colour before reading.
  virtual Reading read(const core::Raster& raster, const PixelBox& box, TextKind kind,
                       const Settings& settings) = 0;
  Reading read(const core::Raster& raster, const PixelBox& box, TextKind kind) {
    return read(raster, box, kind, Settings{});
  }

  // Reads several crops of one kind with one call to Tesseract: they are set side by side on one
  // line with paper between them, and every character read is given back to its crop (one read in
  // the paper between crops is dropped). Much of a call's cost is not the characters, so a row of
  // six numbers read this way costs about what two or three read alone cost. A crop much taller or
  // shorter than the others is read alone. Readings come back in the order of `boxes`, rated by
  // their least sure character (Tesseract's word confidences come out low on such lines); an empty
  // crop reads empty. Meant for numbers: chi_sim reads quotes in the paper between crops.
  virtual std::vector<Reading> read_side_by_side(const core::Raster& raster,
                                                 const std::vector<PixelBox>& boxes,
                                                 TextKind kind) = 0;

  // Reads a line region as words with their boxes (raster pixels), for text outside tables.
  virtual std::vector<WordReading> read_words(const core::Raster& raster, const PixelBox& box) = 0;
};

// Label readings already made in one document, found again by the look of their ink. The tables of
// a disclosure print the same classification labels and header cells again and again (表3 to 表7),
// and chi_sim costs ~3.5 ms a character; a crop whose ink matches a remembered crop of about the
// same size, block by block of one character's width, takes its reading instead. Thread-safe: the
// page workers of one document share one memory.
class LabelMemory {
 public:
  // Largest unlikeness (see nearest) at which two crops are taken for the same ink. Measured on
  // eight scans (150–300 dpi, moderate, harsh, bilevel; TALLY_OCR_MEMORY_LOG): crops of different
  // labels came no closer than 0.34; 72 % of the crops of a label read again came within 0.25.
  static constexpr double kSameInk = 0.25;
  // Crops remembered at most: each keeps 20 rows of its ink (1–20 KB), so that a document's
  // memory stays within tens of MB however many pages it has.
  static constexpr std::size_t kCapacity = 4000;

  LabelMemory();
  ~LabelMemory();
  LabelMemory(const LabelMemory&) = delete;
  LabelMemory& operator=(const LabelMemory&) = delete;

  struct Recalled {
    Reading reading;
    // 0 for the same ink; per block of one character's width, the ink the crops do not share over
    // the ink either has, the worst block counted, at the best alignment within a pixel.
    double unlikeness = 1;
  };
  // The remembered crop of about the same size that looks most like `box` of `grey`, if any.
  std::optional<Recalled> nearest(const core::Raster& grey, const PixelBox& box) const;
  // The reading of a remembered crop with the same ink as `box` of `grey` (unlikeness ≤ kSameInk).
  std::optional<Reading> recall(const core::Raster& grey, const PixelBox& box) const;
  // Remembers `reading` as what `box` of `grey` says, when it is Chinese without digits.
  void remember(const core::Raster& grey, const PixelBox& box, const Reading& reading);

  // The same for lines outside the tables (编制部门, 单位 on every page), read as words: the words
  // of a remembered line with the same ink, their boxes moved to where this line's ink is.
  std::optional<std::vector<WordReading>> recall_words(const core::Raster& grey,
                                                       const PixelBox& box) const;
  void remember_words(const core::Raster& grey, const PixelBox& box,
                      const std::vector<WordReading>& words);

  std::size_t size() const;

  // For the page workers of one document (DocumentMemory): becomes a copy of `from` (the crops'
  // pixels are shared: they never change), and remembers what `page` remembered after its first
  // `since` crops, within kCapacity, as if remembered here.
  void copy_from(const LabelMemory& from);
  void add_learned(const LabelMemory& page, std::size_t since);

 private:
  struct Entry;
  // The remembered crop (of a label, or of a line when `line`) most like the ink in `ink_box`;
  // its unlikeness in `unlikeness`. Called with the mutex held.
  const Entry* closest(const core::Raster& grey, const PixelBox& ink_box, bool line,
                       double& unlikeness) const;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;
};

// The digits of one document, learned from Tesseract's confident readings of its amounts, to read
// later amounts without Tesseract. A document prints its amounts in one or two fonts, and a number
// read by Tesseract costs 5–9 ms where matching its glyphs costs a fraction of one.
// An amount is read from glyphs only when every connected part of its ink is a digit that matches
// one learned picture closely and no other digit nearly as well, or a point or comma sitting where
// the document's points and commas sit. Digits that touch (bold, or close at low resolution) are
// one part: such a part is cut at its emptiest columns into as many digits as its width holds, and
// each piece must match the same way. Anything else (a minus sign, broken digits, a speck, a digit
// not yet learned) is left to Tesseract. Thread-safe, like LabelMemory.
class DigitGlyphs {
 public:
  // Readings taught from: Tesseract's confidence at least this, digits, points and commas only.
  static constexpr double kLearnFrom = 0.90;
  // A glyph is read as the digit whose closest picture is at most kSameDigit unlike it (coverage
  // not shared over coverage either has, 24 × 24, best shift within a pixel), with every other
  // digit at least kDigitMargin further. Measured against Tesseract's readings of the same crops
  // on eight scans (TALLY_GLYPHS_CHECK): of 2158 that Tesseract read confidently and the glyphs
  // read at these values, 2156 agreed; the two others were a point taken for a comma and a point
  // lost in touching digits. At 0.30 and 0.03, 26 disagreed.
  static constexpr double kSameDigit = 0.24;
  static constexpr double kDigitMargin = 0.08;
  // A point or comma: its size and place against the digits (over their height) within this of a
  // learned one, and the other mark at least this further.
  static constexpr double kMarkTolerance = 0.12;

  DigitGlyphs();
  ~DigitGlyphs();
  DigitGlyphs(const DigitGlyphs&) = delete;
  DigitGlyphs& operator=(const DigitGlyphs&) = delete;

  // Learns the glyphs of `box` of `binary` (0 ink) from `reading`, Tesseract's reading of it.
  void learn(const core::Raster& binary, const PixelBox& box, const Reading& reading);
  // The amount in `box` of `binary` read from the learned glyphs, with the runner-up digit of each
  // glyph as alternatives; nullopt when any part of its ink is not clearly learned glyphs.
  std::optional<Reading> read(const core::Raster& binary, const PixelBox& box) const;
  // Digit pictures learned.
  std::size_t size() const;

  // How much of each kind it has learned: what is learned later comes after it.
  struct Extent {
    std::array<std::size_t, 10> digits{};
    std::size_t points = 0, commas = 0, advances = 0;
  };
  Extent extent() const;
  // For the page workers of one document (DocumentMemory): becomes a copy of `from`, and learns
  // what `page` learned after `since` under the same limits as `learn`.
  void copy_from(const DigitGlyphs& from);
  void add_learned(const DigitGlyphs& page, const Extent& since);

 private:
  struct Glyph;
  struct Choice;
  // Keeps each glyph no kept picture of its digit shows already, and the marks' shapes and the
  // advances, up to their limits. Called with the mutex held.
  void keep(std::vector<std::pair<char, Glyph>>& digits,
            const std::vector<std::pair<char, std::array<double, 4>>>& marks,
            const std::vector<double>& advances);
  // The digit `probe` looks most like, and the runner-up. Called with the mutex held.
  Choice closest_digit(const Glyph& probe) const;
  // The reading of the characters chosen for an amount; nullopt unless it is a number.
  static std::optional<Reading> reading_of(const std::vector<Choice>& choices);
  mutable std::mutex mutex_;
  std::array<std::vector<Glyph>, 10> digits_;
  std::vector<std::array<double, 4>> points_, commas_;  // shapes of learned marks (see glyphs.cpp)
  std::vector<double> advances_;  // width of a run of digits per digit, over the digits' height
};

// A document's Chinese characters, learned from chi_sim's confident readings of label lines, to
// read later lines of full-width characters without Tesseract: the line is cut at its pitch into
// as many pieces as it holds characters, and every piece must match the pictures of exactly one
// learned character clearly. Lines with digits, Latin letters or half-width marks are left to
// chi_sim. Safe to share between threads.
class CharacterGlyphs {
 public:
  // Readings taught from: chi_sim's confidence at least this, full-width characters only.
  static constexpr double kLearnFrom = 0.90;
  // A piece is read as the character whose closest picture is at most kSameCharacter unlike it
  // (32 × 32 pictures: coverage not shared over coverage either has, best shift within a pixel),
  // with every other character at least kCharacterMargin further. Measured against chi_sim's
  // readings of the same lines on eight scans (150–300 dpi, moderate, harsh, bilevel;
  // TALLY_CHARACTERS_CHECK): at these values the characters read 583 lines (2522 characters) and
  // disagreed with no confident chi_sim reading but one chi_sim got wrong (士级国有 for 上级国有);
  // at 0.25 they read 635 lines and took one 余 for 金. A match must also show no blot of ink one
  // picture lacks (a stroke: 自 against a learned 目; characters.cpp, kBlot).
  static constexpr double kSameCharacter = 0.22;
  static constexpr double kCharacterMargin = 0.10;

  CharacterGlyphs();
  ~CharacterGlyphs();
  CharacterGlyphs(const CharacterGlyphs&) = delete;
  CharacterGlyphs& operator=(const CharacterGlyphs&) = delete;

  // Learns the characters of the one-line `box` of `binary` (0 ink) from `reading`, chi_sim's (the
  // name only of a code and name, once a pitch is learned).
  void learn(const core::Raster& binary, const PixelBox& box, const Reading& reading);
  // The line in `box` of `binary` read from the learned characters; nullopt unless every piece is
  // clearly one of them. With `code_digits`, a line that is a code followed by characters
  // ("201一般公共服务支出") reads too, the code from the document's digit glyphs.
  std::optional<Reading> read(const core::Raster& binary, const PixelBox& box,
                              const DigitGlyphs* code_digits = nullptr) const;

  // A line of full-width characters cut into its characters, each read when it is clearly a
  // learned one: chi_sim then reads only the others.
  struct Pieces {
    std::string code;  // a code before the characters, read by the digit glyphs
    double code_confidence = 0;
    int x0 = 0;                   // where the characters' part of the line begins (after the code)
    std::vector<PixelBox> boxes;  // each character's ink, left to right
    std::u32string characters;    // the character of each box; 0 where none is clearly learned
    double worst = 0;             // the largest unlikeness of a character read
    bool all_known() const;
    Reading reading() const;  // the code and characters read, with a confidence from `worst`
  };
  // Nullopt when the line (after a code, with `code_digits`) is not as wide as a whole number of
  // learned characters, or does not cut.
  std::optional<Pieces> read_pieces(const core::Raster& binary, const PixelBox& box,
                                    const DigitGlyphs* code_digits = nullptr) const;

  // Pictures learned.
  std::size_t size() const;

  // For the page workers of one document (DocumentMemory): becomes a copy of `from`, and learns
  // the pictures `page` learned after its first `since` under the same limits as `learn`.
  void copy_from(const CharacterGlyphs& from);
  void add_learned(const CharacterGlyphs& page, std::size_t since);

  struct LineInk;  // a line's ink and its columns (characters.cpp)

 private:
  struct Picture;
  // Keeps each picture no kept picture of its character shows already, up to the limits. Called
  // with the mutex held.
  void keep(std::vector<Picture>& learned);
  // A line's ink cut into characters and read. Called with the mutex held.
  std::optional<Pieces> pieces_of(const core::Raster& binary, const LineInk& ink) const;
  // The median width per character learned at about this line height, pixels; 0 when none. Called
  // with the mutex held.
  double pitch_at(int line_height) const;
  mutable std::mutex mutex_;
  std::vector<Picture> pictures_;
};

// Normalizes an OCR reading: ICU NFKC for full-width forms, whitespace collapsed; for numbers the
// characters a digit whitelist leaves confusable (O→0, l→1, ，→,) and stray spaces fixed.
std::string normalize_text(const std::string& text, TextKind kind);

// True when `text` reads as an amount or a code: optional sign or parentheses, digits with
// thousands separators (one to three digits, then groups of exactly three), optional decimals; or
// a dash for zero. A misgrouped reading ("2,6073.22") is not one.
bool looks_numeric(const std::string& text);

// ---------------------------------------------------------------------------------------------
// Labels by dictionary: the classification code lists.

struct CodeEntry {
  std::string code;   // digits
  std::string label;  // as printed
};

class CodeBook {
 public:
  // Loads every `code<TAB>name[...]` line of the .tsv files in `directory` (a header line whose
  // first field is not digits is skipped), the lists with a `year` column first (the official
  // classification: their names win over another list's for the same code), and the titles of
  // `directory`/../titles.txt. An absent directory gives an empty book.
  static CodeBook load(const std::filesystem::path& directory);
  // The book shipped with Tally: $TALLY_DATA/codes, else data/codes from the working directory or
  // from the source tree; loaded once.
  static const CodeBook& standard();

  bool empty() const { return by_code_.empty(); }
  std::size_t size() const { return by_code_.size(); }
  const std::string* label_of(const std::string& code) const;

  struct Match {
    std::string label;
    double similarity = 0;  // [0, 1], 1 for the same text
  };
  // The closest label to `text` (character edit distance, spaces ignored), among all labels or
  // only the code's when `code` is known.
  std::optional<Match> closest_label(const std::string& text, const std::string& code = {}) const;
  // Codes whose label is exactly `label` (spaces ignored).
  std::vector<std::string> codes_of(const std::string& label) const;
  // The codes one level below `parent` (the 款 of a 类, the 项 of a 款), by code.
  std::vector<CodeEntry> children_of(const std::string& parent) const;
  // The year of the classification (the `year` column of the lists), 0 when none says.
  int year() const { return year_; }

  // Standard table titles (titles.txt beside the codes directory), and the closest to `text`.
  const std::vector<std::string>& titles() const { return titles_; }
  std::optional<Match> closest_title(const std::string& text) const;

 private:
  std::map<std::string, std::string> by_code_;
  std::multimap<std::string, std::string> by_label_;
  std::vector<std::string> titles_;
  int year_ = 0;
};

// Similarity of two strings by code points: 1 − edit distance / longer length.
double similarity(const std::string& a, const std::string& b);

}  // namespace tally::ocr
