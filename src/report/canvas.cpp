// The drawing-library-independent part of the figures (see canvas.hpp): formats, palette, the
// calls that go to the backend, and the framed message drawn in place of a figure.
#include "report/canvas.hpp"

#include <fmt/format.h>

#include <cmath>

#include "hazard/output.hpp"

namespace hazard::plot {

std::string_view extension(Format format) {
  switch (format) {
    case Format::svg:
      return "svg";
    case Format::png:
      return "png";
    case Format::pdf:
      return "pdf";
  }
  return "bin";
}

const std::vector<Rgb>& okabe_ito() {
  // Okabe & Ito (2008), "Color Universal Design": the order puts the two most distinct colours
  // (blue, vermillion) first, as two-arm trials use them.
  static const std::vector<Rgb> palette = {
      {0 / 255.0, 114 / 255.0, 178 / 255.0},    // blue
      {213 / 255.0, 94 / 255.0, 0 / 255.0},     // vermillion
      {0 / 255.0, 158 / 255.0, 115 / 255.0},    // bluish green
      {230 / 255.0, 159 / 255.0, 0 / 255.0},    // orange
      {204 / 255.0, 121 / 255.0, 167 / 255.0},  // reddish purple
      {86 / 255.0, 180 / 255.0, 233 / 255.0},   // sky blue
      {240 / 255.0, 228 / 255.0, 66 / 255.0},   // yellow
      {0.0, 0.0, 0.0},                          // black
  };
  return palette;
}

void write_figure(const std::string& bytes, const std::string& path) { write_file(path, bytes); }

PngStats png_stats(std::string_view png) { return detail::canvas_backend().png_stats(png); }

std::size_t png_colour_pixels(std::string_view png, Rgb colour, double tolerance) {
  return detail::canvas_backend().png_colour_pixels(png, colour, tolerance);
}

}  // namespace hazard::plot

namespace hazard::plot::detail {

std::string render(double width_pt, double height_pt, Format format, double dpi,
                   const std::string& font_family, const std::function<void(Canvas&)>& draw) {
  return canvas_backend().render(width_pt, height_pt, format, dpi, font_family, draw);
}

/// A framed message in place of a figure: the reader sees why there is no plot.
void draw_message(Canvas& cv, double w, double h, const std::string& title,
                  const std::string& message, double font_pt) {
  cv.colour({0.45, 0.45, 0.45});
  cv.stroke_rect(8, 8, w - 16, h - 16, 0.8);
  double y = h / 2 - font_pt * 2;
  if (!title.empty()) {
    cv.colour({0, 0, 0});
    cv.text(w / 2, 20, title, {.pt = font_pt * 1.1, .bold = true}, HAlign::center, VAlign::top);
  }
  cv.colour({0, 0, 0});
  cv.text(w / 2, y, "No figure can be drawn", {.pt = font_pt * 1.2, .bold = true}, HAlign::center,
          VAlign::top);
  cv.text(w / 2, y + font_pt * 2, message, {.pt = font_pt}, HAlign::center, VAlign::top);
}

std::string format_count(double v) {
  if (!std::isfinite(v)) return "–";
  if (std::fabs(v - std::round(v)) < 1e-9) return fmt::format("{:.0f}", v);
  return fmt::format("{:.1f}", v);
}

}  // namespace hazard::plot::detail
