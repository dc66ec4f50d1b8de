// The HTML audit report of a document: one self-contained file.
#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "tally/export/export.h"

namespace tally::exports {

namespace {

std::string escaped(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", x);
  return buffer;
}

std::string cell_key(int table, int row, int col) {
  return "t" + std::to_string(table) + "-r" + std::to_string(row) + "-c" + std::to_string(col);
}

constexpr const char* kStyle = R"css(
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:1.5em;color:#222;background:#fafafa}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
.summary span{margin-right:1.2em}
.checks{max-height:22em;overflow:auto;border:1px solid #ccc;background:#fff;padding:.3em .8em}
.check{cursor:pointer;padding:.15em .3em;list-style:none;border-radius:3px}
.check:hover{background:#eef}.check.active{background:#cde}
.check .status{display:inline-block;min-width:9em;font-weight:bold}
.check.broken .status{color:#b00}.check.held_after_repair .status{color:#a60}.check.held .status,.check.held_rounding .status{color:#070}
figure.page{margin:1em 0;display:inline-block;border:1px solid #bbb;background:#fff}
figure.page svg{display:block;max-width:100%;height:auto}
figcaption{font-size:.85em;color:#555;padding:.2em .5em}
svg .cell{fill:rgba(0,90,255,.04);stroke:#06f;stroke-width:.6}
svg .cell.repaired{fill:rgba(255,200,0,.35);stroke:#c80}
svg .cell.flagged{fill:rgba(255,130,0,.3);stroke:#e60}
svg .cell.broken{fill:rgba(230,0,0,.22);stroke:#d00}
svg .cell.hl{fill:rgba(0,200,255,.45);stroke:#008;stroke-width:2}
table.cells{border-collapse:collapse;background:#fff;font-size:.85em;margin:.5em 0}
table.cells td{border:1px solid #bbb;padding:.15em .4em;vertical-align:middle}
table.cells td.header{background:#eee;font-weight:bold;text-align:center}
table.cells td.num{text-align:right;font-variant-numeric:tabular-nums}
table.cells td.repaired{background:#fff2a8}table.cells td.flagged{background:#ffd08a}
table.cells td.broken{background:#f4a6a6}table.findings{border-collapse:collapse}table.findings td,table.findings th{border:1px solid #ccc;padding:.2em .5em;vertical-align:top}table.findings tr.error td:first-child{color:#b00}table.findings tr.warning td:first-child{color:#a60}table.cells td.hl{outline:3px solid #08c;background:#bdf}
.read{color:#888;text-decoration:line-through;margin-right:.3em}
.legend span{display:inline-block;padding:0 .5em;margin-right:.5em;border:1px solid #bbb}
)css";

constexpr const char* kScript = R"js(
(function(){
  function clear(){document.querySelectorAll('.hl').forEach(function(e){e.classList.remove('hl');});
    document.querySelectorAll('.check.active').forEach(function(e){e.classList.remove('active');});}
  function select(li,scroll){
    var on=!li.classList.contains('active'); clear(); if(!on) return;
    li.classList.add('active'); var first=null;
    (li.getAttribute('data-cells')||'').split(' ').forEach(function(k){ if(!k) return;
      document.querySelectorAll('[data-cell="'+k+'"]').forEach(function(e){e.classList.add('hl'); if(!first&&e.tagName.toLowerCase()==='rect') first=e;});});
    if(scroll&&first&&first.scrollIntoView) first.scrollIntoView({block:'center'});
  }
  document.querySelectorAll('.check').forEach(function(li){
    li.addEventListener('click',function(){select(li,true);});
  });
  // report.html#check=ID opens with that check selected (used by tests and for links).
  var m=/^#check=(.+)$/.exec(location.hash);
  if(m){var id=decodeURIComponent(m[1]);document.querySelectorAll('.check').forEach(function(li){
    if(li.getAttribute('data-check')===id) select(li,false);});}
})();
)js";

}  // namespace

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16 |
                       static_cast<unsigned char>(bytes[i + 1]) << 8 |
                       static_cast<unsigned char>(bytes[i + 2]);
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    const unsigned n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    const unsigned n =
        static_cast<unsigned char>(bytes[i]) << 16 | static_cast<unsigned char>(bytes[i + 1]) << 8;
    out += kAlphabet[n >> 18 & 63];
    out += kAlphabet[n >> 12 & 63];
    out += kAlphabet[n >> 6 & 63];
    out += '=';
  }
  return out;
}

std::string html_of(const core::Document& document, const std::map<int, PageImage>& pages) {
  // The cells of broken checks, and per cell the checks that involve it.
  std::set<std::string> broken_cells;
  int held = 0, repaired = 0, broken = 0;
  for (const core::Check& check : document.checks) {
    held +=
        check.status == core::CheckStatus::Held || check.status == core::CheckStatus::HeldRounding;
    repaired += check.status == core::CheckStatus::HeldAfterRepair;
    broken += check.status == core::CheckStatus::Broken;
    if (check.status == core::CheckStatus::Broken)
      for (const core::Term& term : check.terms)
        broken_cells.insert(cell_key(term.cell.table, term.cell.row, term.cell.col));
  }
  const auto classes = [&](const core::Table& table, const core::Cell& cell) {
    std::string c;
    if (cell.status == core::CellStatus::Repaired) c += " repaired";
    if (cell.status == core::CellStatus::Flagged) c += " flagged";
    if (broken_cells.count(cell_key(table.id, cell.row, cell.col))) c += " broken";
    return c;
  };

  std::string h = "<!DOCTYPE html>\n<html lang=\"zh\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; "
       "style-src 'unsafe-inline'; "
       "script-src 'unsafe-inline'\">\n";
  h += "<title>Tally audit: " + escaped(document.source.file) + "</title>\n<style>" +
       std::string(kStyle) + "</style>\n</head>\n<body>\n";
  h += "<h1>" + escaped(document.source.file) + "</h1>\n<p class=\"summary\" id=\"summary\">";
  if (!document.metadata.department.empty())
    h += "<span>" + escaped(document.metadata.department) + "</span>";
  if (document.metadata.year) h += "<span>" + std::to_string(*document.metadata.year) + "</span>";
  h += "<span>" + std::to_string(document.source.page_count) + " pages</span>";
  h += "<span id=\"n-tables\">" + std::to_string(document.tables.size()) + " tables</span>";
  h += "<span>checks: " + std::to_string(held) + " held, " + std::to_string(repaired) +
       " repaired, " + std::to_string(broken) + " broken</span>";
  h += "<span>sha256 " + escaped(document.source.sha256.substr(0, 16)) + "…</span></p>\n";
  h += "<p class=\"legend\"><span class=\"cells\" "
       "style=\"background:#fff2a8\">repaired</span><span style=\"background:#ffd08a\">"
       "flagged</span><span style=\"background:#f4a6a6\">in a broken check</span>click a check to "
       "show its cells</p>\n";

  // Findings: the document's own errors in its narrative and its set of tables.
  const std::vector<const core::Check*> findings = findings_of(document);
  h += "<h2>Findings</h2>\n<p id=\"findings-summary\">" + escaped(finding_summary(document)) +
       "</p>\n";
  if (!findings.empty()) {
    h += "<table class=\"findings\" "
         "id=\"findings\">\n<tr><th>severity</th><th>page</th><th>sentence</th><th>it says</th>"
         "<th>the tables say</th></tr>\n";
    for (const core::Check* f : findings)
      h += "<tr class=\"" + std::string(finding_severity(*f)) + "\" data-check=\"" +
           escaped(f->id) + "\"><td>" + finding_severity(*f) + "</td><td>" +
           (f->page ? std::to_string(f->page) : std::string("-")) + "</td><td>" +
           escaped(f->sentence.empty() ? f->description : f->sentence) + "</td><td>" +
           escaped(f->stated.empty() ? f->description : f->stated) + "</td><td>" +
           escaped(f->expected) + "</td></tr>\n";
    h += "</table>\n";
  }

  // Checks, broken first.
  h += "<h2>Checks</h2>\n<ul class=\"checks\" id=\"checks\">\n";
  std::vector<const core::Check*> ordered;
  for (const core::Check& check : document.checks) ordered.push_back(&check);
  std::stable_sort(ordered.begin(), ordered.end(), [](const core::Check* a, const core::Check* b) {
    return (a->status == core::CheckStatus::Broken) > (b->status == core::CheckStatus::Broken);
  });
  for (const core::Check* check : ordered) {
    std::string keys;
    for (const core::Term& term : check->terms) {
      if (!keys.empty()) keys += ' ';
      keys += cell_key(term.cell.table, term.cell.row, term.cell.col);
    }
    const std::string status = core::to_string(check->status);
    h += "<li class=\"check " + status + "\" data-check=\"" + escaped(check->id) +
         "\" data-cells=\"" + keys + "\"><span class=\"status\">" + status + "</span> " +
         escaped(check->description.empty() ? check->id : check->description);
    if (check->residual != 0)
      h += " <small>(residual " + core::Amount{check->residual, check->decimals}.to_string() +
           ")</small>";
    h += "</li>\n";
  }
  if (document.checks.empty()) h += "<li class=\"none\">no checks</li>\n";
  h += "</ul>\n";

  for (const core::Table& table : document.tables) {
    h += "<section class=\"table\" id=\"table-" + std::to_string(table.id) + "\">\n<h2>";
    h += table.number ? "表 " + std::to_string(*table.number) + " " : std::string();
    h += escaped(table.title.empty() ? "(untitled table)" : table.title) + "</h2>\n<p>";
    if (!table.pages.empty()) {
      h += "page " + std::to_string(table.pages.front());
      if (table.pages.size() > 1) h += "–" + std::to_string(table.pages.back());
    }
    h += ", " + std::to_string(table.n_rows) + " × " + std::to_string(table.n_cols);
    if (!table.unit.empty()) h += ", 单位 " + escaped(table.unit);
    if (!table.kind.empty()) h += ", kind " + escaped(table.kind);
    h += "</p>\n";

    // The pages with the grid drawn over them.
    for (int page_number : table.pages) {
      const core::Page* page = nullptr;
      for (const core::Page& p : document.pages)
        if (p.number == page_number) page = &p;
      double width = page ? page->width : 595, height = page ? page->height : 842;
      const auto image = pages.find(page_number);
      if (image != pages.end() && image->second.width_pt > 0) {
        width = image->second.width_pt;
        height = image->second.height_pt;
      }
      h += "<figure class=\"page\" data-page=\"" + std::to_string(page_number) +
           "\"><svg xmlns=\"http://www.w3.org/2000/svg\" "
           "viewBox=\"0 0 " +
           number(width) + " " + number(height) + "\" width=\"" + number(width * 1.25) +
           "\" height=\"" + number(height * 1.25) + "\">";
      if (image != pages.end() && !image->second.png.empty())
        h += "<image class=\"page-image\" x=\"0\" y=\"0\" width=\"" + number(width) +
             "\" height=\"" + number(height) +
             "\" preserveAspectRatio=\"none\" href=\"data:image/png;base64," +
             base64(image->second.png) + "\"/>";
      else
        h += "<rect x=\"0\" y=\"0\" width=\"" + number(width) + "\" height=\"" + number(height) +
             "\" fill=\"#fff\"/>";
      for (const core::Cell& cell : table.cells) {
        if (cell.page != page_number || cell.box.empty()) continue;
        h += "<rect class=\"cell" + classes(table, cell) + "\" data-cell=\"" +
             cell_key(table.id, cell.row, cell.col) + "\" x=\"" + number(cell.box.x0) + "\" y=\"" +
             number(cell.box.y0) + "\" width=\"" + number(cell.box.width()) + "\" height=\"" +
             number(cell.box.height()) + "\"><title>" + escaped(cell.text) + "</title></rect>";
      }
      h += "</svg><figcaption>page " + std::to_string(page_number) + "</figcaption></figure>\n";
    }

    // The cells.
    h += "<table class=\"cells\">\n";
    const std::vector<int> grid = table.grid_index();
    for (int r = 0; r < table.n_rows; ++r) {
      h += "<tr>";
      for (int c = 0; c < table.n_cols; ++c) {
        const int index = grid.empty() ? -1 : grid[static_cast<std::size_t>(r) * table.n_cols + c];
        if (index < 0) {
          h += "<td></td>";
          continue;
        }
        const core::Cell& cell = table.cells[static_cast<std::size_t>(index)];
        if (cell.row != r || cell.col != c) continue;  // covered by a span
        const bool header = r < table.header_rows;
        const auto& amount = cell.value ? cell.value : cell.read;
        std::string cls = (header ? "header" : amount ? "num" : "text") + classes(table, cell);
        h += "<td class=\"" + cls + "\" data-cell=\"" + cell_key(table.id, r, c) + "\"";
        if (cell.rowspan > 1) h += " rowspan=\"" + std::to_string(cell.rowspan) + "\"";
        if (cell.colspan > 1) h += " colspan=\"" + std::to_string(cell.colspan) + "\"";
        if (!cell.status_note.empty()) h += " title=\"" + escaped(cell.status_note) + "\"";
        h += ">";
        if (!header && amount) {
          if (cell.status == core::CellStatus::Repaired && cell.read && cell.value &&
              !(*cell.read == *cell.value))
            h += "<span class=\"read\">" + cell.read->to_string() + "</span>";
          h += amount->to_string();
        } else {
          h += escaped(cell.text);
        }
        h += "</td>";
      }
      h += "</tr>\n";
    }
    h += "</table>\n</section>\n";
  }
  if (document.tables.empty()) h += "<p id=\"no-tables\">No tables found.</p>\n";

  std::string diagnostics;
  for (const core::Diagnostic& d : document.diagnostics)
    if (d.severity != core::Severity::Info)
      diagnostics += "<li>" + std::string(core::to_string(d.severity)) +
                     (d.page ? " page " + std::to_string(d.page) : "") + ": " + escaped(d.message) +
                     "</li>\n";
  if (!diagnostics.empty())
    h += "<h2>Diagnostics</h2>\n<ul id=\"diagnostics\">\n" + diagnostics + "</ul>\n";
  h += "<script>" + std::string(kScript) + "</script>\n</body>\n</html>\n";
  return h;
}

}  // namespace tally::exports
