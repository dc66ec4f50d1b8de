// The corpus review: per-document figures of a read Document (see review.h).
#include "tally/app/review.h"

#include <cstdio>
#include <set>
#include <tuple>

namespace tally::app {

namespace {

std::string decimal(std::int64_t units, int decimals) {
  const bool negative = units < 0;
  std::string digits = std::to_string(negative ? -units : units);
  if (decimals > 0) {
    while (static_cast<int>(digits.size()) <= decimals) digits.insert(0, "0");
    digits.insert(digits.size() - static_cast<std::size_t>(decimals), ".");
  }
  return (negative ? "-" : "") + digits;
}

std::string percent(int part, int whole) {
  if (!whole) return "-";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * part / whole);
  return buffer;
}

}  // namespace

DocumentReview review_document(const core::Document& document, const std::string& name) {
  DocumentReview review;
  review.name = name;
  review.tables = static_cast<int>(document.tables.size());
  for (const core::Table& table : document.tables) ++review.kinds[table.kind];
  std::set<std::tuple<int, int, int>> covered;
  for (const core::Check& check : document.checks) {
    // The disclosure audit's statements are findings about the text, not identities of the tables.
    if (check.origin == "narrative") {
      if (check.status != core::CheckStatus::Broken) continue;
      ++review.findings;
      review.finding_notes.push_back("p" + std::to_string(check.page) + " " + check.description +
                                     ": says " + check.stated + ", the tables say " +
                                     check.expected);
      continue;
    }
    switch (check.status) {
      case core::CheckStatus::Held: ++review.held; break;
      case core::CheckStatus::HeldRounding: ++review.held_rounding; break;
      case core::CheckStatus::HeldAfterRepair: ++review.repaired; break;
      case core::CheckStatus::Broken: ++review.broken; break;
    }
    for (const core::Term& term : check.terms)
      covered.emplace(term.cell.table, term.cell.row, term.cell.col);
    if (check.status != core::CheckStatus::Broken) continue;
    int page = 0;
    if (!check.terms.empty()) {
      const core::Table& table =
          document.tables[static_cast<std::size_t>(check.terms.front().cell.table)];
      if (const core::Cell* cell =
              table.cell_at(check.terms.front().cell.row, check.terms.front().cell.col))
        page = cell->page;
    }
    review.broken_checks.push_back("p" + std::to_string(page) + " " + check.description +
                                   ": residual " + decimal(check.residual, check.decimals) +
                                   " (tolerance " + decimal(check.tolerance, check.decimals) + ")");
  }
  for (const core::Table& table : document.tables)
    for (const core::Cell& cell : table.cells) {
      if (cell.row < table.header_rows || !cell.read) continue;
      ++review.amount_cells;
      review.covered_cells += covered.count({table.id, cell.row, cell.col}) > 0;
    }
  for (const core::Diagnostic& d : document.diagnostics) {
    const std::string where = d.page ? "p" + std::to_string(d.page) + " " : "";
    if (d.code == "layout_uncertain") {
      ++review.uncertain;
      review.uncertain_notes.push_back(where + d.message);
    } else if (d.code == "identity_not_checked") {
      ++review.not_checked;
      review.not_checked_notes.push_back(where + d.message);
    }
  }
  return review;
}

std::vector<std::string> review_lines(const DocumentReview& review, std::size_t max_listed) {
  std::vector<std::string> lines;
  if (!review.error.empty()) {
    lines.push_back(review.name + ": not read: " + review.error);
    return lines;
  }
  lines.push_back(review.name + ": " + std::to_string(review.tables) + " tables; checks " +
                  std::to_string(review.held) + " held, " + std::to_string(review.held_rounding) +
                  " held (rounding), " + std::to_string(review.repaired) + " repaired, " +
                  std::to_string(review.broken) + " broken; " + std::to_string(review.uncertain) +
                  " layout_uncertain; " + std::to_string(review.findings) +
                  " findings; amount cells covered " + std::to_string(review.covered_cells) + "/" +
                  std::to_string(review.amount_cells) + " (" +
                  percent(review.covered_cells, review.amount_cells) + "); " +
                  std::to_string(review.not_checked) + " identities not checked");
  std::string kinds = "  kinds:";
  for (const auto& [kind, n] : review.kinds)
    kinds += " " + (kind.empty() ? std::string("(none)") : kind) +
             (n > 1 ? "×" + std::to_string(n) : "");
  lines.push_back(kinds);
  const auto list = [&](const std::vector<std::string>& items, const std::string& tag) {
    for (std::size_t i = 0; i < items.size() && i < max_listed; ++i)
      lines.push_back("  " + tag + " " + items[i]);
    if (items.size() > max_listed)
      lines.push_back("  " + tag + " … " + std::to_string(items.size() - max_listed) + " more");
  };
  list(review.broken_checks, "broken:");
  list(review.uncertain_notes, "doubt:");
  list(review.finding_notes, "finding:");
  list(review.not_checked_notes, "unchecked:");
  return lines;
}

std::string review_totals(const std::vector<DocumentReview>& reviews) {
  int documents = 0, failed = 0, tables = 0, held = 0, broken = 0, uncertain = 0, amount = 0,
      covered = 0, with_broken = 0, findings = 0, not_checked = 0;
  for (const DocumentReview& r : reviews) {
    ++documents;
    if (!r.error.empty()) {
      ++failed;
      continue;
    }
    tables += r.tables;
    held += r.held + r.held_rounding + r.repaired;
    broken += r.broken;
    with_broken += r.broken > 0;
    uncertain += r.uncertain;
    findings += r.findings;
    amount += r.amount_cells;
    covered += r.covered_cells;
    not_checked += r.not_checked;
  }
  return std::to_string(documents) + " documents (" + std::to_string(failed) + " not read); " +
         std::to_string(tables) + " tables; checks " + std::to_string(held) + " held, " +
         std::to_string(broken) + " broken in " + std::to_string(with_broken) + " documents; " +
         std::to_string(uncertain) + " layout_uncertain; " + std::to_string(findings) +
         " findings; amount cells covered " + std::to_string(covered) + "/" +
         std::to_string(amount) + " (" + percent(covered, amount) + "); " +
         std::to_string(not_checked) + " identities not checked";
}

}  // namespace tally::app
