// app/: the batch. Runs run_document() over many PDFs, documents in parallel, writes each one's
// outputs, a ledger of what is done (for --resume) and the corpus database.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tally/app/job.h"

namespace tally::app {

struct BatchInput {
  std::filesystem::path path;  // the file to open
  std::string name;            // as the batch names it: relative to the input folder, or as listed
  std::string stem;            // outputs go to OUTDIR/<stem>.json, .xlsx, .html and OUTDIR/<stem>/
  std::string sha256;  // the content's hash when already known (sharding hashes every input)
};

// Every *.pdf under a folder (recursive, sorted), or every path listed in a manifest (one per line,
// blank lines and lines starting with '#' ignored, relative paths against the manifest's folder),
// or a single PDF. Files under `skip` (the output folder) are left out.
// Throws core::Error(NotFound) for a missing input, core::Error(Usage) for an empty one.
std::vector<BatchInput> list_batch_inputs(const std::filesystem::path& input,
                                          const std::filesystem::path& skip = {});

enum class BatchFormat { Json, Csv, CsvExcel, Xlsx, Sqlite, Html };

// Parses "json,csv,csv-excel,xlsx,sqlite,html" (any subset). Throws core::Error(Usage) naming an
// unknown one.
std::vector<BatchFormat> batch_formats_from_text(const std::string& text);

// Limits of one document's child process. A scanned disclosure of 300 pages takes ~5 min and
// ~1 GiB of address space at 300 dpi (pages are read one at a time); the limits are several times
// that, so only a runaway document meets them.
inline constexpr std::int64_t kDefaultMemoryLimit = std::int64_t{4} << 30;  // RLIMIT_AS, bytes
inline constexpr double kDefaultTimeLimit = 3600;                           // wall clock, seconds

// Whether a child's memory limit is applied. Not in sanitizer builds (scripts/sanitize.sh): ASan
// and TSan reserve terabytes of shadow address space as the process starts, so under any RLIMIT_AS
// their next mapping fails ("Failed to mmap") and every document would die.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)  // GCC
inline constexpr bool kMemoryLimitApplies = false;
#elif defined(__has_feature)  // Clang
inline constexpr bool kMemoryLimitApplies =
    !(__has_feature(address_sanitizer) || __has_feature(thread_sanitizer));
#else
inline constexpr bool kMemoryLimitApplies = true;
#endif

struct BatchOptions {
  JobOptions job;  // per document; job.jobs is forced to 1 (documents run in parallel instead)
  // Each document is read by a child process, `WORKER batch-worker` (tally itself:
  // "/proc/self/exe"), under the limits below: a crash, a kill or a limit becomes that document's
  // error record and the batch goes on, and this process's memory stays flat. Empty: documents are
  // read by threads of this process (no isolation).
  std::filesystem::path worker;
  std::int64_t memory_limit = kDefaultMemoryLimit;  // per child, bytes of address space; 0: none
  double time_limit = kDefaultTimeLimit;            // per child, seconds; 0: none
  // Where the corpus goes: empty for OUTDIR/tally.sqlite (when the sqlite format is asked for), or
  // a postgresql:// URL (written whatever the formats).
  std::string database;
  bool allow_mixed_versions =
      false;            // --resume into a ledger written by another version or options
  int jobs = 1;         // documents in parallel
  bool resume = false;  // skip documents the ledger records as done (same content hash)
  std::vector<BatchFormat> formats = {BatchFormat::Json, BatchFormat::Csv, BatchFormat::Xlsx,
                                      BatchFormat::Sqlite, BatchFormat::Html};
  double report_dpi = 60;  // page images in the HTML report
  // When set and it turns true (Ctrl-C), no further document is started; those running finish.
  const std::atomic<bool>* stop = nullptr;
};

// The ledger file in OUTDIR (JSON lines, appended as documents start and finish) and the corpus
// database.
inline constexpr const char* kLedgerName = "tally-ledger.jsonl";
inline constexpr const char* kDatabaseName = "tally.sqlite";

struct BatchRecord {
  std::string name;
  std::string sha256;      // empty when the file was never read (missing, too large)
  std::string status;      // done | error | skipped; in the ledger also `started` while being read
  std::string error_code;  // core::to_string(ErrorCode) for errors
  std::string message;     // the one-line error
  int tables = 0, checks_held = 0, checks_repaired = 0, checks_broken = 0;
  double seconds = 0;
  int attempts = 0;  // `started` records: runs that began this document and never finished it
  core::Producer producer;  // what read it (done records)
};

// OUTDIR's ledger as it stands: the last record of each document name. Empty when there is none.
std::map<std::string, BatchRecord> read_batch_ledger(const std::filesystem::path& outdir);

// A document whose reading brought down this many runs (a crash, an out-of-memory kill) is not
// tried again by --resume: it becomes an error record.
inline constexpr int kMaxAttempts = 2;

struct BatchProgress {
  std::size_t total = 0, finished = 0, skipped = 0,
              failed = 0;  // finished counts skipped and failed
  std::size_t running = 0;
  double elapsed_seconds = 0;
  std::string last;  // name of the last document finished
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
                       const BatchOptions& options,
                       const std::function<void(const BatchProgress&)>& progress = {});

// Reads one document for a parent batch: the child's side of BatchOptions::worker. `request` is
// what the parent passes on the child's stdin (JSON); the record (JSON) is written to file
// descriptor `result_fd`.
// Returns the process exit code (0 once a record is written, whatever the document's status).
int run_batch_worker(const std::string& request, int result_fd);

// A deterministic share of the inputs: shard `index` of `count` (0 ≤ index < count).
struct Shard {
  int index = 0, count = 1;
};

// Parses "K/N" (0 ≤ K < N). Throws core::Error(Usage).
Shard shard_from_text(const std::string& text);

// The shard a scheduler gives this process, when it gives one: a Slurm array task
// (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT) or a Kubernetes indexed
// job (JOB_COMPLETION_INDEX of TALLY_SHARD_COUNT). `getenv` is the environment to read.
std::optional<Shard> shard_from_environment(const std::function<const char*(const char*)>& getenv);

// The inputs of one shard, by content (SHA-256), so a renamed copy lands in the same shard; an
// input that cannot be read, or larger than `max_bytes`, goes by its name. Fills
// BatchInput::sha256.
std::vector<BatchInput> inputs_of_shard(std::vector<BatchInput> inputs, Shard shard,
                                        std::int64_t max_bytes);

// The output folder of a shard inside OUTDIR: "shard-03-of-16" (zero-padded so they sort).
std::string shard_folder_name(Shard shard);

struct MergeSummary {
  std::size_t folders = 0;    // batch output folders merged
  std::size_t documents = 0;  // documents in the merged database afterwards
  std::size_t records = 0;    // records in the merged ledger afterwards
};

// `tally merge`: unions the corpus databases (tally.sqlite) and ledgers of batch output folders
// (the shards of one run) into `into`. A document read by two shards appears once (by content);
// merging again changes nothing. Throws core::Error(NotFound) for a folder that is no batch
// output, core::Error(OutputUnwritable) when `into` cannot be written.
MergeSummary merge_batches(const std::vector<std::filesystem::path>& folders,
                           const std::filesystem::path& into);

// The exit code for a finished batch (exit_codes.h): interrupted first, then input failures, then
// output, then identities the source breaks.
int batch_exit_code(const BatchSummary& summary);

// "12 documents (10 read, 1 skipped as already done, 1 failed); 96 tables; checks: 480 held, 3
// repaired, 2 broken; 0.8 min, 12.5 documents/min".
std::string summarize_batch(const BatchSummary& summary);

}  // namespace tally::app
