// The tally subcommands. Each adds itself to the CLI11 app and returns the exit code through `run`.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <iostream>

#include "tally/app/exit_codes.h"
#include "tally/core/error.h"

namespace tally::cli {

using Runner = std::function<int()>;

// Prints "tally: <sentence>" and returns the exit code of a command that stopped at `error`
// (README, "Exit codes").
inline int report_error(const core::Error& error) {
  std::cerr << "tally: " << error.what() << "\n";
  switch (error.code()) {
    case core::ErrorCode::Usage: return app::kExitUsage;
    case core::ErrorCode::OutputUnwritable: return app::kExitOutputUnwritable;
    default: return app::kExitInputFailed;
  }
}

// `tally extract INPUT.pdf -o OUTDIR …`
Runner add_extract_command(CLI::App& app);

// `tally batch INPUT_DIR|MANIFEST -o OUTDIR …`
Runner add_batch_command(CLI::App& app);

// `tally batch-worker REQUEST`: hidden; one document of a batch, in its own process.
Runner add_batch_worker_command(CLI::App& app);

// `tally merge OUT_1 … OUT_N -o CORPUS`
Runner add_merge_command(CLI::App& app);
// `tally review DIR [-j N] [-o OUTDIR]`
Runner add_review_command(CLI::App& app);

}  // namespace tally::cli
