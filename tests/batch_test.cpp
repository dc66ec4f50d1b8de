// `tally batch` end to end: outputs, the corpus database (README's queries), the workbook read
// back, the audit report in headless Chromium, --resume, and bad input.
#include "tally/app/batch.h"

#include <gtest/gtest.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "support/batch_run.h"
#include "tally/core/error.h"
#include "tally/export/export.h"
#include "tally/extract/extract.h"

namespace {

namespace fs = std::filesystem;

using tally::test_support::CommandResult;
using tally::test_support::kSource;
using tally::test_support::kTally;
using tally::test_support::query;
using tally::test_support::read_text;
using tally::test_support::run_tally;
using tally::test_support::scratch;
using tally::test_support::shell;

// Screenshots and other artefacts the tests keep.
const fs::path kTestOutput = fs::path(TALLY_BINARY_DIR) / "test-output" / "batch";

long long scalar(sqlite3* db, const std::string& sql) {
  const auto rows = query(db, sql);
  return rows.empty() || rows[0].empty() || rows[0][0].empty() ? -1 : std::stoll(rows[0][0]);
}

// The ```sql blocks of README.md's batch section.
std::vector<std::string> readme_queries() {
  const std::string readme = read_text(kSource + "/README.md");
  std::vector<std::string> queries;
  const std::regex block("```sql\n([\\s\\S]*?)```");
  for (auto it = std::sregex_iterator(readme.begin(), readme.end(), block);
       it != std::sregex_iterator(); ++it)
    queries.push_back((*it)[1].str());
  return queries;
}

// Number of nodes an XPath expression selects in a parsed document.
int count_nodes(xmlDocPtr doc, const std::string& xpath,
                const std::vector<std::pair<std::string, std::string>>& ns = {}) {
  xmlXPathContextPtr context = xmlXPathNewContext(doc);
  for (const auto& [prefix, uri] : ns)
    xmlXPathRegisterNs(context, reinterpret_cast<const xmlChar*>(prefix.c_str()),
                       reinterpret_cast<const xmlChar*>(uri.c_str()));
  xmlXPathObjectPtr result =
      xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), context);
  const int n = result && result->nodesetval ? result->nodesetval->nodeNr : -1;
  xmlXPathFreeObject(result);
  xmlXPathFreeContext(context);
  return n;
}

bool have(const std::string& program) {
  return shell("command -v " + program + " >/dev/null").exit_code == 0;
}

// The DOM Chromium builds from a file (after scripts ran), or "" when Chromium is missing.
std::string chromium_dom(const fs::path& file, const std::string& fragment = "") {
  const CommandResult r = shell(
      "timeout 120 chromium --headless --no-sandbox --disable-gpu --allow-file-access-from-files "
      "--virtual-time-budget=2000 --dump-dom 'file://" +
      file.string() + fragment + "' 2>/dev/null");
  return r.output;
}

const std::string kSvgNs = "http://www.w3.org/2000/svg";
const std::string kSheetNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

}  // namespace

// The fixture corpus (fixtures/pdf) with -j 2: every output, then the database, workbook and
// report.
TEST(TallyBatch, ReadsTheFixtureCorpusInParallel) {
  const fs::path out = scratch("corpus");
  const CommandResult r =
      run_tally("batch " + kSource + "/fixtures/pdf -o " + out.string() + " -j 2");
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
  std::size_t pdfs = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/fixtures/pdf"))
    pdfs += entry.path().extension() == ".pdf";
  EXPECT_NE(r.output.find(std::to_string(pdfs) + " documents (" + std::to_string(pdfs) +
                          " read, 0 skipped as already done, 0 failed)"),
            std::string::npos)
      << r.output;
  const std::string done = std::to_string(pdfs) + "/" + std::to_string(pdfs) + " done";
  EXPECT_NE(r.output.find("tally batch: " + done), std::string::npos)
      << r.output;  // the final plain progress line

  // Every document's outputs.
  int json_tables = 0;
  for (const auto& entry : fs::directory_iterator(kSource + "/fixtures/pdf")) {
    if (entry.path().extension() != ".pdf") continue;
    const std::string stem = entry.path().stem().string();
    for (const char* ext : {".json", ".xlsx", ".html"})
      EXPECT_TRUE(fs::exists(out / (stem + ext))) << stem << ext;
    const nlohmann::json json = nlohmann::json::parse(read_text(out / (stem + ".json")));
    json_tables += static_cast<int>(json["tables"].size());
  }
  EXPECT_GT(json_tables, 0);

  // The database.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "tally.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM documents"), static_cast<long long>(pdfs));
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM tables"), json_tables);
  EXPECT_EQ(scalar(db, "SELECT SUM(n_tables) FROM documents"), json_tables);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM errors"), 0);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM documents WHERE length(sha256) = 64"),
            static_cast<long long>(pdfs));
  // Every table's cells are there, and numbers parse back to the decimals the JSON gives.
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM tables t WHERE NOT EXISTS (SELECT 1 FROM cells c WHERE "
                   "c.table_id = t.id)"),
            0);
  EXPECT_GT(scalar(db, "SELECT COUNT(*) FROM cells WHERE amount IS NOT NULL AND is_header = 0"),
            100);
  EXPECT_EQ(scalar(db,
                   "SELECT COUNT(*) FROM cells WHERE amount IS NOT NULL AND abs(CAST(value AS "
                   "REAL) - amount) > 1e-6"),
            0);
  {
    const nlohmann::json json = nlohmann::json::parse(read_text(out / "seed-000.born.json"));
    long long cells = 0;
    for (const auto& table : json["tables"]) cells += static_cast<long long>(table["cells"].size());
    EXPECT_EQ(scalar(db,
                     "SELECT COUNT(*) FROM cells c JOIN tables t ON t.id = c.table_id JOIN "
                     "documents d ON d.id = t.document_id "
                     "WHERE d.path = 'seed-000.born.pdf'"),
              cells);
  }
  // README's example queries run on it.
  const std::vector<std::string> queries = readme_queries();
  ASSERT_EQ(queries.size(), 3u);
  for (const std::string& sql : queries) query(db, sql);
  const auto sangong = query(db, queries[0]);
  EXPECT_GT(sangong.size(), 0u) << "三公 query found nothing";
  const auto totals = query(db, queries[2]);
  EXPECT_GT(totals.size(), 0u) << "totals query found nothing";
  sqlite3_close(db);

  // The workbook: one sheet per table, numbers stored as numbers, merged header cells.
  {
    const nlohmann::json json = nlohmann::json::parse(read_text(out / "seed-000.born.json"));
    const CommandResult workbook =
        shell("unzip -p '" + (out / "seed-000.born.xlsx").string() + "' xl/workbook.xml");
    ASSERT_EQ(workbook.exit_code, 0) << workbook.output;
    xmlDocPtr doc = xmlReadMemory(workbook.output.data(), static_cast<int>(workbook.output.size()),
                                  "workbook.xml", nullptr, 0);
    ASSERT_NE(doc, nullptr);
    EXPECT_EQ(count_nodes(doc, "//s:sheets/s:sheet", {{"s", kSheetNs}}),
              static_cast<int>(json["tables"].size()));
    xmlFreeDoc(doc);
    int merged = 0, numbers = 0;
    for (std::size_t i = 1; i <= json["tables"].size(); ++i) {
      const CommandResult sheet = shell("unzip -p '" + (out / "seed-000.born.xlsx").string() +
                                        "' xl/worksheets/sheet" + std::to_string(i) + ".xml");
      ASSERT_EQ(sheet.exit_code, 0);
      xmlDocPtr s = xmlReadMemory(sheet.output.data(), static_cast<int>(sheet.output.size()),
                                  "sheet.xml", nullptr, 0);
      ASSERT_NE(s, nullptr);
      merged += count_nodes(s, "//s:mergeCell", {{"s", kSheetNs}});
      numbers += count_nodes(s, "//s:c[not(@t)]/s:v", {{"s", kSheetNs}});
      xmlFreeDoc(s);
    }
    int spans = 0, json_numbers = 0;
    for (const auto& table : json["tables"])
      for (const auto& cell : table["cells"]) {
        spans += cell.value("rowspan", 1) > 1 || cell.value("colspan", 1) > 1;
        json_numbers +=
            cell.contains("value") && cell["row"].get<int>() >= table["header_rows"].get<int>();
      }
    EXPECT_EQ(merged, spans);
    EXPECT_EQ(numbers, json_numbers);
    EXPECT_GT(numbers, 0);
  }

  // The audit report: parsed as HTML, then loaded in Chromium with a screenshot kept.
  const fs::path report = out / "seed-000.born.html";
  const std::string html = read_text(report);
  EXPECT_EQ(html.find("http://"),
            html.find("http://www.w3.org/2000/svg"));  // no network, only the SVG namespace
  EXPECT_EQ(html.find("https://"), std::string::npos);
  {
    htmlDocPtr doc = htmlReadMemory(html.data(), static_cast<int>(html.size()), "report.html",
                                    "utf-8", HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    ASSERT_NE(doc, nullptr);
    const nlohmann::json json = nlohmann::json::parse(read_text(out / "seed-000.born.json"));
    EXPECT_EQ(count_nodes(doc, "//section[@class='table']"),
              static_cast<int>(json["tables"].size()));
    EXPECT_GT(count_nodes(doc, "//figure[@class='page']"), 0);
    xmlFreeDoc(doc);
  }
  if (!have("chromium")) {
    GTEST_SKIP()
        << "chromium not installed: the report was checked with libxml2's HTML parser only";
  }
  const std::string dom = chromium_dom(report);
  ASSERT_FALSE(dom.empty());
  EXPECT_NE(dom.find("<svg"), std::string::npos);
  EXPECT_NE(dom.find("data:image/png;base64,"), std::string::npos);
  EXPECT_NE(dom.find("class=\"cell"), std::string::npos);
  EXPECT_NE(dom.find("<table class=\"cells\">"), std::string::npos);
  fs::create_directories(kTestOutput);
  const fs::path screenshot = kTestOutput / "seed-000.born.png";
  fs::remove(screenshot);
  const CommandResult shot =
      shell("cd '" + kTestOutput.string() +
            "' && timeout 120 chromium --headless --no-sandbox --disable-gpu "
            "--hide-scrollbars --window-size=1280,1600 --screenshot='" +
            screenshot.string() + "' 'file://" + report.string() + "'");
  EXPECT_TRUE(fs::exists(screenshot)) << shot.output;
  EXPECT_GT(fs::exists(screenshot) ? fs::file_size(screenshot) : 0, 10000u);
  fs::copy_file(report, kTestOutput / "seed-000.born.html", fs::copy_options::overwrite_existing);
}

// Clicking a check highlights its cells: a document with a repaired cell and a broken check,
// rendered and loaded in Chromium with the check selected through the URL.
TEST(TallyBatch, ReportHighlightsTheCellsOfAClickedCheck) {
  using namespace tally;
  core::Document document;
  document.source.file = "synthetic.pdf";
  document.source.page_count = 1;
  core::Page page;
  page.number = 1;
  page.width = 300;
  page.height = 200;
  document.pages.push_back(page);
  core::Table table;
  table.id = 0;
  table.number = 3;
  table.title = "支出总体情况表";
  table.pages = {1};
  table.n_rows = 4;
  table.n_cols = 2;
  table.header_rows = 1;
  const char* texts[4][2] = {{"项目", "金额"}, {"合计", "30.00"}, {"甲", "10.00"}, {"乙", "21.00"}};
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 2; ++c) {
      core::Cell cell;
      cell.row = r;
      cell.col = c;
      cell.page = 1;
      cell.text = texts[r][c];
      cell.box = {20.0 + 100 * c, 20.0 + 30 * r, 120.0 + 100 * c, 50.0 + 30 * r};
      if (r > 0 && c == 1) cell.read = cell.value = core::amount_from_text(cell.text);
      table.cells.push_back(cell);
    }
  table.cells[5].status = core::CellStatus::Repaired;  // 甲
  table.cells[5].read = core::Amount{1000, 2};
  table.cells[5].status_note = "read 10.00 as 1000; 合计 = 甲 + 乙 holds with 10.00";
  document.tables.push_back(table);
  core::Check check;
  check.id = "t0.col1.total";
  check.kind = "column_sum";
  check.description = "合计 = 甲 + 乙 (金额)";
  check.terms = {{{0, 1, 1}, 1}, {{0, 2, 1}, -1}, {{0, 3, 1}, -1}};
  check.residual = -100;
  check.status = core::CheckStatus::Broken;
  document.checks.push_back(check);

  const fs::path dir = scratch("synthetic");
  const fs::path report = dir / "synthetic.html";
  exports::write_file_atomically(report, exports::html_of(document, {}));
  exports::write_xlsx(document, dir / "synthetic.xlsx");
  // The workbook carries the evidence as comments.
  const CommandResult comments =
      shell("unzip -p '" + (dir / "synthetic.xlsx").string() + "' xl/comments1.xml");
  EXPECT_NE(comments.output.find("合计 = 甲 + 乙 holds with 10.00"), std::string::npos)
      << comments.output;
  EXPECT_NE(comments.output.find("Broken check t0.col1.total"), std::string::npos)
      << comments.output;

  if (!have("chromium")) GTEST_SKIP() << "chromium not installed";
  const std::string before = chromium_dom(report);
  EXPECT_EQ(before.find(" hl\""), std::string::npos);
  const std::string after = chromium_dom(report, "#check=t0.col1.total");
  // Three cells, each in the SVG overlay and in the HTML table.
  std::size_t highlighted = 0;
  for (std::size_t at = after.find(" hl\""); at != std::string::npos;
       at = after.find(" hl\"", at + 1))
    ++highlighted;
  EXPECT_EQ(highlighted, 6u) << after;
  EXPECT_NE(after.find("class=\"check broken active\""), std::string::npos);
  fs::create_directories(kTestOutput);
  shell("cd '" + kTestOutput.string() +
        "' && timeout 120 chromium --headless --no-sandbox --disable-gpu --window-size=900,700 "
        "--screenshot='" +
        (kTestOutput / "synthetic-check-selected.png").string() + "' 'file://" + report.string() +
        "#check=t0.col1.total'");
  EXPECT_TRUE(fs::exists(kTestOutput / "synthetic-check-selected.png"));
}

// --resume skips what the ledger records as done, by content: a renamed copy is skipped too.
TEST(TallyBatch, ResumeSkipsDocumentsAlreadyDone) {
  const fs::path in = scratch("resume-in"), out = scratch("resume-out");
  fs::copy_file(kSource + "/fixtures/pdf/seed-001.born.pdf", in / "a.pdf");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", in / "b.pdf");
  const CommandResult first =
      run_tally("batch " + in.string() + " -o " + out.string() + " --format json,sqlite");
  ASSERT_EQ(first.exit_code, 0) << first.output;
  EXPECT_NE(first.output.find("2 documents (2 read, 0 skipped"), std::string::npos) << first.output;
  EXPECT_EQ(tally::app::read_batch_ledger(out).size(), 2u);
  fs::copy_file(kSource + "/fixtures/pdf/seed-001.born.pdf", in / "c-renamed-copy.pdf");
  fs::copy_file(kSource + "/fixtures/pdf/seed-002.born.pdf", in / "d.pdf");
  const CommandResult second =
      run_tally("batch " + in.string() + " -o " + out.string() + " --format json,sqlite --resume");
  ASSERT_EQ(second.exit_code, 0) << second.output;
  EXPECT_NE(second.output.find("4 documents (1 read, 3 skipped"), std::string::npos)
      << second.output;
  EXPECT_TRUE(fs::exists(out / "d.json"));
  EXPECT_FALSE(fs::exists(out / "c-renamed-copy.json"));
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "tally.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM documents"), 3);
  sqlite3_close(db);
}

// Bad input: one line naming the file and the reason for each, the batch goes on, errors land in
// the ledger and the database, and the exit code says an input failed.
TEST(TallyBatch, BadInputBecomesErrorRecordsAndTheBatchGoesOn) {
  const fs::path in = scratch("bad-in"), out = scratch("bad-out");
  const std::string data = kSource + "/extract/tests/data/";
  for (const char* name : {"not-a-pdf.pdf", "truncated.pdf", "encrypted.pdf", "no-pages.pdf",
                           "huge-page.pdf", "simple.pdf"})
    fs::copy_file(data + name, in / name);
  // A 2 GB file (sparse: takes no disk); it must be refused by its size without being read.
  ASSERT_EQ(shell("truncate -s 2G '" + (in / "two-gigabytes.pdf").string() + "'").exit_code, 0);
  std::ofstream(in / "empty.pdf").close();
  const auto started = std::chrono::steady_clock::now();
  const CommandResult r = run_tally("batch " + in.string() + " -o " + out.string() + " -j 2");
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_LT(seconds, 30) << "a 2 GB file must fail by its size, not be read";
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::vector<std::string> expected = {
      "tally: not-a-pdf.pdf: not a PDF",
      "tally: truncated.pdf: damaged PDF",
      "tally: encrypted.pdf: the PDF is encrypted",
      "tally: no-pages.pdf: the PDF has no pages",
      "tally: huge-page.pdf: page 1: page is 20000 × 20000 pt",
      "tally: two-gigabytes.pdf: the file is 2048 MiB, larger than the limit of 1024 MiB",
      "tally: empty.pdf: the file is empty",
  };
  for (const std::string& line : expected)
    EXPECT_NE(r.output.find(line), std::string::npos) << line << "\n" << r.output;
  EXPECT_NE(r.output.find("8 documents (1 read, 0 skipped as already done, 7 failed)"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(fs::exists(out / "simple.json"));
  // One line per error: no stack traces, no multi-line messages.
  std::istringstream lines(r.output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("tally: ", 0) == 0 && line.find("tally: ", 1) != std::string::npos)
      ADD_FAILURE() << line;

  int errors = 0;
  for (const auto& [name, d] : tally::app::read_batch_ledger(out)) errors += d.status == "error";
  EXPECT_EQ(errors, 7);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((out / "tally.sqlite").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM errors"), 7);
  EXPECT_EQ(
      scalar(db,
             "SELECT COUNT(*) FROM errors WHERE path = 'two-gigabytes.pdf' AND code = 'too_large'"),
      1);
  EXPECT_EQ(
      scalar(db, "SELECT COUNT(*) FROM errors WHERE path = 'encrypted.pdf' AND code = 'encrypted'"),
      1);
  EXPECT_EQ(scalar(db, "SELECT COUNT(*) FROM documents"), 1);
  sqlite3_close(db);

  // The same 2 GB file through `tally extract`: refused by size, fast.
  const CommandResult extract =
      run_tally("extract " + (in / "two-gigabytes.pdf").string() + " -o " + out.string());
  EXPECT_EQ(extract.exit_code, 2);
  EXPECT_NE(extract.output.find("two-gigabytes.pdf: the file is 2048 MiB"), std::string::npos)
      << extract.output;
}

TEST(TallyBatch, MissingInputsAndUnwritableOutputs) {
  const fs::path out = scratch("missing-out");
  CommandResult r = run_tally("batch /nonexistent/tally-folder -o " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("tally: /nonexistent/tally-folder: no such file or folder."),
            std::string::npos)
      << r.output;

  // A manifest naming a missing file: an error record, the others are read.
  const fs::path manifest = out / "list.txt";
  std::ofstream(manifest) << "# two documents\n"
                          << kSource << "/extract/tests/data/simple.pdf\nnot-there.pdf\n";
  r = run_tally("batch " + manifest.string() + " -o " + (out / "run").string() + " --format json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("not-there.pdf: no such file."), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(out / "run" / "simple.json"));

  // An output folder that cannot be written: one line, exit 4, nothing read.
  r = run_tally("batch " + kSource + "/extract/tests/data -o /proc/tally-cannot-write");
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("tally: /proc/tally-cannot-write: cannot write"), std::string::npos)
      << r.output;
  // An output folder that is a file.
  std::ofstream(out / "a-file").put('x');
  r = run_tally("batch " + kSource + "/extract/tests/data -o " + (out / "a-file").string());
  EXPECT_EQ(r.exit_code, 4) << r.output;
  EXPECT_NE(r.output.find("a-file: cannot write"), std::string::npos) << r.output;

  r = run_tally("batch " + kSource + "/extract/tests/data -o " + out.string() + " --format pdf");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("--format pdf"), std::string::npos) << r.output;
}

// Nothing already written is lost: a later run over a document that has become unreadable keeps the
// earlier outputs, and no temporary file is left behind.
TEST(TallyBatch, AFailedRunKeepsEarlierOutputs) {
  const fs::path in = scratch("keep-in"), out = scratch("keep-out");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", in / "doc.pdf");
  ASSERT_EQ(run_tally("batch " + in.string() + " -o " + out.string()).exit_code, 0);
  const std::string json = read_text(out / "doc.json"), xlsx = read_text(out / "doc.xlsx"),
                    html = read_text(out / "doc.html");
  ASSERT_FALSE(json.empty());
  fs::copy_file(kSource + "/extract/tests/data/truncated.pdf", in / "doc.pdf",
                fs::copy_options::overwrite_existing);
  const CommandResult r = run_tally("batch " + in.string() + " -o " + out.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(read_text(out / "doc.json"), json);
  EXPECT_EQ(read_text(out / "doc.xlsx"), xlsx);
  EXPECT_EQ(read_text(out / "doc.html"), html);
  for (const auto& entry : fs::recursive_directory_iterator(out))
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  // An output that cannot be replaced (a folder where the workbook goes) is an error record naming
  // it.
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", in / "doc.pdf",
                fs::copy_options::overwrite_existing);
  fs::remove(out / "doc.xlsx");
  fs::create_directories(out / "doc.xlsx" / "blocker");
  const CommandResult blocked = run_tally("batch " + in.string() + " -o " + out.string());
  EXPECT_EQ(blocked.exit_code, 4) << blocked.output;
  EXPECT_NE(blocked.output.find("doc.xlsx: cannot write"), std::string::npos) << blocked.output;
  EXPECT_EQ(read_text(out / "doc.json"), json);
}

TEST(BatchInputs, FolderManifestAndSinglePdf) {
  const fs::path dir = scratch("inputs");
  fs::create_directories(dir / "sub");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", dir / "sub" / "x.PDF");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", dir / "a.pdf");
  std::ofstream(dir / "notes.txt") << "not a pdf";
  auto inputs = tally::app::list_batch_inputs(dir);
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[0].name, "a.pdf");
  EXPECT_EQ(inputs[1].name, "sub/x.PDF");
  EXPECT_EQ(inputs[1].stem, "sub/x");
  // The output folder inside the input folder is left out.
  fs::create_directories(dir / "out");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", dir / "out" / "old.pdf");
  EXPECT_EQ(tally::app::list_batch_inputs(dir, dir / "out").size(), 2u);
  std::ofstream(dir / "list.txt") << "a.pdf\n\n# comment\nsub/x.PDF\n"
                                  << (dir / "a.pdf").string() << "\n";
  inputs = tally::app::list_batch_inputs(dir / "list.txt");
  ASSERT_EQ(inputs.size(), 3u);
  EXPECT_EQ(inputs[0].path, dir / "a.pdf");
  EXPECT_EQ(inputs[2].stem, "a-2");  // same file name twice: outputs do not collide
  EXPECT_EQ(tally::app::list_batch_inputs(dir / "a.pdf").size(), 1u);
  EXPECT_THROW(tally::app::list_batch_inputs(dir / "nothing"), tally::core::Error);
}

// A link in the input folder to a PDF elsewhere is named as the link, so its outputs stay in
// OUTDIR (it was named "../…" after its target, and its JSON was written beside the target).
TEST(BatchInputs, ALinkIsNamedAsTheLinkNotItsTarget) {
  const fs::path dir = scratch("linked-inputs");
  const fs::path elsewhere = scratch("linked-target");
  fs::create_directories(dir / "sub");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", elsewhere / "target.pdf");
  fs::create_symlink(elsewhere / "target.pdf", dir / "sub" / "link.pdf");
  const auto inputs = tally::app::list_batch_inputs(dir);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].name, "sub/link.pdf");
  EXPECT_EQ(inputs[0].stem, "sub/link");
}

// A PDF with bytes before its header (PDF readers look for "%PDF-" within the first 1024 bytes) is
// a PDF for `tally batch` as for `tally extract`, not a manifest of 40 lines.
TEST(TallyBatch, APdfWithBytesBeforeItsHeaderIsAPdfNotAManifest) {
  const fs::path dir = scratch("junk-header");
  const fs::path pdf = dir / "junk.pdf";
  std::ofstream(pdf, std::ios::binary) << std::string(700, ' ') << "\n"
                                       << read_text(kSource + "/fixtures/pdf/seed-001.born.pdf");
  EXPECT_TRUE(tally::extract::looks_like_pdf(pdf));
  const auto inputs = tally::app::list_batch_inputs(pdf);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, pdf);
  const CommandResult batch =
      run_tally("batch " + pdf.string() + " -o " + (dir / "batch").string() + " --format json");
  EXPECT_TRUE(batch.exit_code == 0 || batch.exit_code == 3) << batch.output;
  EXPECT_NE(batch.output.find("1 documents (1 read, 0 skipped as already done, 0 failed)"),
            std::string::npos)
      << batch.output;
  const CommandResult extract =
      run_tally("extract " + pdf.string() + " -o " + (dir / "extract").string());
  EXPECT_TRUE(extract.exit_code == 0 || extract.exit_code == 3) << extract.output;
  // Past the window it is not a PDF.
  const fs::path far = dir / "far.pdf";
  std::ofstream(far, std::ios::binary)
      << std::string(tally::extract::kPdfHeaderWindow, ' ') << "%PDF-1.4\n";
  EXPECT_FALSE(tally::extract::looks_like_pdf(far));
}

// `tally extract` writes the workbook and Excel-friendly CSV too.
TEST(TallyExtract, WritesXlsxAndExcelCsv) {
  const fs::path out = scratch("extract-xlsx");
  const CommandResult r = run_tally("extract " + kSource + "/fixtures/pdf/seed-001.born.pdf -o " +
                                    out.string() + " --format xlsx,csv-excel");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(fs::exists(out / "seed-001.born.xlsx"));
  EXPECT_FALSE(fs::exists(out / "seed-001.born.json"));
  bool some = false;
  for (const auto& entry : fs::directory_iterator(out / "seed-001.born")) {
    const std::string csv = read_text(entry.path());
    EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF") << entry.path();
    EXPECT_NE(csv.find("\r\n"), std::string::npos) << entry.path();
    some = true;
  }
  EXPECT_TRUE(some);
}

TEST(Base64, MatchesRfc4648Vectors) {
  using tally::exports::base64;
  EXPECT_EQ(base64(""), "");
  EXPECT_EQ(base64("f"), "Zg==");
  EXPECT_EQ(base64("fo"), "Zm8=");
  EXPECT_EQ(base64("foo"), "Zm9v");
  EXPECT_EQ(base64("foob"), "Zm9vYg==");
  EXPECT_EQ(base64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64(std::string("\xff\x00\x80", 3)), "/wCA");
}

// Ctrl-C: no further document starts, the running one finishes, exit 130; --resume completes it.
TEST(TallyBatch, InterruptStopsCleanlyAndResumeFinishes) {
  const fs::path in = scratch("interrupt-in"), out = scratch("interrupt-out");
  for (const char* name : {"seed-000.born.pdf", "seed-001.born.pdf", "seed-002.born.pdf",
                           "seed-004.born.pdf", "gen-0001.born.pdf"})
    fs::copy_file(kSource + "/fixtures/pdf/" + name, in / name);
  // The signal goes once the ledger exists: the batch writes it after installing its handler. A
  // background job starts with SIGINT ignored, so a signal sent earlier (a loaded machine, a fixed
  // sleep) would be lost and the batch would run to its end.
  const fs::path ledger_path = out / tally::app::kLedgerName;
  const CommandResult r =
      shell("(" + kTally + " batch " + in.string() + " -o " + out.string() +
            " -j 1 --format json & pid=$!; for i in $(seq 200); do [ -e " + ledger_path.string() +
            " ] && break; sleep 0.02; done; kill -INT $pid; wait $pid; echo exit=$?)");
  // 0, or 3 (a source breaks identities): every document was read before the signal came.
  if (r.output.find("exit=0") != std::string::npos || r.output.find("exit=3") != std::string::npos)
    GTEST_SKIP() << "the batch finished before the signal";
  EXPECT_NE(r.output.find("exit=130"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("not started (run again with --resume)"), std::string::npos) << r.output;
  const auto ledger = tally::app::read_batch_ledger(out);
  const std::size_t done = ledger.size();
  EXPECT_LT(done, 5u);
  for (const auto& [name, d] : ledger) EXPECT_EQ(d.status, "done") << name;
  for (const auto& entry : fs::recursive_directory_iterator(out))
    EXPECT_EQ(entry.path().string().find(".tmp-"), std::string::npos) << entry.path();
  const CommandResult resumed =
      run_tally("batch " + in.string() + " -o " + out.string() + " -j 1 --format json --resume");
  EXPECT_TRUE(resumed.exit_code == 0 || resumed.exit_code == 3)
      << resumed.output;  // 3: a source breaks identities
  EXPECT_NE(resumed.output.find("5 documents (" + std::to_string(5 - done) + " read, " +
                                std::to_string(done) + " skipped"),
            std::string::npos)
      << resumed.output;
}

// A document that brought earlier runs down (left `started` in the ledger twice) is not retried by
// --resume: it becomes an error record and the batch goes on.
TEST(TallyBatch, ResumeSkipsADocumentThatStoppedEarlierRuns) {
  const fs::path in = scratch("crash-in"), out = scratch("crash-out");
  fs::copy_file(kSource + "/extract/tests/data/simple.pdf", in / "a.pdf");
  fs::copy_file(kSource + "/fixtures/pdf/seed-001.born.pdf", in / "b.pdf");
  std::ofstream(out / tally::app::kLedgerName)
      << R"({"name": "b.pdf", "status": "started", "attempts": 1})"
         "\n"
      << R"({"name": "b.pdf", "status": "started", "attempts": 2})"
         "\n";
  const CommandResult r =
      run_tally("batch " + in.string() + " -o " + out.string() + " --format json --resume");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("tally: b.pdf: 2 earlier runs stopped while reading this document"),
            std::string::npos)
      << r.output;
  EXPECT_TRUE(fs::exists(out / "a.json"));
  EXPECT_FALSE(fs::exists(out / "b.json"));
  // A run that finishes leaves no `started` record behind.
  const CommandResult again =
      run_tally("batch " + in.string() + " -o " + out.string() + " --format json");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  for (const auto& [name, d] : tally::app::read_batch_ledger(out))
    EXPECT_EQ(d.status, "done") << name;
}
