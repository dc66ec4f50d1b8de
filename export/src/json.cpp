#include <cmath>
#include <nlohmann/json.hpp>

#include "tally/export/export.h"

namespace tally::exports {

namespace {

using nlohmann::json;

double rounded(double value) {
  return std::round(value * 100.0) / 100.0;
}

json box_json(const core::Box& box) {
  return json::array({rounded(box.x0), rounded(box.y0), rounded(box.x1), rounded(box.y1)});
}

json amount_json(const std::optional<core::Amount>& amount) {
  return amount ? json(amount->to_string()) : json(nullptr);
}

json cell_json(const core::Cell& cell) {
  json out = {{"row", cell.row},
              {"col", cell.col},
              {"rowspan", cell.rowspan},
              {"colspan", cell.colspan},
              {"text", cell.text},
              {"page", cell.page},
              {"bbox", box_json(cell.box)},
              {"confidence", rounded(cell.confidence)},
              {"source", core::to_string(cell.source)}};
  if (cell.read || cell.value) {
    out["read"] = amount_json(cell.read);
    out["value"] = amount_json(cell.value ? cell.value : cell.read);
    out["status"] = core::to_string(cell.status);
  }
  if (!cell.alternatives.empty()) {
    json alternatives = json::array();
    for (const core::Alternative& a : cell.alternatives)
      alternatives.push_back({{"text", a.text}, {"confidence", rounded(a.confidence)}});
    out["alternatives"] = alternatives;
  }
  if (!cell.status_checks.empty()) out["checks"] = cell.status_checks;
  if (!cell.status_note.empty()) out["note"] = cell.status_note;
  return out;
}

json table_json(const core::Table& table) {
  json cells = json::array();
  for (const core::Cell& cell : table.cells) cells.push_back(cell_json(cell));
  json regions = json::array();
  for (const core::TableRegion& r : table.regions)
    regions.push_back({{"page", r.page},
                       {"bbox", box_json(r.box)},
                       {"first_row", r.first_row},
                       {"last_row", r.last_row}});
  json columns = json::array();
  for (std::size_t c = 0; c < table.columns.size(); ++c)
    columns.push_back({{"col", c},
                       {"role", core::to_string(table.columns[c].role)},
                       {"header_path", table.columns[c].header_path}});
  json rows = json::array();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const core::RowInfo& info = table.rows[r];
    json row = {{"row", r},
                {"role", core::to_string(info.role)},
                {"label", info.label},
                {"parent_row", info.parent_row}};
    if (info.code) {
      row["code"] = info.code->joined();
      row["class"] = info.code->class_code;
      row["section"] = info.code->section_code;
      row["item"] = info.code->item_code;
    } else {
      row["code"] = nullptr;
    }
    rows.push_back(row);
  }
  return {{"id", table.id},
          {"number", table.number ? json(*table.number) : json(nullptr)},
          {"title", table.title},
          {"department", table.department},
          {"unit", table.unit},
          {"kind", table.kind},
          {"pages", table.pages},
          {"regions", regions},
          {"header_rows", table.header_rows},
          {"n_rows", table.n_rows},
          {"n_cols", table.n_cols},
          {"notes", table.notes},
          {"columns", columns},
          {"rows", rows},
          {"cells", cells}};
}

json check_json(const core::Check& check) {
  json terms = json::array();
  for (const core::Term& t : check.terms)
    terms.push_back({{"table", t.cell.table},
                     {"row", t.cell.row},
                     {"col", t.cell.col},
                     {"coefficient", t.coefficient}});
  json out = {{"id", check.id},
              {"kind", check.kind},
              {"origin", check.origin},
              {"description", check.description},
              {"status", core::to_string(check.status)},
              {"residual", core::Amount{check.residual, check.decimals}.to_string()},
              {"tolerance", core::Amount{check.tolerance, check.decimals}.to_string()},
              {"terms", terms}};
  // Narrative findings quote their sentence; identities have none and keep their old shape.
  if (!check.sentence.empty()) out["sentence"] = check.sentence;
  if (check.page) out["page"] = check.page;
  if (!check.stated.empty()) out["stated"] = check.stated;
  if (!check.expected.empty()) out["expected"] = check.expected;
  return out;
}

}  // namespace

std::string json_of(const core::Document& document) {
  json pages = json::array();
  for (const core::Page& page : document.pages)
    pages.push_back({{"number", page.number},
                     {"width", rounded(page.width)},
                     {"height", rounded(page.height)},
                     {"text_source", core::to_string(page.text_source)},
                     {"text_source_reasons", page.text_source_reasons},
                     {"skew_degrees", rounded(page.skew_degrees)},
                     {"orientation_degrees", page.orientation_degrees},
                     {"rulings", page.rulings.size()},
                     {"words", page.words.size()}});
  json tables = json::array();
  for (const core::Table& table : document.tables) tables.push_back(table_json(table));
  json checks = json::array();
  for (const core::Check& check : document.checks) checks.push_back(check_json(check));
  json diagnostics = json::array();
  for (const core::Diagnostic& d : document.diagnostics)
    diagnostics.push_back({{"severity", core::to_string(d.severity)},
                           {"code", d.code},
                           {"page", d.page},
                           {"message", d.message}});
  const core::Metadata& meta = document.metadata;
  json out = {{"schema_version", 1},
              {"source",
               {{"file", document.source.file},
                {"sha256", document.source.sha256},
                {"bytes", document.source.bytes},
                {"page_count", document.source.page_count}}},
              {"document",
               {{"department", meta.department},
                {"year", meta.year ? json(*meta.year) : json(nullptr)},
                {"kind", core::to_string(meta.kind)},
                {"unit", meta.unit}}},
              {"pages", pages},
              {"tables", tables},
              {"checks", checks},
              {"diagnostics", diagnostics}};
  const core::Producer& producer = document.producer;
  if (!producer.tally.empty())
    out["producer"] = {{"tally", producer.tally},
                       {"poppler", producer.poppler},
                       {"tesseract", producer.tesseract},
                       {"options", producer.options}};
  // Invalid UTF-8 from a broken text layer is replaced, never thrown: one bad page must not lose
  // the document's output.
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace tally::exports
