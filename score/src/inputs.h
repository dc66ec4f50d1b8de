// Reading the scorer's inputs into the shared model: truth files and Tally's JSON.
//
// Truth files are read by the fixtures library (fixtures/include/tally/fixtures/truth.h) and turned
// into the core tables a perfect extraction gives: everything downstream sees core types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tally/core/model.h"

namespace tally::score::detail {

// A truth document as core tables (fixtures::truth_to_document): header cells, one cell per body
// position (text as printed, `value` and `read` for amounts) and `columns[].role`.
struct TruthDocument {
  std::string id;
  std::vector<core::Table> tables;
};

// Throws core::Error (naming `name`) on malformed JSON or a table that breaks the format.
TruthDocument truth_from_json(std::string_view json, const std::string& name);

// Whether a prediction cell carried `value` / `read`, and whether it parsed.
enum class FieldState : unsigned char { Absent, Valid, Invalid };

struct PredictedTable {
  core::Table table;                    // cells as given; `value`/`read` parsed where valid
  std::vector<FieldState> value_state;  // one per cell
  std::vector<FieldState> read_state;
};

// A label the OCR stage's dictionary replaced: its `label_corrected` diagnostic.
struct LabelCorrection {
  int page = 0;
  std::string from, to;       // as OCR read it, and as written (both without a code prefix)
  mutable bool used = false;  // claimed by a scored cell
};

struct Prediction {
  std::vector<core::Page> pages;  // number, width, height when given
  std::vector<PredictedTable> tables;
  std::vector<LabelCorrection> label_corrections;
};

// Tally's JSON (issue 2's contract). Unknown fields are ignored; `tables[].regions`
// ([{page, bbox}]) is used when present. Throws core::Error (naming `name`) on malformed JSON.
Prediction prediction_from_json(std::string_view json, const std::string& name);

// Reads a whole file; throws core::Error (NotFound, Io) naming it.
std::string read_text_file(const std::string& path);

}  // namespace tally::score::detail
