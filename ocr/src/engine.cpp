// Tesseract through its C++ API: one engine pair (eng for numbers, chi_sim for labels) per thread.
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>

#include <unistd.h>

#include "tally/core/error.h"
#include "tally/core/text.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {

void limit_threads() {
  static std::once_flag once;
  std::call_once(once, [] { ::setenv("OMP_THREAD_LIMIT", "1", 0); });
}

void reexec_single_threaded(char** argv) {
  if (std::getenv("OMP_THREAD_LIMIT") || std::getenv("TALLY_NO_REEXEC")) return;
  ::setenv("OMP_THREAD_LIMIT", "1", 1);
  ::setenv("TALLY_NO_REEXEC", "1", 1);
  ::execv("/proc/self/exe", argv);  // returns only on failure: go on with the limit unset
}

namespace {

constexpr const char* kNumberCharacters = "0123456789,.-()%";

std::unique_ptr<tesseract::TessBaseAPI> make_api(const std::filesystem::path& tessdata, const char* language) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const std::string path = tessdata.string();
  if (api->Init(path.empty() ? nullptr : path.c_str(), language, tesseract::OEM_LSTM_ONLY) != 0)
    throw core::Error(core::ErrorCode::Internal,
                      std::string("Tesseract could not load its '") + language + "' language data" +
                          (path.empty() ? std::string() : " from " + path) +
                          " (Debian: tesseract-ocr-" + (std::string(language) == "eng" ? "eng" : "chi-sim") + ").");
  api->SetVariable("debug_file", "/dev/null");
  api->SetVariable("lstm_choice_mode", "2");  // keep the LSTM's alternatives per character
  return api;
}

// Paper colour of a crop: a high percentile of its border pixels.
std::uint8_t paper_of(const core::Raster& r, const PixelBox& b) {
  std::vector<std::uint8_t> border;
  for (int x = b.x0; x < b.x1; ++x) {
    border.push_back(r.at(x, b.y0));
    border.push_back(r.at(x, b.y1 - 1));
  }
  for (int y = b.y0; y < b.y1; ++y) {
    border.push_back(r.at(b.x0, y));
    border.push_back(r.at(b.x1 - 1, y));
  }
  if (border.empty()) return 255;
  const std::size_t k = border.size() * 3 / 4;
  std::nth_element(border.begin(), border.begin() + static_cast<std::ptrdiff_t>(k), border.end());
  return border[k];
}

}  // namespace

struct Engine::Impl {
  std::filesystem::path tessdata;
  std::unique_ptr<tesseract::TessBaseAPI> numbers, labels;
  std::vector<std::uint8_t> buffer;  // the padded crop, reused

  tesseract::TessBaseAPI& numbers_api() {
    if (!numbers) {
      numbers = make_api(tessdata, "eng");
      numbers->SetVariable("tessedit_char_whitelist", kNumberCharacters);
      numbers->SetVariable("classify_bln_numeric_mode", "1");
    }
    return *numbers;
  }
  tesseract::TessBaseAPI& labels_api() {
    if (!labels) {
      labels = make_api(tessdata, "chi_sim");
      labels->SetVariable("preserve_interword_spaces", "1");
    }
    return *labels;
  }

  // Copies `box` of `raster` into the buffer with a margin of paper around it and hands it to `api`.
  // Numbers read best with a thin margin (a third of the height made clean "7.97" read "9", a
  // sixth made "51.51" read "515)"; a tenth reads both), labels with a wider one.
  static int pad_of(const PixelBox& box, TextKind kind, double share = -1) {
    if (share < 0) share = kind == TextKind::Number ? 0.10 : 0.33;
    return std::max(2, static_cast<int>(box.height() * share));
  }
  void set_image(tesseract::TessBaseAPI& api, const core::Raster& raster, const PixelBox& box, TextKind kind,
                 double share = -1) {
    const int pad = pad_of(box, kind, share);
    const int w = box.width() + 2 * pad, h = box.height() + 2 * pad;
    const std::uint8_t paper = paper_of(raster, box);
    buffer.assign(static_cast<std::size_t>(w) * h, paper);
    for (int y = 0; y < box.height(); ++y)
      std::copy_n(raster.pixels.data() + static_cast<std::size_t>(box.y0 + y) * raster.width + box.x0, box.width(),
                  buffer.data() + static_cast<std::size_t>(y + pad) * w + pad);
    api.SetImage(buffer.data(), w, h, 1, w);
    api.SetSourceResolution(static_cast<int>(std::lround(raster.dpi)));
  }
};

Engine& Engine::for_this_thread(const std::filesystem::path& tessdata) {
  thread_local std::unique_ptr<Engine> engine;
  if (!engine) {
    limit_threads();
    engine.reset(new Engine(tessdata));
  }
  return *engine;
}

Engine::Engine(const std::filesystem::path& tessdata) : impl_(new Impl{tessdata, nullptr, nullptr, {}}) {}

Engine::~Engine() {
  if (impl_->numbers) impl_->numbers->End();
  if (impl_->labels) impl_->labels->End();
  delete impl_;
}

Reading Engine::read(const core::Raster& raster, const PixelBox& requested, TextKind kind, const Settings& settings) {
  Reading reading;
  PixelBox box{std::max(0, requested.x0), std::max(0, requested.y0), std::min(raster.width, requested.x1),
               std::min(raster.height, requested.y1)};
  if (box.width() < 2 || box.height() < 2) return reading;
  tesseract::TessBaseAPI& api = kind == TextKind::Number ? impl_->numbers_api() : impl_->labels_api();
  // A label crop taller than about two lines is a wrapped label: read it as a block.
  const bool block = kind == TextKind::Label && box.height() > 0.3 * raster.dpi && box.height() > box.width() / 3;
  // One Chinese character alone (类, 款, 项, ※) reads better as a character than as a line.
  const bool one_char = kind == TextKind::Label && box.width() < 1.4 * box.height();
  api.SetPageSegMode(block                  ? tesseract::PSM_SINGLE_BLOCK
                     : one_char             ? tesseract::PSM_SINGLE_CHAR
                     : settings.single_word ? tesseract::PSM_SINGLE_WORD
                                            : tesseract::PSM_SINGLE_LINE);
  impl_->set_image(api, raster, box, kind, settings.pad);
  if (api.Recognize(nullptr) != 0) return reading;

  // Symbols with their LSTM choices, to build whole-text alternatives.
  struct Symbol {
    std::string text;
    std::vector<std::pair<std::string, double>> choices;  // other than text, confidence [0, 1]
  };
  std::vector<Symbol> symbols;
  std::string text;
  double confidence_sum = 0;
  int words = 0;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (it) {
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_WORD)) {
        if (!text.empty() && kind != TextKind::Number) {
          // Chinese words join without spaces; Latin ones keep one.
          const std::u32string last = core::utf8_to_u32(text);
          std::unique_ptr<char[]> next(it->GetUTF8Text(tesseract::RIL_SYMBOL));
          const std::u32string first = next ? core::utf8_to_u32(next.get()) : std::u32string();
          if (!last.empty() && !first.empty() && !core::is_cjk(last.back()) && !core::is_cjk(first.front()))
            text += ' ';
        }
        confidence_sum += it->Confidence(tesseract::RIL_WORD);
        ++words;
      }
      std::unique_ptr<char[]> s(it->GetUTF8Text(tesseract::RIL_SYMBOL));
      if (!s) continue;
      Symbol symbol{s.get(), {}};
      text += symbol.text;
      if (kind == TextKind::Number) {
        tesseract::ChoiceIterator choice(*it);
        do {
          const char* c = choice.GetUTF8Text();
          if (!c) continue;
          const std::string ct = c;
          if (ct == symbol.text) continue;
          if (std::none_of(symbol.choices.begin(), symbol.choices.end(), [&](const auto& p) { return p.first == ct; }))
            symbol.choices.emplace_back(ct, std::clamp(choice.Confidence() / 100.0, 0.0, 1.0));
        } while (choice.Next());
      }
      symbols.push_back(std::move(symbol));
    } while (it->Next(tesseract::RIL_SYMBOL));
  }
  reading.text = normalize_text(text, kind);
  reading.confidence = words > 0 ? std::clamp(confidence_sum / words / 100.0, 0.0, 1.0) : 0.0;
  if (reading.text.empty()) reading.confidence = 0;

  // Whole-text alternatives: one symbol replaced by one of its choices, most confident first.
  for (std::size_t i = 0; i < symbols.size(); ++i)
    for (const auto& [choice, conf] : symbols[i].choices) {
      if (conf < 0.02) continue;
      std::string alt;
      for (std::size_t j = 0; j < symbols.size(); ++j) alt += j == i ? choice : symbols[j].text;
      alt = normalize_text(alt, kind);
      if (alt.empty() || alt == reading.text) continue;
      if (std::any_of(reading.alternatives.begin(), reading.alternatives.end(),
                      [&](const core::Alternative& a) { return a.text == alt; }))
        continue;
      reading.alternatives.push_back({alt, conf});
    }
  std::stable_sort(reading.alternatives.begin(), reading.alternatives.end(),
                   [](const core::Alternative& a, const core::Alternative& b) { return a.confidence > b.confidence; });
  if (reading.alternatives.size() > 4) reading.alternatives.resize(4);
  return reading;
}

std::vector<WordReading> Engine::read_words(const core::Raster& raster, const PixelBox& requested) {
  std::vector<WordReading> out;
  PixelBox box{std::max(0, requested.x0), std::max(0, requested.y0), std::min(raster.width, requested.x1),
               std::min(raster.height, requested.y1)};
  if (box.width() < 2 || box.height() < 2) return out;
  tesseract::TessBaseAPI& api = impl_->labels_api();
  api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  impl_->set_image(api, raster, box, TextKind::Line);
  if (api.Recognize(nullptr) != 0) return out;
  const int pad = Impl::pad_of(box, TextKind::Line);
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return out;
  do {
    std::unique_ptr<char[]> s(it->GetUTF8Text(tesseract::RIL_WORD));
    if (!s) continue;
    WordReading word;
    word.text = normalize_text(s.get(), TextKind::Line);
    if (word.text.empty()) continue;
    word.confidence = std::clamp(it->Confidence(tesseract::RIL_WORD) / 100.0, 0.0, 1.0);
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    it->BoundingBox(tesseract::RIL_WORD, &x0, &y0, &x1, &y1);
    word.x0 = std::clamp(x0 - pad, 0, box.width()) + box.x0;
    word.x1 = std::clamp(x1 - pad, 0, box.width()) + box.x0;
    word.y0 = std::clamp(y0 - pad, 0, box.height()) + box.y0;
    word.y1 = std::clamp(y1 - pad, 0, box.height()) + box.y0;
    out.push_back(std::move(word));
  } while (it->Next(tesseract::RIL_WORD));
  // Latin words keep a space between them; Chinese ones join.
  for (std::size_t i = 0; i + 1 < out.size(); ++i) {
    const std::u32string a = core::utf8_to_u32(out[i].text), b = core::utf8_to_u32(out[i + 1].text);
    out[i].space_after = !a.empty() && !b.empty() && !core::is_cjk(a.back()) && !core::is_cjk(b.front());
  }
  return out;
}

}  // namespace tally::ocr
