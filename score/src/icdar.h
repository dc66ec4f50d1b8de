// ICDAR 2013 Table Competition: reading its XML and counting its measures.
#pragma once

#include <string>
#include <vector>

#include "inputs.h"
#include "pdf_glyphs.h"
#include "tally/score/score.h"

namespace tally::score::detail {

// A table for the structure measure: its cells and the pages it is on.
struct IcdarTable {
  std::vector<int> pages;  // empty: unknown, taken as on every page
  std::vector<IcdarCell> cells;
};

// A table region on one page, in the displayed frame with origin top-left (points).
struct IcdarRegion {
  int page = 0;
  core::Box box;
};

// `<name>-str.xml`: one table per <table>, cells shifted by the region's row/col increments, the
// page of its last region. Throws core::Error naming the file.
std::vector<IcdarTable> read_icdar_structure(const std::string& path);

// `<name>-reg.xml`: one region per <region>, converted from PDF coordinates (origin bottom-left)
// to the displayed frame with origin top-left using the page heights in `pages`.
std::vector<IcdarRegion> read_icdar_regions(const std::string& path,
                                            const std::vector<PageGlyphs>& pages);

// Tally's tables as ICDAR tables, and their regions: `tables[].regions` when given, else per page
// the union of the cells' boxes.
std::vector<IcdarTable> icdar_tables_of(const Prediction& prediction);
std::vector<IcdarRegion> icdar_regions_of(const Prediction& prediction);

// The competition's region measure: each ground-truth region is paired with the unpaired
// predicted region on its page sharing most characters (ties: the one with fewest characters);
// complete when the pair holds all its characters, pure when the pair holds no other.
void count_regions(const std::vector<IcdarRegion>& expected,
                   const std::vector<IcdarRegion>& predicted, const std::vector<PageGlyphs>& pages,
                   IcdarCounts& counts);

// The competition's structure measure: each ground-truth table is paired with the unpaired
// predicted table on its page sharing most adjacency relations (the first of equals, even with
// none shared). Relations of unpaired predicted tables count as predicted: Tally finds its own
// tables, so a table that is not there costs precision.
void count_structure(const std::vector<IcdarTable>& expected,
                     const std::vector<IcdarTable>& predicted, IcdarCounts& counts);

}  // namespace tally::score::detail
