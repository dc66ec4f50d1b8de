// What the narrative calls things: the document itself (部门/单位, 预算/决算) and the
// classification codes it names (卫生健康支出（210类）), against the cover and against the tables
// and the year's classification list.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "internal.h"
#include "narrative_internal.h"
#include "tally/core/text.h"

namespace tally::reconcile::detail {

namespace {

bool starts_with(const std::string& text, std::size_t at, const std::string& prefix) {
  return text.compare(at, prefix.size(), prefix) == 0;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// The text around `at` (about `before` bytes before it, `length` in all), cut at characters.
std::string around(const std::string& text, std::size_t at, std::size_t before,
                   std::size_t length) {
  std::size_t from = at >= before ? at - before : 0;
  while (from > 0 && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) --from;
  std::size_t to = std::min(text.size(), from + length);
  while (to < text.size() && (static_cast<unsigned char>(text[to]) & 0xC0) == 0x80) ++to;
  return text.substr(from, to - from);
}

// ----- the document's name for itself -----

// Words after 部门预算 / 单位决算 … that make it the name of this document (纳入部门预算管理,
// 部门预算情况说明, 部门预算表); other uses (部门预算支出经济分类, a unit's own 单位预算 inside a
// department's) are not.
constexpr const char* kSelfTails[] = {"管理", "情况说明", "编制说明", "公开", "表"};
// Words before 部门/单位 that make it another organisation (下属单位预算, 所属事业单位预算).
constexpr const char* kOtherOwners[] = {"下属", "所属", "事业", "行政", "二级", "基层", "预算"};

struct SelfName {
  std::size_t at = 0;
  bool unit = false;   // 单位 (else 部门)
  bool final = false;  // 决算 (else 预算)
  // Followed by a word that makes it a title (管理, 情况说明, 表 …) or ending its clause: "完成
  // 2024年部门预算的98%" in a final account names the budget, not the document.
  bool titled = false;
};

std::vector<SelfName> self_names(const std::string& text, int year) {
  std::vector<SelfName> out;
  for (std::size_t at = 0; at < text.size(); ++at) {
    const bool unit = starts_with(text, at, "单位");
    if (!unit && !starts_with(text, at, "部门")) continue;
    const std::size_t kind_at = at + std::string("部门").size();
    const bool final = starts_with(text, kind_at, "决算");
    if (!final && !starts_with(text, kind_at, "预算")) continue;
    const std::size_t past = kind_at + std::string("预算").size();
    bool self = false;
    // "2026年部门预算", "2024年度部门决算": the document's own year in front.
    for (const char* lead : {"年", "年度"}) {
      const std::string y = std::to_string(year) + lead;
      if (year && at >= y.size() && text.compare(at - y.size(), y.size(), y) == 0) self = true;
    }
    if (at >= 3 && starts_with(text, at - 3, "本")) self = true;
    bool other_owner = false;
    for (const char* w : kOtherOwners) {
      const std::string word(w);
      other_owner = other_owner ||
                    (at >= word.size() && text.compare(at - word.size(), word.size(), word) == 0);
    }
    bool titled = past >= text.size() || text[past] == ',' || text[past] == ';' ||
                  starts_with(text, past, "。");
    for (const char* tail : kSelfTails) titled = titled || starts_with(text, past, tail);
    if (!self && !other_owner) self = titled;
    if (starts_with(text, past, "支出经济分类") || starts_with(text, past, "经济分类"))
      self = false;
    // "…2023年(度)部门决算" of another year is another document.
    for (const char* lead : {"年", "年度"}) {
      const std::size_t n = std::string(lead).size();
      if (at >= n + 4 && text.compare(at - n, n, lead) == 0 && is_digit(text[at - n - 4]) &&
          std::atoi(text.substr(at - n - 4, 4).c_str()) != year)
        self = false;
    }
    if (self) out.push_back({at, unit, final, titled});
  }
  return out;
}

// ----- classification names -----

// Names the 2019 政府收支分类科目 retired (after the 2018 reform of the State Council's
// departments), with the name that replaced them and the first budget year that prints the new
// one. `marked`: the old name is an ordinary phrase too (行政事业单位离退休人员), so only a mention
// marked as a code, "（款）" or "（20805款）", counts.
struct Renamed {
  const char* old_name;
  const char* new_name;
  const char* code;
  int since;
  bool marked;
};
constexpr Renamed kRenamed[] = {
    {"医疗卫生与计划生育支出", "卫生健康支出", "210", 2019, false},
    {"医疗卫生与计划生育管理事务", "卫生健康管理事务", "21001", 2019, false},
    {"国土海洋气象等支出", "自然资源海洋气象等支出", "220", 2019, false},
    {"国土资源事务", "自然资源事务", "22001", 2019, true},
    {"行政事业单位离退休", "行政事业单位养老支出", "20805", 2019, true},
};

const char* const kLevels[] = {"类", "款", "项"};
// The digits of a code at each level: 类 201, 款 20101, 项 2010101.
constexpr std::size_t kCodeLength[] = {3, 5, 7};

// The year's function classification (data/codes/function_codes.tsv: code<TAB>name[<TAB>…]).
const std::map<std::string, std::string>& classification() {
  static const std::map<std::string, std::string> codes = [] {
    std::map<std::string, std::string> out;
    std::vector<std::filesystem::path> places;
    if (const char* data = std::getenv("TALLY_DATA"))
      places.emplace_back(std::filesystem::path(data) / "codes");
    places.emplace_back(resolve_templates_dir("data/codes"));
    for (const std::filesystem::path& place : places) {
      std::ifstream in(place / "function_codes.tsv", std::ios::binary);
      std::string line;
      while (std::getline(in, line)) {
        const std::size_t tab = line.find('\t');
        if (tab == std::string::npos) continue;
        const std::size_t end = line.find('\t', tab + 1);
        const std::string code = line.substr(0, tab);
        if (core::is_digits(code))
          out.emplace(code, squash(line.substr(tab + 1, end == std::string::npos ? std::string::npos
                                                                                 : end - tab - 1)));
      }
      if (!out.empty()) break;
    }
    return out;
  }();
  return codes;
}

// The names the document's tables print beside `code`.
std::vector<std::string> printed_names(const core::Document& document, const std::string& code) {
  std::vector<std::string> out;
  for (const core::Table& table : document.tables) {
    if (table.rows.size() != static_cast<std::size_t>(table.n_rows)) continue;
    for (int r = table.header_rows; r < table.n_rows; ++r) {
      const core::RowInfo& info = table.rows[static_cast<std::size_t>(r)];
      if (!info.code || info.code->joined() != code) continue;
      std::string label = squash(info.label);
      for (int c = 0; c < table.n_cols && label.empty(); ++c) {
        if (c < static_cast<int>(table.columns.size()) &&
            table.columns[static_cast<std::size_t>(c)].role == core::ColumnRole::Label)
          label = squash(text_at(table, r, c));
      }
      if (!label.empty()) out.push_back(label);
    }
  }
  return out;
}

// One name is the other, or holds it (a name printed short, or cut at a line's end in a cell).
bool same_name(const std::string& a, const std::string& b) {
  constexpr std::size_t kMinBytes = 6;  // two CJK characters
  if (a.size() < kMinBytes || b.size() < kMinBytes) return a == b;
  return a.find(b) != std::string::npos || b.find(a) != std::string::npos;
}

// The name printed before the level mark that starts at `open`: back to a separator, a number, a
// year or the previous level mark; section numbers and connectors taken off.
std::string name_before(const std::string& text, std::size_t open) {
  std::size_t from = 0;
  for (std::size_t k = open; k > 0; --k) {
    const char c = text[k - 1];
    if (c == ',' || c == ';' || c == ':' || c == '%' || is_digit(c)) {
      from = k;
      break;
    }
    if (k >= 3 && (text.compare(k - 3, 3, "、") == 0 || text.compare(k - 3, 3, "。") == 0 ||
                   text.compare(k - 3, 3, "年") == 0)) {
      from = k;
      break;
    }
    bool mark = false;
    for (const char* level : kLevels)
      mark = mark || (c == ')' && k >= 4 && text.compare(k - 4, 3, level) == 0);
    if (mark) {
      from = k;
      break;
    }
  }
  std::string name = text.substr(from, open - from);
  if (!name.empty() && (name[0] == '.' || name[0] == ')')) name.erase(0, 1);
  for (const char* lead : {"其中", "包括", "主要用于", "用于", "度"})
    if (name.rfind(lead, 0) == 0) name.erase(0, std::string(lead).size());
  if (name.rfind("(", 0) == 0 && name.find(')') != std::string::npos && name.find(')') <= 10)
    name.erase(0, name.find(')') + 1);  // (一) before the name
  return name;
}

}  // namespace

std::vector<Finding> kind_findings(const std::vector<Statement>& statements,
                                   const std::string& cover, core::DocumentKind kind, int year) {
  std::vector<Finding> out;
  if (kind == core::DocumentKind::Unknown) return out;
  const bool final = kind == core::DocumentKind::FinalAccount;
  // The cover says what the document is: 部门 or 单位 when it names one of them only.
  bool cover_unit = false, cover_department = false;
  for (const char* w : {"单位预算", "单位决算"}) cover_unit = cover_unit || contains(cover, w);
  for (const char* w : {"部门预算", "部门决算"})
    cover_department = cover_department || contains(cover, w);
  const bool scope_known = cover_unit != cover_department;
  const std::string own = std::string(cover_unit ? "单位" : "部门") + (final ? "决算" : "预算");
  for (const Statement& s : statements) {
    for (const SelfName& n : self_names(s.text, year)) {
      const std::string said = s.text.substr(n.at, std::string("部门预算").size());
      if (n.final != final && n.titled) {
        out.push_back(
            {"kind",
             std::string("正文把本文件称为") + (n.final ? "决算" : "预算") + "：「" + said + "」",
             &s,
             {},
             around(s.text, n.at, 12, 36),
             std::string("本文件为") + (final ? "决算" : "预算")});
        break;
      }
      if (scope_known && n.unit != cover_unit) {
        out.push_back({"kind",
                       "正文把本文件称为" + said + "，封面为" + own,
                       &s,
                       {},
                       around(s.text, n.at, 12, 36),
                       "封面：" + own});
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> retired_names_in(const Statement& s, int year,
                                          std::vector<std::string>* replacements) {
  std::vector<std::string> out;
  for (const Renamed& r : kRenamed) {
    if (year < r.since) continue;
    bool found = false;
    for (std::size_t at = s.text.find(r.old_name); at != std::string::npos && !found;
         at = s.text.find(r.old_name, at + 1)) {
      if (!r.marked) {
        found = true;
        break;
      }
      std::size_t k = at + std::string(r.old_name).size();
      if (!starts_with(s.text, k, "(")) continue;
      ++k;
      while (k < s.text.size() && is_digit(s.text[k])) ++k;
      for (const char* level : kLevels) found = found || starts_with(s.text, k, level);
    }
    if (!found) continue;
    out.push_back(r.old_name);
    if (replacements)
      replacements->push_back(std::string(r.new_name) + "（" + r.code + "，" +
                              std::to_string(r.since) + " 年起的科目名称）");
  }
  return out;
}

std::vector<Finding> code_name_findings(const std::vector<Statement>& statements,
                                        const core::Document& document) {
  std::vector<Finding> out;
  for (const Statement& s : statements) {
    for (std::size_t open = s.text.find('('); open != std::string::npos;
         open = s.text.find('(', open + 1)) {
      std::size_t k = open + 1;
      while (k < s.text.size() && is_digit(s.text[k])) ++k;
      const std::string code = s.text.substr(open + 1, k - open - 1);
      int level = -1;
      for (int l = 0; l < 3; ++l)
        if (starts_with(s.text, k, kLevels[l]) && starts_with(s.text, k + 3, ")")) level = l;
      // Only a whole code of its level names a row: (01项) is relative to the 款 before it.
      if (level < 0 || code.size() != kCodeLength[level]) continue;
      const std::string name = name_before(s.text, open);
      if (name.empty()) continue;
      bool retired = false;
      for (const Renamed& r : kRenamed) retired = retired || name == r.old_name;
      if (retired) continue;  // names(): reported as a retired name
      std::vector<std::string> known = printed_names(document, code);
      const auto listed = classification().find(code);
      if (listed != classification().end()) known.push_back(listed->second);
      if (known.empty()) continue;
      bool same = false;
      for (const std::string& k2 : known) same = same || same_name(name, k2);
      if (same) continue;
      const std::string expected =
          code + " " + known.front() +
          (known.size() == 1 && listed != classification().end() ? "（科目表）" : "（表中）");
      out.push_back({"code_name",
                     "正文科目名称与编码不符：" + name + "（" + code + kLevels[level] + "）",
                     &s,
                     {},
                     name + "（" + code + kLevels[level] + "）",
                     expected});
    }
  }
  return out;
}

}  // namespace tally::reconcile::detail
