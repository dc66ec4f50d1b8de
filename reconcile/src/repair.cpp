// repair_misreads: placeholder finalisation (value = read) until the search lands.
#include "internal.h"
#include "tally/reconcile/reconcile.h"

namespace tally::reconcile {

void repair_misreads(core::Document& document, const Options&) {
  for (core::Table& table : document.tables)
    for (core::Cell& cell : table.cells)
      if (cell.read) cell.value = cell.read;
  for (core::Check& c : document.checks) detail::evaluate(document, c, true);
}

}  // namespace tally::reconcile
