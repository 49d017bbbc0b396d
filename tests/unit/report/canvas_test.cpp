// The rendering layer: PNG checks, and that the three formats have the same size.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

#include "hazard/error.hpp"
#include "hazard/plot.hpp"
#include "report/canvas.hpp"

namespace hp = hazard::plot;

TEST(PngStats, RejectsBytesThatAreNotPng) {
  EXPECT_THROW(hp::png_stats("GIF89a...."), hazard::DataError);
  EXPECT_THROW(hp::png_stats(""), hazard::DataError);
  // A valid signature followed by garbage.
  EXPECT_THROW(hp::png_stats(std::string("\x89PNG\r\n\x1a\n", 8) + "garbage"), hazard::DataError);
}

TEST(Render, BlankDrawingIsDetectedAsBlank) {
  const std::string png = hp::detail::render(72, 36, hp::Format::png, 144, "DejaVu Sans",
                                             [](hp::detail::Canvas&) {});
  hp::PngStats st = hp::png_stats(png);
  EXPECT_EQ(st.width, 144);
  EXPECT_EQ(st.height, 72);
  EXPECT_EQ(st.non_background, 0u);
}

TEST(Render, SameSizeInEveryFormat) {
  auto draw = [](hp::detail::Canvas& cv) {
    cv.colour({0, 0, 0});
    cv.text(10, 10, "<65 & \u2265 65", {.pt = 9, .bold = false, .italic = false});
    cv.line({0, 0}, {100, 50}, 1);
  };
  const std::string svg = hp::detail::render(200, 100, hp::Format::svg, 300, "Liberation Sans", draw);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(svg, m, std::regex("width=\"([0-9.]+)pt\" height=\"([0-9.]+)pt\"")));
  EXPECT_EQ(std::stod(m[1]), 200);
  EXPECT_EQ(std::stod(m[2]), 100);
  hp::PngStats st = hp::png_stats(hp::detail::render(200, 100, hp::Format::png, 72, "Liberation Sans", draw));
  EXPECT_EQ(st.width, 200);
  EXPECT_EQ(st.height, 100);
  EXPECT_GT(st.non_background, 50u);
  const std::string pdf = hp::detail::render(200, 100, hp::Format::pdf, 300, "Liberation Sans", draw);
  EXPECT_NE(pdf.find("/MediaBox [ 0 0 200 100 ]"), std::string::npos);
}

TEST(Render, TextMeasuresGrowWithLength) {
  hp::detail::render(100, 100, hp::Format::png, 72, "Liberation Sans", [](hp::detail::Canvas& cv) {
    const hp::detail::Font f{.pt = 9, .bold = false, .italic = false};
    const double a = cv.measure("12", f).width, b = cv.measure("1234", f).width;
    EXPECT_GT(a, 5);
    EXPECT_NEAR(b, 2 * a, 0.5);  // digits have equal advance widths
    EXPECT_NEAR(cv.measure("1\n2", f).height, 2 * cv.measure("1", f).height, 1);
  });
}

TEST(WriteFigure, UnwritablePathIsAnIoError) {
  EXPECT_THROW(hp::write_figure("x", "/nonexistent-dir/x.png"), hazard::IoError);
}

TEST(Render, ReproducibleWithSourceDateEpoch) {
  auto draw = [](hp::detail::Canvas& cv) { cv.line({0, 0}, {100, 50}, 1); };
  ::setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
  const std::string a = hp::detail::render(200, 100, hp::Format::pdf, 300, "Liberation Sans", draw);
  const std::string b = hp::detail::render(200, 100, hp::Format::pdf, 300, "Liberation Sans", draw);
  ::unsetenv("SOURCE_DATE_EPOCH");
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("20231114221320"), std::string::npos);  // 1700000000 s = 2023-11-14 22:13:20 UTC
  EXPECT_EQ(hp::detail::render(200, 100, hp::Format::svg, 300, "Liberation Sans", draw),
            hp::detail::render(200, 100, hp::Format::svg, 300, "Liberation Sans", draw));
}
