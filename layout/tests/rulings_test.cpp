// find_rulings on synthetic rasters: rules survive, glyph-sized strokes do not, breaks are mended.
#include <gtest/gtest.h>

#include "tally/layout/layout.h"

using tally::core::Orientation;
using tally::core::Raster;

namespace {

Raster blank(int width, int height, double dpi) {
  return {width, height, dpi,
          std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)};
}

void fill(Raster& r, int x0, int y0, int x1, int y1, std::uint8_t value = 0) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) r.pixels[static_cast<std::size_t>(y * r.width + x)] = value;
}

}  // namespace

TEST(FindRulings, FindsHorizontalAndVerticalRulesInPoints) {
  Raster r = blank(800, 600, 144);  // 2 pixels per point
  fill(r, 100, 200, 700, 202);      // horizontal, y = 100.5 pt
  fill(r, 400, 100, 402, 500);      // vertical, x = 200.5 pt
  const auto rulings = tally::layout::find_rulings(r);
  ASSERT_EQ(rulings.size(), 2u);
  const auto& hline = rulings[0].orientation == Orientation::Horizontal ? rulings[0] : rulings[1];
  const auto& vline = rulings[0].orientation == Orientation::Vertical ? rulings[0] : rulings[1];
  EXPECT_NEAR(hline.position, 100.5, 0.3);
  EXPECT_NEAR(hline.start, 50, 0.6);
  EXPECT_NEAR(hline.end, 350, 0.6);
  EXPECT_NEAR(vline.position, 200.5, 0.3);
  EXPECT_NEAR(vline.end - vline.start, 200, 1);
}

TEST(FindRulings, IgnoresGlyphStrokesAndFilledAreas) {
  Raster r = blank(800, 600, 144);
  fill(r, 100, 100, 118, 102);  // a 9 pt stroke (一 at 10 pt)
  fill(r, 200, 100, 202, 116);  // an 8 pt vertical stroke
  fill(r, 300, 300, 600, 340);  // a filled block 20 pt thick
  EXPECT_TRUE(tally::layout::find_rulings(r).empty());
}

TEST(FindRulings, MendsBrokenAndFaintRules) {
  Raster r = blank(800, 600, 144);
  fill(r, 100, 200, 300, 202, 150);  // faint grey
  fill(r, 306, 200, 500, 202, 150);  // after a 3 pt break
  const auto rulings = tally::layout::find_rulings(r);
  ASSERT_EQ(rulings.size(), 1u);
  EXPECT_NEAR(rulings[0].end - rulings[0].start, 200, 1);
}
