// What a page draws, from Poppler's core API (libpoppler-private-dev). poppler-cpp renders and
// extracts text but says nothing of a page's images; only this file pair uses the core API, whose
// headers change between Poppler releases.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "tally/extract/extract.h"

class PDFDoc;

namespace tally::extract::detail {

class DrawingReader {
 public:
  // Opens `path` a second time, with Poppler's core API. Call with the document's lock held: the
  // core API shares Poppler's global state with poppler-cpp.
  DrawingReader(const std::filesystem::path& path, const std::string& password);
  ~DrawingReader();
  DrawingReader(const DrawingReader&) = delete;
  DrawingReader& operator=(const DrawingReader&) = delete;

  // Walks page `number` (1-based) without rendering it. All zero when the file cannot be opened.
  PageDrawing read(int number);

 private:
  std::unique_ptr<PDFDoc> document_;
};

}  // namespace tally::extract::detail
