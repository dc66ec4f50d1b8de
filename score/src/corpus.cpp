// The public corpus API: reading files, scoring directories, reports.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <tuple>

#include "document_score.h"
#include "inputs.h"
#include "report_text.h"
#include "tally/core/error.h"
#include "tally/core/files.h"
#include "tally/score/score.h"

namespace tally::score {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

// Every count with its JSON key, in report order; the one list both += and the JSON use.
template <typename F>
void for_each_count(Counts& c, F&& f) {
  f("tables_expected", c.tables_expected);
  f("tables_found", c.tables_found);
  f("tables_number_right", c.tables_number_right);
  f("tables_title_right", c.tables_title_right);
  f("tables_split", c.tables_split);
  f("tables_merged", c.tables_merged);
  f("tables_extra", c.tables_extra);
  f("values_expected", c.values_expected);
  f("values_exact", c.values_exact);
  f("reads_exact", c.reads_exact);
  f("empty_expected", c.empty_expected);
  f("false_values", c.false_values);
  f("extra_values", c.extra_values);
  f("value_fallbacks", c.value_fallbacks);
  f("label_chars", c.label_chars);
  f("label_errors", c.label_errors);
  f("label_corrections", c.label_corrections);
  f("corrections_right_to_wrong", c.corrections_right_to_wrong);
  f("corrections_wrong_to_right", c.corrections_wrong_to_right);
  f("codes_expected", c.codes_expected);
  f("codes_exact", c.codes_exact);
  f("false_codes", c.false_codes);
  f("tables_rows_right", c.tables_rows_right);
  f("tables_cols_right", c.tables_cols_right);
  f("tables_header_rows_right", c.tables_header_rows_right);
  f("body_rows_expected", c.body_rows_expected);
  f("body_rows_found", c.body_rows_found);
  f("extra_rows", c.extra_rows);
  f("rows_exact", c.rows_exact);
  f("spanned_cells_expected", c.spanned_cells_expected);
  f("spanned_cells_right", c.spanned_cells_right);
  f("header_cells_expected", c.header_cells_expected);
  f("header_cells_right", c.header_cells_right);
}

ordered_json rate_json(std::optional<double> rate) {
  return rate ? ordered_json(std::round(*rate * 1e6) / 1e6) : ordered_json(nullptr);
}

ordered_json counts_json(const Counts& counts) {
  Counts copy = counts;
  ordered_json out;
  ordered_json raw = ordered_json::object();
  for_each_count(copy, [&](const char* key, std::int64_t value) { raw[key] = value; });
  out["counts"] = raw;
  const Counts& c = counts;
  out["rates"] = {
      {"tables_found", rate_json(ratio(c.tables_found, c.tables_expected))},
      {"values_exact", rate_json(ratio(c.values_exact, c.values_expected))},
      {"reads_exact", rate_json(ratio(c.reads_exact, c.values_expected))},
      {"false_values", rate_json(ratio(c.false_values, c.empty_expected))},
      {"label_accuracy", rate_json(label_accuracy(c))},
      {"codes_exact", rate_json(ratio(c.codes_exact, c.codes_expected))},
      {"body_rows_found", rate_json(ratio(c.body_rows_found, c.body_rows_expected))},
      {"rows_exact", rate_json(ratio(c.rows_exact, c.body_rows_expected))},
      {"tables_rows_right", rate_json(ratio(c.tables_rows_right, c.tables_found))},
      {"tables_cols_right", rate_json(ratio(c.tables_cols_right, c.tables_found))},
      {"spanned_cells_right", rate_json(ratio(c.spanned_cells_right, c.spanned_cells_expected))},
      {"header_cells_right", rate_json(ratio(c.header_cells_right, c.header_cells_expected))},
  };
  return out;
}

using detail::fraction;
using detail::pad;

std::string percent(std::optional<double> rate) {
  return detail::formatted(rate ? std::optional<double>(*rate * 100) : std::nullopt, "%.1f%%", "-");
}

std::string line(const std::string& name, const std::string& variant, const Counts& c) {
  std::string out = pad(name, 22) + pad(variant, 10);
  out += pad(fraction(c.tables_found, c.tables_expected), 9);
  out += pad(percent(ratio(c.values_exact, c.values_expected)), 8);
  out += pad(percent(ratio(c.reads_exact, c.values_expected)), 8);
  out += pad(std::to_string(c.false_values), 7);
  out += pad(percent(label_accuracy(c)), 8);
  out += pad(percent(ratio(c.codes_exact, c.codes_expected)), 8);
  out += pad(percent(ratio(c.body_rows_found, c.body_rows_expected)), 8);
  out += pad(std::to_string(c.extra_rows), 7);
  out += pad(fraction(c.tables_rows_right, c.tables_found) + " " +
                 fraction(c.tables_cols_right, c.tables_found),
             12);
  out += percent(ratio(c.spanned_cells_right, c.spanned_cells_expected));
  return out + "\n";
}

const char* kHeader =
    "document              variant   tables   values  reads   false  labels  codes   rows    extra "
    " rows/cols   spans\n";

std::string table_line(const TableScore& table) {
  const Counts& c = table.counts;
  std::string name = "  表 " + (table.number ? std::to_string(*table.number) : std::string("-")) +
                     " " + table.title;
  std::ostringstream out;
  out << name << ": " << (table.found ? "found" : "NOT FOUND");
  if (c.tables_split) out << ", split";
  if (c.tables_merged) out << ", merged into another";
  if (table.found) {
    if (!c.tables_number_right) out << ", number wrong";
    if (!c.tables_title_right) out << ", title wrong";
    if (!c.tables_rows_right) out << ", n_rows wrong";
    if (!c.tables_cols_right) out << ", n_cols wrong";
    if (!c.tables_header_rows_right) out << ", header_rows wrong";
  }
  out << "; values " << fraction(c.values_exact, c.values_expected) << ", reads "
      << fraction(c.reads_exact, c.values_expected) << ", false " << c.false_values
      << ", label errors " << c.label_errors << "/" << c.label_chars;
  if (c.label_corrections)
    out << " (corrected " << c.label_corrections << ": right→wrong " << c.corrections_right_to_wrong
        << ", wrong→right " << c.corrections_wrong_to_right << ")";
  out << ", codes " << fraction(c.codes_exact, c.codes_expected) << ", rows "
      << fraction(c.body_rows_found, c.body_rows_expected) << " (+" << c.extra_rows << "), spans "
      << fraction(c.spanned_cells_right, c.spanned_cells_expected) << "\n";
  return out.str();
}

std::string file_stem_of(const fs::path& path) {
  return path.stem().string();
}

std::vector<fs::path> json_files(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw core::Error(core::ErrorCode::NotFound, dir.string() + ": no such directory");
  return core::files_with_extension(dir, ".json");
}

// A corpus manifest's row for each PDF file name: column name → value.
using Manifest = std::map<std::string, std::map<std::string, std::string>>;

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out(1);
  for (char c : line) {
    if (c == '\t')
      out.emplace_back();
    else if (c != '\r')
      out.back() += c;
  }
  return out;
}

Manifest read_manifest(const fs::path& file) {
  Manifest manifest;
  std::error_code error;
  if (!fs::exists(file, error)) return manifest;
  std::istringstream in(detail::read_text_file(file.string()));
  std::string line;
  if (!std::getline(in, line)) return manifest;
  const std::vector<std::string> columns = split_tabs(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const std::vector<std::string> values = split_tabs(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < columns.size() && i < values.size(); ++i)
      row[columns[i]] = values[i];
    if (row.contains("file")) manifest[row["file"]] = std::move(row);
  }
  return manifest;
}

std::string value_or(const std::map<std::string, std::string>& row, const std::string& key,
                     const std::string& fallback) {
  const auto it = row.find(key);
  return it == row.end() || it->second.empty() ? fallback : it->second;
}

// Adds each document to its split's groups, by the manifest's columns.
std::vector<GroupScore> group_documents(const std::vector<DocumentScore>& documents,
                                        const Manifest& manifest) {
  std::map<std::tuple<std::string, std::string, std::string>, GroupScore> groups;
  const auto add = [&](const std::string& split, const std::string& by, const std::string& name,
                       const Counts& counts) {
    GroupScore& g = groups[{split, by, name}];
    g.split = split;
    g.by = by;
    g.name = name;
    ++g.documents;
    g.counts += counts;
  };
  for (const DocumentScore& d : documents) {
    const auto it = manifest.find(d.id + "." + d.variant + ".pdf");
    const std::map<std::string, std::string> none;
    const auto& row = it == manifest.end() ? none : it->second;
    const std::string split = value_or(row, "split", "dev");
    add(split, "all", "", d.counts);
    add(split, "variant", value_or(row, "base_variant", d.variant), d.counts);
    add(split, "font", value_or(row, "font", "?"), d.counts);
    add(split, "layout", value_or(row, "layout", "cairo"), d.counts);
  }
  std::vector<GroupScore> out;
  for (auto& [key, g] : groups) out.push_back(std::move(g));
  // Dev before heldout, and within a split: all, variant, font, layout.
  const auto rank = [](const std::string& by) {
    return by == "all" ? 0 : by == "variant" ? 1 : by == "font" ? 2 : 3;
  };
  std::stable_sort(out.begin(), out.end(), [&](const GroupScore& a, const GroupScore& b) {
    return std::tuple(a.split, rank(a.by)) < std::tuple(b.split, rank(b.by));
  });
  return out;
}

const char* kGroupHeader =
    "split    by       group                        docs  tables   values  reads   labels  codes   "
    "rows    rows-exact\n";

std::string group_line(const GroupScore& g) {
  const Counts& c = g.counts;
  std::string out = pad(g.split, 9) + pad(g.by, 9) + pad(g.name.empty() ? "(all)" : g.name, 29);
  out += pad(std::to_string(g.documents), 6);
  out += pad(fraction(c.tables_found, c.tables_expected), 9);
  out += pad(percent(ratio(c.values_exact, c.values_expected)), 8);
  out += pad(percent(ratio(c.reads_exact, c.values_expected)), 8);
  out += pad(percent(label_accuracy(c)), 8);
  out += pad(percent(ratio(c.codes_exact, c.codes_expected)), 8);
  out += pad(percent(ratio(c.body_rows_found, c.body_rows_expected)), 8);
  out += percent(ratio(c.rows_exact, c.body_rows_expected));
  return out + "\n";
}

}  // namespace

Counts& Counts::operator+=(const Counts& other) {
  Counts copy = other;
  std::vector<std::int64_t> values;
  for_each_count(copy, [&](const char*, std::int64_t value) { values.push_back(value); });
  std::size_t i = 0;
  for_each_count(*this, [&](const char*, std::int64_t& value) { value += values[i++]; });
  return *this;
}

std::optional<double> ratio(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return std::nullopt;
  return static_cast<double>(part) / static_cast<double>(whole);
}

std::optional<double> label_accuracy(const Counts& counts) {
  if (counts.label_chars == 0) return std::nullopt;
  return 1.0 - static_cast<double>(counts.label_errors) / static_cast<double>(counts.label_chars);
}

DocumentScore score_document_json(std::string_view prediction_json, std::string_view truth_json,
                                  const std::string& prediction_name,
                                  const std::string& truth_name) {
  const detail::Prediction prediction =
      detail::prediction_from_json(prediction_json, prediction_name);
  const detail::TruthDocument truth = detail::truth_from_json(truth_json, truth_name);
  DocumentScore score = detail::score_document(prediction, truth);
  score.prediction = prediction_name;
  return score;
}

DocumentScore score_document_files(const fs::path& prediction, const fs::path& truth) {
  DocumentScore score = score_document_json(detail::read_text_file(prediction.string()),
                                            detail::read_text_file(truth.string()),
                                            prediction.string(), truth.string());
  score.prediction = prediction.filename().string();
  return score;
}

CorpusScore score_corpus(const fs::path& prediction_dir, const fs::path& truth_dir) {
  std::map<std::string, detail::TruthDocument> truths;
  for (const fs::path& file : json_files(truth_dir))
    truths.emplace(file_stem_of(file),
                   detail::truth_from_json(detail::read_text_file(file.string()), file.string()));
  if (truths.empty())
    throw core::Error(core::ErrorCode::NotFound, truth_dir.string() + ": no truth files (*.json)");

  // variant -> id -> prediction file
  std::map<std::string, std::map<std::string, fs::path>> predictions;
  for (const fs::path& file : json_files(prediction_dir)) {
    const std::string stem = file_stem_of(file);
    std::string id, variant;
    for (const auto& [truth_id, unused] : truths) {
      if (stem == truth_id) {
        id = truth_id;
        variant = "default";
      } else if (stem.size() > truth_id.size() + 1 &&
                 stem.compare(0, truth_id.size(), truth_id) == 0 && stem[truth_id.size()] == '.' &&
                 truth_id.size() > id.size()) {
        id = truth_id;
        variant = stem.substr(truth_id.size() + 1);
      }
    }
    if (id.empty())
      throw core::Error(core::ErrorCode::NotFound,
                        file.string() + ": no truth file for it in " + truth_dir.string() +
                            " (predictions are named <truth-id>.<variant>.json)");
    predictions[variant][id] = file;
  }

  // In a corpus made by scripts/make-corpus.sh (truth/ beside the PDFs) some variants exist for
  // some documents only (harsh and bilevel scans): a document is expected in a variant when its PDF
  // is there. Elsewhere every document is expected in every variant seen.
  const fs::path corpus_dir = truth_dir.parent_path();
  const auto pdf_of = [&](const std::string& id, const std::string& variant) {
    return corpus_dir / (id + "." + variant + ".pdf");
  };

  CorpusScore corpus;
  for (const auto& [variant, files] : predictions) {
    VariantScore variant_score;
    variant_score.variant = variant;
    const bool variant_has_pdfs = std::any_of(truths.begin(), truths.end(), [&](const auto& entry) {
      std::error_code error;
      return fs::exists(pdf_of(entry.first, variant), error);
    });
    for (const auto& [id, truth] : truths) {
      std::error_code error;
      if (variant_has_pdfs && !files.contains(id) && !fs::exists(pdf_of(id, variant), error))
        continue;
      DocumentScore document;
      const auto it = files.find(id);
      if (it != files.end()) {
        const detail::Prediction prediction = detail::prediction_from_json(
            detail::read_text_file(it->second.string()), it->second.string());
        document = detail::score_document(prediction, truth);
        document.prediction = it->second.filename().string();
      } else {
        document = detail::score_document(detail::Prediction{}, truth);
        document.prediction_missing = true;
        ++variant_score.predictions_missing;
      }
      document.id = id;
      document.variant = variant;
      ++variant_score.documents;
      variant_score.counts += document.counts;
      corpus.documents.push_back(std::move(document));
    }
    corpus.overall += variant_score.counts;
    corpus.variants.push_back(std::move(variant_score));
  }
  const Manifest manifest = read_manifest(corpus_dir / "manifest.tsv");
  if (!manifest.empty()) corpus.groups = group_documents(corpus.documents, manifest);
  return corpus;
}

std::string format_corpus_text(const CorpusScore& score) {
  std::ostringstream out;
  out << kHeader;
  for (const DocumentScore& document : score.documents) {
    out << line(document.id + (document.prediction_missing ? " (missing)" : ""), document.variant,
                document.counts);
    if (score.documents.size() == 1)
      for (const TableScore& table : document.tables) out << table_line(table);
  }
  if (score.documents.size() > 1) {
    out << "\n";
    for (const VariantScore& variant : score.variants)
      out << line("variant (" + std::to_string(variant.documents) + " docs)", variant.variant,
                  variant.counts);
    out << line("overall", "", score.overall);
  }
  // The dictionary's label corrections (additive: a line of its own, not a column).
  out << "\nlabel corrections by the code list: " << score.overall.label_corrections
      << ", right→wrong " << score.overall.corrections_right_to_wrong << ", wrong→right "
      << score.overall.corrections_wrong_to_right << "\n";
  if (!score.groups.empty()) {
    // Every figure twice: on dev and on the held-aside split (fixtures/SPLIT.md).
    out << "\nby split (dev | heldout: AR PL UMing or the LibreOffice layout, never tuned on)\n"
        << kGroupHeader;
    for (const GroupScore& g : score.groups) out << group_line(g);
  }
  out << "\ntables: found/expected; values, reads: exact `value`/`read` over non-empty truth "
         "amounts;\n"
         "false: non-zero values where the truth is blank; labels: character accuracy; codes: "
         "exact\n"
         "row codes; rows: truth body rows found; extra: predicted rows the truth lacks; "
         "rows/cols:\n"
         "tables with the right n_rows and n_cols; spans: merged header cells right.\n";
  if (!score.groups.empty())
    out << "rows-exact: truth body rows found with their exact code and label.\n";
  return out.str();
}

std::string format_corpus_json(const CorpusScore& score) {
  ordered_json out;
  out["format"] = "tally-score-corpus";
  out["format_version"] = 1;
  out["overall"] = counts_json(score.overall);
  out["variants"] = ordered_json::array();
  for (const VariantScore& variant : score.variants) {
    ordered_json v = {{"variant", variant.variant},
                      {"documents", variant.documents},
                      {"predictions_missing", variant.predictions_missing}};
    v.update(counts_json(variant.counts));
    out["variants"].push_back(v);
  }
  if (!score.groups.empty()) {
    out["groups"] = ordered_json::array();
    for (const GroupScore& g : score.groups) {
      ordered_json j = {
          {"split", g.split}, {"by", g.by}, {"name", g.name}, {"documents", g.documents}};
      j.update(counts_json(g.counts));
      out["groups"].push_back(j);
    }
  }
  out["documents"] = ordered_json::array();
  for (const DocumentScore& document : score.documents) {
    ordered_json d = {{"id", document.id},
                      {"variant", document.variant},
                      {"prediction", document.prediction},
                      {"prediction_missing", document.prediction_missing}};
    d.update(counts_json(document.counts));
    d["tables"] = ordered_json::array();
    for (const TableScore& table : document.tables) {
      ordered_json t = {
          {"number", table.number ? ordered_json(*table.number) : ordered_json(nullptr)},
          {"title", table.title},
          {"found", table.found},
          {"predicted_index", table.predicted_index}};
      t.update(counts_json(table.counts));
      d["tables"].push_back(t);
    }
    out["documents"].push_back(d);
  }
  return out.dump(2) + "\n";
}

}  // namespace tally::score
