// efficacy.rtf: well-formed (balanced groups), holds the table values, embeds PNG figures, is
// 7-bit clean (non-ASCII as \uN?).
#include <gtest/gtest.h>

#include "hazard/plot.hpp"
#include "hazard/report.hpp"
#include "unit/report/report_fixture.hpp"

namespace hr = hazard::report;

namespace {

/// Group depth after scanning; -1 if it ever went negative. Escaped braces do not count.
int brace_balance(const std::string& rtf) {
  int depth = 0;
  for (std::size_t i = 0; i < rtf.size(); ++i) {
    if (rtf[i] == '\\') {
      ++i;  // skip the escaped character (\{ \} \\) or the control word's first letter
      continue;
    }
    if (rtf[i] == '{') ++depth;
    if (rtf[i] == '}' && --depth < 0) return -1;
  }
  return depth;
}

std::string unhex(const std::string& h) {
  std::string out;
  int hi = -1;
  for (char c : h) {
    int v = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
    if (v < 0) continue;
    if (hi < 0) {
      hi = v;
    } else {
      out += static_cast<char>(hi * 16 + v);
      hi = -1;
    }
  }
  return out;
}

}  // namespace

TEST(Rtf, WellFormed) {
  const std::string rtf = hr::render_rtf(hazard::test::sample_model());
  EXPECT_EQ(rtf.rfind("{\\rtf1\\ansi", 0), 0u);
  EXPECT_EQ(brace_balance(rtf), 0);
  for (unsigned char c : rtf) ASSERT_LT(c, 0x80) << "RTF must be 7-bit";
  // Every table row is closed.
  std::size_t rows = 0, ends = 0;
  for (std::size_t p = rtf.find("\\trowd"); p != std::string::npos; p = rtf.find("\\trowd", p + 1)) ++rows;
  for (std::size_t p = rtf.find("\\row\n"); p != std::string::npos; p = rtf.find("\\row\n", p + 1)) ++ends;
  EXPECT_GT(rows, 10u);
  EXPECT_EQ(rows, ends);
}

TEST(Rtf, ContainsTheTableValues) {
  const std::string rtf = hr::render_rtf(hazard::test::sample_model());
  EXPECT_NE(rtf.find("12.8 (7.9, 21.0)"), std::string::npos);
  EXPECT_NE(rtf.find("0.33 (0.19, 0.55)"), std::string::npos);
  EXPECT_NE(rtf.find("<0.0001"), std::string::npos);
  EXPECT_NE(rtf.find("Cabozantinib\\line (N=10)"), std::string::npos);
  EXPECT_NE(rtf.find("SIMULATED DATA \\u8212? not trial data."), std::string::npos);  // em dash
}

TEST(Rtf, EmbedsPngFigures) {
  const std::string rtf = hr::render_rtf(hazard::test::sample_model());
  std::size_t n = 0;
  for (std::size_t p = rtf.find("\\pngblip"); p != std::string::npos; p = rtf.find("\\pngblip", p + 1)) {
    ++n;
    const std::size_t start = rtf.find('\n', p);
    const std::size_t end = rtf.find('}', start);
    const std::string png = unhex(rtf.substr(start, end - start));
    hazard::plot::PngStats st = hazard::plot::png_stats(png);
    EXPECT_GT(st.non_background, 10000u);
  }
  EXPECT_EQ(n, 3u);  // two KM plots and the forest plot
}

TEST(Rtf, EscapesSpecialCharacters) {
  hr::ReportModel m = hazard::test::sample_model();
  m.title = "a{b}c\\d \u00e9 \U0001F600";
  const std::string rtf = hr::render_rtf(m);
  EXPECT_NE(rtf.find("a\\{b\\}c\\\\d \\u233? \\u-10179?\\u-8704?"), std::string::npos);
  EXPECT_EQ(brace_balance(rtf), 0);
}

TEST(Rtf, EmptyModelIsStillWellFormed) {
  const std::string rtf = hr::render_rtf(hr::ReportModel{});
  EXPECT_EQ(brace_balance(rtf), 0);
  EXPECT_NE(rtf.find("nothing to tabulate"), std::string::npos);
}
