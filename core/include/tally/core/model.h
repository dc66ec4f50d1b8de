// The document model every stage shares.
//
// A Document is filled in by the pipeline's steps, in order:
//   extract   sets source, pages (size, words of the text layer) and the text-layer verdict;
//   layout    adds rulings to pages and tables (grid, spans, cell text from words, captions);
//   ocr       fills cells and words on pages whose text layer is not trusted, with confidences
//             and alternative readings;
//   reconcile adds the table understanding (column and row roles, codes), checks, and repairs
//             (`value`, `status`), never touching `read`;
//   export    reads it, never changes it.
// The model holds no third-party types; it is plain data, cheap to copy and to compare in tests.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tally/core/amount.h"
#include "tally/core/code.h"
#include "tally/core/geometry.h"

namespace tally::core {

// ---------------------------------------------------------------------------------------------
// Pages

enum class TextSource { TextLayer, Ocr, None };
const char* to_string(TextSource source);

// A reading of a cell's text other than the one chosen, as OCR considered it.
struct Alternative {
  std::string text;
  double confidence = 0;  // [0, 1]
};

// One word of text on a page, from the PDF's text layer or from OCR.
struct Word {
  std::string text;          // UTF-8
  Box box;                   // points, top-left origin
  std::vector<Box> glyphs;   // one box per code point of `text` when known (text layer), else empty
  double font_size = 0;      // points; 0 when unknown (OCR)
  bool bold = false;         // from the font name when known
  bool space_after = false;  // the text layer has a space after this word (the PDF drew one)
  double confidence = 1.0;   // 1.0 for a text layer; OCR's word confidence in [0, 1]
  TextSource source = TextSource::TextLayer;
  std::vector<Alternative> alternatives;  // OCR's other readings of the whole word, best first
};

enum class Orientation { Horizontal, Vertical };

// A ruling line found on the page raster, in points. `position` is the line's centre across its
// length (y for horizontal, x for vertical); [start, end] its extent along it.
struct Ruling {
  Orientation orientation = Orientation::Horizontal;
  double position = 0;
  double start = 0, end = 0;
  double thickness = 0;
};

struct Page {
  int number = 0;                // 1-based, as printed by viewers
  double width = 0, height = 0;  // points, after the page's /Rotate
  std::vector<Word> words;       // text layer words, or OCR words when text_source == Ocr
  std::vector<Ruling> rulings;
  TextSource text_source = TextSource::None;
  std::vector<std::string> text_source_reasons;  // why the text layer was trusted or not
  double skew_degrees = 0;                       // deskew angle applied before reading (scans)
  int orientation_degrees = 0;  // 0, 90, 180, 270: rotation applied to make the page upright
};

// An 8-bit grey raster of a page (0 black, 255 white), row-major, `width` bytes per row.
struct Raster {
  int width = 0, height = 0;
  double dpi = 0;
  std::vector<std::uint8_t> pixels;

  std::uint8_t at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
  double to_points(double pixels_) const { return pixels_ * 72.0 / dpi; }
  double to_pixels(double points) const { return points * dpi / 72.0; }
};

// ---------------------------------------------------------------------------------------------
// Tables

enum class CellStatus { Ok, Repaired, Flagged };
const char* to_string(CellStatus status);

struct Cell {
  int row = 0, col = 0;  // top-left grid position, header rows included
  int rowspan = 1, colspan = 1;
  std::string text;         // as printed (text layer) or as read (OCR), whitespace-normalized
  int page = 0;             // page the cell is on
  Box box;                  // points on that page
  double confidence = 1.0;  // 1.0 for a trusted text layer
  TextSource source = TextSource::TextLayer;

  // Numeric body cells only: the amount as first read, and the final amount after reconciliation.
  std::optional<Amount> read;
  std::optional<Amount> value;
  std::vector<Alternative> alternatives;  // OCR alternatives, best first

  CellStatus status = CellStatus::Ok;
  std::vector<std::string> status_checks;  // ids of the checks that repaired or flagged the cell
  std::string status_note;                 // human-readable evidence for a repair or flag
};

// Where a table's rows sit on one page (a joined table has one region per page).
struct TableRegion {
  int page = 0;
  Box box;
  int first_row = 0, last_row = 0;  // grid rows on this page, inclusive
};

// Roles the reconciler gives columns and rows. `Unknown` until it has looked.
enum class ColumnRole {
  Unknown,
  Code,
  ClassCode,
  SectionCode,
  ItemCode,
  Label,
  Amount,
  Text,
  Marker
};
enum class RowRole { Unknown, Header, Numbering, Total, Class, Section, Item, Detail, Note };
const char* to_string(ColumnRole role);
const char* to_string(RowRole role);

struct ColumnInfo {
  ColumnRole role = ColumnRole::Unknown;
  std::string
      header_path;  // merged header texts joined with '/', e.g. 财政拨款（补助）/一般公共预算
};

struct RowInfo {
  RowRole role = RowRole::Unknown;
  std::optional<ClassificationCode> code;
  std::string label;
  int parent_row = -1;  // the row this one sums into, -1 if none
};

struct Table {
  int id = 0;                 // index in Document::tables, stable within one document
  std::optional<int> number;  // the printed `表 N`, nullopt if none
  std::string title;          // e.g. 部门支出总体情况表
  std::string department;     // 编制部门 printed above the table, if any
  std::string unit;           // 万元, 元 … printed above the table, if any
  std::vector<int> pages;
  std::vector<TableRegion> regions;
  int header_rows = 0;
  int n_rows = 0, n_cols = 0;
  std::vector<Cell> cells;         // a spanned cell appears once, at its top-left position
  std::vector<std::string> notes;  // sentences printed with the table (e.g. "…为空表")

  // Filled in by reconcile/.
  std::string kind;                 // template kind id, e.g. "budget.3"; empty if none matched
  std::vector<ColumnInfo> columns;  // n_cols entries once understood
  std::vector<RowInfo> rows;        // n_rows entries once understood

  // The cell covering (row, col), following spans; nullptr if no cell covers it.
  const Cell* cell_at(int row, int col) const;
  Cell* cell_at(int row, int col);
  // For every grid position (row-major, n_rows × n_cols) the index in `cells` of the cell covering
  // it, or -1. Build it once for loops over the grid; cell_at() scans the cells.
  std::vector<int> grid_index() const;
};

// ---------------------------------------------------------------------------------------------
// Checks: identities the reconciler evaluated.

struct CellRef {
  int table = 0;  // Table::id
  int row = 0, col = 0;
  friend bool operator==(const CellRef&, const CellRef&) = default;
};

// One term of an identity Σ coefficient × cell = 0.
struct Term {
  CellRef cell;
  int coefficient = 1;
};

enum class CheckStatus { Held, HeldRounding, HeldAfterRepair, Broken };
const char* to_string(CheckStatus status);

struct Check {
  std::string id;           // stable within a document, e.g. "t3.col4.hierarchy.201"
  std::string kind;         // hierarchy | column_sum | total | two_sided | cross_table | narrative
  std::string origin;       // template | generic | discovered
  std::string description;  // a readable sentence naming the rows and columns
  std::vector<Term> terms;
  int decimals = 2;            // unit of residual and tolerance: 10^-decimals
  std::int64_t residual = 0;   // Σ coefficient × value, after repair
  std::int64_t tolerance = 0;  // allowed rounding residual, in the same units
  CheckStatus status = CheckStatus::Held;
  // Narrative findings (kind narrative, from reconcile's audit_disclosure): the statement quoted,
  // its page, what it says and what the tables (or its own amounts) say. Empty for identities.
  std::string sentence;
  int page = 0;
  std::string stated, expected;
};

// ---------------------------------------------------------------------------------------------
// Diagnostics: problems inside a document, recorded, never thrown.

enum class Severity { Info, Warning, Error };
const char* to_string(Severity severity);

struct Diagnostic {
  Severity severity = Severity::Warning;
  std::string code;  // short, stable: text_layer_garbled, grid_not_closed, identity_broken, …
  int page = 0;      // 0 when it concerns the whole document
  std::string message;
};

// ---------------------------------------------------------------------------------------------
// The document

enum class DocumentKind { Unknown, Budget, FinalAccount };
const char* to_string(DocumentKind kind);

struct Source {
  std::string file;    // the file name as given, without directories
  std::string sha256;  // hex of the file's bytes
  std::int64_t bytes = 0;
  int page_count = 0;
};

// What read a document: so a corpus built over weeks on many machines says what produced each row.
struct Producer {
  std::string tally;    // Tally's version: the git commit it was built from (`tally --version`)
  std::string poppler;  // library versions at run time
  std::string tesseract;
  std::string
      options;  // the options that change what is read ("dpi=100 ocr-dpi=300 ocr=auto repair=on")
};

struct Metadata {
  std::string department;
  std::optional<int> year;
  DocumentKind kind = DocumentKind::Unknown;
  std::string unit;
};

struct Document {
  Source source;
  Metadata metadata;
  std::vector<Page> pages;
  std::vector<Table> tables;
  std::vector<Check> checks;
  std::vector<Diagnostic> diagnostics;
  Producer producer;

  void warn(int page, std::string code, std::string message);
  void note(int page, std::string code, std::string message);
};

}  // namespace tally::core
