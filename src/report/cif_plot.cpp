// Stacked cumulative incidence figure: per group a panel in which the causes' Aalen–Johansen
// curves are stacked (first cause at the bottom), so that each band's height is that cause's
// cumulative incidence and the top edge the probability of any failure (1 - event-free).
//
// Input contract (CifPlot, plot.hpp): per cause a right-continuous step function, estimate[i] on
// [time[i], time[i+1]), 0 before time[0]; times increasing, estimates in [0, 1]; the bands are
// drawn to the panel's last_time (the group's last follow-up; NaN = the end of the axis). Nothing
// is computed here beyond the running sums of the causes at the union of their times.
//
// Style: that of the Kaplan–Meier figure (km_plot.cpp): 7 in wide, 9 pt Liberation Sans,
// L-shaped axes with outward ticks, no grid, Okabe–Ito colours (bands at 55 % opacity, edges
// 1 pt), y axis 0–100 %; panels in a row (3 per row at most by default) share the x axis range.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "hazard/plot.hpp"
#include "report/canvas.hpp"

namespace hazard::plot {
namespace {

using detail::Canvas;
using detail::Font;
using detail::HAlign;
using detail::Point;
using detail::VAlign;

constexpr Rgb black{0, 0, 0};
constexpr Rgb grey{0.45, 0.45, 0.45};

std::string check_cause(const CifStackCause& c) {
  if (c.estimate.size() != c.time.size())
    return fmt::format("cause '{}': {} estimates for {} times", c.label, c.estimate.size(),
                       c.time.size());
  for (std::size_t i = 0; i < c.time.size(); ++i) {
    if (!std::isfinite(c.time[i]) || c.time[i] < 0)
      return fmt::format("cause '{}': time {} is not a finite non-negative number", c.label,
                         c.time[i]);
    if (i > 0 && c.time[i] < c.time[i - 1])
      return fmt::format("cause '{}': times are not in increasing order", c.label);
    if (!(c.estimate[i] >= 0 && c.estimate[i] <= 1 + 1e-12))
      return fmt::format("cause '{}': estimate {} is not a probability", c.label, c.estimate[i]);
  }
  return {};
}

// The value of a step function at t (0 before its first time).
double step_at(const CifStackCause& c, double t) {
  auto it = std::upper_bound(c.time.begin(), c.time.end(), t);
  if (it == c.time.begin()) return 0;
  return c.estimate[static_cast<std::size_t>(it - c.time.begin()) - 1];
}

}  // namespace

std::string render_cif(const CifPlot& plot, Format format) {
  const CifPlotOptions& o = plot.options;
  const double fs = o.font_pt > 0 ? o.font_pt : 9;
  const double W = (o.width_in > 0 ? o.width_in : 7) * 72;

  std::string problem;
  if (plot.panels.empty()) problem = "no groups to plot";
  double last_time = 0;
  std::size_t n_causes = 0;
  for (const CifPanel& p : plot.panels) {
    n_causes = std::max(n_causes, p.causes.size());
    if (std::isfinite(p.last_time)) last_time = std::max(last_time, p.last_time);
    for (const CifStackCause& c : p.causes) {
      if (problem.empty()) problem = check_cause(c);
      if (!c.time.empty()) last_time = std::max(last_time, c.time.back());
    }
  }
  if (problem.empty() && n_causes == 0) problem = "no causes to plot";
  if (!problem.empty()) {
    const double H = (o.panel_height_in > 0 ? o.panel_height_in : 3) * 72 + 40;
    return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
      detail::draw_message(cv, W, H, o.title, problem, fs);
    });
  }

  // ---- x axis, shared ----
  const TimeAxis axis = time_axis(o.x_step, o.x_max, last_time);
  const double x_max = axis.end;
  const std::vector<double>& ticks = axis.ticks;
  // fewer labels when the panels are narrow: every other tick
  const std::size_t n_panels = plot.panels.size();
  const std::size_t cols =
      o.columns > 0 ? std::min(o.columns, n_panels) : std::min<std::size_t>(3, n_panels);
  const std::size_t rows = (n_panels + cols - 1) / cols;

  // causes' labels and colours from the first panel that has them (the legend)
  std::vector<std::string> labels(n_causes);
  std::vector<Rgb> colours(n_causes);
  for (std::size_t k = 0; k < n_causes; ++k) colours[k] = okabe_ito()[k % okabe_ito().size()];
  for (const CifPanel& p : plot.panels)
    for (std::size_t k = 0; k < p.causes.size(); ++k) {
      if (labels[k].empty()) labels[k] = p.causes[k].label;
      if (p.causes[k].colour) colours[k] = *p.causes[k].colour;
    }

  const double tick_len = 4;
  const Font f_axis{.pt = fs};
  const Font f_bold{.pt = fs, .bold = true};
  const detail::Measurer mz(o.font_family);
  const double title_h = o.title.empty() ? 0 : fs * 1.3 * 1.4 + 4;
  const double legend_h = fs * 1.6;
  const double panel_title_h = fs * 1.5;
  const double axis_h = tick_len + 3 + fs * 1.25 + 4 + fs * 1.25 + 6;
  const double ytick_w = mz.measure(o.percent ? "100" : "1.0", f_axis).width;
  const double left = 6 + fs * 1.3 + 6 + ytick_w + 4 + tick_len;
  const double right = 12, gap_x = 14 + ytick_w;
  const double ph = (o.panel_height_in > 0 ? o.panel_height_in : 3) * 72;
  const double pw =
      (W - left - right - gap_x * static_cast<double>(cols - 1)) / static_cast<double>(cols);
  std::size_t foot_lines = 0;
  if (!o.footnote.empty())
    foot_lines =
        1 + static_cast<std::size_t>(std::count(o.footnote.begin(), o.footnote.end(), '\n'));
  const double foot_h = foot_lines ? static_cast<double>(foot_lines) * fs * 0.85 * 1.3 + 8 : 0;
  const double top = 10 + title_h + legend_h;
  const double row_h = panel_title_h + ph + axis_h;
  const double H = top + static_cast<double>(rows) * row_h + foot_h + 6;
  // label every tick only when there is room for them
  double widest = 0;
  for (double t : ticks)
    widest = std::max(widest, mz.measure(fmt::format("{:g}", t), f_axis).width);
  const std::size_t label_every = widest * static_cast<double>(ticks.size()) * 1.6 > pw ? 2 : 1;

  return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
    if (!o.title.empty()) {
      cv.colour(black);
      cv.text(left, 10, o.title, {.pt = fs * 1.3, .bold = true}, HAlign::left, VAlign::top);
    }
    // legend: one swatch per cause, in stacking order (bottom band first)
    double lx = left;
    const double ly = 10 + title_h;
    for (std::size_t k = 0; k < n_causes; ++k) {
      cv.colour(colours[k], 0.55);
      cv.fill_rect(lx, ly + fs * 0.2, fs * 1.6, fs * 0.9);
      cv.colour(colours[k]);
      cv.stroke_rect(lx, ly + fs * 0.2, fs * 1.6, fs * 0.9, 0.8);
      cv.colour(black);
      const detail::TextSize ts =
          cv.text(lx + fs * 2.0, ly, labels[k], f_axis, HAlign::left, VAlign::top);
      lx += fs * 2.0 + ts.width + fs * 1.5;
    }

    for (std::size_t pi = 0; pi < n_panels; ++pi) {
      const CifPanel& panel = plot.panels[pi];
      const std::size_t r = pi / cols, c = pi % cols;
      const double px = left + static_cast<double>(c) * (pw + gap_x);
      const double py = top + static_cast<double>(r) * row_h + panel_title_h;
      auto X = [&](double t) { return px + t / x_max * pw; };
      auto Y = [&](double f) { return py + (1 - f) * ph; };
      cv.colour(black);
      if (!panel.label.empty())
        cv.text(px, py - panel_title_h + 2, panel.label, f_bold, HAlign::left, VAlign::top);
      // axes
      cv.line({px, py}, {px, py + ph}, 0.8);
      cv.line({px, py + ph}, {px + pw, py + ph}, 0.8);
      for (int k = 0; k <= 5; ++k) {
        const double f = k / 5.0;
        cv.line({px - tick_len, Y(f)}, {px, Y(f)}, 0.8);
        cv.text(px - tick_len - 3, Y(f),
                o.percent ? fmt::format("{}", k * 20) : fmt::format("{:.1f}", f), f_axis,
                HAlign::right, VAlign::middle);
      }
      for (std::size_t k = 0; k < ticks.size(); ++k) {
        const double t = ticks[k];
        cv.line({X(t), py + ph}, {X(t), py + ph + tick_len}, 0.8);
        if (k % label_every == 0)
          cv.text(X(t), py + ph + tick_len + 2, fmt::format("{:g}", t), f_axis, HAlign::center,
                  VAlign::top);
      }
      cv.text(px + pw / 2, py + ph + tick_len + 3 + fs * 1.25 + 3, o.x_label, f_axis,
              HAlign::center, VAlign::top);
      if (c == 0)
        cv.text(6 + fs * 0.65, py + ph / 2, o.y_label, f_axis, HAlign::center, VAlign::middle, 90);

      // the union of the causes' times, and the running sums at each
      std::vector<double> times{0.0};
      for (const CifStackCause& cc : panel.causes)
        times.insert(times.end(), cc.time.begin(), cc.time.end());
      std::sort(times.begin(), times.end());
      times.erase(std::unique(times.begin(), times.end()), times.end());
      std::vector<double> lower(times.size(), 0.0), upper(times.size());
      // the bands end at the group's last follow-up time (within the axis)
      const double end = std::isfinite(panel.last_time) ? std::min(x_max, panel.last_time) : x_max;
      cv.clip(px, py - 2, pw + 2, ph + 4);
      for (std::size_t k = 0; k < panel.causes.size(); ++k) {
        for (std::size_t i = 0; i < times.size(); ++i)
          upper[i] = std::min(1.0, lower[i] + step_at(panel.causes[k], times[i]));
        // the band between the two step functions, out to the end of the axis
        std::vector<Point> up, lo;
        for (std::size_t i = 0; i < times.size(); ++i) {
          const double t0 = times[i], t1 = i + 1 < times.size() ? times[i + 1] : end;
          up.push_back({X(t0), Y(upper[i])});
          up.push_back({X(std::max(t0, t1)), Y(upper[i])});
          lo.push_back({X(t0), Y(lower[i])});
          lo.push_back({X(std::max(t0, t1)), Y(lower[i])});
        }
        std::vector<Point> poly = up;
        poly.insert(poly.end(), lo.rbegin(), lo.rend());
        const Rgb col = k < colours.size() ? colours[k] : grey;
        cv.colour(col, 0.55);
        cv.fill_polygon(poly);
        cv.colour(col);
        cv.polyline(up, 1.0);
        lower = upper;
      }
      cv.unclip();
    }
    if (!o.footnote.empty()) {
      cv.colour(grey);
      cv.text(8, H - foot_h, o.footnote, {.pt = fs * 0.85, .italic = true}, HAlign::left,
              VAlign::top);
    }
  });
}

}  // namespace hazard::plot
