// A small drawing surface in points (1/72 inch), shared by the figures, and the drawing library
// behind it (cairo + pango: cairo_canvas.cpp).
//
// A figure is a function that draws on a Canvas; `render` runs it once on a surface of the
// requested format (SVG, PDF: vector, in points; PNG: ARGB image at the requested dpi on white) and
// returns the file's bytes. The same code therefore produces all three formats. Text metrics do not
// depend on the surface (hint metrics off), so the layout is identical in every format.
//
// Canvas and CanvasBackend are interfaces so that the drawing library can live in a module loaded
// on first use: the program `hazard` defines canvas_backend() itself (cli/optional_libraries.cpp)
// and loads cairo, pango and their ~30 libraries only when a command draws a figure. Everything
// else linking the library gets cairo_canvas.cpp's definition, linked as usual.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hazard/plot.hpp"

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
  virtual ~Canvas() = default;

  virtual void colour(Rgb c, double alpha = 1.0) = 0;
  void line(Point a, Point b, double width, std::vector<double> dash = {}) {
    polyline({a, b}, width, std::move(dash));
  }
  virtual void polyline(const std::vector<Point>& pts, double width,
                        std::vector<double> dash = {}) = 0;
  virtual void fill_polygon(const std::vector<Point>& pts) = 0;
  virtual void fill_rect(double x, double y, double w, double h) = 0;
  virtual void stroke_rect(double x, double y, double w, double h, double width) = 0;
  /// Restricts drawing to a rectangle until `unclip`.
  virtual void clip(double x, double y, double w, double h) = 0;
  virtual void unclip() = 0;

  /// Size of a (possibly multi-line) text in points.
  virtual TextSize measure(std::string_view text, Font font) const = 0;
  /// Draws text anchored at (x, y) with the given alignment; returns its size. Multi-line text is
  /// aligned line by line as `h` says. `angle` in degrees, counter-clockwise (only used for the
  /// y-axis label; the anchor is then the rotated box's centre).
  virtual TextSize text(double x, double y, std::string_view text, Font font,
                        HAlign h = HAlign::left, VAlign v = VAlign::top, double angle = 0) = 0;
};

/// The drawing library: makes canvases, renders figures to file bytes and reads PNG files back.
class CanvasBackend {
 public:
  virtual ~CanvasBackend() = default;
  /// A canvas on a 1x1 image surface that it owns, for measuring text before a figure is laid out.
  virtual std::unique_ptr<Canvas> measuring_canvas(const std::string& family) const = 0;
  /// Runs `draw` on a surface of width x height points and returns the file's bytes.
  virtual std::string render(double width_pt, double height_pt, Format format, double dpi,
                             const std::string& font_family,
                             const std::function<void(Canvas&)>& draw) const = 0;
  virtual PngStats png_stats(std::string_view png) const = 0;
  virtual std::size_t png_colour_pixels(std::string_view png, Rgb colour,
                                        double tolerance) const = 0;
};

/// The backend in use: cairo + pango (cairo_canvas.cpp), or in the program `hazard` the same code
/// loaded from its module on first call (cli/optional_libraries.cpp). Throws IoError when the
/// module cannot be loaded.
const CanvasBackend& canvas_backend();

/// Text measurement before drawing (layouts that depend on text widths are computed first, so
/// the figure's height can depend on them). Owns a 1x1 image surface; metrics are the same as on
/// any output surface because hint metrics are off.
class Measurer {
 public:
  explicit Measurer(const std::string& family)
      : canvas_(canvas_backend().measuring_canvas(family)) {}
  TextSize measure(std::string_view text, Font font) const { return canvas_->measure(text, font); }

 private:
  std::unique_ptr<Canvas> canvas_;
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
