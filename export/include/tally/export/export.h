// export/: writes a Document in the output formats. Reads the model, never changes it.
//
// JSON is the canonical output (docs/schema/tally-output.schema.json): keys sorted, amounts as
// decimal strings, boxes rounded to 0.01 pt, no timestamps and no absolute paths, so two runs over
// the same PDF give the same bytes and golden files can be compared with diff.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tally/core/model.h"

namespace tally::exports {

// The canonical JSON text of a document (2-space indented, trailing newline).
std::string json_of(const core::Document& document);

// The file name of a table's CSV: "table-03.csv" for a printed 表 3 (unique in the document),
// else "table-id07.csv" from its position (Table::id + 1).
std::string csv_file_name(const core::Document& document, const core::Table& table);

struct CsvOptions {
  bool excel = false;  // UTF-8 BOM and CRLF line ends, so Excel opens Chinese text correctly
};

// One table as CSV (RFC 4180): the whole grid with header rows, a spanned cell's text at its
// top-left slot; numeric body cells give their final value as a plain decimal (no grouping).
std::string csv_of(const core::Table& table, const CsvOptions& options = {});

// Writes `content` to `path` atomically: a temporary file in the same folder, then a rename, so a
// crash never leaves a half-written output and never destroys the previous one.
// Throws core::Error(OutputUnwritable) naming the path.
void write_file_atomically(const std::filesystem::path& path, const std::string& content);

// The same for writers that need a file name (libxlsxwriter): `write_temporary` fills the temporary
// path it is given (named <path>.tmp-…<suffix>) or throws; then it is renamed to `path`, or
// removed.
void write_atomically(
    const std::filesystem::path& path, const std::string& suffix,
    const std::function<void(const std::filesystem::path& temporary)>& write_temporary);

}  // namespace tally::exports

// ---------------------------------------------------------------------------------------------
// Workbook, corpus database and audit report (issue 6).

namespace tally::exports {

// The sheet name of a table in the workbook: "表3" for a printed 表 3 unique in the document, else
// "table-id07" (as csv_file_name, without the extension).
std::string sheet_name(const core::Document& document, const core::Table& table);

// Writes an XLSX workbook (atomically): one sheet per table, the title in the first row and the
// grid from the third, merged header cells merged, numbers as numbers; repaired cells, flagged
// cells and cells in broken checks filled and carrying a comment with the evidence. Throws
// core::Error(OutputUnwritable) naming the path.
void write_xlsx(const core::Document& document, const std::filesystem::path& path);

// The corpus database of a batch: documents (with what produced each), tables, cells with row
// codes and column header paths, checks and their terms, and errors (one row per document that
// could not be read). The schema is created when missing; a document already present (same sha256)
// is replaced. Each document is one transaction.
class CorpusWriter {
 public:
  virtual ~CorpusWriter() = default;
  // `path` is the input as the batch named it (relative to the input folder or as listed).
  virtual void add_document(const core::Document& document, const std::string& path) = 0;
  // A document that could not be read: its path, hash when known, error code and message.
  virtual void add_error(const std::string& path, const std::string& sha256,
                         const std::string& code, const std::string& message) = 0;
};

// SQLite. Several processes may write one file at once (WAL, each waits its turn); one object is
// not safe for concurrent use by threads.
class CorpusDatabase : public CorpusWriter {
 public:
  // Opens or creates `path`. Throws core::Error(OutputUnwritable) naming it.
  explicit CorpusDatabase(const std::filesystem::path& path);
  ~CorpusDatabase() override;
  CorpusDatabase(const CorpusDatabase&) = delete;
  CorpusDatabase& operator=(const CorpusDatabase&) = delete;

  void add_document(const core::Document& document, const std::string& path) override;
  void add_error(const std::string& path, const std::string& sha256, const std::string& code,
                 const std::string& message) override;

  // Adds every document of the corpus database `other` whose sha256 is not here yet (with its
  // tables, cells, checks and terms), and its errors for documents not read here. Merging the same
  // file twice changes nothing. Throws core::Error(NotFound/OutputUnwritable) naming the file.
  void merge_from(const std::filesystem::path& other);

  // Documents in the database.
  std::size_t document_count() const;

  // The SQL that creates the schema (for the README and tests).
  static const char* schema();

 private:
  struct Impl;
  Impl* impl_;
};

// Whether `target` names a PostgreSQL database ("postgresql://…" or "postgres://…").
bool is_postgres_url(const std::string& target);

// The corpus database in PostgreSQL (libpq), same tables as the SQLite file. Many processes on
// many machines may write one database at once: each document is one transaction, retried when
// another writer added the same document at the same moment. Throws core::Error(OutputUnwritable)
// naming the server (never the password) when it cannot connect or write.
std::unique_ptr<CorpusWriter> open_postgres_corpus(const std::string& url);

// The SQLite file at `target`, or the PostgreSQL database when `target` is a postgresql:// URL.
std::unique_ptr<CorpusWriter> open_corpus(const std::string& target);

// A page image for the audit report: PNG bytes and the size of the page in points.
struct PageImage {
  std::string png;
  int width_px = 0, height_px = 0;
  double width_pt = 0, height_pt = 0;
};

// The page image of a rendered page for the audit report: the raster encoded as PNG, turned
// clockwise by `turn_degrees` (0, 90, 180 or 270) so that it shows the upright frame the page's
// boxes use (a scan turned before reading), then turned by `-skew_degrees` about its centre as the
// OCR stage deskewed it (core::Page::skew_degrees), so the boxes, which are in the deskewed frame,
// lie on the cells they were read from; and the page's size `width_pt` × `height_pt` in points.
// Returns an image with empty `png` when the raster is empty or cannot be encoded.
PageImage page_image_of(const core::Raster& raster, int turn_degrees, double width_pt,
                        double height_pt, double skew_degrees = 0);

// The HTML audit report of a document: self-contained (images inline as base64, CSS and script
// inline, no network). For every page holding a table: the page image with the detected grid drawn
// over it; for every table: its cells with their values, repaired/flagged cells and cells of broken
// checks marked; the list of checks, each of which highlights its cells when clicked.
// `pages` maps page numbers to images; pages without an image are drawn as blank paper.
std::string html_of(const core::Document& document, const std::map<int, PageImage>& pages);

// Standard base64 (RFC 4648) of `bytes`.
std::string base64(std::string_view bytes);

}  // namespace tally::exports

// ---------------------------------------------------------------------------------------------
// Findings (issue 16): what the document itself gets wrong in its narrative and its set of tables.

namespace tally::exports {

// The findings of a document: the broken checks of kind "narrative", in the order found.
std::vector<const core::Check*> findings_of(const core::Document& document);
// "error" (an amount against the tables, a unit slip, a missing table) or "warning" (a percentage,
// a direction word, a name, a year, an empty table without its statement).
const char* finding_severity(const core::Check& check);
// One line: "findings: 3 (1 errors, 2 warnings)".
std::string finding_summary(const core::Document& document);

}  // namespace tally::exports
