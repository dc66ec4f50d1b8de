#include "icdar.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "tally/core/error.h"

namespace tally::score {
namespace {

// The evaluator's normalization (AdjacencyRelation.normalize, rule 0): Java's \s characters
// removed, upper case in the US locale.
std::string normalize_icdar(const std::string& text) {
  std::string kept;
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\n' && c != '\x0B' && c != '\f' && c != '\r')
      kept.push_back(c);
  icu::UnicodeString unicode = icu::UnicodeString::fromUTF8(kept);
  unicode.toUpper(icu::Locale::getUS());
  std::string out;
  unicode.toUTF8String(out);
  return out;
}

}  // namespace

std::vector<AdjacencyRelation> adjacency_relations(const std::vector<IcdarCell>& cells) {
  // The grid of non-blank cells, as Table.java builds it: a position holds the index of the
  // last cell put there, -1 where blank.
  std::vector<std::string> texts;
  std::vector<const IcdarCell*> kept;
  int rows = 0, cols = 0;
  for (const IcdarCell& cell : cells) {
    std::string text = normalize_icdar(cell.text);
    if (text.empty() || cell.start_row < 0 || cell.start_col < 0) continue;
    texts.push_back(std::move(text));
    kept.push_back(&cell);
    rows = std::max(rows, std::max(cell.start_row, cell.end_row) + 1);
    cols = std::max(cols, std::max(cell.start_col, cell.end_col) + 1);
  }
  std::vector<int> grid(static_cast<std::size_t>(rows * cols), -1);
  for (std::size_t i = 0; i < kept.size(); ++i)
    for (int r = kept[i]->start_row; r <= kept[i]->end_row; ++r)
      for (int c = kept[i]->start_col; c <= kept[i]->end_col; ++c)
        grid[static_cast<std::size_t>(r * cols + c)] = static_cast<int>(i);
  auto at = [&](int r, int c) { return grid[static_cast<std::size_t>(r * cols + c)]; };

  struct Raw {
    int from, to;
    bool horizontal;
    int blanks;
  };
  std::vector<Raw> raw;
  // Looking right, row by row; then down, column by column. The loop reproduces
  // findAdjacencyRelations(), including its moving of `from` across a spanning cell.
  auto scan = [&](bool horizontal) {
    const int lines = horizontal ? rows : cols, length = horizontal ? cols : rows;
    for (int line = 0; line < lines; ++line) {
      auto cell = [&](int k) { return horizontal ? at(line, k) : at(k, line); };
      for (int from = 0; from < length - 1; ++from) {
        for (int to = from + 1; to < length; ++to) {
          const int a = cell(from), b = cell(to);
          if (a >= 0 && b >= 0 && a != b) {
            raw.push_back({a, b, horizontal, to - from - 1});
            break;
          }
          if (a >= 0 && b >= 0) from = to;
        }
      }
    }
  };
  scan(true);
  scan(false);
  // Spanning cells give parallel links between the same two cells: keep the first.
  std::set<std::tuple<int, int, bool>> seen;
  std::vector<AdjacencyRelation> relations;
  for (const Raw& link : raw) {
    if (!seen.insert({link.from, link.to, link.horizontal}).second) continue;
    relations.push_back({texts[static_cast<std::size_t>(link.from)],
                         texts[static_cast<std::size_t>(link.to)], link.horizontal, link.blanks});
  }
  return relations;
}

std::int64_t common_relations(const std::vector<AdjacencyRelation>& expected,
                              const std::vector<AdjacencyRelation>& predicted) {
  std::map<std::tuple<std::string, std::string, bool, int>, std::int64_t> left;
  for (const AdjacencyRelation& r : expected) ++left[{r.from, r.to, r.horizontal, r.blanks}];
  std::int64_t common = 0;
  for (const AdjacencyRelation& r : predicted) {
    auto it = left.find({r.from, r.to, r.horizontal, r.blanks});
    if (it != left.end() && it->second > 0) {
      --it->second;
      ++common;
    }
  }
  return common;
}

IcdarCounts& IcdarCounts::operator+=(const IcdarCounts& o) {
  regions_expected += o.regions_expected;
  regions_detected += o.regions_detected;
  regions_complete += o.regions_complete;
  regions_pure += o.regions_pure;
  regions_false += o.regions_false;
  chars_expected += o.chars_expected;
  chars_predicted += o.chars_predicted;
  chars_correct += o.chars_correct;
  tables_expected += o.tables_expected;
  tables_matched += o.tables_matched;
  tables_false += o.tables_false;
  relations_expected += o.relations_expected;
  relations_predicted += o.relations_predicted;
  relations_correct += o.relations_correct;
  return *this;
}

namespace {
PrecisionRecall measures(std::int64_t correct, std::int64_t predicted, std::int64_t expected) {
  PrecisionRecall m;
  m.precision = predicted > 0 ? static_cast<double>(correct) / static_cast<double>(predicted) : 0.0;
  m.recall = expected > 0 ? static_cast<double>(correct) / static_cast<double>(expected) : 0.0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
  return m;
}
}  // namespace

PrecisionRecall region_measures(const IcdarCounts& c) {
  return measures(c.chars_correct, c.chars_predicted, c.chars_expected);
}
PrecisionRecall structure_measures(const IcdarCounts& c) {
  return measures(c.relations_correct, c.relations_predicted, c.relations_expected);
}

}  // namespace tally::score

namespace tally::score::detail {
namespace {

struct XmlDocument {
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> doc{nullptr, &xmlFreeDoc};
};

XmlDocument parse_xml(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw core::Error(core::ErrorCode::NotFound, path + ": no such file");
  XmlDocument xml;
  xml.doc.reset(xmlReadFile(path.c_str(), nullptr,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  if (!xml.doc || !xmlDocGetRootElement(xml.doc.get()))
    throw core::Error(core::ErrorCode::Damaged, path + ": not well-formed XML");
  return xml;
}

bool named(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         xmlStrcmp(node->name, reinterpret_cast<const xmlChar*>(name)) == 0;
}

std::string attribute(const xmlNode* node, const char* name) {
  xmlChar* value = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  if (!value) return {};
  std::string out(reinterpret_cast<const char*>(value));
  xmlFree(value);
  return out;
}

double number_attribute(const xmlNode* node, const char* name, double fallback,
                        const std::string& path) {
  const std::string text = attribute(node, name);
  if (text.empty()) return fallback;
  try {
    return std::stod(text);
  } catch (const std::exception&) {
    throw core::Error(core::ErrorCode::Damaged,
                      path + ": attribute " + name + "=\"" + text + "\" is not a number");
  }
}

int int_attribute(const xmlNode* node, const char* name, int fallback, const std::string& path) {
  return static_cast<int>(number_attribute(node, name, fallback, path));
}

std::string text_content(const xmlNode* node) {
  xmlChar* content = xmlNodeGetContent(node);
  if (!content) return {};
  std::string out(reinterpret_cast<const char*>(content));
  xmlFree(content);
  return out;
}

template <typename F>
void for_children(const xmlNode* parent, const char* name, F&& f) {
  for (const xmlNode* child = parent->children; child; child = child->next)
    if (named(child, name)) f(child);
}

// Characters of `page` whose centres fall inside `box`, as indices.
std::vector<int> characters_in(const core::Box& box, const PageGlyphs* page) {
  std::vector<int> inside;
  if (!page) return inside;
  for (std::size_t i = 0; i < page->glyphs.size(); ++i) {
    const core::Box& g = page->glyphs[i];
    if (box.contains(g.center_x(), g.center_y())) inside.push_back(static_cast<int>(i));
  }
  return inside;
}

}  // namespace

std::vector<IcdarTable> read_icdar_structure(const std::string& path) {
  const XmlDocument xml = parse_xml(path);
  std::vector<IcdarTable> tables;
  for_children(xmlDocGetRootElement(xml.doc.get()), "table", [&](const xmlNode* table_node) {
    IcdarTable table;
    for_children(table_node, "region", [&](const xmlNode* region) {
      table.pages = {int_attribute(region, "page", 1, path)};
      const int col_increment = int_attribute(region, "col-increment", 0, path);
      const int row_increment = int_attribute(region, "row-increment", 0, path);
      for_children(region, "cell", [&](const xmlNode* cell_node) {
        IcdarCell cell;
        cell.start_col = int_attribute(cell_node, "start-col", 0, path);
        cell.end_col = int_attribute(cell_node, "end-col", cell.start_col, path);
        cell.start_row = int_attribute(cell_node, "start-row", 0, path);
        cell.end_row = int_attribute(cell_node, "end-row", cell.start_row, path);
        cell.start_col += col_increment;
        cell.end_col += col_increment;
        cell.start_row += row_increment;
        cell.end_row += row_increment;
        cell.text = text_content(cell_node);
        table.cells.push_back(std::move(cell));
      });
    });
    tables.push_back(std::move(table));
  });
  return tables;
}

std::vector<IcdarRegion> read_icdar_regions(const std::string& path,
                                            const std::vector<PageGlyphs>& pages) {
  const XmlDocument xml = parse_xml(path);
  std::vector<IcdarRegion> regions;
  for_children(xmlDocGetRootElement(xml.doc.get()), "table", [&](const xmlNode* table_node) {
    for_children(table_node, "region", [&](const xmlNode* region_node) {
      const int page = int_attribute(region_node, "page", 1, path);
      for_children(region_node, "bounding-box", [&](const xmlNode* box) {
        if (page < 1 || page > static_cast<int>(pages.size()))
          throw core::Error(
              core::ErrorCode::Damaged,
              path + ": a region on page " + std::to_string(page) + ", beyond the PDF's last page");
        const double height = pages[static_cast<std::size_t>(page - 1)].height;
        const double x1 = number_attribute(box, "x1", 0, path),
                     x2 = number_attribute(box, "x2", 0, path);
        const double y1 = number_attribute(box, "y1", 0, path),
                     y2 = number_attribute(box, "y2", 0, path);
        // PDF coordinates, origin bottom-left, in the displayed frame (for pages turned by
        // /Rotate the competition shifted them so; eu-015 shows it).
        regions.push_back({page,
                           {std::min(x1, x2), height - std::max(y1, y2), std::max(x1, x2),
                            height - std::min(y1, y2)}});
      });
    });
  });
  return regions;
}

std::vector<IcdarTable> icdar_tables_of(const Prediction& prediction) {
  std::vector<IcdarTable> tables;
  for (const PredictedTable& predicted : prediction.tables) {
    IcdarTable table;
    std::set<int> pages(predicted.table.pages.begin(), predicted.table.pages.end());
    for (const core::Cell& cell : predicted.table.cells) {
      if (cell.page > 0) pages.insert(cell.page);
      table.cells.push_back({cell.row, cell.row + cell.rowspan - 1, cell.col,
                             cell.col + cell.colspan - 1, cell.text});
    }
    table.pages.assign(pages.begin(), pages.end());
    tables.push_back(std::move(table));
  }
  return tables;
}

std::vector<IcdarRegion> icdar_regions_of(const Prediction& prediction) {
  std::vector<IcdarRegion> regions;
  for (const PredictedTable& predicted : prediction.tables) {
    const core::Table& table = predicted.table;
    if (!table.regions.empty()) {
      for (const core::TableRegion& region : table.regions)
        regions.push_back({region.page, region.box});
      continue;
    }
    std::map<int, core::Box> by_page;
    const int default_page = table.pages.empty() ? 1 : table.pages.front();
    for (const core::Cell& cell : table.cells)
      if (!cell.box.empty()) {
        core::Box& box = by_page[cell.page > 0 ? cell.page : default_page];
        box = box.united(cell.box);
      }
    for (const auto& [page, box] : by_page) regions.push_back({page, box});
  }
  return regions;
}

void count_regions(const std::vector<IcdarRegion>& expected,
                   const std::vector<IcdarRegion>& predicted, const std::vector<PageGlyphs>& pages,
                   IcdarCounts& counts) {
  auto page_of = [&](int number) -> const PageGlyphs* {
    return number >= 1 && number <= static_cast<int>(pages.size())
               ? &pages[static_cast<std::size_t>(number - 1)]
               : nullptr;
  };
  std::vector<std::vector<int>> predicted_chars;
  for (const IcdarRegion& region : predicted) {
    predicted_chars.push_back(characters_in(region.box, page_of(region.page)));
    counts.chars_predicted += static_cast<std::int64_t>(predicted_chars.back().size());
  }
  std::vector<bool> used(predicted.size(), false);
  for (const IcdarRegion& region : expected) {
    const std::vector<int> chars = characters_in(region.box, page_of(region.page));
    ++counts.regions_expected;
    counts.chars_expected += static_cast<std::int64_t>(chars.size());
    int best = -1;
    std::size_t best_shared = 0;
    for (std::size_t p = 0; p < predicted.size(); ++p) {
      if (used[p] || predicted[p].page != region.page) continue;
      std::vector<int> shared;
      std::set_intersection(chars.begin(), chars.end(), predicted_chars[p].begin(),
                            predicted_chars[p].end(), std::back_inserter(shared));
      const bool better =
          shared.size() > best_shared ||
          (shared.size() == best_shared && best >= 0 && shared.size() > 0 &&
           predicted_chars[p].size() < predicted_chars[static_cast<std::size_t>(best)].size());
      if (better) {
        best = static_cast<int>(p);
        best_shared = shared.size();
      }
    }
    if (best < 0) continue;
    used[static_cast<std::size_t>(best)] = true;
    const std::vector<int>& mine = predicted_chars[static_cast<std::size_t>(best)];
    ++counts.regions_detected;
    counts.chars_correct += static_cast<std::int64_t>(best_shared);
    counts.regions_complete += best_shared == chars.size();
    counts.regions_pure += best_shared == mine.size();
  }
  counts.regions_false += std::count(used.begin(), used.end(), false);
}

void count_structure(const std::vector<IcdarTable>& expected,
                     const std::vector<IcdarTable>& predicted, IcdarCounts& counts) {
  std::vector<std::vector<AdjacencyRelation>> predicted_relations;
  for (const IcdarTable& table : predicted) {
    predicted_relations.push_back(adjacency_relations(table.cells));
    counts.relations_predicted += static_cast<std::int64_t>(predicted_relations.back().size());
  }
  std::vector<bool> used(predicted.size(), false);
  for (const IcdarTable& table : expected) {
    const std::vector<AdjacencyRelation> relations = adjacency_relations(table.cells);
    ++counts.tables_expected;
    counts.relations_expected += static_cast<std::int64_t>(relations.size());
    const int page = table.pages.empty() ? 0 : table.pages.back();
    int best = -1;
    std::int64_t best_common = -1;
    for (std::size_t p = 0; p < predicted.size(); ++p) {
      const std::vector<int>& pages = predicted[p].pages;
      if (used[p] || (!pages.empty() && std::find(pages.begin(), pages.end(), page) == pages.end()))
        continue;
      const std::int64_t common = common_relations(relations, predicted_relations[p]);
      if (common > best_common) {
        best_common = common;
        best = static_cast<int>(p);
      }
    }
    if (best < 0) continue;
    used[static_cast<std::size_t>(best)] = true;
    ++counts.tables_matched;
    counts.relations_correct += best_common;
  }
  counts.tables_false += std::count(used.begin(), used.end(), false);
}

}  // namespace tally::score::detail
