// tally: turns PDF financial disclosures into checked tables. See README.md.
#include <iostream>
#include <vector>

#include "commands.h"
#include "tally/app/exit_codes.h"
#include "tally/app/provenance.h"
#include "tally/ocr/ocr.h"
#include "tally/score/cli.h"
#include "trace.h"

int main(int argc, char** argv) {
  tally::ocr::reexec_single_threaded(
      argv);  // Tesseract single-threaded: pages run in parallel instead
  tally::cli::read_trace_environment();
  CLI::App app{
      "tally: tables out of PDF financial disclosures, every figure checked against the "
      "document's own arithmetic"};
  app.require_subcommand(1);
  app.set_version_flag("--version", tally::app::version_line());
  // Each command registers its subcommand and hands back what runs it once parsed.
  CLI::App* score =
      app.add_subcommand("score", "Score Tally's JSON against ground truth (see score/README.md)")
          ->prefix_command();
  const std::vector<std::pair<std::string, tally::cli::Runner>> commands = {
      {"extract", tally::cli::add_extract_command(app)},
      {"batch", tally::cli::add_batch_command(app)},
      {"batch-worker", tally::cli::add_batch_worker_command(app)},
      {"merge", tally::cli::add_merge_command(app)},
      {"review", tally::cli::add_review_command(app)},
      {"score",
       [score] {
         return tally::score::run_score_command(score->remaining(), std::cout, std::cerr);
       }},
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    return app.exit(error) == 0 ? tally::app::kExitDone : tally::app::kExitUsage;
  }
  for (const auto& [name, run] : commands)
    if (app.got_subcommand(name)) return run();
  return tally::app::kExitUsage;
}
