// app/: what produced an output. Every document's JSON, ledger record and database row carries it,
// so a corpus built over weeks on many machines says what read each row.
#pragma once

#include <string>

#include "tally/app/job.h"
#include "tally/core/model.h"

namespace tally::app {

// Tally's version: the git commit it was configured from ("f4f497efd9c4", "-dirty" when the tree
// had changes), or "unknown" outside a git checkout.
std::string tally_version();

// Tally's version, the Poppler and Tesseract versions at run time, and the options of `options`
// that change what is read (dpi, OCR dpi and mode, repair, pages).
core::Producer producer_of(const JobOptions& options);

// One text of a producer, for comparing two and for messages:
// "tally f4f497efd9c4, Poppler 22.12.0, Tesseract 5.3.0, dpi=100 ocr-dpi=300 ocr=auto repair=on".
std::string producer_text(const core::Producer& producer);

// `tally --version`: "tally f4f497efd9c4 (Poppler 22.12.0, Tesseract 5.3.0)".
std::string version_line();

}  // namespace tally::app
