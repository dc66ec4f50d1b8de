#include "inputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "tally/core/amount.h"
#include "tally/core/error.h"
#include "tally/fixtures/truth.h"

namespace tally::score::detail {
namespace {

using core::Error;
using core::ErrorCode;
using nlohmann::json;

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
    box = {bbox[0].get<double>(), bbox[1].get<double>(), bbox[2].get<double>(),
           bbox[3].get<double>()};
  }
  return box;
}

}  // namespace

TruthDocument truth_from_json(std::string_view text, const std::string& name) {
  // The fixtures library reads and validates the file and builds what a perfect extraction gives.
  const fixtures::TruthDocument truth = fixtures::truth_from_json(text, name);
  TruthDocument document;
  document.id = truth.id.empty() ? std::filesystem::path(name).stem().string() : truth.id;
  document.tables = fixtures::truth_to_document(truth).tables;
  return document;
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
  // "OCR read 'X', corrected to 'Y' from the code list …" (ocr/src/dictionary.cpp).
  static const std::regex kCorrection("^OCR read '(.*)', corrected to '(.*)' from ");
  for (const json& d : doc.value("diagnostics", json::array())) {
    std::smatch m;
    const std::string message = string_or_empty(d, "message");
    if (string_or_empty(d, "code") == "label_corrected" &&
        std::regex_search(message, m, kCorrection))
      prediction.label_corrections.push_back({int_or(d, "page", 0), m[1], m[2]});
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
