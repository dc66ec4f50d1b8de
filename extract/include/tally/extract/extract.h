// extract/: opens a PDF, reads its text layer with positions, judges whether that text layer can be
// trusted, and renders pages to grey rasters for the stages that need pixels.
//
// Poppler is used only behind this header. A PdfDocument serializes access to Poppler internally,
// so one document may be used from several threads, one call at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tally/core/model.h"

namespace tally::extract {

struct OpenOptions {
  std::string password;                            // owner or user password; empty for none
  std::int64_t max_bytes = std::int64_t{2} << 30;  // refuse larger files (ErrorCode::TooLarge)
  double max_page_points = 14400;                  // refuse pages wider or taller (PDF's own limit)
};

// What a page draws besides its text layer, found without rendering it: enough to render a
// scanned page at the resolution it was scanned at.
struct PageDrawing {
  double image_dpi =
      0;  // the lowest resolution of its images, in pixels per inch of the page; 0: none
  double image_cover = 0;  // share of the page the images cover, at most 1
  bool other_ink = false;  // visible text, strokes or non-white fills besides the images
};

class PdfDocument {
 public:
  // Opens `path`. Throws core::Error with a sentence naming the file for: a missing path
  // (NotFound), a file larger than max_bytes (TooLarge), a file that is not a PDF (NotPdf), one
  // Poppler cannot parse (Damaged), an encrypted one without or with a wrong password (Encrypted,
  // BadPassword), one with no pages (NoPages) and a page larger than max_page_points (PageTooLarge,
  // naming the page).
  static PdfDocument open(const std::filesystem::path& path, const OpenOptions& options = {});

  PdfDocument(PdfDocument&&) noexcept;
  PdfDocument& operator=(PdfDocument&&) noexcept;
  ~PdfDocument();

  // File name, SHA-256, size and page count.
  const core::Source& source() const;
  int page_count() const;

  // Page `number` (1-based): its size in points (after /Rotate) and the words of its text layer in
  // page coordinates. Text order in the file does not matter: only positions are kept. The page's
  // text_source is left as None; judge_text_layer() decides it.
  core::Page read_page(int number) const;

  // Page `number` rendered to 8-bit grey at `dpi`, white paper, thin lines drawn solid so that
  // hairline rules survive low resolutions.
  core::Raster render_page(int number, double dpi) const;

  // What page `number` draws (see PageDrawing); all zero when Poppler's core API cannot open the
  // file.
  PageDrawing page_drawing(int number) const;

  // The document information dictionary's Title and Subject, for the metadata reader.
  std::string info_title() const;

 private:
  struct Impl;
  explicit PdfDocument(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct TextLayerVerdict {
  core::TextSource source =
      core::TextSource::None;        // TextLayer if usable, Ocr if not, None if blank
  std::vector<std::string> reasons;  // short sentences: what was measured
};

// Decides whether a page's text layer can be used: empty, mojibake (private-use or unassigned code
// points, improbable characters, few hits against the domain vocabulary), or fine.
// `page_has_ink` tells whether the rendered page shows anything (a page with no words but ink is a
// scan and goes to OCR; a page with neither is blank).
TextLayerVerdict judge_text_layer(const core::Page& page, bool page_has_ink);

// How far into a file PDF readers look for the "%PDF-" header: junk before it (a mail header, a
// byte-order mark, a web server's preamble) is tolerated within the first 1024 bytes, as in
// Acrobat's implementation notes and Poppler.
inline constexpr std::size_t kPdfHeaderWindow = 1024;

// Whether `path` is a PDF by its header: "%PDF-" within the first kPdfHeaderWindow bytes. The one
// test of what a PDF is, used by PdfDocument::open and by the batch (a PDF or a manifest?).
bool looks_like_pdf(const std::filesystem::path& path);

// Hex SHA-256 of a file's bytes (as Source::sha256). Throws core::Error(Io) naming the file.
std::string file_sha256(const std::filesystem::path& path);

}  // namespace tally::extract
