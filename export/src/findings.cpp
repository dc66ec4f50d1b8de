// The findings view: what a reviewer of a disclosure reads first (issue 16).
#include <string>
#include <vector>

#include "tally/export/export.h"

namespace tally::exports {

std::vector<const core::Check*> findings_of(const core::Document& document) {
  std::vector<const core::Check*> out;
  for (const core::Check& check : document.checks)
    if (check.kind == "narrative" && check.status == core::CheckStatus::Broken)
      out.push_back(&check);
  return out;
}

const char* finding_severity(const core::Check& check) {
  // A number that disagrees with the tables or with itself, or a table the rules require and the
  // document lacks, is an error; wording (a percentage, a direction word, a name, a year, the
  // document's kind, a missing 空表说明) a warning.
  for (const char* what : {"narrative.amount.", "narrative.unit_slip.", "narrative.twice.",
                           "narrative.missing_table."})
    if (check.id.rfind(what, 0) == 0) return "error";
  if (check.origin == "template") return "error";  // check_narrative's restated totals
  return "warning";
}

std::string finding_summary(const core::Document& document) {
  int errors = 0, warnings = 0;
  for (const core::Check* check : findings_of(document))
    (std::string(finding_severity(*check)) == "error" ? errors : warnings)++;
  return "findings: " + std::to_string(errors + warnings) + " (" + std::to_string(errors) +
         " errors, " + std::to_string(warnings) + " warnings)";
}

}  // namespace tally::exports
