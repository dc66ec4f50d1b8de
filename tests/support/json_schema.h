// Validates Tally's JSON output against docs/schema/tally-output.schema.json (valijson).
#pragma once

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

namespace tally::test_support {

// Empty when `document` satisfies the schema, else the first errors, one per line.
inline std::string schema_errors(const nlohmann::json& document) {
  std::ifstream in(std::string(TALLY_SOURCE_DIR) + "/docs/schema/tally-output.schema.json");
  const nlohmann::json schema_json = nlohmann::json::parse(in);
  valijson::Schema schema;
  valijson::SchemaParser parser;
  valijson::adapters::NlohmannJsonAdapter schema_adapter(schema_json);
  parser.populateSchema(schema_adapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::NlohmannJsonAdapter target(document);
  if (validator.validate(schema, target, &results)) return {};
  std::string out;
  valijson::ValidationResults::Error error;
  for (int shown = 0; shown < 10 && results.popError(error); ++shown) {
    std::string where;
    for (const std::string& part : error.context) where += part;
    out += where + ": " + error.description + "\n";
  }
  return out;
}

}  // namespace tally::test_support
