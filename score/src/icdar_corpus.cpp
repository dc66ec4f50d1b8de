// The public ICDAR API: scoring a directory of predictions, reports, published figures.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "icdar.h"
#include "report_text.h"
#include "tally/core/error.h"

namespace tally::score {
namespace detail {
extern const char* const kPublishedIcdarJson;
}

namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

constexpr const char* kStructureSuffix = "-str.xml";
constexpr const char* kRegionSuffix = "-reg.xml";

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The PDF a ground truth describes: `<name>.pdf`, or for an alternative reading such as eu-009b
// the PDF whose stem differs only in the last letter (eu-009a.pdf).
fs::path pdf_for(const fs::path& dir, const std::string& name) {
  const fs::path own = dir / (name + ".pdf");
  std::error_code ec;
  if (fs::is_regular_file(own, ec)) return own;
  if (!name.empty() && std::isalpha(static_cast<unsigned char>(name.back()))) {
    const std::string prefix = name.substr(0, name.size() - 1);
    for (const auto& entry : fs::directory_iterator(dir)) {
      const std::string stem = entry.path().stem().string();
      if (entry.path().extension() == ".pdf" && stem.size() == name.size() &&
          stem.compare(0, prefix.size(), prefix) == 0)
        return entry.path();
    }
  }
  throw core::Error(core::ErrorCode::NotFound,
                    (dir / (name + kStructureSuffix)).string() + ": no PDF " + own.string());
}

using detail::fraction;
using detail::pad;

std::string number(double value) {
  return detail::formatted(value, "%.4f", "");
}

std::string optional_number(const std::optional<double>& value) {
  return detail::formatted(value, "%.4f", "  -   ");
}

std::string document_line(const std::string& name, const IcdarCounts& c) {
  const PrecisionRecall region = region_measures(c), structure = structure_measures(c);
  std::string out = pad(name, 26);
  out += pad(fraction(c.regions_complete, c.regions_expected), 9);
  out += pad(fraction(c.regions_pure, c.regions_detected), 9);
  out += pad(std::to_string(c.regions_false), 4);
  out +=
      pad(number(region.precision), 7) + pad(number(region.recall), 7) + pad(number(region.f1), 8);
  out += pad(fraction(c.tables_matched, c.tables_expected), 8);
  out += pad(std::to_string(c.relations_correct) + "/" + std::to_string(c.relations_expected) +
                 "/" + std::to_string(c.relations_predicted),
             17);
  out +=
      pad(number(structure.precision), 7) + pad(number(structure.recall), 7) + number(structure.f1);
  return out + "\n";
}

ordered_json measures_json(const PrecisionRecall& m) {
  auto round = [](double v) { return std::round(v * 1e6) / 1e6; };
  return {{"precision", round(m.precision)}, {"recall", round(m.recall)}, {"f1", round(m.f1)}};
}

ordered_json counts_json(const IcdarCounts& c) {
  return {{"regions_expected", c.regions_expected},
          {"regions_detected", c.regions_detected},
          {"regions_complete", c.regions_complete},
          {"regions_pure", c.regions_pure},
          {"regions_false", c.regions_false},
          {"chars_expected", c.chars_expected},
          {"chars_predicted", c.chars_predicted},
          {"chars_correct", c.chars_correct},
          {"tables_expected", c.tables_expected},
          {"tables_matched", c.tables_matched},
          {"tables_false", c.tables_false},
          {"relations_expected", c.relations_expected},
          {"relations_predicted", c.relations_predicted},
          {"relations_correct", c.relations_correct}};
}

std::optional<double> optional_field(const nlohmann::json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

}  // namespace

IcdarScore score_icdar(const fs::path& prediction_dir, const fs::path& icdar_dir) {
  std::error_code ec;
  if (!fs::is_directory(icdar_dir, ec))
    throw core::Error(core::ErrorCode::NotFound, icdar_dir.string() + ": no such directory");
  if (!fs::is_directory(prediction_dir, ec))
    throw core::Error(core::ErrorCode::NotFound, prediction_dir.string() + ": no such directory");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(icdar_dir)) {
    const std::string file = entry.path().filename().string();
    if (ends_with(file, kStructureSuffix))
      names.push_back(file.substr(0, file.size() - std::string(kStructureSuffix).size()));
  }
  std::sort(names.begin(), names.end());
  if (names.empty())
    throw core::Error(core::ErrorCode::NotFound,
                      icdar_dir.string() + ": no ICDAR ground truth (*-str.xml)");

  IcdarScore score;
  std::map<std::string, std::vector<detail::PageGlyphs>> glyph_cache;
  for (const std::string& name : names) {
    IcdarDocumentScore document;
    document.name = name;
    const fs::path pdf = pdf_for(icdar_dir, name);
    document.pdf = pdf.filename().string();
    auto& glyphs = glyph_cache[pdf.string()];
    if (glyphs.empty()) glyphs = detail::read_pdf_glyphs(pdf.string());

    detail::Prediction prediction;
    const fs::path prediction_file = prediction_dir / (pdf.stem().string() + ".json");
    if (fs::is_regular_file(prediction_file, ec)) {
      prediction = detail::prediction_from_json(detail::read_text_file(prediction_file.string()),
                                                prediction_file.string());
      document.prediction = prediction_file.filename().string();
    } else {
      document.prediction_missing = true;
    }
    const fs::path region_file = icdar_dir / (name + kRegionSuffix);
    if (fs::is_regular_file(region_file, ec))
      detail::count_regions(detail::read_icdar_regions(region_file.string(), glyphs),
                            detail::icdar_regions_of(prediction), glyphs, document.counts);
    detail::count_structure(
        detail::read_icdar_structure((icdar_dir / (name + kStructureSuffix)).string()),
        detail::icdar_tables_of(prediction), document.counts);
    score.documents.push_back(std::move(document));
  }

  // Of several readings of one PDF, count the one Tally agrees with best.
  std::map<std::string, std::size_t> best_of_pdf;
  for (std::size_t i = 0; i < score.documents.size(); ++i) {
    const IcdarDocumentScore& document = score.documents[i];
    auto [it, inserted] = best_of_pdf.emplace(document.pdf, i);
    if (!inserted && structure_measures(document.counts).f1 >
                         structure_measures(score.documents[it->second].counts).f1)
      it->second = i;
  }
  for (std::size_t i = 0; i < score.documents.size(); ++i) {
    IcdarDocumentScore& document = score.documents[i];
    document.alternative = best_of_pdf[document.pdf] != i;
    if (document.alternative) continue;
    ++score.documents_counted;
    score.pooled += document.counts;
    const PrecisionRecall region = region_measures(document.counts),
                          structure = structure_measures(document.counts);
    score.region_mean.precision += region.precision;
    score.region_mean.recall += region.recall;
    score.region_mean.f1 += region.f1;
    score.structure_mean.precision += structure.precision;
    score.structure_mean.recall += structure.recall;
    score.structure_mean.f1 += structure.f1;
  }
  if (score.documents_counted > 0) {
    const double n = score.documents_counted;
    for (PrecisionRecall* m : {&score.region_mean, &score.structure_mean}) {
      m->precision /= n;
      m->recall /= n;
      m->f1 /= n;
    }
  }
  return score;
}

std::vector<PublishedResult> published_icdar_results() {
  const nlohmann::json data = nlohmann::json::parse(detail::kPublishedIcdarJson);
  std::vector<PublishedResult> results;
  for (const nlohmann::json& entry : data.at("results")) {
    PublishedResult result;
    result.system = entry.value("system", "");
    result.task = entry.value("task", "");
    result.dataset = entry.value("dataset", "");
    result.precision = optional_field(entry, "precision");
    result.recall = optional_field(entry, "recall");
    result.f1 = optional_field(entry, "f1");
    result.source = entry.value("source", "");
    result.checked = entry.value("checked", false);
    result.note = entry.value("note", "");
    results.push_back(std::move(result));
  }
  return results;
}

std::string format_icdar_text(const IcdarScore& score) {
  std::ostringstream out;
  out << "document                  complete pure     fp  chars:P  R      F1      tables  "
         "relations c/e/p  P      R      F1\n";
  for (const IcdarDocumentScore& document : score.documents) {
    std::string name = document.name;
    if (document.prediction_missing) name += " (missing)";
    if (document.alternative) name += " (alt.)";
    out << document_line(name, document.counts);
  }
  out << "\n"
      << document_line("pooled (" + std::to_string(score.documents_counted) + " documents)",
                       score.pooled);
  out << pad("mean per document", 26) << pad("", 22) << pad(number(score.region_mean.precision), 7)
      << pad(number(score.region_mean.recall), 7) << pad(number(score.region_mean.f1), 8)
      << pad("", 25) << pad(number(score.structure_mean.precision), 7)
      << pad(number(score.structure_mean.recall), 7) << number(score.structure_mean.f1) << "\n";
  out << "\nRegions: complete/expected, pure/detected, false positives; character precision, "
         "recall, F1.\n"
         "Structure: adjacency relations correct/expected/predicted (predicted includes tables "
         "that match\n"
         "none: Tally finds its own tables, so this is the competition's complete-process "
         "setting).\n"
         "Alternative ground truths of one PDF (alt.) are shown but not counted.\n";
  out << "\nPublished results on this dataset (score/data/icdar2013_published.json has sources and "
         "notes):\n";
  out << "system                                task       P       R       F1      checked\n";
  for (const PublishedResult& result : published_icdar_results())
    out << pad(result.system, 38) << pad(result.task, 11)
        << pad(optional_number(result.precision), 8) << pad(optional_number(result.recall), 8)
        << pad(optional_number(result.f1), 8)
        << (result.checked ? "yes" : "no: verify in the source") << "\n";
  out << "Published figures are for the whole competition set (EU and US); ours is the EU half.\n"
         "Tally finds its own tables: compare with the `complete` rows; `structure` rows were "
         "given the\n"
         "table regions.\n";
  return out.str();
}

std::string format_icdar_json(const IcdarScore& score) {
  ordered_json out;
  out["format"] = "tally-score-icdar2013";
  out["format_version"] = 1;
  out["documents_counted"] = score.documents_counted;
  out["pooled"] = {{"counts", counts_json(score.pooled)},
                   {"region", measures_json(region_measures(score.pooled))},
                   {"structure", measures_json(structure_measures(score.pooled))}};
  out["mean_per_document"] = {{"region", measures_json(score.region_mean)},
                              {"structure", measures_json(score.structure_mean)}};
  out["documents"] = ordered_json::array();
  for (const IcdarDocumentScore& document : score.documents)
    out["documents"].push_back({{"name", document.name},
                                {"pdf", document.pdf},
                                {"prediction", document.prediction},
                                {"prediction_missing", document.prediction_missing},
                                {"alternative", document.alternative},
                                {"counts", counts_json(document.counts)},
                                {"region", measures_json(region_measures(document.counts))},
                                {"structure", measures_json(structure_measures(document.counts))}});
  out["published"] = ordered_json::array();
  for (const PublishedResult& result : published_icdar_results()) {
    auto value = [](const std::optional<double>& v) {
      return v ? ordered_json(*v) : ordered_json(nullptr);
    };
    out["published"].push_back({{"system", result.system},
                                {"task", result.task},
                                {"dataset", result.dataset},
                                {"precision", value(result.precision)},
                                {"recall", value(result.recall)},
                                {"f1", value(result.f1)},
                                {"source", result.source},
                                {"checked", result.checked},
                                {"note", result.note}});
  }
  return out.dump(2) + "\n";
}

}  // namespace tally::score
