#include <map>

#include "tally/export/export.h"

namespace tally::exports {

namespace {

std::string quoted(const std::string& field) {
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string csv_file_name(const core::Document& document, const core::Table& table) {
  if (table.number) {
    int same = 0;
    for (const core::Table& other : document.tables) same += other.number == table.number;
    if (same == 1) {
      const std::string n = std::to_string(*table.number);
      return "table-" + std::string(n.size() < 2 ? 2 - n.size() : 0, '0') + n + ".csv";
    }
  }
  const std::string n = std::to_string(table.id + 1);
  return "table-id" + std::string(n.size() < 2 ? 2 - n.size() : 0, '0') + n + ".csv";
}

std::string csv_of(const core::Table& table, const CsvOptions& options) {
  std::map<std::pair<int, int>, const core::Cell*> at;
  for (const core::Cell& cell : table.cells) at[{cell.row, cell.col}] = &cell;
  const std::string eol = options.excel ? "\r\n" : "\n";
  std::string out = options.excel ? "\xEF\xBB\xBF" : "";
  for (int r = 0; r < table.n_rows; ++r) {
    for (int c = 0; c < table.n_cols; ++c) {
      if (c) out += ',';
      const auto it = at.find({r, c});
      if (it == at.end()) continue;
      const core::Cell& cell = *it->second;
      const auto& amount = cell.value ? cell.value : cell.read;
      out += quoted(amount ? amount->to_string() : cell.text);
    }
    out += eol;
  }
  return out;
}

}  // namespace tally::exports
