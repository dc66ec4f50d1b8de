// OCR speed and memory on scanned table pages: seconds per page through the whole job on one
// worker (-j 1, Tesseract single-threaded), the peak resident memory, and beside it the reference
// full-page run `tesseract page.png out -l chi_sim+eng --psm 11 --dpi 300 tsv` on the same pages
// rendered at 300 dpi (the yardstick: aim for at most half of its time per page).
//
//   build/bench/ocr_bench [PDF] [--pages N-M] [--repeat R]
//
// Default: fixtures/pdf/gen-0001.scan200.pdf, pages 5-8 (table pages of 表 2 and 表 3, 表 4).
// Each run also prints, per page, the time of each phase and the calls to each engine.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "tally/app/job.h"
#include "tally/extract/extract.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"
#include "tally/ocr/page_reader.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double cpu_seconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

double peak_rss_mib(int who) {
  rusage usage{};
  getrusage(who, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The reference's peak memory cannot come from getrusage(RUSAGE_CHILDREN) in this process: Linux
// starts a child's peak at the RSS of the memory it was forked (or vforked, as std::system does)
// from, so every child of a 190 MiB bench "peaks" at 190 MiB. The bench therefore runs the
// reference through itself in this mode, freshly exec'd and small: it forks the command, waits for
// it with wait4 and writes the command's own peak RSS (KiB) and CPU seconds to RESULT.
//   ocr_bench --measure-child RESULT COMMAND
int measure_child(const char* result, const char* command) {
  const pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sh", "sh", "-c", command, static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid) return 1;
  if (FILE* out = std::fopen(result, "w")) {
    std::fprintf(out, "%ld %.6f\n", usage.ru_maxrss,
                 static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                     static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
    std::fclose(out);
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 4 && std::string(argv[1]) == "--measure-child")
    return measure_child(argv[2], argv[3]);
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  tally::ocr::reexec_single_threaded(argv);
  std::string pdf = std::string(TALLY_SOURCE_DIR) + "/fixtures/pdf/gen-0001.scan200.pdf";
  std::string pages = "5-8";
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--pages" && i + 1 < argc)
      pages = argv[++i];
    else if (arg == "--repeat" && i + 1 < argc)
      repeat = std::stoi(argv[++i]);
    else
      pdf = arg;
  }
  tally::app::JobOptions options;
  options.pages = tally::app::page_range_from_text(pages);
  options.jobs = 1;
  // Per page: time per phase and calls to each engine (the trace TALLY_OCR_TIMING prints in tally).
  options.trace.timing = true;
  options.on_page_trace = [](const tally::ocr::PageTrace& trace) {
    std::printf("  %s\n", trace.summary().c_str());
  };
  const int n_pages = options.pages->last - options.pages->first + 1;
  std::printf("%s, pages %s (%d), OMP_THREAD_LIMIT=%s\n",
              std::filesystem::path(pdf).filename().c_str(), pages.c_str(), n_pages,
              std::getenv("OMP_THREAD_LIMIT") ? std::getenv("OMP_THREAD_LIMIT") : "(unset)");

  // Tally: the first run loads the language data (cold); later runs reuse the thread's engines.
  for (int r = 0; r <= repeat; ++r) {
    const double cpu0 = cpu_seconds(RUSAGE_SELF);
    const Clock::time_point start = Clock::now();
    const tally::core::Document document = tally::app::run_document(pdf, options);
    const double wall = seconds_since(start), cpu = cpu_seconds(RUSAGE_SELF) - cpu0;
    int numbers = 0;
    for (const auto& t : document.tables)
      for (const auto& c : t.cells) numbers += c.read.has_value();
    std::printf("tally %-5s  %6.2f s/page wall  %6.2f s/page cpu  %zu tables, %d numbers\n",
                r == 0 ? "cold" : "warm", wall / n_pages, cpu / n_pages, document.tables.size(),
                numbers);
  }
  // Before the reference pages are rendered in this process.
  const double tally_peak_mib = peak_rss_mib(RUSAGE_SELF);

  // The reference: the tesseract command on each page rendered at 300 dpi.
  const auto document = tally::extract::PdfDocument::open(pdf);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tally-ocr-bench";
  std::filesystem::create_directories(dir);
  double reference_peak_kib = 0;
  for (const char* omp : {"OMP_THREAD_LIMIT=1", "env -u OMP_THREAD_LIMIT"}) {
    double wall = 0, cpu = 0;
    for (int n = options.pages->first; n <= options.pages->last; ++n) {
      const tally::core::Raster raster = document.render_page(n, 300);
      const cv::Mat image = tally::imaging::view(raster);
      const std::filesystem::path png = dir / ("page-" + std::to_string(n) + ".png");
      cv::imwrite(png.string(), image);
      const std::string command = std::string(omp[0] == 'O' ? "env " : "") + omp + " tesseract " +
                                  png.string() + " " + (dir / "out").string() +
                                  " -l chi_sim+eng --psm 11 --dpi 300 tsv > /dev/null 2>&1";
      const std::filesystem::path result = dir / "measured";
      const std::string measured =
          "'" + self.string() + "' --measure-child '" + result.string() + "' '" + command + "'";
      const Clock::time_point start = Clock::now();
      if (std::system(measured.c_str()) != 0) {
        std::printf("reference: tesseract failed (is it installed with chi_sim?)\n");
        return 0;
      }
      wall += seconds_since(start);
      double peak_kib = 0, child_cpu = 0;
      if (FILE* in = std::fopen(result.c_str(), "r")) {
        if (std::fscanf(in, "%lf %lf", &peak_kib, &child_cpu) != 2) peak_kib = child_cpu = 0;
        std::fclose(in);
      }
      cpu += child_cpu;
      reference_peak_kib = std::max(reference_peak_kib, peak_kib);
    }
    std::printf(
        "reference %-24s %6.2f s/page wall  %6.2f s/page cpu  (tesseract --psm 11 chi_sim+eng, 300 "
        "dpi)\n",
        omp, wall / n_pages, cpu / n_pages);
  }
  std::printf("tally peak RSS      %.0f MiB (one worker)\n", tally_peak_mib);
  std::printf("reference peak RSS  %.0f MiB (largest tesseract run, measured by wait4)\n",
              reference_peak_kib / 1024.0);
  std::filesystem::remove_all(dir);
  return 0;
}
