// Reading a table's text: captions, header rows, amounts. Internal to layout/.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tally/core/model.h"
#include "text_pieces.h"

namespace tally::layout::detail {

struct Caption {
  std::optional<int> number;  // 表 N
  std::string title;
  std::string department;  // 编制部门
  std::string unit;        // 单位
  bool continued = false;  // "续表"
  bool empty() const { return !number && title.empty() && department.empty() && unit.empty(); }
};

// The caption of a table from the text lines above it (nearest last), as printed.
Caption caption_from_lines(const std::vector<const TextLine*>& lines_above);

// Sentences printed below a table that belong to it: "注：…", "…为空表。".
std::vector<std::string> notes_from_lines(const std::vector<const TextLine*>& lines_below);

// Header rows: through the numbering row (※ 1 2 3) if there is one, else up to the first row that
// holds amounts or classification codes, extended past any header cell spanning further down.
int detect_header_rows(const core::Table& table);

// Sets Cell::read on body cells of amount columns (code and label columns are left alone).
void assign_amounts(core::Table& table);

// The texts of the first `rows` rows, one string per grid slot (spans repeated), for comparing the
// header of a continuation page with the table it continues.
std::vector<std::string> header_signature(const core::Table& table, int rows);

}  // namespace tally::layout::detail
