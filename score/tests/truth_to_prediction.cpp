#include "truth_to_prediction.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "tally/core/amount.h"

namespace tally::score::test_support {

using nlohmann::json;

namespace {

json body_cell(int row, int col, const std::string& text, bool amount, int page) {
  json cell = {{"row", row},   {"col", col},   {"rowspan", 1},         {"colspan", 1},
               {"text", text}, {"page", page}, {"bbox", {0, 0, 0, 0}}, {"confidence", 1.0}};
  if (amount) {
    if (auto parsed = core::amount_from_text(text)) {
      cell["value"] = parsed->to_string();
      cell["read"] = parsed->to_string();
      cell["status"] = "ok";
    }
  }
  return cell;
}

json& table_at(json& prediction, const json& op) {
  return prediction["tables"].at(op.at("table").get<std::size_t>());
}

// The cell whose top-left is (row, col).
json& cell_at(json& table, int row, int col) {
  for (json& cell : table["cells"])
    if (cell["row"] == row && cell["col"] == col) return cell;
  throw std::invalid_argument("no cell at " + std::to_string(row) + "," + std::to_string(col));
}

bool is_amount_column(const json& table, int col) {
  // Amount columns are those where some body cell carries a value.
  const int header_rows = table["header_rows"];
  for (const json& cell : table["cells"])
    if (cell["col"] == col && cell["row"].get<int>() >= header_rows && cell.contains("value"))
      return true;
  return false;
}

void shift_rows(json& table, int from_row, int by) {
  for (json& cell : table["cells"])
    if (cell["row"].get<int>() >= from_row) cell["row"] = cell["row"].get<int>() + by;
  table["n_rows"] = table["n_rows"].get<int>() + by;
}

}  // namespace

json prediction_from_truth(const json& truth) {
  json prediction = {
      {"schema_version", 1},
      {"source", {{"file", truth.value("id", "doc") + ".pdf"}, {"sha256", ""}, {"page_count", 0}}},
      {"document", truth.value("document", json::object())},
      {"pages", json::array()},
      {"tables", json::array()},
      {"checks", json::array()}};
  int page = 0;
  for (const json& t : truth.at("tables")) {
    ++page;
    prediction["pages"].push_back(
        {{"number", page}, {"text_source", "text_layer"}, {"width", 842}, {"height", 595}});
    const int header_rows = t.at("header_rows");
    const int n_cols = t.at("n_cols");
    json table = {{"number", t.at("number")},
                  {"title", t.at("title")},
                  {"pages", {page}},
                  {"header_rows", header_rows},
                  {"n_rows", header_rows + static_cast<int>(t.at("body").size())},
                  {"n_cols", n_cols},
                  {"cells", json::array()}};
    for (const json& h : t.at("header"))
      table["cells"].push_back({{"row", h.at("row")},
                                {"col", h.at("col")},
                                {"rowspan", h.value("rowspan", 1)},
                                {"colspan", h.value("colspan", 1)},
                                {"text", h.at("text")},
                                {"page", page},
                                {"bbox", {0, 0, 0, 0}},
                                {"confidence", 1.0}});
    int row = header_rows;
    for (const json& cells : t.at("body")) {
      for (int col = 0; col < n_cols; ++col)
        table["cells"].push_back(
            body_cell(row, col, cells.at(static_cast<std::size_t>(col)),
                      t.at("column_roles").at(static_cast<std::size_t>(col)) == "amount", page));
      ++row;
    }
    prediction["tables"].push_back(table);
  }
  prediction["source"]["page_count"] = page;
  return prediction;
}

void apply_damage(json& prediction, const json& op) {
  const std::string name = op.at("op");
  if (name == "set_cell") {
    json& cell = cell_at(table_at(prediction, op), op.at("row"), op.at("col"));
    for (const char* field : {"text", "value", "read"})
      if (op.contains(field)) cell[field] = op[field];
  } else if (name == "remove_fields") {
    for (json& table : prediction["tables"])
      for (json& cell : table["cells"])
        for (const json& field : op.at("fields")) cell.erase(field.get<std::string>());
  } else if (name == "remove_body_row") {
    json& table = table_at(prediction, op);
    const int row = table["header_rows"].get<int>() + op.at("body_row").get<int>();
    auto& cells = table["cells"];
    cells.erase(
        std::remove_if(cells.begin(), cells.end(), [&](const json& c) { return c["row"] == row; }),
        cells.end());
    shift_rows(table, row + 1, -1);
  } else if (name == "insert_body_row") {
    json& table = table_at(prediction, op);
    const int row = table["header_rows"].get<int>() + op.at("before").get<int>();
    std::vector<bool> amount;
    for (int col = 0; col < table["n_cols"].get<int>(); ++col)
      amount.push_back(is_amount_column(table, col));
    shift_rows(table, row, 1);
    const json& texts = op.at("cells");
    for (std::size_t col = 0; col < texts.size(); ++col)
      table["cells"].push_back(
          body_cell(row, static_cast<int>(col), texts[col], amount[col], table["pages"][0]));
  } else if (name == "remove_table") {
    prediction["tables"].erase(op.at("table").get<std::size_t>());
  } else if (name == "set_table") {
    json& table = table_at(prediction, op);
    for (const char* field : {"number", "title"})
      if (op.contains(field)) table[field] = op[field];
  } else if (name == "set_span") {
    json& cell = cell_at(table_at(prediction, op), op.at("row"), op.at("col"));
    for (const char* field : {"rowspan", "colspan"})
      if (op.contains(field)) cell[field] = op[field];
  } else if (name == "split_table") {
    const auto index = op.at("table").get<std::size_t>();
    json& table = prediction["tables"][index];
    const int row = table["header_rows"].get<int>() + op.at("body_row").get<int>();
    json second = {{"number", nullptr},
                   {"title", ""},
                   {"pages", table["pages"]},
                   {"header_rows", 0},
                   {"n_rows", table["n_rows"].get<int>() - row},
                   {"n_cols", table["n_cols"]},
                   {"cells", json::array()}};
    json kept = json::array();
    for (json& cell : table["cells"]) {
      if (cell["row"].get<int>() >= row) {
        cell["row"] = cell["row"].get<int>() - row;
        second["cells"].push_back(cell);
      } else {
        kept.push_back(cell);
      }
    }
    table["cells"] = kept;
    table["n_rows"] = row;
    prediction["tables"].insert(prediction["tables"].begin() + static_cast<long>(index) + 1,
                                second);
  } else if (name == "merge_into") {
    json& target = table_at(prediction, op);
    const auto from_index = op.at("from").get<std::size_t>();
    const json from = prediction["tables"][from_index];
    const int from_header = from["header_rows"];
    const int base = target["n_rows"];
    for (json cell : from["cells"]) {
      if (cell["row"].get<int>() < from_header) continue;
      cell["row"] = cell["row"].get<int>() - from_header + base;
      target["cells"].push_back(cell);
    }
    target["n_rows"] = base + from["n_rows"].get<int>() - from_header;
    prediction["tables"].erase(from_index);
  } else if (name == "join_columns") {
    json& table = table_at(prediction, op);
    const int first = op.at("first"), count = op.at("count");
    const int header_rows = table["header_rows"];
    auto map_col = [&](int col) {
      return col < first ? col : col < first + count ? first : col - (count - 1);
    };
    std::map<int, std::string> joined;  // body row -> concatenated text
    json cells = json::array();
    std::set<std::pair<int, int>> taken;
    for (const json& cell : table["cells"]) {
      const int row = cell["row"], col = cell["col"], span = cell.value("colspan", 1);
      if (row >= header_rows && col >= first && col < first + count) {
        joined[row] += cell["text"].get<std::string>();
        continue;
      }
      json moved = cell;
      moved["col"] = map_col(col);
      moved["colspan"] = map_col(col + span - 1) - map_col(col) + 1;
      if (!taken.insert({row, moved["col"].get<int>()}).second)
        continue;  // folded onto a kept cell
      cells.push_back(moved);
    }
    for (const auto& [row, text] : joined)
      cells.push_back(body_cell(row, first, text, false, table["pages"][0]));
    table["cells"] = cells;
    table["n_cols"] = table["n_cols"].get<int>() - (count - 1);
  } else if (name == "remove_column") {
    json& table = table_at(prediction, op);
    const int removed = op.at("col");
    json cells = json::array();
    for (json cell : table["cells"]) {
      const int col = cell["col"], span = cell.value("colspan", 1);
      if (col <= removed && removed < col + span) {
        if (span == 1) continue;
        cell["colspan"] = span - 1;
      } else if (col > removed) {
        cell["col"] = col - 1;
      }
      cells.push_back(cell);
    }
    table["cells"] = cells;
    table["n_cols"] = table["n_cols"].get<int>() - 1;
  } else {
    throw std::invalid_argument("unknown damage operation " + name);
  }
}

std::filesystem::path source_dir() {
  return TALLY_SOURCE_DIR;
}

std::filesystem::path shared_dir() {
  std::error_code ec;
  if (const char* env = std::getenv("TALLY_SHARED_DIR");
      env && std::filesystem::is_directory(env, ec))
    return env;
  for (const std::filesystem::path& candidate :
       {source_dir() / ".." / "shared", std::filesystem::path("/work/shared")})
    if (std::filesystem::is_directory(candidate, ec)) return candidate;
  return {};
}

json read_json(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path.string() + ": cannot be read");
  return json::parse(in);
}

}  // namespace tally::score::test_support
