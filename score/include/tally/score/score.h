// score/: measures Tally's output against ground truth.
//
// Two scorers live here.
//
// 1. The corpus scorer compares Tally's JSON (the contract of issue 2: tables of cells with
//    row/col/spans, `text`, `value` and `read`) with the truth files of fixtures/truth/ (format in
//    fixtures/truth/README.md). For each document it counts:
//    - detection: truth tables found, with the right printed number and title; tables split in
//      pieces or merged into another; predicted tables that match nothing;
//    - numbers: over every non-empty truth cell of an amount column, how often the predicted
//      `value` (final) and `read` (as first read) equal it exactly; predicted non-zero values in
//      cells printed blank; values in predicted rows that the truth does not have;
//    - labels: character accuracy over label and text columns (1 - edit distance / length, each
//      cell's distance capped at its length);
//    - codes: exact match of each row's classification code, whether printed in one column or
//      three (类/款/项), on either side;
//    - structure: tables with the right row, column and header-row counts; body rows found;
//      predicted body rows that the truth does not have; spanned header cells with the right
//      position and spans; header cells with the right position, spans and text.
//    Truth tables and predicted tables are paired by printed number, title and content; within a
//    pair, columns are aligned by content (allowing one code column against three) and body rows
//    by sequence alignment on their content, so a missing or extra row costs that row only.
//
// 2. The ICDAR 2013 Table Competition scorer (Göbel, Hassan, Oro, Orsi, ICDAR 2013) compares
//    Tally's JSON for each competition PDF with the official *-reg.xml and *-str.xml:
//    - table regions: a ground-truth region and a predicted region are compared by the PDF's
//      characters whose centres fall inside them; a region is complete when the prediction holds
//      all of its characters, pure when the prediction holds no other character;
//    - structure: adjacency relations between non-blank cells (each cell's nearest non-blank
//      neighbour to the right and below, with the number of blank cells between), compared by
//      normalized text: precision, recall and F1, per document and pooled.
//    This follows the competition's evaluator (tamirhassan/dataset-tools). Since Tally finds the
//    tables itself, the figures are those of the competition's "complete process" task.
//
// Every function here is pure computation or file reading: nothing prints, nothing aborts.
// Unreadable or malformed inputs throw core::Error with a sentence naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tally::score {

// ---------------------------------------------------------------------------------------------
// Corpus scoring

// Counts for one table, one document, one variant or the whole corpus; they add up.
// Rates are derived from them (see the rate functions below), never stored.
struct Counts {
  // Detection.
  std::int64_t tables_expected = 0;
  std::int64_t tables_found = 0;         // truth tables paired with a predicted table
  std::int64_t tables_number_right = 0;  // paired, and the printed number agrees (null = null)
  std::int64_t tables_title_right = 0;   // paired, and the title agrees (spaces ignored)
  std::int64_t tables_split = 0;         // truth tables found in two or more predicted pieces
  std::int64_t tables_merged = 0;        // truth tables found only inside another table's rows
  std::int64_t tables_extra = 0;         // predicted tables that match no truth table

  // Numbers, over body cells of amount columns.
  std::int64_t values_expected = 0;  // non-empty truth cells
  std::int64_t values_exact = 0;     // predicted `value` equals the truth
  std::int64_t reads_exact = 0;      // predicted `read` equals the truth
  std::int64_t empty_expected = 0;   // truth cells printed blank
  std::int64_t false_values = 0;     // ... where the prediction has a non-zero value
  std::int64_t extra_values = 0;     // non-zero values in predicted rows the truth lacks
  std::int64_t value_fallbacks = 0;  // predicted cells without `value`/`read`, text used instead

  // Labels, over body cells of label and text columns, in code points.
  std::int64_t label_chars = 0;
  std::int64_t label_errors = 0;
  // Labels the dictionary replaced (a `label_corrected` diagnostic), and of those the ones that
  // turned a right reading into a wrong one and a wrong one into the right one.
  std::int64_t label_corrections = 0;
  std::int64_t corrections_right_to_wrong = 0;
  std::int64_t corrections_wrong_to_right = 0;

  // Codes, over body rows.
  std::int64_t codes_expected = 0;  // truth rows with a code
  std::int64_t codes_exact = 0;
  std::int64_t false_codes = 0;  // predicted codes on rows whose truth has none

  // Structure.
  std::int64_t tables_rows_right = 0;         // paired tables with the right n_rows
  std::int64_t tables_cols_right = 0;         // ... the right n_cols
  std::int64_t tables_header_rows_right = 0;  // ... the right header_rows
  std::int64_t body_rows_expected = 0;
  std::int64_t body_rows_found = 0;  // truth body rows aligned with a predicted row
  std::int64_t extra_rows = 0;       // non-blank predicted body rows aligned with no truth row
  // Truth body rows found whose code (when the truth has one) and every label cell are exact.
  std::int64_t rows_exact = 0;
  std::int64_t spanned_cells_expected = 0;  // truth header cells with rowspan or colspan > 1
  std::int64_t spanned_cells_right = 0;     // ... found with the same position and spans
  std::int64_t header_cells_expected = 0;
  std::int64_t header_cells_right = 0;  // same position, spans and text (spaces ignored)

  Counts& operator+=(const Counts& other);
};

// Share `part / whole`, or nullopt when whole is 0.
std::optional<double> ratio(std::int64_t part, std::int64_t whole);
// 1 - label_errors / label_chars, or nullopt without labels.
std::optional<double> label_accuracy(const Counts& counts);

struct TableScore {
  std::optional<int> number;  // the truth table's printed number
  std::string title;          // the truth table's title
  bool found = false;
  int predicted_index = -1;  // index in the prediction's `tables` of the main piece, -1 if none
  Counts counts;
};

struct DocumentScore {
  std::string id;          // truth id (file stem of the truth file)
  std::string variant;     // prediction variant ("born", "scan300", …); "" for a single pair
  std::string prediction;  // file name of the prediction; "" when it is missing
  bool prediction_missing = false;  // scored as if Tally had found no table
  Counts counts;
  std::vector<TableScore> tables;  // one per truth table, in truth order
};

struct VariantScore {
  std::string variant;
  int documents = 0;
  int predictions_missing = 0;
  Counts counts;
};

// Figures of one part of a corpus made with a manifest (scripts/make-corpus.sh writes
// manifest.tsv beside truth/): the documents of one split (dev or heldout, fixtures/SPLIT.md)
// grouped by one manifest column: `variant` (the base variant: born, scan200, …), `font`,
// `layout` (cairo, libreoffice), or `all`.
struct GroupScore {
  std::string split;  // "dev" | "heldout"
  std::string by;     // "all" | "variant" | "font" | "layout"
  std::string name;   // the column's value ("" for all)
  int documents = 0;
  Counts counts;
};

struct CorpusScore {
  std::vector<DocumentScore> documents;  // sorted by variant, then id
  std::vector<VariantScore> variants;    // sorted by variant
  Counts overall;
  // Only when the corpus has a manifest.tsv: every figure per split, by variant, font and
  // layout path. A manifest without a `split` column puts every document in dev; without
  // `base_variant` the group is the file's variant, without `layout` it is cairo.
  std::vector<GroupScore> groups;
};

// Scores one prediction against one truth, both given as JSON text. `prediction_name` and
// `truth_name` name the inputs in error messages.
DocumentScore score_document_json(std::string_view prediction_json, std::string_view truth_json,
                                  const std::string& prediction_name = "prediction",
                                  const std::string& truth_name = "truth");

// The same for two files: `tally score PRED.json TRUTH.json`.
DocumentScore score_document_files(const std::filesystem::path& prediction,
                                   const std::filesystem::path& truth);

// Scores a directory of predictions against a directory of truth files:
// `tally score PRED_DIR TRUTH_DIR`. A prediction `<id>.<variant>.json` is scored against
// `<id>.json` (`<id>.json` alone is variant "default"). For each variant seen, every truth
// document without a prediction is scored as an empty prediction and marked missing, so a crash
// that wrote nothing lowers the figures. Predictions whose id has no truth are an error.
CorpusScore score_corpus(const std::filesystem::path& prediction_dir,
                         const std::filesystem::path& truth_dir);

// A fixed-width text report: one line per document, per variant and overall.
std::string format_corpus_text(const CorpusScore& score);
// Machine-readable report with stable keys (documented in score/README.md).
std::string format_corpus_json(const CorpusScore& score);

// ---------------------------------------------------------------------------------------------
// ICDAR 2013

struct IcdarCounts {
  // Table regions (a table split across pages has one region per page).
  std::int64_t regions_expected = 0;
  std::int64_t regions_detected = 0;  // paired with a predicted region sharing characters
  std::int64_t regions_complete = 0;
  std::int64_t regions_pure = 0;
  std::int64_t regions_false = 0;    // predicted regions paired with none
  std::int64_t chars_expected = 0;   // characters in ground-truth regions
  std::int64_t chars_predicted = 0;  // characters in predicted regions, paired or not
  std::int64_t chars_correct = 0;    // characters in a ground-truth region and its pair

  // Structure.
  std::int64_t tables_expected = 0;
  std::int64_t tables_matched = 0;  // paired with a predicted table on the same page
  std::int64_t tables_false = 0;    // predicted tables paired with none
  std::int64_t relations_expected = 0;
  std::int64_t relations_predicted = 0;  // of every predicted table, paired or not
  std::int64_t relations_correct = 0;

  IcdarCounts& operator+=(const IcdarCounts& other);
};

struct PrecisionRecall {
  double precision = 0, recall = 0, f1 = 0;
};
// From counts; 0 where a denominator is 0.
PrecisionRecall region_measures(const IcdarCounts& counts);
PrecisionRecall structure_measures(const IcdarCounts& counts);

struct IcdarDocumentScore {
  std::string name;        // ground-truth stem, e.g. "eu-009b"
  std::string pdf;         // the PDF it describes, e.g. "eu-009a.pdf"
  std::string prediction;  // prediction file name, "" when missing
  bool prediction_missing = false;
  bool alternative = false;  // another ground truth of the same PDF scored better (not counted)
  IcdarCounts counts;
};

struct IcdarScore {
  std::vector<IcdarDocumentScore> documents;
  IcdarCounts pooled;              // sums over counted documents
  PrecisionRecall region_mean;     // mean over counted documents of per-document measures
  PrecisionRecall structure_mean;  // likewise
  int documents_counted = 0;
};

// Scores `<prediction_dir>/<stem>.json` (Tally's JSON for `<stem>.pdf`) against every
// `<icdar_dir>/<name>-str.xml` and `<name>-reg.xml`, reading characters from
// `<icdar_dir>/<stem>.pdf`. A ground truth without its own PDF (eu-009b) is another reading of
// the PDF whose name differs only in the last letter (eu-009a.pdf); of such alternatives the one
// with the better structure F1 is counted.
IcdarScore score_icdar(const std::filesystem::path& prediction_dir,
                       const std::filesystem::path& icdar_dir);

// Results other tools published on this dataset, kept as data with their sources
// (score/data/icdar2013_published.json).
struct PublishedResult {
  std::string system;
  std::string task;     // "region", "structure" or "complete"
  std::string dataset;  // e.g. "competition (EU+US, 67 PDFs)"
  std::optional<double> precision, recall, f1;
  std::string source;    // citation with table and page
  bool checked = false;  // read in the source while compiling the data; false: recalled, verify
  std::string note;      // how the figure was obtained
};
std::vector<PublishedResult> published_icdar_results();

std::string format_icdar_text(const IcdarScore& score);
std::string format_icdar_json(const IcdarScore& score);

// ---------------------------------------------------------------------------------------------
// Building blocks, public for tests and for tools that score other outputs.

// Levenshtein distance between two strings, in code points.
std::size_t edit_distance(std::u32string_view a, std::u32string_view b);

// One cell of an ICDAR structure: inclusive row and column ranges and its text.
struct IcdarCell {
  int start_row = 0, end_row = 0, start_col = 0, end_col = 0;
  std::string text;
};

// An adjacency relation: `from` has `to` as nearest non-blank neighbour to the right
// (horizontal) or below, with `blanks` blank grid positions between. Texts are normalized as the
// competition's evaluator does (whitespace removed, upper case).
struct AdjacencyRelation {
  std::string from, to;
  bool horizontal = true;
  int blanks = 0;
  friend bool operator==(const AdjacencyRelation&, const AdjacencyRelation&) = default;
};

// The adjacency relations of one table, in the evaluator's order (row by row looking right,
// then column by column looking down), each pair of cells once. Cells whose normalized text is
// empty are blank.
std::vector<AdjacencyRelation> adjacency_relations(const std::vector<IcdarCell>& cells);

// The number of relations two lists share (as multisets).
std::int64_t common_relations(const std::vector<AdjacencyRelation>& expected,
                              const std::vector<AdjacencyRelation>& predicted);

}  // namespace tally::score
