// Extraction speed and memory on born-digital PDFs: pages per second through the whole job on one
// core (-j 1), the share of each step, and the peak resident memory.
//
//   build/bench/extract_bench [PDF…] [--repeat N]
//
// Default input: the committed real disclosures in fixtures/real/.
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "tally/app/job.h"
#include "tally/extract/extract.h"
#include "tally/layout/layout.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the process: on a busy machine it still tells what one idle core would take.
double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

// CPU time of this thread: the cost of one step, whatever else runs on the machine.
double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> inputs;
  int repeat = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--repeat" && i + 1 < argc)
      repeat = std::stoi(argv[++i]);
    else
      inputs.push_back(arg);
  }
  if (inputs.empty())
    for (const char* name : {"putuo-wanli-2024-budget.pdf", "putuo-planning-2024-final.pdf",
                             "putuo-office-2025-budget.pdf"})
      inputs.push_back(std::string(TALLY_SOURCE_DIR) + "/fixtures/real/" + name);

  const tally::app::JobOptions options;  // default DPI, one worker
  std::printf("%-34s %6s %6s %9s %9s %9s %11s\n", "document", "pages", "tables", "pages/s",
              "tpages/s", "ms/page", "cpu ms/page");
  double all_pages = 0, all_table_pages = 0, all_seconds = 0, all_cpu = 0;
  double render = 0, rulings = 0, text = 0, tables = 0, tables_cpu = 0;
  double table_page_seconds = 0, table_page_count = 0;
  for (const std::string& input : inputs) {
    int pages = 0, table_pages = 0;
    std::size_t table_count = 0;
    const auto start = Clock::now();
    const double cpu_start = cpu_seconds();
    for (int k = 0; k < repeat; ++k) {
      const tally::core::Document document = tally::app::run_document(input, options);
      pages = static_cast<int>(document.pages.size());
      table_count = document.tables.size();
      table_pages = 0;
      for (const tally::core::Page& page : document.pages)
        for (const tally::core::Table& table : document.tables)
          if (std::find(table.pages.begin(), table.pages.end(), page.number) != table.pages.end()) {
            ++table_pages;
            break;
          }
    }
    const double seconds = seconds_since(start) / repeat;
    const double cpu = (cpu_seconds() - cpu_start) / repeat;
    all_cpu += cpu;
    all_pages += pages;
    all_table_pages += table_pages;
    all_seconds += seconds;
    std::printf("%-34s %6d %6zu %9.1f %9.1f %9.1f %11.1f\n",
                std::filesystem::path(input).filename().string().substr(0, 34).c_str(), pages,
                table_count, pages / seconds, table_pages / seconds, 1000 * seconds / pages,
                1000 * cpu / pages);

    // The steps one by one, to see where the time goes.
    const auto pdf = tally::extract::PdfDocument::open(input);
    for (int n = 1; n <= pdf.page_count(); ++n) {
      const auto page_start = Clock::now();
      auto t = Clock::now();
      tally::core::Page page = pdf.read_page(n);
      text += seconds_since(t);
      t = Clock::now();
      const tally::core::Raster raster = pdf.render_page(n, options.dpi);
      render += seconds_since(t);
      t = Clock::now();
      page.rulings = tally::layout::find_rulings(raster);
      rulings += seconds_since(t);
      t = Clock::now();
      const double cpu_t = thread_cpu_seconds();
      const bool has_table = !tally::layout::find_tables(page).empty();
      tables += seconds_since(t);
      tables_cpu += thread_cpu_seconds() - cpu_t;
      if (has_table) {
        table_page_seconds += seconds_since(page_start);
        ++table_page_count;
      }
    }
  }
  std::printf("%-34s %6.0f %6s %9.1f %9.1f %9.1f %11.1f\n", "all", all_pages, "",
              all_pages / all_seconds, all_table_pages / all_seconds,
              1000 * all_seconds / all_pages, 1000 * all_cpu / all_pages);
  std::printf("per CPU-second (one idle core): %.1f pages/s, %.1f table pages/s\n",
              all_pages / all_cpu, all_table_pages / all_cpu);
  const double steps = render + rulings + text + tables;
  std::printf(
      "\nper page, one pass: text layer %.1f ms, render at %.0f dpi %.1f ms, rulings %.1f ms, "
      "tables %.1f ms\n",
      1000 * text / all_pages, options.dpi, 1000 * render / all_pages, 1000 * rulings / all_pages,
      1000 * tables / all_pages);
  std::printf("layout (find_tables) CPU time per page: %.2f ms\n", 1000 * tables_cpu / all_pages);
  std::printf("shares: text %.0f%%, render %.0f%%, rulings %.0f%%, tables %.0f%%\n",
              100 * text / steps, 100 * render / steps, 100 * rulings / steps,
              100 * tables / steps);
  std::printf("pages holding tables alone: %.0f pages, %.1f pages/s (%.1f ms each)\n",
              table_page_count, table_page_count / table_page_seconds,
              1000 * table_page_seconds / table_page_count);
  std::printf("peak resident memory: %.1f MiB\n", peak_rss_mib());
  return 0;
}
