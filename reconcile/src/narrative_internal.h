// The narrative (情况说明 / 编制说明) as statements: shared by the readers and checks of
// narrative_read.cpp and narrative_audit.cpp (not part of the public interface).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "tally/core/amount.h"
#include "tally/core/model.h"

namespace tally::reconcile::detail {

// An amount printed with its unit: "1,140.75万元", "6,200元".
struct Money {
  std::size_t begin = 0, end = 0;  // bytes in the sentence: the number's first digit, past the unit
  core::Amount amount;
  bool yuan = false;    // printed in 元 (else 万元)
  std::string item;     // the clause before the number (connectors and a trailing 为 removed)
  std::string clause;   // the whole clause the amount sits in
  bool listed = false;  // the clause follows a 、: one item of a list (…、其他收入X万元)
};

// A percentage: "占64.80%", "下降9.13%", "完成预算的98.20%".
struct Percent {
  std::size_t begin = 0, end = 0;
  core::Amount value;
  std::string before;  // the clause text before the number
};

// One sentence of the narrative, width folded and without spaces (，→ "," ；→ ";" （→ "(" ％→ "%").
struct Statement {
  std::string text;
  int page = 0;
  bool heading = false;  // starts with a section marker (一、 / (一)), so it opens a new passage
  std::vector<Money> amounts;
  std::vector<Percent> percents;
};

// The narrative sentences of the document: the words of each page outside its tables' regions, in
// reading order, cut at 。 (a line that ends a heading without a full stop is cut too).
std::vector<Statement> read_statements(const core::Document& document);

// Every sentence of every page, tables included (for the statements that an empty table is
// empty, which some documents print under the table).
std::vector<Statement> read_all_sentences(const core::Document& document);

// A line of a page: its words left to right and their text, width-folded, without spaces.
struct Line {
  double y0 = 0, y1 = 0;
  std::vector<const core::Word*> words;
  std::string text;
};

// The page's words (outside the document's tables unless `with_tables`) as lines in reading order.
std::vector<Line> page_lines(const core::Document& document, const core::Page& page,
                             bool with_tables);

// The years printed as "2024年" (or "2024年度") in `text`, with their byte offsets.
struct YearMention {
  std::size_t begin = 0, end = 0;  // end: past 年 / 年度
  int year = 0;
};
std::vector<YearMention> years_in(const std::string& text);

// The amount of `amount` in 元 as a floating value (a 万元 amount × 10,000).
long double in_yuan(const core::Amount& amount, bool yuan);
// Half a unit of the last printed digit, in 元.
long double half_step_yuan(const core::Amount& amount, bool yuan);

bool contains(const std::string& text, const char* needle);

// A finding before it becomes a check: what (the id's middle word), the description, the sentence,
// the cells compared, what the text says and what the tables (or the rules) say.
struct Finding {
  std::string what;
  std::string description;
  const Statement* statement = nullptr;
  std::vector<core::Term> terms;
  std::string stated, expected;
};

// The narrative's names for the document against its cover (narrative_names.cpp): a budget that
// calls itself 决算 (纳入部门决算管理, 2026年部门决算) or the reverse, and a unit's budget that
// calls itself 部门预算 where the cover says 单位预算 (or the reverse). Only names of this document
// count: the document's year or 本 before it, or 管理/情况说明/公开/表 after it; 下属单位预算,
// 部门预算支出经济分类 and another year's 部门决算 are other things. `cover`: the first page's
// text.
std::vector<Finding> kind_findings(const std::vector<Statement>& statements,
                                   const std::string& cover, core::DocumentKind kind, int year);

// The classification names the 2019 科目 retired that `s` uses (医疗卫生与计划生育支出 in a budget
// of 2019 or later), each with its replacement in `replacements` when given.
std::vector<std::string> retired_names_in(const Statement& s, int year,
                                          std::vector<std::string>* replacements);

// A name given with a whole code, "卫生健康支出（221类）", against the names the tables print for
// that code and the classification list (data/codes/function_codes.tsv): a name that is none of
// them (nor holds one, nor is held by one) is a finding. Retired names are left to
// retired_names_in; relative codes (01项) are not judged.
std::vector<Finding> code_name_findings(const std::vector<Statement>& statements,
                                        const core::Document& document);

}  // namespace tally::reconcile::detail
