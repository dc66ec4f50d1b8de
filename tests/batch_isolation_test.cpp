// Bulk runs: one document per child process (a crash or a limit is one error record), shards by
// content, `tally merge`, and what produced each row (provenance).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/batch_run.h"
#include "tally/app/batch.h"
#include "tally/app/provenance.h"
#include "tally/core/error.h"

namespace {

namespace fs = std::filesystem;
using namespace tally::test_support;

fs::path fixture(const std::string& name) {
  return fs::path(kSource) / "fixtures" / "pdf" / name;
}

// The born-digital fixtures (a few seconds each).
std::vector<std::string> born_fixtures() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(kSource) / "fixtures" / "pdf"))
    if (entry.path().string().ends_with(".born.pdf"))
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The corpus rows that do not depend on ids or on the path a document was listed under.
std::vector<std::vector<std::string>> corpus_rows(const fs::path& database) {
  auto rows = query_file(database,
                         "SELECT d.sha256, d.department, d.year, d.kind, d.unit, d.n_tables, "
                         "d.checks_held, d.checks_repaired,"
                         " d.checks_broken, d.tally_version FROM documents d ORDER BY d.sha256");
  for (auto& row : query_file(database,
                              "SELECT d.sha256, t.table_index, t.title, c.row, c.col, c.text, "
                              "c.value, c.status, c.row_code,"
                              " c.header_path FROM cells c JOIN tables t ON t.id = c.table_id JOIN "
                              "documents d ON d.id = t.document_id"
                              " ORDER BY d.sha256, t.table_index, c.row, c.col"))
    rows.push_back(row);
  for (auto& row :
       query_file(database,
                  "SELECT d.sha256, k.check_id, k.status, k.residual, COUNT(ct.rowid) FROM checks k"
                  " JOIN documents d ON d.id = k.document_id LEFT JOIN check_terms ct ON "
                  "ct.check_id = k.id"
                  " GROUP BY k.id ORDER BY d.sha256, k.check_id"))
    rows.push_back(row);
  return rows;
}

TEST(BatchIsolation, ACrashOrAHangIsOneDocumentsErrorAndTheBatchGoesOn) {
  const fs::path dir = scratch("isolation");
  const fs::path in = dir / "in";
  fs::create_directories(in);
  fs::copy_file(fixture("seed-000.born.pdf"), in / "ok-a.pdf");
  fs::copy_file(fixture("seed-001.born.pdf"), in / "crash-1.pdf");
  fs::copy_file(fixture("gen-0001.born.pdf"), in / "hang-1.pdf");
  fs::copy_file(fixture("seed-002.born.pdf"), in / "ok-b.pdf");
  tally::app::BatchOptions options;
  options.worker = TALLY_FAULT_WORKER;
  options.time_limit =
      20;  // the hang; the other documents take a few seconds each on a loaded machine
  options.jobs = 2;
  options.formats = tally::app::batch_formats_from_text("json,sqlite");
  const auto summary =
      tally::app::run_batch(tally::app::list_batch_inputs(in), dir / "out", options);
  EXPECT_EQ(summary.read, 2u);
  ASSERT_EQ(summary.failed, 2u);
  std::map<std::string, tally::app::BatchRecord> errors;
  for (const auto& r : summary.errors) errors[r.name] = r;
  EXPECT_EQ(errors["crash-1.pdf"].error_code, "crashed");
  EXPECT_NE(errors["crash-1.pdf"].message.find("SIGSEGV"), std::string::npos)
      << errors["crash-1.pdf"].message;
  EXPECT_EQ(errors["hang-1.pdf"].error_code, "time_limit");
  EXPECT_NE(errors["hang-1.pdf"].message.find("time limit of 20 s"), std::string::npos)
      << errors["hang-1.pdf"].message;
  // The others were read in their children, outputs and rows written there.
  EXPECT_TRUE(fs::exists(dir / "out" / "ok-a.json"));
  EXPECT_TRUE(fs::exists(dir / "out" / "ok-b.json"));
  const fs::path db = dir / "out" / tally::app::kDatabaseName;
  EXPECT_EQ(query_file(db, "SELECT path FROM documents ORDER BY path"),
            (std::vector<std::vector<std::string>>{{"ok-a.pdf"}, {"ok-b.pdf"}}));
  EXPECT_EQ(query_file(db, "SELECT path, code FROM errors ORDER BY path"),
            (std::vector<std::vector<std::string>>{{"crash-1.pdf", "crashed"},
                                                   {"hang-1.pdf", "time_limit"}}));
  // The ledger says the same, so --resume retries only the two.
  int done = 0, failed = 0;
  for (const auto& [name, d] : tally::app::read_batch_ledger(dir / "out")) {
    done += d.status == "done";
    failed += d.status == "error";
  }
  EXPECT_EQ(done, 2);
  EXPECT_EQ(failed, 2);
}

TEST(BatchIsolation, TheChildRunsUnderItsMemoryLimit) {
  // A limit far below what reading needs turns the document into an error naming the limit (or
  // the signal a library died of), never a failed batch.
  if (!tally::app::kMemoryLimitApplies) GTEST_SKIP() << "sanitizer build: no RLIMIT_AS (batch.h)";
  const fs::path dir = scratch("memory-limit");
  const CommandResult r = run_tally("batch " + fixture("seed-001.born.pdf").string() + " -o " +
                                    (dir / "out").string() + " --format json --memory-limit 60");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("1 failed"), std::string::npos) << r.output;
  EXPECT_TRUE(r.output.find("60 MiB") != std::string::npos ||
              r.output.find("killed by SIG") != std::string::npos)
      << r.output;
}

TEST(Shards, FromTextAndFromTheScheduler) {
  EXPECT_EQ(tally::app::shard_from_text("3/16").index, 3);
  EXPECT_EQ(tally::app::shard_from_text("3/16").count, 16);
  for (const char* bad : {"16/16", "-1/4", "1", "a/b", "1/0", ""})
    EXPECT_THROW(tally::app::shard_from_text(bad), tally::core::Error) << bad;
  const auto environment = [](std::map<std::string, std::string> values) {
    return [values](const char* name) -> const char* {
      const auto it = values.find(name);
      return it == values.end() ? nullptr : it->second.c_str();
    };
  };
  EXPECT_FALSE(tally::app::shard_from_environment(environment({})));
  auto slurm = tally::app::shard_from_environment(
      environment({{"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(slurm);
  EXPECT_EQ(slurm->index, 2);
  EXPECT_EQ(slurm->count, 4);
  // --array=1-4: the first task is shard 0.
  slurm = tally::app::shard_from_environment(environment({{"SLURM_ARRAY_TASK_ID", "4"},
                                                          {"SLURM_ARRAY_TASK_COUNT", "4"},
                                                          {"SLURM_ARRAY_TASK_MIN", "1"}}));
  ASSERT_TRUE(slurm);
  EXPECT_EQ(slurm->index, 3);
  const auto k8s = tally::app::shard_from_environment(
      environment({{"JOB_COMPLETION_INDEX", "5"}, {"TALLY_SHARD_COUNT", "8"}}));
  ASSERT_TRUE(k8s);
  EXPECT_EQ(k8s->index, 5);
  EXPECT_FALSE(tally::app::shard_from_environment(
      environment({{"JOB_COMPLETION_INDEX", "5"}})));  // no count
  EXPECT_EQ(tally::app::shard_folder_name({3, 16}), "shard-03-of-16");
}

TEST(Shards, ShardsMergedHoldExactlyTheRowsOfOneRun) {
  const fs::path dir = scratch("shards");
  const fs::path in = dir / "in";
  fs::create_directories(in / "copies");
  const std::vector<std::string> kBorn = born_fixtures();
  ASSERT_GE(kBorn.size(), 3u);
  for (const std::string& name : kBorn) fs::copy_file(fixture(name), in / name);
  // Renamed copies: by content, each lands in its original's shard and is one document.
  fs::copy_file(fixture("seed-000.born.pdf"), in / "copies" / "renamed-a.pdf");
  fs::copy_file(fixture("seed-002.born.pdf"), in / "copies" / "renamed-b.pdf");

  const CommandResult single = run_tally("batch " + in.string() + " -o " +
                                         (dir / "single").string() + " --format sqlite -j 2 -q");
  ASSERT_TRUE(single.exit_code == 0 || single.exit_code == 3)
      << single.output;  // 3: a source breaks identities
  constexpr int kShards = 3;
  std::set<std::string> seen;
  std::size_t listed = 0;
  for (int k = 0; k < kShards; ++k) {
    const auto mine = tally::app::inputs_of_shard(tally::app::list_batch_inputs(in), {k, kShards},
                                                  std::int64_t{1} << 30);
    std::map<std::string, std::string> shard_of_hash;
    for (const auto& input : mine) {
      seen.insert(input.name);
      ++listed;
    }
    const CommandResult r =
        run_tally("batch " + in.string() + " -o " + (dir / "sharded").string() + " --shard " +
                  std::to_string(k) + "/" + std::to_string(kShards) + " --format sqlite -q");
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
  }
  EXPECT_EQ(listed, kBorn.size() + 2);  // every input in exactly one shard
  EXPECT_EQ(seen.size(), kBorn.size() + 2);
  for (const auto& [original, copy] : {std::pair{"seed-000.born.pdf", "copies/renamed-a.pdf"},
                                       {"seed-002.born.pdf", "copies/renamed-b.pdf"}})
    for (int k = 0; k < kShards; ++k) {
      const auto mine = tally::app::inputs_of_shard(tally::app::list_batch_inputs(in), {k, kShards},
                                                    std::int64_t{1} << 30);
      const auto has = [&](const std::string& name) {
        return std::any_of(mine.begin(), mine.end(), [&](const auto& i) { return i.name == name; });
      };
      EXPECT_EQ(has(original), has(copy)) << original << " and its copy in different shards";
    }

  std::string folders;
  for (const auto& entry : fs::directory_iterator(dir / "sharded"))
    folders += " " + entry.path().string();
  const CommandResult merged = run_tally("merge" + folders + " -o " + (dir / "corpus").string());
  ASSERT_EQ(merged.exit_code, 0) << merged.output;
  EXPECT_NE(merged.output.find(std::to_string(kBorn.size()) + " documents"), std::string::npos)
      << merged.output;
  const auto expected = corpus_rows(dir / "single" / tally::app::kDatabaseName);
  ASSERT_GT(expected.size(), 100u);
  EXPECT_EQ(corpus_rows(dir / "corpus" / tally::app::kDatabaseName), expected);
  // Idempotent, and a document in two inputs (the single run holds them all) appears once.
  ASSERT_EQ(run_tally("merge" + folders + " " + (dir / "single").string() + " -o " +
                      (dir / "corpus").string())
                .exit_code,
            0);
  EXPECT_EQ(corpus_rows(dir / "corpus" / tally::app::kDatabaseName), expected);
  EXPECT_EQ(tally::app::read_batch_ledger(dir / "corpus").size(), kBorn.size() + 2);
  // Not a batch folder: a clear error.
  const CommandResult bad = run_tally("merge " + in.string() + " -o " + (dir / "corpus2").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("not a batch output folder"), std::string::npos) << bad.output;
}

// The ledger is appended to: a torn last line (a run killed while writing it) is skipped and the
// next record starts on a line of its own; the ledger of earlier versions (one JSON document) is
// still read; with --resume a copy of a document read earlier in the same run is skipped.
TEST(Ledger, TornLineLegacyLedgerAndCopiesInOneRun) {
  const fs::path dir = scratch("ledger");
  const fs::path in = dir / "in", out = dir / "out";
  fs::create_directories(in);
  fs::copy_file(fixture("seed-001.born.pdf"), in / "a.pdf");
  fs::copy_file(fixture("seed-002.born.pdf"), in / "b.pdf");
  const std::string batch = "batch " + in.string() + " --format json -j 1 --resume -o ";
  CommandResult r = run_tally(batch + out.string());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
  std::vector<nlohmann::json> lines;
  {
    std::istringstream ledger(read_text(out / tally::app::kLedgerName));
    for (std::string line; std::getline(ledger, line);)
      lines.push_back(nlohmann::json::parse(line));
  }
  ASSERT_EQ(lines.size(), 4u);  // started and done, for each
  ASSERT_EQ(lines[1]["status"], "done");

  // An earlier version's ledger that records a.pdf as done: resumed, and resumed again.
  const fs::path legacy = dir / "legacy";
  fs::create_directories(legacy);
  std::ofstream(legacy / "tally-ledger.json")
      << nlohmann::json{{"version", 1}, {"documents", {lines[1]}}}.dump(1);
  for (int run = 0; run < 2; ++run) {
    r = run_tally(batch + legacy.string());
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
    EXPECT_NE(r.output.find(run == 0 ? "(1 read, 1 skipped" : "(0 read, 2 skipped"),
              std::string::npos)
        << r.output;
  }

  // A torn last line, then a run with two copies of one new document.
  std::ofstream(out / tally::app::kLedgerName, std::ios::app) << R"({"name": "b.pdf", "sta)";
  fs::copy_file(fixture("seed-004.born.pdf"), in / "c.pdf");
  fs::copy_file(fixture("seed-004.born.pdf"), in / "c-copy.pdf");
  r = run_tally(batch + out.string());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
  EXPECT_NE(r.output.find("4 documents (1 read, 3 skipped"), std::string::npos) << r.output;
  const auto records = tally::app::read_batch_ledger(out);
  ASSERT_EQ(records.size(), 3u);
  for (const auto& [name, record] : records) EXPECT_EQ(record.status, "done") << name;
  std::istringstream ledger(read_text(out / tally::app::kLedgerName));
  std::vector<std::string> text;
  for (std::string line; std::getline(ledger, line);) text.push_back(line);
  ASSERT_EQ(text.size(), 7u);
  EXPECT_EQ(text[4], R"({"name": "b.pdf", "sta)");
  EXPECT_EQ(nlohmann::json::parse(text[6])["status"], "done");
}

TEST(Provenance, VersionJsonLedgerAndDatabaseSayWhatReadADocument) {
  const std::string version = tally::app::tally_version();
  const CommandResult v = run_tally("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.output.find("tally " + version + " (Poppler "), std::string::npos) << v.output;

  const fs::path dir = scratch("provenance");
  const fs::path in = dir / "in";
  fs::create_directories(in);
  fs::copy_file(fixture("seed-001.born.pdf"), in / "a.pdf");
  const fs::path out = dir / "out";
  ASSERT_EQ(run_tally("batch " + in.string() + " -o " + out.string() + " --format json,sqlite -q")
                .exit_code,
            0);
  const auto output = nlohmann::json::parse(read_text(out / "a.json"));
  EXPECT_EQ(output["producer"]["tally"], version);
  EXPECT_EQ(output["producer"]["options"], "dpi=100 ocr-dpi=300 ocr=auto repair=on");
  EXPECT_FALSE(output["producer"]["poppler"].get<std::string>().empty());
  EXPECT_FALSE(output["producer"]["tesseract"].get<std::string>().empty());
  // One line as the document started, one as it finished.
  std::vector<nlohmann::json> lines;
  std::istringstream ledger(read_text(out / tally::app::kLedgerName));
  for (std::string line; std::getline(ledger, line);) lines.push_back(nlohmann::json::parse(line));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["status"], "started");
  EXPECT_EQ(lines[1]["status"], "done");
  EXPECT_EQ(lines[1]["producer"], output["producer"]);
  EXPECT_EQ(
      query_file(out / tally::app::kDatabaseName, "SELECT tally_version, options FROM documents"),
      (std::vector<std::vector<std::string>>{{version, "dpi=100 ocr-dpi=300 ocr=auto repair=on"}}));

  // --resume will not mix: other options, or a ledger from another version.
  const std::string resume =
      "batch " + in.string() + " -o " + out.string() + " --format json,sqlite --resume";
  CommandResult r = run_tally(resume + " --dpi 150");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("--allow-mixed-versions"), std::string::npos) << r.output;
  // A later line supersedes the earlier ones of its document.
  lines[1]["producer"]["tally"] = "0123456789ab";
  std::ofstream(out / tally::app::kLedgerName, std::ios::app) << lines[1].dump() << "\n";
  r = run_tally(resume);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("tally 0123456789ab"), std::string::npos) << r.output;
  r = run_tally(resume + " --allow-mixed-versions");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("1 skipped"), std::string::npos) << r.output;
}

}  // namespace
