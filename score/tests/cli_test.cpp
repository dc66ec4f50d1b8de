#include "tally/score/cli.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "truth_to_prediction.h"

using nlohmann::json;
using tally::score::run_score_command;

namespace {
struct Outcome {
  int code;
  std::string out, err;
};
Outcome run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_score_command(args, out, err);
  return {code, out.str(), err.str()};
}
}  // namespace

TEST(ScoreCommand, UsageErrorsExitOne) {
  EXPECT_EQ(run({}).code, 1);
  EXPECT_NE(run({}).err.find("usage: tally score"), std::string::npos);
  EXPECT_EQ(run({"--bogus", "a", "b"}).code, 1);
  EXPECT_EQ(run({"a.json"}).code, 1);
}

TEST(ScoreCommand, UnreadableInputExitsTwoNamingTheFile) {
  const std::string truth =
      (tally::score::test_support::source_dir() / "score/testdata/truth/mini-001.json").string();
  const Outcome r = run({"/nonexistent/pred.json", truth});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("/nonexistent/pred.json"), std::string::npos) << r.err;
}

TEST(ScoreCommand, ScoresAPairAsTextAndJson) {
  const std::string truth =
      (tally::score::test_support::source_dir() / "score/testdata/truth/mini-001.json").string();
  const std::string pred = (std::filesystem::temp_directory_path() /
                            ("tally-score-cli-pred-" + std::to_string(::getpid()) + ".json"))
                               .string();
  std::ofstream(pred) << tally::score::test_support::prediction_from_truth(
                             tally::score::test_support::read_json(truth))
                             .dump();
  const Outcome text = run({pred, truth});
  EXPECT_EQ(text.code, 0) << text.err;
  EXPECT_NE(text.out.find("mini-001"), std::string::npos);
  EXPECT_NE(text.out.find("100.0%"), std::string::npos);
  const Outcome machine = run({"--json", pred, truth});
  ASSERT_EQ(machine.code, 0) << machine.err;
  const json report = json::parse(machine.out);
  EXPECT_EQ(report["overall"]["counts"]["values_exact"], 38);
  EXPECT_EQ(report["overall"]["rates"]["values_exact"], 1.0);
  std::filesystem::remove(pred);
}
