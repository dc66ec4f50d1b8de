// The job: the pipeline's named steps over one document.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "steps.h"
#include "tally/app/provenance.h"
#include "tally/core/error.h"
#include "tally/export/export.h"
#include "tally/extract/extract.h"
#include "tally/layout/layout.h"
#include "tally/reconcile/reconcile.h"

namespace tally::app {

namespace {

// Share of dark pixels, rules aside, above which a page without text is a scan, not blank paper.
constexpr double kInkShare = 0.001;

// Whether the raster shows ink other than ruling lines: a page holding only the empty last row of a
// table continued from the page before has rules but nothing to read.
bool has_text_ink(core::Raster raster, const std::vector<core::Ruling>& rulings) {
  for (const core::Ruling& r : rulings) {
    const bool horizontal = r.orientation == core::Orientation::Horizontal;
    const double half = r.thickness / 2 + 1.5;  // points
    const int x0 = static_cast<int>(raster.to_pixels(horizontal ? r.start : r.position - half));
    const int x1 = static_cast<int>(raster.to_pixels(horizontal ? r.end : r.position + half)) + 1;
    const int y0 = static_cast<int>(raster.to_pixels(horizontal ? r.position - half : r.start));
    const int y1 = static_cast<int>(raster.to_pixels(horizontal ? r.position + half : r.end)) + 1;
    for (int y = std::max(0, y0); y < std::min(raster.height, y1); ++y)
      for (int x = std::max(0, x0); x < std::min(raster.width, x1); ++x)
        raster.pixels[static_cast<std::size_t>(y) * raster.width + x] = 255;
  }
  std::size_t dark = 0;
  for (std::uint8_t p : raster.pixels) dark += p < 128;
  return static_cast<double>(dark) > kInkShare * static_cast<double>(raster.pixels.size());
}

struct PageResult {
  core::Page page;
  std::vector<core::Table> tables;
  std::vector<core::Diagnostic> diagnostics;
  std::optional<ocr::PageTrace> trace;  // pages read by OCR
};

extract::PdfDocument open_document(const std::filesystem::path& path, const JobOptions& options) {
  return extract::PdfDocument::open(path,
                                    {options.password, options.max_bytes, options.max_page_points});
}

// judge_text_layer → render_pages → find_tables (or read_untrusted_page first) for one page.
PageResult read_page(const extract::PdfDocument& pdf, int number, const JobOptions& options,
                     ocr::DocumentMemory& memory) {
  PageResult result;
  result.page = pdf.read_page(number);
  core::Page& page = result.page;
  const core::Raster raster = pdf.render_page(number, options.dpi);
  page.rulings = layout::find_rulings(raster);

  const bool ink = page.words.empty() && has_text_ink(raster, page.rulings);
  const extract::TextLayerVerdict verdict = extract::judge_text_layer(page, ink);
  page.text_source = verdict.source;
  page.text_source_reasons = verdict.reasons;
  if (options.ocr == OcrMode::Always && page.text_source != core::TextSource::None) {
    page.text_source = core::TextSource::Ocr;
    page.text_source_reasons.push_back("--ocr always");
  } else if (options.ocr == OcrMode::Never && page.text_source == core::TextSource::Ocr) {
    page.text_source = page.words.empty() ? core::TextSource::None : core::TextSource::TextLayer;
    page.text_source_reasons.push_back("--ocr never: OCR skipped");
  }

  if (page.text_source == core::TextSource::Ocr) {
    page.words.clear();  // an untrusted text layer is not evidence
    result.trace.emplace(number, options.trace);
    read_untrusted_page(pdf, page, options, memory, *result.trace, result.diagnostics);
  }
  result.tables = layout::find_tables(page);
  return result;
}

// The pages' learning, added to the document's memory in page order. A page reads with a copy of
// the document's memory as the pages at least kLearningLag before it left it, and learns into its
// copy; what it learned is added once every page before it has been. So a page's reading depends
// on the pages before it, never on how many workers there are or which finishes first (-j 1 and
// -j 2 write the same JSON: tests/determinism_test.cpp).
class LearningInPageOrder {
 public:
  // 2: with two workers, the next page's copy is ready when a worker takes it (the other holds at
  // most the page before); a third worker waits. Against learning from every page before, on
  // gen-0001.scan200 (16 pages): the same scores, no more CPU time (README.md, "-j").
  static constexpr std::size_t kLearningLag = 2;

  explicit LearningInPageOrder(std::size_t pages) : slots_(pages) {
    for (std::size_t i = 0; i < std::min(pages, kLearningLag); ++i)
      slots_[i].memory = std::make_unique<ocr::DocumentMemory>();
  }

  // The memory page `index` reads with, once the pages it learns from are added.
  std::unique_ptr<ocr::DocumentMemory> memory_for(std::size_t index) {
    std::unique_lock lock(mutex_);
    added_.wait(lock, [&] { return slots_[index].memory != nullptr; });
    return std::move(slots_[index].memory);
  }

  // Page `index` is read: what it learned is added once every page before it is.
  void done(std::size_t index, std::unique_ptr<ocr::DocumentMemory> memory) {
    std::lock_guard lock(mutex_);
    slots_[index].read = std::move(memory);
    for (; added_count_ < slots_.size() && slots_[added_count_].read; ++added_count_) {
      Slot& slot = slots_[added_count_];
      document_.add_learned(*slot.read, slot.start);
      slot.read.reset();
      const std::size_t waiting = added_count_ + kLearningLag;
      if (waiting < slots_.size()) {
        slots_[waiting].memory = std::make_unique<ocr::DocumentMemory>();
        slots_[waiting].memory->copy_from(document_);
        slots_[waiting].start = document_.extent();
      }
    }
    added_.notify_all();
  }

 private:
  struct Slot {
    std::unique_ptr<ocr::DocumentMemory> memory;  // ready for the page, not yet taken
    ocr::DocumentMemory::Extent start;            // what the copy held
    std::unique_ptr<ocr::DocumentMemory> read;    // after the page, until added
  };
  std::mutex mutex_;
  std::condition_variable added_;
  ocr::DocumentMemory document_;
  std::size_t added_count_ = 0;  // pages whose learning is in document_, from the first
  std::vector<Slot> slots_;
};

// Pages in parallel: Poppler calls are serialized inside PdfDocument, layout and OCR run side by
// side. Each worker's results land in its page's slot, so the order never depends on timing, and
// each page learns from the pages before it in page order (LearningInPageOrder).
std::vector<PageResult> read_pages(const extract::PdfDocument& pdf, const std::vector<int>& numbers,
                                   const JobOptions& options) {
  std::vector<PageResult> results(numbers.size());
  LearningInPageOrder learning(numbers.size());
  std::atomic<std::size_t> next{0};
  const auto work = [&] {
    for (std::size_t i = next++; i < numbers.size(); i = next++) {
      std::unique_ptr<ocr::DocumentMemory> memory = learning.memory_for(i);
      try {
        results[i] = read_page(pdf, numbers[i], options, *memory);
      } catch (const core::Error& error) {
        results[i].page.number = numbers[i];
        results[i].diagnostics.push_back(
            {core::Severity::Error, core::to_string(error.code()), numbers[i], error.what()});
      } catch (const std::exception& error) {
        results[i].page.number = numbers[i];
        results[i].diagnostics.push_back(
            {core::Severity::Error, "internal", numbers[i],
             pdf.source().file + ": page " + std::to_string(numbers[i]) + ": " + error.what()});
      }
      learning.done(i, std::move(memory));
    }
  };
  const int workers =
      std::clamp(options.jobs, 1, static_cast<int>(std::max<std::size_t>(numbers.size(), 1)));
  std::vector<std::thread> threads;
  for (int k = 1; k < workers; ++k) threads.emplace_back(work);
  work();
  for (std::thread& t : threads) t.join();
  if (options.on_page_trace)
    for (const PageResult& result : results)
      if (result.trace) options.on_page_trace(*result.trace);
  return results;
}

}  // namespace

PageRange page_range_from_text(const std::string& text) {
  const auto bad = [&] {
    return core::Error(core::ErrorCode::Usage,
                       "--pages " + text + ": expected N, N-M or N- with pages counted from 1.");
  };
  const auto number = [&](const std::string& part) {
    if (part.empty() || part.size() > 6 ||
        part.find_first_not_of("0123456789") != std::string::npos)
      throw bad();
    const int n = std::stoi(part);
    if (n < 1) throw bad();
    return n;
  };
  const std::size_t dash = text.find('-');
  if (dash == std::string::npos) {
    const int n = number(text);
    return {n, n};
  }
  const int first = number(text.substr(0, dash));
  const std::string rest = text.substr(dash + 1);
  const int last = rest.empty() ? 0 : number(rest);
  if (last && last < first) throw bad();
  return {first, last};
}

core::Document run_document(const std::filesystem::path& path, const JobOptions& options) {
  const extract::PdfDocument pdf = open_document(path, options);
  core::Document document;
  document.source = pdf.source();
  document.producer = producer_of(options);

  std::vector<int> numbers;
  const int first = options.pages ? options.pages->first : 1;
  const int last = options.pages && options.pages->last
                       ? std::min(options.pages->last, pdf.page_count())
                       : pdf.page_count();
  if (first > pdf.page_count())
    throw core::Error(core::ErrorCode::Usage, document.source.file + ": --pages starts at page " +
                                                  std::to_string(first) + ", but the PDF has " +
                                                  std::to_string(pdf.page_count()) + " pages.");
  for (int n = first; n <= last; ++n) numbers.push_back(n);

  std::vector<core::Table> page_tables;
  for (PageResult& result : read_pages(pdf, numbers, options)) {
    document.pages.push_back(std::move(result.page));
    for (core::Table& table : result.tables) page_tables.push_back(std::move(table));
    for (core::Diagnostic& d : result.diagnostics) document.diagnostics.push_back(std::move(d));
  }
  document.tables = layout::join_tables(std::move(page_tables));
  document.metadata = layout::read_metadata(document);

  const reconcile::Options reconcile_options{options.templates_dir, options.repair};
  reconcile::understand_tables(document, reconcile_options);
  reconcile::check_identities(document, reconcile_options);
  reconcile::repair_misreads(document, reconcile_options);
  reconcile::check_narrative(document);
  reconcile::audit_disclosure(document, reconcile_options);
  return document;
}

void write_outputs(const core::Document& document, const std::filesystem::path& outdir,
                   const std::string& stem, const std::vector<OutputFormat>& formats) {
  for (OutputFormat format : formats) {
    if (format == OutputFormat::Json)
      exports::write_file_atomically(outdir / (stem + ".json"), exports::json_of(document));
    if (format == OutputFormat::Csv)
      for (const core::Table& table : document.tables)
        exports::write_file_atomically(outdir / stem / exports::csv_file_name(document, table),
                                       exports::csv_of(table));
    if (format == OutputFormat::CsvExcel)
      for (const core::Table& table : document.tables)
        exports::write_file_atomically(outdir / stem / exports::csv_file_name(document, table),
                                       exports::csv_of(table, {.excel = true}));
    if (format == OutputFormat::Xlsx) exports::write_xlsx(document, outdir / (stem + ".xlsx"));
  }
}

std::vector<std::string> summarize_tables(const core::Document& document) {
  std::vector<std::string> lines;
  for (const core::Table& table : document.tables) {
    std::string line = table.number ? "表 " + std::to_string(*table.number) : "表 -";
    line += "  " + (table.title.empty() ? std::string("(untitled)") : table.title);
    line += "  page" + std::string(table.pages.size() > 1 ? "s " : " ") +
            std::to_string(table.pages.front());
    if (table.pages.size() > 1) line += "-" + std::to_string(table.pages.back());
    line += "  " + std::to_string(table.n_rows) + "x" + std::to_string(table.n_cols);
    int numeric = 0, repaired = 0, flagged = 0;
    for (const core::Cell& cell : table.cells) {
      numeric += cell.read.has_value();
      repaired += cell.status == core::CellStatus::Repaired;
      flagged += cell.status == core::CellStatus::Flagged;
    }
    line += "  " + std::to_string(numeric) + " numbers";
    if (repaired) line += ", " + std::to_string(repaired) + " repaired";
    if (flagged) line += ", " + std::to_string(flagged) + " flagged";
    int checks = 0, broken = 0;  // identities whose first term is in this table
    for (const core::Check& check : document.checks) {
      if (check.terms.empty() || check.terms.front().cell.table != table.id) continue;
      ++checks;
      broken += check.status == core::CheckStatus::Broken;
    }
    if (checks)
      line += "  " + std::to_string(checks) + " checks" +
              (broken ? ", " + std::to_string(broken) + " broken" : "");
    lines.push_back(line);
  }
  return lines;
}

}  // namespace tally::app
