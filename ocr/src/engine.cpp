// Tesseract through its C++ API: one engine pair (eng for numbers, chi_sim for labels) per thread.
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

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
// Side by side, numbers need the space too: without it the LSTM stretches a crop's first digit over
// the gap before it, and doubts it.
constexpr const char* kNumberCharactersAndSpace = "0123456789,.-()% ";

// Margin of paper around a crop, as a share of its height. Numbers read best with a thin one (a
// third of the height made clean "7.97" read "9", a sixth made "51.51" read "515)"; a tenth reads
// both). Labels keep the wider third they were tuned with (not re-measured since).
constexpr double kNumberPadShare = 0.10;
constexpr double kLabelPadShare = 0.33;
// A label crop taller than this many inches (21.6 pt, about two lines of the tables' type) and
// taller than a third of its width is a wrapped label: read as a block, not as one line.
constexpr double kBlockLabelInches = 0.3;
// A label crop narrower than this many times its height holds one Chinese character (类, 款, 项,
// ※): one square character is about as wide as high, two about twice. Tesseract reads it better as
// a character than as a line.
constexpr double kOneCharacterWidthShare = 1.4;
// Side by side, a crop taller than kTallerThanLine or shorter than kShorterThanLine times the
// median crop height is read alone: Tesseract scales the whole line to one height, so a crop 30%
// off the others would blow up or shrink their characters (a decimal point shrinks away).
constexpr double kTallerThanLine = 1.3;
constexpr double kShorterThanLine = 0.7;
// A character's LSTM alternative below this confidence is noise, not a reading worth pricing.
constexpr double kLeastAlternativeConfidence = 0.02;
// Alternatives kept per reading, the surest first: the reconciler prices a handful, not more.
constexpr std::size_t kMostAlternatives = 4;

// The line of crops side by side that read_side_by_side gives Tesseract, in the engine's buffer.
struct SideBySide {
  int width = 0, height = 0;
  int gap = 0;            // paper between two crops
  std::vector<int> left;  // where each crop starts
};

std::unique_ptr<tesseract::TessBaseAPI> make_api(const std::filesystem::path& tessdata,
                                                 const char* language) {
  auto api = std::make_unique<tesseract::TessBaseAPI>();
  const std::string path = tessdata.string();
  if (api->Init(path.empty() ? nullptr : path.c_str(), language, tesseract::OEM_LSTM_ONLY) != 0)
    throw core::Error(core::ErrorCode::Internal,
                      std::string("Tesseract could not load its '") + language + "' language data" +
                          (path.empty() ? std::string() : " from " + path) +
                          " (Debian: tesseract-ocr-" +
                          (std::string(language) == "eng" ? "eng" : "chi-sim") + ").");
  api->SetVariable("debug_file", "/dev/null");
  // Tesseract reads a line again, inverted, when its mean confidence is low. White on black never
  // occurs in these tables, and the second pass costs as much as the first.
  api->SetVariable("tessedit_do_invert", "0");
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

// Tesseract through its C++ API: eng for numbers, chi_sim for labels, each made on first use.
class TesseractEngine final : public Engine {
 public:
  explicit TesseractEngine(const std::filesystem::path& tessdata);
  ~TesseractEngine() override;

  using Engine::read;
  Reading read(const core::Raster& raster, const PixelBox& box, TextKind kind,
               const Settings& settings) override;
  std::vector<Reading> read_side_by_side(const core::Raster& raster,
                                         const std::vector<PixelBox>& boxes,
                                         TextKind kind) override;
  std::vector<WordReading> read_words(const core::Raster& raster, const PixelBox& box) override;

 private:
  struct Impl;
  // Reads alone, into `readings`, the crops of a height unlike the others', and takes them out of
  // `boxes` and `index` (boxes[k] is the index[k]-th crop asked for).
  void read_odd_heights_alone(const core::Raster& raster, TextKind kind,
                              std::vector<PixelBox>& boxes, std::vector<std::size_t>& index,
                              std::vector<Reading>& readings);
  std::unique_ptr<Impl> impl_;
};

struct TesseractEngine::Impl {
  std::filesystem::path tessdata;
  std::unique_ptr<tesseract::TessBaseAPI> numbers, labels;
  std::vector<std::uint8_t> buffer;  // the padded crop, reused
  cv::Mat scaled;                    // the padded crop scaled (Settings::scale), reused

  tesseract::TessBaseAPI& numbers_api() {
    if (!numbers) {
      numbers = make_api(tessdata, "eng");
      numbers->SetVariable("tessedit_char_whitelist", kNumberCharacters);
      numbers->SetVariable("classify_bln_numeric_mode", "1");
      // The LSTM's alternatives per character, for the reconciler. Only numbers keep them: with
      // chi_sim's thousands of characters they cost time, and labels do not use them.
      numbers->SetVariable("lstm_choice_mode", "2");
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

  // The margin of paper around `box`: `share` of its height, by default kNumberPadShare for numbers
  // and kLabelPadShare for the rest.
  static int pad_of(const PixelBox& box, TextKind kind, double share = -1) {
    if (share < 0) share = kind == TextKind::Number ? kNumberPadShare : kLabelPadShare;
    return std::max(2, static_cast<int>(box.height() * share));
  }
  // Copies `box` of `raster` into the buffer with a margin of paper around it and hands it to
  // `api`.
  void set_image(tesseract::TessBaseAPI& api, const core::Raster& raster, const PixelBox& box,
                 TextKind kind, double share = -1, double scale = 1.0) {
    const int pad = pad_of(box, kind, share);
    const int w = box.width() + 2 * pad, h = box.height() + 2 * pad;
    const std::uint8_t paper = paper_of(raster, box);
    buffer.assign(static_cast<std::size_t>(w) * h, paper);
    for (int y = 0; y < box.height(); ++y)
      std::copy_n(
          raster.pixels.data() + static_cast<std::size_t>(box.y0 + y) * raster.width + box.x0,
          box.width(), buffer.data() + static_cast<std::size_t>(y + pad) * w + pad);
    if (scale == 1.0) {
      api.SetImage(buffer.data(), w, h, 1, w);
      api.SetSourceResolution(static_cast<int>(std::lround(raster.dpi)));
      return;
    }
    const cv::Mat padded(h, w, CV_8U, buffer.data());
    cv::resize(padded, scaled, cv::Size(), scale, scale, cv::INTER_CUBIC);
    api.SetImage(scaled.data, scaled.cols, scaled.rows, 1, static_cast<int>(scaled.step));
    api.SetSourceResolution(static_cast<int>(std::lround(raster.dpi * scale)));
  }

  // One line in the buffer: the crops side by side, centred on a common middle, each with its own
  // paper around it and a gap of paper between them wide enough to read as a space (a line height).
  SideBySide compose_line(const core::Raster& raster, const std::vector<PixelBox>& boxes,
                          TextKind kind) {
    SideBySide line;
    int height = 0;
    for (const PixelBox& b : boxes) height = std::max(height, b.height());
    const int pad = pad_of({0, 0, 1, height}, kind);
    line.gap = std::max(pad, height);
    line.width = pad;
    for (const PixelBox& b : boxes) {
      line.left.push_back(line.width);
      line.width += b.width() + line.gap;
    }
    line.width += pad - line.gap;
    line.height = height + 2 * pad;
    buffer.assign(static_cast<std::size_t>(line.width) * line.height, 255);
    // Each crop's paper is brought to white, so that no edge between two papers' greys reads as
    // ink.
    for (std::size_t k = 0; k < boxes.size(); ++k) {
      const PixelBox& b = boxes[k];
      const int paper = std::max<int>(1, paper_of(raster, b));
      const int top = pad + (height - b.height()) / 2;
      for (int y = 0; y < b.height(); ++y) {
        const std::uint8_t* from =
            raster.pixels.data() + static_cast<std::size_t>(b.y0 + y) * raster.width + b.x0;
        std::uint8_t* to =
            buffer.data() + static_cast<std::size_t>(top + y) * line.width + line.left[k];
        for (int x = 0; x < b.width(); ++x)
          to[x] = static_cast<std::uint8_t>(std::min(255, from[x] * 255 / paper));
      }
    }
    return line;
  }
};

Engine& Engine::for_this_thread(const std::filesystem::path& tessdata) {
  thread_local std::unique_ptr<Engine> engine;
  if (!engine) {
    limit_threads();
    engine = std::make_unique<TesseractEngine>(tessdata);
  }
  return *engine;
}

TesseractEngine::TesseractEngine(const std::filesystem::path& tessdata)
    : impl_(new Impl{tessdata, nullptr, nullptr, {}}) {}

TesseractEngine::~TesseractEngine() {
  if (impl_->numbers) impl_->numbers->End();
  if (impl_->labels) impl_->labels->End();
}

namespace {

// One character Tesseract recognized, with where it sits on the line and the LSTM's other choices.
struct Symbol {
  std::string text;
  int x_centre = 0;            // in the image given to Tesseract
  double confidence = 0;       // [0, 1]
  double word_confidence = 0;  // [0, 1], Tesseract's for the word the character is in
  bool starts_word = false;
  std::vector<std::pair<std::string, double>> choices;  // other than text, confidence [0, 1]
};

std::vector<Symbol> recognized_symbols(tesseract::TessBaseAPI& api, TextKind kind) {
  std::vector<Symbol> symbols;
  if (api.Recognize(nullptr) != 0) return symbols;
  std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
  if (!it) return symbols;
  do {
    std::unique_ptr<char[]> s(it->GetUTF8Text(tesseract::RIL_SYMBOL));
    if (!s) continue;
    Symbol symbol;
    symbol.text = s.get();
    symbol.starts_word = it->IsAtBeginningOf(tesseract::RIL_WORD);
    symbol.confidence = std::clamp(it->Confidence(tesseract::RIL_SYMBOL) / 100.0, 0.0, 1.0);
    symbol.word_confidence = std::clamp(it->Confidence(tesseract::RIL_WORD) / 100.0, 0.0, 1.0);
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    if (it->BoundingBox(tesseract::RIL_SYMBOL, &x0, &y0, &x1, &y1)) symbol.x_centre = (x0 + x1) / 2;
    if (kind == TextKind::Number) {
      tesseract::ChoiceIterator choice(*it);
      do {
        const char* c = choice.GetUTF8Text();
        if (!c) continue;
        const std::string ct = c;
        if (ct == symbol.text) continue;
        if (std::none_of(symbol.choices.begin(), symbol.choices.end(),
                         [&](const auto& p) { return p.first == ct; }))
          symbol.choices.emplace_back(ct, std::clamp(choice.Confidence() / 100.0, 0.0, 1.0));
      } while (choice.Next());
    }
    symbols.push_back(std::move(symbol));
  } while (it->Next(tesseract::RIL_SYMBOL));
  return symbols;
}

// How sure a reading is: the mean over its words of Tesseract's word confidence (a crop read
// alone), or of the word's least sure character (crops side by side, where Tesseract's word
// confidences come out low or zero for readings that are right).
enum class WordConfidence { Tesseract, LeastSureCharacter };

// The reading of a run of symbols: their text (Chinese words joined, Latin ones spaced), its
// confidence, and whole-text alternatives, one character replaced by one of its choices, most
// confident first.
Reading reading_of(const std::vector<Symbol>& symbols, TextKind kind, WordConfidence rating) {
  Reading reading;
  std::string text;
  double confidence_sum = 0, word = 0;
  int words = 0;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const Symbol& symbol = symbols[i];
    if (i == 0 || symbol.starts_word) {
      if (i > 0 && kind != TextKind::Number) {
        const std::u32string last = core::utf8_to_u32(text), first = core::utf8_to_u32(symbol.text);
        if (!last.empty() && !first.empty() && !core::is_cjk(last.back()) &&
            !core::is_cjk(first.front()))
          text += ' ';
      }
      confidence_sum += word;
      word = rating == WordConfidence::Tesseract ? symbol.word_confidence : 1.0;
      ++words;
    }
    if (rating == WordConfidence::LeastSureCharacter) word = std::min(word, symbol.confidence);
    text += symbol.text;
  }
  confidence_sum += word;
  reading.text = normalize_text(text, kind);
  reading.confidence = words > 0 && !reading.text.empty() ? confidence_sum / words : 0.0;

  for (std::size_t i = 0; i < symbols.size(); ++i)
    for (const auto& [choice, conf] : symbols[i].choices) {
      if (conf < kLeastAlternativeConfidence) continue;
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
                   [](const core::Alternative& a, const core::Alternative& b) {
                     return a.confidence > b.confidence;
                   });
  if (reading.alternatives.size() > kMostAlternatives)
    reading.alternatives.resize(kMostAlternatives);
  return reading;
}

// Every character of a side-by-side line goes back to the crop it lies in; one read in a gap
// (chi_sim sees quotes in the paper between crops) is dropped.
std::vector<std::vector<Symbol>> symbols_per_crop(std::vector<Symbol> symbols,
                                                  const std::vector<PixelBox>& boxes,
                                                  const SideBySide& line) {
  std::vector<std::vector<Symbol>> per_box(boxes.size());
  for (Symbol& symbol : symbols) {
    std::size_t k = 0;
    while (k + 1 < boxes.size() && symbol.x_centre >= line.left[k + 1] - line.gap / 2) ++k;
    if (symbol.x_centre < line.left[k] || symbol.x_centre >= line.left[k] + boxes[k].width())
      continue;
    per_box[k].push_back(std::move(symbol));
  }
  return per_box;
}

// A faint decimal point can come out as the space a side-by-side line allows ("173 48"): a last
// word of two digits after digits, with no point before, is the decimals.
void restore_decimal_point(std::vector<Symbol>& symbols) {
  if (symbols.size() < 3) return;
  const std::size_t n = symbols.size();
  const auto digit = [&](std::size_t i) {
    return symbols[i].text.size() == 1 &&
           std::isdigit(static_cast<unsigned char>(symbols[i].text[0]));
  };
  const bool point_before =
      std::any_of(symbols.begin(), symbols.end(), [](const Symbol& s) { return s.text == "."; });
  if (point_before || !symbols[n - 2].starts_word || symbols[n - 1].starts_word || !digit(n - 1) ||
      !digit(n - 2) || !digit(n - 3))
    return;
  symbols[n - 2].starts_word = false;
  // An inferred point halves the number's confidence, as a restored one does elsewhere.
  Symbol point{".",
               symbols[n - 2].x_centre,
               std::min(symbols[n - 3].confidence, symbols[n - 2].confidence) / 2,
               symbols[n - 3].word_confidence,
               false,
               {}};
  symbols.insert(symbols.end() - 2, std::move(point));
}

PixelBox clipped(const core::Raster& raster, const PixelBox& b) {
  return {std::max(0, b.x0), std::max(0, b.y0), std::min(raster.width, b.x1),
          std::min(raster.height, b.y1)};
}

}  // namespace

Reading TesseractEngine::read(const core::Raster& raster, const PixelBox& requested, TextKind kind,
                              const Settings& settings) {
  const PixelBox box = clipped(raster, requested);
  if (box.width() < 2 || box.height() < 2) return {};
  tesseract::TessBaseAPI& api =
      kind == TextKind::Number ? impl_->numbers_api() : impl_->labels_api();
  if (kind == TextKind::Number) api.SetVariable("tessedit_char_whitelist", kNumberCharacters);
  const bool block = kind == TextKind::Label && box.height() > kBlockLabelInches * raster.dpi &&
                     box.height() > box.width() / 3;
  const bool one_char =
      kind == TextKind::Label && box.width() < kOneCharacterWidthShare * box.height();
  api.SetPageSegMode(block                  ? tesseract::PSM_SINGLE_BLOCK
                     : one_char             ? tesseract::PSM_SINGLE_CHAR
                     : settings.single_word ? tesseract::PSM_SINGLE_WORD
                                            : tesseract::PSM_SINGLE_LINE);
  impl_->set_image(api, raster, box, kind, settings.pad, settings.scale);
  return reading_of(recognized_symbols(api, kind), kind, WordConfidence::Tesseract);
}

std::vector<Reading> TesseractEngine::read_side_by_side(const core::Raster& raster,
                                                        const std::vector<PixelBox>& requested,
                                                        TextKind kind) {
  std::vector<Reading> readings(requested.size());
  std::vector<PixelBox> boxes;
  std::vector<std::size_t> index;  // boxes[k] is requested[index[k]]
  for (std::size_t i = 0; i < requested.size(); ++i) {
    const PixelBox box = clipped(raster, requested[i]);
    if (box.width() < 2 || box.height() < 2) continue;
    boxes.push_back(box);
    index.push_back(i);
  }
  read_odd_heights_alone(raster, kind, boxes, index, readings);
  if (boxes.empty()) return readings;
  if (boxes.size() == 1) {
    readings[index[0]] = read(raster, boxes[0], kind);
    return readings;
  }
  const SideBySide line = impl_->compose_line(raster, boxes, kind);
  tesseract::TessBaseAPI& api =
      kind == TextKind::Number ? impl_->numbers_api() : impl_->labels_api();
  if (kind == TextKind::Number)
    api.SetVariable("tessedit_char_whitelist", kNumberCharactersAndSpace);
  api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
  api.SetImage(impl_->buffer.data(), line.width, line.height, 1, line.width);
  api.SetSourceResolution(static_cast<int>(std::lround(raster.dpi)));
  std::vector<std::vector<Symbol>> per_box =
      symbols_per_crop(recognized_symbols(api, kind), boxes, line);
  for (std::size_t k = 0; k < boxes.size(); ++k) {
    std::vector<Symbol>& symbols = per_box[k];
    if (!symbols.empty()) symbols.front().starts_word = true;
    if (kind == TextKind::Number) restore_decimal_point(symbols);
    readings[index[k]] = reading_of(symbols, kind, WordConfidence::LeastSureCharacter);
  }
  return readings;
}

// Tesseract scales a line to one height: a crop much taller or shorter than the others would
// shrink or blow up their characters (a decimal point shrinks away), so it is read alone, and
// leaves `boxes` and `index`.
void TesseractEngine::read_odd_heights_alone(const core::Raster& raster, TextKind kind,
                                             std::vector<PixelBox>& boxes,
                                             std::vector<std::size_t>& index,
                                             std::vector<Reading>& readings) {
  if (boxes.size() < 2) return;
  std::vector<int> heights;
  for (const PixelBox& b : boxes) heights.push_back(b.height());
  std::nth_element(heights.begin(),
                   heights.begin() + static_cast<std::ptrdiff_t>(heights.size() / 2),
                   heights.end());
  const int median = heights[heights.size() / 2];
  for (std::size_t k = boxes.size(); k-- > 0;)
    if (boxes[k].height() > kTallerThanLine * median ||
        boxes[k].height() < kShorterThanLine * median) {
      readings[index[k]] = read(raster, boxes[k], kind);
      boxes.erase(boxes.begin() + static_cast<std::ptrdiff_t>(k));
      index.erase(index.begin() + static_cast<std::ptrdiff_t>(k));
    }
}

std::vector<WordReading> TesseractEngine::read_words(const core::Raster& raster,
                                                     const PixelBox& requested) {
  std::vector<WordReading> out;
  PixelBox box{std::max(0, requested.x0), std::max(0, requested.y0),
               std::min(raster.width, requested.x1), std::min(raster.height, requested.y1)};
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
    out[i].space_after =
        !a.empty() && !b.empty() && !core::is_cjk(a.back()) && !core::is_cjk(b.front());
  }
  return out;
}

}  // namespace tally::ocr
