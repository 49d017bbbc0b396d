// report.html: self-contained (no scripts, no external requests), holds the table values, escapes
// text from data, marks every number with its unrounded value.
#include <gtest/gtest.h>

#include <regex>

#include "hazard/report.hpp"
#include "unit/report/report_fixture.hpp"

namespace hr = hazard::report;

namespace {

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST(Html, SelfContained) {
  const std::string html = hr::render_html(hazard::test::sample_model());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
  // Every src= is a data: URI: 2 KM figures and the forest plot.
  EXPECT_EQ(count(html, "src="), 3u);
  EXPECT_EQ(count(html, "src=\"data:image/svg+xml;base64,"), 3u);
  EXPECT_NE(html.find("@media print"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(Html, ShowsTheNumbersAndTheNotice) {
  const std::string html = hr::render_html(hazard::test::sample_model());
  EXPECT_NE(html.find("SIMULATED DATA"), std::string::npos);
  EXPECT_NE(html.find("12.8 (7.9, 21.0)"), std::string::npos);   // pNET cabozantinib median
  EXPECT_NE(html.find("8.4 (5.9, NE)"), std::string::npos);      // upper bound not estimable
  EXPECT_NE(html.find("0.33 (0.19, 0.55)"), std::string::npos);  // stratified HR
  EXPECT_NE(html.find("&lt;0.0001"), std::string::npos);         // p = 3.1e-05
  EXPECT_NE(html.find("0.0123"), std::string::npos);
  EXPECT_NE(html.find("6 (60.0)"), std::string::npos);           // events n (%)
  EXPECT_NE(html.find("71.2 (58.3, 81.1)"), std::string::npos);  // 6-month rate in %
  EXPECT_NE(html.find("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), std::string::npos);
  EXPECT_NE(html.find("has one subject"), std::string::npos);    // cohort message is shown
}

TEST(Html, CellsCarryUnroundedValues) {
  const std::string html = hr::render_html(hazard::test::sample_model());
  EXPECT_NE(html.find("data-cohort=\"pNET\" data-arm=\"Cabozantinib\" data-stat=\"median\" data-value=\"12.8125\""),
            std::string::npos);
  EXPECT_NE(html.find("data-stat=\"hr_stratified\" data-value=\"0.328\""), std::string::npos);
  EXPECT_NE(html.find("data-stat=\"rate\" data-timepoint=\"12\" data-value=\"0.523\""), std::string::npos);
}

TEST(Html, EscapesTextFromData) {
  hr::ReportModel m = hazard::test::sample_model();
  m.cohorts[0].name = "<b>&\"x\"";
  m.title = "A <script>alert(1)</script>";
  const std::string html = hr::render_html(m);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b>&"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;&amp;&quot;x&quot;"), std::string::npos);
}

TEST(Html, EmptyModelStillMakesAPage) {
  const std::string html = hr::render_html(hr::ReportModel{});
  EXPECT_NE(html.find("nothing to tabulate"), std::string::npos);
  EXPECT_NE(html.find("</html>"), std::string::npos);
}

TEST(Html, OneArmCohortShowsItsNote) {
  hr::ReportModel m = hazard::test::sample_model();
  m.cohorts[1].arms.pop_back();
  m.cohorts[1].comparisons.clear();
  m.cohorts[1].note = "one arm only: no comparison";
  const std::string html = hr::render_html(m);
  EXPECT_NE(html.find("one arm only: no comparison"), std::string::npos);
}
