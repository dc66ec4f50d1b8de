#include "inputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tally/core/amount.h"
#include "tally/core/error.h"

namespace tally::score::detail {
namespace {

using nlohmann::json;
using core::Error;
using core::ErrorCode;

json parse_json(std::string_view text, const std::string& name) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    throw Error(ErrorCode::Damaged, name + ": not valid JSON: " + e.what());
  }
}

[[noreturn]] void fail(const std::string& name, const std::string& what) {
  throw Error(ErrorCode::Damaged, name + ": " + what);
}

std::string string_or_empty(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

int int_or(const json& object, const char* key, int fallback) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return fallback;
  return it->get<int>();
}

std::optional<int> optional_int(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int>();
}

core::ColumnRole role_from_name(const std::string& name) {
  if (name == "code") return core::ColumnRole::Code;
  if (name == "class") return core::ColumnRole::ClassCode;
  if (name == "section") return core::ColumnRole::SectionCode;
  if (name == "item") return core::ColumnRole::ItemCode;
  if (name == "label") return core::ColumnRole::Label;
  if (name == "amount") return core::ColumnRole::Amount;
  if (name == "text") return core::ColumnRole::Text;
  if (name == "marker") return core::ColumnRole::Marker;
  return core::ColumnRole::Unknown;
}

core::Table truth_table(const json& t, const std::string& where) {
  core::Table table;
  table.number = optional_int(t, "number");
  table.title = string_or_empty(t, "title");
  table.department = string_or_empty(t, "department");
  table.unit = string_or_empty(t, "unit");
  table.n_cols = int_or(t, "n_cols", 0);
  table.header_rows = int_or(t, "header_rows", 0);
  if (table.n_cols <= 0) fail(where, "n_cols missing or not positive");

  const json& roles = t.value("column_roles", json::array());
  if (!roles.is_array() || static_cast<int>(roles.size()) != table.n_cols)
    fail(where, "column_roles must have n_cols entries");
  for (const json& role : roles) table.columns.push_back({role_from_name(role.get<std::string>()), {}});

  for (const json& h : t.value("header", json::array())) {
    core::Cell cell;
    cell.row = int_or(h, "row", 0);
    cell.col = int_or(h, "col", 0);
    cell.rowspan = int_or(h, "rowspan", 1);
    cell.colspan = int_or(h, "colspan", 1);
    cell.text = string_or_empty(h, "text");
    table.cells.push_back(std::move(cell));
  }
  const json& body = t.value("body", json::array());
  int row = table.header_rows;
  for (const json& cells : body) {
    if (!cells.is_array() || static_cast<int>(cells.size()) != table.n_cols)
      fail(where, "body row " + std::to_string(row - table.header_rows) + " must have n_cols strings");
    for (int col = 0; col < table.n_cols; ++col) {
      core::Cell cell;
      cell.row = row;
      cell.col = col;
      cell.text = cells[static_cast<std::size_t>(col)].get<std::string>();
      if (table.columns[static_cast<std::size_t>(col)].role == core::ColumnRole::Amount) {
        cell.value = core::amount_from_text(cell.text);
        cell.read = cell.value;
      }
      table.cells.push_back(std::move(cell));
    }
    ++row;
  }
  table.n_rows = row;
  return table;
}

std::pair<std::optional<core::Amount>, FieldState> amount_field(const json& cell, const char* key) {
  const auto it = cell.find(key);
  if (it == cell.end() || it->is_null()) return {std::nullopt, FieldState::Absent};
  const std::string text = it->is_string() ? it->get<std::string>() : it->dump();
  auto amount = core::amount_from_text(text);
  return {amount, amount ? FieldState::Valid : FieldState::Invalid};
}

core::Box box_from(const json& bbox) {
  core::Box box;
  if (bbox.is_array() && bbox.size() == 4 && bbox[0].is_number()) {
    box = {bbox[0].get<double>(), bbox[1].get<double>(), bbox[2].get<double>(), bbox[3].get<double>()};
  }
  return box;
}

}  // namespace

TruthDocument truth_from_json(std::string_view text, const std::string& name) {
  const json doc = parse_json(text, name);
  if (!doc.is_object()) fail(name, "a truth file must be a JSON object");
  TruthDocument truth;
  truth.id = string_or_empty(doc, "id");
  if (truth.id.empty()) truth.id = std::filesystem::path(name).stem().string();
  const json& tables = doc.value("tables", json::array());
  for (std::size_t i = 0; i < tables.size(); ++i) {
    truth.tables.push_back(truth_table(tables[i], name + ": table " + std::to_string(i)));
    truth.tables.back().id = static_cast<int>(i);
  }
  return truth;
}

Prediction prediction_from_json(std::string_view text, const std::string& name) {
  const json doc = parse_json(text, name);
  if (!doc.is_object()) fail(name, "Tally's output must be a JSON object");
  Prediction prediction;
  for (const json& p : doc.value("pages", json::array())) {
    core::Page page;
    page.number = int_or(p, "number", 0);
    page.width = p.value("width", 0.0);
    page.height = p.value("height", 0.0);
    prediction.pages.push_back(std::move(page));
  }
  const json& tables = doc.value("tables", json::array());
  if (!tables.is_array()) fail(name, "`tables` must be an array");
  for (std::size_t i = 0; i < tables.size(); ++i) {
    const json& t = tables[i];
    PredictedTable predicted;
    core::Table& table = predicted.table;
    table.id = static_cast<int>(i);
    table.number = optional_int(t, "number");
    table.title = string_or_empty(t, "title");
    for (const json& page : t.value("pages", json::array()))
      if (page.is_number_integer()) table.pages.push_back(page.get<int>());
    table.header_rows = std::max(0, int_or(t, "header_rows", 0));
    table.n_rows = std::max(0, int_or(t, "n_rows", 0));
    table.n_cols = std::max(0, int_or(t, "n_cols", 0));
    for (const json& c : t.value("cells", json::array())) {
      core::Cell cell;
      cell.row = int_or(c, "row", -1);
      cell.col = int_or(c, "col", -1);
      cell.rowspan = std::max(1, int_or(c, "rowspan", 1));
      cell.colspan = std::max(1, int_or(c, "colspan", 1));
      if (cell.row < 0 || cell.col < 0) continue;  // not a grid cell; nothing to score
      cell.text = string_or_empty(c, "text");
      cell.page = int_or(c, "page", 0);
      cell.box = box_from(c.value("bbox", json()));
      auto [value, value_state] = amount_field(c, "value");
      auto [read, read_state] = amount_field(c, "read");
      cell.value = value;
      cell.read = read;
      // The grid is as large as its cells, whatever n_rows/n_cols claim.
      table.n_rows = std::max(table.n_rows, cell.row + cell.rowspan);
      table.n_cols = std::max(table.n_cols, cell.col + cell.colspan);
      table.cells.push_back(std::move(cell));
      predicted.value_state.push_back(value_state);
      predicted.read_state.push_back(read_state);
    }
    for (const json& r : t.value("regions", json::array())) {
      core::TableRegion region;
      region.page = int_or(r, "page", 0);
      region.box = box_from(r.value("bbox", json()));
      table.regions.push_back(region);
    }
    prediction.tables.push_back(std::move(predicted));
  }
  return prediction;
}

std::string read_text_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw Error(ErrorCode::NotFound, path + ": no such file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(ErrorCode::Io, path + ": cannot be read");
  return text.str();
}

}  // namespace tally::score::detail
