// `tally batch INPUT_DIR|MANIFEST -o OUTDIR [-j N] [--resume] [--format …]`
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <iterator>
#include <memory>
#include <optional>

#include "commands.h"
#include "tally/app/batch.h"
#include "tally/app/exit_codes.h"
#include "tally/core/error.h"
#include "trace.h"

namespace tally::cli {

namespace {

std::atomic<bool> interrupted{false};

// First Ctrl-C: start no further document, finish those running, write the summary. Second: the
// default action (outputs are written atomically, the ledger is consistent).
void on_interrupt(int) {
  interrupted = true;
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

struct BatchArguments {
  std::string input;
  std::string outdir;
  std::string formats = "json,csv,xlsx,sqlite,html";
  std::string ocr = "auto";
  app::BatchOptions batch;
  double every = 10;  // seconds between plain progress lines
  bool quiet = false;
  bool verbose = false;     // progress lines also give this process's resident memory
  std::string shard;        // "K/N"; else from the scheduler's environment
  bool in_process = false;  // threads, no child processes
  std::int64_t memory_limit_mib = app::kDefaultMemoryLimit >> 20;
};

std::string duration_text(double seconds) {
  char buffer[32];
  const long s = static_cast<long>(seconds + 0.5);
  if (s >= 3600)
    std::snprintf(buffer, sizeof buffer, "%ldh%02ldm", s / 3600, s / 60 % 60);
  else
    std::snprintf(buffer, sizeof buffer, "%ldm%02lds", s / 60, s % 60);
  return buffer;
}

// This process's resident memory in KiB (VmRSS), or -1 where /proc is not readable: the parent's
// memory must stay flat however many documents its children read (scripts/bench-batch.sh rss).
long resident_kib() {
  std::FILE* status = std::fopen("/proc/self/status", "r");
  if (!status) return -1;
  char line[256];
  long kib = -1;
  while (std::fgets(line, sizeof line, status))
    if (std::sscanf(line, "VmRSS: %ld kB", &kib) == 1) break;
  std::fclose(status);
  return kib;
}

// Counts, rate and time left from what has been read so far (skipped documents cost nothing).
std::string progress_text(const app::BatchProgress& p) {
  const std::size_t worked = p.finished - p.skipped;
  const double rate =
      p.elapsed_seconds > 0 ? static_cast<double>(worked) / p.elapsed_seconds * 60 : 0;
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%zu/%zu done, %zu failed, %zu skipped  %.1f docs/min",
                p.finished, p.total, p.failed, p.skipped, rate);
  std::string text = buffer;
  const std::size_t left = p.total - p.finished;
  if (worked > 0 && left > 0)
    text += "  ETA " + duration_text(static_cast<double>(left) * p.elapsed_seconds /
                                     static_cast<double>(worked));
  else if (left == 0)
    text += "  in " + duration_text(p.elapsed_seconds);
  return text;
}

int run_batch(const BatchArguments& args) {
  try {
    app::BatchOptions options = args.batch;
    options.formats = app::batch_formats_from_text(args.formats);
    request_trace(
        options.job);  // the environment's OCR trace only: a progress bar owns the terminal
    options.job.ocr = args.ocr == "always"  ? app::OcrMode::Always
                      : args.ocr == "never" ? app::OcrMode::Never
                                            : app::OcrMode::Auto;
    std::vector<app::BatchInput> inputs = app::list_batch_inputs(args.input, args.outdir);
    options.memory_limit = args.memory_limit_mib << 20;
    if (!args.in_process) options.worker = "/proc/self/exe";  // tally itself, this very build
    // A shard reads its share into its own folder (its own ledger, so --resume is per shard).
    std::string outdir = args.outdir;
    const std::optional<app::Shard> shard =
        args.shard.empty()
            ? app::shard_from_environment([](const char* name) { return std::getenv(name); })
            : std::optional(app::shard_from_text(args.shard));
    if (shard) {
      inputs = app::inputs_of_shard(std::move(inputs), *shard, options.job.max_bytes);
      outdir = (std::filesystem::path(args.outdir) / app::shard_folder_name(*shard)).string();
      if (!args.quiet)
        std::cerr << "tally batch: shard " << shard->index << " of " << shard->count
                  << " (0-based): " << inputs.size() << " documents → " << outdir << "\n";
    }
    options.stop = &interrupted;
    std::signal(SIGINT, on_interrupt);
    std::signal(SIGTERM, on_interrupt);

    const bool tty = ::isatty(STDERR_FILENO) != 0;
    double last_line = -1e9;
    const auto progress = [&](const app::BatchProgress& p) {
      if (args.quiet) return;
      if (tty) {
        constexpr int kWidth = 30;
        const int filled = p.total ? static_cast<int>(kWidth * p.finished / p.total) : kWidth;
        std::string bar = "[" + std::string(static_cast<std::size_t>(filled), '#') +
                          std::string(static_cast<std::size_t>(kWidth - filled), '-') + "] ";
        std::cerr << "\r\033[K" << bar << progress_text(p) << (p.final ? "\n" : "") << std::flush;
      } else if (p.final || p.elapsed_seconds - last_line >= args.every) {
        last_line = p.elapsed_seconds;
        std::cerr << "tally batch: " << progress_text(p)
                  << (args.verbose ? "  parent RSS " + std::to_string(resident_kib()) + " KiB" : "")
                  << (p.last.empty() ? "" : "  (last: " + p.last + ")") << "\n";
      }
    };
    const app::BatchSummary summary = app::run_batch(inputs, outdir, options, progress);
    for (const app::BatchRecord& r : summary.errors) std::cerr << "tally: " << r.message << "\n";
    if (summary.not_started)
      std::cerr << "tally: interrupted; " << summary.not_started
                << " documents not started (run again with --resume)\n";
    if (!args.quiet)
      std::cout << "tally batch: " << app::summarize_batch(summary) << " → " << outdir << "\n";
    return app::batch_exit_code(summary);
  } catch (const core::Error& error) {
    return report_error(error);
  }
}

}  // namespace

Runner add_batch_command(CLI::App& app) {
  auto args = std::make_shared<BatchArguments>();
  CLI::App* cmd = app.add_subcommand(
      "batch", "Read every PDF under a folder or listed in a manifest into OUTDIR");
  cmd->add_option("input", args->input,
                  "folder of PDFs (searched recursively), a manifest (one path per line) or a PDF")
      ->required();
  cmd->add_option("-o,--output", args->outdir, "output folder")->required();
  cmd->add_option("-j,--jobs", args->batch.jobs, "documents read in parallel")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_flag("--resume", args->batch.resume,
                "skip documents already done (same content) according to OUTDIR's ledger");
  cmd->add_option("--format", args->formats, "comma-separated: json,csv,csv-excel,xlsx,sqlite,html")
      ->capture_default_str();
  cmd->add_option("--dpi", args->batch.job.dpi, "resolution for finding ruling lines")
      ->check(CLI::Range(50.0, 600.0))
      ->capture_default_str();
  cmd->add_option("--ocr-dpi", args->batch.job.ocr_dpi, "resolution for pages read by OCR")
      ->check(CLI::Range(100.0, 600.0))
      ->capture_default_str();
  cmd->add_option("--report-dpi", args->batch.report_dpi,
                  "resolution of page images in the HTML report")
      ->check(CLI::Range(20.0, 300.0))
      ->capture_default_str();
  cmd->add_option("--password", args->batch.job.password, "password of encrypted PDFs");
  cmd->add_option("--ocr", args->ocr, "auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_flag(
      "--no-repair", [args](std::int64_t) { args->batch.job.repair = false; },
      "check identities but change nothing");
  cmd->add_option("--templates", args->batch.job.templates_dir, "folder of table templates")
      ->capture_default_str();
  cmd->add_option("--tessdata", args->batch.job.tessdata_dir, "Tesseract language data folder");
  cmd->add_option("--max-bytes", args->batch.job.max_bytes, "refuse files larger than this")
      ->capture_default_str();
  cmd->add_option("--progress-every", args->every,
                  "seconds between progress lines when not on a terminal")
      ->capture_default_str();
  cmd->add_flag("-q,--quiet", args->quiet, "print nothing but errors");
  cmd->add_flag("-v,--verbose", args->verbose,
                "progress lines (when not on a terminal) also give tally's own resident memory");
  cmd->add_option("--shard", args->shard,
                  "K/N: read shard K (0-based) of N, by content hash, into OUTDIR/shard-K-of-N; "
                  "default: a Slurm array "
                  "task's or Kubernetes indexed job's share when set");
  cmd->add_option("--db", args->batch.database,
                  "write the corpus into this database instead: postgresql://user@host/db");
  cmd->add_option("--memory-limit", args->memory_limit_mib,
                  "MiB of address space per document's process (0: none)")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{1} << 24))
      ->capture_default_str();
  cmd->add_option("--time-limit", args->batch.time_limit, "seconds per document (0: none)")
      ->check(CLI::Range(0.0, 1e7))
      ->capture_default_str();
  cmd->add_flag("--in-process", args->in_process,
                "read documents in threads of this process (no child processes: a crash ends the "
                "batch; no limits)");
  cmd->add_flag("--allow-mixed-versions", args->batch.allow_mixed_versions,
                "--resume even when the ledger's documents were read by another tally version or "
                "other options");
  return [args] { return run_batch(*args); };
}

Runner add_batch_worker_command(CLI::App& app) {
  // Hidden (empty group): run by `tally batch` itself, one process per document; the request on
  // stdin.
  app.add_subcommand("batch-worker", "read one document for a parent `tally batch`")->group("");
  return [] {
    const std::string request((std::istreambuf_iterator<char>(std::cin)),
                              std::istreambuf_iterator<char>());
    return app::run_batch_worker(request, 3);
  };
}

}  // namespace tally::cli
