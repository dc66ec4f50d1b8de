#include "tally/core/model.h"

#include <gtest/gtest.h>

using namespace tally::core;

TEST(Table, CellAtFollowsSpans) {
  Table table;
  table.n_rows = 2;
  table.n_cols = 3;
  table.cells = {{.row = 0, .col = 0, .rowspan = 1, .colspan = 3, .text = "功能分类科目编码"},
                 {.row = 1, .col = 0, .text = "类"},
                 {.row = 1, .col = 1, .text = "款"}};
  EXPECT_EQ(table.cell_at(0, 2)->text, "功能分类科目编码");
  EXPECT_EQ(table.cell_at(1, 1)->text, "款");
  EXPECT_EQ(table.cell_at(1, 2), nullptr);
  const std::vector<int> index = table.grid_index();
  EXPECT_EQ(index, (std::vector<int>{0, 0, 0, 1, 2, -1}));
}
