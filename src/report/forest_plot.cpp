// Forest plot: hazard ratio with 95% CI on a log axis, one row per cohort / subgroup level, with
// events/N per arm, the estimate as text, a vertical line at HR = 1 and "favours" labels.
//
// Input contract (ForestRow, plot.hpp): rows in display order; a heading row carries a label and,
// for a subgroup, its interaction p-value (or a note saying why there is none);
// a row whose HR is not finite shows its note (or "not estimable") instead of an estimate. Squares
// are sized by the row's total events (a proxy for the estimate's precision: the variance of a
// log-HR is about 4 / events under 1:1 allocation), whiskers clipped at the axis end get an arrow.
#include <algorithm>
#include <cmath>
#include <fmt/format.h>

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
constexpr Rgb shade{0.94, 0.94, 0.94};

std::string events_over_n(double events, double n) {
  if (!std::isfinite(events) && !std::isfinite(n)) return "";
  return detail::format_count(events) + "/" + detail::format_count(n);
}

/// Two decimals, as journals print hazard ratios; values that would round to 0.00 or exceed 999
/// are written as bounds so that no printed number is misleading.
std::string hr_number(double v) {
  if (v < 0.005) return "<0.01";
  if (v >= 999.5) return ">999";
  return fmt::format("{:.2f}", v);
}

std::string estimate_text(const ForestRow& r) {
  if (r.heading) {
    if (!std::isfinite(r.p_interaction)) return "";
    return r.p_interaction < 0.0001 ? "Interaction p<0.0001"
                                    : fmt::format("Interaction p={:.4f}", r.p_interaction);
  }
  if (!std::isfinite(r.hr) || r.hr <= 0) return "";
  if (!std::isfinite(r.lower) || !std::isfinite(r.upper)) return hr_number(r.hr);
  return hr_number(r.hr) + " (" + hr_number(r.lower) + "–" + hr_number(r.upper) + ")";
}

}  // namespace

std::string render_forest(const ForestPlot& plot, Format format) {
  const ForestPlotOptions& o = plot.options;
  const double fs = o.font_pt > 0 ? o.font_pt : 9;
  const double W = (o.width_in > 0 ? o.width_in : 8) * 72;
  const std::string fav_left =
      o.favours_left.empty() ? "Favours " + o.experimental : o.favours_left;
  const std::string fav_right = o.favours_right.empty() ? "Favours " + o.control : o.favours_right;

  if (plot.rows.empty()) {
    const double H = 3 * 72;
    return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
      detail::draw_message(cv, W, H, o.title, "no rows: there is no cohort or subgroup to show", fs);
    });
  }

  // ---- log axis range ----
  double lo = o.x_min > 0 ? o.x_min : 0, hi = o.x_max > 0 ? o.x_max : 0;
  static constexpr double nice[] = {0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100};
  if (lo <= 0 || hi <= 0 || hi <= lo) {
    double dmin = 1, dmax = 1;
    for (const ForestRow& r : plot.rows) {
      for (double v : {r.hr, r.lower, r.upper})
        if (std::isfinite(v) && v > 0) {
          dmin = std::min(dmin, v);
          dmax = std::max(dmax, v);
        }
    }
    dmin = std::max(std::min(dmin, 0.5), 0.01);
    dmax = std::min(std::max(dmax, 2.0), 100.0);
    lo = 0.01;
    hi = 100;
    for (double t : nice)
      if (t <= dmin) lo = t;
    for (auto it = std::rbegin(nice); it != std::rend(nice); ++it)
      if (*it >= dmax) hi = *it;
  }
  std::vector<double> ticks;
  for (double t : nice)
    if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);

  double max_events = 0;
  for (const ForestRow& r : plot.rows) {
    double e = (std::isfinite(r.events_experimental) ? r.events_experimental : 0) +
               (std::isfinite(r.events_control) ? r.events_control : 0);
    max_events = std::max(max_events, e);
  }

  const double row_h = fs * 1.75;
  const double title_h = o.title.empty() ? 0 : fs * 1.3 * 1.4 + 6;
  const double head_h = fs * 1.3 * 2 + 8;
  const double axis_h = 4 + 3 + fs * 1.3 + 6 + fs * 1.3 + 6;
  std::size_t foot_lines = 0;
  if (!o.footnote.empty())
    foot_lines = 1 + static_cast<std::size_t>(std::count(o.footnote.begin(), o.footnote.end(), '\n'));
  const double foot_h = foot_lines ? static_cast<double>(foot_lines) * fs * 0.85 * 1.3 + 8 : 0;
  const double top = 10 + title_h;
  const double H = top + head_h + static_cast<double>(plot.rows.size()) * row_h + axis_h + foot_h + 8;

  return detail::render(W, H, format, o.dpi, o.font_family, [&](Canvas& cv) {
    const Font f{.pt = fs};
    const Font fb{.pt = fs, .bold = true};
    const double indent_w = fs * 1.2;
    const double gap = 12;

    // Column widths from the text they hold.
    double label_w = cv.measure("Subgroup", fb).width;
    double exp_w = std::max(cv.measure(o.experimental, fb).width, cv.measure("events/N", f).width);
    double ctl_w = std::max(cv.measure(o.control, fb).width, cv.measure("events/N", f).width);
    double est_w = cv.measure(o.estimate_label, fb).width;
    for (const ForestRow& r : plot.rows) {
      label_w = std::max(label_w, r.indent * indent_w + cv.measure(r.label, r.heading || r.indent == 0 ? fb : f).width);
      exp_w = std::max(exp_w, cv.measure(events_over_n(r.events_experimental, r.n_experimental), f).width);
      ctl_w = std::max(ctl_w, cv.measure(events_over_n(r.events_control, r.n_control), f).width);
      est_w = std::max(est_w, cv.measure(estimate_text(r), f).width);
    }
    const double x_label = 8;
    const double x_exp = x_label + label_w + gap;
    const double x_ctl = x_exp + exp_w + gap;
    const double x_plot = x_ctl + ctl_w + gap + 6;
    const double x_est_right = W - 8;
    const double plot_w = std::max(120.0, x_est_right - est_w - gap - 6 - x_plot);
    auto X = [&](double hr) {
      return x_plot + (std::log(hr) - std::log(lo)) / (std::log(hi) - std::log(lo)) * plot_w;
    };

    if (!o.title.empty()) {
      cv.colour(black);
      cv.text(x_label, 10, o.title, {.pt = fs * 1.3, .bold = true}, HAlign::left, VAlign::top);
    }
    // ---- header ----
    double y = top;
    cv.colour(black);
    cv.text(x_label, y + head_h - 4, "Subgroup", fb, HAlign::left, VAlign::bottom);
    cv.text(x_exp + exp_w, y + head_h - 4, o.experimental + "\nevents/N", fb, HAlign::right, VAlign::bottom);
    cv.text(x_ctl + ctl_w, y + head_h - 4, o.control + "\nevents/N", fb, HAlign::right, VAlign::bottom);
    cv.text(x_plot + plot_w / 2, y + head_h - 4, "Hazard ratio (log scale)", fb, HAlign::center,
            VAlign::bottom);
    cv.text(x_est_right, y + head_h - 4, o.estimate_label, fb, HAlign::right, VAlign::bottom);
    y += head_h;
    cv.line({x_label, y}, {W - 8, y}, 0.8);
    const double rows_top = y;

    // ---- rows ----
    for (std::size_t i = 0; i < plot.rows.size(); ++i) {
      const ForestRow& r = plot.rows[i];
      const double cy = y + row_h / 2;
      if (i % 2 == 1) {
        cv.colour(shade);
        cv.fill_rect(x_label - 4, y, W - 8 - x_label + 4, row_h);
      }
      cv.colour(black);
      cv.text(x_label + r.indent * indent_w, cy, r.label, r.heading || r.indent == 0 ? fb : f, HAlign::left, VAlign::middle);
      cv.text(x_exp + exp_w, cy, events_over_n(r.events_experimental, r.n_experimental), f,
              HAlign::right, VAlign::middle);
      cv.text(x_ctl + ctl_w, cy, events_over_n(r.events_control, r.n_control), f, HAlign::right,
              VAlign::middle);
      if (!r.heading) {
        if (std::isfinite(r.hr) && r.hr > 0) {
          cv.text(x_est_right, cy, estimate_text(r), f, HAlign::right, VAlign::middle);
          // Whisker, clipped to the axis with an arrow head where it runs off.
          if (std::isfinite(r.lower) && std::isfinite(r.upper) && r.lower > 0) {
            double a = std::max(r.lower, lo), b = std::min(r.upper, hi);
            if (a < b) {
              cv.colour(black);
              cv.line({X(a), cy}, {X(b), cy}, 1.0);
              if (r.lower < lo) cv.fill_polygon({{X(lo), cy}, {X(lo) + 5, cy - 3}, {X(lo) + 5, cy + 3}});
              if (r.upper > hi) cv.fill_polygon({{X(hi), cy}, {X(hi) - 5, cy - 3}, {X(hi) - 5, cy + 3}});
            }
          }
          if (r.hr >= lo && r.hr <= hi) {
            double e = (std::isfinite(r.events_experimental) ? r.events_experimental : 0) +
                       (std::isfinite(r.events_control) ? r.events_control : 0);
            double side = max_events > 0 ? 4 + 6 * std::sqrt(e / max_events) : 7;
            cv.colour(okabe_ito()[0]);
            cv.fill_rect(X(r.hr) - side / 2, cy - side / 2, side, side);
          }
        } else {
          cv.colour(grey);
          cv.text(x_plot + plot_w / 2, cy, r.note.empty() ? "not estimable" : r.note,
                  {.pt = fs * 0.95, .italic = true}, HAlign::center, VAlign::middle);
        }
      } else if (std::isfinite(r.p_interaction)) {
        cv.colour(black);
        cv.text(x_est_right, cy, estimate_text(r), {.pt = fs, .italic = true}, HAlign::right,
                VAlign::middle);
      } else if (!r.note.empty()) {
        cv.colour(grey);
        cv.text(x_est_right, cy, r.note, {.pt = fs * 0.95, .italic = true}, HAlign::right,
                VAlign::middle);
      }
      y += row_h;
    }

    // ---- reference line, axis, favours labels ----
    cv.colour(grey);
    cv.line({X(1), rows_top}, {X(1), y}, 0.8);
    cv.colour(black);
    cv.line({x_plot, y}, {x_plot + plot_w, y}, 0.8);
    for (double t : ticks) {
      cv.line({X(t), y}, {X(t), y + 4}, 0.8);
      cv.text(X(t), y + 6, fmt::format("{:g}", t), f, HAlign::center, VAlign::top);
    }
    const double fy = y + 6 + fs * 1.3 + 5;
    cv.text(X(1) - 6, fy, "\u2190 " + fav_left, f, HAlign::right, VAlign::top);
    cv.text(X(1) + 6, fy, fav_right + " \u2192", f, HAlign::left, VAlign::top);
    if (!o.footnote.empty()) {
      cv.colour(grey);
      cv.text(x_label, fy + fs * 1.3 + 8, o.footnote, {.pt = fs * 0.85, .italic = true}, HAlign::left,
              VAlign::top);
    }
  });
}

}  // namespace hazard::plot
