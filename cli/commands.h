// The tally subcommands. Each adds itself to the CLI11 app and returns the exit code through `run`.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace tally::cli {

using Runner = std::function<int()>;

// `tally extract INPUT.pdf -o OUTDIR …`
Runner add_extract_command(CLI::App& app);

// `tally batch INPUT_DIR|MANIFEST -o OUTDIR …`
Runner add_batch_command(CLI::App& app);

// `tally review DIR [-j N] [-o OUTDIR]`
Runner add_review_command(CLI::App& app);

}  // namespace tally::cli
