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

}  // namespace tally::reconcile::detail
