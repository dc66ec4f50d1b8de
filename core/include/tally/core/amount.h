// Amounts: printed money values as exact decimals.
//
// Disclosures print amounts with a fixed number of decimals (万元 with two: `1,760.38`; 元 as
// integers with thousands groups: `2, 932, 700`). Arithmetic on them must be exact, so an Amount is
// an integer count of 10^-decimals units. Floats never touch a printed value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tally::core {

struct Amount {
  std::int64_t units = 0;  // value × 10^decimals
  int decimals = 0;        // digits after the decimal point as printed (0..6)

  // The same value expressed with `target` decimals (target >= decimals), exactly.
  std::int64_t units_at(int target) const;

  // Canonical decimal text: no grouping, '-' for negatives, exactly `decimals` digits after the
  // point. e.g. {176038, 2} -> "1760.38", {-5, 2} -> "-0.05", {2932700, 0} -> "2932700".
  std::string to_string() const;

  friend bool operator==(const Amount& a, const Amount& b) = default;
};

// Parses a printed amount. Accepts thousands separators (',' or '，', with or without stray spaces,
// as WPS prints `2, 932, 700`), full-width digits and punctuation, a leading '-' or '－' or a
// parenthesised negative `(12.00)`, and surrounding whitespace. Returns nullopt for anything that
// is not a single amount (labels, codes with letters, two numbers in one string, a lone '-').
std::optional<Amount> amount_from_text(std::string_view text);

// True when `text` looks like a printed amount (what amount_from_text accepts).
inline bool is_amount_text(std::string_view text) {
  return amount_from_text(text).has_value();
}

}  // namespace tally::core
