// Normalizing OCR text, and the classification code book that corrects labels.
#include "tally/core/text.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <utility>

#include "tally/core/files.h"
#include "tally/ocr/ocr.h"

namespace tally::ocr {

std::string normalize_text(const std::string& text, TextKind kind) {
  if (kind != TextKind::Number) {
    // Labels keep their printed forms (full-width parentheses are part of them); only spaces
    // between Chinese characters, which Tesseract inserts between its "words", go.
    const std::u32string in = core::utf8_to_u32(core::normalize_space(text));
    std::u32string out;
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (in[i] == U' ' && i > 0 && i + 1 < in.size() &&
          (core::is_cjk(in[i - 1]) || core::is_cjk(in[i + 1])))
        continue;
      out.push_back(in[i]);
    }
    return core::u32_to_utf8(out);
  }
  std::string folded = core::fold_width(text);
  std::string out;
  for (char c : folded) {
    switch (c) {
      case ' ':
      case '\n':
      case '\t':
      case '\r': break;
      case 'O':
      case 'o': out += '0'; break;
      case 'l':
      case 'I':
      case '|': out += '1'; break;
      default: out += c;
    }
  }
  // Stray punctuation at the ends (a rule's remnant read as '.' or ',').
  while (!out.empty() && (out.back() == ',' || out.back() == '.' || out.back() == '-') &&
         out.size() > 1)
    out.pop_back();
  while (out.size() > 1 && (out.front() == ',' || out.front() == '.')) out.erase(out.begin());
  // A doubled separator is one.
  for (std::size_t p; (p = out.find(",,")) != std::string::npos;) out.erase(p, 1);
  for (std::size_t p; (p = out.find("..")) != std::string::npos;) out.erase(p, 1);
  return out;
}

bool looks_numeric(const std::string& text) {
  if (text == "-" || text == "0") return true;
  std::string t = text;
  if (t.size() >= 2 && t.front() == '(' && t.back() == ')') t = t.substr(1, t.size() - 2);
  if (!t.empty() && t.front() == '-') t.erase(t.begin());
  if (t.empty() || t.front() < '0' || t.front() > '9' || t.back() < '0' || t.back() > '9')
    return false;
  int dots = 0;
  // Thousands groups: one to three digits first, exactly three after each comma, none after the
  // point. "2,6073.22" (a digit read into a group) is no clean number: core::amount_from_text
  // refuses it, so passing it left the cell without an amount.
  int group = 0;
  bool grouped = false;
  for (char c : t) {
    if (c == '.') {
      if (grouped && group != 3) return false;
      ++dots;
      grouped = false;
      group = 0;
    } else if (c == ',') {
      if (dots > 0 || group < 1 || group > 3 || (grouped && group != 3)) return false;
      grouped = true;
      group = 0;
    } else if (c < '0' || c > '9') {
      return false;
    } else {
      ++group;
    }
  }
  return dots <= 1 && (!grouped || group == 3);
}

// ---------------------------------------------------------------------------------------------

namespace {

std::string strip(const std::string& s) {
  std::string out = core::remove_space(s);
  return out;
}

}  // namespace

double similarity(const std::string& a, const std::string& b) {
  return core::text_similarity(a, b);
}

namespace {

// The column of `name` in a .tsv header line, or npos.
std::size_t column_of(const std::string& header, const std::string& name) {
  std::size_t column = 0, start = 0;
  while (true) {
    const std::size_t tab = header.find('\t', start);
    if (header.substr(start, tab == std::string::npos ? std::string::npos : tab - start) == name)
      return column;
    if (tab == std::string::npos) return std::string::npos;
    start = tab + 1;
    ++column;
  }
}

std::string field(const std::string& line, std::size_t column) {
  std::size_t start = 0;
  for (std::size_t i = 0; i < column; ++i) {
    start = line.find('\t', start);
    if (start == std::string::npos) return {};
    ++start;
  }
  return line.substr(start, line.find('\t', start) - start);
}

}  // namespace

CodeBook CodeBook::load(const std::filesystem::path& directory) {
  CodeBook book;
  std::error_code ec;
  if (!std::filesystem::is_directory(directory, ec)) return book;
  // The official lists (with a `year` column) first: a code keeps its first name.
  std::vector<std::filesystem::path> official, others;
  for (const auto& file : core::files_with_extension(directory, ".tsv")) {
    std::ifstream in(file);
    std::string header;
    std::getline(in, header);
    (column_of(header, "year") != std::string::npos ? official : others).push_back(file);
  }
  official.insert(official.end(), others.begin(), others.end());
  for (const auto& file : official) {
    std::ifstream in(file);
    std::string line;
    std::size_t year_column = std::string::npos;
    bool first = true;
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (std::exchange(first, false)) year_column = column_of(line, "year");
      const std::size_t tab = line.find('\t');
      if (tab == std::string::npos) continue;
      const std::string code = line.substr(0, tab);
      if (!core::is_digits(code)) continue;
      std::string label = line.substr(tab + 1);
      label = label.substr(0, label.find('\t'));
      label = strip(label);
      if (label.empty()) continue;
      if (book.by_code_.emplace(code, label).second) book.by_label_.emplace(label, code);
      if (year_column != std::string::npos) {
        const std::string year = field(line, year_column);
        if (core::is_digits(year) && !year.empty())
          book.year_ = std::max(book.year_, std::stoi(year));
      }
    }
  }
  std::ifstream titles(directory.parent_path() / "titles.txt");
  for (std::string line; std::getline(titles, line);) {
    line = strip(line);
    if (!line.empty()) book.titles_.push_back(line);
  }
  return book;
}

std::optional<CodeBook::Match> CodeBook::closest_title(const std::string& text) const {
  const std::string t = strip(text);
  std::optional<Match> best;
  for (const std::string& title : titles_) {
    const double s = similarity(t, title);
    if (!best || s > best->similarity) best = Match{title, s};
  }
  return best;
}

const CodeBook& CodeBook::standard() {
  static const CodeBook book = [] {
    std::vector<std::filesystem::path> places;
    if (const char* data = std::getenv("TALLY_DATA"))
      places.emplace_back(std::filesystem::path(data) / "codes");
    places.emplace_back("data/codes");
#ifdef TALLY_SOURCE_DATA_DIR
    places.emplace_back(std::filesystem::path(TALLY_SOURCE_DATA_DIR) / "codes");
#endif
    for (const auto& place : places) {
      CodeBook b = load(place);
      if (!b.empty()) return b;
    }
    return CodeBook{};
  }();
  return book;
}

const std::string* CodeBook::label_of(const std::string& code) const {
  const auto it = by_code_.find(code);
  return it == by_code_.end() ? nullptr : &it->second;
}

std::optional<CodeBook::Match> CodeBook::closest_label(const std::string& text,
                                                       const std::string& code) const {
  const std::string t = strip(text);
  if (t.empty()) return std::nullopt;
  if (!code.empty()) {
    const std::string* label = label_of(code);
    if (!label) return std::nullopt;
    return Match{*label, similarity(t, *label)};
  }
  std::optional<Match> best;
  const std::size_t n = core::utf8_length(t);
  for (const auto& [label, c] : by_label_) {
    const std::size_t m = core::utf8_length(label);
    if (m + 3 < n || n + 3 < m) continue;  // too different in length to be a misreading
    const double s = similarity(t, label);
    if (!best || s > best->similarity) best = Match{label, s};
    if (s >= 1.0) break;
  }
  return best;
}

std::vector<CodeEntry> CodeBook::children_of(const std::string& parent) const {
  std::vector<CodeEntry> out;
  for (auto it = by_code_.lower_bound(parent);
       it != by_code_.end() && it->first.starts_with(parent); ++it)
    if (it->first.size() == parent.size() + 2) out.push_back({it->first, it->second});
  return out;
}

std::vector<std::string> CodeBook::codes_of(const std::string& label) const {
  std::vector<std::string> out;
  const auto [first, last] = by_label_.equal_range(strip(label));
  for (auto it = first; it != last; ++it) out.push_back(it->second);
  return out;
}

}  // namespace tally::ocr
