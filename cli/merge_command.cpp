// `tally merge OUT_1 … OUT_N -o CORPUS`
#include <iostream>
#include <memory>

#include "commands.h"
#include "tally/app/batch.h"
#include "tally/app/exit_codes.h"
#include "tally/core/error.h"

namespace tally::cli {

namespace {

struct MergeArguments {
  std::vector<std::string> folders;
  std::string into;
  bool quiet = false;
};

int run_merge(const MergeArguments& args) {
  try {
    std::vector<std::filesystem::path> folders(args.folders.begin(), args.folders.end());
    const app::MergeSummary summary = app::merge_batches(folders, args.into);
    if (!args.quiet)
      std::cout << "tally merge: " << summary.folders << " folders → " << args.into << ": "
                << summary.documents << " documents in " << app::kDatabaseName << ", "
                << summary.records << " records in " << app::kLedgerName << "\n";
    return app::kExitDone;
  } catch (const core::Error& error) {
    return report_error(error);
  }
}

}  // namespace

Runner add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArguments>();
  CLI::App* cmd = app.add_subcommand("merge",
                                     "Gather the output folders of a batch's shards into one "
                                     "corpus (database and ledger; by content, idempotent)");
  cmd->add_option("folders", args->folders, "batch output folders (e.g. OUT/shard-*)")->required();
  cmd->add_option("-o,--output", args->into, "the corpus folder (created, or added to)")
      ->required();
  cmd->add_flag("-q,--quiet", args->quiet, "print nothing but errors");
  return [args] { return run_merge(*args); };
}

}  // namespace tally::cli
