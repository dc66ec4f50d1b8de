// The reconciler's tests: understanding against the truth's roles, consistent documents unchanged,
// single misreads found, trusted cells never changed, seed 004's source errors, seed 001's
// rounding.
#include "tally/reconcile/reconcile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "tally/app/job.h"
#include "tally/core/text.h"
#include "tally/fixtures/generator.h"
#include "tally/fixtures/misread.h"
#include "tally/fixtures/truth.h"
#include "tally/reconcile/search.h"

namespace {

using namespace tally;

const std::filesystem::path kRoot = TALLY_SOURCE_DIR;

const fixtures::Classification& codes() {
  static const fixtures::Classification c = fixtures::load_classification(kRoot / "data/codes");
  return c;
}

void reconcile_all(core::Document& doc, bool repair = true) {
  reconcile::Options options;
  options.repair = repair;
  reconcile::understand_tables(doc, options);
  reconcile::check_identities(doc, options);
  reconcile::repair_misreads(doc, options);
}

void mark_ocr(core::Document& doc, double confidence = 0.9) {
  for (core::Table& t : doc.tables)
    for (core::Cell& c : t.cells) {
      c.source = core::TextSource::Ocr;
      c.confidence = confidence;
    }
}

int count_status(const core::Document& doc, core::CheckStatus s) {
  return static_cast<int>(std::count_if(doc.checks.begin(), doc.checks.end(),
                                        [&](const core::Check& c) { return c.status == s; }));
}

std::vector<std::tuple<int, int, int>> changed_cells(const core::Document& doc) {
  std::vector<std::tuple<int, int, int>> out;
  for (const core::Table& t : doc.tables)
    for (const core::Cell& c : t.cells)
      if (c.read && (!c.value || !(*c.value == *c.read))) out.emplace_back(t.id, c.row, c.col);
  return out;
}

// ---------------------------------------------------------------------------------------------

TEST(Understand, MatchesTheTruthsRolesOnGeneratedDocuments) {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {
    const fixtures::TruthDocument truth = fixtures::generate_budget(seed, codes(), "gen");
    const core::Document expected = fixtures::truth_to_document(truth);
    core::Document doc = expected;
    for (core::Table& t : doc.tables) t.columns.clear(), t.rows.clear();
    reconcile::understand_tables(doc, {});
    for (std::size_t ti = 0; ti < doc.tables.size(); ++ti) {
      const core::Table& got = doc.tables[ti];
      const core::Table& want = expected.tables[ti];
      ASSERT_EQ(got.columns.size(), want.columns.size());
      EXPECT_FALSE(got.kind.empty()) << "seed " << seed << " " << got.title;
      for (std::size_t c = 0; c < got.columns.size(); ++c) {
        const core::ColumnRole w = want.columns[c].role;
        if (w == core::ColumnRole::Amount || w == core::ColumnRole::ClassCode ||
            w == core::ColumnRole::Code) {
          EXPECT_EQ(got.columns[c].role, w) << "seed " << seed << " " << got.title << " col " << c;
        }
        if (w == core::ColumnRole::Amount) {
          EXPECT_EQ(got.columns[c].header_path, want.columns[c].header_path);
        }
      }
      for (int r = got.header_rows; r < got.n_rows; ++r) {
        const core::RowInfo& g = got.rows[r];
        const core::RowInfo& w = want.rows[r];
        if (w.code && (w.role == core::RowRole::Class || w.role == core::RowRole::Section ||
                       w.role == core::RowRole::Item)) {
          ASSERT_TRUE(g.code) << "seed " << seed << " " << got.title << " row " << r;
          EXPECT_EQ(g.code->joined(), w.code->joined());
          EXPECT_EQ(g.role, w.role) << got.title << " row " << r;
        }
        if (w.role == core::RowRole::Total) {
          EXPECT_EQ(g.role, core::RowRole::Total) << got.title << " row " << r;
        }
      }
    }
  }
}

TEST(Understand, SplitsSevenDigitCodesOfARealFinalAccount) {
  const core::Document doc =
      app::run_document(kRoot / "fixtures/real/putuo-planning-2024-final.pdf", {});
  int items = 0;
  for (const core::Table& t : doc.tables) {
    bool code_column = false;
    for (const core::ColumnInfo& c : t.columns)
      code_column = code_column || c.role == core::ColumnRole::Code;
    if (!code_column) continue;
    for (int r = t.header_rows; r < t.n_rows; ++r) {
      const core::RowInfo& row = t.rows[r];
      if (!row.code || row.code->level() != core::CodeLevel::Item) continue;
      ++items;
      EXPECT_EQ(row.code->class_code.size(), 3u);
      EXPECT_EQ(row.code->section_code.size(), 2u);
      EXPECT_EQ(row.code->item_code.size(), 2u);
      EXPECT_EQ(row.role, core::RowRole::Item);
      ASSERT_GE(row.parent_row, 0) << t.title << " row " << r;
      ASSERT_TRUE(t.rows[row.parent_row].code);
      EXPECT_EQ(t.rows[row.parent_row].code->joined(), row.code->joined().substr(0, 5));
    }
  }
  EXPECT_GT(items, 20);
}

TEST(Understand, TemplatesAreFoundFromAnyWorkingDirectory) {
  core::Document doc =
      fixtures::truth_to_document(fixtures::load_truth(kRoot / "fixtures/truth/seed-000.json"));
  reconcile::Options options;
  options.templates_dir =
      "templates";  // relative: resolved against the source tree when absent here
  const std::filesystem::path here = std::filesystem::current_path();
  std::filesystem::current_path(std::filesystem::temp_directory_path());
  reconcile::understand_tables(doc, options);
  std::filesystem::current_path(here);
  EXPECT_EQ(doc.tables[2].kind, "budget.3");
}

// ---------------------------------------------------------------------------------------------

TEST(Property, ConsistentDocumentsPassUnchanged) {
  for (std::uint64_t seed = 100; seed < 130; ++seed) {
    core::Document doc =
        fixtures::truth_to_document(fixtures::generate_budget(seed, codes(), "gen"));
    mark_ocr(doc);  // even untrusted, nothing may change
    reconcile_all(doc);
    EXPECT_GT(doc.checks.size(), 100u) << "seed " << seed;
    EXPECT_EQ(count_status(doc, core::CheckStatus::Broken), 0) << "seed " << seed;
    EXPECT_EQ(count_status(doc, core::CheckStatus::HeldAfterRepair), 0) << "seed " << seed;
    EXPECT_TRUE(changed_cells(doc).empty()) << "seed " << seed;
    for (const core::Table& t : doc.tables)
      for (const core::Cell& c : t.cells)
        EXPECT_NE(c.status, core::CellStatus::Flagged) << "seed " << seed;
  }
}

TEST(Property, AnySingleRealisticMisreadIsFound) {
  std::mt19937_64 rng(7);
  int trials = 0, repaired = 0;
  for (std::uint64_t seed = 200; seed < 215; ++seed) {
    const core::Document clean =
        fixtures::truth_to_document(fixtures::generate_budget(seed, codes(), "gen"));
    core::Document probe = clean;
    reconcile_all(probe);
    std::vector<core::CellRef> covered;
    std::set<std::tuple<int, int, int>> seen;
    for (const core::Check& c : probe.checks)
      for (const core::Term& t : c.terms) {
        const core::Cell* cell = probe.tables[t.cell.table].cell_at(t.cell.row, t.cell.col);
        if (cell && cell->read && cell->read->units > 0 &&
            seen.emplace(t.cell.table, t.cell.row, t.cell.col).second)
          covered.push_back(t.cell);
      }
    for (int k = 0; k < 8; ++k) {
      const core::CellRef ref = covered[rng() % covered.size()];
      core::Document doc = clean;
      mark_ocr(doc, 0.95);
      core::Cell* cell = doc.tables[ref.table].cell_at(ref.row, ref.col);
      const core::Amount truth = *cell->read;
      cell->read = fixtures::realistic_misread(
          truth, rng, 2);  // a change of 0.01 hides in rounding (tested apart)
      cell->confidence = 0.7;
      reconcile_all(doc);
      ++trials;
      const std::vector<std::tuple<int, int, int>> changed = changed_cells(doc);
      // found: repaired to the truth, or flagged; never another cell changed, never a wrong value
      const core::Cell* after = doc.tables[ref.table].cell_at(ref.row, ref.col);
      for (const auto& [t, r, c] : changed)
        EXPECT_TRUE(t == ref.table && r == ref.row && c == ref.col)
            << "seed " << seed << ": changed t" << t << " r" << r << " c" << c;
      if (after->status == core::CellStatus::Repaired) {
        EXPECT_EQ(after->value->to_string(), truth.to_string()) << "seed " << seed;
        EXPECT_FALSE(after->status_checks.empty());
        ++repaired;
      } else {
        EXPECT_EQ(after->status, core::CellStatus::Flagged)
            << "seed " << seed << " t" << ref.table << " r" << ref.row << " c" << ref.col << " "
            << truth.to_string() << " read as " << cell->read->to_string();
      }
    }
  }
  EXPECT_GE(repaired * 100, trials * 95) << repaired << " of " << trials;
}

TEST(Property, TrustedCellsAreNeverChanged) {
  std::mt19937_64 rng(11);
  for (std::uint64_t seed = 300; seed < 305; ++seed) {
    core::Document doc =
        fixtures::truth_to_document(fixtures::generate_budget(seed, codes(), "gen"));
    core::Table& t = doc.tables[2];  // 表3
    core::Cell* target = nullptr;
    for (core::Cell& c : t.cells)
      if (c.read && c.read->units > 100 && c.row > t.header_rows) target = &c;
    ASSERT_NE(target, nullptr);
    target->read =
        fixtures::realistic_misread(*target->read, rng, 2);  // as if the source printed it so
    reconcile_all(doc);
    EXPECT_TRUE(changed_cells(doc).empty());
    EXPECT_GT(count_status(doc, core::CheckStatus::Broken), 0);
    const bool reported =
        std::any_of(doc.diagnostics.begin(), doc.diagnostics.end(),
                    [](const core::Diagnostic& d) { return d.code == "identity_broken"; });
    EXPECT_TRUE(reported);
  }
}

TEST(Repair, SeveralErrorsInOneTableAtOnce) {
  core::Document doc =
      fixtures::truth_to_document(fixtures::load_truth(kRoot / "fixtures/truth/seed-000.json"));
  mark_ocr(doc, 0.95);
  core::Table& t = doc.tables[2];  // 表3: 2010301 row and 20805 row
  std::vector<std::pair<core::Cell*, core::Amount>> corrupt;
  for (core::Cell& c : t.cells) {
    if (!c.read) continue;
    if (c.text == "1,031.95" || c.text == "100.65") corrupt.emplace_back(&c, *c.read);
  }
  ASSERT_GE(corrupt.size(), 2u);
  corrupt[0].first->read =
      core::Amount{corrupt[0].second.units + 500, 2};  // 3 → 8 in the units digit
  corrupt[1].first->read = core::Amount{corrupt[1].second.units / 10, 2};  // a digit lost
  corrupt[0].first->confidence = corrupt[1].first->confidence = 0.6;
  reconcile_all(doc);
  for (const auto& [cell, truth] : corrupt) {
    EXPECT_EQ(cell->status, core::CellStatus::Repaired) << cell->status_note;
    EXPECT_EQ(cell->value->to_string(), truth.to_string());
  }
  EXPECT_EQ(changed_cells(doc).size(), corrupt.size());
  EXPECT_GT(count_status(doc, core::CheckStatus::HeldAfterRepair), 0);
  EXPECT_EQ(count_status(doc, core::CheckStatus::Broken), 0);
}

TEST(Repair, CandidatesCoverTheRealisticMisreads) {
  const core::Amount read{176038, 2};  // 1,760.38
  const std::vector<reconcile::Candidate> cands = reconcile::misread_candidates(read, {}, 0.9, 2);
  const auto has = [&](std::int64_t units) {
    return std::any_of(cands.begin(), cands.end(), [&](const reconcile::Candidate& c) {
      return c.value.units == units && c.value.decimals == 2;
    });
  };
  EXPECT_TRUE(has(176088));   // 3 ↔ 8
  EXPECT_TRUE(has(126038));   // 7 ↔ 2 (similar)
  EXPECT_TRUE(has(1760038));  // a digit lost
  EXPECT_TRUE(has(17638));    // a digit doubled or extra
  EXPECT_TRUE(has(170638));   // swapped
  EXPECT_TRUE(has(1760380));  // decimal point moved
  const std::vector<reconcile::Candidate> lost_point =
      reconcile::misread_candidates({176038, 0}, {}, 0.9, 2);
  EXPECT_TRUE(std::any_of(lost_point.begin(), lost_point.end(), [](const reconcile::Candidate& c) {
    return c.value == core::Amount{176038, 2};
  }));
  for (std::size_t i = 1; i < cands.size(); ++i) EXPECT_LE(cands[i - 1].cost, cands[i].cost);
}

// ---------------------------------------------------------------------------------------------

TEST(Seeds, Seed004SourceErrorsAreReportedAndNothingChanges) {
  const fixtures::TruthDocument truth =
      fixtures::load_truth(kRoot / "fixtures/truth/seed-004.json");
  core::Document doc = fixtures::truth_to_document(truth);
  reconcile_all(doc);
  EXPECT_TRUE(changed_cells(doc).empty());
  for (const core::Table& t : doc.tables)
    for (const core::Cell& c : t.cells) EXPECT_NE(c.status, core::CellStatus::Repaired);
  // every source error of the truth is evidenced: a broken check (or, for codes, a diagnostic)
  // naming one of its cells
  for (std::size_t ti = 0; ti < truth.tables.size(); ++ti) {
    const core::Table& table = doc.tables[ti];
    for (const fixtures::SourceError& e : truth.tables[ti].source_errors) {
      bool code_error = true;
      std::set<std::pair<int, int>> cells;
      for (const auto& [r, c] : e.cells) {
        cells.emplace(table.header_rows + r, c);
        code_error = code_error && table.columns[c].role != core::ColumnRole::Amount;
      }
      if (code_error) {
        const bool reported = std::any_of(
            doc.diagnostics.begin(), doc.diagnostics.end(), [&](const core::Diagnostic& d) {
              return (d.code == "code_unreadable" || d.code == "code_orphan") &&
                     d.message.find("表" + std::to_string(*table.number)) != std::string::npos;
            });
        EXPECT_TRUE(reported) << e.description;
        continue;
      }
      bool found = false;
      for (const core::Check& c : doc.checks) {
        if (c.status != core::CheckStatus::Broken) continue;
        for (const core::Term& t : c.terms)
          found = found || (t.cell.table == table.id && cells.count({t.cell.row, t.cell.col}));
      }
      EXPECT_TRUE(found) << "表" << *table.number << ": " << e.description;
    }
  }
  // the 0.02 between 表4 and 表5 (class 201)
  const bool t4_t5 = std::any_of(doc.checks.begin(), doc.checks.end(), [](const core::Check& c) {
    return c.kind == "cross_table" && c.status == core::CheckStatus::Broken &&
           (c.residual == 2 || c.residual == -2);
  });
  EXPECT_TRUE(t4_t5);
  const bool diagnosed =
      std::count_if(doc.diagnostics.begin(), doc.diagnostics.end(),
                    [](const core::Diagnostic& d) { return d.code == "identity_broken"; }) >= 5;
  EXPECT_TRUE(diagnosed);
}

TEST(Seeds, Seed001RoundingGapHoldsAsRounding) {
  core::Document doc =
      fixtures::truth_to_document(fixtures::load_truth(kRoot / "fixtures/truth/seed-001.json"));
  reconcile_all(doc);
  EXPECT_EQ(count_status(doc, core::CheckStatus::Broken), 0);
  EXPECT_TRUE(changed_cells(doc).empty());
  // 表6: 1,031.95 + 59.92 = 1,091.87 printed as 1,091.86
  const core::Table& t6 = doc.tables[5];
  bool seen = false;
  for (const core::Check& c : doc.checks) {
    if (c.kind != "column_sum" || c.terms.front().cell.table != t6.id ||
        c.status != core::CheckStatus::HeldRounding)
      continue;
    seen = seen || (c.residual == 1 || c.residual == -1);
    EXPECT_EQ(c.tolerance, 1);
  }
  EXPECT_TRUE(seen);
  // the same, read by OCR: still nothing changed
  core::Document ocr =
      fixtures::truth_to_document(fixtures::load_truth(kRoot / "fixtures/truth/seed-001.json"));
  mark_ocr(ocr);
  reconcile_all(ocr);
  EXPECT_TRUE(changed_cells(ocr).empty());
}

TEST(Seeds, CheckOnlyModeChangesNothing) {
  core::Document doc =
      fixtures::truth_to_document(fixtures::load_truth(kRoot / "fixtures/truth/seed-000.json"));
  mark_ocr(doc);
  core::Cell* c = nullptr;
  for (core::Cell& cell : doc.tables[2].cells)
    if (cell.read && cell.read->units > 1000) c = &cell;
  c->read = core::Amount{c->read->units + 500, 2};
  reconcile_all(doc, false);
  EXPECT_TRUE(changed_cells(doc).empty());
  EXPECT_GT(count_status(doc, core::CheckStatus::Broken), 0);
}

}  // namespace

namespace {

TEST(Checks, Seed000HasEveryKindOfIdentityAndAllHold) {
  core::Document doc = tally::fixtures::truth_to_document(
      tally::fixtures::load_truth(kRoot / "fixtures/truth/seed-000.json"));
  reconcile_all(doc);
  std::set<std::string> kinds, crosses;
  for (const core::Check& c : doc.checks) {
    kinds.insert(c.kind);
    if (c.kind == "cross_table") crosses.insert(c.id.substr(0, c.id.find('.', 2)));
    EXPECT_NE(c.status, core::CheckStatus::Broken) << c.id << " " << c.description;
  }
  for (const char* k : {"hierarchy", "total", "column_sum", "two_sided", "cross_table"})
    EXPECT_TRUE(kinds.count(k)) << k;
  for (const char* x : {"x.t1_t2_total", "x.t2_t3_total", "x.t1_t3_class", "x.t2_t3_code",
                        "x.t2_t5_code", "x.t4_t5_class", "x.t5_t6_total"})
    EXPECT_TRUE(crosses.count(x)) << x;
  // every standard table recognised, 表3's column sum from the template
  for (int n = 0; n < 11; ++n) EXPECT_EQ(doc.tables[n].kind, "budget." + std::to_string(n + 1));
  const bool t3 = std::any_of(doc.checks.begin(), doc.checks.end(), [](const core::Check& c) {
    return c.kind == "column_sum" && c.origin == "template" && c.terms.front().cell.table == 2 &&
           c.terms.size() == 3;
  });
  EXPECT_TRUE(t3);
}

}  // namespace

// The narrative (说明) restates 表1/表2/表3 totals: they hold on seed 000; a restated total changed
// in the text layer breaks exactly its check, with the difference and a diagnostic.
TEST(Narrative, RestatedTotalsAreCheckedAgainstTheirTables) {
  core::Document doc = app::run_document(kRoot / "fixtures/pdf/seed-000.born.pdf", {});
  std::vector<const core::Check*> narrative;
  for (const core::Check& c : doc.checks)
    if (c.kind == "narrative" && c.origin == "template")
      narrative.push_back(&c);  // audit_disclosure's are origin "narrative"
  ASSERT_EQ(narrative.size(), 3u);
  for (const core::Check* c : narrative)
    EXPECT_EQ(c->status, core::CheckStatus::Held) << c->description;
  EXPECT_EQ(narrative[0]->id, "narrative.budget.1");

  // "收支总预算 1,760.38 万元" → 1,760.83: the table's 1760.38 is 0.45 less than the text states.
  bool changed = false;
  for (core::Page& page : doc.pages) {
    bool after_phrase =
        false;  // the statement's phrase was just read, in this word or the one before
    for (core::Word& word : page.words) {
      after_phrase = after_phrase || word.text.find("收支总预算") != std::string::npos;
      const std::size_t at = word.text.find("1,760.38");
      if (after_phrase && at != std::string::npos && !changed) {
        word.text.replace(at, 8, "1,760.83");
        changed = true;
      }
      if (word.text.find("收支总预算") == std::string::npos) after_phrase = false;
    }
  }
  ASSERT_TRUE(changed) << "the statement was not found in the text layer";
  std::erase_if(doc.checks, [](const core::Check& c) { return c.kind == "narrative"; });
  doc.diagnostics.clear();
  reconcile::check_narrative(doc);
  const auto broken = std::find_if(doc.checks.begin(), doc.checks.end(), [](const core::Check& c) {
    return c.id == "narrative.budget.1";
  });
  ASSERT_NE(broken, doc.checks.end());
  EXPECT_EQ(broken->status, core::CheckStatus::Broken);
  EXPECT_EQ(broken->residual, -45);
  EXPECT_EQ(broken->decimals, 2);
  EXPECT_TRUE(
      std::any_of(doc.diagnostics.begin(), doc.diagnostics.end(),
                  [](const core::Diagnostic& d) { return d.code == "narrative_mismatch"; }));
  for (const core::Check& c : doc.checks) {
    if (c.kind == "narrative" && c.id != "narrative.budget.1") {
      EXPECT_EQ(c.status, core::CheckStatus::Held) << c.description;
    }
  }
}

// A real budget states its totals in 万元 while its tables print 元: 15621.11 万元 stands for
// 156,211,100 ± 50 元, and the tables' 156,211,123.00 元 holds as rounding.
TEST(Narrative, StatementsIn10kYuanAgainstTablesInYuan) {
  const core::Document doc =
      app::run_document(kRoot / "fixtures/real/putuo-wanli-2024-budget.pdf", {});
  int found = 0;
  for (const core::Check& c : doc.checks) {
    if (c.kind != "narrative" || c.origin != "template")
      continue;  // check_narrative's restated totals
    ++found;
    EXPECT_EQ(c.status, core::CheckStatus::HeldRounding) << c.description;
    EXPECT_EQ(c.decimals, 2);
    EXPECT_EQ(c.residual, 2300);
    EXPECT_EQ(c.tolerance, 5000);
  }
  EXPECT_EQ(found, 2);  // 收入预算 and 支出预算; this document prints no 收支总预算
}

// ---------------------------------------------------------------------------------------------
// Repair when many identities break: the search gives up (its node budget is cut to nothing here,
// as on the worst scanned tables), yet a cell whose row and column identities ask for one and the
// same credible value is repaired, and the identities left open are named.

// Cells of 表3 at distinct rows and distinct columns, each in two or more identities.
std::vector<core::Cell*> distinct_cells(core::Document& doc, core::Table& t, std::size_t k) {
  reconcile::understand_tables(doc, {});
  reconcile::check_identities(doc, {});
  std::map<std::pair<int, int>, int> checks_of;
  for (const core::Check& c : doc.checks)
    for (const core::Term& term : c.terms)
      if (term.cell.table == t.id) ++checks_of[{term.cell.row, term.cell.col}];
  std::set<int> rows, cols;
  std::vector<core::Cell*> out;
  for (core::Cell& c : t.cells) {
    if (out.size() == k) break;
    if (!c.read || c.read->units < 1000 || rows.count(c.row) || cols.count(c.col)) continue;
    if (checks_of[{c.row, c.col}] < 2) continue;
    rows.insert(c.row);
    cols.insert(c.col);
    out.push_back(&c);
  }
  doc.checks.clear();
  return out;
}

class RepairByAgreement : public ::testing::Test {
 protected:
  void SetUp() override {
    reconcile::SearchLimits starved;
    starved.max_nodes = 1;  // the search stops at once: before, every broken cell was only flagged
    reconcile::set_search_limits(starved);
  }
  void TearDown() override { reconcile::set_search_limits({}); }
};

TEST_F(RepairByAgreement, PlantedMisreadsAtDistinctRowsAndColumnsAreAllRepaired) {
  std::mt19937_64 rng(14);
  int planted = 0, repaired = 0, wrong = 0;
  for (std::uint64_t seed = 400; seed < 406; ++seed) {
    core::Document doc =
        fixtures::truth_to_document(fixtures::generate_budget(seed, codes(), "gen"));
    mark_ocr(doc, 0.9);
    core::Table& t = doc.tables[2];  // 表3: rows by code, 合计 = 基本支出 + 项目支出
    std::vector<std::pair<core::Cell*, core::Amount>> truth;
    for (core::Cell* c : distinct_cells(doc, t, 3)) {
      truth.emplace_back(c, *c->read);
      c->read = fixtures::realistic_misread(*c->read, rng, 2);
    }
    ASSERT_GE(truth.size(), 2u) << "seed " << seed;
    reconcile_all(doc);
    for (const auto& [cell, amount] : truth) {
      ++planted;
      repaired += cell->status == core::CellStatus::Repaired && cell->value == amount;
    }
    wrong += static_cast<int>(changed_cells(doc).size()) - static_cast<int>(truth.size());
    EXPECT_EQ(count_status(doc, core::CheckStatus::Broken), 0) << "seed " << seed;
    EXPECT_TRUE(
        std::any_of(doc.diagnostics.begin(), doc.diagnostics.end(),
                    [](const core::Diagnostic& d) { return d.code == "repaired_by_agreement"; }));
  }
  EXPECT_EQ(repaired, planted);
  EXPECT_EQ(wrong, 0);
}

// Broken identities per cell after understanding and checking `doc` (checks cleared after).
std::map<std::pair<int, int>, int> broken_per_cell(core::Document& doc, int table) {
  reconcile::understand_tables(doc, {});
  reconcile::check_identities(doc, {});
  std::map<std::pair<int, int>, int> out;
  for (const core::Check& c : doc.checks)
    if (c.status == core::CheckStatus::Broken)
      for (const core::Term& term : c.terms)
        if (term.cell.table == table) ++out[{term.cell.row, term.cell.col}];
  doc.checks.clear();
  return out;
}

// Two values of one row printed wrong at the source, one up and one down by 1.00, so the row
// still sums: each planted cell then breaks its column's identity, and a plant is kept only when
// that is the one identity each breaks (no copy in another table). No cell has two identities
// agreeing on a change, so nothing is repaired, even with the search starved.
TEST_F(RepairByAgreement, ASourceErrorBreakingOneIdentityPerCellIsNeverRepaired) {
  int tried = 0;
  for (std::uint64_t seed = 410; seed < 416; ++seed) {
    core::Document doc =
        fixtures::truth_to_document(fixtures::generate_budget(seed, codes(), "gen"));
    mark_ocr(doc, 0.9);
    bool planted = false;
    int attempts = 0;
    for (core::Table& t : doc.tables) {
      for (int r = t.header_rows; r < t.n_rows && !planted && attempts < 60; ++r) {
        std::vector<core::Cell*> amounts;
        for (core::Cell& c : t.cells)
          if (c.row == r && c.read && c.read->units > 200) amounts.push_back(&c);
        std::sort(amounts.begin(), amounts.end(),
                  [](const core::Cell* a, const core::Cell* b) { return a->col < b->col; });
        if (amounts.size() < 3) continue;
        ++attempts;
        core::Cell* up = amounts[amounts.size() - 2];
        core::Cell* down = amounts[amounts.size() - 1];
        up->read = core::Amount{up->read->units + 100, up->read->decimals};
        down->read = core::Amount{down->read->units - 100, down->read->decimals};
        const auto broken = broken_per_cell(doc, t.id);
        planted = broken.count({up->row, up->col}) && broken.count({down->row, down->col});
        for (const auto& [cell, n] : broken) planted = planted && n == 1;
        if (planted) break;
        up->read = core::Amount{up->read->units - 100, up->read->decimals};
        down->read = core::Amount{down->read->units + 100, down->read->decimals};
      }
      if (planted) break;
    }
    if (!planted) continue;
    ++tried;
    reconcile_all(doc);
    EXPECT_TRUE(changed_cells(doc).empty()) << "seed " << seed;
    EXPECT_GT(count_status(doc, core::CheckStatus::Broken), 0);
  }
  EXPECT_GE(tried, 2);
}
