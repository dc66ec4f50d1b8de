#include "page_drawing.h"

#include <poppler/GfxState.h>
#include <poppler/OutputDev.h>
#include <poppler/PDFDoc.h>
#include <poppler/goo/GooString.h>

#include <algorithm>
#include <cmath>
#include <optional>

namespace tally::extract::detail {

namespace {

// An output device that draws nothing and notes what would be drawn.
class DrawingProbe : public OutputDev {
 public:
  PageDrawing drawing;
  double image_area = 0;  // points²

  bool upsideDown() override { return true; }
  bool useDrawChar() override { return true; }
  bool interpretType3Chars() override { return false; }
  bool needNonText() override { return true; }

  void drawChar(GfxState* state, double, double, double, double, double, double, CharCode, int,
                const Unicode*, int) override {
    // Render mode 3 is invisible text (the OCR layer of many scans); 7 only clips.
    if (state->getRender() != 3 && state->getRender() != 7) drawing.other_ink = true;
  }
  void stroke(GfxState*) override { drawing.other_ink = true; }
  void fill(GfxState* state) override { note_fill(state); }
  void eoFill(GfxState* state) override { note_fill(state); }

  void drawImage(GfxState* state, Object*, Stream*, int width, int height, GfxImageColorMap*, bool,
                 const int*, bool) override {
    note_image(state, width, height);
  }
  void drawImageMask(GfxState* state, Object*, Stream*, int width, int height, bool, bool,
                     bool) override {
    note_image(state, width, height);
  }
  void drawMaskedImage(GfxState* state, Object*, Stream*, int width, int height, GfxImageColorMap*,
                       bool, Stream*, int, int, bool, bool) override {
    note_image(state, width, height);
  }
  void drawSoftMaskedImage(GfxState* state, Object*, Stream*, int width, int height,
                           GfxImageColorMap*, bool, Stream*, int, int, GfxImageColorMap*,
                           bool) override {
    note_image(state, width, height);
  }

 private:
  // A white fill (a scanner's paper rectangle) is not ink.
  void note_fill(GfxState* state) {
    GfxRGB rgb;
    state->getFillRGB(&rgb);
    if (std::min({rgb.r, rgb.g, rgb.b}) < gfxColorComp1 * 0.97) drawing.other_ink = true;
  }
  // At 72 dpi the current transform maps the image's unit square to page points.
  void note_image(GfxState* state, int width, int height) {
    const double* m = state->getCTM();
    const double across = std::hypot(m[0], m[1]), down = std::hypot(m[2], m[3]);
    if (across < 1 || down < 1 || width < 2 || height < 2) return;
    const double dpi = std::min(width / across, height / down) * 72.0;
    drawing.image_dpi = drawing.image_dpi > 0 ? std::min(drawing.image_dpi, dpi) : dpi;
    image_area += std::abs(m[0] * m[3] - m[1] * m[2]);
  }
};

}  // namespace

DrawingReader::DrawingReader(const std::filesystem::path& path, const std::string& password) {
  std::optional<GooString> secret;
  if (!password.empty()) secret.emplace(password.c_str());
  document_ =
      std::make_unique<PDFDoc>(std::make_unique<GooString>(path.string().c_str()), secret, secret);
  if (!document_->isOk()) document_.reset();
}

DrawingReader::~DrawingReader() = default;

PageDrawing DrawingReader::read(int number) {
  if (!document_ || number < 1 || number > document_->getNumPages()) return {};
  DrawingProbe probe;
  document_->displayPage(&probe, number, 72, 72, 0, true, false, false);
  const double page_area =
      document_->getPageMediaWidth(number) * document_->getPageMediaHeight(number);
  if (page_area > 0) probe.drawing.image_cover = std::min(1.0, probe.image_area / page_area);
  return probe.drawing;
}

}  // namespace tally::extract::detail
