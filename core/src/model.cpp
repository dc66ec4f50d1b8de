#include "tally/core/model.h"

#include "tally/core/error.h"

namespace tally::core {

const char* to_string(TextSource source) {
  switch (source) {
    case TextSource::TextLayer: return "text_layer";
    case TextSource::Ocr: return "ocr";
    case TextSource::None: return "none";
  }
  return "none";
}

const char* to_string(CellStatus status) {
  switch (status) {
    case CellStatus::Ok: return "ok";
    case CellStatus::Repaired: return "repaired";
    case CellStatus::Flagged: return "flagged";
  }
  return "ok";
}

const char* to_string(ColumnRole role) {
  switch (role) {
    case ColumnRole::Unknown: return "unknown";
    case ColumnRole::Code: return "code";
    case ColumnRole::ClassCode: return "class_code";
    case ColumnRole::SectionCode: return "section_code";
    case ColumnRole::ItemCode: return "item_code";
    case ColumnRole::Label: return "label";
    case ColumnRole::Amount: return "amount";
    case ColumnRole::Text: return "text";
    case ColumnRole::Marker: return "marker";
  }
  return "unknown";
}

const char* to_string(RowRole role) {
  switch (role) {
    case RowRole::Unknown: return "unknown";
    case RowRole::Header: return "header";
    case RowRole::Numbering: return "numbering";
    case RowRole::Total: return "total";
    case RowRole::Class: return "class";
    case RowRole::Section: return "section";
    case RowRole::Item: return "item";
    case RowRole::Detail: return "detail";
    case RowRole::Note: return "note";
  }
  return "unknown";
}

const char* to_string(CheckStatus status) {
  switch (status) {
    case CheckStatus::Held: return "held";
    case CheckStatus::HeldRounding: return "held_rounding";
    case CheckStatus::HeldAfterRepair: return "held_after_repair";
    case CheckStatus::Broken: return "broken";
  }
  return "held";
}

const char* to_string(Severity severity) {
  switch (severity) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "warning";
}

const char* to_string(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::Unknown: return "unknown";
    case DocumentKind::Budget: return "budget";
    case DocumentKind::FinalAccount: return "final_account";
  }
  return "unknown";
}

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::Usage: return "usage";
    case ErrorCode::NotFound: return "not_found";
    case ErrorCode::NotPdf: return "not_pdf";
    case ErrorCode::Damaged: return "damaged";
    case ErrorCode::Encrypted: return "encrypted";
    case ErrorCode::BadPassword: return "bad_password";
    case ErrorCode::NoPages: return "no_pages";
    case ErrorCode::PageTooLarge: return "page_too_large";
    case ErrorCode::TooLarge: return "too_large";
    case ErrorCode::Io: return "io";
    case ErrorCode::OutputUnwritable: return "output_unwritable";
    case ErrorCode::Internal: return "internal";
  }
  return "internal";
}

const Cell* Table::cell_at(int row, int col) const {
  for (const Cell& cell : cells)
    if (row >= cell.row && row < cell.row + cell.rowspan && col >= cell.col &&
        col < cell.col + cell.colspan)
      return &cell;
  return nullptr;
}

Cell* Table::cell_at(int row, int col) {
  return const_cast<Cell*>(static_cast<const Table*>(this)->cell_at(row, col));
}

std::vector<int> Table::grid_index() const {
  std::vector<int> index(static_cast<std::size_t>(n_rows) * static_cast<std::size_t>(n_cols), -1);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    const Cell& cell = cells[i];
    for (int r = cell.row; r < cell.row + cell.rowspan && r < n_rows; ++r)
      for (int c = cell.col; c < cell.col + cell.colspan && c < n_cols; ++c)
        if (r >= 0 && c >= 0) index[static_cast<std::size_t>(r * n_cols + c)] = static_cast<int>(i);
  }
  return index;
}

void Document::warn(int page, std::string code, std::string message) {
  diagnostics.push_back({Severity::Warning, std::move(code), page, std::move(message)});
}

void Document::note(int page, std::string code, std::string message) {
  diagnostics.push_back({Severity::Info, std::move(code), page, std::move(message)});
}

}  // namespace tally::core
