// Doubt before accusation: a broken identity over trusted text is first a question about Tally's
// reading of the layout. Before it is reported as a source error, the readings that would make it
// hold are tried: another set of rows (a row left out, a subtotal counted twice, levels listed
// nested), another set of columns, a sign convention, another unit. Where one explains it, the
// identity is not checked and a `layout_uncertain` diagnostic says why; the rest stay broken and
// are reported with their cells, printed values and difference.
#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>

#include "internal.h"
#include "tally/core/text.h"

namespace tally::reconcile::detail {

namespace {

// Values in millionths, so cells of 0–6 decimals compare exactly.
constexpr int kScaleDecimals = 6;
// Alternative column sets are searched over at most this many columns (2^n subsets).
constexpr int kMaxSubsetColumns = 14;

std::int64_t scaled(const core::Table& table, int row, int col, bool* present = nullptr) {
  const Units u = amount_of(table.cell_at(row, col), false);
  if (present) *present = u.present;
  std::int64_t v = u.units;
  for (int k = u.decimals; k < kScaleDecimals; ++k) v *= 10;
  return v;
}
std::int64_t half_unit(const core::Table& table, int row, int col) {
  const Units u = amount_of(table.cell_at(row, col), false);
  if (!u.present || u.units == 0) return 0;
  std::int64_t v = 1;
  for (int k = u.decimals; k < kScaleDecimals; ++k) v *= 10;
  return v / 2;
}

bool trusted(const core::Document& document, const core::Check& check) {
  for (const core::Term& t : check.terms) {
    const core::Table& table = document.tables[static_cast<std::size_t>(t.cell.table)];
    const core::Cell* cell = table.cell_at(t.cell.row, t.cell.col);
    if (cell && cell->read && is_untrusted(*cell)) return false;
  }
  return !check.terms.empty();
}

// total = Σ parts, all in one table, total the single −1 term.
struct Sum {
  int table = -1;
  core::CellRef total;
  std::vector<core::CellRef> parts;
  bool same_column = false, same_row = false;
};
std::optional<Sum> as_sum(const core::Check& check) {
  Sum s;
  int totals = 0;
  for (const core::Term& t : check.terms) {
    if (s.table < 0) s.table = t.cell.table;
    if (t.cell.table != s.table) return std::nullopt;
    if (t.coefficient == -1) {
      s.total = t.cell;
      ++totals;
    } else if (t.coefficient == 1) {
      s.parts.push_back(t.cell);
    } else {
      return std::nullopt;
    }
  }
  if (totals != 1 || s.parts.empty()) return std::nullopt;
  s.same_column = std::all_of(s.parts.begin(), s.parts.end(),
                              [&](const core::CellRef& p) { return p.col == s.total.col; });
  s.same_row = std::all_of(s.parts.begin(), s.parts.end(),
                           [&](const core::CellRef& p) { return p.row == s.total.row; });
  return s;
}

// Why a broken row identity (total = Σ rows in one column) may be a misreading, or "".
std::string row_alternative(const core::Table& t, const Sum& s) {
  const int c = s.total.col;
  std::set<int> terms;
  for (const core::CellRef& p : s.parts) terms.insert(p.row);
  const std::int64_t total = scaled(t, s.total.row, c);
  std::int64_t sum = 0, slack = half_unit(t, s.total.row, c);
  for (const core::CellRef& p : s.parts) {
    sum += scaled(t, p.row, c);
    slack += half_unit(t, p.row, c);
  }
  const std::int64_t d = sum - total;  // what the parts have too much
  const auto near = [&](std::int64_t a, std::int64_t b, std::int64_t extra) {
    return std::llabs(a - b) <= slack + extra;
  };
  std::vector<int> body;
  for (int r = t.header_rows; r < t.n_rows; ++r)
    if (r != s.total.row && t.rows[r].role != core::RowRole::Header &&
        t.rows[r].role != core::RowRole::Numbering)
      body.push_back(r);
  // A row (or a run of rows) left out: the parts lack exactly its amount.
  for (std::size_t i = 0; i < body.size(); ++i) {
    std::int64_t run = 0, extra = 0;
    for (std::size_t j = i; j < body.size() && !terms.count(body[j]) &&
                            !t.rows[static_cast<std::size_t>(body[j])].code;
         ++j) {
      run += scaled(t, body[j], c);
      extra += half_unit(t, body[j], c);
      if (run != 0 && near(-d, run, extra))
        return "rows " + std::to_string(body[i]) + (j > i ? "–" + std::to_string(body[j]) : "") +
               " left out of the sum would make it hold (a row of this level whose code or label "
               "was not read as such)";
    }
  }
  // A subtotal counted with its parts: a run of the parts adds up to the excess.
  std::vector<int> kids(terms.begin(), terms.end());
  for (std::size_t i = 0; i < kids.size(); ++i) {
    std::int64_t run = 0, extra = 0;
    for (std::size_t j = i; j < kids.size() && j < i + kids.size() - 1; ++j) {
      run += scaled(t, kids[j], c);
      extra += half_unit(t, kids[j], c);
      if (run != 0 && near(d, run, extra))
        return "rows " + std::to_string(kids[i]) + (j > i ? "–" + std::to_string(kids[j]) : "") +
               " counted twice (a subtotal summed with its own parts) would explain it";
    }
  }
  // Levels listed nested, every level summed: the parts add up to two or three times the total.
  for (int k = 2; k <= 3; ++k)
    if (total != 0 && near(sum, k * total, 0))
      return "the rows add up to " + std::to_string(k) + "× the total: levels listed nested";
  // Every body row, whatever its level, sums to k × the total.
  std::int64_t all = 0, all_slack = 0;
  for (int r : body) {
    all += scaled(t, r, c);
    all_slack += half_unit(t, r, c);
  }
  for (int k = 2; k <= 3;
       ++k)  // (k = 1 would excuse a missing parent row, which is the source's fault)
    if (total != 0 && std::llabs(all - k * total) <= all_slack + slack)
      return "all body rows add up to " + std::to_string(k) +
             "× the total: the row levels were misread";
  return "";
}

// Why a broken row identity whose parts fall short may be a table continued on the next page
// without its header and not joined to this one (Xi'an 表8: an 8-column page, then pages whose
// wrapped labels give a ninth column), or "": the parent's rows run to the table's last row and the
// document's next table starts on the next page with no header row.
std::string continuation_alternative(const core::Document& document, const core::Table& t,
                                     const Sum& s) {
  std::int64_t sum = 0;
  for (const core::CellRef& p : s.parts) sum += scaled(t, p.row, s.total.col);
  if (sum >= scaled(t, s.total.row, s.total.col)) return "";
  int last = -1;
  for (int r = t.n_rows - 1; r >= t.header_rows && last < 0; --r)
    for (int c = 0; c < t.n_cols && last < 0; ++c)
      if (amount_of(t.cell_at(r, c), false).present) last = r;
  bool runs_to_end = false;
  for (int r = last, steps = 0; r >= 0 && steps <= t.n_rows && !runs_to_end; ++steps) {
    runs_to_end = r == s.total.row;
    r = t.rows[static_cast<std::size_t>(r)].parent_row;
  }
  if (!runs_to_end || t.pages.empty()) return "";
  const auto self = std::find_if(document.tables.begin(), document.tables.end(),
                                 [&](const core::Table& o) { return &o == &t; });
  if (self == document.tables.end() || self + 1 == document.tables.end()) return "";
  const core::Table& next = *(self + 1);
  if (next.pages.empty() || next.pages.front() != t.pages.back() + 1 || next.header_rows != 0)
    return "";
  return "its rows run to the end of the table, and the table on page " +
         std::to_string(next.pages.front()) +
         " starts without a header: the rest of them may be there (a continuation not joined)";
}

// A template's columns are matched by their headers, which is evidence: the only alternative to
// them is a wider set (a column the template does not know, such as a 上级补助收入 beside
// 财政拨款收入), never a narrower one (a part printed blank is the source's fault). A discovered
// sum may be replaced by any set that holds on as many rows.
std::string column_family_alternative(const core::Table& t, const std::vector<int>& rows,
                                      const std::set<int>& broken_rows, int total_col,
                                      const std::vector<int>& current,
                                      const std::vector<int>& amount_cols, bool from_template,
                                      const std::set<int>& subordinate) {
  std::vector<int> others;
  for (int c : amount_cols)
    if (c != total_col && !subordinate.count(c)) others.push_back(c);
  if (others.size() > static_cast<std::size_t>(kMaxSubsetColumns) || others.empty()) return "";
  const int n = static_cast<int>(others.size());
  for (int mask = 1; mask < (1 << n); ++mask) {
    std::vector<int> cols;
    for (int i = 0; i < n; ++i)
      if (mask >> i & 1) cols.push_back(others[static_cast<std::size_t>(i)]);
    if (cols == current) continue;
    if (from_template && !std::includes(cols.begin(), cols.end(), current.begin(), current.end()))
      continue;
    int hold = 0;
    bool all_broken_hold = true;
    for (int r : rows) {
      std::int64_t sum = 0, slack = half_unit(t, r, total_col);
      for (int c : cols) {
        sum += scaled(t, r, c);
        slack += half_unit(t, r, c);
      }
      const bool ok = std::llabs(sum - scaled(t, r, total_col)) <= slack;
      hold += ok;
      if (!ok && broken_rows.count(r)) all_broken_hold = false;
      if (!all_broken_hold) break;
    }
    if (all_broken_hold && hold * 4 >= static_cast<int>(rows.size()) * 3) {
      std::string names;
      for (int c : cols)
        names += (names.empty() ? "" : " + ") + t.columns[static_cast<std::size_t>(c)].header_path;
      return "the columns " + names + " add up to it on " + std::to_string(hold) + " of " +
             std::to_string(rows.size()) + " rows";
    }
  }
  return "";
}

}  // namespace

std::string describe_terms(const core::Document& document, const core::Check& check) {
  std::string out;
  for (const core::Term& term : check.terms) {
    const core::Table& t = document.tables[static_cast<std::size_t>(term.cell.table)];
    const core::Cell* cell = t.cell_at(term.cell.row, term.cell.col);
    const std::string printed = cell && !core::normalize_space(cell->text).empty()
                                    ? core::normalize_space(cell->text)
                                    : "(blank)";
    out +=
        (out.empty() ? (term.coefficient < 0 ? "−" : "") : (term.coefficient < 0 ? " − " : " + ")) +
        std::string("p") + std::to_string(cell ? cell->page : 0) + " r" +
        std::to_string(term.cell.row) + "c" + std::to_string(term.cell.col) + " " + printed;
  }
  return out;
}

void doubt_layout(core::Document& document) {
  std::vector<bool> doubted(document.checks.size(), false);
  std::vector<std::string> reason(document.checks.size());
  // Column-sum families: one identity over the same columns on every row.
  std::map<std::tuple<int, int, std::vector<int>>, std::vector<std::size_t>> families;
  for (std::size_t i = 0; i < document.checks.size(); ++i) {
    const core::Check& c = document.checks[i];
    if (c.kind != "column_sum") continue;
    const std::optional<Sum> s = as_sum(c);
    if (!s || !s->same_row) continue;
    std::vector<int> cols;
    for (const core::CellRef& p : s->parts) cols.push_back(p.col);
    std::sort(cols.begin(), cols.end());
    families[{s->table, s->total.col, cols}].push_back(i);
  }
  for (const auto& [key, members] : families) {
    const auto& [table_id, total_col, cols] = key;
    std::vector<int> rows;
    std::set<int> broken;
    for (std::size_t i : members) {
      const core::Check& c = document.checks[i];
      rows.push_back(c.terms.front().cell.row);
      if (c.status == core::CheckStatus::Broken && trusted(document, c))
        broken.insert(c.terms.front().cell.row);
    }
    if (broken.empty()) continue;
    const core::Table& t = document.tables[static_cast<std::size_t>(table_id)];
    const TableShape shape = shape_of(t);
    std::vector<int> amount_cols = shape.amount_cols;
    for (const Side& side : shape.sides)
      if (std::find(side.amount_cols.begin(), side.amount_cols.end(), total_col) !=
          side.amount_cols.end())
        amount_cols = side.amount_cols;
    const bool from_template = document.checks[members.front()].origin == "template";
    // Columns that are parts of one of these parts (财政拨款/项目支出 under 财政拨款/合计) are no
    // siblings.
    std::set<int> subordinate;
    for (const auto& [other, other_members] : families)
      if (std::get<0>(other) == table_id &&
          std::find(cols.begin(), cols.end(), std::get<1>(other)) != cols.end())
        subordinate.insert(std::get<2>(other).begin(), std::get<2>(other).end());
    const std::string why = column_family_alternative(t, rows, broken, total_col, cols, amount_cols,
                                                      from_template, subordinate);
    if (why.empty()) continue;
    for (std::size_t i : members)
      if (document.checks[i].status == core::CheckStatus::Broken &&
          broken.count(document.checks[i].terms.front().cell.row)) {
        doubted[i] = true;
        reason[i] = why;
      }
  }
  // Single identities.
  for (std::size_t i = 0; i < document.checks.size(); ++i) {
    core::Check& c = document.checks[i];
    if (doubted[i] || c.status != core::CheckStatus::Broken || !trusted(document, c)) continue;
    const std::optional<Sum> s = as_sum(c);
    if (!s) continue;
    const core::Table& t = document.tables[static_cast<std::size_t>(s->table)];
    std::string why;
    // (Columns are doubted only as a family above: one row's coincidence is no evidence.)
    if (s->same_column) why = row_alternative(t, *s);
    if (why.empty() && s->same_column) why = continuation_alternative(document, t, *s);
    // A sum discovered from the numbers is a guess about the layout, not a printed relation: where
    // it fails in trusted text, the guess is doubted before the source is.
    if (why.empty() && c.origin == "discovered")
      why =
          "this sum was found from the numbers (it holds on most rows), not from the headers; in "
          "trusted text the rows "
          "where it fails say the guess does not apply there";
    if (why.empty()) continue;
    doubted[i] = true;
    reason[i] = why;
  }
  std::vector<core::Check> kept;
  for (std::size_t i = 0; i < document.checks.size(); ++i) {
    core::Check& c = document.checks[i];
    if (!doubted[i]) {
      kept.push_back(std::move(c));
      continue;
    }
    const core::Table& t = document.tables[static_cast<std::size_t>(c.terms.front().cell.table)];
    document.warn(t.pages.empty() ? 0 : t.pages.front(), "layout_uncertain",
                  c.description + ": off by " + core::Amount{c.residual, c.decimals}.to_string() +
                      " (" + c.id + "), not reported as a source error: " + reason[i]);
  }
  document.checks = std::move(kept);
}

}  // namespace tally::reconcile::detail
