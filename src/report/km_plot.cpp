// Kaplan–Meier figure: step curves per arm with censor marks, optional confidence bands, median
// drop lines, a legend with medians, an annotation (HR, p), and the number-at-risk table under the
// plot aligned to the x ticks (optionally cumulative events and censored, as KMunicate recommends:
// Morris et al., BMJ Open 2019;9:e030215).
//
// Input contract (KmCurve, plot.hpp): per arm the estimator's table, one entry per distinct time in
// increasing order; surv[i] holds on [time[i], time[i+1]); the curve starts at 1 at time 0.
// Risk-table counts at tick t: at risk = n_risk of the first time >= t (0 after the last time, n at
// t = 0), events and censored = sums over times < t. So at risk + events + censored = n (unweighted,
// no delayed entry), which is how KMunicate tables read.
//
// Style: journal figure, 7 in wide, 9 pt Liberation Sans (Arial metrics), L-shaped axes with outward
// ticks, no grid, Okabe–Ito colours, 1.5 pt curves, y axis 0–100 %.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "hazard/plot.hpp"
#include "report/canvas.hpp"

namespace hazard::plot {

double auto_tick_step(double x_max) {
  static constexpr double steps[] = {0.1, 0.2, 0.25, 0.5, 1,   2,   3,   6,    12,   24,
                                     36,  48,  60,   120, 180, 240, 360, 500, 1000, 2000};
  if (!(x_max > 0) || !std::isfinite(x_max)) return 1;
  for (double s : steps)
    if (x_max / s <= 12 + 1e-9) return s;
  double s = std::pow(10.0, std::ceil(std::log10(x_max / 12)));
  return s;
}

TimeAxis time_axis(double x_step, double x_max, double last_time) {
  TimeAxis a;
  a.step = x_step > 0 ? x_step : 0;
  a.end = x_max > 0 ? x_max : 0;
  if (a.end <= 0) {
    const double reach = last_time > 0 ? last_time : 1;
    if (a.step <= 0) a.step = auto_tick_step(reach);
    a.end = std::ceil(reach / a.step - 1e-9) * a.step;
  } else if (a.step <= 0) {
    a.step = auto_tick_step(a.end);
  }
  for (int k = 0;; ++k) {
    const double t = k * a.step;
    if (t > a.end * (1 + 1e-9)) break;
    a.ticks.push_back(t);
    if (k > 200) break;
  }
  return a;
}

RiskCounts risk_counts(const KmCurve& c, double t) {
  RiskCounts r;
  const double n = std::isfinite(c.n) ? c.n : (c.n_risk.empty() ? 0 : c.n_risk.front());
  // First time >= t: the curve's times are sorted.
  auto it = std::lower_bound(c.time.begin(), c.time.end(), t);
  const std::size_t k = static_cast<std::size_t>(it - c.time.begin());
  for (std::size_t i = 0; i < k; ++i) {
    if (i < c.n_event.size()) r.events += c.n_event[i];
    if (i < c.n_censor.size()) r.censored += c.n_censor[i];
  }
  if (k == 0)
    r.at_risk = n;
  else if (k < c.n_risk.size())
    r.at_risk = c.n_risk[k];
  else
    r.at_risk = 0;
  return r;
}

namespace {

using detail::Canvas;
using detail::Font;
using detail::HAlign;
using detail::Point;
using detail::VAlign;

constexpr Rgb black{0, 0, 0};
constexpr Rgb grey{0.45, 0.45, 0.45};

Rgb curve_colour(const KmCurve& c, std::size_t i) {
  return c.colour ? *c.colour : okabe_ito()[i % okabe_ito().size()];
}

// Line type of curve i of n: solid for two arms; with three or more, solid, dashed, dotted,
// dash-dot, long dash, ... so that arms stay apart in print and for colour-blind readers.
std::vector<double> curve_dash(std::size_t i, std::size_t n) {
  static const std::vector<std::vector<double>> dashes = {{},      {6, 3}, {1.5, 2}, {6, 2, 1.5, 2},
                                                          {10, 3}, {3, 3}};
  if (n < 3) return {};
  return dashes[i % dashes.size()];
}

/// Empty string when the curve is usable, otherwise why not.
std::string check_curve(const KmCurve& c) {
  const std::size_t m = c.time.size();
  auto bad = [&](const char* what, std::size_t got) {
    return fmt::format("curve '{}': {} has {} values for {} times", c.label, what, got, m);
  };
  if (c.surv.size() != m) return bad("surv", c.surv.size());
  if (!c.lower.empty() && c.lower.size() != m) return bad("lower", c.lower.size());
  if (!c.upper.empty() && c.upper.size() != m) return bad("upper", c.upper.size());
  if (!c.n_risk.empty() && c.n_risk.size() != m) return bad("n_risk", c.n_risk.size());
  if (!c.n_event.empty() && c.n_event.size() != m) return bad("n_event", c.n_event.size());
  if (!c.n_censor.empty() && c.n_censor.size() != m) return bad("n_censor", c.n_censor.size());
  for (std::size_t i = 0; i < m; ++i) {
    if (!std::isfinite(c.time[i]) || c.time[i] < 0)
      return fmt::format("curve '{}': time {} is not a finite non-negative number", c.label, c.time[i]);
    if (i > 0 && c.time[i] < c.time[i - 1])
      return fmt::format("curve '{}': times are not in increasing order", c.label);
  }
  return {};
}

std::string median_text(const KmCurve& c, const std::string& units) {
  if (!std::isfinite(c.median)) return "median not reached";
  return fmt::format("median {:.1f}{}{}", c.median, units.empty() ? "" : " ", units);
}

}  // namespace

std::string render_km(const KmPlot& plot, Format format) {
  const KmPlotOptions& o = plot.options;
  const double fs = o.font_pt > 0 ? o.font_pt : 9;
  const double W = (o.width_in > 0 ? o.width_in : 7) * 72;

  // ---- what is drawable ----
  std::string problem;
  if (plot.curves.empty()) problem = "no curves: the data have no patients in any arm";
  for (const KmCurve& c : plot.curves)
    if (problem.empty()) problem = check_curve(c);
  double last_time = 0;
  bool any_point = false;
  for (const KmCurve& c : plot.curves)
    if (!c.time.empty()) {
      any_point = true;
      last_time = std::max(last_time, c.time.back());
    }
  if (problem.empty() && !any_point) problem = "no times to plot: every arm is empty";
  if (!problem.empty()) {
    const double H = (o.height_in > 0 ? o.height_in : 4.5) * 72;
    return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
      detail::draw_message(cv, W, H, o.title, problem, fs);
    });
  }

  // ---- x axis ----
  const TimeAxis axis = time_axis(o.x_step, o.x_max, last_time);
  const double x_max = axis.end;
  const std::vector<double>& ticks = axis.ticks;

  // ---- layout (points) ----
  std::vector<Rgb> colours;
  for (std::size_t i = 0; i < plot.curves.size(); ++i) colours.push_back(curve_colour(plot.curves[i], i));

  const double tick_len = 4;
  const double row_h = fs * 1.45;
  const bool table = o.risk_table;
  const bool kmunicate = table && o.events_censored;
  const std::size_t table_rows =
      table ? (kmunicate ? plot.curves.size() * 4 : plot.curves.size()) : 0;
  const double title_h = o.title.empty() ? 0 : fs * 1.3 * 1.4 + 4;
  const double axis_h = tick_len + 3 + fs * 1.25 + 4 + fs * 1.25 + 6;
  const double table_h = table ? fs * 1.3 * 1.4 + static_cast<double>(table_rows) * row_h + 6 : 0;
  std::size_t foot_lines = 0;
  if (!o.footnote.empty())
    foot_lines = 1 + static_cast<std::size_t>(std::count(o.footnote.begin(), o.footnote.end(), '\n'));
  const double foot_h = foot_lines ? static_cast<double>(foot_lines) * fs * 0.85 * 1.3 + 8 : 0;

  const Font f_axis{.pt = fs};
  const Font f_label{.pt = fs};
  const Font f_table{.pt = fs * 0.95};
  const Font f_bold{.pt = fs, .bold = true};
  const detail::Measurer mz(o.font_family);

  // Left margin: y tick labels + y label, or the risk table's row labels, whichever is wider. In
  // the KMunicate layout arm names have their own row, so only "Censored" must fit.
  const double ytick_w = mz.measure(o.percent ? "100" : "1.0", f_axis).width;
  double left = 6 + fs * 1.3 + 6 + ytick_w + 4 + tick_len;
  if (table) {
    double lw = kmunicate ? mz.measure("Censored", f_table).width + fs * 1.2 : 0;
    if (!kmunicate)
      for (const KmCurve& c : plot.curves) lw = std::max(lw, mz.measure(c.label, f_bold).width);
    left = std::max(left, 8 + lw + 18);  // room for half of a centred count at tick 0
  }
  const double right = 16;
  const double px = left, pw = W - left - right;

  // Legend (one line per arm, with its median) and annotation, in one box.
  std::vector<std::string> entries;
  for (const KmCurve& c : plot.curves)
    entries.push_back(o.legend_medians ? c.label + " (" + median_text(c, o.units) + ")" : c.label);
  const double sample_w = 18, gap = 5, pad = 4;
  double box_w = 0, box_h = 0;
  for (const auto& e : entries) {
    box_w = std::max(box_w, sample_w + gap + mz.measure(e, f_axis).width);
    box_h += fs * 1.45;
  }
  if (!o.annotation.empty()) {
    const detail::TextSize ann = mz.measure(o.annotation, f_axis);
    box_w = std::max(box_w, ann.width);
    box_h += fs * 0.6 + ann.height;
  }
  box_w += 2 * pad;
  box_h += 2 * pad;

  // Where the box goes: candidate places inside the plot, in order of preference; the one
  // covering the least ink wins. Covering a curve costs most, a median drop line less, a
  // (translucent) CI band least. If every place covers a curve, the box goes above the plot.
  // Coordinates here are relative to the plot area (0..pw, 0..plot_h).
  const double plot_h0 = W * 0.46;
  auto s_at = [&](const KmCurve& c, double t) {
    double s = 1;
    for (std::size_t i = 0; i < c.time.size() && c.time[i] <= t; ++i)
      if (std::isfinite(c.surv[i])) s = c.surv[i];
    return s;
  };
  double max_median = -1;
  for (const KmCurve& c : plot.curves)
    if (std::isfinite(c.median) && c.median <= x_max) max_median = std::max(max_median, c.median);
  auto cost = [&](double bx, double by) {
    // The step function is monotone, so over [t0, t1] a curve spans [S(t1), S(t0)].
    const double t0 = bx / pw * x_max, t1 = (bx + box_w) / pw * x_max;
    const double s_hi = 1 - by / plot_h0, s_lo = 1 - (by + box_h) / plot_h0;
    auto hits = [&](double lo, double hi) { return hi >= s_lo && lo <= s_hi; };
    double total = 0;
    if (bx < 0 || bx + box_w > pw || by < 0 || by + box_h > plot_h0) total += 100;
    for (const KmCurve& c : plot.curves) {
      if (c.time.empty()) continue;
      if (hits(s_at(c, t1), s_at(c, t0))) total += 10;
      if (o.ci_bands && !c.upper.empty() && !c.lower.empty()) {
        double lo = 1, hi = 0;
        for (std::size_t i = 0; i < c.time.size(); ++i) {
          const double start = c.time[i], end = i + 1 < c.time.size() ? c.time[i + 1] : start;
          if (end < t0 || start > t1) continue;
          if (std::isfinite(c.lower[i])) lo = std::min(lo, c.lower[i]);
          if (std::isfinite(c.upper[i])) hi = std::max(hi, c.upper[i]);
        }
        if (lo <= hi && hits(lo, hi)) total += 1;
      }
      if (o.median_lines && std::isfinite(c.median) && c.median >= t0 && c.median <= t1 && s_lo < 0.5)
        total += 3;
    }
    if (o.median_lines && max_median >= 0 && s_lo <= 0.5 && s_hi >= 0.5 && t0 < max_median) total += 3;
    return total;
  };
  const double m = 8;
  const std::vector<Point> places = {{pw - box_w - m, m},
                                     {m + 12, plot_h0 - box_h - m},
                                     {pw - box_w - m, plot_h0 - box_h - m},
                                     {pw - box_w - m, (plot_h0 - box_h) / 2},
                                     {(pw - box_w) / 2, plot_h0 - box_h - m},
                                     {(pw - box_w) / 2, m}};
  Point box = places[0];
  double best = cost(box.x, box.y);
  for (const Point& c : places) {
    const double v = cost(c.x, c.y);
    if (v < best) {
      best = v;
      box = c;
    }
  }
  const bool box_above = best >= 10;
  const double above_h = box_above ? box_h + 6 : 0;

  const double top = 10 + title_h + above_h;
  const double H = o.height_in > 0 ? o.height_in * 72
                                   : top + plot_h0 + axis_h + table_h + foot_h + 6;
  const double py = top;
  const double ph = o.height_in > 0 ? std::max(72.0, H - top - axis_h - table_h - foot_h - 6) : plot_h0;
  const Point at = box_above ? Point{px, 10 + title_h} : Point{px + box.x, py + box.y * ph / plot_h0};

  return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
    auto X = [&](double t) { return px + t / x_max * pw; };
    auto Y = [&](double s) { return py + (1 - s) * ph; };

    if (!o.title.empty()) {
      cv.colour(black);
      cv.text(px, 10, o.title, {.pt = fs * 1.3, .bold = true}, HAlign::left, VAlign::top);
    }

    // ---- axes ----
    cv.colour(black);
    cv.line({px, py}, {px, py + ph}, 0.8);
    cv.line({px, py + ph}, {px + pw, py + ph}, 0.8);
    for (int k = 0; k <= 5; ++k) {
      double s = k / 5.0;
      cv.line({px - tick_len, Y(s)}, {px, Y(s)}, 0.8);
      std::string lab = o.percent ? fmt::format("{}", k * 20) : fmt::format("{:.1f}", s);
      cv.text(px - tick_len - 3, Y(s), lab, f_axis, HAlign::right, VAlign::middle);
    }
    for (double t : ticks) {
      cv.line({X(t), py + ph}, {X(t), py + ph + tick_len}, 0.8);
      cv.text(X(t), py + ph + tick_len + 2, fmt::format("{:g}", t), f_axis, HAlign::center,
              VAlign::top);
    }
    cv.text(px + pw / 2, py + ph + tick_len + 3 + fs * 1.25 + 3, o.x_label, f_label,
            HAlign::center, VAlign::top);
    cv.text(6 + fs * 0.65, py + ph / 2, o.y_label, f_label, HAlign::center, VAlign::middle, 90);

    // ---- curves, clipped to the plot area (a little room for line width at S = 1) ----
    cv.clip(px, py - 3, pw + 3, ph + 6);
    for (std::size_t ci = 0; ci < plot.curves.size(); ++ci) {
      const KmCurve& c = plot.curves[ci];
      if (!o.ci_bands || c.lower.empty() || c.upper.empty()) continue;
      cv.colour(colours[ci], 0.14);
      std::vector<Point> up, lo;
      auto flush = [&] {
        if (up.size() >= 2) {
          std::vector<Point> poly = up;
          poly.insert(poly.end(), lo.rbegin(), lo.rend());
          cv.fill_polygon(poly);
        }
        up.clear();
        lo.clear();
      };
      for (std::size_t i = 0; i + 1 < c.time.size(); ++i) {
        if (!std::isfinite(c.lower[i]) || !std::isfinite(c.upper[i])) {
          flush();
          continue;
        }
        up.push_back({X(c.time[i]), Y(c.upper[i])});
        up.push_back({X(c.time[i + 1]), Y(c.upper[i])});
        lo.push_back({X(c.time[i]), Y(c.lower[i])});
        lo.push_back({X(c.time[i + 1]), Y(c.lower[i])});
      }
      flush();
    }
    // Median drop lines under the curves.
    if (o.median_lines) {
      double max_med = -1;
      for (std::size_t ci = 0; ci < plot.curves.size(); ++ci) {
        const KmCurve& c = plot.curves[ci];
        if (!std::isfinite(c.median) || c.median > x_max) continue;
        max_med = std::max(max_med, c.median);
        cv.colour(colours[ci]);
        cv.line({X(c.median), Y(0.5)}, {X(c.median), Y(0)}, 0.7, {3, 2});
      }
      if (max_med >= 0) {
        cv.colour(grey);
        cv.line({X(0), Y(0.5)}, {X(max_med), Y(0.5)}, 0.7, {3, 2});
      }
    }
    for (std::size_t ci = 0; ci < plot.curves.size(); ++ci) {
      const KmCurve& c = plot.curves[ci];
      std::vector<Point> pts{{X(0), Y(1)}};
      double level = 1;
      for (std::size_t i = 0; i < c.time.size(); ++i) {
        if (!std::isfinite(c.surv[i])) break;
        pts.push_back({X(c.time[i]), Y(level)});
        level = c.surv[i];
        pts.push_back({X(c.time[i]), Y(level)});
      }
      cv.colour(colours[ci]);
      cv.polyline(pts, 1.5, curve_dash(ci, plot.curves.size()));
      if (o.censor_marks && !c.n_censor.empty()) {
        for (std::size_t i = 0; i < c.time.size(); ++i)
          if (c.n_censor[i] > 0 && std::isfinite(c.surv[i]))
            cv.line({X(c.time[i]), Y(c.surv[i]) - 3}, {X(c.time[i]), Y(c.surv[i]) + 3}, 0.9);
      }
    }
    cv.unclip();

    // ---- legend and annotation ----
    cv.colour({1, 1, 1}, 0.75);
    cv.fill_rect(at.x, at.y, box_w, box_h);
    double yy = at.y + pad;
    for (std::size_t ci = 0; ci < entries.size(); ++ci) {
      cv.colour(colours[ci]);
      cv.line({at.x + pad, yy + fs * 0.7}, {at.x + pad + sample_w, yy + fs * 0.7}, 1.5,
              curve_dash(ci, plot.curves.size()));
      cv.colour(black);
      cv.text(at.x + pad + sample_w + gap, yy, entries[ci], f_axis, HAlign::left, VAlign::top);
      yy += fs * 1.45;
    }
    if (!o.annotation.empty()) {
      cv.colour(black);
      cv.text(at.x + pad, yy + fs * 0.6, o.annotation, f_axis, HAlign::left, VAlign::top);
    }

    // ---- number-at-risk table ----
    double ty = py + ph + axis_h;
    if (table) {
      cv.colour(black);
      cv.text(8, ty, kmunicate ? "Number at risk (censored, events)" : "Number at risk", f_bold,
              HAlign::left, VAlign::top);
      ty += fs * 1.3 * 1.4;
      for (std::size_t ci = 0; ci < plot.curves.size(); ++ci) {
        const KmCurve& c = plot.curves[ci];
        const bool counts = !c.n_risk.empty() || std::isfinite(c.n);
        auto row = [&](const std::string& label, bool bold_label, auto value) {
          cv.colour(colours[ci]);
          cv.text(kmunicate && !bold_label ? 8 + fs * 1.2 : 8, ty + row_h / 2, label,
                  bold_label ? f_bold : f_table, HAlign::left, VAlign::middle);
          cv.colour(kmunicate ? black : colours[ci]);
          for (double t : ticks) {
            std::string v = counts ? detail::format_count(value(risk_counts(c, t))) : "–";
            cv.text(X(t), ty + row_h / 2, v, f_table, HAlign::center, VAlign::middle);
          }
          ty += row_h;
        };
        if (kmunicate) {
          cv.colour(colours[ci]);
          cv.text(8, ty + row_h / 2, c.label, f_bold, HAlign::left, VAlign::middle);
          ty += row_h;
          row("At risk", false, [](const RiskCounts& r) { return r.at_risk; });
          row("Censored", false, [](const RiskCounts& r) { return r.censored; });
          row("Events", false, [](const RiskCounts& r) { return r.events; });
        } else {
          row(c.label, true, [](const RiskCounts& r) { return r.at_risk; });
        }
      }
      ty += 6;
    }
    if (!o.footnote.empty()) {
      cv.colour(grey);
      cv.text(8, ty + 4, o.footnote, {.pt = fs * 0.85, .italic = true}, HAlign::left, VAlign::top);
    }
  });
}

}  // namespace hazard::plot
