// The batch: many documents in parallel, a ledger for --resume, the corpus database.
#include "tally/app/batch.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "batch_steps.h"
#include "tally/app/exit_codes.h"
#include "tally/app/provenance.h"
#include "tally/core/error.h"
#include "tally/export/export.h"
#include "tally/extract/extract.h"

namespace tally::app {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool has_pdf_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".pdf";
}

std::string without_pdf_extension(const std::string& name) {
  return has_pdf_extension(name) ? name.substr(0, name.size() - 4) : name;
}

bool is_under(const fs::path& path, const fs::path& folder) {
  if (folder.empty()) return false;
  std::error_code ec;
  const fs::path a = fs::weakly_canonical(path, ec), b = fs::weakly_canonical(folder, ec);
  auto ai = a.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai)
    if (ai == a.end() || *ai != *bi) return false;
  return true;
}

// The page images of the table pages, for the HTML report.
std::map<int, exports::PageImage> render_table_pages(const fs::path& path,
                                                     const core::Document& document,
                                                     const BatchOptions& options) {
  std::map<int, exports::PageImage> images;
  std::set<int> pages;
  for (const core::Table& table : document.tables)
    pages.insert(table.pages.begin(), table.pages.end());
  if (pages.empty()) return images;
  const extract::PdfDocument pdf = extract::PdfDocument::open(
      path, {options.job.password, options.job.max_bytes, options.job.max_page_points});
  for (int number : pages) {
    const core::Raster raster = pdf.render_page(number, options.report_dpi);
    if (raster.width <= 0 || raster.height <= 0) continue;
    // A scan turned upright before reading has its boxes in the upright frame: turn the image too.
    int turn = 0;
    double width_pt = 0, height_pt = 0, skew = 0;
    for (const core::Page& page : document.pages)
      if (page.number == number) {
        turn = ((page.orientation_degrees % 360) + 360) % 360;
        width_pt = page.width;
        height_pt = page.height;
        skew = page.skew_degrees;
      }
    exports::PageImage image = exports::page_image_of(raster, turn, width_pt, height_pt, skew);
    if (image.png.empty()) continue;
    images[number] = std::move(image);
  }
  return images;
}

// What --resume knows of documents done, by content: the hash and the counts the summary adds up.
// A table of fixed size, made once at the start with room for every document of the ledger and
// every input of this run, so that the parent's memory does not grow as documents finish (a node
// per document would: the parent's memory must stay flat over 100,000 documents).
class DoneIndex {
 public:
  struct Counts {
    int tables = 0, checks_held = 0, checks_repaired = 0, checks_broken = 0;
  };
  explicit DoneIndex(std::size_t capacity) {
    std::size_t size = 16;
    while (size < 2 * capacity) size *= 2;  // at most half full: short probes
    slots_.resize(size);
  }
  // Records content `sha256` (hex) as done; false when the hash is not one (never read).
  bool add(const std::string& sha256, const Counts& counts) {
    Key key;
    if (!key_of(sha256, key)) return false;
    Slot& slot = slots_[slot_of(key)];
    if (!slot.used && used_ + 1 > slots_.size() / 2) return false;  // full: cannot happen by size
    used_ += !slot.used;
    slot = {key, counts, true};
    return true;
  }
  std::optional<Counts> done(const std::string& sha256) const {
    Key key;
    if (!key_of(sha256, key)) return std::nullopt;
    const Slot& slot = slots_[slot_of(key)];
    return slot.used ? std::optional(slot.counts) : std::nullopt;
  }

 private:
  using Key = std::array<unsigned char, 32>;
  struct Slot {
    Key key{};
    Counts counts;
    bool used = false;
  };
  static bool key_of(const std::string& hex, Key& key) {
    if (hex.size() != 2 * key.size()) return false;
    const auto digit = [](char c) {
      return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    for (std::size_t i = 0; i < key.size(); ++i) {
      const int high = digit(hex[2 * i]), low = digit(hex[2 * i + 1]);
      if (high < 0 || low < 0) return false;
      key[i] = static_cast<unsigned char>(high * 16 + low);
    }
    return true;
  }
  // The key's slot, or the empty slot where it would go (linear probing).
  std::size_t slot_of(const Key& key) const {
    std::uint64_t h = 0;  // the hash's own first bytes spread well
    for (std::size_t i = 0; i < 8; ++i) h = h << 8 | key[i];
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1))
      if (!slots_[i].used || slots_[i].key == key) return i;
  }
  std::vector<Slot> slots_;
  std::size_t used_ = 0;
};

DoneIndex::Counts counts_of(const BatchRecord& r) {
  return {r.tables, r.checks_held, r.checks_repaired, r.checks_broken};
}

bool wants(const BatchOptions& options, BatchFormat format) {
  return std::find(options.formats.begin(), options.formats.end(), format) != options.formats.end();
}

}  // namespace

namespace detail {

nlohmann::json json_of(const BatchRecord& r) {
  return {{"name", r.name},
          {"sha256", r.sha256},
          {"status", r.status},
          {"error_code", r.error_code},
          {"message", r.message},
          {"tables", r.tables},
          {"checks_held", r.checks_held},
          {"checks_repaired", r.checks_repaired},
          {"checks_broken", r.checks_broken},
          {"seconds", r.seconds},
          {"attempts", r.attempts},
          {"producer",
           {{"tally", r.producer.tally},
            {"poppler", r.producer.poppler},
            {"tesseract", r.producer.tesseract},
            {"options", r.producer.options}}}};
}

BatchRecord record_of(const nlohmann::json& j) {
  BatchRecord r;
  r.name = j.value("name", "");
  r.sha256 = j.value("sha256", "");
  r.status = j.value("status", "");
  r.error_code = j.value("error_code", "");
  r.message = j.value("message", "");
  r.tables = j.value("tables", 0);
  r.checks_held = j.value("checks_held", 0);
  r.checks_repaired = j.value("checks_repaired", 0);
  r.checks_broken = j.value("checks_broken", 0);
  r.seconds = j.value("seconds", 0.0);
  r.attempts = j.value("attempts", 0);
  if (j.contains("producer") && j["producer"].is_object()) {
    const nlohmann::json& p = j["producer"];
    r.producer = {p.value("tally", ""), p.value("poppler", ""), p.value("tesseract", ""),
                  p.value("options", "")};
  }
  return r;
}

std::unique_ptr<exports::CorpusWriter> open_batch_database(const fs::path& outdir,
                                                           const BatchOptions& options) {
  if (!options.database.empty()) return exports::open_corpus(options.database);
  if (wants(options, BatchFormat::Sqlite))
    return std::make_unique<exports::CorpusDatabase>(outdir / kDatabaseName);
  return nullptr;
}

void read_one_document(const BatchInput& input, const fs::path& outdir, const BatchOptions& options,
                       exports::CorpusWriter* database, std::mutex* database_mutex,
                       BatchRecord& record) {
  JobOptions job = options.job;
  job.jobs = 1;
  try {
    const core::Document document = run_document(input.path, job);
    record.producer = document.producer;
    for (const core::Check& check : document.checks) {
      record.checks_held += check.status == core::CheckStatus::Held ||
                            check.status == core::CheckStatus::HeldRounding;
      record.checks_repaired += check.status == core::CheckStatus::HeldAfterRepair;
      record.checks_broken += check.status == core::CheckStatus::Broken;
    }
    record.tables = static_cast<int>(document.tables.size());
    std::vector<OutputFormat> simple;
    if (wants(options, BatchFormat::Json)) simple.push_back(OutputFormat::Json);
    if (wants(options, BatchFormat::Csv)) simple.push_back(OutputFormat::Csv);
    if (wants(options, BatchFormat::CsvExcel)) simple.push_back(OutputFormat::CsvExcel);
    if (wants(options, BatchFormat::Xlsx)) simple.push_back(OutputFormat::Xlsx);
    write_outputs(document, outdir, input.stem, simple);
    if (wants(options, BatchFormat::Html))
      exports::write_file_atomically(
          outdir / (input.stem + ".html"),
          exports::html_of(document, render_table_pages(input.path, document, options)));
    if (database) {
      std::unique_lock<std::mutex> lock;
      if (database_mutex) lock = std::unique_lock(*database_mutex);
      database->add_document(document, record.name);
    }
    record.status = "done";
  } catch (const core::Error& error) {
    record.status = "error";
    record.error_code = core::to_string(error.code());
    record.message = error.what();
  } catch (const std::bad_alloc&) {
    record.status = "error";
    record.error_code = "memory_limit";
    record.message = input.name + ": out of memory" +
                     (options.memory_limit > 0 && !options.worker.empty()
                          ? " (the limit is " + std::to_string(options.memory_limit >> 20) +
                                " MiB; --memory-limit)."
                          : ".");
  } catch (const std::exception& error) {
    record.status = "error";
    record.error_code = "internal";
    record.message = input.name + ": internal error: " + error.what();
  }
}

}  // namespace detail

std::vector<BatchInput> list_batch_inputs(const fs::path& input, const fs::path& skip) {
  std::error_code ec;
  if (input.empty() || !fs::exists(input, ec))
    throw core::Error(core::ErrorCode::NotFound, input.string() + ": no such file or folder.");
  std::vector<BatchInput> inputs;
  if (fs::is_directory(input, ec)) {
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(
             input, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory(ec) && is_under(it->path(), skip)) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && has_pdf_extension(it->path())) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
      // Lexically: a link in the folder keeps its own name (fs::relative would follow it and name
      // the target "../…", and its outputs would land outside OUTDIR).
      const std::string name = file.lexically_relative(input).generic_string();
      inputs.push_back({file, name, without_pdf_extension(name)});
    }
    if (inputs.empty())
      throw core::Error(core::ErrorCode::Usage, input.string() + ": no PDF files in this folder.");
    return inputs;
  }
  if (extract::looks_like_pdf(input)) {
    const std::string name = input.filename().string();
    return {{input, name, without_pdf_extension(name)}};
  }
  // A manifest.
  std::ifstream in(input);
  if (!in) throw core::Error(core::ErrorCode::Io, input.string() + ": cannot be read.");
  std::set<std::string> stems;
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    line = line.substr(start);
    if (line.find('\0') != std::string::npos)
      throw core::Error(core::ErrorCode::Usage,
                        input.string() + ": not a manifest (a list of PDF paths, one per line).");
    fs::path path(line);
    if (path.is_relative()) path = input.parent_path() / path;
    std::string stem = without_pdf_extension(path.filename().string());
    const std::string base = stem;
    for (int n = 2; stems.count(stem); ++n) stem = base + "-" + std::to_string(n);
    stems.insert(stem);
    inputs.push_back({path, line, stem});
  }
  if (inputs.empty())
    throw core::Error(core::ErrorCode::Usage, input.string() + ": the manifest lists no files.");
  return inputs;
}

std::vector<BatchFormat> batch_formats_from_text(const std::string& text) {
  std::vector<BatchFormat> formats;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string name = text.substr(start, comma - start);
    if (name == "json")
      formats.push_back(BatchFormat::Json);
    else if (name == "csv")
      formats.push_back(BatchFormat::Csv);
    else if (name == "csv-excel")
      formats.push_back(BatchFormat::CsvExcel);
    else if (name == "xlsx")
      formats.push_back(BatchFormat::Xlsx);
    else if (name == "sqlite")
      formats.push_back(BatchFormat::Sqlite);
    else if (name == "html")
      formats.push_back(BatchFormat::Html);
    else if (!name.empty())
      throw core::Error(
          core::ErrorCode::Usage,
          "--format " + name + ": known formats are json, csv, csv-excel, xlsx, sqlite and html.");
    start = comma + 1;
  }
  return formats;
}

BatchSummary run_batch(const std::vector<BatchInput>& inputs, const fs::path& outdir,
                       const BatchOptions& options,
                       const std::function<void(const BatchProgress&)>& progress) {
  const Clock::time_point started = Clock::now();
  std::error_code ec;
  fs::create_directories(outdir, ec);
  if (ec || !fs::is_directory(outdir))
    throw core::Error(
        core::ErrorCode::OutputUnwritable,
        outdir.string() + ": cannot write (" + (ec ? ec.message() : "not a folder") + ").");
  // The ledger, read once: what --resume skips (by content) and the documents earlier runs left
  // `started` (by name). Nothing of it is kept per document as the batch goes on.
  std::map<std::string, int> started_attempts;
  DoneIndex done_index(options.resume ? inputs.size() : 0);
  {
    std::map<std::string, BatchRecord> earlier = read_batch_ledger(outdir);
    // A corpus read by one version with one set of options, unless told otherwise: --resume would
    // otherwise keep rows of another version beside new ones.
    const std::string now = producer_text(producer_of(options.job));
    std::size_t done_earlier = 0;
    for (const auto& [name, r] : earlier) {
      done_earlier += r.status == "done";
      if (r.status == "started") started_attempts[name] = r.attempts;
      if (options.resume && !options.allow_mixed_versions && r.status == "done" &&
          producer_text(r.producer) != now)
        throw core::Error(
            core::ErrorCode::Usage,
            (outdir / kLedgerName).string() + " records " + name + " as read by " +
                (r.producer.tally.empty() ? std::string("an earlier tally that recorded no version")
                                          : producer_text(r.producer)) +
                "; this is " + now +
                ". Resume with --allow-mixed-versions to add to it anyway, or write to a new "
                "folder.");
    }
    if (options.resume) {
      done_index = DoneIndex(done_earlier + inputs.size());
      for (const auto& [name, r] : earlier)
        if (r.status == "done") done_index.add(r.sha256, counts_of(r));
    }
  }
  detail::LedgerWriter ledger(outdir /
                              kLedgerName);  // proves the folder is writable before any work
  // The parent's connection: error records, and the documents themselves when read in threads
  // (a child writes its own document's rows). Opening it here also creates the schema once.
  std::unique_ptr<exports::CorpusWriter> database = detail::open_batch_database(outdir, options);
  const bool isolated = !options.worker.empty();

  // The summary is added up as documents finish; only failures are kept (with their input index,
  // to be reported in input order).
  BatchSummary summary;
  summary.documents = inputs.size();
  std::vector<std::pair<std::size_t, BatchRecord>> errors;
  std::mutex mutex;  // guards ledger, database, index, progress and the summary
  std::condition_variable changed;
  BatchProgress state;
  state.total = inputs.size();
  std::atomic<std::size_t> next{0};

  const auto finish = [&](std::size_t i, BatchRecord record) {
    std::lock_guard lock(mutex);
    if (record.error_code == core::to_string(core::ErrorCode::OutputUnwritable))
      summary.output_failed = true;
    if (database && record.status == "error") {
      try {
        database->add_error(record.name, record.sha256, record.error_code, record.message);
      } catch (const core::Error&) {
        summary.output_failed = true;
      }
    }
    try {
      if (record.status != "skipped") ledger.append(record);
    } catch (const core::Error&) {
      summary.output_failed = true;
    }
    // A copy later in this run is skipped too (the index has room for every input).
    if (options.resume && record.status == "done") done_index.add(record.sha256, counts_of(record));
    ++state.finished;
    --state.running;
    state.skipped += record.status == "skipped";
    state.failed += record.status == "error";
    state.last = record.name;
    summary.read += record.status == "done";
    summary.skipped += record.status == "skipped";
    summary.failed += record.status == "error";
    summary.tables += record.tables;
    summary.checks_held += record.checks_held;
    summary.checks_repaired += record.checks_repaired;
    summary.checks_broken += record.checks_broken;
    if (record.status == "error") errors.emplace_back(i, std::move(record));
    changed.notify_all();
  };

  const auto work = [&] {
    for (std::size_t i = next++; i < inputs.size(); i = next++) {
      if (options.stop && options.stop->load()) {
        std::lock_guard lock(mutex);
        ++state.finished;  // counted so the wait ends; reported as not started
        ++summary.not_started;
        changed.notify_all();
        continue;
      }
      {
        std::lock_guard lock(mutex);
        ++state.running;
      }
      const BatchInput& input = inputs[i];
      const Clock::time_point begun = Clock::now();
      BatchRecord record;
      record.name = input.name;
      try {
        // Size first: a huge file fails before a byte of it is read (not even to hash it).
        std::error_code size_error;
        if (fs::exists(input.path, size_error) && fs::is_regular_file(input.path, size_error)) {
          const auto bytes = static_cast<std::int64_t>(fs::file_size(input.path, size_error));
          if (!size_error && bytes > options.job.max_bytes)
            throw core::Error(core::ErrorCode::TooLarge,
                              input.name + ": the file is " + std::to_string(bytes >> 20) +
                                  " MiB, larger than the limit of " +
                                  std::to_string(options.job.max_bytes >> 20) + " MiB.");
          if (!size_error)
            record.sha256 = input.sha256.empty() ? extract::file_sha256(input.path) : input.sha256;
        }
        std::optional<DoneIndex::Counts> done;
        if (options.resume) {
          std::lock_guard lock(mutex);
          done = done_index.done(record.sha256);
        }
        if (done) {
          record.status = "skipped";
          record.tables = done->tables;
          record.checks_held = done->checks_held;
          record.checks_repaired = done->checks_repaired;
          record.checks_broken = done->checks_broken;
        } else {
          // Mark the document as started, so that one that brings the whole run down (a crash in a
          // library, an out-of-memory kill) is not retried for ever by --resume.
          {
            std::lock_guard lock(mutex);
            const auto before = started_attempts.find(record.name);
            const int attempts = before == started_attempts.end() ? 0 : before->second;
            if (options.resume && attempts >= kMaxAttempts)
              throw core::Error(
                  core::ErrorCode::Internal,
                  input.name + ": " + std::to_string(attempts) +
                      " earlier runs stopped while reading this document (a crash?); skipped. "
                      "Read it alone with `tally extract` to see why.");
            BatchRecord marker = record;
            marker.status = "started";
            marker.attempts = attempts + 1;
            ledger.append(marker);
          }
          if (isolated)
            detail::read_in_child(input, outdir, options, record);
          else
            detail::read_one_document(input, outdir, options, database.get(), &mutex, record);
        }
      } catch (const core::Error& error) {
        record.status = "error";
        record.error_code = core::to_string(error.code());
        record.message = error.what();
      } catch (const std::exception& error) {
        record.status = "error";
        record.error_code = "internal";
        record.message = input.name + ": internal error: " + error.what();
      }
      record.seconds = std::chrono::duration<double>(Clock::now() - begun).count();
      finish(i, std::move(record));
    }
  };

  const int workers =
      std::clamp(options.jobs, 1, static_cast<int>(std::max<std::size_t>(inputs.size(), 1)));
  std::vector<std::thread> threads;
  for (int k = 0; k < workers; ++k) threads.emplace_back(work);
  {
    std::unique_lock lock(mutex);
    while (state.finished < inputs.size()) {
      changed.wait_for(lock, std::chrono::milliseconds(500));
      if (state.finished == inputs.size()) break;  // the final report follows
      state.elapsed_seconds = std::chrono::duration<double>(Clock::now() - started).count();
      if (progress) progress(state);
    }
  }
  for (std::thread& t : threads) t.join();

  std::sort(errors.begin(), errors.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [i, record] : errors) summary.errors.push_back(std::move(record));
  summary.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  state.elapsed_seconds = summary.seconds;
  state.final = true;
  if (progress) progress(state);
  return summary;
}

int batch_exit_code(const BatchSummary& summary) {
  if (summary.not_started > 0) return kExitInterrupted;
  bool input_failed = false;
  for (const BatchRecord& r : summary.errors)
    input_failed |= r.error_code != core::to_string(core::ErrorCode::OutputUnwritable);
  if (input_failed) return kExitInputFailed;
  if (summary.output_failed) return kExitOutputUnwritable;
  if (summary.checks_broken > 0) return kExitSourceErrors;
  return kExitDone;
}

std::string summarize_batch(const BatchSummary& s) {
  char rate[64];
  const double minutes = s.seconds / 60;
  std::snprintf(rate, sizeof rate, "%.2f min, %.1f documents/min", minutes,
                minutes > 0 ? static_cast<double>(s.read) / minutes : 0.0);
  return std::to_string(s.documents) + " documents (" + std::to_string(s.read) + " read, " +
         std::to_string(s.skipped) + " skipped as already done, " + std::to_string(s.failed) +
         " failed); " + std::to_string(s.tables) + " tables; " +
         (s.not_started ? std::to_string(s.not_started) +
                              " not started (interrupted; run again with --resume); "
                        : "") +
         "checks: " + std::to_string(s.checks_held) + " held, " +
         std::to_string(s.checks_repaired) + " repaired, " + std::to_string(s.checks_broken) +
         " broken; " + rate;
}

}  // namespace tally::app
