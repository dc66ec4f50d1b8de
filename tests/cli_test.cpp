// The tally command end to end: outputs, exit codes and messages on bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "support/json_schema.h"

namespace {

const std::string kTally = std::string(TALLY_BINARY_DIR) + "/cli/tally";
const std::string kSource = TALLY_SOURCE_DIR;

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr together
};

CommandResult run(const std::string& arguments) {
  const std::string command = kTally + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    output.append(buffer.data(), n);
  const int status = pclose(pipe);
  return {WEXITSTATUS(status), output};
}

std::filesystem::path scratch(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("tally-cli-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

TEST(TallyExtract, WritesJsonAndCsvForARealDisclosure) {
  const auto out = scratch("real");
  const CommandResult r =
      run("extract " + kSource + "/fixtures/real/putuo-wanli-2024-budget.pdf -o " + out.string());
  // Exit 3: its narrative says 352.67 万元 is 0.53 % more than 348.52 万元 (it is 1.19 %), a
  // finding.
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("putuo-wanli-2024-budget.pdf: findings: 1 (0 errors, 1 warnings)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("2024年部门收入预算总表  pages 11-15  70x9"), std::string::npos)
      << r.output;
  std::ifstream in(out / "putuo-wanli-2024-budget.json");
  ASSERT_TRUE(in);
  const nlohmann::json json = nlohmann::json::parse(in);
  EXPECT_EQ(tally::test_support::schema_errors(json), "");
  EXPECT_EQ(json["tables"].size(), 9u);
  EXPECT_EQ(json["document"]["year"], 2024);
  EXPECT_EQ(json["document"]["kind"], "budget");
  EXPECT_EQ(json["document"]["unit"], "元");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(out / "putuo-wanli-2024-budget"), {}),
            9);
  std::ifstream csv(out / "putuo-wanli-2024-budget" / "table-id02.csv");
  std::string first_line;
  std::getline(csv, first_line);
  EXPECT_EQ(first_line, "项目,,,,收入预算,,,,");
  std::filesystem::remove_all(out);
}

TEST(TallyExtract, ReadsOnlyTheRequestedPages) {
  const auto out = scratch("pages");
  const CommandResult r =
      run("extract " + kSource + "/fixtures/real/putuo-wanli-2024-budget.pdf -o " + out.string() +
          " --pages 10-10 --format json");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(out / "putuo-wanli-2024-budget.json");
  const nlohmann::json json = nlohmann::json::parse(in);
  EXPECT_EQ(json["pages"].size(), 1u);
  EXPECT_EQ(json["tables"].size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(out / "putuo-wanli-2024-budget"));
  std::filesystem::remove_all(out);
}

TEST(TallyExtract, ExplainsBadInputAndExitsWithItsCode) {
  const auto out = scratch("bad");
  const std::string data = kSource + "/extract/tests/data/";
  struct Case {
    std::string arguments;
    int exit_code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"extract " + data + "missing.pdf -o " + out.string(), 2, "missing.pdf: no such file"},
      {"extract " + data + "not-a-pdf.pdf -o " + out.string(), 2, "not-a-pdf.pdf: not a PDF"},
      {"extract " + data + "truncated.pdf -o " + out.string(), 2, "truncated.pdf: damaged PDF"},
      {"extract " + data + "encrypted.pdf -o " + out.string(), 2,
       "encrypted.pdf: the PDF is encrypted"},
      {"extract " + data + "encrypted.pdf --password nope -o " + out.string(), 2, "does not open"},
      {"extract " + data + "no-pages.pdf -o " + out.string(), 2,
       "no-pages.pdf: the PDF has no pages"},
      {"extract " + data + "huge-page.pdf -o " + out.string(), 2,
       "huge-page.pdf: page 1: page is 20000 × 20000 pt"},
      {"extract " + data + "simple.pdf -o /proc/tally-cannot-write", 4, "cannot write"},
      {"extract " + data + "simple.pdf -o " + out.string() + " --pages 9", 1,
       "the PDF has 1 pages"},
      {"extract " + data + "simple.pdf -o " + out.string() + " --pages x", 1, "--pages x"},
      {"extract " + data + "simple.pdf -o " + out.string() + " --format xml", 1, "--format xml"},
      {"extract", 1, "input is required"},
      {"frobnicate", 1, ""},
  };
  for (const Case& c : cases) {
    const CommandResult r = run(c.arguments);
    EXPECT_EQ(r.exit_code, c.exit_code) << c.arguments << "\n" << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.arguments << "\n" << r.output;
  }
  const CommandResult ok =
      run("extract " + data + "encrypted.pdf --password secret -o " + out.string());
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  std::filesystem::remove_all(out);
}

// Shanghai 财政局 决算 (pages 8–11): `类 | 款 | 项 | 合计 | 2,946.25 …` on the first body row names
// the code columns and is the total row; before, it became a 款 row and six hierarchy checks broke.
TEST(TallyReview, UnderstandsCodeColumnsNamedOnTheTotalRow) {
  const auto out = scratch("review");
  const std::string pdf = kSource + "/fixtures/real/putuo-finance-2024-final-p8-11.pdf";
  const CommandResult r = run("review " + pdf + " -o " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("putuo-finance-2024-final-p8-11.pdf: 2 tables; checks 78 held, 4 held "
                          "(rounding), 0 repaired, 0 broken; "
                          "0 layout_uncertain; 0 findings; amount cells covered 89/89 (100.0%)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("kinds: final.2 final.3"), std::string::npos) << r.output;
  std::ifstream in(out / "putuo-finance-2024-final-p8-11.json");
  ASSERT_TRUE(in);
  const nlohmann::json json = nlohmann::json::parse(in);
  const nlohmann::json& table = json["tables"][0];
  EXPECT_EQ(table["kind"], "final.2");
  EXPECT_EQ(table["columns"][0]["role"], "class_code");
  EXPECT_EQ(table["columns"][1]["role"], "section_code");
  EXPECT_EQ(table["columns"][2]["role"], "item_code");
  EXPECT_EQ(table["rows"][3]["role"], "total");
  EXPECT_EQ(table["rows"][6]["code"], "2010601");
  EXPECT_EQ(table["rows"][6]["parent_row"], 5);
  std::filesystem::remove_all(out);
}

// Yantai 审计局 支出总体情况表 (one page): 款 rows print `| 08 |`, 项 rows `| | 01`, leaving the 类
// (and 款) cells blank; before, 项 rows got no level and became unit heads, and "X = 其下级 1
// 行之和" broke on every class.
TEST(TallyReview, InheritsBlankClassAndSectionCells) {
  const auto out = scratch("review-blank-class");
  const std::string pdf = kSource + "/fixtures/real/yantai-audit-2026-budget-p11.pdf";
  const CommandResult r = run("review " + pdf + " -o " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("checks 36 held, 2 held (rounding), 0 repaired, 0 broken; "
                          "0 layout_uncertain; 0 findings; amount cells covered 45/45 (100.0%)"),
            std::string::npos)
      << r.output;
  std::ifstream in(out / "yantai-audit-2026-budget-p11.json");
  ASSERT_TRUE(in);
  const nlohmann::json json = nlohmann::json::parse(in);
  const nlohmann::json& table = json["tables"][0];
  EXPECT_EQ(table["kind"], "budget.3");
  EXPECT_EQ(table["rows"][4]["code"], "20108");
  EXPECT_EQ(table["rows"][4]["parent_row"], 3);
  EXPECT_EQ(table["rows"][5]["role"], "item");
  EXPECT_EQ(table["rows"][5]["code"], "2010801");
  EXPECT_EQ(table["rows"][5]["parent_row"], 4);
  EXPECT_EQ(table["rows"][21]["code"], "2101199");
  EXPECT_EQ(table["rows"][22]["parent_row"], 2);
  std::filesystem::remove_all(out);
}

// seed 004's source errors come out broken from the review too (doubt does not excuse them).
TEST(TallyReview, StillReportsSeed004SourceErrors) {
  const CommandResult r = run("review " + kSource + "/fixtures/pdf/seed-004.born.pdf --list 0");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("0 repaired, 20 broken; 0 layout_uncertain; "), std::string::npos)
      << r.output;
  // Its narrative contradicts its tables (单位资金 37 万元 stated as 0.41 %): findings, counted
  // apart.
  EXPECT_EQ(r.output.find("; 0 findings;"), std::string::npos) << r.output;
}

namespace {
// The read JSON of one fixture page, reviewed into `out`.
nlohmann::json review_fixture(const std::string& name, const std::filesystem::path& out,
                              std::string* listing) {
  const CommandResult r =
      run("review " + kSource + "/fixtures/real/" + name + ".pdf -o " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  if (listing) *listing = r.output;
  std::ifstream in(out / (name + ".json"));
  return in ? nlohmann::json::parse(in) : nlohmann::json();
}
// The grid columns of the column sum checked on `row` with `total_col` as its total (total first),
// with its origin; empty when there is none.
std::pair<std::vector<int>, std::string> column_sum_at(const nlohmann::json& json, int row,
                                                       int total_col) {
  for (const nlohmann::json& check : json["checks"]) {
    if (check["kind"] != "column_sum" || check["terms"][0]["row"] != row ||
        check["terms"][0]["col"] != total_col)
      continue;
    std::vector<int> cols;
    for (const nlohmann::json& term : check["terms"]) cols.push_back(term["col"].get<int>());
    return {cols, check["origin"].get<std::string>()};
  }
  return {};
}
}  // namespace

// Guangzhou 住建 部门预算基本支出预算表 (p24): 总计 | 财政拨款/合计, 一般公共预算, 政府性基金预算,
// 国有资本经营预算 | 财政专户拨款 | 其他资金, no template sums: the header says 总计 =
// 财政拨款/合计 + 财政专户拨款 + 其他资金 and 财政拨款/合计 = its three funds, and the numbers
// confirm it on every row. Before, no identity covered any of its 140 amounts (columns of 0.00 are
// never "discovered").
TEST(TallyReview, ColumnSumsFromTheHeaderConfirmedByTheNumbers) {
  const auto out = scratch("review-header-sums");
  std::string listing;
  const nlohmann::json json = review_fixture("guangzhou-housing-2026-budget-p24", out, &listing);
  EXPECT_NE(listing.find("0 broken; 0 layout_uncertain; 0 findings; amount cells covered 140/140 "
                         "(100.0%); 0 identities not checked"),
            std::string::npos)
      << listing;
  EXPECT_EQ(json["tables"][0]["kind"], "budget.basic");
  EXPECT_EQ(column_sum_at(json, 3, 1).first, (std::vector<int>{1, 2, 6, 7}));
  EXPECT_EQ(column_sum_at(json, 3, 2).first, (std::vector<int>{2, 3, 4, 5}));
  std::filesystem::remove_all(out);
}

// Yantai 文旅 收入总体情况表 (p10–12): 合计 | 财政拨款收入 (小计 and three funds) |
// 财政专户管理资金收入 | 事业收入 | 事业单位经营收入 | 其他收入 | 上级补助收入 | 附属单位上缴收入 |
// 使用非财政拨款结余 | 上年结转: more income columns than the template's 总计 = 小计 + 财政专户 +
// 单位资金 + …; the total is checked as the sum of every income column found, the one the numbers
// confirm.
TEST(TallyReview, IncomeTotalIsTheSumOfEveryIncomeColumnFound) {
  const auto out = scratch("review-income-columns");
  std::string listing;
  const nlohmann::json json = review_fixture("yantai-culture-2026-budget-p10-12", out, &listing);
  EXPECT_NE(listing.find("0 broken; 0 layout_uncertain; 0 findings; amount cells covered 132/132"),
            std::string::npos)
      << listing;
  const auto [cols, origin] = column_sum_at(json, 2, 4);
  EXPECT_EQ(cols, (std::vector<int>{4, 5, 9, 10, 11, 12, 13, 14, 15, 16}));
  EXPECT_EQ(json["tables"][0]["columns"][13]["header_path"], "上级补助收入");
  EXPECT_EQ(column_sum_at(json, 2, 5).first, (std::vector<int>{5, 6, 7, 8}));
  std::filesystem::remove_all(out);
}

// Beijing 交管 预算04表财政拨款收支总表 (p6): expenditure classes numbered 一、…二十六、 without
// codes, 上年结转结余 with its parts 一、二、三、 between 本年收入合计 and 收入总计; and a template
// sum whose columns this one-column layout does not print, said to be not checked rather than
// skipped.
TEST(TallyReview, TwoSidedTableWithRomanNumberedClasses) {
  const auto out = scratch("review-roman-classes");
  std::string listing;
  const nlohmann::json json = review_fixture("beijing-traffic-2026-budget-p6", out, &listing);
  EXPECT_NE(listing.find("checks 6 held, 0 held (rounding), 0 repaired, 0 broken; 0 "
                         "layout_uncertain; 0 findings; amount cells covered 13/13 (100.0%); 1 "
                         "identities not checked"),
            std::string::npos)
      << listing;
  EXPECT_NE(listing.find("unchecked: p1 表「预算04表财政拨款收支总表」"), std::string::npos)
      << listing;
  std::set<std::string> ids;
  for (const nlohmann::json& check : json["checks"]) ids.insert(check["id"].get<std::string>());
  for (const char* id :
       {"t0.expense.total.c3", "t0.income.carried.c1", "t0.income.carried.r29.c1", "t0.balance"})
    EXPECT_TRUE(ids.count(id)) << id << "\n" << listing;
  bool said = false;
  for (const nlohmann::json& d : json["diagnostics"])
    said = said || d["code"] == "identity_not_checked";
  EXPECT_TRUE(said);
  std::filesystem::remove_all(out);
}

// Beijing 商务 项目支出绩效目标表 (p26): 本年绩效指标值 100 (%), 96 (天) … are targets, not
// amounts: no value is read from them; 项目总额 = 其中：财政资金 + 其他资金 is read from the
// header.
TEST(TallyReview, PerformanceIndicatorValuesAreNotAmounts) {
  const auto out = scratch("review-performance");
  std::string listing;
  const nlohmann::json json = review_fixture("beijing-commerce-2026-budget-p26", out, &listing);
  EXPECT_NE(listing.find("0 broken; 0 layout_uncertain; 0 findings; amount cells covered 7/7"),
            std::string::npos)
      << listing;
  const nlohmann::json& table = json["tables"][0];
  EXPECT_EQ(table["kind"], "budget.performance");
  EXPECT_EQ(table["columns"][9]["header_path"], "本年绩效指标值");
  int indicator_values = 0;
  for (const nlohmann::json& cell : table["cells"])
    if (cell["col"] == 9 && cell["row"].get<int>() >= table["header_rows"].get<int>()) {
      EXPECT_FALSE(cell.contains("read")) << cell.dump();
      ++indicator_values;
    }
  EXPECT_GT(indicator_values, 10);
  EXPECT_EQ(column_sum_at(json, 14, 1).first, (std::vector<int>{1, 2, 3}));
  std::filesystem::remove_all(out);
}

// Shanghai 财政局 决算 表6 (p16–17): 人员经费 (301, 303) on the left half, 公用经费 (302, 310) on
// the right, 人员经费合计 | 公用经费合计 on one row: each half is a list summed on its own side.
// Before, the table was read as a two-sided 收支 table and none of its 29 amounts was checked.
TEST(TallyReview, SideBySideListsAreSummedEachOnItsOwnSide) {
  const auto out = scratch("review-halves");
  std::string listing;
  const nlohmann::json json = review_fixture("putuo-finance-2024-final-p16-17", out, &listing);
  EXPECT_NE(listing.find("checks 4 held, 2 held (rounding), 0 repaired, 0 broken; 0 "
                         "layout_uncertain; 0 findings; amount cells covered 29/29 (100.0%)"),
            std::string::npos)
      << listing;
  std::map<std::string, std::string> described;
  for (const nlohmann::json& check : json["checks"])
    described[check["id"].get<std::string>()] = check["description"].get<std::string>();
  EXPECT_NE(described["t0.half.r3.c3"].find("（左半）：301 = 其下级 13 行之和"), std::string::npos);
  EXPECT_NE(described["t0.half.r3.c7"].find("（右半）：302 = 其下级 27 行之和"), std::string::npos);
  EXPECT_NE(described["t0.half.r42.c3"].find("人员经费合计 = 各类 2 行之和"), std::string::npos);
  EXPECT_NE(described["t0.half.r42.c7"].find("公用经费合计 = 各类 2 行之和"), std::string::npos);
  std::filesystem::remove_all(out);
}

namespace {
// Descriptions of the checks by id.
std::map<std::string, std::string> descriptions(const nlohmann::json& json) {
  std::map<std::string, std::string> out;
  for (const nlohmann::json& check : json["checks"])
    out[check["id"].get<std::string>()] = check["description"].get<std::string>();
  return out;
}
}  // namespace

// Xi'an 公安局 专项业务经费支出表 (p33): projects listed by unit and group without codes (单位 →
// 通用项目 → 办公场所租赁 → its items). Before, 2 of 25 amounts were checked; the nesting is now
// read from the numbers, each parent above the rows that add up to it.
TEST(TallyReview, ProjectListNestedWithoutCodes) {
  const auto out = scratch("review-nested-projects");
  std::string listing;
  const nlohmann::json json = review_fixture("xian-police-2026-budget-p33", out, &listing);
  EXPECT_NE(listing.find("checks 6 held, 0 held (rounding), 0 repaired, 0 broken; 0 "
                         "layout_uncertain; 0 findings; amount cells covered 22/25 (88.0%)"),
            std::string::npos)
      << listing;
  const auto described = descriptions(json);
  EXPECT_NE(described.at("t0.nested.r5.c2").find("办公场所租赁 = 其下 3 行之和"),
            std::string::npos);
  EXPECT_NE(described.at("t0.nested.r17.c2").find("= 其下 7 行之和"), std::string::npos);
  std::filesystem::remove_all(out);
}

// Xi'an 国资委 2022 收支总表 (p24): income and three expenditure groups side by side (by function,
// by department economic class, by government economic class), numbered 一、1、(1) without codes.
// Before, none of its 98 amounts was checked.
TEST(TallyReview, FourGroupIncomeAndExpenditureTable) {
  const auto out = scratch("review-four-groups");
  std::string listing;
  const nlohmann::json json = review_fixture("xian-soe-2022-budget-p24", out, &listing);
  EXPECT_NE(listing.find("checks 15 held, 0 held (rounding), 0 repaired, 0 broken; 0 "
                         "layout_uncertain; 0 findings; amount cells covered 95/98 (96.9%)"),
            std::string::npos)
      << listing;
  const auto described = descriptions(json);
  EXPECT_NE(described.at("t0.nested.r2.c4").find("一、部门预算 = 其下 20 行之和"),
            std::string::npos);
  EXPECT_NE(described.at("t0.nested.r8.c6").find("2、专项业务经费支出 = 其下 8 行之和"),
            std::string::npos);
  EXPECT_NE(described.at("t0.nested.r41.c8").find("支出总计 = 其下 3 行之和"), std::string::npos);
  std::filesystem::remove_all(out);
}

// Shenzhen 科技创新局 收支总表 (pp18–19): the expenditure side prints class, 款 and 项 names
// without codes. Before, only the income side was checked (10 of 38 amounts).
TEST(TallyReview, TwoSidedTableWhoseExpenditureNamesHaveNoCodes) {
  const auto out = scratch("review-names-without-codes");
  std::string listing;
  const nlohmann::json json = review_fixture("shenzhen-tech-2026-budget-p18-19", out, &listing);
  EXPECT_NE(listing.find("0 broken; 0 layout_uncertain; 0 findings; amount cells covered 37/38"),
            std::string::npos)
      << listing;
  const auto described = descriptions(json);
  EXPECT_NE(described.at("t0.nested.r2.c3").find("一、科学技术支出 = 其下 6 行之和"),
            std::string::npos);
  EXPECT_NE(described.at("t0.nested.r6.c3").find("基础研究 = 其下 4 行之和"), std::string::npos);
  std::filesystem::remove_all(out);
}

// Suzhou 科技局 公开05表 (pp18–19): "公开 05 表" on its own line above
// "财政拨款支出表（功能科目）". Before, the label was taken as the title and the table had no kind.
TEST(TallyReview, SeriesLabelAboveTheTitle) {
  const auto out = scratch("review-series-label");
  std::string listing;
  const nlohmann::json json = review_fixture("suzhou-tech-2026-budget-p18-19", out, &listing);
  const nlohmann::json& table = json["tables"][0];
  EXPECT_EQ(table["title"], "财政拨款支出表（功能科目）");
  EXPECT_EQ(table["number"], 5);
  EXPECT_EQ(table["kind"], "budget.5");
  EXPECT_NE(listing.find("0 broken; 0 layout_uncertain; 0 findings; amount cells covered 75/75"),
            std::string::npos)
      << listing;
  std::filesystem::remove_all(out);
}

// Xi'an 公安局 部门专项业务经费绩效目标表 (p65): a form per project whose indicator header
// (分值权重（90分）) is printed inside the body. The weights below it (5, 3, 2 …) are not amounts;
// before, all 19 were counted as amounts no identity could reach.
TEST(TallyReview, PerformanceFormWeightsAreNotAmounts) {
  const auto out = scratch("review-performance-form");
  std::string listing;
  const nlohmann::json json = review_fixture("xian-police-2026-budget-p65", out, &listing);
  EXPECT_NE(listing.find("amount cells covered 0/0"), std::string::npos) << listing;
  const nlohmann::json& table = json["tables"][0];
  EXPECT_EQ(table["kind"], "budget.performance");
  int weights = 0;
  for (const nlohmann::json& cell : table["cells"])
    if (cell["col"] == 6 && cell["row"].get<int>() > 6 &&
        !cell["text"].get<std::string>().empty()) {
      EXPECT_FALSE(cell.contains("read")) << cell.dump();
      ++weights;
    }
  EXPECT_GE(weights, 15);
  std::filesystem::remove_all(out);
}

// Shenzhen 科技创新局 财政拨款“三公”经费支出表 (p39): every item group (因公出国(境)费, 公务接待费,
// 公务用车购置及运行维护费 with its 小计) split by fund like the 总计 group. Each fund's 总计 =
// that fund's column of every item group; before, 18 of 54 amounts were checked.
TEST(TallyReview, TotalGroupSplitByFundLikeItsItems) {
  const auto out = scratch("review-fund-groups");
  std::string listing;
  const nlohmann::json json = review_fixture("shenzhen-tech-2026-budget-p39", out, &listing);
  EXPECT_NE(listing.find("checks 18 held, 0 held (rounding), 0 repaired, 0 broken; 0 "
                         "layout_uncertain; 0 findings; amount cells covered 54/54 (100.0%)"),
            std::string::npos)
      << listing;
  EXPECT_EQ(column_sum_at(json, 3, 2).first, (std::vector<int>{2, 5, 8, 11}));
  EXPECT_EQ(column_sum_at(json, 4, 4).first, (std::vector<int>{4, 7, 10, 13}));
  EXPECT_EQ(column_sum_at(json, 5, 11).first, (std::vector<int>{11, 14, 17}));
  std::filesystem::remove_all(out);
}

// Xi'an 应急管理局 (p35): a page of performance indicators with no title and no header of its own
// (质量指标 | 指标5：对铁路道口的… | 90%). Its rows of indicators say what it is.
TEST(TallyReview, UntitledPageOfIndicatorsIsAPerformanceTable) {
  const auto out = scratch("review-indicator-page");
  const nlohmann::json json = review_fixture("xian-emergency-budget-p35", out, nullptr);
  ASSERT_EQ(json["tables"].size(), 1u);
  EXPECT_EQ(json["tables"][0]["title"], "");
  EXPECT_EQ(json["tables"][0]["kind"], "budget.performance");
  std::filesystem::remove_all(out);
}

// …while a list of the disclosure's tables (Xi'an 报表目录, p19) that names
// 部门专项业务经费绩效目标表 among them is no table of a standard kind.
TEST(TallyReview, ListOfTablesIsNotAPerformanceTable) {
  const auto out = scratch("review-contents");
  const nlohmann::json json = review_fixture("xian-office-2026-budget-p19", out, nullptr);
  ASSERT_EQ(json["tables"].size(), 1u);
  EXPECT_EQ(json["tables"][0]["title"], "报表目录");
  EXPECT_EQ(json["tables"][0]["kind"], "");
  std::filesystem::remove_all(out);
}
