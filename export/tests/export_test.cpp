#include "tally/export/export.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "../../tests/support/json_schema.h"
#include "tally/core/error.h"

using namespace tally;

namespace {

core::Document sample_document() {
  core::Document doc;
  doc.source = {"x.pdf", std::string(64, 'a'), 1234, 9};
  doc.metadata = {"昌吉回族自治州人民政府办公室", 2024, core::DocumentKind::Budget, "万元"};
  core::Page page;
  page.number = 5;
  page.width = 841.89;
  page.height = 595.28;
  page.text_source = core::TextSource::TextLayer;
  page.text_source_reasons = {"fine"};
  doc.pages.push_back(page);
  core::Table t;
  t.id = 0;
  t.number = 3;
  t.title = "部门支出总体情况表";
  t.pages = {5};
  t.regions = {{5, {50, 100, 790, 500}, 0, 2}};
  t.header_rows = 1;
  t.n_rows = 3;
  t.n_cols = 2;
  t.cells = {{.row = 0,
              .col = 0,
              .colspan = 2,
              .text = "科目, \"合计\"",
              .page = 5,
              .box = {50, 100, 790, 120.004}},
             {.row = 1, .col = 0, .text = "总计", .page = 5},
             {.row = 1,
              .col = 1,
              .text = "1,760.38",
              .page = 5,
              .read = core::Amount{176038, 2},
              .value = core::Amount{176038, 2}},
             {.row = 2, .col = 0, .text = "行政运行", .page = 5},
             {.row = 2,
              .col = 1,
              .text = "835.1O",
              .page = 5,
              .confidence = 0.61,
              .source = core::TextSource::Ocr,
              .read = core::Amount{8351, 1},
              .value = core::Amount{83510, 2},
              .alternatives = {{"835.10", 0.3}},
              .status = core::CellStatus::Repaired,
              .status_checks = {"t0.c1.sum"},
              .status_note = "835.1 → 835.10"}};
  t.rows = {{core::RowRole::Header},
            {core::RowRole::Total},
            {core::RowRole::Item, core::ClassificationCode{"201", "03", "01"}, "行政运行", 1}};
  t.columns = {{core::ColumnRole::Label, "科目"}, {core::ColumnRole::Amount, "合计"}};
  doc.tables.push_back(t);
  doc.checks.push_back({"t0.c1.sum",
                        "total",
                        "generic",
                        "总计 = 行政运行",
                        {{{0, 1, 1}, 1}, {{0, 2, 1}, -1}},
                        2,
                        0,
                        0,
                        core::CheckStatus::HeldAfterRepair});
  doc.warn(5, "grid_not_closed", "a test warning");
  return doc;
}

}  // namespace

TEST(JsonOf, FollowsTheContractAndTheSchema) {
  const nlohmann::json out = nlohmann::json::parse(exports::json_of(sample_document()));
  EXPECT_EQ(test_support::schema_errors(out), "");
  EXPECT_EQ(out["schema_version"], 1);
  EXPECT_EQ(out["document"]["kind"], "budget");
  EXPECT_EQ(out["document"]["year"], 2024);
  const auto& table = out["tables"][0];
  EXPECT_EQ(table["number"], 3);
  EXPECT_EQ(table["cells"][0]["colspan"], 2);
  EXPECT_EQ(table["cells"][0]["bbox"][3], 120.0);     // rounded to 0.01
  EXPECT_FALSE(table["cells"][0].contains("value"));  // not a numeric cell
  EXPECT_EQ(table["cells"][2]["value"], "1760.38");
  EXPECT_EQ(table["cells"][4]["read"], "835.1");
  EXPECT_EQ(table["cells"][4]["value"], "835.10");
  EXPECT_EQ(table["cells"][4]["status"], "repaired");
  EXPECT_EQ(table["rows"][2]["code"], "2010301");
  EXPECT_EQ(table["rows"][2]["section"], "03");
  EXPECT_EQ(out["checks"][0]["status"], "held_after_repair");
}

TEST(JsonOf, IsDeterministicAndRejectsNothingForBadUtf8) {
  core::Document doc = sample_document();
  doc.tables[0].cells[1].text = "\xff\xfe broken";
  const std::string a = exports::json_of(doc);
  EXPECT_EQ(a, exports::json_of(doc));
  EXPECT_TRUE(nlohmann::json::accept(a));
}

TEST(JsonOf, SchemaRejectsABrokenDocument) {
  nlohmann::json out = nlohmann::json::parse(exports::json_of(sample_document()));
  out["tables"][0]["cells"][2]["value"] = "1,760.38";
  EXPECT_NE(test_support::schema_errors(out), "");
}

TEST(CsvOf, WritesTheGridWithValuesAndQuoting) {
  const core::Document doc = sample_document();
  EXPECT_EQ(exports::csv_of(doc.tables[0]),
            "\"科目, \"\"合计\"\"\",\n总计,1760.38\n行政运行,835.10\n");
  const std::string excel = exports::csv_of(doc.tables[0], {.excel = true});
  EXPECT_EQ(excel.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_NE(excel.find("\r\n"), std::string::npos);
  EXPECT_EQ(exports::csv_file_name(doc, doc.tables[0]), "table-03.csv");
}

TEST(WriteFileAtomically, WritesAndRefusesUnwritablePaths) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("tally-export-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  exports::write_file_atomically(dir / "a" / "b.json", "{}\n");
  std::ifstream in(dir / "a" / "b.json");
  std::string content((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(content, "{}\n");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir / "a"), {}), 1);  // no temp left
  std::ofstream(dir / "file") << "x";
  try {
    exports::write_file_atomically(dir / "file" / "x.json", "{}");
    FAIL() << "wrote below a regular file";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::OutputUnwritable);
    EXPECT_NE(std::string(e.what()).find("x.json"), std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST(PageImageOf, EncodesThePageTurnedIntoTheFrameOfItsBoxes) {
  tally::core::Raster raster;
  raster.width = 30;
  raster.height = 20;
  raster.dpi = 72;
  raster.pixels.assign(30 * 20, 255);
  const auto upright = tally::exports::page_image_of(raster, 0, 0, 0);
  ASSERT_GE(upright.png.size(), 8u);
  EXPECT_EQ(upright.png.substr(1, 3), "PNG");
  EXPECT_EQ(upright.width_px, 30);
  EXPECT_EQ(upright.height_px, 20);
  EXPECT_DOUBLE_EQ(upright.width_pt, 30);  // no page size given: the raster's own at its dpi

  const auto turned = tally::exports::page_image_of(raster, 90, 595, 842);
  EXPECT_EQ(turned.width_px, 20);
  EXPECT_EQ(turned.height_px, 30);
  EXPECT_DOUBLE_EQ(turned.width_pt, 595);
  EXPECT_DOUBLE_EQ(turned.height_pt, 842);

  EXPECT_TRUE(tally::exports::page_image_of(tally::core::Raster{}, 0, 0, 0).png.empty());
}

// A page the OCR stage deskewed: the report's image is turned back the same way, so a rule the
// scanner tilted lies level again on the row the boxes (deskewed frame) put it.
TEST(PageImageOf, TurnsADeskewedPageLikeTheOcrStage) {
  cv::Mat page(300, 600, CV_8UC1, cv::Scalar(255));
  cv::line(page, {20, 150}, {580, 150}, cv::Scalar(0), 3);
  const double skew = 1.25;  // the scanner's tilt, as ocr::prepare_page measures it
  cv::Mat tilted;
  cv::warpAffine(page, tilted, cv::getRotationMatrix2D(cv::Point2f(300, 150), skew, 1.0),
                 page.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(255));
  tally::core::Raster raster;
  raster.width = 600;
  raster.height = 300;
  raster.dpi = 72;
  raster.pixels.assign(tilted.datastart, tilted.dataend);
  const auto ink_on_row = [](const tally::exports::PageImage& image) {
    std::vector<std::uint8_t> bytes(image.png.begin(), image.png.end());
    const cv::Mat grey = cv::imdecode(bytes, cv::IMREAD_GRAYSCALE);
    int on = 0;
    for (int x = 30; x < 570; ++x) on += grey.at<std::uint8_t>(150, x) < 128;
    return on / 540.0;
  };
  EXPECT_GT(ink_on_row(tally::exports::page_image_of(raster, 0, 0, 0, skew)), 0.95);
  EXPECT_LT(ink_on_row(tally::exports::page_image_of(raster, 0, 0, 0)), 0.5);
}
