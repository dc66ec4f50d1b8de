// export/: writes a Document in the output formats. Reads the model, never changes it.
//
// JSON is the canonical output (docs/schema/tally-output.schema.json): keys sorted, amounts as
// decimal strings, boxes rounded to 0.01 pt, no timestamps and no absolute paths, so two runs over
// the same PDF give the same bytes and golden files can be compared with diff.
#pragma once

#include <filesystem>
#include <string>

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

}  // namespace tally::exports
