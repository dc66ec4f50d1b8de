#include "corpus_rows.h"

#include <map>

namespace tally::exports::detail {

namespace {

double to_double(const core::Amount& amount) {
  double scale = 1;
  for (int i = 0; i < amount.decimals; ++i) scale *= 10;
  return static_cast<double>(amount.units) / scale;
}

std::string check_status_text(core::CheckStatus status) {
  switch (status) {
    case core::CheckStatus::Held: return "held";
    case core::CheckStatus::HeldRounding: return "held_rounding";
    case core::CheckStatus::HeldAfterRepair: return "held_after_repair";
    case core::CheckStatus::Broken: return "broken";
  }
  return "unknown";
}

std::string kind_text(core::DocumentKind kind) {
  switch (kind) {
    case core::DocumentKind::Budget: return "budget";
    case core::DocumentKind::FinalAccount: return "final_account";
    case core::DocumentKind::Unknown: break;
  }
  return "unknown";
}

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

Value integer(std::int64_t n) {
  return n;
}
template <typename T>
Value optional(const std::optional<T>& v) {
  if (!v) return std::monostate{};
  if constexpr (std::is_integral_v<T>)
    return static_cast<std::int64_t>(*v);
  else
    return Value(*v);
}

}  // namespace

void write_document_rows(const core::Document& document, const std::string& path, RowSink& sink) {
  int held = 0, repaired = 0, broken = 0, cells_repaired = 0, cells_flagged = 0;
  for (const core::Check& check : document.checks) {
    held +=
        check.status == core::CheckStatus::Held || check.status == core::CheckStatus::HeldRounding;
    repaired += check.status == core::CheckStatus::HeldAfterRepair;
    broken += check.status == core::CheckStatus::Broken;
  }
  for (const core::Table& table : document.tables)
    for (const core::Cell& cell : table.cells) {
      cells_repaired += cell.status == core::CellStatus::Repaired;
      cells_flagged += cell.status == core::CellStatus::Flagged;
    }
  const core::Metadata& m = document.metadata;
  const core::Producer& p = document.producer;
  const std::int64_t document_id = sink.insert(
      "documents", {{"path", path},
                    {"file", document.source.file},
                    {"sha256", document.source.sha256},
                    {"bytes", integer(document.source.bytes)},
                    {"page_count", integer(document.source.page_count)},
                    {"department", m.department},
                    {"year", optional(m.year)},
                    {"kind", kind_text(m.kind)},
                    {"unit", m.unit},
                    {"n_tables", integer(static_cast<std::int64_t>(document.tables.size()))},
                    {"checks_held", integer(held)},
                    {"checks_repaired", integer(repaired)},
                    {"checks_broken", integer(broken)},
                    {"cells_repaired", integer(cells_repaired)},
                    {"cells_flagged", integer(cells_flagged)},
                    {kProducerColumns[0], p.tally},
                    {kProducerColumns[1], p.poppler},
                    {kProducerColumns[2], p.tesseract},
                    {kProducerColumns[3], p.options}});

  std::map<int, std::int64_t> table_ids;
  for (const core::Table& table : document.tables) {
    const std::int64_t table_id = sink.insert(
        "tables", {{"document_id", document_id},
                   {"table_index", integer(table.id)},
                   {"number", optional(table.number)},
                   {"title", table.title},
                   {"kind", table.kind},
                   {"department", table.department},
                   {"unit", table.unit},
                   {"first_page", integer(table.pages.empty() ? 0 : table.pages.front())},
                   {"last_page", integer(table.pages.empty() ? 0 : table.pages.back())},
                   {"n_rows", integer(table.n_rows)},
                   {"n_cols", integer(table.n_cols)},
                   {"header_rows", integer(table.header_rows)}});
    table_ids[table.id] = table_id;
    // One row per position: a later cell at the same (row, col) replaces an earlier one.
    std::map<std::pair<int, int>, const core::Cell*> cells;
    for (const core::Cell& cell : table.cells) cells[{cell.row, cell.col}] = &cell;
    for (const auto& [position, cell_pointer] : cells) {
      const core::Cell& cell = *cell_pointer;
      const auto& amount = cell.value ? cell.value : cell.read;
      Value row_code, row_label, row_role, header_path, column_role;
      if (cell.row >= 0 && static_cast<std::size_t>(cell.row) < table.rows.size()) {
        const core::RowInfo& row = table.rows[static_cast<std::size_t>(cell.row)];
        if (row.code) row_code = row.code->joined();
        row_label = row.label;
        row_role = lower(core::to_string(row.role));
      }
      if (cell.col >= 0 && static_cast<std::size_t>(cell.col) < table.columns.size()) {
        const core::ColumnInfo& column = table.columns[static_cast<std::size_t>(cell.col)];
        header_path = column.header_path;
        column_role = lower(core::to_string(column.role));
      }
      sink.insert("cells", {{"table_id", table_id},
                            {"row", integer(cell.row)},
                            {"col", integer(cell.col)},
                            {"rowspan", integer(cell.rowspan)},
                            {"colspan", integer(cell.colspan)},
                            {"is_header", integer(cell.row < table.header_rows ? 1 : 0)},
                            {"page", integer(cell.page)},
                            {"text", cell.text},
                            {"read", cell.read ? Value(cell.read->to_string()) : Value()},
                            {"value", amount ? Value(amount->to_string()) : Value()},
                            {"amount", amount ? Value(to_double(*amount)) : Value()},
                            {"status", lower(core::to_string(cell.status))},
                            {"status_note", cell.status_note},
                            {"row_code", row_code},
                            {"row_label", row_label},
                            {"row_role", row_role},
                            {"header_path", header_path},
                            {"column_role", column_role}});
    }
  }

  for (const core::Check& check : document.checks) {
    const std::int64_t check_id = sink.insert(
        "checks", {{"document_id", document_id},
                   {"check_id", check.id},
                   {"kind", check.kind},
                   {"origin", check.origin},
                   {"description", check.description},
                   {"status", check_status_text(check.status)},
                   {"residual", core::Amount{check.residual, check.decimals}.to_string()},
                   {"tolerance", core::Amount{check.tolerance, check.decimals}.to_string()}});
    for (const core::Term& term : check.terms) {
      const auto it = table_ids.find(term.cell.table);
      sink.insert("check_terms",
                  {{"check_id", check_id},
                   {"table_id", it == table_ids.end() ? std::int64_t{-1} : it->second},
                   {"row", integer(term.cell.row)},
                   {"col", integer(term.cell.col)},
                   {"coefficient", integer(term.coefficient)}});
    }
  }
}

}  // namespace tally::exports::detail
