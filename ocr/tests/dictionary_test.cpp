// Dictionary corrections that cannot do harm: a label changes only to the name its own code has in
// the year's list, and only when the reading is close to it; a right reading is never replaced.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "reader.h"
#include "tally/ocr/ocr.h"

namespace {

using tally::ocr::CodeBook;
using tally::ocr::ReaderOptions;
using tally::ocr::detail::CellRead;
using tally::ocr::detail::correct_by_dictionary;

// One table row per entry: [code cells..., label].
std::vector<CellRead> rows(const std::vector<std::vector<std::string>>& texts) {
  std::vector<CellRead> cells;
  for (std::size_t r = 0; r < texts.size(); ++r)
    for (std::size_t c = 0; c < texts[r].size(); ++c) {
      CellRead cell;
      cell.row = static_cast<int>(r);
      cell.col = static_cast<int>(c);
      cell.reading.text = texts[r][c];
      cell.reading.confidence = 0.9;
      cells.push_back(cell);
    }
  return cells;
}

std::size_t count(const std::vector<tally::core::Diagnostic>& diagnostics,
                  const std::string& code) {
  std::size_t n = 0;
  for (const auto& d : diagnostics) n += d.code == code;
  return n;
}

CodeBook book_of(const std::string& name, const std::string& tsv) {
  const auto dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "function.tsv") << tsv;
  CodeBook book = CodeBook::load(dir);
  std::filesystem::remove_all(dir);
  return book;
}

// The case: the shipped list lacked 2013299, and the closest-name correction turned a
// right 其他组织事务支出 into 其他人大事务支出. Without the code in the list the reading is kept.
TEST(Dictionary, ARightLabelWhoseCodeIsNotListedIsKept) {
  const CodeBook book = book_of("tally-dictionary-2013299",
                                "code\tname\n20101\t人大事务\n2010199\t其他人大事务支出\n"
                                "20132\t组织事务\n2013201\t行政运行\n");
  std::vector<CellRead> cells = rows({{"2013299", "其他组织事务支出"}});
  std::vector<tally::core::Diagnostic> diagnostics;
  correct_by_dictionary(book, cells, 1, ReaderOptions{}, diagnostics);
  EXPECT_EQ(cells[1].reading.text, "其他组织事务支出");
  EXPECT_EQ(count(diagnostics, "label_corrected"), 0u);
  EXPECT_EQ(count(diagnostics, "label_unverified"), 1u);
}

TEST(Dictionary, TheShippedListNames2013299AndMendsAGarbledReadingOfIt) {
  const CodeBook& book = CodeBook::standard();
  ASSERT_NE(book.label_of("2013299"), nullptr);
  EXPECT_EQ(*book.label_of("2013299"), "其他组织事务支出");
  EXPECT_EQ(book.year(), 2026);
  // Split code columns 类 | 款 | 项 with the 类 left blank under its class row, and one garbled.
  std::vector<CellRead> cells = rows({{"201", "一般公共服务支出"},
                                      {"32", "99", "其他组织事务攴出"},
                                      {"2013299", "其他组织事务支出"}});
  std::vector<tally::core::Diagnostic> diagnostics;
  correct_by_dictionary(book, cells, 1, ReaderOptions{}, diagnostics);
  EXPECT_EQ(cells[4].reading.text, "其他组织事务支出");
  ASSERT_FALSE(cells[4].reading.alternatives.empty());
  EXPECT_EQ(cells[4].reading.alternatives.front().text, "其他组织事务攴出");  // the OCR reading
  EXPECT_EQ(cells[6].reading.text, "其他组织事务支出");
  EXPECT_EQ(count(diagnostics, "label_corrected"), 1u);
}

// A document's own shorter or older form of a name (whole characters left out, every other one
// read right) is kept: on the fixture scans these were the only right readings turned wrong. A
// reading missing one thin character (一 lost at the rule) is still mended.
TEST(Dictionary, AShorterFormOfTheNameIsKeptButAOneCharacterLossIsMended) {
  const CodeBook& book = CodeBook::standard();
  ASSERT_NE(book.label_of("20604"), nullptr);
  ASSERT_EQ(*book.label_of("20604"), "技术研究与开发");
  std::vector<CellRead> cells =
      rows({{"20604", "技术与开发"}, {"234", "抗疫特别国债安排"}, {"201", "“般公共服务支出"}});
  std::vector<tally::core::Diagnostic> diagnostics;
  correct_by_dictionary(book, cells, 1, ReaderOptions{}, diagnostics);
  EXPECT_EQ(cells[1].reading.text, "技术与开发");
  EXPECT_EQ(cells[3].reading.text, "抗疫特别国债安排");
  EXPECT_EQ(cells[5].reading.text, "一般公共服务支出");
  EXPECT_EQ(count(diagnostics, "label_corrected"), 1u);
  EXPECT_EQ(count(diagnostics, "label_unverified"), 2u);
}

TEST(Dictionary, ACodeOneDigitShortIsCompletedOnlyWhenOneListedCodeFits) {
  std::vector<CellRead> cells = rows({{"201329", "其他组织事务支岀"}, {"201020", "其他政协事务"}});
  std::vector<tally::core::Diagnostic> diagnostics;
  correct_by_dictionary(CodeBook::standard(), cells, 1, ReaderOptions{}, diagnostics);
  EXPECT_EQ(cells[0].reading.text, "2013299");
  EXPECT_EQ(cells[1].reading.text, "其他组织事务支出");
  EXPECT_EQ(cells[2].reading.text, "201020");  // 2010200…2010209 name nothing like it: kept
  EXPECT_EQ(cells[3].reading.text, "其他政协事务");
}

// Every listed name, read right beside its own code (one column, or 类|款|项), and beside a
// sibling's code (a misread code), stays as read.
TEST(Dictionary, ALabelEqualToAListedNameIsNeverChanged) {
  const CodeBook& book = CodeBook::standard();
  std::ifstream in(std::string(TALLY_SOURCE_DIR) + "/data/codes/function_2026.tsv");
  ASSERT_TRUE(in);
  std::string line;
  std::getline(in, line);
  std::size_t checked = 0;
  while (std::getline(in, line)) {
    const std::string code = line.substr(0, line.find('\t'));
    const std::string rest = line.substr(code.size() + 1);
    const std::string name = rest.substr(0, rest.find('\t'));
    std::vector<std::vector<std::string>> table = {{code, name}};
    if (code.size() == 7) {
      table.push_back({code.substr(0, 3), code.substr(3, 2), code.substr(5, 2), name});
      for (const auto& sibling : book.children_of(code.substr(0, 5)))
        if (sibling.code != code) table.push_back({sibling.code, name});
    }
    std::vector<CellRead> cells = rows(table);
    std::vector<tally::core::Diagnostic> diagnostics;
    correct_by_dictionary(book, cells, 1, ReaderOptions{}, diagnostics);
    for (const CellRead& cell : cells) {
      if (cell.col == static_cast<int>(table[static_cast<std::size_t>(cell.row)].size()) - 1) {
        EXPECT_EQ(cell.reading.text, name) << code << " row " << cell.row;
      }
    }
    EXPECT_EQ(count(diagnostics, "label_corrected"), 0u) << code;
    ++checked;
  }
  EXPECT_GT(checked, 700u);
}

}  // namespace
