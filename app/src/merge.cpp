// `tally merge`: the shards of one run gathered into one corpus.
#include "batch_steps.h"
#include "tally/core/error.h"

namespace tally::app {

namespace {

namespace fs = std::filesystem;

// Which of two records of one name a merged ledger keeps: done over error over started.
int rank(const BatchRecord& r) {
  return r.status == "done" ? 3 : r.status == "error" ? 2 : r.status == "started" ? 1 : 0;
}

}  // namespace

MergeSummary merge_batches(const std::vector<fs::path>& folders, const fs::path& into) {
  for (const fs::path& folder : folders) {
    std::error_code ec;
    if (!fs::is_regular_file(folder / kLedgerName, ec) &&
        !fs::is_regular_file(folder / detail::kLegacyLedgerName, ec) &&
        !fs::is_regular_file(folder / kDatabaseName, ec))
      throw core::Error(core::ErrorCode::NotFound,
                        folder.string() + ": not a batch output folder (no " + kLedgerName +
                            ", no " + kDatabaseName + ").");
    if (fs::exists(into, ec) && fs::equivalent(folder, into, ec))
      throw core::Error(
          core::ErrorCode::Usage,
          folder.string() + ": the folder to merge into cannot be one of the inputs.");
  }
  std::error_code ec;
  fs::create_directories(into, ec);
  if (ec || !fs::is_directory(into))
    throw core::Error(
        core::ErrorCode::OutputUnwritable,
        into.string() + ": cannot write (" + (ec ? ec.message() : "not a folder") + ").");
  MergeSummary summary;
  exports::CorpusDatabase database(into / kDatabaseName);
  // The gather step holds every record (one per name), once; a batch never does.
  std::map<std::string, BatchRecord> ledger = read_batch_ledger(into);
  for (const fs::path& folder : folders) {
    if (fs::is_regular_file(folder / kDatabaseName, ec))
      database.merge_from(folder / kDatabaseName);
    for (auto& [name, record] : read_batch_ledger(folder)) {
      const auto here = ledger.find(name);
      if (here == ledger.end() || rank(record) > rank(here->second))
        ledger[name] = std::move(record);
    }
    ++summary.folders;
  }
  detail::write_ledger(into, ledger);
  summary.documents = database.document_count();
  summary.records = ledger.size();
  return summary;
}

}  // namespace tally::app
