#include "icdar.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "pdf_glyphs.h"
#include "tally/score/score.h"
#include "truth_to_prediction.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace tally::score;
using namespace tally::score::detail;

namespace {

const fs::path kMini = test_support::source_dir() / "score/testdata/icdar";

std::vector<AdjacencyRelation> relations_from(const json& list) {
  std::vector<AdjacencyRelation> relations;
  for (const json& r : list) relations.push_back({r[0], r[1], r[2] == "h", r[3]});
  return relations;
}

// The counts as the JSON report gives them.
json counts_of(const IcdarCounts& counts) {
  IcdarScore score;
  score.documents.push_back({"x", "x.pdf", "x.json", false, false, counts});
  return json::parse(format_icdar_json(score))["documents"][0]["counts"];
}

void expect_counts(const IcdarCounts& got, const json& expected) {
  const json all = counts_of(got);
  for (const auto& [key, value] : expected.items()) EXPECT_EQ(all[key], value) << key;
}

}  // namespace

TEST(Icdar, AdjacencyRelationsFollowTheEvaluator) {
  const json expected = test_support::read_json(kMini / "mini-expected.json");
  const std::vector<IcdarTable> tables = read_icdar_structure((kMini / "mini-str.xml").string());
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(tables[1].pages, std::vector<int>{2});
  EXPECT_EQ(adjacency_relations(tables[0].cells), relations_from(expected["table1_relations"]));
  EXPECT_EQ(adjacency_relations(tables[1].cells), relations_from(expected["table2_relations"]));
}

TEST(Icdar, StructureMeasureOnAHandMadeExample) {
  const json expected = test_support::read_json(kMini / "mini-expected.json");
  std::vector<IcdarTable> predicted;
  for (const json& t : expected["prediction"]["tables"]) {
    IcdarTable table;
    table.pages = t["pages"].get<std::vector<int>>();
    for (const json& c : t["cells"]) table.cells.push_back({c[0], c[0], c[1], c[1], c[2]});
    predicted.push_back(table);
  }
  IcdarCounts counts;
  count_structure(read_icdar_structure((kMini / "mini-str.xml").string()), predicted, counts);
  expect_counts(counts, expected["prediction"]["counts"]);
  const PrecisionRecall m = structure_measures(counts);
  EXPECT_DOUBLE_EQ(m.precision, 0.6);
  EXPECT_DOUBLE_EQ(m.recall, 0.6);
}

TEST(Icdar, RegionMeasureOnAHandMadeExample) {
  const json expected = test_support::read_json(kMini / "mini-expected.json")["regions"];
  std::vector<PageGlyphs> pages(2);
  pages[0] = {1, 100, 100, {}};
  pages[1] = {2, 100, 100, {}};
  for (int i = 0; i < 10; ++i) pages[0].glyphs.push_back({10.0 * i, 10, 10.0 * i + 8, 18});
  const std::vector<IcdarRegion> truth =
      read_icdar_regions((kMini / "mini-reg.xml").string(), pages);
  ASSERT_EQ(truth.size(), 2u);
  const auto box = expected["expected_box_page1"].get<std::vector<double>>();
  EXPECT_EQ(truth[0].box, (tally::core::Box{box[0], box[1], box[2], box[3]}));
  const std::vector<IcdarRegion> predicted = {{1, {0, 5, 30, 20}}, {1, {40, 5, 100, 20}}};
  IcdarCounts counts;
  count_regions(truth, predicted, pages, counts);
  expect_counts(counts, expected["counts"]);
}

// Tally's JSON made from the official ground truth itself scores 100% on every document.
TEST(Icdar, GroundTruthAsPredictionScoresFullMarksOnTheCompetitionSet) {
  const fs::path shared = test_support::shared_dir();
  ASSERT_FALSE(shared.empty()) << "../shared not found (set TALLY_SHARED_DIR)";
  const fs::path dataset = shared / "real/icdar2013/competition-dataset-eu";
  ASSERT_TRUE(fs::is_directory(dataset)) << dataset;
  const fs::path out =
      fs::temp_directory_path() / ("tally-icdar-test-" + std::to_string(::getpid()));
  fs::remove_all(out);
  fs::create_directories(out);
  int written = 0;
  for (const auto& entry : fs::directory_iterator(dataset)) {
    const std::string file = entry.path().filename().string();
    if (file.size() < 8 || file.substr(file.size() - 8) != "-str.xml") continue;
    const std::string name = file.substr(0, file.size() - 8);
    if (!fs::exists(dataset / (name + ".pdf"))) continue;  // an alternative reading (eu-009b)
    const std::vector<PageGlyphs> pages = read_pdf_glyphs((dataset / (name + ".pdf")).string());
    const std::vector<IcdarRegion> regions =
        read_icdar_regions((dataset / (name + "-reg.xml")).string(), pages);
    const std::vector<IcdarTable> tables = read_icdar_structure(entry.path().string());
    ASSERT_EQ(regions.size(), tables.size()) << name;
    json prediction = {{"schema_version", 1}, {"tables", json::array()}};
    for (std::size_t t = 0; t < tables.size(); ++t) {
      json table = {
          {"number", nullptr},
          {"title", ""},
          {"pages", tables[t].pages},
          {"cells", json::array()},
          {"regions",
           {{{"page", regions[t].page},
             {"bbox",
              {regions[t].box.x0, regions[t].box.y0, regions[t].box.x1, regions[t].box.y1}}}}}};
      for (const IcdarCell& c : tables[t].cells)
        table["cells"].push_back({{"row", c.start_row},
                                  {"col", c.start_col},
                                  {"rowspan", c.end_row - c.start_row + 1},
                                  {"colspan", c.end_col - c.start_col + 1},
                                  {"text", c.text},
                                  {"page", tables[t].pages[0]}});
      prediction["tables"].push_back(table);
    }
    std::ofstream(out / (name + ".json")) << prediction.dump();
    ++written;
  }
  ASSERT_GE(written, 27);
  const IcdarScore score = score_icdar(out, dataset);
  fs::remove_all(out);
  EXPECT_EQ(score.documents_counted, 27);
  for (const IcdarDocumentScore& document : score.documents) {
    if (document.alternative) continue;
    SCOPED_TRACE(document.name);
    const IcdarCounts& c = document.counts;
    EXPECT_FALSE(document.prediction_missing);
    EXPECT_EQ(c.regions_complete, c.regions_expected);
    EXPECT_EQ(c.regions_pure, c.regions_expected);
    EXPECT_EQ(c.regions_false, 0);
    EXPECT_GT(c.chars_expected, 0);
    EXPECT_EQ(c.chars_correct, c.chars_expected);
    EXPECT_EQ(c.relations_correct, c.relations_expected);
    EXPECT_EQ(c.relations_predicted, c.relations_expected);
  }
  EXPECT_DOUBLE_EQ(score.structure_mean.f1, 1.0);
  EXPECT_DOUBLE_EQ(structure_measures(score.pooled).f1, 1.0);
  EXPECT_DOUBLE_EQ(region_measures(score.pooled).f1, 1.0);
}

TEST(Icdar, PublishedResultsCarryTheirSources) {
  const std::vector<PublishedResult> results = published_icdar_results();
  ASSERT_GE(results.size(), 5u);
  for (const PublishedResult& result : results) {
    EXPECT_FALSE(result.system.empty());
    EXPECT_FALSE(result.source.empty()) << result.system;
    EXPECT_TRUE(result.task == "region" || result.task == "structure" || result.task == "complete")
        << result.task;
  }
}
