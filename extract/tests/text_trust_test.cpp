// judge_text_layer: empty, mojibake and fine text layers.
#include <gtest/gtest.h>

#include "tally/extract/extract.h"

namespace tally::extract {
namespace {

core::Page page_of(const std::vector<std::string>& texts) {
  core::Page page;
  for (const std::string& t : texts) page.words.push_back({.text = t});
  return page;
}

TEST(TextTrust, EmptyPageWithInkGoesToOcr) {
  EXPECT_EQ(judge_text_layer(core::Page{}, true).source, core::TextSource::Ocr);
  EXPECT_EQ(judge_text_layer(core::Page{}, false).source, core::TextSource::None);
}

TEST(TextTrust, DisclosureTextIsTrusted) {
  const auto verdict = judge_text_layer(
      page_of({"表3", "部门支出总体情况表", "编制部门：", "昌吉州人民政府办公室", "单位：万元",
               "科目编码", "科目名称", "合计", "基本支出", "项目支出", "201", "一般公共服务支出",
               "1,432.10", "2010301", "行政运行"}),
      false);
  EXPECT_EQ(verdict.source, core::TextSource::TextLayer);
  ASSERT_FALSE(verdict.reasons.empty());
}

TEST(TextTrust, PrivateUseCodePointsAreMojibake) {
  const auto verdict =
      judge_text_layer(page_of({"\uE001\uE002\uE003", "\uE004\uE005", "12.00"}), false);
  EXPECT_EQ(verdict.source, core::TextSource::Ocr);
  EXPECT_NE(verdict.reasons.front().find("mojibake"), std::string::npos);
}

TEST(TextTrust, LatinOneGarbageIsMojibake) {
  EXPECT_EQ(judge_text_layer(
                page_of({"¡<", "xy23B", "EFB>?", "©", "£¤¥¦©xÙ", "¦", "K", "â", "ÄÅÆÇ"}), false)
                .source,
            core::TextSource::Ocr);
}

TEST(TextTrust, ChineseWithoutDomainWordsIsMojibake) {
  // Valid ideographs, as a CID font with a wrong map gives them, but none of the domain's words.
  EXPECT_EQ(judge_text_layer(page_of({"鑫龘犇骉麤", "蠶齉龖爨", "鬱灪籲饢", "鸞驫齾讟", "麣纛靐齉",
                                      "爩龘鱻䨻", "厵籱齽龗", "鬰鸝麷靊"}),
                             false)
                .source,
            core::TextSource::Ocr);
}

TEST(TextTrust, ShortCleanPagesAreTrusted) {
  EXPECT_EQ(judge_text_layer(page_of({"2024", "年"}), false).source, core::TextSource::TextLayer);
}

}  // namespace
}  // namespace tally::extract
