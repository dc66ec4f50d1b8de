// reconcile/: understands each table and checks the identities it holds, then repairs misread
// numbers with the smallest credible change and reports what the source itself gets wrong.
//
// The three steps run in order over a Document whose tables layout/ (and ocr/) have filled:
//   understand_tables  column roles and header paths, row roles, codes (类/款/项, split from one
//                      7-digit column where printed so), hierarchy, the table's standard kind;
//   check_identities   every identity of the templates, the generic ones and the discovered ones,
//                      within and across tables, with rounding tolerances;
//   repair_misreads    the least-cost set of changes to untrusted cells that makes the identities
//                      hold; cells read from a trusted text layer are never changed.
// Results go into Table::kind/columns/rows, Cell::value/status and Document::checks.
#pragma once

#include <filesystem>

#include "tally/core/model.h"

namespace tally::reconcile {

struct Options {
  // Folder of template files (table kinds and their identities); see templates/README.md.
  std::filesystem::path templates_dir = "templates";
  bool repair = true;  // false: check only, value = read
};

void understand_tables(core::Document& document, const Options& options);
void check_identities(core::Document& document, const Options& options);
void repair_misreads(core::Document& document, const Options& options);

// After repair: the totals the narrative restates ("收支总预算 1,760.38 万元") against the tables
// that print them, as checks of kind "narrative" (one term: the table's cell; residual = its value
// − the stated amount). Statements that cannot be read or placed are skipped.
void check_narrative(core::Document& document);

// After check_narrative: the whole disclosure as a reviewer reads it. The narrative's statements
// (amounts with their item, shares 占 X%, changes 比…增加/减少, completion 完成 X%, years, names of
// classification codes) against the tables and against their own amounts; the family's required
// tables (templates' "required") present; an empty 政府性基金 / 国有资本经营 / 三公 table with its
// statement. Each finding is a Broken check of kind "narrative" with origin "narrative" and id
// "narrative.<what>.<n>" (what: amount, unit_slip, percentage, direction, old_name, code_name,
// year, kind, twice, missing_table, empty_table), the sentence quoted, its page, and what it says
// against what the tables say; a statement that holds is a Held check "narrative.stated.<n>". A
// statement whose item or basis is ambiguous is not judged. Never changes a cell.
void audit_disclosure(core::Document& document, const Options& options);

}  // namespace tally::reconcile
