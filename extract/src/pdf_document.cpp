#include <openssl/evp.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <mutex>

#include "page_drawing.h"
#include "tally/core/error.h"
#include "tally/core/text.h"
#include "tally/extract/extract.h"

namespace tally::extract {

using core::Error;
using core::ErrorCode;

namespace {

// Poppler reports parse problems through one process-wide callback. Libraries never print, so the
// messages are collected per thread and handed to whichever document call was running.
thread_local std::vector<std::string> poppler_messages;

void collect_poppler_message(const std::string& message, void*) {
  if (poppler_messages.size() < 100) poppler_messages.push_back(message);
}

void install_message_collector() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(collect_poppler_message, nullptr); });
}

std::string file_label(const std::filesystem::path& path) {
  return path.filename().string();
}

std::string sha256_of_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::Io, file_label(path) + ": cannot be read.");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context(EVP_MD_CTX_new(),
                                                                  EVP_MD_CTX_free);
  EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    EVP_DigestUpdate(context.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorCode::Io, file_label(path) + ": reading failed.");
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(context.get(), digest.data(), &length);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xF]);
  }
  return hex;
}

}  // namespace

bool looks_like_pdf(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(kPdfHeaderWindow, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head.find("%PDF-") != std::string::npos;
}

namespace {

bool font_is_bold(const std::string& font_name) {
  for (const char* marker : {"Bold", "bold", "Heavy", "Black", "Hei", "hei", "SimHei", "Semibold"})
    if (font_name.find(marker) != std::string::npos) return true;
  return false;
}

}  // namespace

struct PdfDocument::Impl {
  std::unique_ptr<poppler::document> document;
  core::Source source;
  std::filesystem::path path;
  std::string password;
  std::unique_ptr<detail::DrawingReader> drawings;  // opened on first use
  mutable std::mutex mutex;  // Poppler's document is not safe for concurrent use
};

PdfDocument::PdfDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PdfDocument::PdfDocument(PdfDocument&&) noexcept = default;
PdfDocument& PdfDocument::operator=(PdfDocument&&) noexcept = default;
PdfDocument::~PdfDocument() = default;

PdfDocument PdfDocument::open(const std::filesystem::path& path, const OpenOptions& options) {
  install_message_collector();
  const std::string name = file_label(path);
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    throw Error(ErrorCode::NotFound, path.string() + ": no such file.");
  if (std::filesystem::is_directory(path, ec))
    throw Error(ErrorCode::NotPdf, path.string() + ": is a directory, not a PDF file.");
  const auto bytes = static_cast<std::int64_t>(std::filesystem::file_size(path, ec));
  if (ec) throw Error(ErrorCode::Io, name + ": cannot read the file size (" + ec.message() + ").");
  if (bytes == 0) throw Error(ErrorCode::NotPdf, name + ": the file is empty, not a PDF.");
  if (bytes > options.max_bytes)
    throw Error(ErrorCode::TooLarge, name + ": the file is " + std::to_string(bytes >> 20) +
                                         " MiB, larger than the limit of " +
                                         std::to_string(options.max_bytes >> 20) + " MiB.");
  if (!looks_like_pdf(path))
    throw Error(ErrorCode::NotPdf, name + ": not a PDF (no %PDF- header in the first 1024 bytes).");

  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->password = options.password;
  impl->source.file = name;
  impl->source.bytes = bytes;
  impl->source.sha256 = sha256_of_file(path);

  poppler_messages.clear();
  impl->document.reset(
      poppler::document::load_from_file(path.string(), options.password, options.password));
  if (!impl->document) {
    std::string detail = poppler_messages.empty() ? "" : " (" + poppler_messages.back() + ")";
    throw Error(ErrorCode::Damaged, name + ": damaged PDF, Poppler cannot parse it" + detail + ".");
  }
  if (impl->document->is_locked()) {
    if (options.password.empty())
      throw Error(ErrorCode::Encrypted,
                  name + ": the PDF is encrypted; give its password with --password.");
    if (impl->document->unlock(options.password, options.password))
      throw Error(ErrorCode::BadPassword, name + ": the password given does not open this PDF.");
  }
  const int pages = impl->document->pages();
  if (pages <= 0) throw Error(ErrorCode::NoPages, name + ": the PDF has no pages.");
  impl->source.page_count = pages;

  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(impl->document->create_page(i));
    if (!page)
      throw Error(ErrorCode::Damaged,
                  name + ": page " + std::to_string(i + 1) + ": cannot be read.");
    const poppler::rectf rect = page->page_rect(poppler::crop_box);
    if (rect.width() > options.max_page_points || rect.height() > options.max_page_points)
      throw Error(ErrorCode::PageTooLarge,
                  name + ": page " + std::to_string(i + 1) + ": page is " +
                      std::to_string(static_cast<long>(std::lround(rect.width()))) + " × " +
                      std::to_string(static_cast<long>(std::lround(rect.height()))) +
                      " pt, larger than the limit of " +
                      std::to_string(static_cast<long>(options.max_page_points)) + " pt.");
  }
  return PdfDocument(std::move(impl));
}

const core::Source& PdfDocument::source() const {
  return impl_->source;
}
int PdfDocument::page_count() const {
  return impl_->source.page_count;
}

core::Page PdfDocument::read_page(int number) const {
  std::lock_guard lock(impl_->mutex);
  if (number < 1 || number > impl_->source.page_count)
    throw Error(ErrorCode::Usage, impl_->source.file + ": page " + std::to_string(number) +
                                      " does not exist (the PDF has " +
                                      std::to_string(impl_->source.page_count) + " pages).");
  std::unique_ptr<poppler::page> page(impl_->document->create_page(number - 1));
  if (!page)
    throw Error(ErrorCode::Damaged,
                impl_->source.file + ": page " + std::to_string(number) + ": cannot be read.");

  core::Page result;
  result.number = number;
  const poppler::rectf rect = page->page_rect(poppler::crop_box);
  const bool turned = page->orientation() == poppler::page::landscape ||
                      page->orientation() == poppler::page::seascape;
  result.width = turned ? rect.height() : rect.width();
  result.height = turned ? rect.width() : rect.height();

  std::vector<poppler::text_box> boxes = page->text_list(poppler::page::text_list_include_font);
  result.words.reserve(boxes.size());
  for (const poppler::text_box& box : boxes) {
    const poppler::byte_array utf8 = box.text().to_utf8();
    core::Word word;
    word.text.assign(utf8.begin(), utf8.end());
    if (core::normalize_space(word.text).empty()) continue;
    const poppler::rectf r = box.bbox();
    word.box = {r.left(), r.top(), r.right(), r.bottom()};
    const std::size_t code_points = core::utf8_length(word.text);
    word.glyphs.reserve(code_points);
    for (std::size_t i = 0; i < code_points; ++i) {
      const poppler::rectf g = box.char_bbox(i);
      word.glyphs.push_back({g.left(), g.top(), g.right(), g.bottom()});
    }
    word.font_size = box.get_font_size();
    word.space_after = box.has_space_after();
    if (box.has_font_info()) word.bold = font_is_bold(box.get_font_name());
    result.words.push_back(std::move(word));
  }
  return result;
}

core::Raster PdfDocument::render_page(int number, double dpi) const {
  std::lock_guard lock(impl_->mutex);
  std::unique_ptr<poppler::page> page(impl_->document->create_page(number - 1));
  if (!page)
    throw Error(ErrorCode::Damaged,
                impl_->source.file + ": page " + std::to_string(number) + ": cannot be rendered.");
  poppler::page_renderer renderer;
  renderer.set_image_format(poppler::image::format_gray8);
  renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
  renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
  // Draw hairlines at least one pixel wide and solid: ruling lines of 0.1–0.5 pt must survive 100
  // dpi.
  renderer.set_line_mode(poppler::page_renderer::line_solid);
  renderer.set_paper_color(0xffffffff);
  const poppler::image image = renderer.render_page(page.get(), dpi, dpi);
  if (!image.is_valid())
    throw Error(ErrorCode::Damaged,
                impl_->source.file + ": page " + std::to_string(number) + ": rendering failed.");

  core::Raster raster;
  raster.width = image.width();
  raster.height = image.height();
  raster.dpi = dpi;
  raster.pixels.resize(static_cast<std::size_t>(raster.width) *
                       static_cast<std::size_t>(raster.height));
  const char* data = image.const_data();
  for (int y = 0; y < raster.height; ++y)
    std::memcpy(raster.pixels.data() + static_cast<std::size_t>(y) * raster.width,
                data + static_cast<std::ptrdiff_t>(y) * image.bytes_per_row(),
                static_cast<std::size_t>(raster.width));
  return raster;
}

PageDrawing PdfDocument::page_drawing(int number) const {
  std::lock_guard lock(impl_->mutex);
  if (!impl_->drawings)
    impl_->drawings = std::make_unique<detail::DrawingReader>(impl_->path, impl_->password);
  return impl_->drawings->read(number);
}

std::string PdfDocument::info_title() const {
  std::lock_guard lock(impl_->mutex);
  std::string out;
  for (const char* key : {"Title", "Subject"}) {
    const poppler::byte_array utf8 = impl_->document->info_key(key).to_utf8();
    if (!utf8.empty()) {
      if (!out.empty()) out += " ";
      out.append(utf8.begin(), utf8.end());
    }
  }
  return out;
}

std::string file_sha256(const std::filesystem::path& path) {
  return sha256_of_file(path);
}

}  // namespace tally::extract
