// Small helpers for the fixed-width text reports.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace tally::score::detail {

// `text` padded with spaces to `width` bytes (reports print ASCII names), at least one space after.
inline std::string pad(const std::string& text, std::size_t width) {
  return text.size() >= width ? text + " " : text + std::string(width - text.size(), ' ');
}

inline std::string fraction(std::int64_t part, std::int64_t whole) {
  return std::to_string(part) + "/" + std::to_string(whole);
}

// `value` with `format` (printf), or `missing` when there is no value.
inline std::string formatted(std::optional<double> value, const char* format, const char* missing) {
  if (!value) return missing;
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, *value);
  return buffer;
}

}  // namespace tally::score::detail
