// The narrative against the tables, and the disclosure as a whole: what a reviewer checks before
// publication. Every finding is a check of kind "narrative" with the sentence quoted; none changes
// a cell. Conservative by design: a statement whose item or comparison basis cannot be placed is
// not judged, since a finding accuses a department of a published error.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "internal.h"
#include "narrative_internal.h"
#include "tally/core/text.h"
#include "tally/reconcile/reconcile.h"

namespace tally::reconcile {

namespace {

using detail::contains;
using detail::Money;
using detail::Percent;
using detail::Statement;

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> out;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator))
    if (!part.empty()) out.push_back(part);
  return out;
}

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

// ----- where a statement's item is printed in the tables -----

// An item the narrative names and the rows of the tables that print it. Items are matched exactly
// (after the department's name, the year and 部门/单位 are taken off the front), never by a part of
// a longer name: 一般公共预算支出 is not 支出.
struct Target {
  const char* items;  // '|'-separated names as printed, squashed
  const char* kinds;  // '|'-separated table kinds
  const char*
      rows;  // "total": the table's total row; "*": every body row; else '|'-separated labels
};

constexpr Target kBudgetTargets[] = {
    {"收支总预算|收支预算总计|收支总计", "budget.1", "收入总计|总计|支出总计"},
    {"收入预算|收入总预算|部门收入预算|收入合计|收入总计", "budget.1|budget.2",
     "total|收入总计|总计"},
    {"支出预算|支出总预算|部门支出预算|支出合计|支出总计", "budget.1|budget.3",
     "total|支出总计|总计"},
    {"一般公共预算|一般公共预算拨款|一般公共预算收入|一般公共预算拨款收入|政府性基金预算|"
     "政府性基金预算拨款|"
     "国有资本经营预算|单位资金|财政拨款结转|财政拨款结转结余|上年结转|上年结转结余|事业收入|"
     "其他收入|财政拨款收入",
     "budget.1|budget.2|budget.4", "total"},
    {"基本支出|项目支出", "budget.3|budget.5|budget.6|budget.7", "total"},
    {"一般公共预算支出|一般公共预算拨款支出|一般公共预算支出预算|一般公共预算财政拨款支出",
     "budget.5", "total"},
    {"一般公共预算基本支出|一般公共预算拨款基本支出|一般公共预算财政拨款基本支出",
     "budget.5|budget.6", "total"},
    {"一般公共预算项目支出|一般公共预算拨款项目支出|一般公共预算财政拨款项目支出",
     "budget.5|budget.7", "total"},
    {"三公经费|“三公”经费|\"三公\"经费|三公经费预算|“三公”经费预算|三公经费财政拨款预算|"
     "“三公”经费财政拨款预算|"
     "因公出国(境)费|公务接待费|公务用车购置及运行维护费|公务用车购置及运行费|公务用车购置费|"
     "公务用车运行维护费|公务用车运行费",
     "budget.10", "*"},
};

constexpr Target kFinalTargets[] = {
    {"收入支出总计|收支总计|收入总计|支出总计", "final.1", "总计|收入总计|支出总计"},
    {"本年收入合计|收入合计", "final.1|final.2", "本年收入合计|total"},
    {"本年支出合计|支出合计", "final.1|final.3", "本年支出合计|total"},
    {"财政拨款收入|其他收入|事业收入|经营收入|上级补助收入|附属单位上缴收入", "final.2", "total"},
    {"基本支出|项目支出", "final.3|final.5|final.6|final.8|final.9", "total"},
    {"财政拨款收入支出总计|财政拨款收支总计", "final.4", "总计|收入总计|支出总计"},
    {"一般公共预算财政拨款支出", "final.5", "total"},
    {"一般公共预算财政拨款基本支出", "final.5|final.6", "total|合计"},
    {"一般公共预算财政拨款项目支出", "final.5", "total"},
    {"三公经费|“三公”经费|三公经费财政拨款支出|“三公”经费财政拨款支出|因公出国(境)费|公务接待费|"
     "公务用车购置及运行维护费|"
     "公务用车购置费|公务用车运行维护费",
     "final.7", "*"},
};

// A cell an item may be printed in, with its amount in 元.
struct Candidate {
  core::CellRef ref;
  long double yuan = 0, half = 0;
  bool unit_known = true;
};

// 元 per printed unit of a table: 1 (元), 10,000 (万元), 0 when unknown.
long double table_scale(const core::Document& document, const core::Table& table) {
  const std::string unit = table.unit.empty() ? document.metadata.unit : table.unit;
  const std::string u = core::remove_space(core::fold_width(unit));
  if (contains(u, "万元")) return 10000.0L;
  if (contains(u, "元")) return 1.0L;
  return 0;
}

std::string row_label(const core::Table& table, int row) {
  const core::RowInfo& info = table.rows[static_cast<std::size_t>(row)];
  std::string label = info.label;
  if (label.empty())
    for (int c = 0; c < table.n_cols && label.empty(); ++c)
      if (table.columns[static_cast<std::size_t>(c)].role == core::ColumnRole::Label)
        label = detail::text_at(table, row, c);
  return detail::squash(label);
}

bool understood(const core::Table& table) {
  return table.rows.size() == static_cast<std::size_t>(table.n_rows) &&
         table.columns.size() == static_cast<std::size_t>(table.n_cols);
}

void add_row(const core::Document& document, const core::Table& table, int r,
             std::vector<Candidate>& out) {
  const long double scale = table_scale(document, table);
  for (int c = 0; c < table.n_cols; ++c) {
    if (table.columns[static_cast<std::size_t>(c)].role != core::ColumnRole::Amount) continue;
    const core::Cell* cell = table.cell_at(r, c);
    if (!cell || cell->row != r || !cell->read) continue;
    const core::Amount& a = cell->value ? *cell->value : *cell->read;
    const long double units = static_cast<long double>(a.units) / std::pow(10.0L, a.decimals);
    out.push_back({{table.id, r, c},
                   units * (scale > 0 ? scale : 10000.0L),
                   0.5L / std::pow(10.0L, a.decimals) * (scale > 0 ? scale : 10000.0L),
                   scale > 0});
  }
}

std::vector<Candidate> target_cells(const core::Document& document, const Target& target) {
  std::vector<Candidate> out;
  const std::vector<std::string> kinds = split(target.kinds, '|');
  const std::vector<std::string> rows = split(target.rows, '|');
  for (const core::Table& table : document.tables) {
    if (!understood(table) || std::find(kinds.begin(), kinds.end(), table.kind) == kinds.end())
      continue;
    for (int r = table.header_rows; r < table.n_rows; ++r) {
      bool take = false;
      for (const std::string& wanted : rows) {
        if (wanted == "*")
          take = true;
        else if (wanted == "total")
          take = take || table.rows[static_cast<std::size_t>(r)].role == core::RowRole::Total;
        else {
          // Two-sided tables print several labels in one row: any label cell counts.
          for (int c = 0; c < table.n_cols && !take; ++c)
            if (table.columns[static_cast<std::size_t>(c)].role != core::ColumnRole::Amount &&
                detail::squash(detail::text_at(table, r, c)) == wanted)
              take = true;
        }
      }
      if (take) add_row(document, table, r, out);
    }
  }
  return out;
}

// Rows whose label (or code) is the item's: 一般公共服务支出(类), 住房公积金(01项),
// 卫生健康支出(210类).
std::vector<Candidate> labelled_cells(const core::Document& document, const std::string& name,
                                      const std::string& code) {
  std::vector<Candidate> out;
  for (const core::Table& table : document.tables) {
    if (!understood(table) || table.kind.empty()) continue;
    for (int r = table.header_rows; r < table.n_rows; ++r) {
      const core::RowInfo& info = table.rows[static_cast<std::size_t>(r)];
      if (!info.code) continue;
      const bool by_code = code.size() >= 3 && info.code->joined() == code;
      if (by_code || row_label(table, r) == name) add_row(document, table, r, out);
    }
  }
  return out;
}

// ----- the item of an amount -----

struct Item {
  std::string name;         // what is left once the front is taken off
  std::string code;         // "210" from (210类); "" if none or only the level
  bool level = false;       // printed with (类)/(款)/(项)
  std::optional<int> year;  // a year printed in the item
};

bool is_org_suffix(const std::string& prefix) {
  for (const char* s :
       {"局", "办公室", "委员会", "委", "厅", "院",     "中心", "部",   "处",   "站",
        "所", "室",     "馆",     "会", "队", "办事处", "政府", "分局", "支队", "大队"})
    if (ends_with(prefix, s)) return true;
  return false;
}

std::optional<Item> item_of(const Money& money, const std::string& department) {
  Item item;
  std::string text = money.item;
  // Years come off wherever they are; the first one is the item's.
  for (const detail::YearMention& y : detail::years_in(text)) {
    if (!item.year) item.year = y.year;
  }
  for (std::vector<detail::YearMention> ys = detail::years_in(text); !ys.empty();
       ys = detail::years_in(text))
    text.erase(ys.front().begin, ys.front().end - ys.front().begin);
  // A level in parentheses at the end: (类), (210类), (01项).
  if (ends_with(text, ")")) {
    const std::size_t open = text.rfind('(');
    if (open != std::string::npos) {
      const std::string inside = text.substr(open + 1, text.size() - open - 2);
      for (const char* level : {"类", "款", "项"}) {
        if (!ends_with(inside, level)) continue;
        const std::string digits =
            inside.substr(0, inside.size() - std::char_traits<char>::length(level));
        if (!digits.empty() && !core::is_digits(digits)) return std::nullopt;
        item.code = digits;
        item.level = true;
        text.erase(open);
        break;
      }
    }
  }
  std::string dept = detail::squash(department);
  if (!dept.empty() && text.rfind(dept, 0) == 0) text.erase(0, dept.size());
  for (const char* lead : {"本部门", "本单位", "我部门", "我单位", "部门", "单位"})
    if (text.rfind(lead, 0) == 0) {
      text.erase(0, std::char_traits<char>::length(lead));
      break;
    }
  item.name = text;
  return item;
}

// The name without an organisation in front: "普陀区财政局收入支出总计" → "收入支出总计" when the
// phrase is one of `names` and what precedes it names an organisation, not a fund or an item.
bool names_phrase(const std::string& item, const std::string& phrase) {
  if (item == phrase) return true;
  if (!ends_with(item, phrase)) return false;
  const std::string prefix = item.substr(0, item.size() - phrase.size());
  for (const char* word :
       {"预算", "支出", "收入", "经费", "资金", "财政", "拨款", "基本", "项目", "一般", "公共",
        "基金", "结转", "本年", "上年", "年初", "合计", "比",   "较",   "执行", "决算"})
    if (contains(prefix, word)) return false;
  return is_org_suffix(prefix);
}

// ----- comparing -----

enum class Verdict { Held, UnitSlip, Broken };

Verdict compare(long double stated, long double stated_half, const std::vector<Candidate>& cells,
                const Candidate** matched) {
  constexpr long double kEpsilon = 1e-6L;
  for (const Candidate& c : cells) {
    // A table of unknown unit may be in 元 or 万元: either reading holds.
    const bool held = std::fabs(stated - c.yuan) <= stated_half + c.half + kEpsilon ||
                      (!c.unit_known && std::fabs(stated - c.yuan / 10000.0L) <=
                                            stated_half + c.half / 10000.0L + kEpsilon);
    if (held) {
      *matched = &c;
      return Verdict::Held;
    }
  }
  for (const Candidate& c : cells) {
    if (!c.unit_known || c.yuan == 0 || stated == 0) continue;
    for (const long double factor : {10000.0L, 1.0L / 10000.0L}) {
      // Within the rounding of the finer of the two printings: 1,140.75 元 for 1,140.75 万元.
      if (std::fabs(stated * factor - c.yuan) <=
          std::min(stated_half * factor, c.half) + kEpsilon) {
        *matched = &c;
        return Verdict::UnitSlip;
      }
    }
  }
  return Verdict::Broken;
}

std::string printed(const Money& m) {
  return m.amount.to_string() + (m.yuan ? "元" : "万元");
}

std::string format_percent(long double value, int decimals) {
  std::ostringstream out;
  out.setf(std::ios::fixed);
  out.precision(std::max(decimals, 2));
  out << value;
  return out.str() + "%";
}

long double percent_of(const core::Amount& a) {
  return static_cast<long double>(a.units) / std::pow(10.0L, a.decimals);
}

// The printed percentage lies within what the amounts give, allowing for their rounding and its
// own.
bool percent_holds(const Percent& p, long double low, long double high) {
  // Rounded or cut at its last digit (95.457 printed 95.45 is cut, not wrong): one unit either way.
  const long double half = 1.0L / std::pow(10.0L, p.value.decimals);
  const long double value = percent_of(p.value);
  return value >= low - half - 1e-9L && value <= high + half + 1e-9L;
}

struct Range {
  long double low = 0, high = 0;
};
// a / b × 100 over the rounding intervals of a and b (b > its half step).
std::optional<Range> ratio(long double a, long double a_half, long double b, long double b_half) {
  if (b - b_half <= 0 || a < 0) return std::nullopt;
  return Range{std::max(0.0L, a - a_half) / (b + b_half) * 100.0L,
               (a + a_half) / (b - b_half) * 100.0L};
}

const char* kUp[] = {"增加", "增长", "上升", "提高"};
const char* kDown[] = {"减少", "下降", "降低"};

// +1 up, −1 down, 0 none: the direction word the text ends with.
int direction_at_end(const std::string& text) {
  for (const char* w : kUp)
    if (ends_with(text, w)) return 1;
  for (const char* w : kDown)
    if (ends_with(text, w)) return -1;
  return 0;
}

// Words that make a sentence speak of another period than the document's own.
bool compares(const std::string& text) {
  for (const char* w :
       {"比", "较", "相比", "同比", "上年", "对比", "执行", "以前年度", "结转", "截至", "截止"})
    if (contains(text, w)) return true;
  return false;
}

class Auditor {
 public:
  Auditor(core::Document& document, const Options& options)
      : document_(document), options_(options) {
    department_ = document.metadata.department;
    year_ = document.metadata.year.value_or(0);
    kind_ = document.metadata.kind;
  }

  void run() {
    statements_ = detail::read_statements(document_);
    for (const Statement& s : statements_) {
      amounts(s);
      names(s);
      own_year(s);
    }
    percentages();
    twice();
    std::string cover;
    if (!document_.pages.empty())
      for (const detail::Line& line :
           detail::page_lines(document_, document_.pages.front(), /*with_tables=*/true))
        cover += line.text;
    for (const detail::Finding& f : detail::kind_findings(statements_, cover, kind_, year_))
      finding(f);
    for (const detail::Finding& f : detail::code_name_findings(statements_, document_)) finding(f);
    tables();
  }

 private:
  void finding(const std::string& what, const std::string& description, const Statement* s,
               std::vector<core::Term> terms, const std::string& stated,
               const std::string& expected, core::CheckStatus status = core::CheckStatus::Broken) {
    core::Check check;
    check.id = "narrative." + what + "." + std::to_string(++count_);
    check.kind = "narrative";
    check.origin = "narrative";
    check.description = description;
    check.terms = std::move(terms);
    check.decimals = 2;
    check.status = status;
    if (s) {
      check.sentence = s->text;
      check.page = s->page;
      // A sentence read by OCR may hold a misread digit: the reader checks the page first.
      for (const core::Page& page : document_.pages)
        if (page.number == s->page && page.text_source == core::TextSource::Ocr &&
            status == core::CheckStatus::Broken)
          check.description += "（正文由 OCR 读出，请对照原件）";
    }
    check.stated = stated;
    check.expected = expected;
    document_.checks.push_back(std::move(check));
  }

  void finding(const detail::Finding& f) {
    finding(f.what, f.description, f.statement, f.terms, f.stated, f.expected);
  }

  // The existing narrative total check on this cell, if check_narrative made one.
  core::Check* total_check(const core::CellRef& ref) {
    for (core::Check& c : document_.checks)
      if (c.kind == "narrative" && c.origin == "template" && c.terms.size() == 1 &&
          c.terms[0].cell == ref)
        return &c;
    return nullptr;
  }

  std::string cell_text(const core::CellRef& ref) const {
    const core::Table& table = document_.tables[static_cast<std::size_t>(ref.table)];
    const core::Cell* cell = table.cell_at(ref.row, ref.col);
    const core::Amount& a = cell->value ? *cell->value : *cell->read;
    const std::string number = table.number ? "表" + std::to_string(*table.number) : table.title;
    const std::string unit = table.unit.empty() ? document_.metadata.unit : table.unit;
    // The column too, when the table has several: 合计 · 基本支出 5364.75.
    std::string column;
    int amount_columns = 0;
    for (const core::ColumnInfo& c : table.columns)
      amount_columns += c.role == core::ColumnRole::Amount;
    const std::vector<std::string> segments =
        detail::path_segments(table.columns[static_cast<std::size_t>(ref.col)].header_path);
    for (auto it = segments.rbegin(); it != segments.rend() && column.empty(); ++it)
      if (!it->empty() && !core::is_digits(*it) && *it != "**") column = *it;
    const std::string label = row_label(table, ref.row);
    if (amount_columns < 2 || column == label) column.clear();
    std::string where = label;
    if (!column.empty()) where += (where.empty() ? "" : " · ") + column;
    return number + " " + (where.empty() ? "" : where + " ") + a.to_string() + unit;
  }

  void amounts(const Statement& s) {
    const std::span<const Target> targets = kind_ == core::DocumentKind::FinalAccount
                                                ? std::span<const Target>(kFinalTargets)
                                                : std::span<const Target>(kBudgetTargets);
    for (const Money& m : s.amounts) {
      const std::optional<Item> item = item_of(m, department_);
      if (!item || item->name.empty()) continue;
      std::vector<Candidate> cells;
      if (item->level)
        cells = labelled_cells(document_, item->name, item->code);
      else
        for (const Target& t : targets)
          for (const std::string& phrase : split(t.items, '|'))
            if (names_phrase(item->name, phrase)) {
              std::vector<Candidate> more = target_cells(document_, t);
              cells.insert(cells.end(), more.begin(), more.end());
              // Any row printed under the item's own name counts as well (表1's
              // 一般公共预算拨款收入).
              Target own{phrase.c_str(), t.kinds, ""};
              const std::string labels = phrase + "|" + phrase + "收入|" + phrase + "拨款收入";
              own.rows = labels.c_str();
              std::vector<Candidate> named = target_cells(document_, own);
              cells.insert(cells.end(), named.begin(), named.end());
            }
      if (cells.empty()) continue;
      const bool other_year = item->year && year_ && *item->year != year_;
      const Candidate* matched = nullptr;
      const Verdict verdict = compare(detail::in_yuan(m.amount, m.yuan),
                                      detail::half_step_yuan(m.amount, m.yuan), cells, &matched);
      if (other_year) {
        // A figure of another year that is exactly this year's: the year is what is wrong.
        if (verdict == Verdict::Held && !compares(m.clause))
          finding("year", "正文把本年数称为 " + std::to_string(*item->year) + " 年的", &s,
                  {{matched->ref, 1}}, std::to_string(*item->year) + "年 " + printed(m),
                  std::to_string(year_) + "年（" + cell_text(matched->ref) + "）");
        continue;
      }
      if (contains(m.clause, "上年") || contains(m.clause, "年初") || contains(m.clause, "执行"))
        continue;
      // A zero stated where the table prints nothing (a blank column) agrees with it.
      if (m.amount.units == 0 && verdict != Verdict::Held) continue;
      // The cell to show: the one in the column named like the item (基本支出), else the first.
      const Candidate* primary = &cells.front();
      for (const Candidate& c : cells) {
        const core::Table& table = document_.tables[static_cast<std::size_t>(c.ref.table)];
        if (contains(detail::squash(table.columns[static_cast<std::size_t>(c.ref.col)].header_path),
                     item->name.c_str())) {
          primary = &c;
          break;
        }
      }
      const std::vector<core::Term> base_terms = {{(matched ? matched->ref : primary->ref), 1}};
      if (verdict == Verdict::Held) {
        // A held statement is a check too (the final accounts' totals have no other), once per cell
        // and amount, unless check_narrative already made it.
        const std::string key = std::to_string(matched->ref.table) + "/" +
                                std::to_string(matched->ref.row) + "/" +
                                std::to_string(matched->ref.col) + "=" + printed(m);
        if (!item->level && !total_check(matched->ref) && held_.insert(key).second)
          finding("stated", "正文金额与表一致：" + item->name + " " + printed(m), &s,
                  {{matched->ref, 1}}, item->name + " " + printed(m), cell_text(matched->ref),
                  core::CheckStatus::Held);
        continue;
      }
      // Accuse only when the cell the item stands for is known: a column or a row named like it, or
      // the first amount of a total row for a total. Otherwise the tables were perhaps not read
      // right.
      // The cell shown is the one that pinpoints the item (表5's 基本支出 column for
      // 一般公共预算财政拨款基本支出, not its 合计).
      std::vector<core::Term> terms = base_terms;
      if (verdict == Verdict::Broken) {
        const Candidate* own = pinpointed(*item, cells);
        if (!own) continue;
        if (!item->level) terms = {{own->ref, 1}};
      }
      const std::string what = verdict == Verdict::UnitSlip ? "unit_slip" : "amount";
      const std::string expected = cell_text(terms[0].cell);
      const std::string description =
          verdict == Verdict::UnitSlip
              ? "正文金额单位有误（万元/元相差一万倍）：" + item->name + " " + printed(m)
              : "正文金额与表不符：" + item->name + " " + printed(m);
      if (core::Check* existing = total_check(terms[0].cell);
          existing && existing->status == core::CheckStatus::Broken) {
        existing->sentence = s.text;
        existing->page = s.page;
        existing->stated = printed(m);
        existing->expected = expected;
        continue;
      }
      finding(what, description, &s, std::move(terms), item->name + " " + printed(m), expected);
    }
  }

  const Candidate* pinpointed(const Item& item, const std::vector<Candidate>& cells) const {
    if (item.level) return &cells.front();  // rows found by the item's own name or code
    const std::string key = item.name.size() > 12 ? item.name.substr(item.name.size() - 12)
                                                  : item.name;  // 4 CJK characters
    static const char* const kTotals[] = {"收支总预算",
                                          "收支预算总计",
                                          "收支总计",
                                          "收入预算",
                                          "收入总预算",
                                          "部门收入预算",
                                          "收入合计",
                                          "收入总计",
                                          "支出预算",
                                          "支出总预算",
                                          "部门支出预算",
                                          "支出合计",
                                          "支出总计",
                                          "收入支出总计",
                                          "本年收入合计",
                                          "本年支出合计",
                                          "财政拨款收入支出总计",
                                          "财政拨款收支总计"};
    bool total = false;
    for (const char* t : kTotals) total = total || ends_with(item.name, t);
    for (const Candidate& c : cells) {
      const core::Table& table = document_.tables[static_cast<std::size_t>(c.ref.table)];
      // The segment naming the item must be the column's own, not a parent (基本支出/人员经费).
      const std::vector<std::string> segments =
          detail::path_segments(table.columns[static_cast<std::size_t>(c.ref.col)].header_path);
      for (std::size_t k = 0; k < segments.size(); ++k) {
        const std::string segment = detail::squash(segments[k]);
        if (!contains(segment, item.name.c_str()) && !contains(segment, key.c_str())) continue;
        bool own = true;
        for (std::size_t after = k + 1; after < segments.size(); ++after) {
          const std::string rest = detail::squash(segments[after]);
          own = own && (rest.empty() || rest == "小计" || rest == "合计" || rest == "**" ||
                        core::is_digits(rest));
        }
        if (own) return &c;
      }
      for (int col = 0; col < table.n_cols; ++col) {
        if (table.columns[static_cast<std::size_t>(col)].role == core::ColumnRole::Amount) continue;
        const std::string label = detail::squash(detail::text_at(table, c.ref.row, col));
        if (!label.empty() &&
            (label == item.name || label == item.name + "收入" || label == item.name + "拨款收入"))
          return &c;
      }
      if (total) {
        bool first = true;
        for (int col = 0; col < c.ref.col; ++col) {
          const core::Cell* cell = table.cell_at(c.ref.row, col);
          if (table.columns[static_cast<std::size_t>(col)].role == core::ColumnRole::Amount &&
              cell && cell->read)
            first = false;
        }
        if (first) return &c;
      }
    }
    return nullptr;
  }

  void names(const Statement& s) {
    std::vector<std::string> replacements;
    const std::vector<std::string> old = detail::retired_names_in(s, year_, &replacements);
    for (std::size_t i = 0; i < old.size(); ++i)
      finding("old_name", "正文使用已停用的科目名称「" + old[i] + "」", &s, {}, old[i],
              replacements[i]);
  }

  // The clause around `at`: from the , ; : 。 before it to the one after it.
  static std::string clause_at(const std::string& text, std::size_t at) {
    std::size_t from = 0, to = text.size();
    for (const char* d : {",", ";", ":", "。"}) {
      const std::size_t b = text.rfind(d, at);
      if (b != std::string::npos) from = std::max(from, b + std::char_traits<char>::length(d));
      const std::size_t e = text.find(d, at);
      if (e != std::string::npos) to = std::min(to, e);
    }
    return text.substr(from, to - from);
  }

  void own_year(const Statement& s) {
    if (!year_) return;
    static const char* const kBudgetWords[] = {"收支预算", "收入预算", "支出预算",  "所有收入",
                                               "部门预算", "单位预算", "收支总预算"};
    static const char* const kFinalWords[] = {"收入支出决算", "收支决算",     "部门决算",
                                              "单位决算",     "收入支出总计", "所有收入"};
    const bool final = kind_ == core::DocumentKind::FinalAccount;
    if (kind_ == core::DocumentKind::Unknown) return;
    for (const detail::YearMention& y : detail::years_in(s.text)) {
      if (y.year == year_ || compares(clause_at(s.text, y.begin))) continue;
      std::string after = s.text.substr(y.end);
      for (const char* lead : {"部门", "单位"})
        if (after.rfind(lead, 0) == 0 &&
            !(after.rfind("部门预算", 0) == 0 || after.rfind("单位预算", 0) == 0 ||
              after.rfind("部门决算", 0) == 0 || after.rfind("单位决算", 0) == 0))
          after.erase(0, std::char_traits<char>::length(lead));
      bool own = false;
      if (final)
        for (const char* w : kFinalWords) own = own || after.rfind(w, 0) == 0;
      else
        for (const char* w : kBudgetWords) own = own || after.rfind(w, 0) == 0;
      if (!own) continue;
      // Already reported through an amount of this sentence?
      bool reported = false;
      for (const core::Check& c : document_.checks)
        reported = reported || (c.id.rfind("narrative.year.", 0) == 0 && c.sentence == s.text);
      if (!reported)
        finding("year", "正文年份与文件年度不符：" + std::to_string(y.year) + " 年", &s, {},
                s.text.substr(y.begin, y.end - y.begin + 12),
                std::to_string(year_) + " 年" + (final ? "决算" : "预算"));
      return;
    }
  }

  void percentages() {
    const Money* head = nullptr;
    for (const Statement& s : statements_) {
      if (s.heading) head = nullptr;
      // 其中: the amount before it is the whole the shares that follow are of.
      const std::size_t of = s.text.find("其中");
      if (of != std::string::npos)
        for (const Money& m : s.amounts)
          if (m.end <= of) head = &m;
      for (const Percent& p : s.percents) {
        // The amount the percentage follows immediately: "X万元,占P%" /
        // "X万元,比…增加Y万元,增长P%".
        const Money* last = nullptr;
        const Money* before_last = nullptr;
        for (const Money& m : s.amounts)
          if (m.end <= p.begin) {
            before_last = last;
            last = &m;
          }
        if (!last) continue;
        const std::string between = s.text.substr(last->end, p.begin - last->end);
        if ((between == ",占" || between == "占") && head && head != last &&
            (of == std::string::npos || last->begin > of))
          share(s, p, *last, *head);
        else if (before_last && direction_at_end(p.before) != 0)
          change(s, p, *before_last, *last, between);
        else if (before_last && contains(p.before, "完成") && contains(before_last->item, "预算") &&
                 contains(last->item, "决算") && !contains(before_last->item, "决算"))
          completion(s, p, *before_last, *last);
      }
    }
  }

  // ----- the same item stated twice -----

  // A heading that opens a part of the narrative (一、 / (一) / 第三部分), not a numbered item
  // (1. / (1)): the amounts of one part speak of the same funds.
  static bool opens_part(const std::string& text) {
    if (text.rfind("第", 0) == 0) return true;
    for (const char* n :
         {"十一", "十二", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}) {
      const std::string numeral(n);
      if (text.rfind(numeral + "、", 0) == 0 || text.rfind("(" + numeral + ")", 0) == 0)
        return true;
    }
    return false;
  }

  // Items a narrative states once per part: named like a table's column or row, not a phrase.
  static bool named_item(const std::string& name) {
    static const char* const kNames[] = {"基本支出",           "项目支出",
                                         "人员经费",           "公用经费",
                                         "机关运行经费",       "因公出国(境)费",
                                         "公务接待费",         "公务用车购置费",
                                         "公务用车运行维护费", "公务用车购置及运行维护费",
                                         "公务用车运行费",     "公务用车购置及运行费"};
    for (const char* n : kNames)
      if (name == n) return true;
    return false;
  }

  // Within a part, the amounts of the document's year that name one item (a code, a name marked
  // 类/款/项 under the 类 and 款 the text last named, a named column, or "2026年预算安排" of the
  // item just named): two that differ beyond their rounding and not by 10,000 (a unit slip,
  // reported as such) are a finding.
  void twice() {
    struct Said {
      const Statement* statement;
      const Money* money;
    };
    std::map<std::string, Said> seen;
    std::set<std::string> reported;
    std::string klass, section, subject;
    for (const Statement& s : statements_) {
      if (s.heading && opens_part(s.text)) {
        seen.clear();
        klass.clear();
        section.clear();
      }
      if (s.heading) subject.clear();
      for (const Money& m : s.amounts) {
        const std::optional<Item> item = item_of(m, department_);
        if (!item || compares(m.clause) || contains(m.clause, "年初") ||
            direction_at_end(m.item) != 0)
          continue;
        if (item->year && year_ && *item->year != year_) continue;
        std::string key;
        if (item->code.size() >= 3) {
          key = "code " + item->code;
        } else if (item->level) {
          const char* level = ends_with(m.item, "类)")   ? "类"
                              : ends_with(m.item, "款)") ? "款"
                                                         : "项";
          if (std::string(level) == "类") {
            klass = item->name;
            section.clear();
          } else if (std::string(level) == "款") {
            section = item->name;
          }
          key = klass + "/" + (std::string(level) == "类" ? "" : section) + "/" + item->name +
                level + item->code;
          subject = key;
        } else if (named_item(item->name)) {
          key = item->name;
        } else if (item->year && !subject.empty() &&
                   (item->name == "预算安排" || item->name == "预算数" || item->name == "安排")) {
          key = subject;
        }
        if (key.empty()) continue;
        const auto [it, fresh] = seen.emplace(key, Said{&s, &m});
        if (fresh) continue;
        const Money& first = *it->second.money;
        const long double a = detail::in_yuan(first.amount, first.yuan),
                          b = detail::in_yuan(m.amount, m.yuan);
        const long double half = detail::half_step_yuan(first.amount, first.yuan) +
                                 detail::half_step_yuan(m.amount, m.yuan);
        if (std::fabs(a - b) <= half + 1e-6L || !reported.insert(key).second) continue;
        bool slip = false;
        for (const long double factor : {10000.0L, 1.0L / 10000.0L})
          slip = slip || std::fabs(a * factor - b) <= half * 10000.0L;
        if (slip) continue;
        finding("twice", "正文同一项目前后金额不一：" + item->name, &s, {},
                item->name + " " + printed(m),
                "前文（第 " + std::to_string(it->second.statement->page) + " 页）" + first.item +
                    " " + printed(first));
      }
    }
  }

  // The document's totals (收入/支出 总计 and 合计 of its first tables), in 元 with their half
  // steps: a share that fits one of them is not judged against the 其中 head, which a page break
  // may hide.
  const std::vector<Candidate>& totals() {
    if (!totals_) {
      totals_.emplace();
      static const Target kTotals[] = {{"", "budget.1|budget.2|budget.3|final.1|final.2|final.3",
                                        "total|收入总计|支出总计|总计|本年收入合计|本年支出合计"}};
      *totals_ = target_cells(document_, kTotals[0]);
    }
    return *totals_;
  }

  void share(const Statement& s, const Percent& p, const Money& part, const Money& whole) {
    const long double a = detail::in_yuan(part.amount, part.yuan),
                      ha = detail::half_step_yuan(part.amount, part.yuan);
    const std::optional<Range> r = ratio(a, ha, detail::in_yuan(whole.amount, whole.yuan),
                                         detail::half_step_yuan(whole.amount, whole.yuan));
    if (!r || percent_holds(p, r->low, r->high)) return;
    for (const Candidate& total : totals()) {
      const std::optional<Range> t = ratio(a, ha, total.yuan, total.half);
      if (t && percent_holds(p, t->low, t->high)) return;
    }
    finding("percentage", "正文占比与金额不符", &s, {},
            part.item + " " + printed(part) + "，占" + percent_of_text(p),
            printed(part) + " ÷ " + printed(whole) + " = " +
                format_percent((r->low + r->high) / 2, p.value.decimals));
  }

  static std::string percent_of_text(const Percent& p) { return p.value.to_string() + "%"; }

  // "X万元,比上年增加Y万元,增长P%": the base is X − Y; or "A万元(上年) … B万元,比…增加P%": (B − A)
  // / A.
  void change(const Statement& s, const Percent& p, const Money& first, const Money& second,
              const std::string& between) {
    const int word = direction_at_end(p.before);
    const int amount_word = direction_at_end(second.item);
    if (amount_word != 0 && (between == "," + p.before)) {
      // X is `first`, Y is `second`: the same comparison spoken twice. After a list
      // (…、其他收入X万元, 较上年减少Y) the comparison may be of the whole list: not judged.
      if (!contains(second.clause, "比") && !contains(second.clause, "较")) return;
      if (first.listed) return;
      if (amount_word != word) {
        finding("direction", "正文增减方向前后矛盾", &s, {},
                second.item + printed(second) + "，" + p.before + percent_of_text(p),
                "同一比较既说增加又说减少");
        return;
      }
      const long double x = detail::in_yuan(first.amount, first.yuan),
                        y = detail::in_yuan(second.amount, second.yuan);
      // "比2025年预算X万元减少Y万元,下降P%": X is the earlier figure itself, no clause between
      // them.
      const std::string joint = s.text.substr(first.end, second.begin - first.end);
      const bool x_is_prior = joint.find(',') == std::string::npos &&
                              joint.find(';') == std::string::npos &&
                              (contains(first.item, "比") || contains(first.item, "较"));
      const long double base = x_is_prior ? x : x - amount_word * y;
      const long double half =
          detail::half_step_yuan(first.amount, first.yuan) +
          (x_is_prior ? 0 : detail::half_step_yuan(second.amount, second.yuan));
      const std::optional<Range> r =
          ratio(y, detail::half_step_yuan(second.amount, second.yuan), base, half);
      if (!r || percent_holds(p, r->low, r->high)) return;
      finding("percentage", "正文增减幅度与金额不符", &s, {},
              first.item + printed(first) + "，" + second.item + printed(second) + "，" + p.before +
                  percent_of_text(p),
              printed(second) + " ÷ " +
                  (x_is_prior ? printed(first)
                              : "(" + printed(first) + (amount_word > 0 ? " − " : " + ") +
                                    printed(second) + ")") +
                  " = " + format_percent((r->low + r->high) / 2, p.value.decimals));
      return;
    }
    // The explicit prior figure: the earlier amount is of the year before (执行数/上年/that year).
    if (!contains(p.before, "比") && !contains(p.before, "较")) return;
    const bool first_prior =
        contains(first.item, "执行") || contains(first.item, "上年") ||
        (year_ && contains(first.item, (std::to_string(year_ - 1) + "年").c_str()));
    const bool second_prior =
        contains(second.item, "执行") || contains(second.item, "上年") ||
        (year_ && contains(second.item, (std::to_string(year_ - 1) + "年").c_str()));
    if (!first_prior || second_prior || direction_at_end(second.item) != 0) return;
    const long double a = detail::in_yuan(first.amount, first.yuan),
                      b = detail::in_yuan(second.amount, second.yuan);
    const long double ha = detail::half_step_yuan(first.amount, first.yuan),
                      hb = detail::half_step_yuan(second.amount, second.yuan);
    if (a <= ha) return;
    const long double change = b - a;
    if (std::fabs(change) > ha + hb && (change > 0 ? 1 : -1) != word) {
      finding("direction", "正文增减方向与金额不符", &s, {}, p.before + percent_of_text(p),
              printed(first) + " → " + printed(second) + (change > 0 ? "，为增加" : "，为减少"));
      return;
    }
    const std::optional<Range> r =
        ratio(std::fabs(change) > ha + hb ? std::fabs(change) - ha - hb : 0, 0, a, ha);
    const std::optional<Range> r2 = ratio(std::fabs(change) + ha + hb, 0, a, ha);
    if (!r || !r2 || percent_holds(p, r->low, r2->high)) return;
    finding("percentage", "正文增减幅度与金额不符", &s, {}, p.before + percent_of_text(p),
            "(" + printed(second) + " − " + printed(first) + ") ÷ " + printed(first) + " = " +
                format_percent(std::fabs(change) / a * 100.0L, p.value.decimals));
  }

  // "年初预算为A万元,支出决算为B万元,完成年初预算的P%".
  void completion(const Statement& s, const Percent& p, const Money& budget, const Money& actual) {
    const std::optional<Range> r = ratio(detail::in_yuan(actual.amount, actual.yuan),
                                         detail::half_step_yuan(actual.amount, actual.yuan),
                                         detail::in_yuan(budget.amount, budget.yuan),
                                         detail::half_step_yuan(budget.amount, budget.yuan));
    if (!r || percent_holds(p, r->low, r->high)) return;
    finding("percentage", "正文完成率与金额不符", &s, {}, p.before + percent_of_text(p),
            printed(actual) + " ÷ " + printed(budget) + " = " +
                format_percent((r->low + r->high) / 2, p.value.decimals));
  }

  // ----- the disclosure as a whole -----

  struct Family {
    std::vector<std::string> required;
    std::map<std::string, std::vector<std::string>> titles;  // kind → title keywords
    std::map<std::string, std::string> names;
  };

  Family family() const {
    Family out;
    const std::string wanted =
        kind_ == core::DocumentKind::FinalAccount ? "final_account" : "budget";
    const std::filesystem::path dir = detail::resolve_templates_dir(options_.templates_dir);
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".json") continue;
      try {
        std::ifstream in(entry.path(), std::ios::binary);
        const nlohmann::json j = nlohmann::json::parse(in);
        if (j.value("family", std::string()) != wanted) continue;
        out.required = j.value("required", std::vector<std::string>{});
        for (const nlohmann::json& t : j.at("tables")) {
          out.titles[t.at("kind").get<std::string>()] =
              t.value("titles", std::vector<std::string>{});
          out.names[t.at("kind").get<std::string>()] = t.value("name", std::string());
        }
      } catch (const std::exception&) {
        // load_templates reports unreadable template files; nothing to add here.
      }
    }
    return out;
  }

  // The topics of the tables a department may have nothing to show in.
  static constexpr const char* kTopics[] = {"政府性基金", "国有资本经营", "三公"};
  // The content of a required table that another table may show under its own title.
  static constexpr const char* kContentInOtherCut[] = {"基本支出"};

  void tables() {
    if (kind_ == core::DocumentKind::Unknown) return;
    const Family fam = family();
    std::set<std::string> present;
    for (const core::Table& t : document_.tables)
      if (!t.kind.empty()) present.insert(t.kind);
    std::size_t of_family = 0;
    for (const auto& [kind, titles] : fam.titles) of_family += present.count(kind);
    // A document whose tables were mostly not recognised is not judged: the missing ones may be
    // ours.
    constexpr std::size_t kRecognisedTables = 3;
    if (of_family < kRecognisedTables) return;
    const std::vector<Statement> all = detail::read_all_sentences(document_);
    std::string everything;
    for (const Statement& s : all) everything += s.text;
    for (const core::Table& t : document_.tables) everything += detail::squash(t.title);
    for (const std::string& kind : fam.required) {
      if (present.count(kind)) continue;
      bool printed_somewhere = false;
      const auto titles = fam.titles.find(kind);
      if (titles == fam.titles.end()) continue;
      // Titles vary between cities (一般公共预算基本支出表 / …情况表): the title's stem is enough.
      for (const std::string& title : titles->second) {
        std::string stem = detail::squash(title);
        for (const char* tail : {"情况表", "预算表", "总表", "表", "情况"})
          if (ends_with(stem, tail) && stem.size() > std::char_traits<char>::length(tail) + 6)
            stem.erase(stem.size() - std::char_traits<char>::length(tail));
        printed_somewhere = printed_somewhere || contains(everything, stem.c_str());
      }
      // Cities title these tables in their own words (“三公”经费支出预算表, 政府性基金预算支出表
      // …): a topic named anywhere, in a sentence or a table's title, may be that table under a
      // title we do not know, so only a topic never named at all makes an accusation.
      for (const char* topic : kTopics)
        if (contains(detail::squash(fam.names.at(kind)), topic) && contains(everything, topic))
          printed_somewhere = true;
      // Some cities show a required table's content in another cut (Shenzhen: 基本支出总表 for all
      // funds beside 一般公共预算支出表（按经济分类）, no 一般公共预算基本支出表): a table whose
      // title names the content is not an omission we can prove.
      for (const char* content : kContentInOtherCut)
        if (contains(detail::squash(fam.names.at(kind)), content))
          for (const core::Table& t : document_.tables)
            printed_somewhere = printed_somewhere || contains(detail::squash(t.title), content);
      if (printed_somewhere)
        continue;  // its title is printed: a table we could not read, not a missing one
      finding("missing_table", "缺少应公开的表：" + fam.names.at(kind), nullptr, {}, "未见此表",
              fam.names.at(kind));
    }
    // An empty table needs its sentence: the department has no such funds (空表说明).
    for (const core::Table& t : document_.tables) {
      if (t.kind.empty() || !fam.titles.count(t.kind)) continue;
      const std::string title = detail::squash(t.title + fam.names.at(t.kind));
      const char* topic = nullptr;
      for (const char* k : kTopics)
        if (contains(title, k)) topic = k;
      if (!topic || !understood(t)) continue;
      bool empty = true;
      for (const core::Cell& c : t.cells)
        if (c.row >= t.header_rows && c.read && (c.value ? c.value->units : c.read->units) != 0)
          empty = false;
      if (!empty) continue;
      bool said = false;
      const auto says = [&](const std::string& text) {
        if (contains(text, "空表")) {
          // "…国有资本经营预算支出情况表为空表" speaks of another table; a sentence naming none
          // counts.
          if (contains(text, topic)) return true;
          return !contains(text, "情况表") && !contains(text, "明细表") &&
                 !contains(text, "预算表") && !contains(text, "决算表");
        }
        if (!contains(text, topic) || contains(text, "转移支付")) return false;
        for (const char* w : {"无", "没有", "未安排", "不涉及", "未发生", "未使用"})
          if (contains(text, w)) return true;
        // "政府性基金拨款支出预算为0": a zero stated is the statement too.
        for (std::size_t at = text.find("为0"); at != std::string::npos;
             at = text.find("为0", at + 1)) {
          const std::size_t next = at + std::char_traits<char>::length("为0");
          if (next >= text.size() || !(text[next] == '.' && next + 1 < text.size() &&
                                       text[next + 1] > '0' && text[next + 1] <= '9'))
            if (next >= text.size() || text[next] < '1' || text[next] > '9') return true;
        }
        return false;
      };
      const auto zero_stated = [&](const Statement& s) {
        if (!contains(s.text, topic) || contains(s.text, "转移支付")) return false;
        for (const Money& m : s.amounts)
          if (m.amount.units == 0) return true;
        return false;
      };
      for (const Statement& s : all) said = said || says(s.text) || zero_stated(s);
      for (const std::string& note : t.notes) said = said || says(detail::squash(note));
      if (said) continue;
      const int page = t.pages.empty() ? 0 : t.pages.front();
      finding("empty_table", "空表未附说明：" + fam.names.at(t.kind), nullptr, {}, "表中无数",
              "应说明本部门无此项收支（空表说明）");
      document_.checks.back().page = page;
    }
  }

  core::Document& document_;
  const Options& options_;
  std::string department_;
  int year_ = 0;
  core::DocumentKind kind_ = core::DocumentKind::Unknown;
  std::vector<Statement> statements_;
  std::set<std::string> held_;
  std::optional<std::vector<Candidate>> totals_;
  int count_ = 0;
};

}  // namespace

void audit_disclosure(core::Document& document, const Options& options) {
  Auditor auditor(document, options);
  auditor.run();
}

}  // namespace tally::reconcile
