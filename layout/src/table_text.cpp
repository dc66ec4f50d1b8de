#include "table_text.h"

#include <algorithm>

#include "tally/core/text.h"

namespace tally::layout::detail {

namespace {

// Text after the first '：' or ':' (or the whole text without `label` if there is none).
std::string value_after_colon(const std::string& text, const std::string& label) {
  for (const char* colon : {"：", ":"}) {
    const std::size_t at = text.find(colon);
    if (at != std::string::npos)
      return core::normalize_space(text.substr(at + std::string(colon).size()));
  }
  const std::size_t at = text.find(label);
  return core::normalize_space(at == std::string::npos ? text : text.substr(at + label.size()));
}

bool contains(const std::string& text, const char* what) {
  return text.find(what) != std::string::npos;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Splits "编制部门：X 单位：万元" when both sit in one segment.
void read_department_and_unit(const std::string& text, Caption& caption) {
  const std::string compact = core::remove_space(text);
  std::size_t unit_at = std::string::npos;
  for (std::size_t from = 0;;) {
    const std::size_t at = compact.find("单位", from);
    if (at == std::string::npos) break;
    const bool part_of_department = at >= 6 && compact.compare(at - 6, 6, "编制") == 0;  // 编制单位
    const std::size_t after = at + std::string("单位").size();
    const bool labelled =
        compact.compare(after, 3, "：") == 0 || compact.compare(after, 1, ":") == 0;
    if (!part_of_department && labelled) {
      unit_at = at;
      break;
    }
    from = after;
  }
  std::string department_part = unit_at == std::string::npos ? compact : compact.substr(0, unit_at);
  for (const char* label : {"编制部门", "编制单位", "单位名称", "部门名称"})
    if (contains(department_part, label)) {
      caption.department =
          value_after_colon(department_part.substr(department_part.find(label)), label);
      break;
    }
  if (unit_at != std::string::npos) {
    std::string unit = value_after_colon(compact.substr(unit_at), "单位");
    // "万元" or "元" possibly followed by stray text; keep the unit word itself.
    for (const char* known : {"万元", "亿元", "千元", "元"})
      if (unit.rfind(known, 0) == 0) unit = known;
    caption.unit = unit;
  }
}

// A table's name: ends in 表, or in 表 with a bracketed qualifier (财政拨款支出表（功能科目）).
bool names_a_table(const std::string& text) {
  if (ends_with(text, "表") || ends_with(text, "表）") || ends_with(text, "表)")) return true;
  if (!ends_with(text, "）") && !ends_with(text, ")")) return false;
  const std::size_t wide = text.rfind("（"), narrow = text.rfind('(');
  const std::size_t open = wide == std::string::npos     ? narrow
                           : narrow == std::string::npos ? wide
                                                         : std::max(wide, narrow);
  return open != std::string::npos && ends_with(text.substr(0, open), "表");
}

// Long titles exist
// (2022年部门综合预算一般公共预算基本支出明细表（按支出经济分类科目-不含上年结转）, 47 characters);
// a long line that does not name a table is a sentence.
bool is_narrative(const std::string& text) {
  return (core::utf8_length(text) > 40 && !names_a_table(text)) || ends_with(text, "。");
}

// A series label on its own line above the title (公开 05 表, 预算 03 表): the table's number in
// the disclosure's own series, not its title.
std::optional<int> series_label(const std::string& compact) {
  const std::u32string s = core::utf8_to_u32(compact);
  if (s.size() < 3 || s.back() != U'表') return std::nullopt;
  std::size_t i = 0;
  while (i < s.size() && core::is_cjk(s[i]) && s[i] != U'表') ++i;
  if (i == 0 || i > 4) return std::nullopt;
  std::size_t digits = 0;
  int number = 0;
  while (i + digits < s.size() - 1 && s[i + digits] >= U'0' && s[i + digits] <= U'9') {
    number = number * 10 + static_cast<int>(s[i + digits] - U'0');
    ++digits;
  }
  if (digits == 0 || digits > 2 || i + digits != s.size() - 1) return std::nullopt;
  return number;
}

// "表 3", "附表3", "表3：部门支出总体情况表", "Table 2" → 3, 3, 3 (rest = the title), 2.
std::optional<int> table_number(const std::string& text, std::string& rest) {
  std::string t = text;
  bool matched = false;
  for (const char* prefix : {"附表", "表", "Table ", "TABLE "})
    if (t.rfind(prefix, 0) == 0) {
      t = core::normalize_space(t.substr(std::string(prefix).size()));
      matched = true;
      break;
    }
  if (!matched) return std::nullopt;
  std::size_t digits = 0;
  while (digits < t.size() && digits < 3 && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits == 0 || digits > 2 || (digits < t.size() && t[digits] >= '0' && t[digits] <= '9'))
    return std::nullopt;
  const int number = std::stoi(t.substr(0, digits));
  std::u32string tail = core::utf8_to_u32(t.substr(digits));
  std::size_t skip = 0;
  while (skip < tail.size() &&
         std::u32string_view(U" :.、-").find(tail[skip]) != std::u32string_view::npos)
    ++skip;
  if (skip == 0 && !tail.empty() && tail[0] < 0x80) return std::nullopt;  // "表3a" is no label
  rest = core::normalize_space(core::u32_to_utf8(tail.substr(skip)));
  return number;
}

}  // namespace

Caption caption_from_lines(const std::vector<const TextLine*>& lines_above) {
  Caption caption;
  struct Candidate {
    std::string text;
    double font_size;
    int distance;  // 0 = the line right above the table
  };
  std::vector<Candidate> titles;
  const int n = static_cast<int>(lines_above.size());
  for (int i = n - 1; i >= 0; --i) {
    const int distance = n - 1 - i;
    for (const TextSegment& segment : lines_above[static_cast<std::size_t>(i)]->segments) {
      // Parse the folded text (full-width digits and colons), but keep the title as printed.
      const std::string text = core::normalize_space(core::fold_width(segment.text));
      const std::string compact = core::remove_space(text);
      const std::string printed = core::remove_space(segment.text);
      if (compact.empty()) continue;
      std::string rest;
      if (!caption.number &&
          ((caption.number = table_number(core::normalize_space(segment.text), rest)) ||
           (caption.number = table_number(text, rest)))) {
        if (!rest.empty() && !is_narrative(rest))
          titles.push_back({core::remove_space(rest), segment.font_size, distance});
        continue;
      }
      if (contains(compact, "编制部门") || contains(compact, "编制单位") ||
          contains(compact, "单位：") || contains(compact, "单位:") ||
          contains(compact, "单位名称")) {
        read_department_and_unit(text, caption);
        continue;
      }
      if (compact == "续表" || compact.rfind("续表", 0) == 0) {
        caption.continued = true;
        continue;
      }
      if (is_narrative(compact)) continue;
      if (const std::optional<int> label = series_label(compact)) {
        if (!caption.number) caption.number = label;
        continue;
      }
      titles.push_back({printed, segment.font_size, distance});
    }
  }
  // The title: a line ending in 表 wins, the nearest of several (a part heading such as
  // "…2024 年度部门决算表" sits above the table's own title); otherwise the largest font.
  const auto better = [](const Candidate& a, const Candidate& b) {
    const bool a_table = names_a_table(a.text);
    const bool b_table = names_a_table(b.text);
    if (a_table != b_table) return a_table;
    if (a_table) return a.distance < b.distance;
    if (std::abs(a.font_size - b.font_size) > 0.5) return a.font_size > b.font_size;
    return a.distance < b.distance;
  };
  if (titles.empty()) return caption;
  const auto best = std::min_element(titles.begin(), titles.end(), better);
  caption.title = best->text;
  // A lead-in sentence ("纳入…编制范围的单位包括：") wrapped over lines: the line above the table
  // is only its tail, so prepend the lines above it in the same font up to the paragraph's start.
  if (ends_with(caption.title, "：") || ends_with(caption.title, ":")) {
    for (int distance = best->distance + 1;; ++distance) {
      const auto above = std::find_if(titles.begin(), titles.end(),
                                      [&](const Candidate& c) { return c.distance == distance; });
      if (above == titles.end() || std::abs(above->font_size - best->font_size) > 0.5 ||
          ends_with(above->text, "：") || ends_with(above->text, ":") ||
          above->text.find("、") != std::string::npos)
        break;
      caption.title = above->text + caption.title;
    }
  }
  return caption;
}

std::vector<std::string> notes_from_lines(const std::vector<const TextLine*>& lines_below) {
  std::vector<std::string> notes;
  bool in_note = false;
  for (const TextLine* line : lines_below) {
    const std::string text = core::remove_space(line->text());
    const bool starts_note = text.rfind("注", 0) == 0 || text.rfind("说明：", 0) == 0 ||
                             contains(text, "空表") || contains(text, "本表");
    if (starts_note) {
      notes.push_back(text);
      in_note = !ends_with(text, "。");
    } else if (in_note) {
      notes.back() += text;  // a note wrapped over several lines
      in_note = !ends_with(text, "。");
    } else {
      break;
    }
  }
  return notes;
}

namespace {

std::string text_at(const core::Table& table, const std::vector<int>& index, int row, int col) {
  const int i = index[static_cast<std::size_t>(row * table.n_cols + col)];
  return i < 0 ? std::string() : table.cells[static_cast<std::size_t>(i)].text;
}

bool is_marker(const std::string& text) {
  return text == "※" || text == "*" || text == "＊" || text == "△";
}

bool is_numbering_row(const core::Table& table, const std::vector<int>& index, int row) {
  int expected = -1, integers = 0;
  for (int c = 0; c < table.n_cols; ++c) {
    const int i = index[static_cast<std::size_t>(row * table.n_cols + c)];
    if (i < 0 || table.cells[static_cast<std::size_t>(i)].row != row ||
        table.cells[static_cast<std::size_t>(i)].col != c)
      continue;
    const std::string text =
        core::remove_space(core::fold_width(table.cells[static_cast<std::size_t>(i)].text));
    if (text.empty() || is_marker(text) || text == "栏次" || text == "行次") continue;
    if (!core::is_digits(text) || text.size() > 2) return false;
    const int value = std::stoi(text);
    if (expected >= 0 && value != expected) return false;
    expected = value + 1;
    ++integers;
  }
  return integers >= 2;
}

bool looks_like_code(const std::string& text) {
  const std::string t = core::remove_space(core::fold_width(text));
  return core::is_digits(t) && (t.size() == 3 || t.size() == 5 || t.size() == 7);
}

// A total row (合计, 总计 in the label columns) whose other cells are blank or amounts: the last
// row of an empty table, which a header never looks like (its other cells are column names).
bool is_total_row(const core::Table& table, const std::vector<int>& index, int row) {
  bool total = false;
  for (int c = 0; c < table.n_cols; ++c) {
    const std::string text = core::remove_space(text_at(table, index, row, c));
    if (text.empty()) continue;
    const bool total_label = c <= 3 && core::utf8_length(text) <= 8 &&
                             (ends_with(text, "合计") || ends_with(text, "总计"));
    if (total_label)
      total = true;
    else if (!core::is_amount_text(text))
      return false;
  }
  return total;
}

// A label led by its classification code: "201 一般公共服务支出", "2010301行政运行".
bool starts_with_code(const std::string& text) {
  const std::string t = core::fold_width(text);
  std::size_t digits = 0;
  while (digits < t.size() && t[digits] >= '0' && t[digits] <= '9') ++digits;
  if (digits != 3 && digits != 5 && digits != 7) return false;
  const std::string rest = core::normalize_space(t.substr(digits));
  return !rest.empty() && core::is_cjk(core::utf8_to_u32(rest).front());
}

bool is_data_row(const core::Table& table, const std::vector<int>& index, int row) {
  if (is_total_row(table, index, row)) return true;
  for (int c = 0; c < table.n_cols; ++c) {
    const std::string text = text_at(table, index, row, c);
    if (text.empty()) continue;
    const std::string folded = core::fold_width(text);
    if (core::is_amount_text(folded) && (contains(folded, ".") || contains(folded, ",")))
      return true;
    if (c < 3 && looks_like_code(text)) return true;
    if (starts_with_code(text)) return true;  // "201 一般公共服务支出" in a two-sided table
  }
  return false;
}

}  // namespace

int detect_header_rows(const core::Table& table) {
  const std::vector<int> index = table.grid_index();
  int header = -1;
  for (int r = 0; r < table.n_rows && r < 8; ++r)
    if (is_numbering_row(table, index, r)) {
      header = r + 1;
      break;
    }
  if (header < 0) {
    int first_data = table.n_rows;
    for (int r = 0; r < table.n_rows; ++r)
      if (is_data_row(table, index, r)) {
        first_data = r;
        break;
      }
    // Blank rows before the first data row are body (an empty table printed with blank rows).
    header = 0;
    for (int r = 0; r < first_data; ++r)
      for (int c = 0; c < table.n_cols; ++c)
        if (!text_at(table, index, r, c).empty()) header = r + 1;
  }
  // A header cell reaching below the header line takes the line down with it.
  for (bool moved = true; moved;) {
    moved = false;
    for (const core::Cell& cell : table.cells)
      if (cell.row < header && cell.row + cell.rowspan > header) {
        header = cell.row + cell.rowspan;
        moved = true;
      }
  }
  return header;
}

void assign_amounts(core::Table& table) {
  const std::vector<int> index = table.grid_index();
  for (int c = 0; c < table.n_cols; ++c) {
    // Code columns: named so in the header, or holding nothing but 3/5/7-digit (or 2-digit) codes.
    std::string header_text;
    for (int r = 0; r < table.header_rows; ++r)
      header_text += core::remove_space(text_at(table, index, r, c)) + "/";
    bool code_column =
        contains(header_text, "编码") || contains(header_text, "代码") ||
        header_text.find("/类/") != std::string::npos || header_text.rfind("类/", 0) == 0 ||
        header_text.find("/款/") != std::string::npos || header_text.rfind("款/", 0) == 0 ||
        header_text.find("/项/") != std::string::npos || header_text.rfind("项/", 0) == 0;
    // Without a header (a continuation page on its own) the values decide: codes only.
    if (!code_column && table.header_rows == 0) {
      int codes = 0, values = 0;
      for (int r = table.header_rows; r < table.n_rows; ++r) {
        const std::string text = core::remove_space(core::fold_width(text_at(table, index, r, c)));
        if (text.empty()) continue;
        ++values;
        if (core::is_digits(text) && text != "0" && (text.size() == 2 || looks_like_code(text)))
          ++codes;
      }
      code_column = values > 0 && codes == values;
    }
    for (core::Cell& cell : table.cells) {
      if (cell.col != c || cell.row < table.header_rows || cell.colspan != 1) continue;
      cell.read = code_column ? std::nullopt : core::amount_from_text(cell.text);
    }
  }
}

std::vector<std::string> header_signature(const core::Table& table, int rows) {
  const std::vector<int> index = table.grid_index();
  std::vector<std::string> out;
  for (int r = 0; r < rows && r < table.n_rows; ++r)
    for (int c = 0; c < table.n_cols; ++c)
      out.push_back(core::remove_space(text_at(table, index, r, c)));
  return out;
}

}  // namespace tally::layout::detail
