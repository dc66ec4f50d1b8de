// Number reading across fonts, resolutions and scanners: tables of amounts rendered (cairo + pango)
// in every CJK face the issue names, with tight cells (digits a pixel or two from the rules) and
// loose ones, degraded like scans (clean JPEG, harsh JPEG with blur and noise, bilevel), brought to
// the OCR resolution the way `tally` brings a scan (200 dpi scaled up bicubic, 150 dpi bilinear as
// Poppler does), prepared (ocr::prepare_page) and read by the page reader itself
// (ocr::read_page_words on the true grid, so that only reading is measured, not grid finding).
// Every amount cell's word is compared with its truth.
//
//   build/bench/number_read_bench [--pages N] [--fonts SUBSTR,...] [--dpi 150,200,300]
//                                 [--degradations clean,jpeg,bilevel] [--examples N] [--dump DIR]
//                                 [--vote-below C]
// (--vote-below: ReaderOptions::vote_below_confidence, to measure it without a rebuild.)
//
// Prints accuracy (the amount's value right: commas aside) per font × dpi × degradation, the
// development fonts and the held-aside one (AR PL UMing: never tuned on) apart, by geometry, the
// kinds of misreads, the minus signs lost (and how many of them the reader dropped after Tesseract
// read them) or read on positive amounts per dpi × degradation, and CPU seconds. Deterministic:
// every page's content and degradation come from a seed made of its font, dpi, degradation and page
// numbers. Examples of misreads are printed for the development fonts only.
#include <pango/pangocairo.h>
#include <sys/resource.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "tally/core/text.h"
#include "tally/imaging/opencv.h"
#include "tally/ocr/ocr.h"
#include "tally/ocr/page_reader.h"

namespace {

using tally::core::Raster;
namespace ocr = tally::ocr;

// The faces: Song/serif, sans, Kai, the held-aside Ming. Families that are not installed fall back
// to another face in fontconfig; the bench says so.
struct Face {
  std::string family;
  bool bold = false;
  bool held_aside = false;
  std::string name() const { return family + (bold ? " Bold" : ""); }
};

const std::vector<Face>& faces() {
  static const std::vector<Face> list = {
      {"Noto Serif CJK SC", false, false}, {"Noto Serif CJK SC", true, false},
      {"Noto Sans CJK SC", false, false},  {"WenQuanYi Micro Hei", false, false},
      {"WenQuanYi Zen Hei", false, false}, {"AR PL UKai CN", false, false},
      {"AR PL UMing CN", false, true},
  };
  return list;
}

struct Degradation {
  std::string name;
  double blur = 0;                 // Gaussian sigma in pixels at 300 dpi
  int noise = 0;                   // amplitude of additive noise, grey levels
  int jpeg_min = 0, jpeg_max = 0;  // 0: no JPEG
  bool bilevel = false;            // thresholded at 150 (a CCITT scan)
};

const std::vector<Degradation>& degradations() {
  static const std::vector<Degradation> list = {
      {"clean", 0.0, 0, 85, 90, false},
      {"jpeg", 0.8, 8, 30, 45, false},
      {"bilevel", 0.5, 8, 0, 0, true},
  };
  return list;
}

// The resolution the reader works at (`tally --ocr-dpi`), and the largest upscale done with OpenCV.
constexpr double kOcrDpi = 300;
constexpr double kMaxBicubicUpscale = 1.5;

constexpr double kFontSize = 9;      // points: the body type of disclosure tables
constexpr double kRule = 0.5;        // points
constexpr double kLabelWidth = 110;  // points
constexpr int kRows = 14, kAmountColumns = 5;
constexpr double kMargin = 20;

// A column's printed format.
struct Format {
  int decimals = 2;
  bool thousands = true;
};

std::string formatted_amount(std::mt19937_64& rng, const Format& f) {
  std::uniform_real_distribution<double> u(0, 1);
  // Magnitudes from cents to billions, log-uniform; sometimes zero or negative.
  const double magnitude = std::pow(10.0, u(rng) * 9.5 - 1.0);
  const bool zero = u(rng) < 0.05, negative = u(rng) < 0.05;
  const double scale = std::pow(10.0, f.decimals);
  const auto units = static_cast<long long>(zero ? 0 : std::llround(magnitude * scale));
  std::string digits = std::to_string(units);
  while (static_cast<int>(digits.size()) <= f.decimals) digits.insert(digits.begin(), '0');
  std::string whole = digits.substr(0, digits.size() - static_cast<std::size_t>(f.decimals));
  const std::string fraction = digits.substr(whole.size());
  if (f.thousands)
    for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3)
      whole.insert(static_cast<std::size_t>(at), ",");
  std::string text = (negative && units != 0 ? "-" : "") + whole;
  if (f.decimals > 0) text += "." + fraction;
  return text;
}

// The issue's misread amounts, printed where a two-decimal column with thousands groups has them.
const std::vector<std::string> kIssueAmounts = {"2,673.22", "1,019.77", "7.23", "36.68", "0.00"};

const std::vector<std::string> kLabels = {"一般公共服务支出",
                                          "人大事务",
                                          "行政运行",
                                          "一般行政管理事务",
                                          "机关服务",
                                          "教育支出",
                                          "普通教育",
                                          "社会保障和就业支出",
                                          "住房保障支出",
                                          "住房公积金",
                                          "其他组织事务支出",
                                          "公务用车购置及运行费",
                                          "合计",
                                          "医疗卫生与计划生育支出"};
const std::vector<std::string> kHeaders = {"科目名称", "合计",     "基本支出",
                                           "项目支出", "上年结转", "本年收入"};

// One page: a header row and kRows rows; the cell boxes (points) and truths of its amounts.
struct Page {
  Raster raster;  // at kOcrDpi, as the reader gets it before preparation
  std::vector<ocr::TableCells> tables;
  struct Truth {
    int row = 0, col = 0;
    tally::core::Box box;
    std::string text;
  };
  std::vector<Truth> amounts;
};

class Pango {
 public:
  explicit Pango(cairo_t* cr) : layout_(pango_cairo_create_layout(cr)) {
    cairo_font_options_t* options = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
    pango_cairo_context_set_font_options(pango_layout_get_context(layout_), options);
    cairo_font_options_destroy(options);
  }
  ~Pango() { g_object_unref(layout_); }
  Pango(const Pango&) = delete;
  Pango& operator=(const Pango&) = delete;

  void set(const Face& face, const std::string& text) {
    PangoFontDescription* desc = pango_font_description_new();
    pango_font_description_set_family(desc, face.family.c_str());
    pango_font_description_set_weight(desc, face.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_font_description_set_absolute_size(desc, kFontSize * PANGO_SCALE);
    pango_layout_set_font_description(layout_, desc);
    pango_font_description_free(desc);
    pango_layout_set_text(layout_, text.c_str(), static_cast<int>(text.size()));
  }
  // The ink box of the text set, points from the layout's origin.
  PangoRectangle ink() const {
    PangoRectangle ink, logical;
    pango_layout_get_extents(layout_, &ink, &logical);
    return ink;
  }
  // The family fontconfig gave for the text set.
  std::string used_family() const {
    PangoLayoutIter* it = pango_layout_get_iter(layout_);
    PangoLayoutRun* run = pango_layout_iter_get_run_readonly(it);
    std::string name;
    if (run) {
      PangoFontDescription* d = pango_font_describe(run->item->analysis.font);
      name = pango_font_description_get_family(d);
      pango_font_description_free(d);
    }
    pango_layout_iter_free(it);
    return name;
  }
  PangoLayout* get() { return layout_; }

 private:
  PangoLayout* layout_;
};

// Draws `text` so that its ink box's right (or left) edge is at x and its ink is centred on y.
void draw_text(cairo_t* cr, Pango& pango, const Face& face, const std::string& text, double x,
               double y_centre, bool right) {
  pango.set(face, text);
  const PangoRectangle ink = pango.ink();
  const double ix = ink.x / double(PANGO_SCALE), iy = ink.y / double(PANGO_SCALE);
  const double iw = ink.width / double(PANGO_SCALE), ih = ink.height / double(PANGO_SCALE);
  cairo_move_to(cr, (right ? x - iw : x) - ix, y_centre - ih / 2 - iy);
  pango_cairo_show_layout(cr, pango.get());
}

double ink_width(Pango& pango, const Face& face, const std::string& text) {
  pango.set(face, text);
  return pango.ink().width / double(PANGO_SCALE);
}

double digit_ink_height(Pango& pango, const Face& face) {
  pango.set(face, "0123456789");
  return pango.ink().height / double(PANGO_SCALE);
}

void degrade(cv::Mat& img, const Degradation& d, double dpi, std::mt19937_64& rng) {
  const double scale = dpi / 300.0;
  if (d.noise > 0) {
    std::uniform_int_distribution<int> n(-d.noise, d.noise);
    for (int y = 0; y < img.rows; ++y) {
      auto* row = img.ptr<unsigned char>(y);
      for (int x = 0; x < img.cols; ++x)
        row[x] = static_cast<unsigned char>(std::clamp(row[x] + n(rng), 0, 255));
    }
  }
  if (d.blur * scale > 0.05) cv::GaussianBlur(img, img, cv::Size(0, 0), d.blur * scale);
  if (d.bilevel) cv::threshold(img, img, 150, 255, cv::THRESH_BINARY);
  if (d.jpeg_max > 0) {
    std::uniform_int_distribution<int> q(d.jpeg_min, d.jpeg_max);
    std::vector<unsigned char> jpeg;
    cv::imencode(".jpg", img, jpeg, {cv::IMWRITE_JPEG_QUALITY, q(rng)});
    img = cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
  }
}

// A page of one face at `dpi`, tight or loose, degraded and brought to kOcrDpi.
Page make_page(const Face& face, double dpi, const Degradation& degradation, bool tight,
               std::mt19937_64& rng) {
  Page page;
  std::uniform_real_distribution<double> u(0, 1);
  // Formats per column: mostly two decimals with thousands groups (万元), else other forms.
  std::vector<Format> formats;
  for (int c = 0; c < kAmountColumns; ++c) {
    const double r = u(rng);
    formats.push_back(r < 0.5    ? Format{2, true}
                      : r < 0.65 ? Format{2, false}
                      : r < 0.8  ? Format{0, true}
                      : r < 0.9  ? Format{static_cast<int>(1 + u(rng) * 6) % 6 + 1, false}
                                 : Format{0, false});
  }
  std::vector<std::vector<std::string>> texts(kRows, std::vector<std::string>(kAmountColumns));
  for (int r = 0; r < kRows; ++r)
    for (int c = 0; c < kAmountColumns; ++c) {
      const bool issue = formats[c].decimals == 2 && formats[c].thousands && u(rng) < 0.1;
      texts[r][c] = issue ? kIssueAmounts[static_cast<std::size_t>(
                                u(rng) * static_cast<double>(kIssueAmounts.size()))]
                          : formatted_amount(rng, formats[c]);
    }

  // Geometry in points. Tight: the widest amount a pixel (at this dpi) from the right rule and the
  // digits a pixel or two below and above the row's rules; loose: room around them.
  cairo_surface_t* probe_surface = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
  cairo_t* probe = cairo_create(probe_surface);
  Pango measure(probe);
  const double pixel = 72.0 / dpi;
  const double digit_height = digit_ink_height(measure, face);
  const double row_height = tight ? digit_height + 2 * (kRule + 1.5 * pixel) : kFontSize * 2.0;
  const double side = tight ? kRule / 2 + 1.2 * pixel : 4.0;
  std::vector<double> widths{kLabelWidth};
  for (int c = 0; c < kAmountColumns; ++c) {
    double w = ink_width(measure, face, kHeaders[static_cast<std::size_t>(c + 1)]);
    for (int r = 0; r < kRows; ++r) w = std::max(w, ink_width(measure, face, texts[r][c]));
    widths.push_back(w + 2 * side + (tight ? 0 : 10));
  }
  cairo_destroy(probe);
  cairo_surface_destroy(probe_surface);
  const double header_height = kFontSize * 2.0;
  double table_width = 0;
  for (double w : widths) table_width += w;
  const double table_height = header_height + kRows * row_height;
  const double page_width = table_width + 2 * kMargin, page_height = table_height + 2 * kMargin;

  const int pw = static_cast<int>(std::ceil(page_width / 72.0 * dpi));
  const int ph = static_cast<int>(std::ceil(page_height / 72.0 * dpi));
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, pw, ph);
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, dpi / 72.0, dpi / 72.0);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0, 0, 0);
  cairo_set_line_width(cr, kRule);
  std::vector<double> xs{kMargin};
  for (double w : widths) xs.push_back(xs.back() + w);
  std::vector<double> ys{kMargin, kMargin + header_height};
  for (int r = 0; r < kRows; ++r) ys.push_back(ys.back() + row_height);
  for (double x : xs) {
    cairo_move_to(cr, x, ys.front());
    cairo_line_to(cr, x, ys.back());
  }
  for (double y : ys) {
    cairo_move_to(cr, xs.front(), y);
    cairo_line_to(cr, xs.back(), y);
  }
  cairo_stroke(cr);
  Pango pango(cr);
  ocr::TableCells table{{xs.front(), ys.front(), xs.back(), ys.back()}, {}};
  for (std::size_t c = 0; c < xs.size() - 1; ++c) {
    draw_text(cr, pango, face, kHeaders[c], xs[c] + 4, (ys[0] + ys[1]) / 2, false);
    table.cells.push_back({0, static_cast<int>(c), {xs[c], ys[0], xs[c + 1], ys[1]}});
  }
  for (int r = 0; r < kRows; ++r) {
    const double y0 = ys[static_cast<std::size_t>(r) + 1], y1 = ys[static_cast<std::size_t>(r) + 2];
    draw_text(cr, pango, face, kLabels[static_cast<std::size_t>(r) % kLabels.size()], xs[0] + 4,
              (y0 + y1) / 2, false);
    table.cells.push_back({r + 1, 0, {xs[0], y0, xs[1], y1}});
    for (int c = 0; c < kAmountColumns; ++c) {
      const double x1 = xs[static_cast<std::size_t>(c) + 2];
      draw_text(cr, pango, face, texts[r][c], x1 - side, (y0 + y1) / 2, true);
      const tally::core::Box box{xs[static_cast<std::size_t>(c) + 1], y0, x1, y1};
      table.cells.push_back({r + 1, c + 1, box});
      page.amounts.push_back({r + 1, c + 1, box, texts[r][c]});
    }
  }
  cairo_destroy(cr);
  cairo_surface_flush(surface);

  cv::Mat grey(ph, pw, CV_8U);
  const unsigned char* data = cairo_image_surface_get_data(surface);
  const int stride = cairo_image_surface_get_stride(surface);
  for (int y = 0; y < ph; ++y)
    for (int x = 0; x < pw; ++x) {
      std::uint32_t p;
      std::memcpy(&p, data + static_cast<std::ptrdiff_t>(y) * stride + 4 * x, 4);
      grey.at<unsigned char>(y, x) = static_cast<unsigned char>(
          (((p >> 16) & 0xFF) * 30 + ((p >> 8) & 0xFF) * 59 + (p & 0xFF) * 11) / 100);
    }
  cairo_surface_destroy(surface);
  degrade(grey, degradation, dpi, rng);

  // As `tally` reads a scan: at its own resolution when that is kOcrDpi, scaled up bicubic by
  // OpenCV up to 1.5×, else rendered at kOcrDpi by Poppler (bilinear, approximated here).
  if (dpi >= kOcrDpi) {
    page.raster = tally::imaging::raster_of(grey, dpi);
  } else if (kOcrDpi / dpi <= kMaxBicubicUpscale) {
    page.raster = ocr::scale_up(tally::imaging::raster_of(grey, dpi), kOcrDpi);
  } else {
    cv::Mat scaled;
    cv::resize(grey, scaled,
               cv::Size(static_cast<int>(std::lround(pw * kOcrDpi / dpi)),
                        static_cast<int>(std::lround(ph * kOcrDpi / dpi))),
               0, 0, cv::INTER_LINEAR);
    page.raster = tally::imaging::raster_of(scaled, kOcrDpi);
  }
  page.tables.push_back(std::move(table));
  return page;
}

bool has_cjk(const std::string& text) {
  for (char32_t c : tally::core::utf8_to_u32(text))
    if (tally::core::is_cjk(c)) return true;
  return false;
}

std::string without(const std::string& text, char c) {
  std::string out;
  for (char x : text)
    if (x != c) out += x;
  return out;
}

// What went wrong with a reading of `truth`; "" when its value is right.
std::string misread_kind(const std::string& truth, const std::string& read) {
  if (read.empty()) return "blank";
  if (has_cjk(read)) return "cjk";
  const std::string t = without(truth, ','), r = without(read, ',');
  if (t == r) return "";
  // A comma read as a digit: the reading is the truth with one comma replaced by a digit.
  for (std::size_t i = 0; i < truth.size(); ++i)
    if (truth[i] == ',')
      for (char d = '0'; d <= '9'; ++d)
        if (without(truth.substr(0, i) + d + truth.substr(i + 1), ',') == r) return "comma->digit";
  if (without(t, '-') == without(r, '-')) return "sign";
  const std::string td = without(t, '.'), rd = without(without(r, '.'), '-');
  const std::string tdd = without(td, '-');
  if (tdd == rd) return "point/comma";
  if (rd.size() == tdd.size() + 1) {
    for (std::size_t i = 0; i < rd.size(); ++i)
      if (rd.substr(0, i) + rd.substr(i + 1) == tdd) return "inserted digit";
  }
  if (rd.size() + 1 == tdd.size()) {
    for (std::size_t i = 0; i < tdd.size(); ++i)
      if (tdd.substr(0, i) + tdd.substr(i + 1) == rd) return "dropped digit";
  }
  if (rd.size() == tdd.size()) return "substituted digit";
  return "other";
}

struct Tally {
  int total = 0, right = 0;
  void add(bool ok) {
    ++total;
    right += ok;
  }
  std::string percent() const {
    char s[32];
    std::snprintf(s, sizeof s, "%6.2f%%", total ? 100.0 * right / total : 0.0);
    return s;
  }
};

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string item; std::getline(in, item, ',');)
    if (!item.empty()) out.push_back(item);
  return out;
}

bool selected(const std::vector<std::string>& filters, const std::string& name) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(),
                     [&](const std::string& f) { return name.find(f) != std::string::npos; });
}

}  // namespace

int main(int argc, char** argv) {
  ocr::reexec_single_threaded(argv);
  int pages = 1;
  int examples = 3;
  std::string dump;  // a folder for each page's raster (PNG), as the reader gets it
  std::vector<std::string> font_filter, degradation_filter;
  std::vector<double> dpis{150, 200, 300};
  ocr::ReaderOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool more = i + 1 < argc;
    if (arg == "--pages" && more)
      pages = std::stoi(argv[++i]);
    else if (arg == "--fonts" && more)
      font_filter = split(argv[++i]);
    else if (arg == "--degradations" && more)
      degradation_filter = split(argv[++i]);
    else if (arg == "--dump" && more)
      dump = argv[++i];
    else if (arg == "--examples" && more)
      examples = std::stoi(argv[++i]);
    else if (arg == "--vote-below" && more)
      options.vote_below_confidence = std::stod(argv[++i]);
    else if (arg == "--dpi" && more) {
      dpis.clear();
      for (const std::string& d : split(argv[++i])) dpis.push_back(std::stod(d));
    } else {
      std::fprintf(stderr,
                   "usage: number_read_bench [--pages N] [--fonts A,B] [--dpi 150,200,300] "
                   "[--degradations clean,jpeg,bilevel] [--examples N] [--vote-below C]\n");
      return 1;
    }
  }

  ocr::Engine& engine = ocr::Engine::for_this_thread();
  std::map<std::string, Tally> by_combination;
  std::map<std::string, Tally> by_split_dpi, by_split_degradation, by_split_geometry, by_split;
  std::map<std::string, std::map<std::string, int>> kinds;  // split → kind → count
  std::map<std::string, int> examples_shown;
  std::map<std::string, int> low_confidence_wrong;  // split → wrong readings under 0.6
  // Minus signs, per split and dpi × degradation: negative amounts, how many lost their sign (read
  // as the positive amount), and minus signs read on positive amounts.
  struct Signs {
    int negatives = 0, lost = 0, dropped = 0, false_minus = 0;
  };
  std::map<std::string, Signs> signs;
  double read_seconds = 0;
  int pages_read = 0;
  std::printf("%-26s %4s %-8s %6s %8s\n", "font", "dpi", "degr", "n", "right");
  for (std::size_t fi = 0; fi < faces().size(); ++fi) {
    const Face& face = faces()[fi];
    if (!selected(font_filter, face.name())) continue;
    {
      cairo_surface_t* s = cairo_image_surface_create(CAIRO_FORMAT_A8, 1, 1);
      cairo_t* cr = cairo_create(s);
      Pango p(cr);
      p.set(face, "1");
      if (p.used_family() != face.family)
        std::printf("# %s is not installed: fontconfig gave %s\n", face.family.c_str(),
                    p.used_family().c_str());
      cairo_destroy(cr);
      cairo_surface_destroy(s);
    }
    const std::string split_name = face.held_aside ? "held-aside" : "dev";
    for (std::size_t di = 0; di < dpis.size(); ++di) {
      for (std::size_t gi = 0; gi < degradations().size(); ++gi) {
        const Degradation& degradation = degradations()[gi];
        if (!selected(degradation_filter, degradation.name)) continue;
        // One document per combination: its pages share the reader's memories.
        ocr::DocumentMemory memory;
        Tally combination;
        for (int p = 0; p < pages; ++p)
          for (const bool tight : {true, false}) {
            std::mt19937_64 rng(0x9E3779B97F4A7C15ull ^ (fi << 40) ^
                                (static_cast<std::uint64_t>(dpis[di]) << 24) ^ (gi << 16) ^
                                (static_cast<std::uint64_t>(p) << 4) ^ (tight ? 1u : 0u));
            const Page page = make_page(face, dpis[di], degradation, tight, rng);
            if (!dump.empty())
              cv::imwrite(dump + "/" + std::to_string(fi) + "-" +
                              std::to_string(static_cast<int>(dpis[di])) + "-" + degradation.name +
                              "-" + std::to_string(p) + (tight ? "-tight" : "-loose") + ".png",
                          tally::imaging::view(page.raster));
            const double start = cpu_seconds();
            const ocr::PreparedPage prepared = ocr::prepare_page(page.raster, &engine);
            ocr::PageTrace trace(1);
            std::vector<tally::core::Diagnostic> diagnostics;
            const std::vector<tally::core::Word> words = ocr::read_page_words(
                prepared, 1, page.tables, engine, memory, options, trace, diagnostics);
            read_seconds += cpu_seconds() - start;
            ++pages_read;
            for (const Page::Truth& truth : page.amounts) {
              std::string read;
              double confidence = 0;
              std::string first_alternative;
              for (const tally::core::Word& w : words) {
                const double cx = (w.box.x0 + w.box.x1) / 2, cy = (w.box.y0 + w.box.y1) / 2;
                if (cx >= truth.box.x0 && cx < truth.box.x1 && cy >= truth.box.y0 &&
                    cy < truth.box.y1) {
                  read += w.text;
                  confidence = w.confidence;
                  if (!w.alternatives.empty()) first_alternative = w.alternatives.front().text;
                }
              }
              const std::string kind = misread_kind(truth.text, read);
              Signs& sign = signs[split_name + " " + std::to_string(static_cast<int>(dpis[di])) +
                                  " " + degradation.name];
              if (!truth.text.empty() && truth.text.front() == '-') {
                ++sign.negatives;
                const bool lost = without(truth.text, ',').substr(1) == without(read, ',');
                sign.lost += lost;
                // The reader dropped a minus sign Tesseract read (drop_false_minus_signs keeps
                // the reading with it as the first alternative).
                sign.dropped += lost && first_alternative == "-" + read;
              } else if (!read.empty() && read.front() == '-') {
                ++sign.false_minus;
              }
              const bool ok = kind.empty();
              combination.add(ok);
              by_split[split_name].add(ok);
              by_split_dpi[split_name + " " + std::to_string(static_cast<int>(dpis[di]))].add(ok);
              by_split_degradation[split_name + " " + degradation.name].add(ok);
              by_split_geometry[split_name + (tight ? " tight" : " loose")].add(ok);
              if (ok) continue;
              ++kinds[split_name][kind];
              low_confidence_wrong[split_name] += confidence < options.number_confidence;
              if (!face.held_aside && examples_shown[kind]++ < examples)
                std::printf("#   %-18s %s %d %s %s: '%s' read '%s' (%.2f)\n", kind.c_str(),
                            face.name().c_str(), static_cast<int>(dpis[di]),
                            degradation.name.c_str(), tight ? "tight" : "loose", truth.text.c_str(),
                            read.c_str(), confidence);
            }
          }
        std::printf("%-26s %4d %-8s %6d %8s%s\n", face.name().c_str(), static_cast<int>(dpis[di]),
                    degradation.name.c_str(), combination.total, combination.percent().c_str(),
                    face.held_aside ? "  (held aside)" : "");
        std::fflush(stdout);
      }
    }
  }
  const auto print = [](const char* title, const std::map<std::string, Tally>& m) {
    std::printf("\n%s\n", title);
    for (const auto& [k, t] : m)
      std::printf("  %-24s %6d %8s  (%d wrong)\n", k.c_str(), t.total, t.percent().c_str(),
                  t.total - t.right);
  };
  print("by split", by_split);
  print("by split and dpi", by_split_dpi);
  print("by split and degradation", by_split_degradation);
  print("by split and geometry", by_split_geometry);
  std::printf("\nmisreads by kind\n");
  for (const auto& [s, m] : kinds) {
    std::printf("  %s:", s.c_str());
    for (const auto& [k, n] : m) std::printf("  %s %d", k.c_str(), n);
    std::printf("  (of them under the number confidence: %d)\n", low_confidence_wrong[s]);
  }
  std::printf(
      "\nminus signs (split dpi degradation: negative amounts, read without their "
      "sign, minus read on a positive amount)\n");
  for (const auto& [k, n] : signs)
    std::printf("  %-24s %4d negatives, %3d lost (%d of them dropped by the reader), %3d false\n",
                k.c_str(), n.negatives, n.lost, n.dropped, n.false_minus);
  std::printf("\nCPU: %.2f s preparing and reading %d pages, %.3f s a page\n", read_seconds,
              pages_read, pages_read ? read_seconds / pages_read : 0.0);
  return 0;
}
