#include "tally/core/code.h"

#include "tally/core/text.h"

namespace tally::core {

std::optional<ClassificationCode> ClassificationCode::parent() const {
  if (!item_code.empty()) return ClassificationCode{class_code, section_code, ""};
  if (!section_code.empty()) return ClassificationCode{class_code, "", ""};
  return std::nullopt;
}

std::optional<ClassificationCode> code_from_joined(std::string_view raw) {
  const std::string text = remove_space(fold_width(raw));
  if (!is_digits(text)) return std::nullopt;
  switch (text.size()) {
    case 3: return ClassificationCode{text, "", ""};
    case 5: return ClassificationCode{text.substr(0, 3), text.substr(3, 2), ""};
    case 7: return ClassificationCode{text.substr(0, 3), text.substr(3, 2), text.substr(5, 2)};
    default: return std::nullopt;
  }
}

std::optional<ClassificationCode> code_from_parts(std::string_view class_part,
                                                  std::string_view section_part,
                                                  std::string_view item_part) {
  const std::string c = remove_space(fold_width(class_part));
  const std::string s = remove_space(fold_width(section_part));
  const std::string i = remove_space(fold_width(item_part));
  if (c.size() != 3 || !is_digits(c)) return std::nullopt;
  if (!s.empty() && (s.size() != 2 || !is_digits(s))) return std::nullopt;
  if (!i.empty() && (i.size() != 2 || !is_digits(i) || s.empty())) return std::nullopt;
  return ClassificationCode{c, s, i};
}

const char* to_string(CodeLevel level) {
  switch (level) {
    case CodeLevel::Class: return "class";
    case CodeLevel::Section: return "section";
    case CodeLevel::Item: return "item";
  }
  return "class";
}

}  // namespace tally::core
