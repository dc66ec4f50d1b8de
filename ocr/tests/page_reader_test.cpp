// The page reader's policy driven by a scripted fake engine on synthetic pages: which cells go to
// which engine, how often, and what the readings become.
#include "tally/ocr/page_reader.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "fake_engine.h"
#include "reader.h"

namespace tally::ocr {
namespace {

using testing::FakeEngine;

constexpr double kDpi = 300;
constexpr int kLeft = 100, kTop = 100, kColumn = 300, kRow = 60;

double points(int pixels) {
  return pixels * 72.0 / kDpi;
}

// A page of `rows` × `cols` cells, each holding a solid bar 100 × 30 px: ink that does not look
// like digits (one part, wider than tall, no waist), and wide (a failure counts for its column).
struct Page {
  PreparedPage prepared;
  TableCells table;
  Page(int rows, int cols, int bar_width = 100) {
    const int width = kLeft * 2 + kColumn * cols, height = kTop * 2 + kRow * rows;
    core::Raster r{width, height, kDpi,
                   std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)};
    table.box = {points(kLeft), points(kTop), points(kLeft + kColumn * cols),
                 points(kTop + kRow * rows)};
    for (int row = 0; row < rows; ++row)
      for (int col = 0; col < cols; ++col) {
        const int x = kLeft + kColumn * col, y = kTop + kRow * row;
        table.cells.push_back(
            {row, col, {points(x), points(y), points(x + kColumn), points(y + kRow)}});
        for (int py = y + 15; py < y + 45; ++py)
          for (int px = x + 50; px < x + 50 + bar_width; ++px)
            r.pixels[static_cast<std::size_t>(py * width + px)] = 0;
      }
    prepared.grey = r;
    prepared.binary = r;
  }
};

int column_of(const PixelBox& box) {
  return ((box.x0 + box.x1) / 2 - kLeft) / kColumn;
}
int row_of(const PixelBox& box) {
  return ((box.y0 + box.y1) / 2 - kTop) / kRow;
}

struct Outcome {
  std::vector<core::Word> words;
  std::vector<core::Diagnostic> diagnostics;
};

Outcome read(const Page& page, FakeEngine& engine, const ReaderOptions& options = {}) {
  DocumentMemory memory;
  PageTrace trace(1);
  Outcome run;
  run.words = read_page_words(page.prepared, 1, {page.table}, engine, memory, options, trace,
                              run.diagnostics);
  return run;
}

int calls(const FakeEngine& engine, int col, TextKind kind, int from_row = 0) {
  int n = 0;
  for (const FakeEngine::Call& c : engine.calls)
    n += c.kind == kind && column_of(c.box) == col && row_of(c.box) >= from_row;
  return n;
}

// Column 0 prints amounts; column 1 something neither engine reads with confidence.
Reading amounts_and_junk(const PixelBox& box, TextKind kind, const Engine::Settings&) {
  if (column_of(box) == 0)
    return kind == TextKind::Number ? Reading{"123.45", 0.95, {}} : Reading{"", 0, {}};
  return kind == TextKind::Number ? Reading{"", 0, {}} : Reading{"x", 0.3, {}};
}

}  // namespace

TEST(ReaderOptions, DefaultsAreTheMeasuredValues) {
  const ReaderOptions o;
  EXPECT_EQ(o.number_confidence, 0.60);
  EXPECT_EQ(o.settled_label_confidence, 0.80);
  EXPECT_EQ(o.remembered_label_confidence, 0.80);
  EXPECT_EQ(o.one_line_points, 16);
  EXPECT_EQ(o.cell_inset_points, 1.0);
  EXPECT_EQ(o.ink_margin_points, 0.8);
  EXPECT_EQ(o.numbers_before_side_by_side, 2);
  EXPECT_EQ(o.side_by_side_sure, 0.90);
  EXPECT_EQ(o.side_by_side_rival, 0.30);
  EXPECT_EQ(o.points_make_a_point_column, 2);
  EXPECT_EQ(o.label_column_failures, 3);
  EXPECT_EQ(o.wide_cell_aspect, 2);
  EXPECT_EQ(o.amount_digits, 3);
  EXPECT_EQ(o.number_column_share, 0.5);
  EXPECT_EQ(o.decimal_column_min, 3);
  EXPECT_EQ(o.decimal_column_share, 0.6);
  EXPECT_EQ(o.header_row_number_share, 0.3);
  EXPECT_EQ(o.header_number_digits, 2);
  EXPECT_EQ(o.header_label_slack, 0.1);
  ASSERT_EQ(o.rereads.size(), 3u);
  EXPECT_EQ(o.rereads[0].pad, 0.05);
  EXPECT_EQ(o.rereads[1].pad, 0.25);
  EXPECT_EQ(o.rereads[2].pad, 0.10);
  EXPECT_TRUE(o.rereads[2].single_word);
  EXPECT_EQ(o.width_per_character, 0.75);
  EXPECT_EQ(o.width_slack, 1.5);
  EXPECT_EQ(o.number_votes_to_agree, 2);
  EXPECT_EQ(o.vote_below_confidence, 0.8);
  EXPECT_EQ(o.label_similarity, 0.6);
  EXPECT_EQ(o.closest_similarity, 0.75);
  EXPECT_EQ(o.min_label_bytes, 6u);
  EXPECT_EQ(o.max_code_digits, 7u);
  EXPECT_EQ(o.title_similarity, 0.75);
}

TEST(PageReader, AColumnWhoseWideCellsFailThreeTimesBecomesALabelColumn) {
  const Page page(6, 2);
  FakeEngine engine(amounts_and_junk);
  const Outcome run = read(page, engine);
  // Three failures as numbers (rows 0-2), then the number engine is not asked again.
  EXPECT_EQ(calls(engine, 1, TextKind::Number), 3);
  EXPECT_EQ(calls(engine, 1, TextKind::Number, 3), 0);
  // The rows after go to chi_sim as labels; the first three keep the label reading already made.
  EXPECT_EQ(calls(engine, 1, TextKind::Label, 3), 3);
  EXPECT_EQ(calls(engine, 1, TextKind::Label), 6);
  // The amounts column read as numbers throughout.
  EXPECT_EQ(calls(engine, 0, TextKind::Number), 6);
  int amounts = 0, labels = 0;
  for (const core::Word& w : run.words) {
    amounts += w.text == "123.45";
    labels += w.text == "x";
  }
  EXPECT_EQ(amounts, 6);
  EXPECT_EQ(labels, 6);
}

TEST(PageReader, NarrowCellsThatFailDoNotMakeALabelColumn) {
  const Page page(6, 2, 50);  // bars 50 × 30: their ink is less than twice as wide as tall
  FakeEngine engine(amounts_and_junk);
  read(page, engine);
  EXPECT_EQ(calls(engine, 1, TextKind::Number), 6);
}

TEST(PageReader, AConfidentChineseReadingSettlesALabelWithoutTheNumberEngine) {
  const Page page(3, 2);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    if (column_of(box) == 1 && kind == TextKind::Label) return Reading{"合计", 0.95, {}};
    return amounts_and_junk(box, kind, s);
  });
  const Outcome run = read(page, engine);
  EXPECT_EQ(calls(engine, 1, TextKind::Number), 0);
  int labels = 0;  // in column 1 (column 0's bars have the same ink: the label memory recalls them)
  for (const core::Word& w : run.words)
    labels += w.text == "合计" && w.box.x0 > points(kLeft + kColumn);
  EXPECT_EQ(labels, 3);
}

TEST(PageReader, ANumberWithoutTheColumnsDecimalsIsReadAgainWithOtherSettings) {
  const Page page(4, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    if (row_of(box) == 3)
      return s.pad == 0.25 ? Reading{"543.21", 0.9, {}} : Reading{"54321", 0.9, {}};
    return Reading{"123.45", 0.95, {}};
  });
  const Outcome run = read(page, engine);
  std::vector<double> pads;
  for (const FakeEngine::Call& c : engine.calls)
    if (row_of(c.box) == 3 && c.kind == TextKind::Number) pads.push_back(c.settings.pad);
  // The first reading, then every view (the rereads, the binarization, the scaled crop): the one
  // that fits is not confirmed by a second.
  ASSERT_GE(pads.size(), 4u);
  EXPECT_EQ(std::vector<double>(pads.begin(), pads.begin() + 4),
            (std::vector<double>{-1, 0.05, 0.25, 0.10}));
  ASSERT_EQ(run.words.size(), 4u);
  EXPECT_EQ(run.words[3].text, "543.21");
}

TEST(PageReader, AMissingPointIsRestoredAtHalfConfidenceWhenRereadsFail) {
  const Page page(4, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings&) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    return row_of(box) == 3 ? Reading{"54321", 0.9, {}} : Reading{"123.45", 0.95, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 4u);
  EXPECT_EQ(run.words[3].text, "543.21");
  EXPECT_DOUBLE_EQ(run.words[3].confidence, 0.45);
  ASSERT_FALSE(run.words[3].alternatives.empty());
  EXPECT_EQ(run.words[3].alternatives.front().text, "54321");
}

TEST(PageReader, DigitsChiSimGarblesAreTheNumberEnginesDigits) {
  EXPECT_TRUE(detail::ones_as_bars("]1", "11"));
  EXPECT_FALSE(detail::ones_as_bars("]2", "11"));
  EXPECT_EQ(detail::number_inside("”600.00"), std::optional<std::string>("600.00"));
  EXPECT_EQ(detail::number_inside("合计"), std::nullopt);
}

TEST(PageReader, ANumbersFormIsCheckedAgainstTheNumberGrammar) {
  EXPECT_TRUE(detail::form_of("2,673.22").well_formed);
  EXPECT_TRUE(detail::form_of("-12,345,678").well_formed);
  EXPECT_TRUE(detail::form_of("(1,019.77)").well_formed);
  EXPECT_FALSE(detail::form_of("2,6073.22").well_formed);  // a digit read into a group
  EXPECT_FALSE(detail::form_of("1,9.77").well_formed);
  EXPECT_FALSE(detail::form_of("1.019.77").well_formed);
  EXPECT_FALSE(detail::form_of("12.").well_formed);
  const detail::NumberForm f = detail::form_of("2,673.22");
  EXPECT_EQ(f.decimals, 2);
  EXPECT_EQ(f.whole_digits, 4);
  EXPECT_TRUE(f.grouped);
  EXPECT_EQ(detail::in_column_form("1.019.77", 2, true), std::optional<std::string>("1,019.77"));
  EXPECT_EQ(detail::in_column_form("302.865", 0, true), std::optional<std::string>("302,865"));
  EXPECT_EQ(detail::in_column_form("-1234.5", 1, false), std::optional<std::string>("-1234.5"));
  EXPECT_EQ(detail::in_column_form("7", 2, true), std::nullopt);  // too few digits
  EXPECT_EQ(detail::in_column_form("7a3", 0, true), std::nullopt);
  const std::optional<detail::Misgrouped> m = detail::misgrouped("2,6073.22");
  ASSERT_TRUE(m.has_value());
  EXPECT_EQ(m->digits, "26073.22");
  EXPECT_EQ(m->one_dropped,
            (std::vector<std::string>{"2,073.22", "2,673.22", "2,603.22", "2,607.22"}));
  EXPECT_FALSE(detail::misgrouped("2,673.22").has_value());  // well grouped
  EXPECT_FALSE(detail::misgrouped("2,6a73.22").has_value());
  EXPECT_EQ(detail::misgrouped("26,73.22")->digits, "2673.22");
  EXPECT_TRUE(detail::is_column_formula("5=6+7"));
  EXPECT_TRUE(detail::is_column_formula("1=2+3+4"));
  EXPECT_TRUE(detail::is_column_formula("7＝2＋4"));
  EXPECT_TRUE(detail::is_column_formula("3=1-2"));
  EXPECT_FALSE(detail::is_column_formula("6143"));
  EXPECT_FALSE(detail::is_column_formula("5=6"));
  EXPECT_FALSE(detail::is_column_formula("=6+7"));
  EXPECT_FALSE(detail::is_column_formula("5=6+"));
  EXPECT_FALSE(detail::is_column_formula("a=1+2"));
}

// Rows 0-3 print grouped two-decimal amounts; row 4's first reading lost its comma and a digit.
TEST(PageReader, ANumberOutOfItsColumnsFormIsReadAgainUntilOneFits) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    if (row_of(box) == 4)
      return s.pad == 0.25 ? Reading{"2,673.22", 0.9, {}} : Reading{"2073.22", 0.9, {}};
    return Reading{"1,234.56", 0.95, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  EXPECT_EQ(run.words[4].text, "2,673.22");
}

// Row 4's first reading does not fit its column; the first reread that fits ("2,678.22") is one
// view only, and two later views agree on another reading: the views vote, the agreement wins, and
// the lone reading stays as an alternative.
TEST(PageReader, ADoubtfulNumberIsReadFromSeveralViewsAndTheViewsVote) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    if (row_of(box) != 4) return Reading{"1,234.56", 0.95, {}};
    if (s.pad == 0.05) return Reading{"2,678.22", 0.9, {}};
    if (s.pad == 0.25 || s.single_word) return Reading{"2,673.22", 0.8, {}};
    return Reading{"2073.22", 0.9, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  EXPECT_EQ(run.words[4].text, "2,673.22");
  EXPECT_DOUBLE_EQ(run.words[4].confidence, 0.8);
  ASSERT_FALSE(run.words[4].alternatives.empty());
  EXPECT_EQ(run.words[4].alternatives.front().text, "2,678.22");
}

// A number the column takes, read with little confidence: two other views agreeing replace it; a
// confident one is not read again.
TEST(PageReader, ANumberReadWithLittleConfidenceIsReplacedWhenOtherViewsAgree) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    if (row_of(box) != 4) return Reading{"1,234.56", 0.95, {}};
    if (s.pad >= 0) return Reading{"2,673.22", 0.85, {}};
    return Reading{"2,678.22", 0.65, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  EXPECT_EQ(run.words[4].text, "2,673.22");
  for (const FakeEngine::Call& c : engine.calls)
    EXPECT_TRUE(row_of(c.box) == 4 || c.settings.pad < 0);  // the sure rows read once
}

TEST(PageReader, ANumberNoRereadFitsKeepsItsReadingAtHalfConfidence) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings&) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    return row_of(box) == 4 ? Reading{"2,673.2", 0.9, {}} : Reading{"1,234.56", 0.95, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  EXPECT_EQ(run.words[4].text, "2,673.2");
  EXPECT_DOUBLE_EQ(run.words[4].confidence, 0.45);
}

// "2,6073.22" is no clean number (no amount parser takes it): when no reread fits, its digits are
// taken at half confidence in the column's groups, the readings with a digit of the long group
// dropped its alternatives for the reconciler.
TEST(PageReader, AMisgroupedNumberIsALowConfidenceCandidateWithItsShorterReadings) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings&) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    return row_of(box) == 4 ? Reading{"2,6073.22", 0.9, {}} : Reading{"1,234.56", 0.95, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  const core::Word& w = run.words[4];
  EXPECT_EQ(w.text, "26,073.22");
  EXPECT_DOUBLE_EQ(w.confidence, 0.45);
  std::vector<std::string> alternatives;
  for (const core::Alternative& a : w.alternatives) alternatives.push_back(a.text);
  EXPECT_NE(std::find(alternatives.begin(), alternatives.end(), "2,673.22"), alternatives.end());
  EXPECT_NE(std::find(alternatives.begin(), alternatives.end(), "2,6073.22"), alternatives.end());
}

TEST(PageReader, PointsAndCommasAloneOutOfPlaceAreMendedIntoTheColumnsForm) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings&) {
    if (kind != TextKind::Number) return Reading{"", 0, {}};
    return row_of(box) == 4 ? Reading{"302.865", 0.9, {}} : Reading{"12,345", 0.95, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  EXPECT_EQ(run.words[4].text, "302,865");
  EXPECT_DOUBLE_EQ(run.words[4].confidence, 0.45);
  ASSERT_FALSE(run.words[4].alternatives.empty());
  EXPECT_EQ(run.words[4].alternatives.front().text, "302.865");
}

// Row 3's number cell reads as nothing to the number engine and as Chinese to chi_sim.
Reading chinese_in_row_3(const PixelBox& box, TextKind kind, const Engine::Settings& s,
                         bool a_reread_reads) {
  if (row_of(box) != 3)
    return kind == TextKind::Number ? Reading{"123.45", 0.95, {}} : Reading{"", 0, {}};
  if (kind == TextKind::Label) return Reading{"到23", 0.7, {}};
  return a_reread_reads && s.pad == 0.25 ? Reading{"7.23", 0.4, {}} : Reading{"", 0, {}};
}

TEST(PageReader, ANumberCellNeverKeepsChineseItIsReadAgainAsANumber) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    return chinese_in_row_3(box, kind, s, true);
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 5u);
  EXPECT_EQ(run.words[3].text, "7.23");
  EXPECT_LE(run.words[3].confidence, ReaderOptions{}.number_confidence / 2);
  for (const core::Word& w : run.words) EXPECT_FALSE(detail::has_cjk(w.text)) << w.text;
}

TEST(PageReader, ANumberCellNoEngineReadsAsANumberIsLeftEmptyWithAWarning) {
  const Page page(5, 1);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    return chinese_in_row_3(box, kind, s, false);
  });
  const Outcome run = read(page, engine);
  EXPECT_EQ(run.words.size(), 4u);
  for (const core::Word& w : run.words) EXPECT_FALSE(detail::has_cjk(w.text)) << w.text;
  ASSERT_EQ(run.diagnostics.size(), 1u);
  EXPECT_EQ(run.diagnostics[0].code, "number_unread");
}

// A bold minus sign touching its first digit: a level bar, then a digit-tall stroke, one part.
TEST(PageReader, AMinusSignTouchingItsDigitIsAMinusSign) {
  const int width = 60, height = 40;
  core::Raster r{width, height, kDpi,
                 std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)};
  const auto ink = [&](int x0, int y0, int x1, int y1) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) r.pixels[static_cast<std::size_t>(y * width + x)] = 0;
  };
  ink(10, 30, 40, 33);  // a rule's remnant low in the crop is no minus sign
  EXPECT_FALSE(detail::starts_with_dash(r, {0, 0, width, height}));
  std::fill(r.pixels.begin(), r.pixels.end(), 255);
  ink(5, 18, 17, 22);  // the bar
  ink(17, 5, 25, 35);  // the digit's stem, touching it
  EXPECT_TRUE(detail::starts_with_dash(r, {0, 0, width, height}));
  std::fill(r.pixels.begin(), r.pixels.end(), 255);
  ink(5, 5, 25, 35);  // a digit alone
  EXPECT_FALSE(detail::starts_with_dash(r, {0, 0, width, height}));
}

// A 栏次 row's stated formula: chi_sim reads "6=1+3", the number engine (no '=' or '+') "6143".
TEST(PageReader, AColumnsStatedFormulaKeepsChiSimsReading) {
  const Page page(1, 1);
  FakeEngine engine([](const PixelBox&, TextKind kind, const Engine::Settings&) {
    return kind == TextKind::Number ? Reading{"6143", 0.95, {}} : Reading{"6=1+3", 0.6, {}};
  });
  const Outcome run = read(page, engine);
  ASSERT_EQ(run.words.size(), 1u);
  EXPECT_EQ(run.words[0].text, "6=1+3");
}

// A column of labels keeps its Chinese: the rule is for columns of numbers only.
TEST(PageReader, LabelsInALabelColumnKeepTheirChinese) {
  const Page page(5, 2);
  FakeEngine engine([](const PixelBox& box, TextKind kind, const Engine::Settings& s) {
    if (column_of(box) == 1 && kind == TextKind::Label) return Reading{"行政运行", 0.7, {}};
    return amounts_and_junk(box, kind, s);
  });
  const Outcome run = read(page, engine);
  int labels = 0;
  for (const core::Word& w : run.words) labels += w.text == "行政运行";
  EXPECT_EQ(labels, 5);
  EXPECT_TRUE(run.diagnostics.empty());
}

}  // namespace tally::ocr
