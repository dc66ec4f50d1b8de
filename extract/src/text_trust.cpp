// Whether a page's text layer can be trusted: code points first (private-use, unassigned, control,
// replacement), then how probable the characters are for a Chinese disclosure, then how often the
// domain's words occur in it (a CID font without a ToUnicode map can give valid but wrong Chinese).
#include <unicode/uchar.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>

#include "tally/core/text.h"
#include "tally/extract/extract.h"

namespace tally::extract {

namespace {

// Words every disclosure page with Chinese text uses: the vocabulary of budgets and final
// accounts, and the frequent parts of the classification names (支出功能分类, 支出经济分类).
constexpr std::u32string_view kVocabulary[] = {
    U"预算", U"决算", U"支出", U"收入", U"财政", U"拨款", U"部门", U"单位", U"项目", U"合计",
    U"总计", U"小计", U"万元", U"公共", U"一般", U"基本", U"经费", U"资金", U"政府", U"基金",
    U"国有", U"资本", U"经营", U"结转", U"结余", U"科目", U"编码", U"名称", U"本年", U"上年",
    U"年度", U"情况", U"说明", U"人员", U"公用", U"工资", U"福利", U"商品", U"服务", U"补助",
    U"事务", U"行政", U"事业", U"运行", U"管理", U"保障", U"社会", U"就业", U"卫生", U"健康",
    U"医疗", U"住房", U"教育", U"科学", U"技术", U"文化", U"养老", U"保险", U"缴费", U"机关",
    U"其他", U"公务", U"接待", U"用车", U"出国", U"购置", U"维护", U"办公", U"培训", U"差旅",
    U"绩效", U"目标", U"增加", U"减少", U"主要", U"原因", U"职能", U"机构", U"设置", U"人民",
    U"会议", U"公开", U"表",   U"元",
};

bool is_space(char32_t c) {
  return c == U' ' || c == U'\u3000' || c == U'\t' || c == U'\n' || c == U'\r';
}

// Code points a garbled layer gives and a disclosure never prints.
bool is_bad(char32_t c) {
  if ((c >= 0xE000 && c <= 0xF8FF) || c >= 0xF0000) return true;  // private use
  if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0xFFFD) return true;
  return u_charType(static_cast<UChar32>(c)) == U_UNASSIGNED;
}

// Characters a Chinese disclosure prints: CJK ideographs and punctuation, ASCII, full-width
// forms, a few symbols (※, “”, ·, —, ①). Everything else (Latin-1 letters and signs, Greek,
// Cyrillic, box drawing, kana, hangul …) is improbable in bulk.
bool is_probable(char32_t c) {
  if (c < 0x80) return true;
  if (core::is_cjk(c)) return true;
  if (c >= 0x3000 && c <= 0x303F) return true;  // CJK symbols and punctuation
  if (c >= 0xFF00 && c <= 0xFFEF) return true;  // full-width forms
  if (c >= 0x2010 && c <= 0x206F) return true;  // general punctuation: “”‘’—…‰
  if (c >= 0x2460 && c <= 0x24FF) return true;  // ①
  if (c >= 0x2160 && c <= 0x217F) return true;  // Ⅰ
  if (c == 0x00B7 || c == 0x00D7 || c == 0x00F7 || c == 0x00B0 || c == 0x203B || c == 0x2103)
    return true;
  if (c >= 0x25A0 && c <= 0x25FF) return true;  // □ ■ ○ ●
  return false;
}

std::string percent(double share) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", 100.0 * share);
  return buffer;
}

}  // namespace

TextLayerVerdict judge_text_layer(const core::Page& page, bool page_has_ink) {
  TextLayerVerdict verdict;
  std::size_t total = 0, bad = 0, improbable = 0, cjk = 0;
  std::u32string text;  // the page's text, words joined without spaces, for vocabulary hits
  for (const core::Word& word : page.words) {
    for (char32_t c : core::utf8_to_u32(word.text)) {
      if (is_space(c)) continue;
      ++total;
      if (is_bad(c))
        ++bad;
      else if (!is_probable(c))
        ++improbable;
      if (core::is_cjk(c)) ++cjk;
      text.push_back(c);
    }
    text.push_back(U'\n');
  }
  if (total == 0) {
    verdict.source = page_has_ink ? core::TextSource::Ocr : core::TextSource::None;
    verdict.reasons.push_back(page_has_ink ? "no text layer, but the page has ink: read by OCR"
                                           : "no text layer and no ink: blank page");
    return verdict;
  }
  const double bad_share = static_cast<double>(bad) / static_cast<double>(total);
  const double improbable_share = static_cast<double>(improbable) / static_cast<double>(total);
  std::size_t hits = 0;
  for (std::u32string_view word : kVocabulary)
    for (std::size_t at = text.find(word); at != std::u32string::npos;
         at = text.find(word, at + word.size()))
      ++hits;
  // Hits per 100 CJK characters: disclosure text scores 15 and more; Chinese from a wrong font map
  // almost never meets two-character domain words.
  const double hit_rate =
      cjk > 0 ? 100.0 * static_cast<double>(hits) / static_cast<double>(cjk) : 0.0;

  const std::string measured = std::to_string(total) + " characters: " + percent(bad_share) +
                               " private-use, unassigned, control or replacement; " +
                               percent(improbable_share) +
                               " improbable for a Chinese disclosure; " + std::to_string(cjk) +
                               " CJK with " + std::to_string(hits) + " domain-word hits";
  if (bad_share > 0.05) {
    verdict.source = core::TextSource::Ocr;
    verdict.reasons.push_back("mojibake: " + measured);
    return verdict;
  }
  if (total >= 10 && improbable_share > 0.15) {
    verdict.source = core::TextSource::Ocr;
    verdict.reasons.push_back("mojibake (improbable characters): " + measured);
    return verdict;
  }
  if (cjk >= 30 && hit_rate < 2.0) {
    verdict.source = core::TextSource::Ocr;
    verdict.reasons.push_back("mojibake (Chinese without the domain's words): " + measured);
    return verdict;
  }
  verdict.source = core::TextSource::TextLayer;
  verdict.reasons.push_back("text layer used: " + measured);
  return verdict;
}

}  // namespace tally::extract
