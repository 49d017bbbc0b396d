// The drawing library behind the figures' Canvas (canvas.hpp): cairo + pango.
//
// Why these choices:
// * Everything is laid out in points; the PNG surface is scaled by dpi / 72, so a 7-inch figure is
//   the same drawing at any resolution.
// * Font sizes are absolute in user units (points), not pango's 96-dpi "points", and hint metrics
//   are off: text widths are then the same on the SVG, PDF and PNG surfaces.
// * Text is set with pango_layout_set_text, never as markup, so labels from data ("<65") are shown
//   literally.
// * SVG text is emitted by cairo as glyph outlines: the file needs no fonts to display.
// The program `hazard` does not link this file: it loads it with the module hazard_module
// (cli/optional_libraries.cpp), so that only commands that draw load cairo and pango.
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>

#include "hazard/error.hpp"
#include "report/canvas.hpp"

namespace hazard::plot::detail {

namespace {

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

/// cairo names SVG groups "surfaceN" from a process-wide counter, so the same figure drawn twice
/// differs; renumbering the ids in order of appearance makes the output depend only on the figure.
std::string renumber_svg_surfaces(const std::string& svg) {
  static constexpr std::string_view key = "surface";
  std::string out;
  out.reserve(svg.size());
  std::vector<std::pair<std::string, int>> seen;
  std::size_t i = 0;
  while (i < svg.size()) {
    std::size_t p = svg.find(key, i);
    if (p == std::string::npos) break;
    std::size_t q = p + key.size();
    while (q < svg.size() && svg[q] >= '0' && svg[q] <= '9') ++q;
    out.append(svg, i, q - i);  // up to and including the digits, replaced below if any
    if (q > p + key.size()) {
      std::string old = svg.substr(p + key.size(), q - p - key.size());
      int id = 0;
      for (const auto& [name, n] : seen)
        if (name == old) id = n;
      if (id == 0) {
        id = static_cast<int>(seen.size()) + 1;
        seen.emplace_back(old, id);
      }
      out.resize(out.size() - old.size());
      out += std::to_string(id);
    }
    i = q;
  }
  out.append(svg, i, std::string::npos);
  return out;
}

struct ReadState {
  std::string_view bytes;
  std::size_t pos = 0;
};

cairo_status_t read_bytes(void* closure, unsigned char* data, unsigned int length) {
  auto* s = static_cast<ReadState*>(closure);
  if (s->bytes.size() - s->pos < length) return CAIRO_STATUS_READ_ERROR;
  std::memcpy(data, s->bytes.data() + s->pos, length);
  s->pos += length;
  return CAIRO_STATUS_SUCCESS;
}

using SurfacePtr = std::unique_ptr<cairo_surface_t, void (*)(cairo_surface_t*)>;

SurfacePtr decode_png(std::string_view png) {
  static constexpr unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  const Location where{.file = "<png>", .line = 0, .column = "", .value = "", .has_value = false};
  if (png.size() < 8 || std::memcmp(png.data(), signature, 8) != 0)
    throw DataError(where, "not a PNG file (bad signature)");
  ReadState state{png, 0};
  SurfacePtr s(cairo_image_surface_create_from_png_stream(read_bytes, &state),
               cairo_surface_destroy);
  if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
    throw DataError(where, "unreadable PNG file");
  cairo_surface_flush(s.get());
  return s;
}

/// Calls f(pixel) for every pixel (cairo ARGB32, native-endian 32-bit words).
template <class F>
void each_pixel(cairo_surface_t* s, F f) {
  const int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
  const int stride = cairo_image_surface_get_stride(s);
  const unsigned char* data = cairo_image_surface_get_data(s);
  if (!data) return;
  for (int y = 0; y < h; ++y) {
    const unsigned char* row = data + static_cast<std::ptrdiff_t>(y) * stride;
    for (int x = 0; x < w; ++x) {
      std::uint32_t px;
      std::memcpy(&px, row + 4 * x, 4);
      f(px);
    }
  }
}

PngStats png_stats_of(std::string_view png) {
  SurfacePtr s = decode_png(png);
  PngStats st;
  st.width = cairo_image_surface_get_width(s.get());
  st.height = cairo_image_surface_get_height(s.get());
  if (st.width == 0 || st.height == 0) return st;
  std::uint32_t background;
  std::memcpy(&background, cairo_image_surface_get_data(s.get()), 4);
  each_pixel(s.get(), [&](std::uint32_t px) {
    if (px != background) ++st.non_background;
  });
  return st;
}

std::size_t png_colour_pixels_of(std::string_view png, Rgb colour, double tolerance) {
  SurfacePtr s = decode_png(png);
  std::size_t count = 0;
  const double t = tolerance * 255;
  each_pixel(s.get(), [&](std::uint32_t px) {
    if ((px >> 24) != 0xff) return;  // only opaque pixels (no premultiplication to undo)
    const double r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
    if (std::fabs(r - colour.r * 255) <= t && std::fabs(g - colour.g * 255) <= t &&
        std::fabs(b - colour.b * 255) <= t)
      ++count;
  });
  return count;
}

void set_dash(cairo_t* cr, const std::vector<double>& dash) {
  cairo_set_dash(cr, dash.empty() ? nullptr : dash.data(), static_cast<int>(dash.size()), 0);
}

using LayoutPtr = std::unique_ptr<PangoLayout, void (*)(void*)>;

LayoutPtr make_layout(cairo_t* cr, const std::string& family, std::string_view text, Font font,
                      HAlign h) {
  PangoLayout* layout = pango_cairo_create_layout(cr);
  cairo_font_options_t* fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options(pango_layout_get_context(layout), fo);
  cairo_font_options_destroy(fo);
  pango_layout_context_changed(layout);
  PangoFontDescription* desc = pango_font_description_from_string(family.c_str());
  pango_font_description_set_absolute_size(desc, font.pt * PANGO_SCALE);
  pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style(desc, font.italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
  pango_layout_set_font_description(layout, desc);
  pango_font_description_free(desc);
  pango_layout_set_alignment(layout, h == HAlign::left     ? PANGO_ALIGN_LEFT
                                     : h == HAlign::center ? PANGO_ALIGN_CENTER
                                                           : PANGO_ALIGN_RIGHT);
  pango_layout_set_text(layout, text.data(), static_cast<int>(text.size()));
  return LayoutPtr(layout, g_object_unref);
}

TextSize layout_size(PangoLayout* layout) {
  PangoRectangle logical;
  pango_layout_get_extents(layout, nullptr, &logical);
  return {static_cast<double>(logical.width) / PANGO_SCALE,
          static_cast<double>(logical.height) / PANGO_SCALE};
}

/// A canvas drawing on a cairo context that the caller owns.
class CairoCanvas : public Canvas {
 public:
  CairoCanvas(cairo_t* cr, std::string family) : cr_(cr), family_(std::move(family)) {}

  void colour(Rgb c, double alpha) override { cairo_set_source_rgba(cr_, c.r, c.g, c.b, alpha); }

  void polyline(const std::vector<Point>& pts, double width, std::vector<double> dash) override {
    if (pts.size() < 2) return;
    cairo_new_path(cr_);
    cairo_move_to(cr_, pts[0].x, pts[0].y);
    for (std::size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].x, pts[i].y);
    cairo_set_line_width(cr_, width);
    cairo_set_line_join(cr_, CAIRO_LINE_JOIN_MITER);
    cairo_set_line_cap(cr_, CAIRO_LINE_CAP_BUTT);
    set_dash(cr_, dash);
    cairo_stroke(cr_);
    set_dash(cr_, {});
  }

  void fill_polygon(const std::vector<Point>& pts) override {
    if (pts.size() < 3) return;
    cairo_new_path(cr_);
    cairo_move_to(cr_, pts[0].x, pts[0].y);
    for (std::size_t i = 1; i < pts.size(); ++i) cairo_line_to(cr_, pts[i].x, pts[i].y);
    cairo_close_path(cr_);
    cairo_fill(cr_);
  }

  void fill_rect(double x, double y, double w, double h) override {
    cairo_new_path(cr_);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_fill(cr_);
  }

  void stroke_rect(double x, double y, double w, double h, double width) override {
    cairo_new_path(cr_);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_set_line_width(cr_, width);
    cairo_stroke(cr_);
  }

  void clip(double x, double y, double w, double h) override {
    cairo_save(cr_);
    cairo_new_path(cr_);
    cairo_rectangle(cr_, x, y, w, h);
    cairo_clip(cr_);
  }

  void unclip() override { cairo_restore(cr_); }

  TextSize measure(std::string_view text, Font font) const override {
    auto layout = make_layout(cr_, family_, text, font, HAlign::left);
    return layout_size(layout.get());
  }

  TextSize text(double x, double y, std::string_view text, Font font, HAlign h, VAlign v,
                double angle) override {
    auto layout = make_layout(cr_, family_, text, font, h);
    TextSize size = layout_size(layout.get());
    cairo_save(cr_);
    if (angle != 0) {
      cairo_translate(cr_, x, y);
      cairo_rotate(cr_, -angle * M_PI / 180.0);
      cairo_move_to(cr_, -size.width / 2, -size.height / 2);
    } else {
      double dx = h == HAlign::left ? 0 : h == HAlign::center ? -size.width / 2 : -size.width;
      double dy = v == VAlign::top ? 0 : v == VAlign::middle ? -size.height / 2 : -size.height;
      cairo_move_to(cr_, x + dx, y + dy);
    }
    pango_cairo_show_layout(cr_, layout.get());
    cairo_restore(cr_);
    return size;
  }

 private:
  cairo_t* cr_;
  std::string family_;
};

using ContextPtr = std::unique_ptr<cairo_t, void (*)(cairo_t*)>;

/// The 1x1 image surface and context a measuring canvas owns (a base, so that they exist before
/// the canvas that draws on them).
struct OneByOneSurface {
  SurfacePtr surface{cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1), cairo_surface_destroy};
  ContextPtr cr{cairo_create(surface.get()), cairo_destroy};
};

class MeasuringCanvas final : private OneByOneSurface, public CairoCanvas {
 public:
  explicit MeasuringCanvas(const std::string& family)
      : CairoCanvas(OneByOneSurface::cr.get(), family) {}
};

/// cairo stamps PDFs with the current time; the reproducible-builds convention SOURCE_DATE_EPOCH
/// (seconds since 1970) fixes it, so that reruns are byte-identical.
void set_pdf_date_from_environment(cairo_surface_t* surface) {
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (!epoch) return;
  char* end = nullptr;
  const long long secs = std::strtoll(epoch, &end, 10);
  if (end == epoch || *end != '\0' || secs < 0) return;
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, date);
}

class CairoBackend final : public CanvasBackend {
 public:
  std::unique_ptr<Canvas> measuring_canvas(const std::string& family) const override {
    return std::make_unique<MeasuringCanvas>(family);
  }

  std::string render(double width_pt, double height_pt, Format format, double dpi,
                     const std::string& font_family,
                     const std::function<void(Canvas&)>& draw) const override {
    std::string bytes;
    cairo_surface_t* surface = nullptr;
    double scale = 1.0;
    switch (format) {
      case Format::svg:
        surface = cairo_svg_surface_create_for_stream(append_bytes, &bytes, width_pt, height_pt);
        cairo_svg_surface_set_document_unit(surface, CAIRO_SVG_UNIT_PT);
        break;
      case Format::pdf:
        surface = cairo_pdf_surface_create_for_stream(append_bytes, &bytes, width_pt, height_pt);
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "hazard");
        set_pdf_date_from_environment(surface);
        break;
      case Format::png:
        scale = (dpi > 0 ? dpi : 300) / 72.0;
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32,
                                             static_cast<int>(std::lround(width_pt * scale)),
                                             static_cast<int>(std::lround(height_pt * scale)));
        break;
    }
    SurfacePtr sguard(surface, cairo_surface_destroy);
    if (cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
      throw IoError(std::string("cannot create a drawing surface: ") +
                    cairo_status_to_string(cairo_surface_status(surface)));
    ContextPtr cguard(cairo_create(surface), cairo_destroy);
    cairo_t* cr = cguard.get();
    cairo_scale(cr, scale, scale);
    // White background in every format: figures are pasted into documents of any colour.
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    CairoCanvas canvas(cr, font_family);
    draw(canvas);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
      throw IoError(std::string("drawing failed: ") + cairo_status_to_string(cairo_status(cr)));
    cguard.reset();
    if (format == Format::png) {
      cairo_surface_flush(surface);
      if (cairo_surface_write_to_png_stream(surface, append_bytes, &bytes) != CAIRO_STATUS_SUCCESS)
        throw IoError("cannot encode PNG");
    }
    cairo_surface_finish(surface);  // flushes SVG/PDF into `bytes`
    if (format == Format::svg) bytes = renumber_svg_surfaces(bytes);
    return bytes;
  }

  PngStats png_stats(std::string_view png) const override { return png_stats_of(png); }

  std::size_t png_colour_pixels(std::string_view png, Rgb colour, double tolerance) const override {
    return png_colour_pixels_of(png, colour, tolerance);
  }
};

}  // namespace

const CanvasBackend& canvas_backend() {
  static const CairoBackend backend;
  return backend;
}

}  // namespace hazard::plot::detail
