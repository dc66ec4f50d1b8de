// Running tally and reading its corpus database, for the batch tests.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace tally::test_support {

inline const std::string kTally = std::string(TALLY_BINARY_DIR) + "/cli/tally";
inline const std::string kSource = TALLY_SOURCE_DIR;

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

inline CommandResult shell(const std::string& command) {
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), output};
}

inline CommandResult run_tally(const std::string& arguments) {
  return shell(kTally + " " + arguments);
}

// A fresh folder under the build folder, so that test runs of different checkouts never share one.
inline std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::path(TALLY_BINARY_DIR) / "test-scratch" / ("batch-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Rows of a query as strings ("" for NULL); fails the test on an SQL error.
inline std::vector<std::vector<std::string>> query(sqlite3* db, const std::string& sql) {
  std::vector<std::vector<std::string>> rows;
  sqlite3_stmt* stmt = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db) << "\n"
      << sql;
  if (!stmt) return rows;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    std::vector<std::string> row;
    for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
      const unsigned char* text = sqlite3_column_text(stmt, i);
      row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    rows.push_back(row);
  }
  sqlite3_finalize(stmt);
  return rows;
}

// Rows of a query over the corpus database in `path`.
inline std::vector<std::vector<std::string>> query_file(const std::filesystem::path& path,
                                                        const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.string().c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  auto rows = query(db, sql);
  sqlite3_close(db);
  return rows;
}

}  // namespace tally::test_support
