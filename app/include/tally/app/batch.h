// app/: the batch. Runs run_document() over many PDFs, documents in parallel, writes each one's
// outputs, a ledger of what is done (for --resume) and the corpus database.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "tally/app/job.h"

namespace tally::app {

struct BatchInput {
  std::filesystem::path path;  // the file to open
  std::string name;            // as the batch names it: relative to the input folder, or as listed
  std::string stem;            // outputs go to OUTDIR/<stem>.json, .xlsx, .html and OUTDIR/<stem>/
};

// Every *.pdf under a folder (recursive, sorted), or every path listed in a manifest (one per line,
// blank lines and lines starting with '#' ignored, relative paths against the manifest's folder),
// or a single PDF. Files under `skip` (the output folder) are left out.
// Throws core::Error(NotFound) for a missing input, core::Error(Usage) for an empty one.
std::vector<BatchInput> list_batch_inputs(const std::filesystem::path& input, const std::filesystem::path& skip = {});

enum class BatchFormat { Json, Csv, CsvExcel, Xlsx, Sqlite, Html };

// Parses "json,csv,csv-excel,xlsx,sqlite,html" (any subset). Throws core::Error(Usage) naming an unknown one.
std::vector<BatchFormat> batch_formats_from_text(const std::string& text);

struct BatchOptions {
  JobOptions job;       // per document; job.jobs is forced to 1 (documents run in parallel instead)
  int jobs = 1;         // documents in parallel
  bool resume = false;  // skip documents the ledger records as done (same content hash)
  std::vector<BatchFormat> formats = {BatchFormat::Json, BatchFormat::Csv, BatchFormat::Xlsx, BatchFormat::Sqlite,
                                      BatchFormat::Html};
  double report_dpi = 60;  // page images in the HTML report
  // When set and it turns true (Ctrl-C), no further document is started; those running finish.
  const std::atomic<bool>* stop = nullptr;
};

// The ledger file in OUTDIR and the corpus database.
inline constexpr const char* kLedgerName = "tally-ledger.json";
inline constexpr const char* kDatabaseName = "tally.sqlite";

struct BatchRecord {
  std::string name;
  std::string sha256;       // empty when the file was never read (missing, too large)
  std::string status;       // done | error | skipped; in the ledger also `started` while being read
  std::string error_code;   // core::to_string(ErrorCode) for errors
  std::string message;      // the one-line error
  int tables = 0, checks_held = 0, checks_repaired = 0, checks_broken = 0;
  double seconds = 0;
  int attempts = 0;         // `started` records: runs that began this document and never finished it
};

// A document whose reading brought down this many runs (a crash, an out-of-memory kill) is not
// tried again by --resume: it becomes an error record.
inline constexpr int kMaxAttempts = 2;

struct BatchProgress {
  std::size_t total = 0, finished = 0, skipped = 0, failed = 0;  // finished counts skipped and failed
  std::size_t running = 0;
  double elapsed_seconds = 0;
  std::string last;   // name of the last document finished
  bool final = false;
};

struct BatchSummary {
  std::size_t documents = 0, read = 0, skipped = 0, failed = 0;
  int tables = 0, checks_held = 0, checks_repaired = 0, checks_broken = 0;
  double seconds = 0;
  std::vector<BatchRecord> errors;  // the documents that failed, in input order
  bool output_failed = false;       // some output could not be written
  std::size_t not_started = 0;      // documents left when `stop` turned true
};

// Runs the batch. `progress` is called from the calling thread about twice a second and once at the
// end (final = true). A document that cannot be read becomes an error record (ledger, database) and
// the batch goes on. Throws core::Error(OutputUnwritable) when OUTDIR itself cannot be written.
BatchSummary run_batch(const std::vector<BatchInput>& inputs, const std::filesystem::path& outdir,
                       const BatchOptions& options, const std::function<void(const BatchProgress&)>& progress = {});

// The exit code for a finished batch (exit_codes.h): interrupted first, then input failures, then
// output, then identities the source breaks.
int batch_exit_code(const BatchSummary& summary);

// "12 documents (10 read, 1 skipped as already done, 1 failed); 96 tables; checks: 480 held, 3 repaired,
// 2 broken; 0.8 min, 12.5 documents/min".
std::string summarize_batch(const BatchSummary& summary);

}  // namespace tally::app
