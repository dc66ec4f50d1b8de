// Labels by dictionary: a row's classification code names its label and a label its code. Garbled
// labels are replaced by the code list's name, truncated codes completed from the label; every
// change is recorded as a diagnostic, and the reading as OCR gave it is kept as an alternative.
#include <algorithm>
#include <map>

#include "reader.h"
#include "tally/core/text.h"

namespace tally::ocr::detail {

namespace {

// A row's code and label as read: the leading cells of digits only (one cell, or 类 | 款 | 项),
// or a label's prefix.
struct RowCode {
  std::string code;
  std::vector<CellRead*> code_cells;
  CellRead* label = nullptr;
  std::string label_text, prefix;  // the label after its code prefix, and the prefix
};

RowCode code_of(const std::vector<CellRead*>& members, const ReaderOptions& options) {
  RowCode row;
  for (CellRead* c : members) {
    const std::string& t = c->reading.text;
    if (!row.label && core::is_digits(t) && t.size() <= options.max_code_digits &&
        t.find_first_of(",.") == std::string::npos) {
      row.code += t;
      row.code_cells.push_back(c);
      continue;
    }
    if (!row.label && has_cjk(t)) {
      row.label = c;
      std::tie(row.prefix, row.label_text) = split_code_prefix(t);
    }
    break;
  }
  return row;
}

void keep_as_alternative(Reading& reading) {
  reading.alternatives.insert(reading.alternatives.begin(), {reading.text, reading.confidence});
}

class Corrector {
 public:
  Corrector(const CodeBook& book, int page, const ReaderOptions& options,
            std::vector<core::Diagnostic>& diagnostics)
      : book_(book), page_(page), options_(options), diagnostics_(diagnostics) {}

  // The label's name from the code list, or empty; completes a truncated code on the way.
  std::string correct(RowCode& row) {
    std::string corrected;
    const std::string* by_code = row.code.empty() ? nullptr : book_.label_of(row.code);
    if (by_code) {
      const std::string read = core::remove_space(row.label_text);
      const double s = similarity(core::fold_width(read), core::fold_width(*by_code));
      if (s >= options_.label_similarity && read != *by_code) {
        corrected = *by_code;
        // Full-width forms only: the printed form, not a correction of what was read.
        if (s < 1.0)
          note("label_corrected", row.label_text, corrected,
               "from the code list (code " + row.code + ")");
      }
    } else if (!row.code.empty()) {
      // A code not in the list (misread or truncated): the closest name, when it is close.
      const std::optional<CodeBook::Match> m = book_.closest_label(row.label_text);
      if (m && m->similarity >= options_.closest_similarity && m->similarity < 1.0) {
        corrected = m->label;
        note("label_corrected", row.label_text, corrected, "from the code list (closest name)");
      }
      if (row.code_cells.size() == 1 && (!m || m->similarity >= options_.closest_similarity))
        complete_code(row, corrected.empty() ? core::remove_space(row.label_text) : corrected);
    }
    return corrected;
  }

 private:
  // A truncated or misread code: complete it from the label when one code of the list fits.
  void complete_code(RowCode& row, const std::string& name) {
    std::vector<std::string> fits;
    for (const std::string& candidate : book_.codes_of(name))
      if (candidate.size() == row.code.size() + 1 &&
          candidate.compare(0, row.code.size(), row.code) == 0)
        fits.push_back(candidate);
    if (fits.size() != 1) return;
    CellRead& cell = *row.code_cells.front();
    note("code_corrected", cell.reading.text, fits.front(),
         "from the code list (label " + name + ")");
    keep_as_alternative(cell.reading);
    cell.reading.text = fits.front();
  }

  void note(const std::string& what, const std::string& from, const std::string& to,
            const std::string& why) {
    diagnostics_.push_back({core::Severity::Info, what, page_,
                            "OCR read '" + from + "', corrected to '" + to + "' " + why});
  }

  const CodeBook& book_;
  int page_;
  const ReaderOptions& options_;
  std::vector<core::Diagnostic>& diagnostics_;
};

}  // namespace

void correct_by_dictionary(std::vector<CellRead>& cells, int page, const ReaderOptions& options,
                           std::vector<core::Diagnostic>& diagnostics) {
  const CodeBook& book = CodeBook::standard();
  if (book.empty()) return;
  std::map<int, std::vector<CellRead*>> rows;
  for (CellRead& c : cells) rows[c.row].push_back(&c);
  std::string class_above;  // 类 code of the rows above, for split code columns with a blank 类
  Corrector corrector(book, page, options, diagnostics);
  for (auto& [row_number, members] : rows) {
    std::sort(members.begin(), members.end(),
              [](const CellRead* a, const CellRead* b) { return a->col < b->col; });
    RowCode row = code_of(members, options);
    if (!row.label) continue;
    // A 类 code has 3 digits, 款 and 项 two each.
    if (row.code.empty() && row.prefix.size() >= 3) row.code = row.prefix;
    if (!row.code_cells.empty() && row.code_cells.front()->reading.text.size() == 2 &&
        class_above.size() == 3)
      row.code = class_above + row.code;  // 类 left blank under its class row
    if (row.code.size() >= 3 && !row.code_cells.empty() &&
        row.code_cells.front()->reading.text.size() == 3)
      class_above = row.code.substr(0, 3);
    if (row.label_text.size() < options.min_label_bytes) continue;  // too short to judge
    const std::string corrected = corrector.correct(row);
    if (!corrected.empty()) {
      keep_as_alternative(row.label->reading);
      row.label->reading.text = row.prefix + corrected;
    }
  }
}

}  // namespace tally::ocr::detail
