// libFuzzer target: arbitrary bytes as a PDF through the whole document job (open, text layer,
// render, rulings, tables, join, metadata, reconcile). Errors must be core::Error, never a crash.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "tally/app/job.h"
#include "tally/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::filesystem::path path = std::filesystem::temp_directory_path() /
                                            ("tally-fuzz-" + std::to_string(::getpid()) + ".pdf");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  tally::app::JobOptions options;
  options.ocr =
      tally::app::OcrMode::Never;  // OCR is too slow for fuzzing; its input is a raster anyway
  options.dpi = 50;
  options.max_page_points = 3000;  // keeps renders small
  options.templates_dir = TALLY_SOURCE_DIR "/templates";
  options.pages = tally::app::PageRange{1, 3};
  try {
    const tally::core::Document document = tally::app::run_document(path, options);
    (void)document;
  } catch (const tally::core::Error&) {
    // expected for bad input
  }
  return 0;
}
