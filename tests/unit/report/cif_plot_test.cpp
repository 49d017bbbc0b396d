// Stacked cumulative incidence figure: formats, bands stacked with heights equal to each cause's
// incidence, bands ending at the group's last follow-up, a message (not a crash) for bad input.
#include <gtest/gtest.h>

#include "hazard/plot.hpp"

namespace hp = hazard::plot;

namespace {

// The colour of a band: the cause's colour at 55 % opacity over white.
hp::Rgb band(hp::Rgb c) { return {0.55 * c.r + 0.45, 0.55 * c.g + 0.45, 0.55 * c.b + 0.45}; }

// One panel, two causes flat from t = 0 (heights a and b), x axis 0..10.
hp::CifPlot flat(double a, double b, double last_time = hp::not_available) {
  hp::CifPlot p;
  p.options.x_max = 10;
  p.panels = {{.label = "All (n = 100)",
               .causes = {{.label = "relapse", .time = {0.0}, .estimate = {a}},
                          {.label = "death", .time = {0.0}, .estimate = {b}}},
               .last_time = last_time}};
  return p;
}

std::size_t band_pixels(const std::string& png, std::size_t cause) {
  return hp::png_colour_pixels(png, band(hp::okabe_ito()[cause]), 0.03);
}

}  // namespace

TEST(CifPlot, RendersThreeFormats) {
  hp::CifPlot p = flat(0.2, 0.3);
  p.panels.push_back(p.panels[0]);
  p.panels[1].label = "arm = B";
  const std::string png = hp::render_cif(p, hp::Format::png);
  EXPECT_GT(hp::png_stats(png).non_background, 20000u);
  EXPECT_GT(hp::png_colour_pixels(png, hp::okabe_ito()[0]), 200u);  // the bands' top edges
  EXPECT_GT(hp::png_colour_pixels(png, hp::okabe_ito()[1]), 200u);
  EXPECT_NE(hp::render_cif(p, hp::Format::svg).find("<svg"), std::string::npos);
  EXPECT_EQ(hp::render_cif(p, hp::Format::pdf).rfind("%PDF-", 0), 0u);
}

TEST(CifPlot, BandHeightsAreTheCausesIncidence) {
  // heights 0.2 and 0.4 over the whole axis: the second band has twice the area of the first
  const std::string png = hp::render_cif(flat(0.2, 0.4), hp::Format::png);
  const double a = static_cast<double>(band_pixels(png, 0));
  const double b = static_cast<double>(band_pixels(png, 1));
  ASSERT_GT(a, 1000);
  EXPECT_NEAR(b / a, 2.0, 0.1);
  // swapping the heights swaps the areas
  const std::string swapped = hp::render_cif(flat(0.4, 0.2), hp::Format::png);
  EXPECT_NEAR(static_cast<double>(band_pixels(swapped, 0)) / b, 1.0, 0.05);
}

TEST(CifPlot, BandsEndAtTheLastFollowUp) {
  const double full =
      static_cast<double>(band_pixels(hp::render_cif(flat(0.3, 0.3), hp::Format::png), 0));
  const double half =
      static_cast<double>(band_pixels(hp::render_cif(flat(0.3, 0.3, 5.0), hp::Format::png), 0));
  EXPECT_NEAR(half / full, 0.5, 0.05);
}

TEST(CifPlot, StepsAreStackedOnTheCausesBelow) {
  // cause 1 jumps to 0.5 at t = 5; cause 2 is 0.25 from t = 0: the second band sits on the
  // first, so its area is unchanged by the first's jump (0.25 x 10)
  hp::CifPlot p = flat(0.0, 0.25);
  const double before = static_cast<double>(band_pixels(hp::render_cif(p, hp::Format::png), 1));
  p.panels[0].causes[0] = {.label = "relapse", .time = {0.0, 5.0}, .estimate = {0.0, 0.5}};
  const std::string png = hp::render_cif(p, hp::Format::png);
  EXPECT_NEAR(static_cast<double>(band_pixels(png, 1)) / before, 1.0, 0.05);
  // and the first band covers 0.5 x 5 = the second's area
  EXPECT_NEAR(static_cast<double>(band_pixels(png, 0)) / before, 1.0, 0.1);
}

TEST(CifPlot, BadInputDrawsAMessage) {
  hp::CifPlot p = flat(0.2, 0.3);
  p.panels[0].causes[0].estimate = {1.5};  // not a probability
  const std::string png = hp::render_cif(p, hp::Format::png);
  EXPECT_GT(hp::png_stats(png).non_background, 2000u);
  EXPECT_EQ(band_pixels(png, 0), 0u);
  EXPECT_GT(hp::png_stats(hp::render_cif(hp::CifPlot{}, hp::Format::png)).non_background, 2000u);
}
