// A small drawing surface over cairo + pango, in points (1/72 inch), shared by the figures.
//
// A figure is a function that draws on a Canvas; `render` runs it once on a cairo surface of the
// requested format (SVG, PDF: vector, in points; PNG: ARGB image at the requested dpi on white) and
// returns the file's bytes. The same code therefore produces all three formats. Text metrics do not
// depend on the surface (hint metrics off), so the layout is identical in every format.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "hazard/plot.hpp"

typedef struct _cairo cairo_t;

namespace hazard::plot::detail {

enum class HAlign { left, center, right };
enum class VAlign { top, middle, bottom };

struct Point {
  double x = 0, y = 0;
};

struct TextSize {
  double width = 0, height = 0;
};

struct Font {
  double pt = 9;
  bool bold = false;
  bool italic = false;
};

class Canvas {
 public:
  Canvas(cairo_t* cr, std::string family);

  void colour(Rgb c, double alpha = 1.0);
  void line(Point a, Point b, double width, std::vector<double> dash = {});
  void polyline(const std::vector<Point>& pts, double width, std::vector<double> dash = {});
  void fill_polygon(const std::vector<Point>& pts);
  void fill_rect(double x, double y, double w, double h);
  void stroke_rect(double x, double y, double w, double h, double width);
  /// Restricts drawing to a rectangle until `unclip`.
  void clip(double x, double y, double w, double h);
  void unclip();

  /// Size of a (possibly multi-line) text in points.
  TextSize measure(std::string_view text, Font font) const;
  /// Draws text anchored at (x, y) with the given alignment; returns its size. Multi-line text is
  /// aligned line by line as `h` says. `angle` in degrees, counter-clockwise (only used for the
  /// y-axis label; the anchor is then the rotated box's centre).
  TextSize text(double x, double y, std::string_view text, Font font, HAlign h = HAlign::left,
                VAlign v = VAlign::top, double angle = 0);

 private:
  cairo_t* cr_;
  std::string family_;
};

/// Text measurement before drawing (layouts that depend on text widths are computed first, so
/// the figure's height can depend on them). Owns a 1x1 image surface; metrics are the same as on
/// any output surface because hint metrics are off.
class Measurer {
 public:
  explicit Measurer(std::string family);
  ~Measurer();
  Measurer(const Measurer&) = delete;
  Measurer& operator=(const Measurer&) = delete;
  TextSize measure(std::string_view text, Font font) const;

 private:
  struct Impl;
  Impl* impl_;
};

/// Runs `draw` on a surface of width x height points and returns the file's bytes.
std::string render(double width_pt, double height_pt, Format format, double dpi,
                   const std::string& font_family, const std::function<void(Canvas&)>& draw);

/// A framed message drawn in place of a figure, so that a reader sees why there is no plot.
void draw_message(Canvas& cv, double width, double height, const std::string& title,
                  const std::string& message, double font_pt);

/// A number as it appears in a figure: integers without decimals, otherwise `decimals` places.
std::string format_count(double v);

}  // namespace hazard::plot::detail
