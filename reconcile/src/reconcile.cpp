#include "tally/reconcile/reconcile.h"

namespace tally::reconcile {

// Placeholder until the reconciler lands: every numeric cell keeps its reading.
void understand_tables(core::Document&, const Options&) {}
void check_identities(core::Document&, const Options&) {}

void repair_misreads(core::Document& document, const Options&) {
  for (core::Table& table : document.tables)
    for (core::Cell& cell : table.cells)
      if (cell.read) cell.value = cell.read;
}

}  // namespace tally::reconcile
