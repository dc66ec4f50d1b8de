// What a reading's text says: digits, decimals, a number among specks, a code before a label.
#include <algorithm>
#include <string_view>

#include "reader.h"
#include "tally/core/text.h"

namespace tally::ocr::detail {

namespace {

bool is_digit(char32_t c) {
  return c >= U'0' && c <= U'9';
}

}  // namespace

int digits_of(const std::string& text) {
  return static_cast<int>(
      std::count_if(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

int decimals_of(const std::string& text) {
  const std::size_t dot = text.rfind('.');
  if (dot == std::string::npos) return -1;
  int n = 0;
  for (std::size_t i = dot + 1; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) ++n;
  return n;
}

bool mostly_digits(const std::string& text) {
  const int d = digits_of(text);
  return d >= 2 && 3 * d >= 2 * static_cast<int>(core::utf8_length(text));
}

bool ones_as_bars(const std::string& label, const std::string& digits) {
  if (label.size() != digits.size() || digits_of(digits) != static_cast<int>(digits.size()))
    return false;
  for (std::size_t i = 0; i < label.size(); ++i)
    if (label[i] != digits[i] &&
        !(digits[i] == '1' && std::string_view("]|[lI!").find(label[i]) != std::string_view::npos))
      return false;
  return true;
}

// The longest run that reads as an amount, when it holds nearly all the digits (all but one).
std::optional<std::string> number_inside(const std::string& text) {
  const std::u32string t = core::utf8_to_u32(core::fold_width(text));
  std::size_t best_start = 0, best_len = 0, digits = 0;
  for (char32_t c : t) digits += is_digit(c);
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!is_digit(t[i]) && t[i] != U'-') continue;
    std::size_t j = i + 1;
    while (j < t.size() && (is_digit(t[j]) || t[j] == U',' || t[j] == U'.')) ++j;
    if (j - i > best_len) best_start = i, best_len = j - i;
  }
  if (best_len == 0) return std::nullopt;
  std::string run =
      normalize_text(core::u32_to_utf8(t.substr(best_start, best_len)), TextKind::Number);
  const std::size_t run_digits = static_cast<std::size_t>(digits_of(run));
  if (!looks_numeric(run) || run_digits + 1 < digits || run.find('.') == std::string::npos)
    return std::nullopt;
  return run;
}

std::pair<std::string, std::string> split_code_prefix(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  return {text.substr(0, i), text.substr(i)};
}

bool has_cjk(const std::string& text) {
  for (char32_t c : core::utf8_to_u32(text))
    if (core::is_cjk(c)) return true;
  return false;
}

bool is_column_formula(const std::string& text) {
  const std::string t = core::remove_space(core::fold_width(text));
  const std::size_t eq = t.find('=');
  if (eq == 0 || eq == std::string::npos || eq + 1 == t.size() ||
      digits_of(t.substr(0, eq)) != static_cast<int>(eq))
    return false;
  bool operand = false, sign = false;
  for (std::size_t i = eq + 1; i < t.size(); ++i) {
    if (t[i] >= '0' && t[i] <= '9') {
      operand = true;
    } else if ((t[i] == '+' || t[i] == '-') && operand) {
      operand = false;
      sign = true;
    } else {
      return false;
    }
  }
  return operand && sign;
}

NumberForm form_of(const std::string& text) {
  NumberForm form;
  std::string t = text;
  if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
  if (!t.empty() && t.front() == '-') t.erase(t.begin());
  const std::size_t point = t.find('.');
  const std::string whole = t.substr(0, point);
  const std::string fraction = point == std::string::npos ? "" : t.substr(point + 1);
  form.decimals = static_cast<int>(fraction.size());
  form.whole_digits = digits_of(whole);
  form.grouped = whole.find(',') != std::string::npos;
  form.well_formed = !whole.empty() && digits_of(fraction) == form.decimals &&
                     (point == std::string::npos || !fraction.empty());
  // Groups: one to three digits first, then exactly three after each comma.
  int group = 0;
  bool first = true;
  for (char c : whole) {
    if (c == ',') {
      form.well_formed &= group >= 1 && group <= 3 && (first || group == 3);
      first = false;
      group = 0;
    } else {
      form.well_formed &= c >= '0' && c <= '9';
      ++group;
    }
  }
  form.well_formed &= group >= 1 && (first ? true : group == 3);
  return form;
}

std::optional<std::string> in_column_form(const std::string& text, int decimals, bool grouped) {
  std::string sign, digits;
  std::size_t i = 0;
  if (!text.empty() && text.front() == '-') sign = "-", i = 1;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9')
      digits += c;
    else if (c != '.' && c != ',')
      return std::nullopt;
  }
  if (static_cast<int>(digits.size()) <= decimals) return std::nullopt;
  std::string whole = digits.substr(0, digits.size() - static_cast<std::size_t>(decimals));
  if (whole.size() > 1 && whole.front() == '0') return std::nullopt;
  if (grouped)
    for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3)
      whole.insert(static_cast<std::size_t>(at), ",");
  return sign + whole + (decimals > 0 ? "." + digits.substr(digits.size() - decimals) : "");
}

std::optional<Misgrouped> misgrouped(const std::string& text) {
  if (text.find(',') == std::string::npos || looks_numeric(text)) return std::nullopt;
  std::string digits;
  for (char c : text)
    if (c != ',') digits += c;
  if (!looks_numeric(digits) || digits_of(digits) < 2) return std::nullopt;
  Misgrouped m{digits, {}};
  // The groups after the first comma of the whole part, each a run of digits between commas.
  const std::size_t point = text.find('.');
  const std::size_t end = point == std::string::npos ? text.size() : point;
  std::size_t start = text.find(',') + 1;
  while (start <= end) {
    std::size_t stop = text.find(',', start);
    if (stop == std::string::npos || stop > end) stop = end;
    if (stop - start > 3)
      for (std::size_t i = start; i < stop; ++i) {
        std::string shorter = text;
        shorter.erase(i, 1);
        if (looks_numeric(shorter) &&
            std::find(m.one_dropped.begin(), m.one_dropped.end(), shorter) == m.one_dropped.end())
          m.one_dropped.push_back(shorter);
      }
    start = stop + 1;
  }
  return m;
}

// Digits are about half as wide as tall, so a crop many times wider than its reading holds
// something else (a bold label read as "7").
bool explains_width(const std::string& text, const PixelBox& ink, const ReaderOptions& options) {
  return ink.width() <=
         (options.width_per_character * static_cast<double>(text.size()) + options.width_slack) *
             ink.height();
}

}  // namespace tally::ocr::detail
