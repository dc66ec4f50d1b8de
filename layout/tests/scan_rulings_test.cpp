// find_scan_grids on synthetic scans: faint and broken rules that the plain finder misses are found
// on smoothed rasters, printed rules stay with the plain finder, a bold title's strokes are no
// table.
#include <gtest/gtest.h>

#include "tally/layout/layout.h"

using tally::core::Page;
using tally::core::Raster;
using tally::layout::find_scan_grids;
using tally::layout::ScanGrids;

namespace {

constexpr double kDpi = 300;

Raster blank(int width, int height) {
  return {width, height, kDpi,
          std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)};
}

void fill(Raster& r, int x0, int y0, int x1, int y1, std::uint8_t value) {
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) r.pixels[static_cast<std::size_t>(y * r.width + x)] = value;
}

// A grid of one-pixel rules at the given pixel positions, `grey` dark, each rule broken by a gap
// of `gap` pixels in its middle.
void draw_grid(Raster& r, const std::vector<int>& ys, const std::vector<int>& xs, std::uint8_t grey,
               int gap = 0) {
  for (int y : ys) {
    const int mid = (xs.front() + xs.back()) / 2;
    fill(r, xs.front(), y, mid, y + 1, grey);
    fill(r, mid + gap, y, xs.back() + 1, y + 1, grey);
  }
  for (int x : xs) {
    const int mid = (ys.front() + ys.back()) / 2;
    fill(r, x, ys.front(), x + 1, mid, grey);
    fill(r, x, mid + gap, x + 1, ys.back() + 1, grey);
  }
}

// The binary page a scan's preparation gives: anything darker than the paper is ink.
Raster binary_of(const Raster& grey) {
  Raster binary = grey;
  for (std::uint8_t& p : binary.pixels) p = p < 240 ? 0 : 255;
  return binary;
}

Page page_of(const Raster& r) {
  Page page;
  page.number = 1;
  page.width = r.width * 72 / kDpi;
  page.height = r.height * 72 / kDpi;
  return page;
}

ScanGrids scan(const Raster& grey) {
  return find_scan_grids(page_of(grey), grey, binary_of(grey));
}

}  // namespace

TEST(FindScanGrids, FindsAGridOfFaintBrokenRules) {
  Raster grey = blank(1000, 800);
  // Light grey (the plain finder's ink is below 200), broken by 3 px in the middle of each rule.
  draw_grid(grey, {100, 200, 300, 400}, {100, 400, 700, 900}, 225, 3);
  EXPECT_TRUE(tally::layout::find_rulings(grey).empty());
  const ScanGrids found = scan(grey);
  EXPECT_TRUE(found.faint);
  ASSERT_EQ(found.grids.size(), 1u);
  EXPECT_EQ(found.grids[0].n_rows(), 3);
  EXPECT_EQ(found.grids[0].n_cols(), 3);
  EXPECT_NEAR(found.grids[0].box.x0, 100 * 72 / kDpi, 1);
  EXPECT_NEAR(found.grids[0].box.x1, 900 * 72 / kDpi, 1);
  EXPECT_FALSE(found.rulings.empty());
}

TEST(FindScanGrids, MendsRulesBrokenBySixPoints) {
  Raster grey = blank(1000, 800);
  // Dark rules with a 25 px (6 pt) break: more than the rendered page's 4 pt, within the scan's 8.
  draw_grid(grey, {100, 200, 300, 400}, {100, 400, 700, 900}, 0, 25);
  const ScanGrids found = scan(grey);
  EXPECT_FALSE(found.faint);
  ASSERT_EQ(found.grids.size(), 1u);
  EXPECT_EQ(found.grids[0].cells.size(), 9u);
}

TEST(FindScanGrids, KeepsPrintedRulesWithThePlainFinder) {
  Raster grey = blank(1000, 800);
  draw_grid(grey, {100, 200, 300}, {100, 500, 900}, 40);
  const ScanGrids found = scan(grey);
  EXPECT_FALSE(found.faint);
  ASSERT_EQ(found.grids.size(), 1u);
  EXPECT_EQ(found.grids[0].n_rows(), 2);
  EXPECT_EQ(found.grids[0].n_cols(), 2);
}

TEST(FindScanGrids, RejectsFaintCandidatesThroughText) {
  Raster grey = blank(1000, 800);
  draw_grid(grey, {100, 200, 300, 400}, {100, 400, 700, 900}, 225);
  // Glyph-like ink along both sides of the middle rules, 2.5 pt (10 px) off: every rule that runs
  // through it is text, not a rule.
  for (int x = 100; x < 900; x += 20) {
    fill(grey, x, 180, x + 12, 192, 0);
    fill(grey, x, 208, x + 12, 220, 0);
  }
  const ScanGrids found = scan(grey);
  for (const tally::core::Ruling& r : found.rulings) {
    if (r.orientation == tally::core::Orientation::Horizontal) {
      EXPECT_GT(std::abs(r.position - 200 * 72 / kDpi), 2) << r.position;
    }
  }
}

TEST(FindScanGrids, DropsANarrowOneRowGridOfTitleStrokes) {
  Raster grey = blank(1000, 800);
  // One row, 55 pt wide on a 240 pt page: under a quarter of its width.
  draw_grid(grey, {100, 150}, {300, 380, 460, 530}, 0);
  const ScanGrids found = scan(grey);
  EXPECT_TRUE(found.grids.empty());
  EXPECT_TRUE(found.rulings.empty());
}
