// understand_tables: column roles and header paths, row roles, codes, hierarchy, the table kind.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "internal.h"
#include "tally/core/amount.h"
#include "tally/core/text.h"
#include "tally/reconcile/reconcile.h"

namespace tally::reconcile {

using core::ColumnRole;
using core::RowRole;

namespace detail {

std::string squash(std::string_view text) {
  return core::remove_space(core::fold_width(text));
}

std::vector<std::string> path_segments(const std::string& header_path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= header_path.size()) {
    const std::size_t slash = header_path.find('/', start);
    const std::string part =
        header_path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (!part.empty()) out.push_back(squash(part));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

bool path_matches(const std::string& header_path, const std::string& selector) {
  const std::vector<std::string> path = path_segments(header_path);
  std::size_t start = 0;
  while (start <= selector.size()) {  // alternatives split by '|'
    const std::size_t bar = selector.find('|', start);
    const std::string alt =
        selector.substr(start, bar == std::string::npos ? std::string::npos : bar - start);
    const std::vector<std::string> want = path_segments(alt);
    if (!want.empty() && want.size() <= path.size() &&
        std::equal(want.rbegin(), want.rend(), path.rbegin()))
      return true;
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return false;
}

std::string text_at(const core::Table& table, int row, int col) {
  const core::Cell* cell = table.cell_at(row, col);
  return cell ? cell->text : std::string();
}

Units amount_of(const core::Cell* cell, bool use_value) {
  if (!cell) return {};
  const std::optional<core::Amount>& a = use_value && cell->value ? cell->value : cell->read;
  if (!a) return {};
  return {a->units, a->decimals, true};
}

bool is_untrusted(const core::Cell& cell) {
  return cell.source != core::TextSource::TextLayer || cell.confidence < 1.0;
}

TableShape shape_of(const core::Table& table) {
  TableShape shape;
  for (int r = table.header_rows; r < table.n_rows; ++r) shape.body_rows.push_back(r);
  std::vector<int> labels;
  for (int c = 0; c < static_cast<int>(table.columns.size()); ++c) {
    if (table.columns[c].role == ColumnRole::Amount) shape.amount_cols.push_back(c);
    if (table.columns[c].role == ColumnRole::Label) labels.push_back(c);
  }
  // Two-sided: a second label column with amount columns between the two.
  const auto texts = [&](int col) {
    int n = 0;
    for (const core::Cell& cell : table.cells)
      if (cell.row >= table.header_rows && cell.col == col && !cell.read &&
          !squash(cell.text).empty())
        ++n;
    return n;
  };
  if (labels.size() == 2 && texts(labels[1]) >= 3) {
    const bool between = std::any_of(shape.amount_cols.begin(), shape.amount_cols.end(),
                                     [&](int c) { return c > labels[0] && c < labels[1]; });
    const bool after = std::any_of(shape.amount_cols.begin(), shape.amount_cols.end(),
                                   [&](int c) { return c > labels[1]; });
    if (between && after) {
      Side a{labels[0], {}}, b{labels[1], {}};
      for (int c : shape.amount_cols) (c < labels[1] ? a : b).amount_cols.push_back(c);
      shape.sides = {a, b};
    }
  }
  return shape;
}

}  // namespace detail

namespace {

using detail::squash;

// Body rows searched for code column names (类/款/项) printed on the total row instead of the
// header.
constexpr int kCodeNameRows = 2;

bool is_numbering_text(const std::string& text) {
  const std::string s = squash(text);
  if (s.empty() || s == "※" || s == "*" || core::is_digits(s) || s == "栏次" || s == "行次" ||
      s == "行号")
    return true;
  // A column's number with the formula of its sum: 5=6+7, 3=1+2+4.
  const std::size_t eq = s.find('=');
  if (eq == std::string::npos || eq == 0 || !core::is_digits(s.substr(0, eq))) return false;
  std::size_t digits = 0;
  for (std::size_t i = eq + 1; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      ++digits;
    } else if ((s[i] != '+' && s[i] != '-') || digits == 0) {
      return false;
    } else {
      digits = 0;
    }
  }
  return digits > 0;
}

bool is_code_text(const std::string& text, std::size_t& digits) {
  const std::string s = squash(text);
  digits = s.size();
  return core::is_digits(s) && (s.size() == 3 || s.size() == 5 || s.size() == 7);
}

bool has_letters(const std::string& text) {
  for (char32_t c : core::utf8_to_u32(text))
    if (core::is_cjk(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  return false;
}

// A code printed at the start of a label: "201 一般公共服务支出", or in brackets as Guangzhou
// prints it: "[301]工资福利支出".
std::optional<core::ClassificationCode> leading_code(const std::string& label) {
  const std::string s = core::fold_width(label);
  const bool bracketed = !s.empty() && s[0] == '[';
  const std::size_t start = bracketed ? 1 : 0;
  std::size_t n = start;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') ++n;
  const std::size_t digits = n - start;
  if (digits != 3 && digits != 5 && digits != 7) return std::nullopt;
  if (bracketed && (n >= s.size() || s[n] != ']')) return std::nullopt;
  return core::code_from_joined(s.substr(start, digits));
}

bool is_total_label(const std::string& label) {
  const std::string s = squash(label);
  static const std::set<std::string> totals = {"总计",  "合计",  "收入总计", "支出总计",
                                               "总计:", "合计:", "收入合计", "支出合计"};
  return totals.count(s) > 0;
}

void understand_columns(core::Table& table) {
  const int n = table.n_cols;
  table.columns.assign(n, {});
  // Numbering row: a header row whose texts are ※ or numbers only.
  std::vector<bool> numbering(table.header_rows, false);
  for (int r = 0; r < table.header_rows; ++r) {
    bool all = true, any = false;
    for (int c = 0; c < n; ++c) {
      const std::string t = detail::text_at(table, r, c);
      if (!is_numbering_text(t)) all = false;
      if (!squash(t).empty()) any = true;
    }
    numbering[r] = all && any;
  }
  for (int c = 0; c < n; ++c) {
    std::vector<std::string> parts;
    const core::Cell* last = nullptr;
    for (int r = 0; r < table.header_rows; ++r) {
      if (numbering[r]) continue;
      const core::Cell* cell = table.cell_at(r, c);
      if (!cell || cell == last) continue;
      last = cell;
      const std::string t = core::normalize_space(cell->text);
      if (!t.empty() && (parts.empty() || parts.back() != t)) parts.push_back(t);
    }
    table.columns[c].header_path = core::join(parts, "/");
  }
  // 类 | 款 | 项 printed in the first body row, beside the total (Shanghai 决算: `类 | 款 | 项 |
  // 合计 | 2,946.25 …`): the code columns are named there, not in the header.
  std::vector<std::string> body_names(n);
  for (int r = table.header_rows; r < std::min(table.n_rows, table.header_rows + kCodeNameRows);
       ++r)
    for (int c = 0; c < n; ++c) {
      const std::string t = squash(detail::text_at(table, r, c));
      if (t == "类" || t == "款" || t == "项") body_names[c] = t;
    }
  // Body statistics per column (cells counted at their top-left column).
  for (int c = 0; c < n; ++c) {
    int nonempty = 0, amounts = 0, codes = 0, letters = 0, twodigit = 0;
    std::set<std::size_t> code_lengths;
    // The column's own header words printed again in the body (a header repeated on each page of
    // a long table that the join kept) say nothing of what the column holds.
    std::set<std::string> own_header;
    for (const std::string& seg : detail::path_segments(table.columns[c].header_path))
      own_header.insert(squash(seg));
    for (const core::Cell& cell : table.cells) {
      if (cell.row < table.header_rows || cell.col != c) continue;
      const std::string s = squash(cell.text);
      if (s.empty() || own_header.count(s)) continue;
      ++nonempty;
      std::size_t digits = 0;
      if (is_code_text(cell.text, digits)) {
        ++codes;
        code_lengths.insert(digits);
      } else if (core::is_digits(s) && s.size() == 2) {
        ++twodigit;
      } else if (cell.read) {
        ++amounts;
      } else if (has_letters(cell.text)) {
        ++letters;
      }
    }
    core::ColumnInfo& info = table.columns[c];
    const std::vector<std::string> segs = detail::path_segments(info.header_path);
    const std::string last = !body_names[c].empty() ? body_names[c]
                             : segs.empty()         ? ""
                                                    : segs.back();
    bool numbered = false, starred = false;
    for (int r = 0; r < table.header_rows; ++r)
      if (numbering[r]) {
        const std::string t = squash(detail::text_at(table, r, c));
        numbered = core::is_digits(t) && !t.empty();
        starred = t == "※" || t == "*";
      }
    if (last == "类")
      info.role = ColumnRole::ClassCode;
    else if (last == "款")
      info.role = ColumnRole::SectionCode;
    else if (last == "项" && !numbered)
      info.role = ColumnRole::ItemCode;
    else if (nonempty && codes * 2 >= nonempty && amounts * 4 < nonempty)
      info.role = ColumnRole::Code;
    else if (nonempty && twodigit * 2 >= nonempty && c > 0 &&
             (table.columns[c - 1].role == ColumnRole::ClassCode ||
              table.columns[c - 1].role == ColumnRole::SectionCode))
      info.role = table.columns[c - 1].role == ColumnRole::ClassCode ? ColumnRole::SectionCode
                                                                     : ColumnRole::ItemCode;
    else if (numbered || (nonempty && amounts * 2 >= nonempty && letters * 2 < nonempty))
      info.role = ColumnRole::Amount;
    else if (letters > 0 || starred)
      info.role = ColumnRole::Label;
    else if (!nonempty) {
      const bool labelish = last.find("名称") != std::string::npos || last == "项目" ||
                            last == "科目" || last.find("编码") != std::string::npos ||
                            last.find("分类") != std::string::npos;
      info.role = labelish ? ColumnRole::Label : ColumnRole::Amount;
    } else {
      info.role = ColumnRole::Text;
    }
    // One code column of 3-digit classes followed by 2-digit columns: 类 | 款 | 项 without headers.
    if (info.role == ColumnRole::Code && code_lengths.size() == 1 && *code_lengths.begin() == 3 &&
        c + 1 < n) {
      // decided when the next column turns out to hold two-digit parts
    }
  }
  for (int c = 0; c + 1 < n; ++c)
    if (table.columns[c].role == ColumnRole::Code &&
        table.columns[c + 1].role == ColumnRole::SectionCode)
      table.columns[c].role = ColumnRole::ClassCode;
  // A label column named 项目 with text is a label, not an item code column (handled above); a
  // second label-like column of text only stays Label (two-sided tables).
  int labels = 0;
  for (const core::ColumnInfo& info : table.columns) labels += info.role == ColumnRole::Label;
  if (!labels)  // a table whose names sit in a Text column
    for (core::ColumnInfo& info : table.columns)
      if (info.role == ColumnRole::Text) {
        info.role = ColumnRole::Label;
        break;
      }
  // An amount whose text layer puts a gap into its decimals ("106,512.0 0", "25180591 .33": the
  // glyphs placed apart) is that amount, not text: read without the gap. Only a single gap at or
  // after the decimal point, so two numbers in one cell are never joined.
  for (core::Cell& cell : table.cells) {
    if (cell.row < table.header_rows || cell.read || cell.col >= n ||
        table.columns[cell.col].role != ColumnRole::Amount)
      continue;
    const std::size_t gap = cell.text.find(' ');
    if (gap == std::string::npos || cell.text.find(' ', gap + 1) != std::string::npos) continue;
    const std::string joined = cell.text.substr(0, gap) + cell.text.substr(gap + 1);
    const std::size_t point = joined.find('.');
    if (point == std::string::npos || gap < point) continue;
    cell.read = core::amount_from_text(joined);
  }
  // Performance targets (绩效目标表): 指标值 100 (%), 分值 10, 权重 … are measures of a target, not
  // amounts of money; no identity adds them, and a misread of one is no repair's business.
  for (int c = 0; c < n; ++c) {
    const std::string header = squash(table.columns[c].header_path);
    bool indicator = false;
    for (const char* w : {"指标值", "分值", "权重", "度量单位", "计量单位"})
      indicator = indicator || header.find(w) != std::string::npos;
    // 序号 / 行次 / 栏次: the row's number in the table, not an amount either.
    const bool index = header == "序号" || header == "行次" || header == "栏次";
    const ColumnRole role = table.columns[c].role;
    if (!(indicator || index) ||
        !(role == ColumnRole::Amount || role == ColumnRole::Text || role == ColumnRole::Label))
      continue;
    if (role == ColumnRole::Amount) table.columns[c].role = ColumnRole::Text;
    for (core::Cell& cell : table.cells)
      if (cell.col == c && cell.row >= table.header_rows) {
        cell.read.reset();
        cell.value.reset();
      }
  }
  // A performance form (one project per block of rows: 项目名称 / 资金金额 / 年度绩效指标 …) prints
  // its indicator headers inside the body ("分值权重（90分）" above the weights): the numbers below
  // such a cell, in its column, are weights and scores too.
  if (squash(table.title).find("绩效") == std::string::npos) return;
  std::vector<int> indicator_from(static_cast<std::size_t>(n), table.n_rows);
  for (const core::Cell& cell : table.cells) {
    if (cell.row < table.header_rows || cell.read || cell.col >= n) continue;
    const std::string text = squash(cell.text);
    for (const char* w : {"指标值", "分值", "权重"})
      if (text.find(w) != std::string::npos)
        indicator_from[cell.col] = std::min(indicator_from[cell.col], cell.row);
  }
  for (core::Cell& cell : table.cells)
    if (cell.col < n && cell.row > indicator_from[cell.col]) {
      cell.read.reset();
      cell.value.reset();
    }
}

// Amount of a cell in millionths (the finest precision printed, 6 decimals).
std::int64_t micro_units(const core::Cell* cell, bool& present) {
  const detail::Units u = detail::amount_of(cell, false);
  present = u.present;
  std::int64_t v = u.units;
  for (int k = u.decimals; k < 6; ++k) v *= 10;
  return v;
}

// True when row `head` prints, in some amount column, the sum of the rows of `block` (within the
// rounding of the printed terms), or when a cell involved was not read from a trusted text layer
// (a misread is then the repair step's question, not a reason to drop the structure).
bool heads_block(const core::Table& table, const detail::TableShape& shape, int head,
                 const std::vector<int>& block) {
  if (block.empty()) return false;
  for (int c : shape.amount_cols) {
    const core::Cell* hc = table.cell_at(head, c);
    bool present = false;
    const std::int64_t total = micro_units(hc, present);
    if (hc && detail::is_untrusted(*hc)) return true;
    if (!present || total == 0) continue;
    std::int64_t sum = 0, terms = 1;
    for (int r : block) {
      const core::Cell* cell = table.cell_at(r, c);
      if (cell && detail::is_untrusted(*cell)) return true;
      bool p = false;
      sum += micro_units(cell, p);
      terms += p;
    }
    const int decimals = detail::amount_of(hc, false).decimals;
    std::int64_t unit = 1;
    for (int k = decimals; k < 6; ++k) unit *= 10;
    if (std::llabs(sum - total) <= (terms / 2) * unit) return true;
  }
  return false;
}

int level_of(const core::ClassificationCode& code) {
  return static_cast<int>(code.level());
}

void understand_rows(core::Table& table, std::vector<std::string>& bad_codes,
                     std::vector<std::string>& orphans, std::vector<std::string>& out_of_order) {
  table.rows.assign(table.n_rows, {});
  int class_col = -1, section_col = -1, item_col = -1, code_col = -1, label_col = -1;
  for (int c = 0; c < table.n_cols; ++c) {
    switch (table.columns[c].role) {
      case ColumnRole::ClassCode:
        if (class_col < 0) class_col = c;
        break;
      case ColumnRole::SectionCode:
        if (section_col < 0) section_col = c;
        break;
      case ColumnRole::ItemCode:
        if (item_col < 0) item_col = c;
        break;
      case ColumnRole::Code:
        if (code_col < 0) code_col = c;
        break;
      case ColumnRole::Label:
        if (label_col < 0) label_col = c;
        break;
      default: break;
    }
  }
  const detail::TableShape shape = detail::shape_of(table);
  std::vector<int> level(table.n_rows, -1);  // structural level 0/1/2 for coded rows
  // The 类 and 款 parts last printed, for rows that leave those cells blank.
  struct {
    std::string class_part, section_part;
  } inherited;
  for (int r = 0; r < table.n_rows; ++r) {
    core::RowInfo& info = table.rows[r];
    if (r < table.header_rows) {
      bool all = true;
      for (int c = 0; c < table.n_cols; ++c)
        all = all && is_numbering_text(detail::text_at(table, r, c));
      info.role = all ? RowRole::Numbering : RowRole::Header;
      continue;
    }
    // The column-number row printed below the header (栏次 | 1 | 2 | 3=1+2): labels of the
    // columns, not a row of amounts.
    {
      bool all = true, named = false;
      for (int c = 0; c < table.n_cols && all; ++c) {
        const std::string t = squash(detail::text_at(table, r, c));
        all = is_numbering_text(t);
        named = named || t.find('=') != std::string::npos || t == "栏次" || t == "行次";
      }
      if (all && named) {
        info.role = RowRole::Numbering;
        continue;
      }
    }
    if (label_col >= 0) info.label = core::normalize_space(detail::text_at(table, r, label_col));
    if (info.label.empty() && label_col > 0)  // 合计 printed across the code columns
      for (int c = 0; c < label_col && info.label.empty(); ++c) {
        const std::string t = detail::text_at(table, r, c);
        if (has_letters(t)) info.label = core::normalize_space(t);
      }
    if (class_col >= 0) {
      const std::string cp = squash(detail::text_at(table, r, class_col));
      const std::string sp = section_col >= 0 ? squash(detail::text_at(table, r, section_col)) : "";
      const std::string ip = item_col >= 0 ? squash(detail::text_at(table, r, item_col)) : "";
      if (!cp.empty() && core::is_digits(cp)) {
        info.code = core::code_from_parts(cp, sp, ip);
        if (!info.code)
          bad_codes.push_back(cp + (sp.empty() ? "" : "|" + sp) + (ip.empty() ? "" : "|" + ip));
        level[r] = !ip.empty() ? 2 : !sp.empty() ? 1 : 0;
        inherited = {cp, sp};
      } else if (cp.empty() && !sp.empty() && core::is_digits(sp)) {
        // 款/项 rows that leave the 类 cell blank (Yantai, Changsha): the class is the one printed
        // above.
        level[r] = !ip.empty() ? 2 : 1;
        if (!inherited.class_part.empty())
          info.code = core::code_from_parts(inherited.class_part, sp, ip);
        inherited.section_part = sp;
      } else if (cp.empty() && sp.empty() && !ip.empty() && core::is_digits(ip)) {
        // 项 rows that leave both parent cells blank: class and section from the rows above.
        level[r] = 2;
        if (!inherited.class_part.empty() && !inherited.section_part.empty())
          info.code = core::code_from_parts(inherited.class_part, inherited.section_part, ip);
      } else if (cp.empty() && sp.empty() && ip.empty()) {
        inherited = {};  // a unit or total row: codes above do not reach below it
      }
    } else if (code_col >= 0) {
      info.code = core::code_from_joined(detail::text_at(table, r, code_col));
      if (info.code) level[r] = level_of(*info.code);
    }
    if (!info.code && level[r] < 0) {
      const int side_label = shape.sides.size() == 2 ? shape.sides[1].label_col : label_col;
      if (side_label >= 0) {
        info.code = leading_code(detail::text_at(table, r, side_label));
        if (info.code && shape.sides.size() == 2)
          level[r] = -1;  // side B classes: not a hierarchy
        else if (info.code)
          level[r] = level_of(*info.code);
      }
    }
    if (info.code && info.label == detail::text_at(table, r, label_col) && shape.sides.empty()) {
      // strip a leading code from the label
      const std::string joined = info.code->joined();
      const std::string folded = core::fold_width(info.label);
      if (folded.rfind(joined, 0) == 0)
        info.label = core::normalize_space(folded.substr(joined.size()));
      else if (folded.rfind("[" + joined + "]", 0) == 0)
        info.label = core::normalize_space(folded.substr(joined.size() + 2));
    }
    bool empty = true;
    for (int c = 0; c < table.n_cols; ++c)
      empty = empty && squash(detail::text_at(table, r, c)).empty();
    if (is_total_label(info.label))
      info.role = RowRole::Total;
    else if (level[r] == 0)
      info.role = RowRole::Class;
    else if (level[r] == 1)
      info.role = RowRole::Section;
    else if (level[r] == 2)
      info.role = RowRole::Item;
    else if (empty)
      info.role = RowRole::Note;
    else
      info.role = RowRole::Detail;
  }
  // Hierarchy from codes (or the structural level where codes are truncated).
  int total_row = -1;
  int min_level = 3;
  for (int r = table.header_rows; r < table.n_rows; ++r) {
    if (table.rows[r].role == RowRole::Total && total_row < 0) total_row = r;
    if (level[r] >= 0) min_level = std::min(min_level, level[r]);
  }
  // A flat list: no coded row has its parent (or grandparent) code printed in the table. Its rows
  // of every level are leaves that sum into the total; in a nested table a row without its parent
  // is the source's omission (seed 004 表6: 款 rows of 302 and 303 without their 类 rows).
  std::set<std::string> printed_codes;
  for (const core::RowInfo& info : table.rows)
    if (info.code) printed_codes.insert(info.code->joined());
  const bool flat = std::none_of(table.rows.begin(), table.rows.end(), [&](const core::RowInfo& o) {
    for (auto up = o.code ? o.code->parent() : std::nullopt; up; up = up->parent())
      if (printed_codes.count(up->joined())) return true;
    return false;
  });
  for (int r = table.header_rows; r < table.n_rows; ++r) {
    core::RowInfo& info = table.rows[r];
    if (level[r] < 0) continue;
    if (level[r] == min_level) {
      info.parent_row = total_row;
      continue;
    }
    const std::optional<core::ClassificationCode> parent_code =
        info.code ? info.code->parent() : std::nullopt;
    int parent = -1;
    for (int p = r - 1; p >= table.header_rows; --p) {
      if (level[p] < 0) continue;
      if (level[p] == level[r] - 1) {
        if (!parent_code || !table.rows[p].code || *table.rows[p].code == *parent_code) parent = p;
        break;
      }
      if (level[p] < level[r] - 1) break;
    }
    if (parent < 0 && parent_code) {  // printed out of order
      for (int p = table.header_rows; p < table.n_rows; ++p)
        if (p != r && table.rows[p].code && *table.rows[p].code == *parent_code) {
          parent = p;
          break;
        }
      // A 项 whose 款 is not printed at all (Xi'an 表6: 3010201 津贴补贴 under 301 with no 30102
      // row): it sums into the nearest 类 above it of its own class.
      const std::optional<core::ClassificationCode> grand =
          parent < 0 ? parent_code->parent() : std::nullopt;
      if (grand)
        for (int p = r - 1; p >= table.header_rows; --p)
          if (table.rows[p].code && *table.rows[p].code == *grand) {
            parent = p;
            break;
          }
      // Neither its 款 nor its 类 printed anywhere (a flat list of 项 rows with one 款 among them,
      // 商务局 预算03表): it is a top-level row of its own and sums into the total.
      const auto printed = [&](const std::optional<core::ClassificationCode>& code) {
        return code && std::any_of(table.rows.begin(), table.rows.end(),
                                   [&](const core::RowInfo& o) { return o.code == code; });
      };
      const bool top_level = flat && parent < 0 && !printed(parent_code) && !printed(grand);
      if (top_level) parent = total_row;
      if (info.code && !top_level) {
        if (parent < 0)
          orphans.push_back(info.code->joined());
        else if (!grand)
          out_of_order.push_back(info.code->joined());
      }
    } else if (parent < 0 && info.code) {
      orphans.push_back(info.code->joined());
    }
    info.parent_row = parent;
  }
  // Unit rows (表 7, 表 11 by unit): an uncoded row followed by coded rows heads them; its classes
  // sum into it and it sums into the total. (其中： rows are "of which": no parent, no sum.)
  if (min_level < 3) {
    std::map<int, std::vector<int>> blocks;  // head row → its top-level coded rows
    int head = -1;
    for (int r = table.header_rows; r < table.n_rows; ++r) {
      const core::RowInfo& info = table.rows[r];
      if (info.role == RowRole::Detail && level[r] < 0 &&
          squash(info.label).rfind("其中", 0) != 0 && r + 1 < table.n_rows &&
          level[r + 1] == min_level) {
        head = r;
        blocks[r];
      } else if (level[r] == min_level && head >= 0) {
        blocks[head].push_back(r);
      }
    }
    for (const auto& [h, block] : blocks) {
      // An uncoded row before coded rows may also be a project of a flat list (Xi'an 表11: a
      // 涉密 project row, then coded projects): a unit head is believed when its amounts are the
      // sum of its block in some column, or when the numbers were not read from a trusted text.
      if (!heads_block(table, shape, h, block)) continue;
      table.rows[h].parent_row = total_row;
      for (int r : block) table.rows[r].parent_row = h;
    }
  }
}

// Indicator names of a performance target table: a short cell ending in 指标 (产出指标, 质量指标,
// 满意度指标 …), or a numbered indicator (指标5：对铁路道口的…).
bool ends_with_indicator(const std::string& squashed) {
  const std::string w = "指标";
  if (squashed.rfind(w, 0) == 0 && squashed.size() > w.size() && squashed[w.size()] >= '0' &&
      squashed[w.size()] <= '9')
    return true;
  return squashed.size() > w.size() && squashed.size() <= 6 * 3 &&
         squashed.compare(squashed.size() - w.size(), w.size(), w) == 0;
}
// Cells naming indicators that make an untitled table a performance target table.
constexpr int kIndicatorRowsForKind = 3;

std::string match_kind(const core::Table& table, const detail::Templates& templates) {
  const std::string title = squash(table.title);
  std::string best;
  std::size_t best_len = 0;
  int best_number = 0;
  for (const detail::Template& t : templates.tables) {
    for (const std::string& key : t.titles) {
      const std::string k = squash(key);
      if (k.empty() || title.find(k) == std::string::npos) continue;
      const int number_fit = table.number && std::find(t.numbers.begin(), t.numbers.end(),
                                                       *table.number) != t.numbers.end();
      if (k.size() > best_len || (k.size() == best_len && number_fit > best_number)) {
        best = t.kind;
        best_len = k.size();
        best_number = number_fit;
      }
    }
  }
  if (!best.empty()) return best;
  // No title (a continuation piece the join could not place, a section heading such as 第七部分
  // 重点项目预算绩效情况说明 above the table): performance targets still say what they are, by
  // their columns (绩效目标, 绩效指标) or by their rows of indicators (产出指标, 质量指标 …).
  int indicators = 0;
  bool named = false;
  for (const core::Cell& cell : table.cells) {
    const std::string text = squash(cell.text);
    // A list of tables (报表目录) names 绩效目标表 without being one.
    const bool names_a_table = text.size() >= 3 && text.compare(text.size() - 3, 3, "表") == 0;
    if (cell.row < table.header_rows && !names_a_table &&
        (text.find("绩效目标") != std::string::npos || text.find("绩效指标") != std::string::npos))
      named = true;
    indicators += ends_with_indicator(text);
  }
  if (named || indicators >= kIndicatorRowsForKind)
    for (const detail::Template& t : templates.tables)
      if (t.kind == "budget.performance") return t.kind;
  return best;
}

}  // namespace

void understand_tables(core::Document& document, const Options& options) {
  const detail::Templates templates =
      detail::load_templates(detail::resolve_templates_dir(options.templates_dir));
  for (const std::string& e : templates.errors) document.warn(0, "template_unreadable", e);
  for (core::Table& table : document.tables) {
    understand_columns(table);
    std::vector<std::string> bad_codes;
    std::vector<std::string> orphans, out_of_order;
    understand_rows(table, bad_codes, orphans, out_of_order);
    const auto list_of = [](const std::vector<std::string>& codes) {
      std::string list;
      for (std::size_t i = 0; i < codes.size() && i < 8; ++i) list += (i ? ", " : "") + codes[i];
      return list + (codes.size() > 8 ? ", …" : "");
    };
    const std::string name = table.number ? "表" + std::to_string(*table.number) : table.title;
    const int page = table.pages.empty() ? 0 : table.pages.front();
    if (!orphans.empty())
      document.warn(page, "code_orphan",
                    name + ": " + std::to_string(orphans.size()) +
                        " coded rows have no row of their parent code (" + list_of(orphans) +
                        "); they are left out of the hierarchy sums");
    if (!out_of_order.empty())
      document.warn(page, "code_orphan",
                    name + ": " + std::to_string(out_of_order.size()) +
                        " coded rows are printed away from their parent row (" +
                        list_of(out_of_order) + ")");
    if (!bad_codes.empty()) {
      std::string list;
      for (std::size_t i = 0; i < bad_codes.size() && i < 5; ++i)
        list += (i ? ", " : "") + bad_codes[i];
      document.warn(table.pages.empty() ? 0 : table.pages.front(), "code_unreadable",
                    (table.number ? "表" + std::to_string(*table.number) : table.title) + ": " +
                        std::to_string(bad_codes.size()) +
                        " rows print a code that is not a 3-digit class with 2-digit parts (" +
                        list + (bad_codes.size() > 5 ? ", …" : "") +
                        "); their hierarchy is taken from the columns the parts sit in");
    }
    table.kind = match_kind(table, templates);
  }
}

}  // namespace tally::reconcile
