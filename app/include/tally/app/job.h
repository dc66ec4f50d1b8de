// app/: the job. Runs the pipeline's named steps over one document, and the batch over many.
//
//   open_document → judge_text_layer → render_pages → find_tables → read_untrusted_pages →
//   join_tables → read_metadata → understand_tables → check_identities → repair_misreads
//
// Outputs are written by write_outputs(); the CLI only parses arguments and calls these.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tally/core/model.h"
#include "tally/ocr/page_reader.h"

namespace tally::app {

enum class OcrMode { Auto, Always, Never };

struct PageRange {
  int first = 1, last = 1;  // inclusive, 1-based
};

struct JobOptions {
  std::optional<PageRange> pages;  // all pages when absent
  double dpi = 100;                // resolution for finding rulings on born-digital pages
  double ocr_dpi = 300;            // resolution for pages read by OCR
  std::string password;
  OcrMode ocr = OcrMode::Auto;
  int jobs = 1;        // worker threads for pages
  bool repair = true;  // reconcile: repair misreads (checks always run)
  std::filesystem::path templates_dir = "templates";
  std::filesystem::path tessdata_dir;  // empty: Tesseract's default
  std::int64_t max_bytes = std::int64_t{1}
                           << 30;  // 1 GiB: disclosures are a few MB; a 2 GB file fails fast
  double max_page_points = 14400;
  ocr::ReaderOptions reader;  // how pages read by OCR decide (defaults measured)
  // What the OCR path collects besides its words (the CLI switches it on), and who receives it:
  // called once per page read by OCR, in page order, after the document's pages are read.
  ocr::TraceSwitches trace;
  std::function<void(const ocr::PageTrace&)> on_page_trace;
};

// Parses "3-7", "5" or "3-" (to the end; `last` is then 0). Throws core::Error(Usage) otherwise.
PageRange page_range_from_text(const std::string& text);

// Runs every step over `pdf`. Throws core::Error for a document that cannot be read at all;
// anything else that goes wrong inside the document becomes a Diagnostic.
core::Document run_document(const std::filesystem::path& pdf, const JobOptions& options);

enum class OutputFormat { Json, Csv, CsvExcel, Xlsx };  // CsvExcel: CSV with BOM and CRLF (Excel)

// Writes OUTDIR/<stem>.json, OUTDIR/<stem>/table-NN.csv and OUTDIR/<stem>.xlsx, each atomically
// (temp file + rename).
// Throws core::Error(OutputUnwritable) naming the path when it cannot write.
void write_outputs(const core::Document& document, const std::filesystem::path& outdir,
                   const std::string& stem, const std::vector<OutputFormat>& formats);

// One line per table for the terminal: "表 3 部门支出总体情况表  pages 5–6  25×7  checks 40 held".
std::vector<std::string> summarize_tables(const core::Document& document);

}  // namespace tally::app
