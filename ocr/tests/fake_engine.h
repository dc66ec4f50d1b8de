// A scripted OCR engine for unit tests of the reading policy: each call is answered by the test's
// script and recorded, so a test can say which crops were read how, and how often, without
// Tesseract.
#pragma once

#include <functional>
#include <vector>

#include "tally/ocr/ocr.h"

namespace tally::ocr::testing {

class FakeEngine final : public Engine {
 public:
  struct Call {
    PixelBox box;
    TextKind kind;
    Settings settings;
    bool side_by_side = false;  // one of the crops of a read_side_by_side call
  };
  using Script =
      std::function<Reading(const PixelBox& box, TextKind kind, const Settings& settings)>;

  explicit FakeEngine(Script script) : script_(std::move(script)) {}

  using Engine::read;
  Reading read(const core::Raster&, const PixelBox& box, TextKind kind,
               const Settings& settings) override {
    calls.push_back({box, kind, settings, false});
    return script_(box, kind, settings);
  }
  // Each crop read as if alone: the script answers for each.
  std::vector<Reading> read_side_by_side(const core::Raster&, const std::vector<PixelBox>& boxes,
                                         TextKind kind) override {
    std::vector<Reading> readings;
    for (const PixelBox& box : boxes) {
      calls.push_back({box, kind, {}, true});
      readings.push_back(script_(box, kind, {}));
    }
    return readings;
  }
  std::vector<WordReading> read_words(const core::Raster&, const PixelBox& box) override {
    calls.push_back({box, TextKind::Line, {}, false});
    return {};
  }

  std::vector<Call> calls;

 private:
  Script script_;
};

}  // namespace tally::ocr::testing
