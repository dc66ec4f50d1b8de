// Test support: Tally JSON made from a truth file (a perfect prediction), and damage applied to
// it as described by data (score/testdata/damage_cases.json).
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

namespace tally::score::test_support {

// What a perfect run of Tally would write for this truth: every header cell, every body cell
// (text as printed; amount cells with `value` and `read` as normalized decimals), one page per
// table.
nlohmann::json prediction_from_truth(const nlohmann::json& truth);

// Applies one damage operation to a prediction. Operations ({"op": ..., ...}):
//   set_cell          table, row, col (grid, top-left) and any of text, value, read
//   remove_fields     fields: names removed from every cell of every table
//   remove_body_row   table, body_row
//   insert_body_row   table, before (body row), cells (n_cols strings; amounts get value/read)
//   remove_table      table
//   set_table         table, and any of number, title
//   set_span          table, row, col, and any of rowspan, colspan
//   split_table       table, body_row: rows from there become a new table without header,
//                     number or title, placed after it
//   merge_into        table, from: the body rows of `from` appended to `table`, `from` removed
//   join_columns      table, first, count: `count` columns become one, texts concatenated
//   remove_column     table, col: the column disappears (spanning header cells narrow)
// Throws std::invalid_argument for an unknown operation.
void apply_damage(nlohmann::json& prediction, const nlohmann::json& operation);

// The project's source tree, and the shared data beside it (../shared, or $TALLY_SHARED_DIR, or
// /work/shared); empty when not found.
std::filesystem::path source_dir();
std::filesystem::path shared_dir();

nlohmann::json read_json(const std::filesystem::path& path);

}  // namespace tally::score::test_support
