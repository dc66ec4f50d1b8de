// The character glyphs read a label line only when it is full-width characters all learned in the
// same document, each matched clearly; an unlearned character, a line with digits or a doubtful
// teacher leaves the line to chi_sim (nullopt).
#include <gtest/gtest.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "tally/core/text.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"

namespace {

using tally::ocr::CharacterGlyphs;
using tally::ocr::PixelBox;
using tally::ocr::Reading;

constexpr int kSize = 36;   // a character's ink, pixels (10 pt at 300 dpi is ~42 with its bearings)
constexpr int kPitch = 42;  // full width

// Draws a few characters made of straight strokes, as their shapes: 口 田 十 王 工 日, each as tall
// as the line (most Chinese characters fill their em's height).
void draw(cv::Mat& page, char32_t c, int x, int y) {
  const cv::Scalar ink(0);
  const int t = 3, s = kSize - 1, m = s / 2;
  const auto line = [&](int x0, int y0, int x1, int y1) {
    cv::line(page, {x + x0, y + y0}, {x + x1, y + y1}, ink, t);
  };
  switch (c) {
    case U'口': cv::rectangle(page, {x + 2, y + 1}, {x + s - 2, y + s - 1}, ink, t); break;
    case U'田':
      cv::rectangle(page, {x + 2, y + 1}, {x + s - 2, y + s - 1}, ink, t);
      line(m, 1, m, s - 1);
      line(2, m, s - 2, m);
      break;
    case U'十':
      line(m, 1, m, s - 1);
      line(0, m - 2, s, m - 2);
      break;
    case U'王':
      line(3, 1, s - 3, 1);
      line(5, m, s - 5, m);
      line(0, s - 1, s, s - 1);
      line(m, 1, m, s - 1);
      break;
    case U'工':
      line(4, 1, s - 4, 1);
      line(0, s - 1, s, s - 1);
      line(m, 1, m, s - 1);
      break;
    case U'日':
      cv::rectangle(page, {x + 6, y + 1}, {x + s - 6, y + s - 1}, ink, t);
      line(6, m, s - 6, m);
      break;
    case U'自':  // 日 with a stroke more, inside its top (as 自 is 目 with a tick)
      cv::rectangle(page, {x + 6, y + 1}, {x + s - 6, y + s - 1}, ink, t);
      line(6, m, s - 6, m);
      line(m, 1, m, 12);
      break;
    default:
      cv::putText(page, tally::core::u32_to_utf8(std::u32string(1, c)), {x + 6, y + s},
                  cv::FONT_HERSHEY_SIMPLEX, 1.2, ink, 3);
  }
}

// A binary 300 dpi page with `lines` one under the other, each a character at a time at full
// width; `bridged` joins each character to the next with a pixel of ink, as a scan's blur does.
tally::core::Raster page_with(const std::vector<std::u32string>& lines,
                              std::vector<PixelBox>& boxes, bool bridged = false) {
  cv::Mat page(40 + 70 * static_cast<int>(lines.size()), 600, CV_8U, cv::Scalar(255));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int top = 30 + 70 * static_cast<int>(i);
    int x = 40;
    for (const char32_t c : lines[i]) {
      if (c >= U'0' && c <= U'9') {  // half width, as a code's digits are printed
        cv::putText(page, std::string(1, static_cast<char>(c)), {x, top + kSize - 4},
                    cv::FONT_HERSHEY_SIMPLEX, 1.0, cv::Scalar(0), 3, cv::LINE_8);
        x += 24;
        continue;
      }
      draw(page, c, x, top);
      if (bridged && x > 40)
        cv::line(page, {x - (kPitch - kSize) - 2, top + kSize / 2 + 5},
                 {x + 2, top + kSize / 2 + 5}, cv::Scalar(0), 1);
      x += kPitch;
    }
    boxes.push_back({30, top - 8, x + 8, top + kSize + 8});
  }
  cv::threshold(page, page, 128, 255, cv::THRESH_BINARY);
  return tally::imaging::raster_of(page, 300);
}

Reading confident(const std::u32string& text) {
  return {tally::core::u32_to_utf8(text), 0.95, {}};
}

TEST(CharacterGlyphs, ReadsALineOfCharactersLearnedBefore) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({U"口田十", U"王工日", U"田王口日工", U"十"}, boxes);
  CharacterGlyphs characters;
  EXPECT_FALSE(characters.read(page, boxes[2]).has_value()) << "nothing learned yet";
  characters.learn(page, boxes[0], confident(U"口田十"));
  characters.learn(page, boxes[1], confident(U"王工日"));
  EXPECT_EQ(characters.size(), 6u);
  for (const std::size_t i : {std::size_t{2}, std::size_t{3}}) {
    const std::optional<Reading> read = characters.read(page, boxes[i]);
    ASSERT_TRUE(read.has_value()) << i;
    EXPECT_EQ(read->text, i == 2 ? "田王口日工" : "十");
    EXPECT_GE(read->confidence, 0.9);
  }
}

TEST(CharacterGlyphs, LeavesUnlearnedCharactersDigitsAndDoubtfulTeachersToChiSim) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({U"口田十", U"口王十", U"口1十", U"田十口"}, boxes);
  CharacterGlyphs characters;
  characters.learn(page, boxes[0], {"口田十", 0.50, {}});  // chi_sim unsure: teaches nothing
  characters.learn(page, boxes[0], confident(U"口田"));    // a character missed: the line is wider
  EXPECT_EQ(characters.size(), 0u);
  characters.learn(page, boxes[0], confident(U"口田十"));
  EXPECT_EQ(characters.size(), 3u);
  EXPECT_FALSE(characters.read(page, boxes[1]).has_value()) << "王 was never learned";
  EXPECT_FALSE(characters.read(page, boxes[2]).has_value()) << "a digit is half a character wide";
  characters.learn(page, boxes[2], confident(U"口1十"));  // not all full-width: teaches nothing
  EXPECT_EQ(characters.size(), 3u);
  const std::optional<Reading> read = characters.read(page, boxes[3]);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->text, "田十口");
}

TEST(CharacterGlyphs, DoesNotTakeACharacterForOneWithAStrokeLess) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({U"口日十", U"自十", U"日十"}, boxes);
  CharacterGlyphs characters;
  characters.learn(page, boxes[0], confident(U"口日十"));
  EXPECT_FALSE(characters.read(page, boxes[1]).has_value()) << "自 is not a learned 日";
  const std::optional<Reading> read = characters.read(page, boxes[2]);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->text, "日十");
}

TEST(CharacterGlyphs, ReadsTheLearnedPiecesOfALineWithNewCharacters) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with({U"口田十", U"口王十日"}, boxes);
  CharacterGlyphs characters;
  characters.learn(page, boxes[0], confident(U"口田十"));
  const std::optional<CharacterGlyphs::Pieces> pieces = characters.read_pieces(page, boxes[1]);
  ASSERT_TRUE(pieces.has_value());
  ASSERT_EQ(pieces->boxes.size(), 4u);
  EXPECT_EQ(pieces->characters, (std::u32string{U'口', 0, U'十', 0}));
  EXPECT_FALSE(pieces->all_known());
  // Each box holds its character's ink: the second starts a pitch after the first.
  EXPECT_NEAR(pieces->boxes[1].x0 - pieces->boxes[0].x0, kPitch, 4);
}

TEST(CharacterGlyphs, CutsCharactersThatTouchByAPixel) {
  std::vector<PixelBox> apart, touching;
  const tally::core::Raster clean = page_with({U"田王日", U"口十工"}, apart);
  const tally::core::Raster joined = page_with({U"日工田十"}, touching, true);
  CharacterGlyphs characters;
  characters.learn(clean, apart[0], confident(U"田王日"));
  characters.learn(clean, apart[1], confident(U"口十工"));
  const std::optional<Reading> read = characters.read(joined, touching[0]);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->text, "日工田十");
}

TEST(CharacterGlyphs, ReadsAndLearnsTheNameAfterACode) {
  std::vector<PixelBox> boxes;
  const tally::core::Raster page = page_with(
      {U"1234567890", U"0987654321", U"口田十", U"42王工日", U"205日口王", U"王日"}, boxes);
  tally::ocr::DigitGlyphs digits;
  digits.learn(page, boxes[0], confident(U"1234567890"));
  digits.learn(page, boxes[1], confident(U"0987654321"));
  CharacterGlyphs characters;
  characters.learn(page, boxes[2], confident(U"口田十"));
  EXPECT_FALSE(characters.read(page, boxes[5]).has_value()) << "王 and 日 not learned yet";
  characters.learn(page, boxes[3], confident(U"42王工日"));  // the name teaches
  EXPECT_EQ(characters.size(), 6u);
  std::optional<Reading> read = characters.read(page, boxes[5]);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->text, "王日");
  EXPECT_FALSE(characters.read(page, boxes[4]).has_value()) << "a code needs the digit glyphs";
  read = characters.read(page, boxes[4], &digits);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(read->text, "205日口王");
}

}  // namespace
