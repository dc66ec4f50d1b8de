// The OCR path's trace, printed by the CLI: libraries collect it (ocr::PageTrace), only `tally`
// writes it out. Switched on by --verbose (timing) or by the environment, read once in main:
// TALLY_OCR_TIMING=1, TALLY_OCR_MEMORY_LOG=1, TALLY_CHARACTERS_CHECK=1, TALLY_GLYPHS_CHECK=1,
// TALLY_OCR_DUMP=DIR (ocr/README.md says what each gives).
#pragma once

#include "tally/app/job.h"

namespace tally::cli {

// Reads the variables above; called once, first thing in main.
void read_trace_environment();

// Sets `job` to collect what the environment (and `verbose`: timing) asks for and to print each
// OCR page's trace on stderr (crops as PGM files in the dump folder).
void request_trace(app::JobOptions& job, bool verbose = false);

}  // namespace tally::cli
