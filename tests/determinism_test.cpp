// Page workers learn into one DocumentMemory (app/src/pipeline.cpp). A race there, or a result that
// depends on which worker reaches a page first, shows up as output that differs from run to run:
// read the same scanned pages with -j 1 and -j 2, three times each, and compare the JSON.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

const std::string kTally = std::string(TALLY_BINARY_DIR) + "/cli/tally";
const std::string kSource = TALLY_SOURCE_DIR;
// Three OCR pages of a 200 dpi scan (tables 2 and 3 of gen-0001): labels and amounts repeat across
// the pages, so what one page's read teaches the shared memory is used by the next.
const std::string kScan = "fixtures/pdf/gen-0001.scan200.pdf";
const std::string kPages = "5-7";
constexpr int kRunsPerSetting = 3;

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs tally extract on the scan with the given -j; returns the JSON text.
std::string read_scan(int jobs, int run) {
  const auto out = std::filesystem::temp_directory_path() /
                   ("tally-determinism-" + std::to_string(::getpid()) + "-j" +
                    std::to_string(jobs) + "-" + std::to_string(run));
  std::filesystem::remove_all(out);
  const std::string command = kTally + " extract " + kSource + "/" + kScan + " --pages " + kPages +
                              " --format json -j " + std::to_string(jobs) + " -o " + out.string() +
                              " >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_TRUE(WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3))
      << command;
  std::string json = slurp(out / "gen-0001.scan200.json");
  std::filesystem::remove_all(out);
  return json;
}

// Where two outputs differ: the JSON paths of a patch from one to the other, each with both values
// (cells appear as /tables/T/cells/I/...; the first 40 paths).
std::string differences(const std::string& a_text, const std::string& b_text) {
  const nlohmann::json a = nlohmann::json::parse(a_text), b = nlohmann::json::parse(b_text);
  std::ostringstream out;
  int shown = 0;
  for (const nlohmann::json& op : nlohmann::json::diff(a, b)) {
    if (++shown > 40) break;
    const nlohmann::json::json_pointer path(op["path"].get<std::string>());
    out << op["op"].get<std::string>() << " " << path.to_string() << ": "
        << (a.contains(path) ? a.at(path).dump() : "-") << " | "
        << (b.contains(path) ? b.at(path).dump() : "-") << "\n";
  }
  return out.str();
}

}  // namespace

// -j 1: byte-identical JSON, run after run.
TEST(Determinism, SameScanSameJsonWithOnePageWorker) {
  const std::string reference = read_scan(1, 0);
  ASSERT_FALSE(reference.empty());
  ASSERT_GT(nlohmann::json::parse(reference)["tables"].size(), 0u);
  for (int run = 1; run < kRunsPerSetting; ++run) {
    const std::string json = read_scan(1, run);
    EXPECT_TRUE(json == reference) << "-j 1 run " << run + 1 << " differs from run 1:\n"
                                   << differences(reference, json);
  }
}

// -j 2 against -j 1: byte-identical too. Each page learns from the pages before it in page order,
// whichever worker finishes first (LearningInPageOrder in app/src/pipeline.cpp); before that, the
// shared memory learned in the order the workers finished crops, and cells' confidences and
// alternatives differed.
TEST(Determinism, SameScanSameJsonWithTwoPageWorkers) {
  const std::string reference = read_scan(1, 0);
  ASSERT_FALSE(reference.empty());
  for (int run = 0; run < kRunsPerSetting; ++run) {
    const std::string json = read_scan(2, run);
    EXPECT_TRUE(json == reference) << "-j 2 run " << run + 1 << " differs from -j 1:\n"
                                   << differences(reference, json);
  }
}
