// Kaplan–Meier figure: risk-table counts, tick choice, the three formats, and that no input, however
// degenerate, gives a blank figure.
#include <gtest/gtest.h>

#include "hazard/plot.hpp"
#include "unit/report/report_fixture.hpp"

namespace hp = hazard::plot;

namespace {

hp::KmPlot sample_plot() {
  hp::KmPlot p;
  p.curves.push_back(hazard::test::curve_from("Cabozantinib", {1, 2.5, 4, 6, 8, 12.8, 15, 18, 21, 30},
                                              {1, 0, 1, 1, 0, 1, 1, 0, 1, 0}));
  p.curves.push_back(hazard::test::curve_from("Placebo", {0.5, 1.5, 2, 3.9, 5, 9}, {1, 1, 0, 1, 1, 1}));
  p.curves[0].median = 12.8;
  p.curves[1].median = 3.9;
  p.options.annotation = "HR 0.33 (95% CI 0.19\u20130.55)";
  return p;
}

bool starts_with(const std::string& s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

}  // namespace

TEST(RiskCounts, AtRiskEventsCensoredBeforeTick) {
  // 10 patients; times 1(e) 2.5(c) 4(e) 6(e) 8(c) 12.8(e) 15(e) 18(c) 21(e) 30(c).
  const hp::KmCurve c = sample_plot().curves[0];
  hp::RiskCounts r0 = hp::risk_counts(c, 0);
  EXPECT_EQ(r0.at_risk, 10);
  EXPECT_EQ(r0.events, 0);
  EXPECT_EQ(r0.censored, 0);
  hp::RiskCounts r6 = hp::risk_counts(c, 6);  // at risk: time >= 6 -> 7; before 6: 2 events, 1 censored
  EXPECT_EQ(r6.at_risk, 7);
  EXPECT_EQ(r6.events, 2);
  EXPECT_EQ(r6.censored, 1);
  hp::RiskCounts r24 = hp::risk_counts(c, 24);
  EXPECT_EQ(r24.at_risk, 1);
  EXPECT_EQ(r24.events, 6);
  EXPECT_EQ(r24.censored, 3);
  hp::RiskCounts r33 = hp::risk_counts(c, 33);  // after the last time nobody is at risk
  EXPECT_EQ(r33.at_risk, 0);
  EXPECT_EQ(r33.events + r33.censored, 10);
}

TEST(AutoTickStep, ThreeOrSixMonthsForTrialFollowUp) {
  EXPECT_EQ(hp::auto_tick_step(30), 3);
  EXPECT_EQ(hp::auto_tick_step(36), 3);
  EXPECT_EQ(hp::auto_tick_step(37), 6);
  EXPECT_EQ(hp::auto_tick_step(60), 6);
  EXPECT_EQ(hp::auto_tick_step(100), 12);
  EXPECT_EQ(hp::auto_tick_step(10), 1);
  EXPECT_EQ(hp::auto_tick_step(0), 1);
}

TEST(KmPlot, RendersThreeFormats) {
  const hp::KmPlot p = sample_plot();
  const std::string svg = hp::render_km(p, hp::Format::svg);
  const std::string pdf = hp::render_km(p, hp::Format::pdf);
  const std::string png = hp::render_km(p, hp::Format::png);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("viewBox"), std::string::npos);
  EXPECT_TRUE(starts_with(pdf, "%PDF-"));
  hp::PngStats st = hp::png_stats(png);
  // 7 in at 300 dpi.
  EXPECT_EQ(st.width, 2100);
  EXPECT_GT(st.height, 1000);
  EXPECT_GT(st.non_background, 20000u);
}

TEST(KmPlot, CurvesDrawnInOkabeItoColours) {
  hp::KmPlot p = sample_plot();
  p.options.ci_bands = false;
  const std::string png = hp::render_km(p, hp::Format::png);
  const auto& pal = hp::okabe_ito();
  EXPECT_GT(hp::png_colour_pixels(png, pal[0]), 2000u);  // blue: first arm
  EXPECT_GT(hp::png_colour_pixels(png, pal[1]), 2000u);  // vermillion: second arm
  EXPECT_EQ(hp::png_colour_pixels(png, pal[2]), 0u);     // no third arm, no green
}

TEST(KmPlot, KmunicateTableMakesTheFigureTaller) {
  hp::KmPlot p = sample_plot();
  const int plain = hp::png_stats(hp::render_km(p, hp::Format::png)).height;
  p.options.events_censored = true;
  const int kmu = hp::png_stats(hp::render_km(p, hp::Format::png)).height;
  EXPECT_GT(kmu, plain);
  p.options.risk_table = false;
  EXPECT_LT(hp::png_stats(hp::render_km(p, hp::Format::png)).height, plain);
}

TEST(KmPlot, EmptyInputDrawsAMessageNotABlankFigure) {
  for (hp::KmPlot p : {hp::KmPlot{}, [] {
                         hp::KmPlot q;
                         q.curves.push_back({.label = "Placebo"});  // an arm without patients
                         return q;
                       }()}) {
    const std::string png = hp::render_km(p, hp::Format::png);
    hp::PngStats st = hp::png_stats(png);
    EXPECT_GT(st.non_background, 5000u);
    // The message is black text; no curve colour appears.
    EXPECT_EQ(hp::png_colour_pixels(png, hp::okabe_ito()[0]), 0u);
    EXPECT_NE(hp::render_km(p, hp::Format::svg).find("<svg"), std::string::npos);
  }
}

TEST(KmPlot, InconsistentCurveDrawsAMessage) {
  hp::KmPlot p = sample_plot();
  p.curves[1].surv.pop_back();  // one value short
  std::string png;
  EXPECT_NO_THROW(png = hp::render_km(p, hp::Format::png));
  EXPECT_GT(hp::png_stats(png).non_background, 5000u);
  EXPECT_EQ(hp::png_colour_pixels(png, hp::okabe_ito()[1]), 0u);
}

TEST(KmPlot, AllTimesZeroStillDraws) {
  hp::KmPlot p;
  p.curves.push_back(hazard::test::curve_from("A", {0, 0}, {1, 0}));
  const std::string png = hp::render_km(p, hp::Format::png);
  EXPECT_GT(hp::png_stats(png).non_background, 10000u);
}
