// `tally score`: see score/include/tally/score/cli.h.
#include <filesystem>
#include <fstream>

#include "tally/core/error.h"
#include "tally/score/cli.h"
#include "tally/score/score.h"

namespace tally::score {
namespace {

constexpr const char* kUsage =
    "usage: tally score [--json] [-o FILE] PRED.json TRUTH.json\n"
    "       tally score [--json] [-o FILE] PRED_DIR TRUTH_DIR\n"
    "       tally score --icdar [--json] [-o FILE] PRED_DIR ICDAR_DIR\n"
    "Scores Tally's JSON against ground truth (fixtures/truth/*.json) or the ICDAR 2013 Table\n"
    "Competition's XML. In the directory form, PRED_DIR holds <truth-id>.<variant>.json files.\n";

}  // namespace

int run_score_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  bool json = false, icdar = false;
  std::string output;
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--json") {
      json = true;
    } else if (arg == "--icdar") {
      icdar = true;
    } else if (arg == "-o" || arg == "--output") {
      if (i + 1 == args.size()) {
        err << "tally score: " << arg << " needs a file name\n" << kUsage;
        return 1;
      }
      output = args[++i];
    } else if (arg == "-h" || arg == "--help") {
      out << kUsage;
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      err << "tally score: unknown option " << arg << "\n" << kUsage;
      return 1;
    } else {
      paths.push_back(arg);
    }
  }
  if (paths.size() != 2) {
    err << "tally score: expected two paths, got " << paths.size() << "\n" << kUsage;
    return 1;
  }

  std::string report;
  try {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (icdar) {
      const IcdarScore score = score_icdar(paths[0], paths[1]);
      report = json ? format_icdar_json(score) : format_icdar_text(score);
    } else if (fs::is_directory(paths[0], ec) && fs::is_directory(paths[1], ec)) {
      const CorpusScore score = score_corpus(paths[0], paths[1]);
      report = json ? format_corpus_json(score) : format_corpus_text(score);
    } else if (fs::is_directory(paths[0], ec) || fs::is_directory(paths[1], ec)) {
      err << "tally score: give two files or two directories\n" << kUsage;
      return 1;
    } else {
      CorpusScore score;
      score.documents.push_back(score_document_files(paths[0], paths[1]));
      score.overall = score.documents.back().counts;
      report = json ? format_corpus_json(score) : format_corpus_text(score);
    }
  } catch (const core::Error& e) {
    err << "tally score: " << e.what() << "\n";
    return 2;
  }

  if (output.empty()) {
    out << report;
    return 0;
  }
  std::ofstream file(output, std::ios::binary);
  file << report;
  if (!file) {
    err << "tally score: " << output << ": cannot be written\n";
    return 4;
  }
  return 0;
}

}  // namespace tally::score
