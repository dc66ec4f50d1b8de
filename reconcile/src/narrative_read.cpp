// Reading the narrative: the page text outside the tables, cut into sentences, and in each sentence
// the amounts with their unit and item, and the percentages.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "narrative_internal.h"
#include "tally/core/text.h"

namespace tally::reconcile::detail {

namespace {

bool inside_table(const core::Document& document, int page, const core::Box& box) {
  const double cx = box.center_x(), cy = box.center_y();
  for (const core::Table& table : document.tables)
    for (const core::TableRegion& region : table.regions)
      if (region.page == page && cx >= region.box.x0 && cx <= region.box.x1 &&
          cy >= region.box.y0 && cy <= region.box.y1)
        return true;
  return false;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool starts_with(const std::string& text, std::size_t at, const char* prefix) {
  return text.compare(at, std::char_traits<char>::length(prefix), prefix) == 0;
}

// A section marker opening the line: 一、 … 十二、, (一) … (十), 1、 / 1. followed by text.
bool opens_section(const std::string& line) {
  static const char* const kNumerals[] = {"十一", "十二", "十三", "一", "二", "三", "四",
                                          "五",   "六",   "七",   "八", "九", "十"};
  for (const char* n : kNumerals) {
    const std::size_t len = std::char_traits<char>::length(n);
    if (starts_with(line, 0, n) && starts_with(line, len, "、")) return true;
    if (starts_with(line, 0, "(") && starts_with(line, 1, n) && starts_with(line, 1 + len, ")"))
      return true;
  }
  std::size_t digits = 0;
  while (digits < line.size() && line[digits] >= '0' && line[digits] <= '9') ++digits;
  // "1、" or "1." before text, not "16.86%" at the start of a wrapped line.
  return digits > 0 && digits <= 2 &&
         (starts_with(line, digits, "、") ||
          (starts_with(line, digits, ".") && digits + 1 < line.size() &&
           !is_digit(line[digits + 1])));
}

// A heading line: opens a section and says no more than a title (no full stop, no amount).
bool is_heading(const std::string& line) {
  return opens_section(line) && !contains(line, "。") && !contains(line, "万元") &&
         line.size() <= 120;
}

void find_amounts(Statement& s) {
  const std::string& t = s.text;
  for (std::size_t i = 0; i < t.size();) {
    if (!is_digit(t[i]) || (i > 0 && (is_digit(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == ','))) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < t.size() && (is_digit(t[end]) || ((t[end] == ',' || t[end] == '.') &&
                                                   end + 1 < t.size() && is_digit(t[end + 1]))))
      ++end;
    const std::string number = t.substr(i, end - i);
    const std::optional<core::Amount> amount = core::amount_from_text(number);
    // The clause: back to the last , ; : 、 。 that is not a thousands separator.
    std::size_t from = 0;
    bool listed = false;
    for (std::size_t k = i; k > 0; --k) {
      const char c = t[k - 1];
      const bool separator =
          c == ';' || c == ':' ||
          (c == ',' && !(k >= 2 && is_digit(t[k - 2]) && k < t.size() && is_digit(t[k])));
      if (separator) {
        from = k;
        break;
      }
      if (k >= 3 && (t.compare(k - 3, 3, "、") == 0 || t.compare(k - 3, 3, "。") == 0)) {
        from = k;
        listed = t.compare(k - 3, 3, "、") == 0;
        break;
      }
    }
    std::size_t clause_end = end;
    while (clause_end < t.size() && t[clause_end] != ',' && t[clause_end] != ';' &&
           t.compare(clause_end, 3, "。") != 0 && t.compare(clause_end, 3, "、") != 0)
      ++clause_end;
    std::string before = t.substr(from, i - from);
    if (amount && starts_with(t, end, "%")) {
      s.percents.push_back({i, end + 1, *amount, before});
      i = end + 1;
      continue;
    }
    bool yuan = false;
    std::size_t past = end;
    if (starts_with(t, end, "万元"))
      past = end + 6;
    else if (starts_with(t, end, "元")) {
      yuan = true;
      past = end + 3;
    }
    if (!amount || past == end) {
      i = end;
      continue;
    }
    // The item: connectors at the start and a copula at the end are not part of its name.
    for (const char* lead : {"其中", "主要用于以下方面", "包括"})
      if (before.rfind(lead, 0) == 0) before.erase(0, std::char_traits<char>::length(lead));
    for (const char* tail : {"为", "是", "达", "约"}) {
      const std::size_t n = std::char_traits<char>::length(tail);
      if (before.size() >= n && before.compare(before.size() - n, n, tail) == 0)
        before.erase(before.size() - n);
    }
    s.amounts.push_back(
        {i, past, *amount, yuan, before, t.substr(from, clause_end - from), listed});
    i = past;
  }
}

std::vector<Statement> sentences(const core::Document& document, bool with_tables) {
  std::vector<Statement> out;
  for (const core::Page& page : document.pages) {
    std::string buffer;
    bool heading = false;
    const auto flush = [&] {
      if (!buffer.empty()) out.push_back({buffer, page.number, heading, {}, {}});
      buffer.clear();
      heading = false;
    };
    for (const Line& line : page_lines(document, page, with_tables)) {
      if (opens_section(line.text)) {
        flush();
        heading = true;
      }
      // Cut at every 。 of the line; the rest carries into the next line.
      std::size_t at = 0;
      for (std::size_t stop = line.text.find("。"); stop != std::string::npos;
           stop = line.text.find("。", at)) {
        buffer += line.text.substr(at, stop + 3 - at);
        at = stop + 3;
        flush();
      }
      buffer += line.text.substr(at);
      if (is_heading(line.text)) flush();
    }
    flush();
  }
  for (Statement& s : out) find_amounts(s);
  return out;
}

}  // namespace

// The page's words (outside tables unless `with_tables`) as lines in reading order.
std::vector<Line> page_lines(const core::Document& document, const core::Page& page,
                             bool with_tables) {
  std::vector<const core::Word*> words;
  for (const core::Word& w : page.words)
    if (with_tables || !inside_table(document, page.number, w.box)) words.push_back(&w);
  std::sort(words.begin(), words.end(), [](const core::Word* a, const core::Word* b) {
    return a->box.center_y() < b->box.center_y();
  });
  std::vector<Line> lines;
  for (const core::Word* w : words) {
    if (!lines.empty()) {
      Line& last = lines.back();
      const double overlap = std::min(last.y1, w->box.y1) - std::max(last.y0, w->box.y0);
      if (overlap > 0.5 * std::min(last.y1 - last.y0, w->box.height())) {
        last.words.push_back(w);
        last.y0 = std::min(last.y0, w->box.y0);
        last.y1 = std::max(last.y1, w->box.y1);
        continue;
      }
    }
    lines.push_back({w->box.y0, w->box.y1, {w}, {}});
  }
  for (Line& line : lines) {
    std::sort(line.words.begin(), line.words.end(),
              [](const core::Word* a, const core::Word* b) { return a->box.x0 < b->box.x0; });
    std::string text;
    for (const core::Word* w : line.words) text += w->text;
    line.text = core::remove_space(core::fold_width(text));
  }
  return lines;
}

bool contains(const std::string& text, const char* needle) {
  return text.find(needle) != std::string::npos;
}

std::vector<Statement> read_statements(const core::Document& document) {
  return sentences(document, false);
}
std::vector<Statement> read_all_sentences(const core::Document& document) {
  return sentences(document, true);
}

std::vector<YearMention> years_in(const std::string& text) {
  std::vector<YearMention> out;
  for (std::size_t i = 0; i + 4 < text.size(); ++i) {
    if (!(is_digit(text[i]) && is_digit(text[i + 1]) && is_digit(text[i + 2]) &&
          is_digit(text[i + 3])))
      continue;
    if ((i > 0 && is_digit(text[i - 1])) || !starts_with(text, i + 4, "年")) continue;
    const int year = std::stoi(text.substr(i, 4));
    if (year < 1990 || year > 2100) continue;
    std::size_t end = i + 7;
    if (starts_with(text, end, "度")) end += 3;
    out.push_back({i, end, year});
  }
  return out;
}

long double in_yuan(const core::Amount& amount, bool yuan) {
  return static_cast<long double>(amount.units) / std::pow(10.0L, amount.decimals) *
         (yuan ? 1.0L : 10000.0L);
}

long double half_step_yuan(const core::Amount& amount, bool yuan) {
  return 0.5L / std::pow(10.0L, amount.decimals) * (yuan ? 1.0L : 10000.0L);
}

}  // namespace tally::reconcile::detail
