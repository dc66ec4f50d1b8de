// A cell crop's ink (crops.cpp) on synthetic binary rasters: what is text and what is left of the
// rules around it.
#include <gtest/gtest.h>

#include "reader.h"

namespace tally::ocr {
namespace {

constexpr double kDpi = 300;

// A white binary crop of `width` × `height` at 300 dpi, painted with rectangles of ink.
struct Crop {
  core::Raster raster;
  Crop(int width, int height)
      : raster{width, height, kDpi,
               std::vector<std::uint8_t>(static_cast<std::size_t>(width * height), 255)} {}
  void ink(int x0, int y0, int x1, int y1) {
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x)
        raster.pixels[static_cast<std::size_t>(y * raster.width + x)] = 0;
  }
  // A digit-sized glyph: a closed ring 14 × 26 px ("0").
  void zero(int x, int y) {
    ink(x, y, x + 14, y + 3);
    ink(x, y + 23, x + 14, y + 26);
    ink(x, y, x + 3, y + 26);
    ink(x + 11, y, x + 14, y + 26);
  }
  // A digit "1": a 3 px stem 26 px tall with its flag at the top left.
  void one(int x, int y) {
    ink(x + 6, y, x + 9, y + 26);
    ink(x, y + 3, x + 6, y + 6);
  }
  std::optional<PixelBox> ink_box() const {
    return detail::ink_box(raster, {0, 0, raster.width, raster.height});
  }
};

// What a bilevel scan leaves of a rule inside a crop that stops where the rule's straight part
// ends: the rule's jagged pieces, a pixel or two thick, each shorter than the crop, along its
// sides and its bottom. gen-0001.scan200-bilevel read them "|" in blank cells.
void jagged_rule_remnants(Crop& c) {
  c.ink(0, 0, 2, 25);       // the left rule, broken: its upper piece
  c.ink(0, 30, 2, 58);      // and its lower one
  c.ink(153, 35, 155, 70);  // the right rule's lower half, a pixel in
  c.ink(90, 68, 120, 70);   // a thick stretch of the bottom rule
}

TEST(InkBox, AJaggedRulesRemnantsAloneAreAnEmptyCell) {
  Crop c(155, 70);
  jagged_rule_remnants(c);
  EXPECT_FALSE(c.ink_box().has_value());
}

TEST(InkBox, ARulesRemnantsBesideAnAmountAreLeftOut) {
  Crop c(155, 70);
  jagged_rule_remnants(c);
  c.zero(100, 22);
  c.zero(118, 22);
  const std::optional<PixelBox> box = c.ink_box();
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(box->x0, 100);
  EXPECT_EQ(box->x1, 132);
  EXPECT_EQ(box->y0, 22);
  EXPECT_EQ(box->y1, 48);
}

// Digits a pixel from the rules: a "1" touching the crop's side is a digit, as tall as the others.
TEST(InkBox, ADigitOneTouchingTheSideOfATightCellIsKept) {
  Crop c(60, 30);
  c.zero(20, 2);
  c.zero(38, 2);
  c.ink(57, 2, 60, 28);  // a flagless "1" touching the right side, 3 px thick
  const std::optional<PixelBox> box = c.ink_box();
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(box->x0, 20);
  EXPECT_EQ(box->x1, 60);
}

// A cell holding only a "1" touching the side: its flag makes it wider than a rule's remnant.
TEST(InkBox, ALoneDigitOneTouchingTheSideIsNoRemnant) {
  Crop c(40, 30);
  c.one(31, 2);
  const std::optional<PixelBox> box = c.ink_box();
  ASSERT_TRUE(box.has_value());
  EXPECT_EQ(box->x0, 31);
  EXPECT_EQ(box->x1, 40);
}

// A bilevel scan at 150 dpi brought to 300 dpi: the minus sign a block 10 × 6 px, its digit apart.
TEST(StartsWithDash, ABlockyMinusOfABilevelScanIsAMinusSign) {
  Crop c(37, 36);
  c.ink(3, 19, 13, 25);  // the minus sign
  c.zero(17, 4);         // its digit
  EXPECT_TRUE(detail::starts_with_dash(c.raster, {0, 0, 37, 36}));
  Crop speck(37, 36);
  speck.ink(5, 19, 11, 25);  // a square speck at mid-height is none
  speck.zero(17, 4);
  EXPECT_FALSE(detail::starts_with_dash(speck.raster, {0, 0, 37, 36}));
}

}  // namespace
}  // namespace tally::ocr
