#include "tally/core/amount.h"

#include <limits>

#include "tally/core/text.h"

namespace tally::core {

namespace {

constexpr int kMaxDecimals = 6;
constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace

std::int64_t Amount::units_at(int target) const {
  if (target <= decimals) return units;
  return units * kPow10[target - decimals];
}

std::string Amount::to_string() const {
  const bool negative = units < 0;
  // Work on the magnitude as unsigned so INT64_MIN cannot overflow.
  std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(units) : static_cast<std::uint64_t>(units);
  const std::string digits = std::to_string(magnitude);
  std::string out = negative ? "-" : "";
  if (decimals <= 0) return out + digits;
  const auto d = static_cast<std::size_t>(decimals);
  const std::string padded =
      digits.size() <= d ? std::string(d + 1 - digits.size(), '0') + digits : digits;
  out.append(padded, 0, padded.size() - d);
  out.push_back('.');
  out.append(padded, padded.size() - d, d);
  return out;
}

std::optional<Amount> amount_from_text(std::string_view raw) {
  std::string text = normalize_space(fold_width(raw));
  if (text.empty()) return std::nullopt;

  bool negative = false;
  if (text.front() == '(' && text.back() == ')') {
    negative = true;
    text = normalize_space(text.substr(1, text.size() - 2));
  }
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    if (negative) return std::nullopt;
    negative = text.front() == '-';
    text = normalize_space(text.substr(1));
  }
  if (text.empty() || !is_digit(text.front())) return std::nullopt;

  // Integer part: digits, optionally in thousands groups separated by ',' with stray spaces around
  // the separator (WPS prints "2, 932, 700"). A space anywhere else means two numbers.
  std::int64_t units = 0;
  std::size_t i = 0;
  int group_digits = 0;
  bool grouped = false;
  int total_digits = 0;
  auto push_digit = [&](char c) -> bool {
    if (units > (std::numeric_limits<std::int64_t>::max() - 9) / 10) return false;
    units = units * 10 + (c - '0');
    ++total_digits;
    return true;
  };
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (is_digit(c)) {
      if (!push_digit(c)) return std::nullopt;
      ++group_digits;
      continue;
    }
    if (c == ',') {
      // The first group may hold 1–3 digits, every later one exactly 3.
      if (group_digits == 0 || group_digits > 3 || (grouped && group_digits != 3))
        return std::nullopt;
      grouped = true;
      group_digits = 0;
      if (i + 1 < text.size() && text[i + 1] == ' ') ++i;
      continue;
    }
    if (c == ' ') {
      if (i + 1 < text.size() && text[i + 1] == ',') continue;  // "2 ,932"
      return std::nullopt;
    }
    break;
  }
  if (group_digits == 0 || (grouped && group_digits != 3)) return std::nullopt;

  int decimals = 0;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    for (; i < text.size(); ++i) {
      if (!is_digit(text[i]) || decimals == kMaxDecimals) return std::nullopt;
      if (!push_digit(text[i])) return std::nullopt;
      ++decimals;
    }
    if (decimals == 0) return std::nullopt;
  }
  if (total_digits > 18) return std::nullopt;
  return Amount{negative ? -units : units, decimals};
}

}  // namespace tally::core
