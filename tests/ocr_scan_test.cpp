// The OCR path on the committed scans and the mojibake fixture: page ranges through the whole
// pipeline, scored against their truth with the scorer library. Tolerances are stated per case:
// OCR output may differ by a character between Tesseract builds, so these are not byte goldens.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "tally/app/job.h"
#include "tally/export/export.h"
#include "tally/ocr/ocr.h"
#include "tally/score/score.h"

namespace {

struct Case {
  std::string name, pdf, truth;
  int first_page, last_page;
  std::set<int> tables;  // truth tables (printed numbers) inside the page range
  double min_reads;      // share of the truth's amounts read exactly
  double min_labels;     // label character accuracy
};

std::ostream& operator<<(std::ostream& out, const Case& c) {
  return out << c.name;
}

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::vector<Case> kCases = {
    // 150 dpi moderate scan; page 10 is scanned sideways. Target ≥ 97 % at 150 dpi.
    {"scan150",
     "fixtures/pdf/seed-000.scan150.pdf",
     "fixtures/truth/seed-000.json",
     8,
     11,
     {3, 4, 5},
     0.97,
     0.98},
    // 300 dpi one-bit scan: 71 amounts in 表 6; at most one may be misread.
    {"scan300_bilevel",
     "fixtures/pdf/seed-000.scan300-bilevel.pdf",
     "fixtures/truth/seed-000.json",
     12,
     13,
     {6},
     0.985,
     0.98},
    // 200 dpi moderate scan of a generated document: 99 amounts; at most one misread.
    {"scan200",
     "fixtures/pdf/gen-0001.scan200.pdf",
     "fixtures/truth/gen-0001.json",
     5,
     7,
     {2, 3},
     0.985,
     0.98},
    // A garbled text layer: detected, read by OCR, as good as born-digital.
    {"mojibake",
     "fixtures/pdf/seed-000.mojibake.pdf",
     "fixtures/truth/seed-000.json",
     4,
     8,
     {1, 2, 3},
     0.995,
     0.98},
};

class OcrScan : public ::testing::TestWithParam<Case> {};

TEST_P(OcrScan, ReadsTheTablesOfThePageRange) {
  const Case& c = GetParam();
  const std::filesystem::path root = TALLY_SOURCE_DIR;
  tally::app::JobOptions options;
  options.pages = tally::app::PageRange{c.first_page, c.last_page};
  options.jobs = 2;
  const tally::core::Document document = tally::app::run_document(root / c.pdf, options);
  for (const tally::core::Page& page : document.pages) {
    EXPECT_EQ(page.text_source, tally::core::TextSource::Ocr) << "page " << page.number;
    ASSERT_FALSE(page.text_source_reasons.empty());
    if (c.name == "mojibake") {
      EXPECT_NE(page.text_source_reasons.front().find("mojibake"), std::string::npos);
    }
  }
  const tally::score::DocumentScore score = tally::score::score_document_json(
      tally::exports::json_of(document), slurp(root / c.truth), c.pdf, c.truth);
  tally::score::Counts counts;
  for (const tally::score::TableScore& table : score.tables) {
    if (!table.number || !c.tables.count(*table.number)) continue;
    EXPECT_TRUE(table.found) << "表 " << *table.number << " " << table.title << " not found";
    counts += table.counts;
  }
  ASSERT_GT(counts.values_expected, 0);
  const double reads =
      static_cast<double>(counts.reads_exact) / static_cast<double>(counts.values_expected);
  EXPECT_GE(reads, c.min_reads) << counts.reads_exact << " of " << counts.values_expected
                                << " amounts read exactly";
  const std::optional<double> labels = tally::score::label_accuracy(counts);
  ASSERT_TRUE(labels.has_value());
  EXPECT_GE(*labels, c.min_labels)
      << counts.label_errors << " label errors in " << counts.label_chars << " characters";
  EXPECT_EQ(counts.false_values, 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OcrScan, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return param_info.param.name; });

// Hand-checked truths of real scanned pages (fixtures/real/scan-*.pdf, one page each, typed from
// the image): a fund allocation table printed sideways on a 300 dpi JPEG 2000 scan with a red seal
// over its first rows. Everything the truth holds is scored: the table found, its amounts and
// labels, and the 合计 identity held after reconciliation.
struct RealCase {
  const char* name;
  const char* pdf;
  const char* truth;
  // The levels measured at this commit (3 of 4 and 10 of 10 amounts; labels 45 % and 88 %, the
  // seal over the first rows and the sideways page): a floor against regressions, not the goal.
  // The 10th amount of 2025b is 7.9 read as 79, repaired from its 合计 row (issue 14).
  double min_values;  // amounts right after reconciliation
  double min_labels;  // label characters right
};

const RealCase kRealCases[] = {
    {"changsha_culture_2025", "fixtures/real/scan-changsha-culture-2025-p2.pdf",
     "fixtures/real/scan-changsha-culture-2025-p2.truth.json", 0.75, 0.45},
    {"changsha_culture_2025b", "fixtures/real/scan-changsha-culture-2025b-p2.pdf",
     "fixtures/real/scan-changsha-culture-2025b-p2.truth.json", 1.0, 0.85},
};

class RealScan : public ::testing::TestWithParam<RealCase> {};

TEST_P(RealScan, ReadsTheHandCheckedTable) {
  const RealCase& c = GetParam();
  const std::filesystem::path root = TALLY_SOURCE_DIR;
  const tally::core::Document document = tally::app::run_document(root / c.pdf, {});
  const tally::score::DocumentScore score = tally::score::score_document_json(
      tally::exports::json_of(document), slurp(root / c.truth), c.pdf, c.truth);
  tally::score::Counts counts;
  for (const tally::score::TableScore& table : score.tables) {
    EXPECT_TRUE(table.found) << table.title << " not found";
    counts += table.counts;
  }
  ASSERT_GT(counts.values_expected, 0);
  const double values =
      static_cast<double>(counts.values_exact) / static_cast<double>(counts.values_expected);
  EXPECT_GE(values, c.min_values) << counts.values_exact << " of " << counts.values_expected
                                  << " amounts right after reconciliation";
  const std::optional<double> labels = tally::score::label_accuracy(counts);
  ASSERT_TRUE(labels.has_value());
  EXPECT_GE(*labels, c.min_labels)
      << counts.label_errors << " label errors in " << counts.label_chars << " characters";
  EXPECT_EQ(counts.corrections_right_to_wrong, 0);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, RealScan, ::testing::ValuesIn(kRealCases),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

}  // namespace

int main(int argc, char** argv) {
  tally::ocr::reexec_single_threaded(argv);  // OpenMP reads its thread limit at load time
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
