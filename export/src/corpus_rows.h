// The rows a document makes in the corpus database, whatever the database (SQLite, PostgreSQL).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "tally/core/model.h"

namespace tally::exports::detail {

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;  // monostate: NULL
using Row = std::vector<std::pair<const char*, Value>>;                         // column, value

// Where the rows go. insert() returns the new row's id for `documents`, `tables` and `checks`
// (the rows others refer to), anything for the rest. A table's rows always list the same columns
// in the same order, so a sink may prepare one statement per table.
class RowSink {
 public:
  virtual ~RowSink() = default;
  virtual std::int64_t insert(const char* table, const Row& row) = 0;
};

// The document's rows, parents before children: documents, tables, cells, checks, check_terms.
// The caller deletes an earlier copy (same sha256) and wraps the whole in one transaction.
void write_document_rows(const core::Document& document, const std::string& path, RowSink& sink);

// The columns of `documents` that say what produced a row (added to older databases when missing).
inline constexpr const char* kProducerColumns[] = {"tally_version", "poppler_version",
                                                   "tesseract_version", "options"};

}  // namespace tally::exports::detail
