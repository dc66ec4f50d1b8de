// Development aid: what layout/ sees on one page of a text-layer PDF. Prints the text lines split
// into cells (as the unruled table finder sees them), the rulings, and each grid found with its
// rows and columns.
//
//   build/bench/layout_probe PDF PAGE [--lines]
#include <cstdio>
#include <string>

#include "tally/extract/extract.h"
#include "tally/layout/layout.h"
#include "text_pieces.h"
#include "unruled.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s PDF PAGE [--lines]\n", argv[0]);
    return 1;
  }
  const bool show_lines = argc > 3 && std::string(argv[3]) == "--lines";
  const auto pdf = tally::extract::PdfDocument::open(argv[1]);
  const int n = std::stoi(argv[2]);
  tally::core::Page page = pdf.read_page(n);
  page.rulings = tally::layout::find_rulings(pdf.render_page(n, 100));
  page.text_source = tally::core::TextSource::TextLayer;  // as judged for a born-digital page
  namespace d = tally::layout::detail;
  if (show_lines) {
    auto buckets = d::cut_words(page.words, 0, [](double, double) { return -1; });
    for (const d::TextLine& line : d::lines_from_pieces(buckets.back(), d::kCellGapEm)) {
      std::printf("y %6.1f-%6.1f:", line.box.y0, line.box.y1);
      for (const d::TextSegment& s : line.segments)
        std::printf("  [%.0f-%.0f %.1f]%s", s.box.x0, s.box.x1, s.font_size, s.text.c_str());
      std::printf("\n");
    }
    for (const tally::core::Ruling& r : page.rulings)
      std::printf("rule %c at %.1f from %.1f to %.1f\n",
                  r.orientation == tally::core::Orientation::Horizontal ? 'H' : 'V', r.position,
                  r.start, r.end);
  }
  for (const tally::layout::Grid& g : tally::layout::find_grids(page)) {
    std::printf("grid %.0f,%.0f-%.0f,%.0f  %d x %d\n  cols:", g.box.x0, g.box.y0, g.box.x1,
                g.box.y1, g.n_rows(), g.n_cols());
    for (double x : g.col_lines) std::printf(" %.0f", x);
    std::printf("\n  rows:");
    for (double y : g.row_lines) std::printf(" %.0f", y);
    std::printf("\n  words:");
    for (const tally::core::Word& w : page.words)
      if (g.box.contains(w.box.center_x(), w.box.center_y())) std::printf(" %s", w.text.c_str());
    std::printf("\n");
  }
  return 0;
}
