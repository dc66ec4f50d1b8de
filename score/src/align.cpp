#include "align.h"

#include <algorithm>

#include "tally/core/text.h"
#include "tally/score/score.h"

namespace tally::score {

std::size_t edit_distance(std::u32string_view a, std::u32string_view b) {
  return core::edit_distance(a, b);
}

}  // namespace tally::score

namespace tally::score::detail {

std::string normalize_text(std::string_view text) {
  return core::fold_width(core::remove_space(text));
}

std::size_t utf8_edit_distance(std::string_view a, std::string_view b) {
  return edit_distance(core::utf8_to_u32(a), core::utf8_to_u32(b));
}

double char_similarity(std::string_view a, std::string_view b) {
  return core::text_similarity(a, b);
}

std::vector<std::pair<int, int>> align_sequences(int n, int m,
                                                 const std::function<double(int, int)>& gain) {
  // best[i][j]: the best total over the first i and first j elements.
  const auto width = static_cast<std::size_t>(m + 1);
  std::vector<double> best(static_cast<std::size_t>(n + 1) * width, 0.0);
  std::vector<double> pair_gain(static_cast<std::size_t>(n) * static_cast<std::size_t>(m), 0.0);
  auto at = [&](int i, int j) -> double& {
    return best[static_cast<std::size_t>(i) * width + static_cast<std::size_t>(j)];
  };
  for (int i = 1; i <= n; ++i) {
    for (int j = 1; j <= m; ++j) {
      const double g = gain(i - 1, j - 1);
      pair_gain[static_cast<std::size_t>(i - 1) * static_cast<std::size_t>(m) +
                static_cast<std::size_t>(j - 1)] = g;
      double value = std::max(at(i - 1, j), at(i, j - 1));
      if (g > 0) value = std::max(value, at(i - 1, j - 1) + g);
      at(i, j) = value;
    }
  }
  std::vector<std::pair<int, int>> pairs;
  int i = n, j = m;
  while (i > 0 && j > 0) {
    const double g = pair_gain[static_cast<std::size_t>(i - 1) * static_cast<std::size_t>(m) +
                               static_cast<std::size_t>(j - 1)];
    if (g > 0 && at(i, j) == at(i - 1, j - 1) + g) {
      pairs.emplace_back(i - 1, j - 1);
      --i;
      --j;
    } else if (at(i, j) == at(i - 1, j)) {
      --i;
    } else {
      --j;
    }
  }
  std::reverse(pairs.begin(), pairs.end());
  return pairs;
}

std::size_t common_count(const std::vector<std::string>& sorted_a,
                         const std::vector<std::string>& sorted_b) {
  std::size_t count = 0;
  auto a = sorted_a.begin();
  auto b = sorted_b.begin();
  while (a != sorted_a.end() && b != sorted_b.end()) {
    if (*a < *b) {
      ++a;
    } else if (*b < *a) {
      ++b;
    } else {
      ++count;
      ++a;
      ++b;
    }
  }
  return count;
}

}  // namespace tally::score::detail
