// `tally review DIR|MANIFEST [-j N] [-o OUTDIR]`: every PDF of a folder read, and per document the
// tables by kind, the checks held and broken (each broken one listed), the doubts and the share of
// amount cells some identity covers; then the corpus totals. For reviewing a set of real
// disclosures in one look.
#include <atomic>
#include <iostream>
#include <memory>
#include <mutex>
#include <thread>

#include "commands.h"
#include "tally/app/batch.h"
#include "tally/app/exit_codes.h"
#include "tally/app/job.h"
#include "tally/app/review.h"
#include "tally/core/error.h"

namespace tally::cli {

namespace {

struct ReviewArguments {
  std::string input;
  std::string outdir;  // optional: each document's JSON goes there too
  int jobs = 1;        // documents in parallel
  std::size_t max_listed = 20;
  app::JobOptions job;
};

int run_review(const ReviewArguments& args) {
  std::vector<app::BatchInput> inputs;
  try {
    inputs = app::list_batch_inputs(args.input, args.outdir);
  } catch (const core::Error& error) {
    std::cerr << "tally: " << error.what() << "\n";
    return error.code() == core::ErrorCode::Usage ? app::kExitUsage : app::kExitInputFailed;
  }
  std::vector<app::DocumentReview> reviews(inputs.size());
  std::vector<bool> done(inputs.size(), false);
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t printed = 0;
  bool unwritable = false;
  const auto work = [&] {
    for (std::size_t i = next++; i < inputs.size(); i = next++) {
      app::DocumentReview review;
      try {
        const core::Document document = app::run_document(inputs[i].path, args.job);
        review = app::review_document(document, inputs[i].name);
        if (!args.outdir.empty())
          app::write_outputs(document, args.outdir, inputs[i].stem, {app::OutputFormat::Json});
      } catch (const core::Error& error) {
        if (error.code() == core::ErrorCode::OutputUnwritable) unwritable = true;
        review.name = inputs[i].name;
        review.error = error.what();
      } catch (const std::exception& error) {
        review.name = inputs[i].name;
        review.error = std::string("internal error: ") + error.what();
      }
      // Printed in input order as soon as every document before it is done.
      const std::lock_guard<std::mutex> lock(mutex);
      reviews[i] = std::move(review);
      done[i] = true;
      for (; printed < inputs.size() && done[printed]; ++printed) {
        for (const std::string& line : app::review_lines(reviews[printed], args.max_listed))
          std::cout << line << "\n";
        std::cout.flush();
      }
    }
  };
  std::vector<std::thread> threads;
  for (int k = 1; k < args.jobs; ++k) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  std::cout << app::review_totals(reviews) << "\n";
  bool failed = false, broken = false;
  for (const app::DocumentReview& r : reviews) {
    failed |= !r.error.empty();
    broken |= r.broken > 0;
  }
  return failed       ? app::kExitInputFailed
         : unwritable ? app::kExitOutputUnwritable
         : broken     ? app::kExitSourceErrors
                      : app::kExitDone;
}

}  // namespace

Runner add_review_command(CLI::App& app) {
  auto args = std::make_shared<ReviewArguments>();
  CLI::App* cmd =
      app.add_subcommand("review",
                         "Read every PDF of a folder; print per document tables by kind, checks "
                         "held/broken (each broken one), doubts and identity coverage");
  cmd->add_option("input", args->input, "folder (searched recursively), manifest or PDF")
      ->required();
  cmd->add_option("-o,--output", args->outdir, "also write each document's JSON here");
  cmd->add_option("-j,--jobs", args->jobs, "documents read in parallel")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_option("--list", args->max_listed, "broken checks and doubts listed per document")
      ->capture_default_str();
  cmd->add_option("--templates", args->job.templates_dir, "folder of table templates")
      ->capture_default_str();
  return [args] { return run_review(*args); };
}

}  // namespace tally::cli
