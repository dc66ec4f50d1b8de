#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tally/core/error.h"
#include "tally/core/text.h"
#include "tally/export/export.h"
#include "tally/fixtures/truth.h"
#include "tally/score/score.h"
#include "truth_to_prediction.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace tally::score;
using tally::score::test_support::prediction_from_truth;
using tally::score::test_support::read_json;

namespace {

// The counts of the only document of a report, by their JSON keys.
json document_counts(const DocumentScore& document) {
  CorpusScore corpus;
  corpus.documents.push_back(document);
  return json::parse(format_corpus_json(corpus))["documents"][0]["counts"];
}

std::vector<fs::path> truth_files() {
  std::vector<fs::path> files;
  for (const fs::path& dir : {test_support::source_dir() / "score/testdata/truth",
                              test_support::source_dir() / "fixtures/truth"}) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path fresh_dir(const std::string& name) {
  const fs::path dir =
      fs::temp_directory_path() / ("tally-score-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void write(const fs::path& path, const json& content) {
  std::ofstream(path) << content.dump(1);
}

}  // namespace

// Every truth file of the corpus, turned into Tally's JSON, scores 100% on everything.
TEST(ScoreDocument, PerfectPredictionScoresFullMarks) {
  const std::vector<fs::path> files = truth_files();
  ASSERT_FALSE(files.empty()) << "no truth files found";
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const json truth = read_json(file);
    const DocumentScore score =
        score_document_json(prediction_from_truth(truth).dump(), truth.dump());
    const Counts& c = score.counts;
    EXPECT_GT(c.tables_expected, 0);
    EXPECT_EQ(c.tables_found, c.tables_expected);
    EXPECT_EQ(c.tables_number_right, c.tables_expected);
    EXPECT_EQ(c.tables_title_right, c.tables_expected);
    EXPECT_EQ(c.tables_split + c.tables_merged + c.tables_extra, 0);
    EXPECT_EQ(c.values_exact, c.values_expected);
    EXPECT_EQ(c.reads_exact, c.values_expected);
    EXPECT_EQ(c.false_values + c.extra_values + c.value_fallbacks, 0);
    EXPECT_EQ(c.label_errors, 0);
    EXPECT_EQ(c.codes_exact, c.codes_expected);
    EXPECT_EQ(c.false_codes, 0);
    EXPECT_EQ(c.tables_rows_right, c.tables_expected);
    EXPECT_EQ(c.tables_cols_right, c.tables_expected);
    EXPECT_EQ(c.tables_header_rows_right, c.tables_expected);
    EXPECT_EQ(c.body_rows_found, c.body_rows_expected);
    EXPECT_EQ(c.extra_rows, 0);
    EXPECT_EQ(c.spanned_cells_right, c.spanned_cells_expected);
    EXPECT_EQ(c.header_cells_right, c.header_cells_expected);
  }
}

// Known damage gives exactly the counts written down in score/testdata/damage_cases.json.
TEST(ScoreDocument, KnownDamageScoresExactly) {
  const json cases = read_json(test_support::source_dir() / "score/testdata/damage_cases.json");
  const json truth = read_json(test_support::source_dir() / cases["truth"].get<std::string>());
  const json perfect = prediction_from_truth(truth);
  EXPECT_EQ(document_counts(score_document_json(perfect.dump(), truth.dump())), cases["baseline"]);
  ASSERT_GE(cases["cases"].size(), 10u);
  for (const json& c : cases["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    json prediction = perfect;
    for (const json& op : c["damage"]) test_support::apply_damage(prediction, op);
    json expected = cases["baseline"];
    expected.update(c["expect"]);
    const json got = document_counts(score_document_json(prediction.dump(), truth.dump()));
    for (const auto& [key, value] : expected.items()) EXPECT_EQ(got[key], value) << key;
  }
}

TEST(ScoreDocument, MalformedInputNamesTheFile) {
  try {
    score_document_json("{ not json", "{}", "run/x.json", "truth/x.json");
    FAIL() << "no error";
  } catch (const tally::core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("run/x.json"), std::string::npos) << e.what();
  }
}

// The directory form groups by variant and scores a missing prediction as finding nothing.
TEST(ScoreCorpus, GroupsVariantsAndCountsMissingPredictions) {
  const json truth = read_json(test_support::source_dir() / "score/testdata/truth/mini-001.json");
  json other = truth;
  other["id"] = "mini-002";
  const fs::path truth_dir = fresh_dir("truth"), pred_dir = fresh_dir("pred");
  write(truth_dir / "mini-001.json", truth);
  write(truth_dir / "mini-002.json", other);
  json damaged = prediction_from_truth(truth);
  test_support::apply_damage(damaged, {{"op", "set_cell"},
                                       {"table", 0},
                                       {"row", 6},
                                       {"col", 4},
                                       {"text", "835.19"},
                                       {"value", "835.19"},
                                       {"read", "835.19"}});
  write(pred_dir / "mini-001.born.json", prediction_from_truth(truth));
  write(pred_dir / "mini-002.born.json", prediction_from_truth(other));
  write(pred_dir / "mini-001.scan300.json", damaged);

  const CorpusScore score = score_corpus(pred_dir, truth_dir);
  ASSERT_EQ(score.documents.size(), 4u);
  ASSERT_EQ(score.variants.size(), 2u);
  EXPECT_EQ(score.variants[0].variant, "born");
  EXPECT_EQ(score.variants[0].predictions_missing, 0);
  EXPECT_EQ(score.variants[0].counts.values_exact, 76);
  EXPECT_EQ(score.variants[1].variant, "scan300");
  EXPECT_EQ(score.variants[1].predictions_missing, 1);
  EXPECT_EQ(score.variants[1].counts.values_expected, 76);
  EXPECT_EQ(score.variants[1].counts.values_exact, 37);
  EXPECT_EQ(score.variants[1].counts.tables_found, 4);
  EXPECT_EQ(score.overall.values_expected, 152);
  EXPECT_EQ(score.overall.values_exact, 113);

  const json report = json::parse(format_corpus_json(score));
  EXPECT_EQ(report["format"], "tally-score-corpus");
  EXPECT_EQ(report["overall"]["counts"]["values_exact"], 113);
  EXPECT_EQ(report["documents"][3]["prediction_missing"], true);
  EXPECT_EQ(report["documents"][3]["id"], "mini-002");
  EXPECT_NEAR(report["overall"]["rates"]["values_exact"].get<double>(), 113.0 / 152, 1e-6);
  EXPECT_NE(format_corpus_text(score).find("mini-002 (missing)"), std::string::npos);

  write(pred_dir / "nothing.born.json", prediction_from_truth(truth));
  EXPECT_THROW(score_corpus(pred_dir, truth_dir), tally::core::Error);
  fs::remove_all(truth_dir);
  fs::remove_all(pred_dir);
}

// In a corpus laid out by make-corpus.sh, a variant made for some documents only expects those.
TEST(ScoreCorpus, ExpectsADocumentInAVariantOnlyWhereItsPdfExists) {
  const json truth = read_json(test_support::source_dir() / "score/testdata/truth/mini-001.json");
  json other = truth;
  other["id"] = "mini-002";
  const fs::path corpus_dir = fresh_dir("corpus"), pred_dir = fresh_dir("pred-partial");
  const fs::path truth_dir = corpus_dir / "truth";
  fs::create_directories(truth_dir);
  write(truth_dir / "mini-001.json", truth);
  write(truth_dir / "mini-002.json", other);
  for (const char* pdf : {"mini-001.born.pdf", "mini-002.born.pdf", "mini-001.scan200-harsh.pdf"})
    std::ofstream(corpus_dir / pdf) << "%PDF-1.4\n";
  write(pred_dir / "mini-001.born.json", prediction_from_truth(truth));
  write(pred_dir / "mini-001.scan200-harsh.json", prediction_from_truth(truth));

  const CorpusScore score = score_corpus(pred_dir, truth_dir);
  ASSERT_EQ(score.variants.size(), 2u);
  EXPECT_EQ(score.variants[0].variant, "born");
  EXPECT_EQ(score.variants[0].documents, 2);  // mini-002.born.pdf exists: its missing JSON counts
  EXPECT_EQ(score.variants[0].predictions_missing, 1);
  EXPECT_EQ(score.variants[1].variant, "scan200-harsh");
  EXPECT_EQ(score.variants[1].documents, 1);  // no mini-002.scan200-harsh.pdf: not expected
  EXPECT_EQ(score.variants[1].predictions_missing, 0);
  fs::remove_all(corpus_dir);
  fs::remove_all(pred_dir);
}

// Property: removing any one body row of any table costs exactly that row, never its neighbours
// (rows are aligned by content, not by index).
TEST(ScoreDocument, RemovingOneRowCostsThatRowOnly) {
  for (const fs::path& file : truth_files()) {
    const json truth = read_json(file);
    const json perfect = prediction_from_truth(truth);
    const Counts full = score_document_json(perfect.dump(), truth.dump()).counts;
    for (std::size_t t = 0; t < truth["tables"].size(); ++t) {
      const json& table = truth["tables"][t];
      const auto& body = table["body"];
      for (std::size_t row = 0; row < body.size();
           row += std::max<std::size_t>(1, body.size() / 4)) {
        SCOPED_TRACE(file.filename().string() + " table " + std::to_string(t) + " body row " +
                     std::to_string(row));
        std::int64_t values = 0, label_chars = 0, codes = 0;
        bool has_code = false;
        for (std::size_t c = 0; c < body[row].size(); ++c) {
          const std::string role = table["column_roles"][c], text = body[row][c];
          const std::string bare = tally::core::fold_width(tally::core::remove_space(text));
          if (role == "amount" && !bare.empty()) ++values;
          if ((role == "label" || role == "text") && !bare.empty())
            label_chars += static_cast<std::int64_t>(tally::core::utf8_length(bare));
          if ((role == "code" || role == "class" || role == "section" || role == "item") &&
              !bare.empty())
            has_code = true;
        }
        codes = has_code ? 1 : 0;
        json damaged = perfect;
        test_support::apply_damage(damaged,
                                   {{"op", "remove_body_row"}, {"table", t}, {"body_row", row}});
        const Counts c = score_document_json(damaged.dump(), truth.dump()).counts;
        EXPECT_EQ(c.body_rows_found, full.body_rows_found - 1);
        EXPECT_EQ(c.values_exact, full.values_exact - values);
        EXPECT_EQ(c.label_errors, label_chars);
        EXPECT_EQ(c.codes_exact, full.codes_exact - codes);
        EXPECT_EQ(c.extra_rows + c.false_values + c.false_codes, 0);
      }
    }
  }
}

// Property: codes printed in one column where the truth has 类/款/项 in three (or the reverse
// reading) lose nothing but the columns count and the 类/款/项 header cells.
TEST(ScoreDocument, CodesInOneColumnStillMatch) {
  int tables_tried = 0;
  for (const fs::path& file : truth_files()) {
    const json truth = read_json(file);
    const json perfect = prediction_from_truth(truth);
    for (std::size_t t = 0; t < truth["tables"].size(); ++t) {
      const json& roles = truth["tables"][t]["column_roles"];
      if (roles.size() < 3 || roles[0] != "class" || roles[1] != "section" ||
          truth["tables"][t]["body"].empty())
        continue;
      const int count = roles[2] == "item" ? 3 : 2;
      SCOPED_TRACE(file.filename().string() + " table " + std::to_string(t));
      json damaged = perfect;
      test_support::apply_damage(
          damaged, {{"op", "join_columns"}, {"table", t}, {"first", 0}, {"count", count}});
      const Counts c = score_document_json(damaged.dump(), truth.dump()).counts;
      EXPECT_EQ(c.codes_exact, c.codes_expected);
      EXPECT_EQ(c.values_exact, c.values_expected);
      EXPECT_EQ(c.label_errors, 0);
      EXPECT_EQ(c.body_rows_found, c.body_rows_expected);
      EXPECT_EQ(c.tables_cols_right, c.tables_expected - 1);
      ++tables_tried;
    }
  }
  EXPECT_GT(tables_tried, 0);
}

// Property: a lost amount column costs that column's values only.
TEST(ScoreDocument, ALostColumnCostsThatColumnOnly) {
  for (const fs::path& file : truth_files()) {
    const json truth = read_json(file);
    const json perfect = prediction_from_truth(truth);
    const Counts full = score_document_json(perfect.dump(), truth.dump()).counts;
    for (std::size_t t = 0; t < truth["tables"].size(); ++t) {
      const json& table = truth["tables"][t];
      const json& roles = table["column_roles"];
      const std::size_t col = roles.size() - 1;  // the last column: an amount in every table kind
      if (roles[col] != "amount" || table["body"].empty()) continue;
      SCOPED_TRACE(file.filename().string() + " table " + std::to_string(t));
      std::int64_t values = 0;
      for (const json& row : table["body"])
        values += !tally::core::remove_space(row[col].get<std::string>()).empty();
      json damaged = perfect;
      test_support::apply_damage(damaged, {{"op", "remove_column"}, {"table", t}, {"col", col}});
      const Counts c = score_document_json(damaged.dump(), truth.dump()).counts;
      EXPECT_EQ(c.values_exact, full.values_exact - values);
      EXPECT_EQ(c.body_rows_found, full.body_rows_found);
      EXPECT_EQ(c.label_errors + c.false_values + c.extra_rows, 0);
      EXPECT_EQ(c.codes_exact, full.codes_exact);
    }
  }
}

// The real writer's output (export/ on fixtures::truth_to_document) is what the scorer reads.
TEST(ScoreDocument, TallysOwnJsonOfThePerfectDocumentScoresFullMarks) {
  for (const fs::path& file : truth_files()) {
    SCOPED_TRACE(file.string());
    const tally::fixtures::TruthDocument truth = tally::fixtures::load_truth(file);
    const std::string tally_json =
        tally::exports::json_of(tally::fixtures::truth_to_document(truth));
    const Counts c = score_document_json(tally_json, tally::fixtures::truth_to_json(truth)).counts;
    EXPECT_EQ(c.tables_found, c.tables_expected);
    EXPECT_EQ(c.values_exact, c.values_expected);
    EXPECT_EQ(c.reads_exact, c.values_expected);
    EXPECT_EQ(c.value_fallbacks + c.false_values + c.extra_rows + c.label_errors, 0);
    EXPECT_EQ(c.codes_exact, c.codes_expected);
    EXPECT_EQ(c.spanned_cells_right, c.spanned_cells_expected);
    EXPECT_EQ(c.header_cells_right, c.header_cells_expected);
  }
}

// The dictionary's corrections, as Tally records them (a `label_corrected` diagnostic naming the
// OCR reading and the name written): one that replaced the truth's label counts right→wrong, one
// that replaced a misreading by the truth's label wrong→right.
TEST(ScoreDocument, CountsLabelCorrectionsThatTurnedARightReadingWrong) {
  const json truth = read_json(test_support::source_dir() / "fixtures/truth/seed-000.json");
  json prediction = prediction_from_truth(truth);
  // Two label cells of the first table that has codes: 表 3's body rows.
  json& cells = prediction["tables"][2]["cells"];
  std::vector<json*> labels;
  for (json& cell : cells) {
    const std::string text = cell.value("text", "");
    if (cell.value("col", -1) == 3 && cell.value("row", 0) >= 5 && text.size() > 6)
      labels.push_back(&cell);
  }
  ASSERT_GE(labels.size(), 2u);
  const std::string right = (*labels[0])["text"], kept = (*labels[1])["text"];
  const int page0 = (*labels[0]).value("page", 0), page1 = (*labels[1]).value("page", 0);
  (*labels[0])["text"] = "其他人大事务支出";  // a right reading replaced by a wrong name
  prediction["diagnostics"] = json::array(
      {{{"severity", "info"},
        {"code", "label_corrected"},
        {"page", page0},
        {"message", "OCR read '" + right +
                        "', corrected to '其他人大事务支出' from the code list (closest name)"}},
       {{"severity", "info"},
        {"code", "label_corrected"},
        {"page", page1},
        {"message", "OCR read '" + kept.substr(0, kept.size() - 3) + "攴', corrected to '" + kept +
                        "' from the code list (code 2010101)"}}});
  const Counts c = score_document_json(prediction.dump(), truth.dump()).counts;
  EXPECT_EQ(c.label_corrections, 2);
  EXPECT_EQ(c.corrections_right_to_wrong, 1);
  EXPECT_EQ(c.corrections_wrong_to_right, 1);
}
