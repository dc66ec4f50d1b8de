// libFuzzer target: random tables (labels, codes, amounts, spans, header rows) through the
// reconciler: understand_tables → check_identities → repair_misreads. Must not crash, and must
// keep the model's invariants (value set only where read is; statuses from the known set).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "tally/core/amount.h"
#include "tally/core/model.h"
#include "tally/reconcile/reconcile.h"

namespace {

const std::vector<std::string> kLabels = {"项目",
                                          "科目编码",
                                          "科目名称",
                                          "合计",
                                          "总计",
                                          "本年支出合计",
                                          "基本支出",
                                          "项目支出",
                                          "一般公共预算",
                                          "政府性基金预算",
                                          "类",
                                          "款",
                                          "项",
                                          "功能分类科目",
                                          "经济分类科目",
                                          "人员经费",
                                          "公用经费",
                                          "财政拨款收入",
                                          "三公经费",
                                          "因公出国（境）费",
                                          "公务接待费",
                                          "公务用车购置及运行费",
                                          "小计",
                                          "一般公共服务支出",
                                          "201",
                                          "20101",
                                          "2010101",
                                          "01",
                                          "02",
                                          "05",
                                          "行政运行",
                                          "教育支出",
                                          "205",
                                          "20502",
                                          "",
                                          "-",
                                          "（一）",
                                          "栏次",
                                          "1",
                                          "2"};

std::string random_text(FuzzedDataProvider& in) {
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return kLabels[in.ConsumeIntegralInRange<std::size_t>(0, kLabels.size() - 1)];
    case 1: {
      const std::int64_t units = in.ConsumeIntegralInRange<std::int64_t>(-100000000, 100000000);
      const int decimals = in.ConsumeIntegralInRange<int>(0, 2);
      return tally::core::Amount{units, decimals}.to_string();
    }
    case 2: return std::to_string(in.ConsumeIntegralInRange<int>(0, 9999999));
    default: return in.ConsumeRandomLengthString(12);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  tally::core::Document document;
  document.source.file = "fuzz.pdf";
  const int n_tables = in.ConsumeIntegralInRange<int>(1, 3);
  for (int t = 0; t < n_tables && in.remaining_bytes() > 0; ++t) {
    tally::core::Table table;
    table.id = t;
    if (in.ConsumeBool()) table.number = in.ConsumeIntegralInRange<int>(1, 11);
    table.title = random_text(in);
    table.unit = in.ConsumeBool() ? "万元" : "元";
    table.pages = {1};
    table.n_rows = in.ConsumeIntegralInRange<int>(1, 24);
    table.n_cols = in.ConsumeIntegralInRange<int>(1, 9);
    table.header_rows = in.ConsumeIntegralInRange<int>(0, std::min(3, table.n_rows));
    std::vector<bool> covered(static_cast<std::size_t>(table.n_rows * table.n_cols), false);
    for (int r = 0; r < table.n_rows; ++r)
      for (int c = 0; c < table.n_cols; ++c) {
        if (covered[static_cast<std::size_t>(r * table.n_cols + c)]) continue;
        tally::core::Cell cell;
        cell.row = r;
        cell.col = c;
        cell.page = 1;
        if (r < table.header_rows && in.ConsumeIntegralInRange<int>(0, 4) == 0) {
          cell.colspan = in.ConsumeIntegralInRange<int>(1, table.n_cols - c);
          cell.rowspan = in.ConsumeIntegralInRange<int>(1, table.header_rows - r);
        }
        // A span may not cover a cell already placed.
        for (int dr = 0; dr < cell.rowspan; ++dr)
          for (int dc = 0; dc < cell.colspan; ++dc)
            if (covered[static_cast<std::size_t>((r + dr) * table.n_cols + c + dc)])
              cell.rowspan = cell.colspan = 1;
        for (int dr = 0; dr < cell.rowspan; ++dr)
          for (int dc = 0; dc < cell.colspan; ++dc)
            covered[static_cast<std::size_t>((r + dr) * table.n_cols + c + dc)] = true;
        cell.text = random_text(in);
        cell.box = {c * 60.0, r * 20.0, (c + cell.colspan) * 60.0, (r + cell.rowspan) * 20.0};
        if (r >= table.header_rows) {
          cell.read = tally::core::amount_from_text(cell.text);
          if (in.ConsumeBool()) {
            cell.source = tally::core::TextSource::Ocr;
            cell.confidence = in.ConsumeProbability<double>();
          }
        }
        table.cells.push_back(std::move(cell));
      }
    document.tables.push_back(std::move(table));
  }
  const tally::reconcile::Options options{TALLY_SOURCE_DIR "/templates", in.ConsumeBool()};
  tally::reconcile::understand_tables(document, options);
  tally::reconcile::check_identities(document, options);
  tally::reconcile::repair_misreads(document, options);
  for (const tally::core::Table& table : document.tables)
    for (const tally::core::Cell& cell : table.cells)
      if (cell.value && !cell.read) std::abort();  // a value appears only where a number was read
  return 0;
}
