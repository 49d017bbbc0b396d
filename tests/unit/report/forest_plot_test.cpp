// Forest plot: formats, squares drawn for estimable rows only, a message for no rows.
#include <gtest/gtest.h>

#include "hazard/plot.hpp"

namespace hp = hazard::plot;

namespace {

hp::ForestPlot sample() {
  hp::ForestPlot f;
  f.options.experimental = "Cabozantinib";
  f.options.control = "Placebo";
  f.rows = {{.label = "pNET", .n_experimental = 64, .events_experimental = 39, .n_control = 31,
             .events_control = 28, .hr = 0.33, .lower = 0.19, .upper = 0.55},
            {.label = "Sex", .indent = 1, .heading = true},
            {.label = "F", .indent = 2, .n_experimental = 30, .events_experimental = 18,
             .n_control = 15, .events_control = 14, .hr = 0.41, .lower = 0.005, .upper = 250}};
  return f;
}

}  // namespace

TEST(ForestPlot, RendersThreeFormatsWithSquares) {
  const hp::ForestPlot f = sample();
  const std::string png = hp::render_forest(f, hp::Format::png);
  EXPECT_GT(hp::png_stats(png).non_background, 20000u);
  EXPECT_GT(hp::png_colour_pixels(png, hp::okabe_ito()[0]), 500u);  // HR squares
  EXPECT_NE(hp::render_forest(f, hp::Format::svg).find("<svg"), std::string::npos);
  EXPECT_EQ(hp::render_forest(f, hp::Format::pdf).rfind("%PDF-", 0), 0u);
}

TEST(ForestPlot, NotEstimableRowsShowTheNoteAndNoSquare) {
  hp::ForestPlot f;
  f.rows = {{.label = "pNET", .n_experimental = 3, .events_experimental = 0, .n_control = 2,
             .events_control = 0, .note = "not estimable: no events"}};
  const std::string png = hp::render_forest(f, hp::Format::png);
  EXPECT_GT(hp::png_stats(png).non_background, 5000u);
  EXPECT_EQ(hp::png_colour_pixels(png, hp::okabe_ito()[0]), 0u);
}

TEST(ForestPlot, NoRowsDrawsAMessage) {
  const std::string png = hp::render_forest(hp::ForestPlot{}, hp::Format::png);
  EXPECT_GT(hp::png_stats(png).non_background, 5000u);
}

TEST(ForestPlot, FixedAxisRangeIsHonoured) {
  hp::ForestPlot f = sample();
  f.options.x_min = 0.1;
  f.options.x_max = 10;
  EXPECT_GT(hp::png_stats(hp::render_forest(f, hp::Format::png)).non_background, 20000u);
}
