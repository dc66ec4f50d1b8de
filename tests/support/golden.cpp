#include "golden.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace tally::test_support {

using nlohmann::json;

// `producer` (Tally's commit, library versions) is left out on purpose: it changes with every
// commit and says nothing about what was read.
json golden_projection(const json& output) {
  json tables = json::array();
  for (const json& t : output["tables"]) {
    json cells = json::array();
    for (const json& c : t["cells"]) {
      json cell = {{"row", c["row"]}, {"col", c["col"]}, {"text", c["text"]}, {"page", c["page"]}};
      if (c["rowspan"] != 1) cell["rowspan"] = c["rowspan"];
      if (c["colspan"] != 1) cell["colspan"] = c["colspan"];
      if (c.contains("read")) cell["read"] = c["read"];
      cells.push_back(cell);
    }
    tables.push_back({{"number", t["number"]},
                      {"title", t["title"]},
                      {"department", t["department"]},
                      {"unit", t["unit"]},
                      {"pages", t["pages"]},
                      {"header_rows", t["header_rows"]},
                      {"n_rows", t["n_rows"]},
                      {"n_cols", t["n_cols"]},
                      {"notes", t["notes"]},
                      {"cells", cells}});
  }
  json pages = json::array();
  for (const json& p : output["pages"])
    pages.push_back({{"number", p["number"]}, {"text_source", p["text_source"]}});
  return {{"document", output["document"]}, {"pages", pages}, {"tables", tables}};
}

namespace {

std::string first_difference(const json& expected, const json& actual) {
  if (expected["document"] != actual["document"])
    return "document metadata differs: expected " + expected["document"].dump() + ", got " +
           actual["document"].dump();
  if (expected["pages"] != actual["pages"])
    return "page verdicts differ: expected " + expected["pages"].dump() + ", got " +
           actual["pages"].dump();
  const json& et = expected["tables"];
  const json& at = actual["tables"];
  for (std::size_t i = 0; i < std::max(et.size(), at.size()); ++i) {
    if (i >= et.size())
      return "an extra table " + std::to_string(i) + ": " + at[i]["title"].get<std::string>();
    if (i >= at.size())
      return "table " + std::to_string(i) + " (" + et[i]["title"].get<std::string>() +
             ") is missing";
    for (const char* key : {"number", "title", "department", "unit", "pages", "header_rows",
                            "n_rows", "n_cols", "notes"})
      if (et[i][key] != at[i][key])
        return "table " + std::to_string(i) + ": " + key + " expected " + et[i][key].dump() +
               ", got " + at[i][key].dump();
    const json& ec = et[i]["cells"];
    const json& ac = at[i]["cells"];
    for (std::size_t k = 0; k < std::max(ec.size(), ac.size()); ++k) {
      if (k >= ec.size()) return "table " + std::to_string(i) + ": extra cell " + ac[k].dump();
      if (k >= ac.size()) return "table " + std::to_string(i) + ": missing cell " + ec[k].dump();
      if (ec[k] != ac[k])
        return "table " + std::to_string(i) + ": expected cell " + ec[k].dump() + ", got " +
               ac[k].dump();
    }
  }
  return expected == actual ? "" : "outputs differ";
}

}  // namespace

std::string compare_with_golden(const std::string& name, const json& actual) {
  const std::filesystem::path path =
      std::filesystem::path(TALLY_SOURCE_DIR) / "tests" / "expected" / (name + ".json");
  const char* update = std::getenv("TALLY_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << actual.dump(1) << "\n";
    return {};
  }
  std::ifstream in(path);
  if (!in)
    return "no expected file " + path.string() + " (run with TALLY_UPDATE_GOLDEN=1 and review it)";
  return first_difference(json::parse(in), actual);
}

}  // namespace tally::test_support
