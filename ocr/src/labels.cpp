// Labels, line by line: recalled from the document's memory, read from its learned characters
// (chi_sim reading only the runs of new ones), or read by chi_sim and learned.
#include <algorithm>

#include "reader.h"
#include "tally/core/text.h"

namespace tally::ocr::detail {

namespace {

// A run of unknown pieces, widened by a known neighbour either side: [from, to), the run [i, end).
struct Run {
  std::size_t from, i, end, to;
};

std::vector<Run> unknown_runs(const CharacterGlyphs::Pieces& pieces) {
  const std::size_t n = pieces.characters.size();
  std::vector<Run> runs;
  for (std::size_t i = 0; i < n; ++i) {
    if (pieces.characters[i] != 0) continue;
    std::size_t end = i;
    while (end < n && pieces.characters[end] == 0) ++end;
    runs.push_back({i > 0 ? i - 1 : i, i, end, end < n ? end + 1 : end});
    i = end;
  }
  return runs;
}

// Each run costs chi_sim its characters with their neighbours, and a call about half a
// character's time: only worth it when that is less than the whole line.
bool runs_worth_reading(const std::vector<Run>& runs, std::size_t n) {
  if (runs.empty() || (runs.size() == 1 && runs[0].i == 0 && runs[0].end == n)) return false;
  double cost = 0;
  for (const Run& r : runs) cost += 0.5 + static_cast<double>(r.to - r.from);
  return cost < static_cast<double>(n) + 0.5;
}

// A line whose characters are partly learned (`pieces`): chi_sim reads only each run of the
// others, with a known neighbour either side, and must find exactly as many characters there as
// the run has pieces, the neighbours among them; nullopt (chi_sim reads the whole line) otherwise,
// or when the runs would cost chi_sim as much as the line. The line, read whole this way, teaches
// its new characters.
std::optional<Reading> read_unknown_characters(PageContext& page, const PixelBox& box,
                                               const CharacterGlyphs::Pieces& pieces) {
  const std::size_t n = pieces.characters.size();
  const std::vector<Run> runs = unknown_runs(pieces);
  if (!runs_worth_reading(runs, n)) return std::nullopt;
  std::u32string text = pieces.characters;
  double confidence = pieces.reading().confidence;
  for (const auto& [from, i, end, to] : runs) {
    // The neighbours give chi_sim context and are a check: they must read as themselves. The crop
    // reaches halfway into the gaps beyond them.
    const int x0 = from == 0 ? pieces.x0 : (pieces.boxes[from - 1].x1 + pieces.boxes[from].x0) / 2;
    const int x1 = to == n ? box.x1 : (pieces.boxes[to - 1].x1 + pieces.boxes[to].x0) / 2;
    const Reading run = page.engine.read(page.grey, {x0, box.y0, x1, box.y1}, TextKind::Label);
    ++page.trace.counts.labels;
    const std::u32string read = core::utf8_to_u32(run.text);
    if (read.size() != to - from || !std::all_of(read.begin(), read.end(), core::is_cjk) ||
        run.confidence < page.options.remembered_label_confidence)
      return std::nullopt;
    if ((from < i && read.front() != text[from]) || (to > end && read.back() != text[to - 1]))
      return std::nullopt;
    std::copy(read.begin() + static_cast<std::ptrdiff_t>(i - from),
              read.end() - static_cast<std::ptrdiff_t>(to - end),
              text.begin() + static_cast<std::ptrdiff_t>(i));
    confidence = std::min(confidence, run.confidence);
  }
  Reading reading{pieces.code + core::u32_to_utf8(text), confidence, {}};
  page.memory.characters.learn(page.binary, box, reading);
  return reading;
}

// One line of a label: recalled when a crop with the same ink was read before in the document,
// else read from the document's characters when every one is clearly learned (or chi_sim reads
// only the runs of new ones), else read by chi_sim and remembered (the crop when confident, its
// characters when sure). With the trace's memory_log every line is read by chi_sim and compared
// with the nearest remembered crop (MEM, unlikeness, whether the texts agree, remembered text and
// confidence, chi_sim's, crop size); with characters_check chi_sim reads the lines the characters
// read too (CHARS, whether they agree, both readings).
Reading read_label_line(PageContext& page, const PixelBox& box) {
  const bool log = page.trace.switches.memory_log;
  const bool check = page.trace.switches.characters_check;
  DocumentMemory& memory = page.memory;
  std::optional<LabelMemory::Recalled> near;
  if (log)
    near = memory.labels.nearest(page.grey, box);
  else if (std::optional<Reading> recalled = memory.labels.recall(page.grey, box))
    return *recalled;
  std::optional<Reading> from_characters;
  if (std::optional<CharacterGlyphs::Pieces> pieces;
      !log && (pieces = memory.characters.read_pieces(page.binary, box, &memory.digits)))
    from_characters =
        pieces->all_known() ? pieces->reading() : read_unknown_characters(page, box, *pieces);
  if (from_characters && !check) {
    ++page.trace.counts.from_characters;
    return *from_characters;
  }
  Reading reading = page.engine.read(page.grey, box, TextKind::Label);
  ++page.trace.counts.labels;
  if (from_characters)
    page.trace.compare(formatted("CHARS\t%d\t%s\t%.2f\t%s\t%.2f",
                                 from_characters->text == reading.text,
                                 from_characters->text.c_str(), from_characters->confidence,
                                 reading.text.c_str(), reading.confidence));
  if (log && near)
    page.trace.compare(formatted("MEM\t%.3f\t%d\t%s\t%.2f\t%s\t%.2f\t%dx%d", near->unlikeness,
                                 near->reading.text == reading.text, near->reading.text.c_str(),
                                 near->reading.confidence, reading.text.c_str(), reading.confidence,
                                 box.width(), box.height()));
  if (reading.confidence >= page.options.remembered_label_confidence)
    memory.labels.remember(page.grey, box, reading);
  memory.characters.learn(page.binary, box, reading);
  return reading;
}

}  // namespace

// (Labels side by side in one call, like numbers, cost less but chi_sim then reads quotes and
// stops in the paper between them.) The bands of a wrapped label reach a little beyond their ink
// (a pixel per 150 dpi), within the cell's crop.
Reading read_label(PageContext& page, const PixelBox& box) {
  const std::vector<PixelBox> bands = line_bands(page.binary, box);
  if (bands.size() == 1) return read_label_line(page, box);
  Reading joined;
  double confidence = 0;
  int n = 0;
  const int m = std::max(1, static_cast<int>(page.grey.dpi / 150));
  for (const PixelBox& band : bands) {
    const Reading r = read_label_line(
        page, {band.x0, std::max(box.y0, band.y0 - m), band.x1, std::min(box.y1, band.y1 + m)});
    if (r.text.empty()) continue;
    joined.text += r.text;
    confidence += r.confidence;
    ++n;
  }
  joined.confidence = n ? confidence / n : 0.0;
  return joined;
}

}  // namespace tally::ocr::detail
