// OCR text normalization and the code book.
#include <gtest/gtest.h>

#include <fstream>

#include "tally/ocr/ocr.h"

namespace tally::ocr {
namespace {

TEST(NormalizeText, FoldsFullWidthAndStraySeparatorsInNumbers) {
  EXPECT_EQ(normalize_text("１，２３４．５６", TextKind::Number), "1,234.56");
  EXPECT_EQ(normalize_text(" 1, 234.56 ", TextKind::Number), "1,234.56");
  EXPECT_EQ(normalize_text("12.00.", TextKind::Number), "12.00");
  EXPECT_EQ(normalize_text("1,,234", TextKind::Number), "1,234");
  EXPECT_EQ(normalize_text("-", TextKind::Number), "-");
}

TEST(NormalizeText, LabelsLoseSpacesBetweenChineseOnly) {
  EXPECT_EQ(normalize_text("一般 公共 服务支出", TextKind::Label), "一般公共服务支出");
  EXPECT_EQ(normalize_text("财政拨款（补助）", TextKind::Label), "财政拨款（补助）");
  EXPECT_EQ(normalize_text("ABC  DEF", TextKind::Label), "ABC DEF");
}

TEST(LooksNumeric, AcceptsAmountsAndCodes) {
  EXPECT_TRUE(looks_numeric("1,234.56"));
  EXPECT_TRUE(looks_numeric("-12.00"));
  EXPECT_TRUE(looks_numeric("(12.00)"));
  EXPECT_TRUE(looks_numeric("2010101"));
  EXPECT_TRUE(looks_numeric("-"));
  EXPECT_FALSE(looks_numeric("1.2.3"));
  EXPECT_FALSE(looks_numeric(""));
  EXPECT_FALSE(looks_numeric(",."));
}

// Thousands groups as amount_from_text takes them: misgrouped readings are no clean numbers.
TEST(LooksNumeric, RefusesMisgroupedThousands) {
  EXPECT_TRUE(looks_numeric("12,345"));
  EXPECT_TRUE(looks_numeric("-1,234,567.89"));
  EXPECT_TRUE(looks_numeric("(1,019.77)"));
  EXPECT_FALSE(looks_numeric("2,6073.22"));  // a digit read into a group
  EXPECT_FALSE(looks_numeric("26,73.22"));
  EXPECT_FALSE(looks_numeric("1,234,5678"));
  EXPECT_FALSE(looks_numeric("1234,567.8"));
  EXPECT_FALSE(looks_numeric("1.234,56"));
  EXPECT_FALSE(looks_numeric("12,"));
}

TEST(Similarity, CountsCodePointEdits) {
  EXPECT_DOUBLE_EQ(similarity("行政运行", "行政运行"), 1.0);
  EXPECT_DOUBLE_EQ(similarity("行政运付", "行政运行"), 0.75);
  EXPECT_DOUBLE_EQ(similarity("", "ab"), 0.0);
}

TEST(CodeBook, LoadsTsvAndFindsClosestLabels) {
  const auto dir = std::filesystem::temp_directory_path() / "tally-ocr-codebook-test";
  std::filesystem::create_directories(dir);
  {
    std::ofstream f(dir / "function.tsv");
    f << "code\tname\n201\t一般公共服务支出\n2010101\t行政运行\tnational "
         "list\n2010102\t一般行政管理事务\n";
  }
  const CodeBook book = CodeBook::load(dir);
  EXPECT_EQ(book.size(), 3u);
  ASSERT_NE(book.label_of("2010101"), nullptr);
  EXPECT_EQ(*book.label_of("2010101"), "行政运行");
  const auto match = book.closest_label("一般行政管埋事务");
  ASSERT_TRUE(match);
  EXPECT_EQ(match->label, "一般行政管理事务");
  EXPECT_NEAR(match->similarity, 7.0 / 8.0, 1e-9);
  EXPECT_EQ(book.codes_of("行政运行"), std::vector<std::string>{"2010101"});
  std::filesystem::remove_all(dir);
}

TEST(CodeBook, StandardBookShipsWithTally) {
  EXPECT_GT(CodeBook::standard().size(), 100u);
}

}  // namespace
}  // namespace tally::ocr
