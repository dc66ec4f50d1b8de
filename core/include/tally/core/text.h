// Text helpers for the CJK-and-digits text of disclosures. UTF-8 throughout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tally::core {

// Decodes UTF-8 into code points; invalid bytes become U+FFFD.
std::u32string utf8_to_u32(std::string_view text);
std::string u32_to_utf8(std::u32string_view text);

// Number of code points.
std::size_t utf8_length(std::string_view text);

// Full-width ASCII variants (０-９, ，．（）：－ and the ideographic space) folded to ASCII, as
// NFKC would do for them; other characters unchanged. Cheap enough for every word.
std::string fold_width(std::string_view text);

// Collapses runs of whitespace (ASCII and U+3000) to one space and trims the ends.
std::string normalize_space(std::string_view text);

// Removes every whitespace character: wrapped CJK labels join without spaces (行政单位离退 + 休).
std::string remove_space(std::string_view text);

bool is_cjk(char32_t c);

// True when text (after fold_width) is only ASCII digits.
bool is_digits(std::string_view text);

// Levenshtein distance in code points (insertions, deletions and substitutions cost 1).
std::size_t edit_distance(std::u32string_view a, std::u32string_view b);

// 1 − edit distance / the longer length, by code points: 1 for the same text (and for two empty
// texts), 0 when nothing lines up. The one measure of "a misread of" shared by OCR, layout and
// scoring.
double text_similarity(std::string_view a, std::string_view b);

// Joins the parts with `separator`.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

}  // namespace tally::core
