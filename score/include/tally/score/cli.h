// `tally score`: the command-line face of the scorer (cli/score_command.cpp).
//
//   tally score PRED.json TRUTH.json          one prediction against one truth file
//   tally score PRED_DIR TRUTH_DIR            a corpus: <truth-id>.<variant>.json against
//   <truth-id>.json tally score --icdar PRED_DIR ICDAR_DIR    ICDAR 2013: <stem>.json against
//   <name>-reg.xml/-str.xml add --json for machine-readable output (stable keys), -o FILE to write
//   it to a file.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace tally::score {

// Runs the command on `args` (the words after `score`). Reports go to `out`, errors and usage to
// `err`. Returns the exit code: 0 scored, 1 usage error, 2 an input could not be read,
// 4 the output file cannot be written.
int run_score_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace tally::score
