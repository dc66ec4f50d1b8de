#include <iostream>
#include <memory>

#include "commands.h"
#include "tally/app/exit_codes.h"
#include "tally/app/job.h"
#include "tally/core/error.h"
#include "tally/export/export.h"
#include "trace.h"

namespace tally::cli {

namespace {

struct ExtractArguments {
  std::string input;
  std::string outdir;
  std::string pages;
  std::string formats = "json,csv";
  std::string ocr = "auto";
  app::JobOptions job;
  bool quiet = false;
  bool verbose = false;
};

int exit_code_for(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::Usage: return app::kExitUsage;
    case core::ErrorCode::OutputUnwritable: return app::kExitOutputUnwritable;
    default: return app::kExitInputFailed;
  }
}

int run_extract(const ExtractArguments& args) {
  try {
    app::JobOptions job = args.job;
    request_trace(job, args.verbose);
    if (!args.pages.empty()) job.pages = app::page_range_from_text(args.pages);
    job.ocr = args.ocr == "always"  ? app::OcrMode::Always
              : args.ocr == "never" ? app::OcrMode::Never
                                    : app::OcrMode::Auto;
    std::vector<app::OutputFormat> formats;
    for (std::size_t start = 0; start <= args.formats.size();) {
      const std::size_t comma = std::min(args.formats.find(',', start), args.formats.size());
      const std::string name = args.formats.substr(start, comma - start);
      if (name == "json")
        formats.push_back(app::OutputFormat::Json);
      else if (name == "csv")
        formats.push_back(app::OutputFormat::Csv);
      else if (name == "csv-excel")
        formats.push_back(app::OutputFormat::CsvExcel);
      else if (name == "xlsx")
        formats.push_back(app::OutputFormat::Xlsx);
      else if (!name.empty())
        throw core::Error(
            core::ErrorCode::Usage,
            "--format " + name + ": known formats are json, csv, csv-excel and xlsx.");
      start = comma + 1;
    }

    const core::Document document = app::run_document(args.input, job);
    const std::string stem = std::filesystem::path(args.input).stem().string();
    app::write_outputs(document, args.outdir, stem, formats);

    bool source_errors = false;
    for (const core::Check& check : document.checks)
      source_errors |= check.status == core::CheckStatus::Broken;
    if (!args.quiet) {
      for (const std::string& line : app::summarize_tables(document)) std::cout << line << "\n";
      for (const core::Diagnostic& d : document.diagnostics)
        if (d.severity != core::Severity::Info)
          std::cerr << document.source.file << ": "
                    << (d.page ? "page " + std::to_string(d.page) + ": " : "") << d.message << "\n";
      std::cout << document.source.file << ": " << exports::finding_summary(document) << "\n";
      std::cout << document.source.file << ": " << document.tables.size() << " tables → "
                << args.outdir << "\n";
    }
    return source_errors ? app::kExitSourceErrors : app::kExitDone;
  } catch (const core::Error& error) {
    std::cerr << "tally: " << error.what() << "\n";
    return exit_code_for(error.code());
  }
}

}  // namespace

Runner add_extract_command(CLI::App& app) {
  auto args = std::make_shared<ExtractArguments>();
  CLI::App* cmd = app.add_subcommand(
      "extract", "Read every table of one PDF into OUTDIR/<name>.json and CSV files");
  cmd->add_option("input", args->input, "PDF file")->required();
  cmd->add_option("-o,--output", args->outdir, "output folder")->required();
  cmd->add_option("--pages", args->pages, "pages to read: N, N-M or N-");
  cmd->add_option("--dpi", args->job.dpi, "resolution for finding ruling lines")
      ->check(CLI::Range(50.0, 600.0))
      ->capture_default_str();
  cmd->add_option("--ocr-dpi", args->job.ocr_dpi, "resolution for pages read by OCR")
      ->check(CLI::Range(100.0, 600.0))
      ->capture_default_str();
  cmd->add_option("--format", args->formats, "comma-separated: json,csv,csv-excel,xlsx")
      ->capture_default_str();
  cmd->add_option("--password", args->job.password, "password of an encrypted PDF");
  cmd->add_option("--ocr", args->ocr,
                  "auto: OCR pages whose text layer cannot be trusted; always; never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("-j,--jobs", args->job.jobs, "pages read in parallel")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  cmd->add_flag(
      "--no-repair", [args](std::int64_t) { args->job.repair = false; },
      "check identities but change nothing");
  cmd->add_option("--templates", args->job.templates_dir, "folder of table templates")
      ->capture_default_str();
  cmd->add_option("--tessdata", args->job.tessdata_dir, "Tesseract language data folder");
  cmd->add_flag("-q,--quiet", args->quiet, "print nothing but errors");
  cmd->add_flag("-v,--verbose", args->verbose,
                "print each OCR page's time per phase and calls to the engines");
  return [args] { return run_extract(*args); };
}

}  // namespace tally::cli
