// Golden outputs: every fixture in tests/golden-fixtures.tsv, through the whole pipeline.
#include "support/golden.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/json_schema.h"
#include "tally/app/job.h"
#include "tally/export/export.h"

namespace {

struct Fixture {
  std::string name, pdf;
};

std::vector<Fixture> fixtures() {
  std::ifstream in(std::string(TALLY_SOURCE_DIR) + "/tests/golden-fixtures.tsv");
  std::vector<Fixture> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    Fixture f;
    std::getline(fields, f.name, '\t');
    std::getline(fields, f.pdf, '\t');
    out.push_back(f);
  }
  return out;
}

class Golden : public ::testing::TestWithParam<Fixture> {};

}  // namespace

TEST_P(Golden, MatchesExpectedOutput) {
  const Fixture& fixture = GetParam();
  const auto path = std::filesystem::path(TALLY_SOURCE_DIR) / fixture.pdf;
  ASSERT_TRUE(std::filesystem::exists(path)) << "missing fixture " << path;
  const tally::core::Document document = tally::app::run_document(path, {});
  const nlohmann::json output = nlohmann::json::parse(tally::exports::json_of(document));
  EXPECT_EQ(tally::test_support::schema_errors(output), "");
  EXPECT_EQ(tally::test_support::compare_with_golden(
                fixture.name, tally::test_support::golden_projection(output)),
            "");
}

INSTANTIATE_TEST_SUITE_P(Fixtures, Golden, ::testing::ValuesIn(fixtures()),
                         [](const auto& param_info) {
                           std::string name = param_info.param.name;
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });
