// app/: the pieces of the batch shared by the parent (batch.cpp) and a document's child process
// (batch_worker.cpp).
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "tally/app/batch.h"
#include "tally/export/export.h"

namespace tally::app::detail {

nlohmann::json json_of(const BatchRecord& record);
BatchRecord record_of(const nlohmann::json& json);

// Writes all of `text` to `fd` (retrying short writes); false on an error (errno says which).
bool write_all(int fd, const std::string& text);

// The ledger, OUTDIR/tally-ledger.jsonl: one JSON record a line, appended and synced to disk as a
// document starts and as it finishes; a later line of one name supersedes the earlier ones. The
// parent's work and memory per document stay constant (the ledger was once a JSON file rewritten
// whole after every document: 11 KiB of parent memory per document over 1,000 documents).
class LedgerWriter {
 public:
  // Opens (creates) the ledger for appending; ends a torn last line (a run killed while writing
  // it) so the next record starts on its own line. Throws core::Error(OutputUnwritable).
  explicit LedgerWriter(std::filesystem::path path);
  ~LedgerWriter();
  LedgerWriter(const LedgerWriter&) = delete;
  LedgerWriter& operator=(const LedgerWriter&) = delete;
  // One line, written with one write() and fdatasync'd. Throws core::Error(OutputUnwritable).
  void append(const BatchRecord& record);

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

// The ledger of earlier versions (one JSON document, rewritten whole): still read, never written.
inline constexpr const char* kLegacyLedgerName = "tally-ledger.json";

// Every record of OUTDIR's ledger in the order written (lines that do not parse, such as a torn
// last line, are skipped), after those of its legacy ledger if it has one.
void for_each_ledger_record(const std::filesystem::path& outdir,
                            const std::function<void(BatchRecord&&)>& visit);

// Writes `records` as OUTDIR's whole ledger, atomically (a merge).
void write_ledger(const std::filesystem::path& outdir,
                  const std::map<std::string, BatchRecord>& records);

// Reads one document and writes its outputs and its database rows (`database` may be null; with
// `database_mutex` when threads share it). Fills `record`: status done or error, counts, producer.
// Never throws: whatever goes wrong is the record's error.
void read_one_document(const BatchInput& input, const std::filesystem::path& outdir,
                       const BatchOptions& options, exports::CorpusWriter* database,
                       std::mutex* database_mutex, BatchRecord& record);

// The corpus database a batch writes, or null: BatchOptions::database, else OUTDIR/tally.sqlite
// when the sqlite format is asked for.
std::unique_ptr<exports::CorpusWriter> open_batch_database(const std::filesystem::path& outdir,
                                                           const BatchOptions& options);

// What the parent sends a child and reads back.
nlohmann::json request_of(const BatchInput& input, const std::filesystem::path& outdir,
                          const BatchOptions& options);

// Runs one document in a child process under the options' limits. `record` holds the name and hash
// on entry; on return it is the child's record, or an error record naming the signal or limit.
void read_in_child(const BatchInput& input, const std::filesystem::path& outdir,
                   const BatchOptions& options, BatchRecord& record);

}  // namespace tally::app::detail
