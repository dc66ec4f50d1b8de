#include "trace.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <string>

namespace tally::cli {

namespace {

struct Requested {
  ocr::TraceSwitches switches;
  std::string dump_dir;
};

Requested& requested() {
  static Requested r;
  return r;
}

// TALLY_OCR_DUMP: the crop as a PGM file whose comment holds the readings.
void write_crop(const std::string& dir, int page, const ocr::PageTrace::Crop& crop) {
  static int counter = 0;
  const std::string path =
      dir + "/p" + std::to_string(page) + "-" + std::to_string(counter++) + ".pgm";
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fprintf(f, "P5\n# %s\n%d %d\n255\n", crop.note.c_str(), crop.width, crop.height);
    std::fwrite(crop.pixels.data(), 1, crop.pixels.size(), f);
    std::fclose(f);
  }
}

void print(const ocr::PageTrace& trace, const std::string& dump_dir) {
  static std::mutex mutex;  // batch documents finish on several threads
  const std::lock_guard lock(mutex);
  for (const std::string& line : trace.comparisons) std::fprintf(stderr, "%s\n", line.c_str());
  for (const ocr::PageTrace::Crop& crop : trace.crops) write_crop(dump_dir, trace.page, crop);
  if (trace.switches.timing) std::fprintf(stderr, "%s\n", trace.summary().c_str());
}

}  // namespace

void read_trace_environment() {
  Requested& r = requested();
  r.switches.timing = std::getenv("TALLY_OCR_TIMING") != nullptr;
  r.switches.memory_log = std::getenv("TALLY_OCR_MEMORY_LOG") != nullptr;
  r.switches.characters_check = std::getenv("TALLY_CHARACTERS_CHECK") != nullptr;
  r.switches.glyphs_check = std::getenv("TALLY_GLYPHS_CHECK") != nullptr;
  if (const char* dir = std::getenv("TALLY_OCR_DUMP")) {
    r.switches.dump_crops = true;
    r.dump_dir = dir;
  }
}

void request_trace(app::JobOptions& job, bool verbose) {
  job.trace = requested().switches;
  job.trace.timing |= verbose;
  const ocr::TraceSwitches& s = job.trace;
  if (!s.timing && !s.memory_log && !s.characters_check && !s.glyphs_check && !s.dump_crops) return;
  const std::string dump_dir = requested().dump_dir;
  job.on_page_trace = [dump_dir](const ocr::PageTrace& trace) { print(trace, dump_dir); };
}

}  // namespace tally::cli
