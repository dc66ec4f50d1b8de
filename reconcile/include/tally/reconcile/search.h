// The repair search's parts that tests and the bench use directly.
#pragma once

#include <string>
#include <vector>

#include "tally/core/model.h"

namespace tally::reconcile {

// A value a misread cell could truly hold, with its cost (−log-likelihood, in nats, relative to
// the reading being right) and the kind of misread that explains it.
struct Candidate {
  core::Amount value;
  double cost = 0;
  std::string
      why;  // "digit 3→8", "digit lost", "swapped digits", "decimal point", "OCR alternative" …
};

// Candidates for a cell read as `read` with OCR `confidence`: one digit confused with another
// (similar shapes cheap), two adjacent digits swapped, a digit doubled/extra or lost, the decimal
// point lost or moved, and OCR's alternatives. Cheapest first; the reading itself is not included.
std::vector<Candidate> misread_candidates(const core::Amount& read,
                                          const std::vector<core::Alternative>& alternatives,
                                          double confidence, int table_decimals);

struct SearchLimits {
  int max_changes = 12;    // changes + rows declared broken on one path
  long max_nodes = 50000;  // then the best found so far is used, flagged as unproven
  int max_ms = 500;
  double max_cost = 60;  // nats
  // A row touched by a change that then holds only within rounding: printed tables hold exactly in
  // about 95 % of their identities (seed 000: 297 of 313), so an inexact row costs −ln 0.05 ≈ 3.
  double inexact = 3.0;
  int max_table_changes = 3;  // more changes than this and half of a table's numbers: flag instead
  double copy_gap =
      6.0;  // leaving two printings of one value one unit apart (≈1 in 400 such identities)
  double foreign_slack = 1.5;    // per-table pass: an identity into another table left broken
  bool glpk_crosscheck = false;  // also solve each search as a 0/1 program with GLPK (bench only)
  int glpk_ms = 5000;
  double ambiguity = 2.0;  // nats: a runner-up closer than this makes its differing cells flagged
};

struct SearchStats {
  long nodes = 0;
  int solutions = 0;
  bool exhausted = false;  // node or time limit reached: the result is the best found, not proven
  double best_cost = 0, runner_up_cost = 0;
  double ms = 0;
  // GLPK cross-check (SearchLimits::glpk_crosscheck): the same candidates, rows and costs as a 0/1
  // program; objective values are both in the program's terms (inexact cost on every row).
  bool glpk_ran = false, glpk_optimal = false, glpk_same = false;
  double glpk_ms = 0, glpk_cost = 0, bnb_cost = 0;
  int glpk_binaries = 0;
};

// Limits for the searches of repair_misreads on this thread (defaults otherwise).
void set_search_limits(const SearchLimits& limits);

// Statistics of the last repair_misreads call on this thread (for the bench).
const std::vector<SearchStats>& last_search_stats();

}  // namespace tally::reconcile
