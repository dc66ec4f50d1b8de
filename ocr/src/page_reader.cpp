// The page reader: each table's cells cropped to their ink and read (cells.cpp), corrected by
// dictionary, then the lines outside the tables (lines.cpp).
#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "reader.h"
#include "tally/imaging/opencv.h"

namespace tally::ocr {

PageTrace::PageTrace(int page_number, TraceSwitches trace_switches)
    : page(page_number), switches(trace_switches), clock_(std::chrono::steady_clock::now()) {}

void PageTrace::lap(const char* step) {
  if (!switches.timing) return;
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - clock_).count();
  clock_ = now;
  const auto it =
      std::find_if(laps.begin(), laps.end(), [&](const auto& l) { return l.first == step; });
  if (it == laps.end())
    laps.emplace_back(step, seconds);
  else
    it->second += seconds;
}

void PageTrace::keep_crop(const core::Raster& grey, const PixelBox& box, const std::string& note) {
  Crop crop{note, box.width(), box.height(), {}};
  for (int y = box.y0; y < box.y1; ++y) {
    const std::uint8_t* row =
        grey.pixels.data() + static_cast<std::size_t>(y) * grey.width + box.x0;
    crop.pixels.insert(crop.pixels.end(), row, row + box.width());
  }
  crops.push_back(std::move(crop));
}

std::string PageTrace::summary() const {
  std::string line = "page " + std::to_string(page) + ":";
  for (const auto& [step, seconds] : laps)
    line += " " + step + " " + std::to_string(seconds).substr(0, 5) + " s,";
  return line + " " + std::to_string(counts.numbers) + " number calls, " +
         std::to_string(counts.labels) + " label calls, " + std::to_string(counts.from_digits) +
         " amounts from glyphs, " + std::to_string(counts.from_characters) +
         " label lines from characters";
}

core::Raster scale_up(const core::Raster& native, double dpi) {
  const double factor = dpi / native.dpi;
  cv::Mat scaled;
  cv::resize(imaging::view(native), scaled,
             cv::Size(static_cast<int>(std::lround(native.width * factor)),
                      static_cast<int>(std::lround(native.height * factor))),
             0, 0, cv::INTER_CUBIC);
  return imaging::raster_of(scaled, dpi);
}

namespace {

PixelBox to_pixels(const core::Raster& raster, const core::Box& box) {
  return {static_cast<int>(std::floor(raster.to_pixels(box.x0))),
          static_cast<int>(std::floor(raster.to_pixels(box.y0))),
          static_cast<int>(std::ceil(raster.to_pixels(box.x1))),
          static_cast<int>(std::ceil(raster.to_pixels(box.y1)))};
}

// Each cell's ink: the cell's box kept off its rules, the ink box inside it (specks and rule
// remnants left out), widened a little for Tesseract but never beyond the cell.
std::vector<detail::CellRead> cells_of(const detail::PageContext& page, const TableCells& table) {
  const core::Raster& grey = page.grey;
  const int d =
      static_cast<int>(std::lround(std::max(2.0, grey.to_pixels(page.options.cell_inset_points))));
  const int m = static_cast<int>(std::lround(grey.to_pixels(page.options.ink_margin_points)));
  std::vector<detail::CellRead> cells;
  for (const TableCells::Cell& cell : table.cells) {
    PixelBox box = to_pixels(grey, cell.box);
    box = detail::inside_rules(page.binary, box, d);
    const std::optional<PixelBox> ink = detail::ink_box(page.binary, box);
    if (!ink) continue;
    detail::CellRead read{
        detail::clip({ink->x0 - m, ink->y0 - m, ink->x1 + m, ink->y1 + m}, grey.width, grey.height),
        cell.row,
        cell.col,
        {},
        false,
        false,
        {}};
    read.ink = {std::max(read.ink.x0, box.x0), std::max(read.ink.y0, box.y0),
                std::min(read.ink.x1, box.x1), std::min(read.ink.y1, box.y1)};
    cells.push_back(std::move(read));
  }
  return cells;
}

core::Word word_of(const core::Raster& raster, const detail::CellRead& cell) {
  core::Word word;
  word.text = cell.reading.text;
  word.box = {raster.to_points(cell.ink.x0), raster.to_points(cell.ink.y0),
              raster.to_points(cell.ink.x1), raster.to_points(cell.ink.y1)};
  word.confidence = cell.reading.confidence;
  word.source = core::TextSource::Ocr;
  word.alternatives = cell.reading.alternatives;
  return word;
}

}  // namespace

std::vector<core::Word> read_page_words(const PreparedPage& prepared, int page_number,
                                        const std::vector<TableCells>& tables, Engine& engine,
                                        DocumentMemory& memory, const ReaderOptions& options,
                                        PageTrace& trace,
                                        std::vector<core::Diagnostic>& diagnostics) {
  detail::PageContext page{prepared.grey, prepared.binary, engine, memory, options, trace};
  std::vector<core::Word> words;
  std::vector<PixelBox> table_boxes;
  for (const TableCells& table : tables) {
    table_boxes.push_back(to_pixels(prepared.grey, table.box));
    std::vector<detail::CellRead> cells = cells_of(page, table);
    detail::read_cells(page, cells);
    detail::correct_by_dictionary(cells, page_number, options, diagnostics);
    for (const detail::CellRead& read : cells) {
      if (!read.reading.text.empty()) words.push_back(word_of(prepared.grey, read));
      if (read.number_unread)
        diagnostics.push_back({core::Severity::Warning, "number_unread", page_number,
                               "a number cell (row " + std::to_string(read.row) + ", column " +
                                   std::to_string(read.col) +
                                   ") read as Chinese and not as a number: left empty"});
    }
  }
  trace.lap("cells, other");
  const std::vector<PixelBox> lines = detail::text_lines(prepared.binary, table_boxes);
  trace.lap("find lines");
  for (core::Word& word : detail::read_lines(page, page_number, lines, diagnostics))
    words.push_back(std::move(word));
  trace.lap("lines");
  return words;
}

}  // namespace tally::ocr
