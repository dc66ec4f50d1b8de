#include "document_score.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "align.h"
#include "tally/core/amount.h"
#include "tally/core/text.h"

namespace tally::score::detail {
namespace {

using core::ColumnRole;

// Thresholds. A pair (of columns, rows or tables) is made only when its similarity, in [0, 1],
// exceeds these; they sit well below what a damaged-but-right pair scores (a row with one wrong
// number of seven still scores ~0.9) and above what two different rows of one table score.
constexpr double kColumnThreshold = 0.3;
constexpr double kRowThreshold = 0.4;
constexpr double kTableThreshold = 0.4;
constexpr double kContainment =
    0.6;  // share of a piece's cells inside a table to call it part of it

bool is_code_role(ColumnRole role) {
  return role == ColumnRole::Code || role == ColumnRole::ClassCode ||
         role == ColumnRole::SectionCode || role == ColumnRole::ItemCode;
}
bool is_label_role(ColumnRole role) {
  return role == ColumnRole::Label || role == ColumnRole::Text;
}

// A table as a grid of normalized texts at the top-left position of each cell.
struct Grid {
  const core::Table* table = nullptr;
  int rows = 0, cols = 0, first_body = 0;
  std::vector<int> top_left;  // rows × cols: index in table->cells, or -1
  std::vector<std::string> text;

  int index(int r, int c) const { return top_left[static_cast<std::size_t>(r * cols + c)]; }
  const std::string& at(int r, int c) const { return text[static_cast<std::size_t>(r * cols + c)]; }
  const core::Cell* cell(int r, int c) const {
    const int i = index(r, c);
    return i < 0 ? nullptr : &table->cells[static_cast<std::size_t>(i)];
  }
  bool blank_row(int r) const {
    for (int c = 0; c < cols; ++c)
      if (!at(r, c).empty()) return false;
    return true;
  }
};

Grid make_grid(const core::Table& table, int first_body) {
  Grid grid;
  grid.table = &table;
  grid.rows = table.n_rows;
  grid.cols = table.n_cols;
  grid.first_body = std::min(first_body, table.n_rows);
  const auto size = static_cast<std::size_t>(grid.rows * grid.cols);
  grid.top_left.assign(size, -1);
  grid.text.assign(size, {});
  for (std::size_t i = 0; i < table.cells.size(); ++i) {
    const core::Cell& cell = table.cells[i];
    if (cell.row >= grid.rows || cell.col >= grid.cols) continue;
    const auto k = static_cast<std::size_t>(cell.row * grid.cols + cell.col);
    if (grid.top_left[k] >= 0) continue;  // two cells at one place: the first counts
    grid.top_left[k] = static_cast<int>(i);
    grid.text[k] = normalize_text(cell.text);
  }
  return grid;
}

// Sorted non-empty body texts of the whole table, for pairing tables.
std::vector<std::string> body_texts(const Grid& grid) {
  std::vector<std::string> texts;
  for (int r = grid.first_body; r < grid.rows; ++r)
    for (int c = 0; c < grid.cols; ++c)
      if (!grid.at(r, c).empty()) texts.push_back(grid.at(r, c));
  std::sort(texts.begin(), texts.end());
  return texts;
}

// The code of every grid row over `cols` (one code column, or 类/款/项 parts). A part left blank
// under a printed lower part is taken from the rows above, as readers do with 3-column codes.
std::vector<std::string> row_codes(const Grid& grid, const std::vector<int>& cols) {
  std::vector<std::string> codes(static_cast<std::size_t>(grid.rows));
  std::vector<std::string> last(cols.size());
  for (int r = grid.first_body; r < grid.rows; ++r) {
    std::vector<std::string> parts;
    for (int c : cols) parts.push_back(grid.at(r, c));
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
      const bool lower_printed = std::any_of(parts.begin() + static_cast<long>(k) + 1, parts.end(),
                                             [](const std::string& p) { return !p.empty(); });
      if (parts[k].empty() && lower_printed) parts[k] = last[k];
    }
    if (!parts.empty() && !parts[0].empty()) last = parts;
    codes[static_cast<std::size_t>(r)] = core::join(parts, "");
  }
  return codes;
}

std::vector<std::string> sorted_nonempty(std::vector<std::string> texts) {
  texts.erase(std::remove(texts.begin(), texts.end(), std::string()), texts.end());
  std::sort(texts.begin(), texts.end());
  return texts;
}

// Mean of the shares of each side found in the other: a fragment of a column (a table split
// across pieces) still resembles the whole column, and a lone coincidence does not.
double content_similarity(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() && b.empty()) return 0.5;
  if (a.empty() || b.empty()) return 0.0;
  const auto common = static_cast<double>(common_count(a, b));
  return (common / static_cast<double>(a.size()) + common / static_cast<double>(b.size())) / 2;
}

double header_similarity(const std::string& a, const std::string& b) {
  if (a.empty() && b.empty()) return 0.5;
  return char_similarity(a, b);
}

// Header text of a column: the texts of the header cells covering it, top to bottom.
std::string column_header(const core::Table& table, int col) {
  std::vector<std::pair<int, std::string>> parts;
  for (const core::Cell& cell : table.cells)
    if (cell.row < table.header_rows && col >= cell.col && col < cell.col + cell.colspan)
      parts.emplace_back(cell.row, normalize_text(cell.text));
  std::sort(parts.begin(), parts.end());
  std::string text;
  for (const auto& part : parts) text += part.second;
  return text;
}

// ---------------------------------------------------------------------------------------------
// Columns

struct ColumnLink {
  std::vector<int> truth, pred;
};

struct ColumnMap {
  std::vector<ColumnLink> links;
  std::vector<int> one_to_one;            // truth column -> predicted column, -1 if none
  std::vector<std::vector<int>> pred_of;  // truth column -> every predicted column linked
  std::vector<int> truth_code_cols, pred_code_cols;
};

// Aligns the truth's columns with the prediction's by content and header, in order. One code
// column may stand for two or three (类/款/项) on the other side.
ColumnMap align_columns(const Grid& truth, const Grid& pred, const std::vector<ColumnRole>& roles) {
  const int n = truth.cols, m = pred.cols;
  auto column_texts = [](const Grid& g, const std::vector<int>& cols) {
    if (cols.size() == 1) {
      std::vector<std::string> texts;
      for (int r = g.first_body; r < g.rows; ++r) texts.push_back(g.at(r, cols[0]));
      return sorted_nonempty(std::move(texts));
    }
    return sorted_nonempty(row_codes(g, cols));
  };
  auto headers = [](const Grid& g, const std::vector<int>& cols) {
    std::string text;
    for (int c : cols) {
      const std::string h = column_header(*g.table, c);
      if (text.size() < h.size() || text.compare(text.size() - h.size(), h.size(), h) != 0)
        text += h;
    }
    return text;
  };
  auto gain = [&](std::vector<int> tcols, std::vector<int> pcols) {
    return 0.75 * content_similarity(column_texts(truth, tcols), column_texts(pred, pcols)) +
           0.25 * header_similarity(headers(truth, tcols), headers(pred, pcols)) - kColumnThreshold;
  };
  auto range = [](int first, int count) {
    std::vector<int> cols;
    for (int k = 0; k < count; ++k) cols.push_back(first + k);
    return cols;
  };
  auto all_code = [&](int first, int count) {
    for (int k = 0; k < count; ++k)
      if (!is_code_role(roles[static_cast<std::size_t>(first + k)])) return false;
    return true;
  };

  // best[i][j] over the first i truth and j predicted columns; moves take 1..3 of each side.
  struct Step {
    double total = 0;
    int dt = 0, dp = 0;  // columns taken by the move that ends here (0,0 at the origin)
    bool pair = false;
  };
  std::vector<std::vector<Step>> best(static_cast<std::size_t>(n + 1),
                                      std::vector<Step>(static_cast<std::size_t>(m + 1)));
  for (int i = 0; i <= n; ++i) {
    for (int j = 0; j <= m; ++j) {
      if (i == 0 && j == 0) continue;
      Step step{-1e18, 0, 0, false};
      auto consider = [&](int dt, int dp, double g, bool pair) {
        const double total =
            best[static_cast<std::size_t>(i - dt)][static_cast<std::size_t>(j - dp)].total + g;
        if (total > step.total) step = {total, dt, dp, pair};
      };
      if (i > 0) consider(1, 0, 0, false);
      if (j > 0) consider(0, 1, 0, false);
      if (i > 0 && j > 0) {
        const double g = gain({i - 1}, {j - 1});
        if (g > 0) consider(1, 1, g, true);
        for (int k = 2; k <= 3; ++k) {
          if (i >= k && all_code(i - k, k)) {
            const double merge = gain(range(i - k, k), {j - 1});
            if (merge > 0) consider(k, 1, merge, true);
          }
          if (j >= k && is_code_role(roles[static_cast<std::size_t>(i - 1)])) {
            const double split = gain({i - 1}, range(j - k, k));
            if (split > 0) consider(1, k, split, true);
          }
        }
      }
      best[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = step;
    }
  }

  ColumnMap map;
  map.one_to_one.assign(static_cast<std::size_t>(n), -1);
  map.pred_of.assign(static_cast<std::size_t>(n), {});
  for (int i = n, j = m; i > 0 || j > 0;) {
    const Step& step = best[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)];
    if (step.pair) map.links.push_back({range(i - step.dt, step.dt), range(j - step.dp, step.dp)});
    i -= step.dt;
    j -= step.dp;
  }
  std::reverse(map.links.begin(), map.links.end());
  std::set<int> pred_code;
  for (const ColumnLink& link : map.links) {
    if (link.truth.size() == 1 && link.pred.size() == 1)
      map.one_to_one[static_cast<std::size_t>(link.truth[0])] = link.pred[0];
    for (int t : link.truth) {
      map.pred_of[static_cast<std::size_t>(t)] = link.pred;
      if (is_code_role(roles[static_cast<std::size_t>(t)]))
        pred_code.insert(link.pred.begin(), link.pred.end());
    }
  }
  for (int t = 0; t < n; ++t)
    if (is_code_role(roles[static_cast<std::size_t>(t)])) map.truth_code_cols.push_back(t);
  map.pred_code_cols.assign(pred_code.begin(), pred_code.end());
  return map;
}

// ---------------------------------------------------------------------------------------------
// Values

struct PredValue {
  std::optional<core::Amount> amount;
  bool fallback = false;  // no `value`/`read` field: taken from the cell's text
};

PredValue predicted_amount(const PredictedTable& predicted, int cell_index, bool want_read) {
  if (cell_index < 0) return {};
  const auto i = static_cast<std::size_t>(cell_index);
  const core::Cell& cell = predicted.table.cells[i];
  const FieldState value_state = predicted.value_state[i];
  const FieldState read_state = predicted.read_state[i];
  if (want_read && read_state != FieldState::Absent) return {cell.read, false};
  if (value_state != FieldState::Absent) return {cell.value, false};
  return {core::amount_from_text(cell.text), !normalize_text(cell.text).empty()};
}

bool same_amount(const core::Amount& a, const core::Amount& b) {
  const int decimals = std::max(a.decimals, b.decimals);
  return a.units_at(decimals) == b.units_at(decimals);
}

// ---------------------------------------------------------------------------------------------
// One predicted table taken as (part of) a truth table.

struct Piece {
  int pred = -1;
  Grid grid;
  ColumnMap map;
  std::vector<std::string> codes;  // per grid row, over map.pred_code_cols
};

struct TruthSide {
  const core::Table* table = nullptr;
  Grid grid;
  std::vector<ColumnRole> roles;
  std::vector<std::string> codes;  // per grid row
};

Piece make_piece(const Prediction& prediction, int pred, const TruthSide& truth) {
  Piece piece;
  piece.pred = pred;
  const core::Table& table = prediction.tables[static_cast<std::size_t>(pred)].table;
  piece.grid = make_grid(table, table.header_rows);
  piece.map = align_columns(truth.grid, piece.grid, truth.roles);
  piece.codes = row_codes(piece.grid, piece.map.pred_code_cols);
  return piece;
}

double row_similarity(const TruthSide& truth, int truth_row, const Piece& piece, int pred_row) {
  double weight = 0, agreed = 0;
  const std::string& tcode = truth.codes[static_cast<std::size_t>(truth_row)];
  const std::string& pcode = piece.codes[static_cast<std::size_t>(pred_row)];
  if (!tcode.empty() || !pcode.empty()) {
    weight += 2;
    agreed += tcode == pcode ? 2 : 0;
  }
  for (int t = 0; t < truth.grid.cols; ++t) {
    const ColumnRole role = truth.roles[static_cast<std::size_t>(t)];
    if (is_code_role(role)) continue;
    const int p = piece.map.one_to_one[static_cast<std::size_t>(t)];
    if (p < 0) continue;
    const std::string& a = truth.grid.at(truth_row, t);
    const std::string& b = piece.grid.at(pred_row, p);
    if (a.empty() && b.empty()) continue;
    if (is_label_role(role)) {
      weight += 2;
      agreed += 2 * char_similarity(a, b);
    } else {
      weight += 1;
      if (role == ColumnRole::Amount) {
        const auto x = core::amount_from_text(a), y = core::amount_from_text(b);
        agreed += (x && y) ? (same_amount(*x, *y) ? 1 : 0) : (a == b ? 1 : 0);
      } else {
        agreed += a == b ? 1 : 0;
      }
    }
  }
  return weight > 0 ? agreed / weight : 0.5;
}

// Aligns the truth body rows not yet placed with the piece's free body rows.
void align_rows(const TruthSide& truth, const Piece& piece, int piece_index,
                std::vector<std::optional<std::pair<int, int>>>& placed, std::set<int>& claimed) {
  std::vector<int> truth_rows, pred_rows;
  for (int r = truth.grid.first_body; r < truth.grid.rows; ++r)
    if (!placed[static_cast<std::size_t>(r - truth.grid.first_body)]) truth_rows.push_back(r);
  for (int r = piece.grid.first_body; r < piece.grid.rows; ++r)
    if (!claimed.count(r)) pred_rows.push_back(r);
  const auto pairs = align_sequences(
      static_cast<int>(truth_rows.size()), static_cast<int>(pred_rows.size()), [&](int i, int j) {
        return row_similarity(truth, truth_rows[static_cast<std::size_t>(i)], piece,
                              pred_rows[static_cast<std::size_t>(j)]) -
               kRowThreshold;
      });
  for (const auto& [i, j] : pairs) {
    const int truth_row = truth_rows[static_cast<std::size_t>(i)];
    const int pred_row = pred_rows[static_cast<std::size_t>(j)];
    placed[static_cast<std::size_t>(truth_row - truth.grid.first_body)] =
        std::make_pair(piece_index, pred_row);
    claimed.insert(pred_row);
  }
}

// A label cell the dictionary replaced: whether the OCR reading or the replacement was right.
// The correction is the first unclaimed one on the cell's page whose replacement ends the cell's
// text (after a code prefix); the dictionary writes them in row order.
void count_correction(const Prediction& prediction, const Grid& grid, int row, int col,
                      const std::string& expected, Counts& counts) {
  const int index = grid.index(row, col);
  if (index < 0) return;
  const core::Cell& cell = grid.table->cells[static_cast<std::size_t>(index)];
  const std::string got = normalize_text(cell.text);
  for (const LabelCorrection& c : prediction.label_corrections) {
    const std::string to = normalize_text(c.to);
    if (c.used || (cell.page != 0 && c.page != cell.page) || to.empty() || !got.ends_with(to))
      continue;
    c.used = true;
    const std::string read = got.substr(0, got.size() - to.size()) + normalize_text(c.from);
    ++counts.label_corrections;
    counts.corrections_right_to_wrong += read == expected && got != expected;
    counts.corrections_wrong_to_right += read != expected && got == expected;
    return;
  }
}

// Counts a truth table's cells against the rows placed in its pieces.
void count_cells(const TruthSide& truth, const std::vector<Piece>& pieces,
                 const Prediction& prediction,
                 const std::vector<std::optional<std::pair<int, int>>>& placed, Counts& counts) {
  for (int r = truth.grid.first_body; r < truth.grid.rows; ++r) {
    const auto& where = placed[static_cast<std::size_t>(r - truth.grid.first_body)];
    const Piece* piece = where ? &pieces[static_cast<std::size_t>(where->first)] : nullptr;
    const int pred_row = where ? where->second : -1;
    ++counts.body_rows_expected;
    if (piece) ++counts.body_rows_found;

    const std::string& tcode = truth.codes[static_cast<std::size_t>(r)];
    const std::string pcode =
        piece ? piece->codes[static_cast<std::size_t>(pred_row)] : std::string();
    bool row_exact = piece != nullptr;
    if (!tcode.empty()) {
      ++counts.codes_expected;
      if (tcode == pcode) ++counts.codes_exact;
      row_exact = row_exact && tcode == pcode;
    } else if (!pcode.empty()) {
      ++counts.false_codes;
    }

    for (int t = 0; t < truth.grid.cols; ++t) {
      const ColumnRole role = truth.roles[static_cast<std::size_t>(t)];
      const int p = piece ? piece->map.one_to_one[static_cast<std::size_t>(t)] : -1;
      const int cell_index = p >= 0 ? piece->grid.index(pred_row, p) : -1;
      const std::string& expected = truth.grid.at(r, t);
      if (role == ColumnRole::Amount) {
        const PredictedTable* predicted =
            piece ? &prediction.tables[static_cast<std::size_t>(piece->pred)] : nullptr;
        const PredValue value =
            predicted ? predicted_amount(*predicted, cell_index, false) : PredValue{};
        const PredValue read =
            predicted ? predicted_amount(*predicted, cell_index, true) : PredValue{};
        if (value.fallback) ++counts.value_fallbacks;
        if (expected.empty()) {
          ++counts.empty_expected;
          if (value.amount && value.amount->units != 0) ++counts.false_values;
          continue;
        }
        ++counts.values_expected;
        const auto truth_amount = core::amount_from_text(expected);
        if (truth_amount) {
          if (value.amount && same_amount(*value.amount, *truth_amount)) ++counts.values_exact;
          if (read.amount && same_amount(*read.amount, *truth_amount)) ++counts.reads_exact;
        } else {
          // A printed non-number in an amount column ("-", "—"): the text must match.
          const bool same = cell_index >= 0 && piece->grid.at(pred_row, p) == expected;
          counts.values_exact += same;
          counts.reads_exact += same;
        }
      } else if (is_label_role(role) && !expected.empty()) {
        const std::size_t length = core::utf8_length(expected);
        const std::string got = p >= 0 ? piece->grid.at(pred_row, p) : std::string();
        const std::size_t distance = std::min(length, utf8_edit_distance(expected, got));
        counts.label_chars += static_cast<std::int64_t>(length);
        counts.label_errors += static_cast<std::int64_t>(distance);
        row_exact = row_exact && distance == 0;
        if (p >= 0) count_correction(prediction, piece->grid, pred_row, p, expected, counts);
      }
    }
    if (row_exact) ++counts.rows_exact;
  }
}

// Header cells of the truth against the piece's, by position in truth columns.
void count_header(const TruthSide& truth, const Piece& piece, Counts& counts) {
  // The truth columns a predicted column range stands for.
  auto truth_cols_of = [&](int first, int span) {
    std::vector<int> cols;
    for (int t = 0; t < truth.grid.cols; ++t)
      for (int p : piece.map.pred_of[static_cast<std::size_t>(t)])
        if (p >= first && p < first + span) {
          cols.push_back(t);
          break;
        }
    return cols;
  };
  const core::Table& pred = *piece.grid.table;
  for (const core::Cell& cell : truth.table->cells) {
    if (cell.row >= truth.table->header_rows) continue;
    const bool spanned = cell.rowspan > 1 || cell.colspan > 1;
    ++counts.header_cells_expected;
    counts.spanned_cells_expected += spanned;
    std::vector<int> wanted;
    for (int k = 0; k < cell.colspan; ++k) wanted.push_back(cell.col + k);
    for (const core::Cell& candidate : pred.cells) {
      if (candidate.row != cell.row || candidate.rowspan != cell.rowspan) continue;
      if (truth_cols_of(candidate.col, candidate.colspan) != wanted) continue;
      counts.spanned_cells_right += spanned;
      counts.header_cells_right += normalize_text(candidate.text) == normalize_text(cell.text);
      break;
    }
  }
}

// Predicted body rows no truth row claimed: extra rows, and the values in them.
void count_extra_rows(const TruthSide& truth, const Piece& piece, const Prediction& prediction,
                      const std::set<int>& claimed, Counts& counts) {
  const PredictedTable& predicted = prediction.tables[static_cast<std::size_t>(piece.pred)];
  for (int r = piece.grid.first_body; r < piece.grid.rows; ++r) {
    if (claimed.count(r) || piece.grid.blank_row(r)) continue;
    ++counts.extra_rows;
    for (int t = 0; t < truth.grid.cols; ++t) {
      const int p = piece.map.one_to_one[static_cast<std::size_t>(t)];
      if (p < 0 || truth.roles[static_cast<std::size_t>(t)] != ColumnRole::Amount) continue;
      const PredValue value = predicted_amount(predicted, piece.grid.index(r, p), false);
      if (value.amount && value.amount->units != 0) ++counts.extra_values;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pairing tables

struct TablePairing {
  std::vector<int> primary;                 // truth table -> predicted table, -1 if not found
  std::vector<std::vector<int>> fragments;  // truth table -> further predicted pieces
  std::vector<int> merged_into;             // truth table -> predicted table holding it, -1
  std::vector<bool> pred_used;
};

double title_similarity(const std::string& a, const std::string& b) {
  const std::string x = normalize_text(a), y = normalize_text(b);
  if (x.empty() && y.empty()) return 0;
  return char_similarity(x, y);
}

TablePairing pair_tables(const std::vector<TruthSide>& truths, const Prediction& prediction,
                         const std::vector<std::vector<std::string>>& truth_texts,
                         const std::vector<std::vector<std::string>>& pred_texts) {
  const int n = static_cast<int>(truths.size());
  const int m = static_cast<int>(prediction.tables.size());
  TablePairing pairing;
  pairing.primary.assign(static_cast<std::size_t>(n), -1);
  pairing.fragments.assign(static_cast<std::size_t>(n), {});
  pairing.merged_into.assign(static_cast<std::size_t>(n), -1);
  pairing.pred_used.assign(static_cast<std::size_t>(m), false);
  auto overlap = [&](int t, int p) -> double {
    const auto& a = truth_texts[static_cast<std::size_t>(t)];
    const auto& b = pred_texts[static_cast<std::size_t>(p)];
    if (a.empty() && b.empty()) return 1.0;
    if (a.empty() || b.empty()) return 0.0;
    return static_cast<double>(common_count(a, b)) /
           static_cast<double>(std::max(a.size(), b.size()));
  };
  // Share of `part`'s cells found in `whole`.
  auto contained = [](const std::vector<std::string>& part, const std::vector<std::string>& whole) {
    return part.empty()
               ? 0.0
               : static_cast<double>(common_count(part, whole)) / static_cast<double>(part.size());
  };

  // 1. Number, title and content together; the best pairs first.
  struct Candidate {
    double score;
    int truth, pred;
  };
  std::vector<Candidate> candidates;
  for (int t = 0; t < n; ++t) {
    const core::Table& truth = *truths[static_cast<std::size_t>(t)].table;
    for (int p = 0; p < m; ++p) {
      const core::Table& pred = prediction.tables[static_cast<std::size_t>(p)].table;
      const bool same_number = truth.number && pred.number && *truth.number == *pred.number;
      const double score = 0.35 * (same_number ? 1 : 0) +
                           0.35 * title_similarity(truth.title, pred.title) + 0.3 * overlap(t, p);
      if (score >= kTableThreshold) candidates.push_back({score, t, p});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  for (const Candidate& c : candidates) {
    if (pairing.primary[static_cast<std::size_t>(c.truth)] >= 0 ||
        pairing.pred_used[static_cast<std::size_t>(c.pred)])
      continue;
    pairing.primary[static_cast<std::size_t>(c.truth)] = c.pred;
    pairing.pred_used[static_cast<std::size_t>(c.pred)] = true;
  }

  // 2. Leftover predicted tables that lie inside a truth table: the table itself if it is still
  //    unpaired (a piece with no caption), else a fragment of it (a table split in two).
  for (int p = 0; p < m; ++p) {
    if (pairing.pred_used[static_cast<std::size_t>(p)]) continue;
    int best = -1;
    double best_share = kContainment;
    for (int t = 0; t < n; ++t) {
      const double share = contained(pred_texts[static_cast<std::size_t>(p)],
                                     truth_texts[static_cast<std::size_t>(t)]);
      if (share >= best_share) {
        best_share = share;
        best = t;
      }
    }
    if (best < 0) continue;
    pairing.pred_used[static_cast<std::size_t>(p)] = true;
    if (pairing.primary[static_cast<std::size_t>(best)] < 0)
      pairing.primary[static_cast<std::size_t>(best)] = p;
    else
      pairing.fragments[static_cast<std::size_t>(best)].push_back(p);
  }

  // 3. Truth tables still unpaired whose cells sit inside a predicted table: merged into it.
  for (int t = 0; t < n; ++t) {
    if (pairing.primary[static_cast<std::size_t>(t)] >= 0) continue;
    for (int p = 0; p < m; ++p) {
      if (contained(truth_texts[static_cast<std::size_t>(t)],
                    pred_texts[static_cast<std::size_t>(p)]) >= kContainment) {
        pairing.merged_into[static_cast<std::size_t>(t)] = p;
        break;
      }
    }
  }
  return pairing;
}

}  // namespace

DocumentScore score_document(const Prediction& prediction, const TruthDocument& truth) {
  DocumentScore score;
  score.id = truth.id;

  std::vector<TruthSide> truths(truth.tables.size());
  std::vector<std::vector<std::string>> truth_texts, pred_texts;
  for (std::size_t t = 0; t < truth.tables.size(); ++t) {
    TruthSide& side = truths[t];
    side.table = &truth.tables[t];
    side.grid = make_grid(*side.table, side.table->header_rows);
    for (const core::ColumnInfo& column : side.table->columns) side.roles.push_back(column.role);
    side.roles.resize(static_cast<std::size_t>(side.grid.cols), ColumnRole::Unknown);
    std::vector<int> code_cols;
    for (int c = 0; c < side.grid.cols; ++c)
      if (is_code_role(side.roles[static_cast<std::size_t>(c)])) code_cols.push_back(c);
    side.codes = row_codes(side.grid, code_cols);
    truth_texts.push_back(body_texts(side.grid));
  }
  std::vector<Grid> pred_grids;
  for (const PredictedTable& predicted : prediction.tables) {
    pred_grids.push_back(make_grid(predicted.table, predicted.table.header_rows));
    pred_texts.push_back(body_texts(pred_grids.back()));
  }

  const TablePairing pairing = pair_tables(truths, prediction, truth_texts, pred_texts);

  // Row alignment: main pieces first, then fragments, then tables merged into another, each
  // taking only the predicted rows no one has claimed.
  std::vector<std::set<int>> claimed(prediction.tables.size());
  std::vector<std::vector<Piece>> pieces(truths.size());
  std::vector<std::vector<std::optional<std::pair<int, int>>>> placed(truths.size());
  for (std::size_t t = 0; t < truths.size(); ++t)
    placed[t].assign(static_cast<std::size_t>(truths[t].grid.rows - truths[t].grid.first_body),
                     std::nullopt);
  auto take = [&](std::size_t t, int p) {
    pieces[t].push_back(make_piece(prediction, p, truths[t]));
    align_rows(truths[t], pieces[t].back(), static_cast<int>(pieces[t].size() - 1), placed[t],
               claimed[static_cast<std::size_t>(p)]);
  };
  for (std::size_t t = 0; t < truths.size(); ++t)
    if (pairing.primary[t] >= 0) take(t, pairing.primary[t]);
  for (std::size_t t = 0; t < truths.size(); ++t)
    for (int p : pairing.fragments[t]) take(t, p);
  for (std::size_t t = 0; t < truths.size(); ++t)
    if (pairing.merged_into[t] >= 0) take(t, pairing.merged_into[t]);

  for (std::size_t t = 0; t < truths.size(); ++t) {
    const TruthSide& side = truths[t];
    TableScore table_score;
    table_score.number = side.table->number;
    table_score.title = side.table->title;
    Counts& counts = table_score.counts;
    ++counts.tables_expected;
    const int primary = pairing.primary[t];
    if (primary >= 0) {
      const core::Table& pred = prediction.tables[static_cast<std::size_t>(primary)].table;
      table_score.found = true;
      table_score.predicted_index = primary;
      ++counts.tables_found;
      counts.tables_number_right += pred.number == side.table->number;
      counts.tables_title_right += normalize_text(pred.title) == normalize_text(side.table->title);
      counts.tables_split += !pairing.fragments[t].empty();
      counts.tables_rows_right += pred.n_rows == side.table->n_rows;
      counts.tables_cols_right += pred.n_cols == side.table->n_cols;
      counts.tables_header_rows_right += pred.header_rows == side.table->header_rows;
      count_header(side, pieces[t].front(), counts);
    } else {
      counts.tables_merged += pairing.merged_into[t] >= 0;
      for (const core::Cell& cell : side.table->cells) {
        if (cell.row >= side.table->header_rows) continue;
        ++counts.header_cells_expected;
        counts.spanned_cells_expected += cell.rowspan > 1 || cell.colspan > 1;
      }
    }
    count_cells(side, pieces[t], prediction, placed[t], counts);
    score.tables.push_back(std::move(table_score));
  }

  // Extra rows are counted once per predicted table, against the truth table that took it first.
  std::vector<bool> extra_counted(prediction.tables.size(), false);
  for (std::size_t t = 0; t < truths.size(); ++t) {
    for (const Piece& piece : pieces[t]) {
      const auto p = static_cast<std::size_t>(piece.pred);
      if (extra_counted[p]) continue;
      extra_counted[p] = true;
      count_extra_rows(truths[t], piece, prediction, claimed[p], score.tables[t].counts);
    }
  }

  for (const TableScore& table : score.tables) score.counts += table.counts;
  for (std::size_t p = 0; p < prediction.tables.size(); ++p)
    score.counts.tables_extra += !pairing.pred_used[p];
  return score;
}

}  // namespace tally::score::detail
