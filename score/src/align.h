// Text comparison and sequence alignment shared by the scorers.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tally::score::detail {

// What the scorer compares: every whitespace removed, full-width ASCII folded (（ → ( , ０ → 0),
// so a label wrapped over two lines or read by OCR in half-width still matches the print.
std::string normalize_text(std::string_view text);

// 1 - edit distance / longer length, in code points; 1 for two empty strings.
double char_similarity(std::string_view a, std::string_view b);

// Edit distance in code points between two UTF-8 strings.
std::size_t utf8_edit_distance(std::string_view a, std::string_view b);

// Monotonic alignment of two sequences of lengths n and m that maximises the sum of
// gain(i, j) over the pairs it makes; a pair is made only where gain > 0, and leaving an element
// unpaired costs nothing. Returns the pairs in increasing order.
std::vector<std::pair<int, int>> align_sequences(int n, int m,
                                                 const std::function<double(int, int)>& gain);

// Size of the multiset intersection of two sorted lists.
std::size_t common_count(const std::vector<std::string>& sorted_a,
                         const std::vector<std::string>& sorted_b);

}  // namespace tally::score::detail
