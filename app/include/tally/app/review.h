// app/: the corpus review. Reads every PDF of a folder and sums up, per document, what Tally
// understood (tables by kind), what it checked (held, repaired, broken), what it doubted
// (layout_uncertain) and how many amount cells some identity covers, so a whole corpus of real
// disclosures can be reviewed in one look (`tally review DIR`).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tally/core/model.h"

namespace tally::app {

struct DocumentReview {
  std::string name;   // as listed (relative to the folder)
  std::string error;  // the one-line reason when the document could not be read
  int tables = 0;
  std::map<std::string, int> kinds;  // table kind ("" = no standard kind) → tables
  int held = 0, held_rounding = 0, repaired = 0, broken = 0;
  int uncertain = 0;  // layout_uncertain diagnostics: identities not accused
  int findings = 0;  // the disclosure audit's broken statements (narrative, required tables), apart
  int amount_cells = 0, covered_cells = 0;   // numeric body cells, and those in some check
  std::vector<std::string> broken_checks;    // "p5 表3 …: residual −60.00 (tolerance 0.01)"
  std::vector<std::string> uncertain_notes;  // the layout_uncertain messages
  std::vector<std::string> finding_notes;    // "p9 …: says X, the tables say Y"
  // Template identities of a known kind whose columns are not all printed (identity_not_checked).
  int not_checked = 0;
  std::vector<std::string> not_checked_notes;
};

// Figures of one read document.
DocumentReview review_document(const core::Document& document, const std::string& name);

// The lines printed for one document: a head line with the figures, then the table kinds, then one
// line per broken check and per doubt (at most `max_listed` of each, then "… N more").
std::vector<std::string> review_lines(const DocumentReview& review, std::size_t max_listed = 20);

// The corpus line: documents, tables, checks held/broken, doubts, coverage.
std::string review_totals(const std::vector<DocumentReview>& reviews);

}  // namespace tally::app
