#include <gtest/gtest.h>

#include "tally/app/job.h"
#include "tally/core/error.h"

using tally::app::page_range_from_text;

TEST(PageRangeFromText, ParsesTheThreeForms) {
  EXPECT_EQ(page_range_from_text("3-7").first, 3);
  EXPECT_EQ(page_range_from_text("3-7").last, 7);
  EXPECT_EQ(page_range_from_text("5").last, 5);
  EXPECT_EQ(page_range_from_text("4-").last, 0);
}

TEST(PageRangeFromText, RefusesNonsense) {
  for (const char* text : {"", "0", "7-3", "a-b", "-3", "1-2-3", "99999999"})
    EXPECT_THROW(page_range_from_text(text), tally::core::Error) << text;
}
