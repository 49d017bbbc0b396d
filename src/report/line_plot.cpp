// x-y figures of fitted curves (hazard parametric): survival with the Kaplan–Meier estimate,
// hazard, and the log-cumulative-hazard diagnostic. Lines are clipped to the plot area; the axes
// take "nice" ticks (1, 2, 2.5, 5 x 10^k); the legend is a column at the right of the plot, so it
// never covers a curve. A figure without any finite point draws a message instead.
//
// Input contract (LineSeries, plot.hpp): x and y of the same length; a non-finite value breaks
// the line; step series are drawn as right-continuous step functions.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "hazard/plot.hpp"
#include "report/canvas.hpp"

namespace hazard::plot {

std::vector<double> nice_ticks(double lo, double hi, int target) {
  std::vector<double> ticks;
  if (!std::isfinite(lo) || !std::isfinite(hi) || !(hi > lo)) return ticks;
  const double raw = (hi - lo) / std::max(1, target);
  const double p10 = std::pow(10.0, std::floor(std::log10(raw)));
  double step = p10;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * p10 >= raw * 0.999) {
      step = m * p10;
      break;
    }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (int k = 0; k < 100; ++k) {
    const double t = first + k * step;
    if (t > hi + 1e-9 * step) break;
    ticks.push_back(std::fabs(t) < 1e-12 * step ? 0.0 : t);
  }
  return ticks;
}

namespace {

using detail::Canvas;
using detail::Font;
using detail::HAlign;
using detail::Point;
using detail::VAlign;

constexpr Rgb black{0, 0, 0};

std::string tick_label(double v, double step, bool percent) {
  if (percent) return fmt::format("{:g}", std::round(v * 1000) / 10);
  int decimals = 0;
  while (decimals < 6 && std::fabs(step * std::pow(10.0, decimals) - std::round(step * std::pow(10.0, decimals))) > 1e-6)
    ++decimals;
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace

std::string render_lines(const LinePlot& plot, Format format) {
  const LinePlotOptions& o = plot.options;
  const double fs = o.font_pt > 0 ? o.font_pt : 9;
  const double W = (o.width_in > 0 ? o.width_in : 8) * 72, H = (o.height_in > 0 ? o.height_in : 5) * 72;

  double x0 = o.x_min, x1 = o.x_max, y0 = o.y_min, y1 = o.y_max;
  double dx0 = INFINITY, dx1 = -INFINITY, dy0 = INFINITY, dy1 = -INFINITY;
  for (const LineSeries& s : plot.series)
    for (std::size_t i = 0; i < std::min(s.x.size(), s.y.size()); ++i)
      if (std::isfinite(s.x[i]) && std::isfinite(s.y[i])) {
        dx0 = std::min(dx0, s.x[i]);
        dx1 = std::max(dx1, s.x[i]);
        dy0 = std::min(dy0, s.y[i]);
        dy1 = std::max(dy1, s.y[i]);
      }
  if (!std::isfinite(dx0)) {
    return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
      detail::draw_message(cv, W, H, o.title, "no finite points to plot", fs);
    });
  }
  if (!std::isfinite(x0)) x0 = dx0;
  if (!std::isfinite(x1)) x1 = dx1;
  if (!std::isfinite(y0)) y0 = dy0;
  if (!std::isfinite(y1)) y1 = dy1;
  if (!(x1 > x0)) x1 = x0 + 1;
  if (!(y1 > y0)) {
    y0 -= 0.5;
    y1 += 0.5;
  }
  const std::vector<double> xt = nice_ticks(x0, x1), yt = nice_ticks(y0, y1);
  const double xstep = xt.size() > 1 ? xt[1] - xt[0] : 1, ystep = yt.size() > 1 ? yt[1] - yt[0] : 1;

  const Font f_axis{.pt = fs};
  const detail::Measurer mz(o.font_family);
  // legend column
  std::vector<std::size_t> legend;
  double legend_w = 0;
  for (std::size_t i = 0; i < plot.series.size(); ++i)
    if (!plot.series[i].label.empty()) {
      legend.push_back(i);
      legend_w = std::max(legend_w, mz.measure(plot.series[i].label, f_axis).width);
    }
  const double sample_w = 20, gap = 5;
  const double legend_total = legend.empty() ? 0 : sample_w + gap + legend_w + 14;
  double ytick_w = 0;
  for (double v : yt) ytick_w = std::max(ytick_w, mz.measure(tick_label(v, ystep, o.percent), f_axis).width);
  const double tick_len = 4;
  const double title_h = o.title.empty() ? 0 : fs * 1.3 * 1.4 + 4;
  std::size_t foot_lines = 0;
  if (!o.footnote.empty())
    foot_lines = 1 + static_cast<std::size_t>(std::count(o.footnote.begin(), o.footnote.end(), '\n'));
  const double foot_h = foot_lines ? static_cast<double>(foot_lines) * fs * 0.85 * 1.3 + 8 : 0;
  const double px = 6 + fs * 1.3 + 6 + ytick_w + 4 + tick_len;
  const double py = 10 + title_h;
  const double pw = std::max(72.0, W - px - 12 - legend_total);
  const double axis_h = tick_len + 3 + fs * 1.25 + 4 + fs * 1.25 + 6;
  const double ph = std::max(72.0, H - py - axis_h - foot_h - 6);
  auto colour_of = [&](std::size_t i) {
    return plot.series[i].colour ? *plot.series[i].colour : okabe_ito()[i % okabe_ito().size()];
  };

  return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
    auto X = [&](double x) { return px + (x - x0) / (x1 - x0) * pw; };
    auto Y = [&](double y) { return py + (1 - (y - y0) / (y1 - y0)) * ph; };
    cv.colour(black);
    if (!o.title.empty()) cv.text(px, 10, o.title, {.pt = fs * 1.3, .bold = true}, HAlign::left, VAlign::top);
    cv.line({px, py}, {px, py + ph}, 0.8);
    cv.line({px, py + ph}, {px + pw, py + ph}, 0.8);
    for (double v : yt) {
      cv.line({px - tick_len, Y(v)}, {px, Y(v)}, 0.8);
      cv.text(px - tick_len - 3, Y(v), tick_label(v, ystep, o.percent), f_axis, HAlign::right, VAlign::middle);
    }
    for (double v : xt) {
      cv.line({X(v), py + ph}, {X(v), py + ph + tick_len}, 0.8);
      cv.text(X(v), py + ph + tick_len + 2, tick_label(v, xstep, false), f_axis, HAlign::center, VAlign::top);
    }
    cv.text(px + pw / 2, py + ph + tick_len + 3 + fs * 1.25 + 3, o.x_label, f_axis, HAlign::center, VAlign::top);
    cv.text(6 + fs * 0.65, py + ph / 2, o.y_label, f_axis, HAlign::center, VAlign::middle, 90);

    cv.clip(px, py - 2, pw + 2, ph + 4);
    for (std::size_t i = 0; i < plot.series.size(); ++i) {
      const LineSeries& s = plot.series[i];
      cv.colour(colour_of(i));
      std::vector<Point> pts;
      auto flush = [&] {
        if (pts.size() >= 2) cv.polyline(pts, s.width, s.dash);
        pts.clear();
      };
      const std::size_t n = std::min(s.x.size(), s.y.size());
      for (std::size_t k = 0; k < n; ++k) {
        if (!std::isfinite(s.x[k]) || !std::isfinite(s.y[k])) {
          flush();
          continue;
        }
        // keep far-off values drawable (cairo coordinates must stay finite and moderate)
        const double yk = std::clamp(s.y[k], y0 - 10 * (y1 - y0), y1 + 10 * (y1 - y0));
        if (s.step && !pts.empty()) pts.push_back({X(s.x[k]), pts.back().y});
        pts.push_back({X(s.x[k]), Y(yk)});
      }
      flush();
    }
    cv.unclip();

    double ly = py + 4;
    const double lx = px + pw + 14;
    for (std::size_t i : legend) {
      const LineSeries& s = plot.series[i];
      cv.colour(colour_of(i));
      cv.line({lx, ly + fs * 0.7}, {lx + sample_w, ly + fs * 0.7}, s.width, s.dash);
      cv.colour(black);
      cv.text(lx + sample_w + gap, ly, s.label, f_axis, HAlign::left, VAlign::top);
      ly += fs * 1.45;
    }
    if (!o.footnote.empty()) {
      cv.colour({0.35, 0.35, 0.35});
      cv.text(8, H - foot_h + 2, o.footnote, {.pt = fs * 0.85}, HAlign::left, VAlign::top);
    }
  });
}

}  // namespace hazard::plot
