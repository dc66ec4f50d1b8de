// Golden files (Leptonica's generate/compare idea): the layout-stable projection of Tally's output
// for a fixture is compared with tests/expected/<name>.json; TALLY_UPDATE_GOLDEN=1 rewrites the
// expected files instead, for review in git. A missing expected file fails the test.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tally::test_support {

// What a golden file holds of an output: document metadata and every table's caption, shape and
// cells (text, spans, page, amount as read). Reconciliation results are left out: they are tested
// by the reconciler's own tests and would make every repair rule change rewrite every golden file.
nlohmann::json golden_projection(const nlohmann::json& output);

// Empty when `actual` equals the expected file `name`; else a sentence naming the first difference
// (table, row, column). Rewrites the file instead when TALLY_UPDATE_GOLDEN=1.
std::string compare_with_golden(const std::string& name, const nlohmann::json& actual);

}  // namespace tally::test_support
