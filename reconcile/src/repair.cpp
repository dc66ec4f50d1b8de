// repair_misreads: the least-cost set of changes to untrusted cells that makes every identity hold
// within rounding, found by an exact branch and bound over plausible misreads (see README in
// reconcile/ for the model). Cells read from a trusted text layer are never changed; a broken
// identity over them is a source error, reported as a diagnostic with its amounts.
#include <glpk.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "internal.h"
#include "tally/reconcile/reconcile.h"
#include "tally/reconcile/search.h"

namespace tally::reconcile {

namespace {

constexpr int kMicro = 6;  // every value in 10^-6 units inside the search

std::int64_t pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

std::int64_t micro(const core::Amount& a) {
  return a.units * pow10(kMicro - std::min(a.decimals, kMicro));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Candidates: the values a misread of `read` could have come from.

namespace {

// Digit pairs OCR confuses (Tesseract reports and our own scans): cheap substitutions.
bool confusable(char a, char b) {
  static const char* pairs[] = {"38", "17", "56", "08", "68", "59", "14", "06", "27",
                                "09", "58", "35", "02", "89", "39", "69", "12", "47"};
  for (const char* p : pairs)
    if ((p[0] == a && p[1] == b) || (p[0] == b && p[1] == a)) return true;
  return false;
}

}  // namespace

std::vector<Candidate> misread_candidates(const core::Amount& read,
                                          const std::vector<core::Alternative>& alternatives,
                                          double confidence, int table_decimals) {
  std::map<std::int64_t, Candidate> out;  // by micro value
  const double conf_cost = -std::log(std::max(1.0 - std::clamp(confidence, 0.0, 1.0), 0.01));
  const auto add = [&](const core::Amount& a, double op_cost, const std::string& why) {
    if (a.units < 0 || a == read) return;
    const std::int64_t m = micro(a);
    if (m == micro(read)) return;
    const double cost = op_cost + conf_cost;
    auto it = out.find(m);
    if (it == out.end() || it->second.cost > cost) out[m] = {a, cost, why};
  };
  const bool negative = read.units < 0;
  if (negative) return {};
  std::string digits = std::to_string(read.units);
  while (static_cast<int>(digits.size()) < read.decimals + 1) digits.insert(digits.begin(), '0');
  const int intlen = static_cast<int>(digits.size()) - read.decimals;
  const auto valid = [&](const std::string& d, int decimals) {
    const int il = static_cast<int>(d.size()) - decimals;
    return il >= 1 && !(il > 1 && d[0] == '0');
  };
  const auto amount = [&](const std::string& d, int decimals) {
    return core::Amount{std::stoll(d), decimals};
  };
  const int n = static_cast<int>(digits.size());
  // one digit read as another
  for (int i = 0; i < n; ++i)
    for (char c = '0'; c <= '9'; ++c) {
      if (c == digits[i]) continue;
      std::string d = digits;
      d[i] = c;
      if (!valid(d, read.decimals)) continue;
      add(amount(d, read.decimals), confusable(digits[i], c) ? 1.0 : 3.0,
          std::string("digit ") + digits[i] + "→" + c);
    }
  // two adjacent digits swapped
  for (int i = 0; i + 1 < n; ++i) {
    if (digits[i] == digits[i + 1]) continue;
    std::string d = digits;
    std::swap(d[i], d[i + 1]);
    if (valid(d, read.decimals)) add(amount(d, read.decimals), 2.5, "swapped digits");
  }
  // an extra digit read (doubled or a speck): drop it
  for (int i = 0; i < n && n > read.decimals + 1; ++i) {
    std::string d = digits;
    d.erase(static_cast<std::size_t>(i), 1);
    const bool doubled =
        (i > 0 && digits[i - 1] == digits[i]) || (i + 1 < n && digits[i + 1] == digits[i]);
    if (valid(d, read.decimals))
      add(amount(d, read.decimals), doubled ? 2.0 : 3.0, doubled ? "doubled digit" : "extra digit");
  }
  // a digit lost: put one back
  if (intlen < 12)
    for (int i = 0; i <= n; ++i)
      for (char c = '0'; c <= '9'; ++c) {
        std::string d = digits;
        d.insert(d.begin() + i, c);
        if (!valid(d, read.decimals)) continue;
        const bool doubled = (i > 0 && digits[i - 1] == c) || (i < n && digits[i] == c);
        add(amount(d, read.decimals), doubled ? 2.0 : 3.0,
            doubled ? "doubled digit lost" : "digit lost");
      }
  // decimal point lost, extra or moved: the same digits at the table's decimals, or shifted by one
  if (read.decimals != table_decimals)
    add(core::Amount{read.units, table_decimals}, 1.5, "decimal point");
  for (int shift : {-2, -1, 1, 2}) {
    const int dec = read.decimals + shift;
    if (dec >= 0 && dec <= 4) {
      core::Amount a{read.units, dec};
      // express at the read's decimals when exact
      if (dec > read.decimals && a.units % pow10(dec - read.decimals) == 0)
        a = {a.units / pow10(dec - read.decimals), read.decimals};
      if (dec < read.decimals) a = {read.units * pow10(read.decimals - dec), read.decimals};
      add(a, 3.0, "decimal point moved");
    }
  }
  // OCR's own alternatives: cheap, by their confidence relative to the reading
  for (const core::Alternative& alt : alternatives) {
    const std::optional<core::Amount> a = core::amount_from_text(alt.text);
    if (!a) continue;
    const double rel = std::clamp(alt.confidence / std::max(confidence, 1e-3), 1e-3, 1.0);
    add(*a, 0.3 - std::log(rel) - conf_cost, "OCR alternative");
  }
  std::vector<Candidate> result;
  for (auto& [m, c] : out) result.push_back(c);
  std::sort(result.begin(), result.end(),
            [](const Candidate& a, const Candidate& b) { return a.cost < b.cost; });
  return result;
}

// ---------------------------------------------------------------------------------------------
// The search.

namespace {

struct Var {
  core::CellRef ref;
  core::Cell* cell = nullptr;
  std::int64_t read = 0;  // micro
  bool free = false;      // untrusted: may change
  std::vector<Candidate> cands;
  std::vector<std::int64_t> cand_micro;
  std::vector<int> checks;
  int table_decimals = 2;
  bool has_cands = false;
};

struct Row {
  std::vector<std::pair<int, int>> terms;  // var, coefficient
  std::int64_t tol = 0;                    // micro
  std::int64_t unit = 10000;               // micro per unit of the row's last printed digit
  // Two printings of one value (two non-zero terms at one precision: a parent with one child, a
  // copy in another table) round alike, so the search wants them equal (tol 0), but a gap of one
  // unit is cheap to leave (an empty cell may hide a value under half a unit; seed 004 has one).
  bool copy = false;
  double slack_cost = 12;  // cost of declaring it a source error
};

struct Solution {
  double cost = 0;
  std::map<int, int> changes;  // var → candidate
  std::set<int> slack;         // rows left broken
};

class Search {
 public:
  Search(std::vector<Var>& vars, std::vector<Row>& rows, const SearchLimits& limits)
      : vars_(vars), rows_(rows), limits_(limits) {
    res_.assign(rows_.size(), 0);
    for (std::size_t r = 0; r < rows_.size(); ++r)
      for (auto [v, c] : rows_[r].terms) res_[r] += c * vars_[v].read;
    cur_.assign(vars_.size(), -1);
    fixed_.assign(vars_.size(), false);
    slack_.assign(rows_.size(), false);
  }

  // Iterative deepening on cost: cheap explanations are found before deep chains of expensive
  // ones are explored; once a best is found, the runner-up is looked for up to best + ambiguity.
  SearchStats run() {
    start_ = std::chrono::steady_clock::now();
    const double final_cap = limits_.max_cost;
    for (double cap = 6; !stats_.exhausted; cap *= 2) {
      cap_ = std::min(cap, final_cap);
      best_.clear();
      descend(0.0, 0);
      if (!best_.empty()) {
        const double need = best_[0].cost + limits_.ambiguity + limits_.inexact;
        if (need > cap_ && !stats_.exhausted) {
          cap_ = need;
          best_.clear();
          descend(0.0, 0);
        }
        break;
      }
      if (cap_ >= final_cap) break;
    }
    stats_.solutions = static_cast<int>(best_.size());
    return stats_;
  }
  const std::vector<Solution>& best() const { return best_; }

 private:
  bool violated(int r) const { return !slack_[r] && std::llabs(res_[r]) > rows_[r].tol; }

  void apply(int v, int k) {
    const std::int64_t from = cur_[v] < 0 ? vars_[v].read : vars_[v].cand_micro[cur_[v]];
    const std::int64_t to = k < 0 ? vars_[v].read : vars_[v].cand_micro[k];
    for (int r : vars_[v].checks)
      for (auto [w, c] : rows_[r].terms)
        if (w == v) res_[r] += c * (to - from);
    cur_[v] = k;
  }

  struct Move {
    int var = -1, cand = -1;  // var −1: accept the row as broken (source error)
    double cost = 0;
  };

  // Moves that settle row r: a change to one of its free cells that makes r, or another violated
  // row of that cell, hold; or r left broken.
  std::vector<Move> moves_for(int r) const {
    std::vector<Move> out;
    for (auto [v, coef] : rows_[r].terms) {
      const Var& var = vars_[v];
      if (!var.free || fixed_[v] || cur_[v] >= 0) continue;
      for (std::size_t k = 0; k < var.cands.size(); ++k) {
        const std::int64_t delta = var.cand_micro[k] - var.read;
        bool useful = std::llabs(res_[r] + coef * delta) <= rows_[r].tol;
        if (!useful)
          for (int q : var.checks) {
            if (q == r || !violated(q)) continue;
            std::int64_t c2 = 0;
            for (auto [w, c] : rows_[q].terms)
              if (w == v) c2 += c;
            if (std::llabs(res_[q] + c2 * delta) <= rows_[q].tol) {
              useful = true;
              break;
            }
          }
        if (useful) out.push_back({v, static_cast<int>(k), var.cands[k].cost});
      }
    }
    std::map<int, double> cheapest;
    for (const Move& m : out) {
      auto it = cheapest.find(m.var);
      if (it == cheapest.end() || it->second > m.cost) cheapest[m.var] = m.cost;
    }
    std::sort(out.begin(), out.end(), [&](const Move& a, const Move& b) {
      const double ca = cheapest.at(a.var), cb = cheapest.at(b.var);
      if (ca != cb) return ca < cb;
      if (a.var != b.var) return a.var < b.var;
      return a.cost < b.cost;
    });
    const bool gap = rows_[r].copy && std::llabs(res_[r]) <= rows_[r].unit;
    out.push_back({-1, r, gap ? limits_.copy_gap : rows_[r].slack_cost});
    return out;
  }

  // Only a runner-up within `ambiguity` of the best matters (it decides what is flagged), so the
  // search prunes at best + ambiguity once it has a best.
  double bound() const {
    if (best_.empty()) return cap_;
    const double near = best_[0].cost + limits_.ambiguity + limits_.inexact;
    return std::min(cap_, best_.size() < 2 ? near : std::min(near, best_[1].cost));
  }

  void record(double cost) {
    Solution s;
    for (std::size_t v = 0; v < vars_.size(); ++v)
      if (cur_[v] >= 0) s.changes[static_cast<int>(v)] = cur_[v];
    for (std::size_t r = 0; r < rows_.size(); ++r)
      if (slack_[r]) s.slack.insert(static_cast<int>(r));
    // exact sums preferred over sums within rounding, never enough to pay for a change
    std::set<int> touched;
    for (const auto& [v, k] : s.changes)
      for (int r : vars_[v].checks) touched.insert(r);
    for (int r : touched)
      if (!slack_[r] && res_[r] != 0) cost += limits_.inexact;
    s.cost = cost;
    for (const Solution& b : best_)
      if (b.changes == s.changes && b.slack == s.slack) return;
    best_.push_back(std::move(s));
    std::sort(best_.begin(), best_.end(),
              [](const Solution& a, const Solution& b) { return a.cost < b.cost; });
    if (best_.size() > 2) best_.pop_back();
  }

  void descend(double cost, int depth) {
    if (stats_.exhausted) return;
    if (++stats_.nodes > limits_.max_nodes ||
        (stats_.nodes % 1024 == 0 &&
         std::chrono::steady_clock::now() - start_ > std::chrono::milliseconds(limits_.max_ms))) {
      stats_.exhausted = true;
      return;
    }
    // the violated row with the fewest ways to settle it
    int pick = -1;
    std::vector<Move> pick_moves;
    for (std::size_t r = 0; r < rows_.size(); ++r) {
      if (!violated(static_cast<int>(r))) continue;
      std::vector<Move> m = moves_for(static_cast<int>(r));
      if (pick < 0 || m.size() < pick_moves.size()) {
        pick = static_cast<int>(r);
        pick_moves = std::move(m);
      }
    }
    if (pick < 0) {
      record(cost);
      return;
    }
    if (depth >= limits_.max_changes) return;
    // Branch j: the cells of branches before j stay as read, cell j changes (cheapest first);
    // the last branch leaves every cell of the row as read and the row broken.
    std::vector<int> fixed_here;
    for (std::size_t i = 0; i < pick_moves.size();) {
      const int v = pick_moves[i].var;
      if (v < 0) break;
      for (; i < pick_moves.size() && pick_moves[i].var == v; ++i) {
        const Move& m = pick_moves[i];
        if (cost + m.cost >= bound()) continue;
        apply(v, m.cand);
        descend(cost + m.cost, depth + 1);
        apply(v, -1);
      }
      fixed_[v] = true;
      fixed_here.push_back(v);
    }
    const Move& s = pick_moves.back();
    if (cost + s.cost < bound()) {
      slack_[s.cand] = true;
      descend(cost + s.cost, depth + 1);
      slack_[s.cand] = false;
    }
    for (int v : fixed_here) fixed_[v] = false;
  }

  std::vector<Var>& vars_;
  std::vector<Row>& rows_;
  SearchLimits limits_;
  std::vector<std::int64_t> res_;
  std::vector<int> cur_;
  std::vector<bool> fixed_, slack_;
  std::vector<Solution> best_;
  SearchStats stats_;
  double cap_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

// ---------------------------------------------------------------------------------------------
// The step.

namespace {

thread_local std::vector<SearchStats> g_stats;
thread_local SearchLimits g_limits;

// The same problem as a 0/1 program for GLPK: z_ic (cell i takes candidate c), s_r (row r left
// broken), e_r (row r holds only within rounding). Residuals in units of each row's last digit.
void glpk_crosscheck(const std::vector<Var>& vars, const std::vector<Row>& rows,
                     const std::vector<Solution>& best, const SearchLimits& limits,
                     SearchStats& stats) {
  const auto t0 = std::chrono::steady_clock::now();
  glp_prob* lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MIN);
  std::vector<std::pair<int, int>> z;  // (var, cand) per column
  for (std::size_t i = 0; i < vars.size(); ++i)
    if (vars[i].free)
      for (std::size_t c = 0; c < vars[i].cands.size(); ++c)
        z.emplace_back(static_cast<int>(i), static_cast<int>(c));
  const int nz = static_cast<int>(z.size()), nr = static_cast<int>(rows.size());
  const int ncols = nz + 2 * nr;
  if (ncols == 0) {
    glp_delete_prob(lp);
    return;
  }
  glp_add_cols(lp, ncols);
  for (int j = 0; j < ncols; ++j) {
    glp_set_col_kind(lp, j + 1, GLP_BV);
    double cost = j < nz        ? vars[z[j].first].cands[z[j].second].cost
                  : j < nz + nr ? rows[j - nz].slack_cost
                                : limits.inexact;
    if (j >= nz && j < nz + nr &&
        rows[j - nz].copy) {  // a copy row one unit apart is cheap to leave
      std::int64_t res0 = 0;
      for (auto [v, a] : rows[j - nz].terms) res0 += a * vars[v].read;
      if (std::llabs(res0) <= rows[j - nz].unit) cost = limits.copy_gap;
    }
    glp_set_obj_coef(lp, j + 1, cost);
  }
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  int row_index = 0;
  const auto add_row = [&](int type, double lo, double hi) {
    glp_add_rows(lp, 1);
    ++row_index;
    glp_set_row_bnds(lp, row_index, type, lo, hi);
    return row_index;
  };
  // one value per cell
  std::map<int, std::vector<int>> columns_of;
  for (int j = 0; j < nz; ++j) columns_of[z[j].first].push_back(j);
  for (const auto& [v, cols] : columns_of) {
    const int r = add_row(GLP_UP, 0, 1);
    for (int j : cols) ia.push_back(r), ja.push_back(j + 1), ar.push_back(1);
  }
  for (int r = 0; r < nr; ++r) {
    const Row& row = rows[r];
    const double unit = static_cast<double>(row.unit);
    double res0 = 0, big = 0;
    std::map<int, double> coef;  // column → coefficient of the residual
    for (auto [v, a] : row.terms) {
      res0 += a * static_cast<double>(vars[v].read) / unit;
      if (!vars[v].free) continue;
      double widest = 0;
      for (int j : columns_of[v]) {
        const double d =
            a * static_cast<double>(vars[v].cand_micro[z[j].second] - vars[v].read) / unit;
        coef[j] += d;
        widest = std::max(widest, std::abs(d));
      }
      big += widest;
    }
    const double tol = static_cast<double>(row.tol) / unit;
    const double m = big + std::abs(res0) + tol + 1;
    // res0 + Σ coef z − M s ≤ tol  and  res0 + Σ coef z + M s ≥ −tol
    for (int sign : {1, -1}) {
      const int k = sign > 0 ? add_row(GLP_UP, 0, tol - res0) : add_row(GLP_LO, -tol - res0, 0);
      for (const auto& [j, c] : coef) ia.push_back(k), ja.push_back(j + 1), ar.push_back(c);
      ia.push_back(k), ja.push_back(nz + r + 1), ar.push_back(sign > 0 ? -m : m);
      // exact unless e_r: |residual| ≤ 0.5 + M e_r (residuals are whole units). A row that held
      // only within rounding before is not charged (the search never repairs rounding either).
      if (std::abs(res0) > 0.5 && std::abs(res0) <= tol + 0.5) continue;
      const int q = sign > 0 ? add_row(GLP_UP, 0, 0.5 - res0) : add_row(GLP_LO, -0.5 - res0, 0);
      for (const auto& [j, c] : coef) ia.push_back(q), ja.push_back(j + 1), ar.push_back(c);
      ia.push_back(q), ja.push_back(nz + nr + r + 1), ar.push_back(sign > 0 ? -m : m);
      ia.push_back(q), ja.push_back(nz + r + 1),
          ar.push_back(sign > 0 ? -m : m);  // a broken row is not also inexact
    }
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.tm_lim = limits.glpk_ms;
  parm.tol_int = 1e-10;  // big-M rows: a binary at 1e-6 times M of 1e7 cents would fake a slack
  const int ret = glp_intopt(lp, &parm);
  const int status = glp_mip_status(lp);
  stats.glpk_ran = true;
  stats.glpk_binaries = ncols;
  stats.glpk_optimal = ret == 0 && status == GLP_OPT;
  stats.glpk_cost = glp_mip_obj_val(lp);
  std::map<int, int> changes;
  for (int j = 0; j < nz; ++j)
    if (glp_mip_col_val(lp, j + 1) > 0.5) changes[z[j].first] = z[j].second;
  std::string glpk_desc;
  if (std::getenv("TALLY_RECONCILE_DEBUG")) {
    for (const auto& [v, k] : changes)
      glpk_desc += " r" + std::to_string(vars[v].ref.row) + "c" + std::to_string(vars[v].ref.col) +
                   "→" + vars[v].cands[k].value.to_string() + "(" +
                   std::to_string(vars[v].cands[k].cost).substr(0, 4) + ")";
    for (int r = 0; r < nr; ++r) {
      if (glp_mip_col_val(lp, nz + r + 1) > 0.5) glpk_desc += " slack#" + std::to_string(r);
      if (glp_mip_col_val(lp, nz + nr + r + 1) > 0.5) glpk_desc += " inexact#" + std::to_string(r);
    }
  }
  glp_delete_prob(lp);
  stats.glpk_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  // the best of the search in the program's terms
  if (!best.empty()) {
    double cost = 0;
    for (const auto& [v, k] : best[0].changes) cost += vars[v].cands[k].cost;
    for (int r = 0; r < nr; ++r) {
      if (best[0].slack.count(r)) {
        std::int64_t res0 = 0;
        for (auto [v, a] : rows[r].terms) res0 += a * vars[v].read;
        cost +=
            rows[r].copy && std::llabs(res0) <= rows[r].unit ? limits.copy_gap : rows[r].slack_cost;
        continue;
      }
      std::int64_t res = 0, res0 = 0;
      for (auto [v, a] : rows[r].terms) {
        const auto it = best[0].changes.find(v);
        res += a * (it == best[0].changes.end() ? vars[v].read : vars[v].cand_micro[it->second]);
        res0 += a * vars[v].read;
      }
      const bool rounding_before = res0 != 0 && std::llabs(res0) <= rows[r].tol;
      if (res != 0 && !rounding_before) cost += limits.inexact;
    }
    stats.bnb_cost = cost;
    stats.glpk_same = changes == best[0].changes;
    if (std::getenv("TALLY_RECONCILE_DEBUG") && stats.glpk_optimal &&
        cost > stats.glpk_cost + 1e-6) {
      std::fprintf(stderr, "GLPK %.2f:%s\nsearch %.2f:", stats.glpk_cost, glpk_desc.c_str(), cost);
      for (const auto& [v, k] : best[0].changes)
        std::fprintf(stderr, " r%dc%d→%s(%.2f)", vars[v].ref.row, vars[v].ref.col,
                     vars[v].cands[k].value.to_string().c_str(), vars[v].cands[k].cost);
      for (int r : best[0].slack) std::fprintf(stderr, " slack#%d(%.1f)", r, rows[r].slack_cost);
      std::fprintf(stderr, "\n");
    }
  }
}

struct Problem {
  std::vector<int> numbers;  // per table: cells that print a non-zero number
  std::vector<Var> vars;
  std::vector<Row> rows;  // one per check, same index
  std::map<std::tuple<int, int, int>, int> var_of;
};

std::string amount_text(const core::Amount& a) {
  return a.to_string();
}

// Runs the search over `rows_in` (indices into p.rows) and applies its result; returns the vars
// changed.
std::vector<int> solve(Problem& p, const std::vector<int>& rows_in, const std::vector<bool>& frozen,
                       const SearchLimits& limits, std::vector<int>& flagged) {
  // sub-problem: the rows given, their vars
  std::vector<Var> vars;
  std::vector<Row> rows;
  std::map<int, int> local;
  for (int r : rows_in) {
    Row row = p.rows[r];
    for (auto& [v, c] : row.terms) {
      auto it = local.find(v);
      if (it == local.end()) {
        Var& g = p.vars[v];
        if (g.free && !g.has_cands) {
          g.cands = misread_candidates(*g.cell->read, g.cell->alternatives, g.cell->confidence,
                                       g.table_decimals);
          for (const Candidate& cand : g.cands) g.cand_micro.push_back(micro(cand.value));
          g.has_cands = true;
        }
        it = local.emplace(v, static_cast<int>(vars.size())).first;
        Var var = p.vars[v];
        var.checks.clear();
        var.free = var.free && !frozen[v];
        if (!var.free) var.cands.clear(), var.cand_micro.clear();
        vars.push_back(std::move(var));
      }
      v = it->second;
    }
    for (auto [v, c] : row.terms) vars[v].checks.push_back(static_cast<int>(rows.size()));
    rows.push_back(std::move(row));
  }
  for (Var& v : vars) {
    std::sort(v.checks.begin(), v.checks.end());
    v.checks.erase(std::unique(v.checks.begin(), v.checks.end()), v.checks.end());
  }
  const auto t0 = std::chrono::steady_clock::now();
  Search search(vars, rows, limits);
  SearchStats stats = search.run();
  stats.ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  const std::vector<Solution>& best = search.best();
  if (std::getenv("TALLY_RECONCILE_DEBUG")) {
    std::fprintf(stderr, "solve: %zu rows, %zu vars, %ld nodes, exhausted %d, %zu solutions\n",
                 rows.size(), vars.size(), stats.nodes, stats.exhausted, best.size());
    for (const Solution& b : best) {
      std::fprintf(stderr, "  cost %.2f:", b.cost);
      for (const auto& [v, k] : b.changes)
        std::fprintf(stderr, " t%dr%dc%d→%s", vars[v].ref.table, vars[v].ref.row, vars[v].ref.col,
                     vars[v].cands[k].value.to_string().c_str());
      for (int r : b.slack) std::fprintf(stderr, " slack#%d", r);
      std::fprintf(stderr, "\n");
    }
  }
  std::vector<int> changed;
  if (!best.empty()) {
    stats.best_cost = best[0].cost;
    stats.runner_up_cost = best.size() > 1 ? best[1].cost : -1;
    const bool clear = best.size() < 2 || best[1].cost - best[0].cost >= limits.ambiguity;
    // Repairs are credible only when errors are sparse: a table whose best explanation changes more
    // than half of its numbers (and more than 3) is flagged, not repaired.
    std::map<int, int> per_table;
    for (const auto& [lv, k] : best[0].changes) ++per_table[vars[lv].ref.table];
    bool dense = false;
    for (const auto& [t, n] : per_table)
      dense = dense || (n > limits.max_table_changes && n * 2 > p.numbers[t]);
    for (const auto& [lv, k] : best[0].changes) {
      int global = -1;
      for (const auto& [g, l] : local)
        if (l == lv) global = g;
      bool agreed = clear;
      if (!agreed) {
        const auto it = best[1].changes.find(lv);
        agreed = it != best[1].changes.end() && it->second == k;
      }
      if (agreed && !stats.exhausted && !dense) {
        Var& var = p.vars[global];
        var.cell->value = vars[lv].cands[k].value;
        var.cell->status = core::CellStatus::Repaired;
        var.cell->status_note = "read " + amount_text(*var.cell->read) + ", repaired to " +
                                amount_text(*var.cell->value) + " (" + vars[lv].cands[k].why +
                                ", cost " + std::to_string(vars[lv].cands[k].cost).substr(0, 4) +
                                " nats)";
        changed.push_back(global);
      } else {
        flagged.push_back(global);
        std::string note = "a repair to " + amount_text(vars[lv].cands[k].value) + " (" +
                           vars[lv].cands[k].why + ") fits";
        if (best.size() > 1 && !clear) {
          note += ", but so does another set of changes " +
                  std::to_string(best[1].cost - best[0].cost).substr(0, 4) + " nats dearer:";
          for (const auto& [v2, k2] : best[1].changes)
            note += " r" + std::to_string(vars[v2].ref.row) + "c" +
                    std::to_string(vars[v2].ref.col) + "→" + amount_text(vars[v2].cands[k2].value) +
                    " (" + vars[v2].cands[k2].why + ")";
          if (!best[1].slack.empty())
            note += " leaving " + std::to_string(best[1].slack.size()) + " identities broken";
        }
        if (stats.exhausted) note += "; search stopped at its limit";
        if (dense)
          note += "; too many changes for one table (" +
                  std::to_string(per_table[vars[lv].ref.table]) + " of " +
                  std::to_string(p.numbers[vars[lv].ref.table]) + " numbers): not repaired";
        p.vars[global].cell->status_note = note;
      }
    }
    if (!clear)
      for (const auto& [lv, k] : best[1].changes)
        if (!best[0].changes.count(lv))
          for (const auto& [g, l] : local)
            if (l == lv) flagged.push_back(g);
  }
  if (limits.glpk_crosscheck) glpk_crosscheck(vars, rows, best, limits, stats);
  g_stats.push_back(stats);
  return changed;
}

// Where the search could not settle a table (too many identities broken at once: its change
// budget or time ran out, or the changes were too dense to trust), a cell is still repaired when
// two or more of its broken identities ask for one and the same value of it, that value is a
// credible misread of the reading, and no identity of the cell that holds would break. A row sum
// and a column sum crossing at one cell then agree on the fix; a source error, which breaks one
// identity while the others hold, never qualifies. Returns the vars repaired.
std::vector<int> repair_by_agreement(Problem& p, const std::vector<bool>& frozen,
                                     const std::vector<bool>& fixed_row) {
  const auto residual = [&](int r, int changed_var, std::int64_t changed_value) {
    std::int64_t res = 0;
    for (auto [v, c] : p.rows[r].terms) {
      if (v == changed_var) {
        res += c * changed_value;
        continue;
      }
      const core::Cell& cell = *p.vars[v].cell;
      const std::optional<core::Amount>& a = cell.value ? cell.value : cell.read;
      res += c * (a ? micro(*a) : 0);
    }
    return res;
  };
  const auto current = [&](int v) {
    const core::Cell& cell = *p.vars[v].cell;
    const std::optional<core::Amount>& a = cell.value ? cell.value : cell.read;
    return a ? micro(*a) : 0;
  };
  std::vector<int> repaired;
  // Each repair can make another cell's identities agree: repeat until nothing changes.
  for (bool progress = true; progress;) {
    progress = false;
    for (std::size_t vi = 0; vi < p.vars.size(); ++vi) {
      const int v = static_cast<int>(vi);
      Var& var = p.vars[vi];
      if (!var.free || frozen[vi] || var.cell->status == core::CellStatus::Repaired) continue;
      // The value each broken identity asks of this cell.
      std::map<std::int64_t, std::vector<int>> asked;
      for (int r : var.checks) {
        if (fixed_row[static_cast<std::size_t>(r)]) continue;
        const std::int64_t res = residual(r, -1, 0);
        if (std::llabs(res) <= p.rows[r].tol) continue;
        std::int64_t coefficient = 0;
        for (auto [t, c] : p.rows[r].terms)
          if (t == v) coefficient += c;
        if (coefficient != 1 && coefficient != -1) continue;
        asked[current(v) - res / coefficient].push_back(r);
      }
      for (const auto& [value, rows] : asked) {
        if (rows.size() < 2 || value < 0) continue;
        const std::vector<Candidate> candidates = misread_candidates(
            *var.cell->read, var.cell->alternatives, var.cell->confidence, var.table_decimals);
        const auto credible = std::find_if(
            candidates.begin(), candidates.end(),
            [&, value = value](const Candidate& c) { return micro(c.value) == value; });
        if (credible == candidates.end()) continue;
        bool harmless = true;
        for (int r : var.checks)
          if (std::llabs(residual(r, -1, 0)) <= p.rows[r].tol &&
              std::llabs(residual(r, v, value)) > p.rows[r].tol)
            harmless = false;
        if (!harmless) continue;
        var.cell->value = credible->value;
        var.cell->status = core::CellStatus::Repaired;
        var.cell->status_note = "read " + amount_text(*var.cell->read) + ", repaired to " +
                                amount_text(credible->value) + " (" + credible->why + "; " +
                                std::to_string(rows.size()) +
                                " broken identities agree on this value where the table had too "
                                "many broken at once for the search)";
        repaired.push_back(v);
        progress = true;
        break;
      }
    }
  }
  return repaired;
}

// After repairs by agreement: one line per table naming what was repaired and which identities
// stay open, so a reviewer sees what the arithmetic could not settle.
void report_open_identities(core::Document& document, Problem& p, const std::vector<int>& agreed) {
  std::map<int, std::vector<int>> by_table;
  for (int v : agreed) by_table[p.vars[static_cast<std::size_t>(v)].ref.table].push_back(v);
  for (const auto& [t, vars] : by_table) {
    std::string open;
    int n_open = 0;
    for (std::size_t r = 0; r < document.checks.size(); ++r) {
      core::Check& c = document.checks[r];
      bool here = false;
      for (const core::Term& term : c.terms) here = here || term.cell.table == t;
      if (!here) continue;
      detail::evaluate(document, c, true);
      if (c.status != core::CheckStatus::Broken) continue;
      if (++n_open <= 20) open += (open.empty() ? "" : ", ") + c.id;
    }
    if (n_open > 20) open += ", …";
    const core::Table& table = document.tables[static_cast<std::size_t>(t)];
    document.diagnostics.push_back({core::Severity::Info, "repaired_by_agreement",
                                    table.pages.empty() ? 0 : table.pages.front(),
                                    std::to_string(vars.size()) + " cells of " + table.title +
                                        " repaired where their identities agreed on one value; " +
                                        std::to_string(n_open) + " identities stay open" +
                                        (open.empty() ? "" : ": " + open)});
  }
}

}  // namespace

const std::vector<SearchStats>& last_search_stats() {
  return g_stats;
}
void set_search_limits(const SearchLimits& limits) {
  g_limits = limits;
}

void repair_misreads(core::Document& document, const Options& options) {
  g_stats.clear();
  detail::reset_grid_cache();
  for (core::Table& table : document.tables)
    for (core::Cell& cell : table.cells) {
      if (cell.read) cell.value = cell.read;
      if (cell.read) cell.status = core::CellStatus::Ok;
    }
  std::vector<core::CheckStatus> before;
  for (core::Check& c : document.checks) {
    detail::evaluate(document, c, true);
    before.push_back(c.status);
  }

  // Vars: every cell a check names; rows: one per check.
  Problem p;
  for (const core::Table& t : document.tables)
    p.numbers.push_back(
        static_cast<int>(std::count_if(t.cells.begin(), t.cells.end(), [](const core::Cell& c) {
          return c.read && c.read->units != 0;
        })));
  std::vector<std::vector<int>> grids;
  for (const core::Table& t : document.tables) grids.push_back(t.grid_index());
  std::vector<int> table_decimals;
  for (const core::Table& t : document.tables) {
    std::map<int, int> count;
    for (const core::Cell& c : t.cells)
      if (c.read) ++count[c.read->decimals];
    int best = 2, n = 0;
    for (auto [d, k] : count)
      if (k > n) best = d, n = k;
    table_decimals.push_back(best);
  }
  for (const core::Check& check : document.checks) {
    Row row;
    for (const core::Term& term : check.terms) {
      const auto key = std::make_tuple(term.cell.table, term.cell.row, term.cell.col);
      auto it = p.var_of.find(key);
      if (it == p.var_of.end()) {
        core::Table& t = document.tables[term.cell.table];
        const int index = grids[term.cell.table]
                               [static_cast<std::size_t>(term.cell.row) * t.n_cols + term.cell.col];
        Var var;
        var.ref = term.cell;
        var.cell = &t.cells[index];
        var.read = var.cell->read ? micro(*var.cell->read) : 0;
        var.free = options.repair && var.cell->read && detail::is_untrusted(*var.cell) &&
                   var.cell->read->units >= 0;
        var.table_decimals =
            table_decimals[term.cell.table];  // candidates made when a search needs them
        it = p.var_of.emplace(key, static_cast<int>(p.vars.size())).first;
        p.vars.push_back(std::move(var));
      }
      row.terms.emplace_back(it->second, term.coefficient);
    }
    row.tol = check.tolerance * pow10(kMicro - std::min(check.decimals, kMicro));
    row.unit = pow10(kMicro - std::min(check.decimals, kMicro));
    {
      int nonzero = 0;
      bool same = true;
      for (auto [v, c] : row.terms) {
        const core::Cell* cell = p.vars[v].cell;
        if (!cell->read || cell->read->units == 0) continue;
        ++nonzero;
        same = same && cell->read->decimals == check.decimals;
      }
      row.copy = nonzero == 2 && same;
      if (row.copy) row.tol = 0;
    }
    row.slack_cost = check.origin == "discovered" ? 6.0 : 12.0;
    p.rows.push_back(std::move(row));
  }
  for (std::size_t r = 0; r < p.rows.size(); ++r)
    for (auto [v, c] : p.rows[r].terms) p.vars[v].checks.push_back(static_cast<int>(r));

  std::vector<int> flagged;
  if (options.repair) {
    std::vector<bool> frozen(p.vars.size(), false);
    // Violated as the search sees it (copies want no gap at all), from the current values.
    const auto violated_now = [&](int r) {
      std::int64_t res = 0;
      for (auto [v, c] : p.rows[r].terms) {
        const core::Cell& cell = *p.vars[v].cell;
        const std::optional<core::Amount>& a = cell.value ? cell.value : cell.read;
        res += c * (a ? micro(*a) : 0);
      }
      return std::llabs(res) > p.rows[r].tol;
    };
    const auto any_broken_free = [&](const std::vector<int>& rows) {
      for (int r : rows) {
        if (!violated_now(r)) continue;
        for (auto [v, c] : p.rows[r].terms)
          if (p.vars[v].free && !frozen[v]) return true;
      }
      return false;
    };
    // Rows that no free cell can change are source errors: out of the search from the start.
    std::vector<bool> fixed_row(p.rows.size(), false);
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      bool free = false;
      for (auto [v, c] : p.rows[r].terms) free = free || p.vars[v].free;
      fixed_row[r] = !free;
    }
    // Pass 1: each table alone (its own identities); pass 2: the whole document with the
    // cross-table identities, cells changed in pass 1 kept.
    const SearchLimits limits = g_limits;
    // A table's pass sees its own identities and the cross-table ones that touch it, with the other
    // tables' cells held at their readings: a class total of 表 1 is then decided by 表 3 too.
    for (std::size_t t = 0; t < document.tables.size(); ++t) {
      std::vector<int> rows;
      for (std::size_t r = 0; r < p.rows.size(); ++r) {
        if (fixed_row[r]) continue;
        bool touches = false;
        for (const core::Term& term : document.checks[r].terms)
          touches = touches || term.cell.table == static_cast<int>(t);
        if (touches) rows.push_back(static_cast<int>(r));
      }
      std::vector<bool> held = frozen;
      for (std::size_t v = 0; v < p.vars.size(); ++v)
        if (p.vars[v].ref.table != static_cast<int>(t)) held[v] = true;
      bool broken_here = false;
      for (int r : rows) {
        if (!violated_now(r)) continue;
        for (auto [v, c] : p.rows[r].terms)
          broken_here = broken_here || (p.vars[v].free && !held[v]);
      }
      if (!broken_here) continue;
      // Identities reaching into other tables only break ties here: the other table may be the one
      // misread, so leaving them broken is cheap in this pass; the document pass weighs them fully.
      std::vector<double> saved;
      for (int r : rows) {
        saved.push_back(p.rows[r].slack_cost);
        bool foreign = false;
        for (const core::Term& term : document.checks[r].terms)
          foreign = foreign || term.cell.table != static_cast<int>(t);
        if (foreign) p.rows[r].slack_cost = limits.foreign_slack;
      }
      const std::vector<int> changed = solve(p, rows, held, limits, flagged);
      for (std::size_t i = 0; i < rows.size(); ++i) p.rows[rows[i]].slack_cost = saved[i];
      for (int v : changed) frozen[v] = true;
      for (int r : rows) detail::evaluate(document, document.checks[r], true);
    }
    std::vector<int> all;
    for (std::size_t r = 0; r < p.rows.size(); ++r) {
      detail::evaluate(document, document.checks[r], true);
      if (!fixed_row[r]) all.push_back(static_cast<int>(r));
    }
    // Re-base the rows on the values after pass 1.
    for (Var& v : p.vars)
      if (v.cell->value) v.read = micro(*v.cell->value);
    if (any_broken_free(all)) {
      std::vector<int> pass2_flagged;
      solve(p, all, frozen, limits, pass2_flagged);
      for (int v : pass2_flagged)
        if (std::find(flagged.begin(), flagged.end(), v) == flagged.end()) flagged.push_back(v);
    }
    if (any_broken_free(all)) {
      const std::vector<int> agreed = repair_by_agreement(p, frozen, fixed_row);
      if (!agreed.empty()) report_open_identities(document, p, agreed);
    }
  }

  // Statuses: checks, then the cells that decided or could not be decided.
  for (std::size_t r = 0; r < document.checks.size(); ++r) {
    core::Check& c = document.checks[r];
    detail::evaluate(document, c, true);
    if (before[r] == core::CheckStatus::Broken && c.status != core::CheckStatus::Broken)
      c.status = core::CheckStatus::HeldAfterRepair;
  }
  for (std::size_t r = 0; r < document.checks.size(); ++r) {
    const core::Check& c = document.checks[r];
    for (auto [v, coef] : p.rows[r].terms) {
      core::Cell& cell = *p.vars[v].cell;
      if (cell.status == core::CellStatus::Repaired &&
          c.status == core::CheckStatus::HeldAfterRepair)
        cell.status_checks.push_back(c.id);
    }
  }
  for (int v : flagged) {
    core::Cell& cell = *p.vars[v].cell;
    if (cell.status == core::CellStatus::Repaired) continue;
    // an ambiguity a later pass settled (its identities all hold now) leaves no flag
    bool in_broken = false;
    for (int r : p.vars[v].checks)
      in_broken = in_broken || document.checks[r].status == core::CheckStatus::Broken;
    if (!in_broken) {
      cell.status_note.clear();
      continue;
    }
    cell.status = core::CellStatus::Flagged;
    for (int r : p.vars[v].checks)
      if (document.checks[r].status == core::CheckStatus::Broken)
        cell.status_checks.push_back(document.checks[r].id);
  }
  for (std::size_t r = 0; r < document.checks.size(); ++r) {
    const core::Check& c = document.checks[r];
    if (c.status != core::CheckStatus::Broken) continue;
    bool untrusted = false;
    for (auto [v, coef] : p.rows[r].terms) {
      core::Cell& cell = *p.vars[v].cell;
      if (!detail::is_untrusted(cell) || !cell.read) continue;
      untrusted = true;
      if (cell.status == core::CellStatus::Ok) {
        cell.status = core::CellStatus::Flagged;
        if (cell.status_note.empty())
          cell.status_note = "in a broken identity; no credible repair found";
      }
      if (cell.status == core::CellStatus::Flagged &&
          std::find(cell.status_checks.begin(), cell.status_checks.end(), c.id) ==
              cell.status_checks.end())
        cell.status_checks.push_back(c.id);
    }
    const int page = [&] {
      const core::Table& t = document.tables[c.terms.front().cell.table];
      return t.pages.empty() ? 0 : t.pages.front();
    }();
    const std::string amounts = "residual " + core::Amount{c.residual, c.decimals}.to_string() +
                                ", tolerance " + core::Amount{c.tolerance, c.decimals}.to_string();
    if (untrusted)
      document.warn(page, "identity_unresolved",
                    c.description + ": " + amounts + " (" + c.id + "); cells read by OCR flagged");
    else
      document.warn(page, "identity_broken",
                    "source error: " + c.description + ": " + amounts + " (" + c.id +
                        "); printed: " + detail::describe_terms(document, c) +
                        "; no other reading of the layout (rows, columns, levels) makes it hold; "
                        "printed values kept");
  }
}

}  // namespace tally::reconcile
