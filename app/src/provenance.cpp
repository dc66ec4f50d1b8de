#include "tally/app/provenance.h"

#include <poppler/cpp/poppler-version.h>
#include <tesseract/baseapi.h>

#include <cstdio>

#include "tally_version.h"

namespace tally::app {

std::string tally_version() {
  return TALLY_GIT_VERSION;
}

core::Producer producer_of(const JobOptions& options) {
  core::Producer producer;
  producer.tally = tally_version();
  producer.poppler = poppler::version_string();
  producer.tesseract = tesseract::TessBaseAPI::Version();
  char text[160];
  std::snprintf(text, sizeof text, "dpi=%g ocr-dpi=%g ocr=%s repair=%s", options.dpi,
                options.ocr_dpi,
                options.ocr == OcrMode::Always  ? "always"
                : options.ocr == OcrMode::Never ? "never"
                                                : "auto",
                options.repair ? "on" : "off");
  producer.options = text;
  if (options.pages)
    producer.options += " pages=" + std::to_string(options.pages->first) + "-" +
                        (options.pages->last ? std::to_string(options.pages->last) : "");
  return producer;
}

std::string producer_text(const core::Producer& p) {
  return "tally " + p.tally + ", Poppler " + p.poppler + ", Tesseract " + p.tesseract + ", " +
         p.options;
}

std::string version_line() {
  const core::Producer p = producer_of({});
  return "tally " + p.tally + " (Poppler " + p.poppler + ", Tesseract " + p.tesseract + ")";
}

}  // namespace tally::app
