// The XLSX workbook of a document (libxlsxwriter).

#include <xlsxwriter.h>

#include <map>
#include <set>

#include "tally/core/error.h"
#include "tally/export/export.h"

namespace tally::exports {

namespace {

constexpr lxw_row_t kGridRow = 2;  // row 0: title (and unit), row 1: empty, grid from row 2

enum class Mark { None, Repaired, Flagged, Broken };

struct Formats {
  lxw_workbook* workbook;
  std::map<std::tuple<int, int, int>, lxw_format*> cache;  // (kind, decimals, mark)

  // kind 0: header text, 1: body text, 2: number
  lxw_format* get(int kind, int decimals, Mark mark) {
    const auto key = std::make_tuple(kind, decimals, static_cast<int>(mark));
    if (auto it = cache.find(key); it != cache.end()) return it->second;
    lxw_format* f = workbook_add_format(workbook);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (kind == 0) {
      format_set_bold(f);
      format_set_align(f, LXW_ALIGN_CENTER);
      format_set_text_wrap(f);
    }
    if (kind == 2) {
      std::string pattern = "#,##0";
      if (decimals > 0) pattern += "." + std::string(static_cast<std::size_t>(decimals), '0');
      format_set_num_format(f, pattern.c_str());
    }
    if (mark == Mark::Repaired) format_set_bg_color(f, 0xFFF2A8);  // yellow
    if (mark == Mark::Flagged) format_set_bg_color(f, 0xFFD08A);   // orange
    if (mark == Mark::Broken) format_set_bg_color(f, 0xF4A6A6);    // red
    cache.emplace(key, f);
    return f;
  }
};

double to_double(const core::Amount& amount) {
  double scale = 1;
  for (int i = 0; i < amount.decimals; ++i) scale *= 10;
  return static_cast<double>(amount.units) / scale;
}

std::string residual_text(const core::Check& check) {
  core::Amount a{check.residual, check.decimals};
  core::Amount t{check.tolerance, check.decimals};
  return "residual " + a.to_string() + " (tolerance " + t.to_string() + ")";
}

}  // namespace

std::string sheet_name(const core::Document& document, const core::Table& table) {
  std::string name = csv_file_name(document, table);
  name = name.substr(0, name.size() - 4);  // ".csv"
  if (name.rfind("table-id", 0) == 0) return name;
  return "表" + std::to_string(*table.number);
}

void write_xlsx(const core::Document& document, const std::filesystem::path& path) {
  const auto fail = [&](const std::string& why) {
    throw core::Error(core::ErrorCode::OutputUnwritable,
                      path.string() + ": cannot write (" + why + ").");
  };
  // Broken checks by the cells they involve.
  std::map<std::tuple<int, int, int>, std::vector<const core::Check*>> broken;
  for (const core::Check& check : document.checks)
    if (check.status == core::CheckStatus::Broken)
      for (const core::Term& term : check.terms)
        broken[{term.cell.table, term.cell.row, term.cell.col}].push_back(&check);

  write_atomically(path, ".xlsx", [&](const std::filesystem::path& temporary) {
    lxw_workbook* workbook = workbook_new(temporary.c_str());
    if (!workbook) fail("cannot create the workbook");
    Formats formats{workbook, {}};
    lxw_format* title_format = workbook_add_format(workbook);
    format_set_bold(title_format);
    format_set_font_size(title_format, 13);

    std::set<std::string> used;
    for (const core::Table& table : document.tables) {
      std::string name = sheet_name(document, table);
      while (used.count(name)) name += "+";
      used.insert(name);
      lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
      if (!sheet) {
        workbook_close(workbook);
        fail("bad sheet name " + name);
      }
      std::string title = table.title.empty() ? name : table.title;
      if (!table.unit.empty()) title += "  (单位：" + table.unit + ")";
      worksheet_write_string(sheet, 0, 0, title.c_str(), title_format);
      worksheet_set_column(sheet, 0, static_cast<lxw_col_t>(std::max(table.n_cols, 1) - 1), 16,
                           nullptr);

      for (const core::Cell& cell : table.cells) {
        const bool header = cell.row < table.header_rows;
        const auto& amount = cell.value ? cell.value : cell.read;
        Mark mark = Mark::None;
        std::string comment;
        if (cell.status == core::CellStatus::Repaired) {
          mark = Mark::Repaired;
          comment = "Repaired: ";
          if (!cell.status_note.empty())
            comment += cell.status_note;
          else
            comment += "read " + (cell.read ? cell.read->to_string() : "nothing") + ", now " +
                       (cell.value ? cell.value->to_string() : "nothing");
        } else if (cell.status == core::CellStatus::Flagged) {
          mark = Mark::Flagged;
          comment = "Flagged";
          if (!cell.status_note.empty()) comment += ": " + cell.status_note;
        }
        if (auto it = broken.find({table.id, cell.row, cell.col}); it != broken.end()) {
          if (mark == Mark::None) mark = Mark::Broken;
          for (const core::Check* check : it->second) {
            if (!comment.empty()) comment += "\n";
            comment += "Broken check " + check->id + ": " + check->description + "; " +
                       residual_text(*check);
          }
        }
        const lxw_row_t row = kGridRow + static_cast<lxw_row_t>(cell.row);
        const auto col = static_cast<lxw_col_t>(cell.col);
        lxw_format* format =
            header ? formats.get(0, 0, mark)
                   : (amount ? formats.get(2, amount->decimals, mark) : formats.get(1, 0, mark));
        if (cell.rowspan > 1 || cell.colspan > 1)
          worksheet_merge_range(sheet, row, col, row + static_cast<lxw_row_t>(cell.rowspan - 1),
                                col + static_cast<lxw_col_t>(cell.colspan - 1), "", format);
        if (!header && amount)
          worksheet_write_number(sheet, row, col, to_double(*amount), format);
        else
          worksheet_write_string(sheet, row, col, cell.text.c_str(), format);
        if (!comment.empty()) worksheet_write_comment(sheet, row, col, comment.c_str());
      }
      if (table.header_rows > 0)
        worksheet_freeze_panes(sheet, kGridRow + static_cast<lxw_row_t>(table.header_rows), 0);
    }
    // The findings sheet: one row per finding, after the tables so sheet positions stay as they
    // were.
    if (const std::vector<const core::Check*> findings = findings_of(document); !findings.empty()) {
      std::string name = "findings";
      while (used.count(name)) name += "+";
      lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
      if (!sheet) {
        workbook_close(workbook);
        fail("bad sheet name " + name);
      }
      const char* const headings[] = {"severity", "page",           "sentence",
                                      "it says",  "the tables say", "check"};
      for (lxw_col_t c = 0; c < 6; ++c)
        worksheet_write_string(sheet, 0, c, headings[c], title_format);
      worksheet_set_column(sheet, 2, 2, 60, nullptr);
      worksheet_set_column(sheet, 3, 4, 30, nullptr);
      lxw_row_t row = 1;
      for (const core::Check* f : findings) {
        worksheet_write_string(sheet, row, 0, finding_severity(*f), nullptr);
        if (f->page) worksheet_write_number(sheet, row, 1, f->page, nullptr);
        worksheet_write_string(
            sheet, row, 2, (f->sentence.empty() ? f->description : f->sentence).c_str(), nullptr);
        worksheet_write_string(sheet, row, 3,
                               (f->stated.empty() ? f->description : f->stated).c_str(), nullptr);
        worksheet_write_string(sheet, row, 4, f->expected.c_str(), nullptr);
        worksheet_write_string(sheet, row, 5, f->id.c_str(), nullptr);
        ++row;
      }
    }
    if (document.tables.empty()) {
      lxw_worksheet* sheet = workbook_add_worksheet(workbook, "tables");
      worksheet_write_string(sheet, 0, 0, (document.source.file + ": no tables found").c_str(),
                             nullptr);
    }
    const lxw_error error = workbook_close(workbook);
    if (error != LXW_NO_ERROR) fail(lxw_strerror(error));
  });
}

}  // namespace tally::exports
