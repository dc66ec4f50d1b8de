// read_metadata: department, year, kind and unit of a disclosure.
#include <algorithm>
#include <map>

#include "tally/core/text.h"
#include "tally/layout/layout.h"
#include "text_pieces.h"

namespace tally::layout {

namespace {

// Pages whose text speaks for the whole document: the cover and the table of contents.
constexpr int kFrontPages = 3;

std::vector<std::string> page_lines(const core::Page& page) {
  std::vector<detail::Piece> pieces;
  for (const core::Word& word : page.words)
    pieces.push_back(
        {core::utf8_to_u32(word.text), word.box, word.font_size, word.bold, &word, true});
  std::vector<std::string> lines;
  for (const detail::TextLine& line : detail::lines_from_pieces(std::move(pieces)))
    lines.push_back(core::remove_space(core::fold_width(line.text())));
  return lines;
}

template <typename T>
T most_common(const std::vector<T>& values, T fallback) {
  std::map<T, int> counts;
  for (const T& v : values) ++counts[v];
  T best = fallback;
  int best_count = 0;
  for (const auto& [value, count] : counts)
    if (count > best_count) {
      best = value;
      best_count = count;
    }
  return best;
}

// Years printed as "2024年" or "2024 年"; the text has no spaces left.
std::vector<int> years_in(const std::string& text) {
  std::vector<int> years;
  for (std::size_t at = text.find("年"); at != std::string::npos; at = text.find("年", at + 1)) {
    if (at < 4) continue;
    const std::string digits = text.substr(at - 4, 4);
    if (core::is_digits(digits) && (digits.rfind("20", 0) == 0 || digits.rfind("19", 0) == 0))
      years.push_back(std::stoi(digits));
  }
  return years;
}

// An organisation name on the cover: the text before the year, or a line ending like one.
std::string department_in(const std::string& line) {
  static const char* const kSuffixes[] = {
      "办公室", "办事处", "委员会", "领导小组", "人民政府", "局", "厅", "中心", "院", "所",
      "馆",     "站",     "队",     "会",       "部",       "处", "室", "社",   "团"};
  std::string text = line;
  // A part heading: "第二部分 上海市…局 2024 年度部门决算".
  if (text.rfind("第", 0) == 0) {
    const std::size_t part = text.find("部分");
    if (part != std::string::npos && part <= 3 * 4)
      text = text.substr(part + std::string("部分").size());
  }
  for (const char* noise : {"部门预算公开", "部门预算", "部门决算公开", "部门决算", "单位预算",
                            "单位决算", "预算公开", "决算公开", "预算", "决算", "年度", "公开"}) {
    for (std::size_t at = text.find(noise); at != std::string::npos; at = text.find(noise))
      text.erase(at, std::string(noise).size());
  }
  // Drop a year with its 年 wherever it sits.
  for (int year : years_in(line)) {
    const std::string printed = std::to_string(year) + "年";
    for (std::size_t at = text.find(printed); at != std::string::npos; at = text.find(printed))
      text.erase(at, printed.size());
    const std::string bare = std::to_string(year);
    for (std::size_t at = text.find(bare); at != std::string::npos; at = text.find(bare))
      text.erase(at, bare.size());
  }
  if (core::utf8_length(text) < 4 || core::utf8_length(text) > 40) return {};
  for (const char* suffix : kSuffixes) {
    const std::string s(suffix);
    if (text.size() >= s.size() && text.compare(text.size() - s.size(), s.size(), s) == 0)
      return text;
  }
  return {};
}

}  // namespace

core::Metadata read_metadata(const core::Document& document) {
  core::Metadata meta;
  std::vector<std::string> front;
  for (const core::Page& page : document.pages) {
    if (page.number > kFrontPages && !front.empty()) break;
    for (std::string& line : page_lines(page)) front.push_back(std::move(line));
  }

  std::vector<int> years;
  for (const std::string& line : front)
    for (int year : years_in(line)) years.push_back(year);
  for (const core::Table& table : document.tables)
    for (int year : years_in(core::remove_space(table.title))) years.push_back(year);
  if (!years.empty()) meta.year = years.front();

  int budget = 0, final_account = 0;
  for (const std::string& line : front) {
    budget += line.find("预算") != std::string::npos;
    final_account += line.find("决算") != std::string::npos;
  }
  for (const core::Table& table : document.tables) {
    budget += table.title.find("预算") != std::string::npos;
    final_account += 2 * (table.title.find("决算") != std::string::npos);
  }
  if (final_account > 0 && final_account >= budget)
    meta.kind = core::DocumentKind::FinalAccount;
  else if (budget > 0)
    meta.kind = core::DocumentKind::Budget;

  std::vector<std::string> departments, units;
  for (const core::Table& table : document.tables) {
    if (!table.department.empty()) departments.push_back(table.department);
    if (!table.unit.empty()) units.push_back(table.unit);
  }
  meta.department = most_common<std::string>(departments, "");
  // Else the cover: a line naming the organisation, or two lines if the name wraps.
  for (std::size_t i = 0; i < front.size() && meta.department.empty(); ++i) {
    meta.department = department_in(front[i]);
    if (meta.department.empty() && i + 1 < front.size())
      meta.department = department_in(front[i] + front[i + 1]);
  }
  meta.unit = most_common<std::string>(units, "");
  return meta;
}

}  // namespace tally::layout
