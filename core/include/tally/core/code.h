// Classification codes: 支出功能分类 (function) and 支出经济分类 (economic) codes.
//
// A function code has three levels, 类 (3 digits), 款 (2) and 项 (2): `2010301` is 201 / 03 / 01.
// Tables print it either in one column (`2010301`, `20103`, `201`) or in three (`201 | 03 | 01`).
// Economic codes have two levels, 类 (3) and 款 (2): `30101` or `301 | 01`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tally::core {

enum class CodeLevel { Class, Section, Item };  // 类 / 款 / 项

struct ClassificationCode {
  std::string class_code;    // 3 digits, e.g. "201"
  std::string section_code;  // 2 digits or empty, e.g. "03"
  std::string item_code;     // 2 digits or empty, e.g. "01"

  CodeLevel level() const {
    return !item_code.empty()      ? CodeLevel::Item
           : !section_code.empty() ? CodeLevel::Section
                                   : CodeLevel::Class;
  }
  // The joined code: "2010301", "20103" or "201".
  std::string joined() const { return class_code + section_code + item_code; }
  // The code one level up, or nullopt for a class.
  std::optional<ClassificationCode> parent() const;

  friend bool operator==(const ClassificationCode&, const ClassificationCode&) = default;
};

// Splits a one-column code of 3, 5 or 7 digits. Anything else (letters, 4 or 6 digits) is nullopt.
std::optional<ClassificationCode> code_from_joined(std::string_view text);

// Builds a code from three printed columns ("201", "03", "01"); empty trailing parts are allowed.
// Returns nullopt when the parts are not digits of the right widths or a part is missing in
// between.
std::optional<ClassificationCode> code_from_parts(std::string_view class_part,
                                                  std::string_view section_part,
                                                  std::string_view item_part);

const char* to_string(CodeLevel level);

}  // namespace tally::core
