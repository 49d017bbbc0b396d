// Figures of a trial report: Kaplan–Meier plots with a number-at-risk table, and forest plots.
//
// Each figure is drawn once (cairo, text by pango) and rendered from the same drawing code to SVG,
// PNG or PDF. Inputs are plain structs filled from the estimators' output; nothing here computes a
// statistic beyond counting the numbers at risk at the axis ticks from the per-time counts given.
// A figure is never blank: empty or degenerate input (no curves, no finite times, no estimable
// hazard ratio) draws a message saying what is missing instead.
//
// Example:
//   hazard::plot::KmPlot p;
//   p.curves.push_back({.label = "Placebo", .time = {...}, .surv = {...}, .n_risk = {...},
//                       .n_event = {...}, .n_censor = {...}, .median = 3.9});
//   p.options.annotation = "HR 0.33 (95% CI 0.19–0.56), p<0.001";
//   hazard::plot::write_figure(hazard::plot::render_km(p, hazard::plot::Format::png), "km.png");
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hazard::plot {

enum class Format { svg, png, pdf };

/// File extension without the dot: "svg", "png", "pdf".
std::string_view extension(Format format);

struct Rgb {
  double r = 0, g = 0, b = 0;  ///< 0..1
};

/// The Okabe–Ito colour-blind-safe palette in the order curves use it (blue, vermillion, bluish
/// green, orange, reddish purple, sky blue, yellow, black). Curve i takes colour i modulo 8.
const std::vector<Rgb>& okabe_ito();

inline constexpr double not_available = std::numeric_limits<double>::quiet_NaN();

/// One arm's Kaplan–Meier curve as the estimator reports it (R survfit's layout): one entry per
/// distinct time with an event or a censoring, in increasing order. surv[i] is S(t) on
/// [time[i], time[i+1]); the curve starts at S = 1 at time 0.
struct KmCurve {
  std::string label{};               ///< legend and risk-table row name, e.g. "Cabozantinib"
  std::vector<double> time{};
  std::vector<double> surv{};
  std::vector<double> lower{};       ///< pointwise CI (same length as time) or empty: no band
  std::vector<double> upper{};
  std::vector<double> n_risk{};      ///< number at risk at time[i] (doubles: weights allowed)
  std::vector<double> n_event{};     ///< events at time[i]
  std::vector<double> n_censor{};    ///< censorings at time[i]; censor marks are drawn where > 0
  double n = not_available;        ///< patients at time 0; NaN = n_risk[0]
  double median = not_available;   ///< NaN = not reached (no drop line, legend says "median not reached")
  std::optional<Rgb> colour{};     ///< default: Okabe–Ito by position (three or more curves also
                                ///< get distinct line types: solid, dashed, dotted, dash-dot, ...)
};

struct KmPlotOptions {
  std::string title{};                           ///< above the plot; empty = none
  std::string x_label = "Time";                  ///< with units when known, e.g. "Time (months)"
  std::string y_label = "Survival probability (%)";
  std::string annotation{};                      ///< e.g. "HR 0.33 (95% CI 0.19–0.56)\nLog-rank p<0.001"
  std::string footnote{};                        ///< small text at the bottom, e.g. "SIMULATED DATA"
  double x_step = 0;                           ///< tick spacing; 0 = automatic (3, 6, 12, ...)
  double x_max = 0;                            ///< right end of the axis; 0 = last time, rounded up
  bool percent = true;                         ///< y axis 0–100% (false: 0–1)
  bool ci_bands = true;                        ///< shade the CI where the curve has one
  bool censor_marks = true;
  bool median_lines = true;                    ///< dotted drop lines at S = 0.5 for reached medians
  bool risk_table = true;                      ///< number at risk under the plot, at the ticks
  bool events_censored = false;                ///< KMunicate: also cumulative events and censored
  bool legend_medians = true;                  ///< "Cabozantinib (median 13.8)" in the legend
  std::string units{};                         ///< in the legend's median text; empty = not stated
  double width_in = 7.0;                       ///< figure size in inches (journal double column)
  double height_in = 0;                        ///< 0 = automatic from the risk-table size
  double dpi = 300;                            ///< PNG resolution
  double font_pt = 9;                          ///< base font size
  std::string font_family = "Liberation Sans, DejaVu Sans, sans-serif";
};

struct KmPlot {
  std::vector<KmCurve> curves{};
  KmPlotOptions options{};
};

/// One row of a forest plot: a cohort, a subgroup heading, or a subgroup level.
struct ForestRow {
  std::string label{};
  int indent = 0;                        ///< 0 = top level, 1 = subgroup level, ...
  bool heading = false;                  ///< a heading row has no numbers (e.g. "Age group")
  double n_experimental = not_available, events_experimental = not_available;
  double n_control = not_available, events_control = not_available;
  double hr = not_available, lower = not_available, upper = not_available;
  std::string note{};                      ///< shown instead of the estimate, e.g. "not estimable: no events"
  /// A subgroup heading's treatment-by-subgroup interaction test (likelihood ratio); drawn as
  /// "Interaction p=0.04" on the heading row when finite.
  double p_interaction = not_available, chisq_interaction = not_available,
         df_interaction = not_available;
  // What the row is (for results files; not drawn): the cohort, the subgroup variable and level,
  // and the comparison ("B vs A") of its HR; empty where they do not apply.
  std::string cohort{}, subgroup{}, level{}, comparison{};
};

struct ForestPlotOptions {
  std::string title{};
  std::string experimental = "Experimental";   ///< column headers for n/events
  std::string control = "Control";
  std::string favours_left{};                    ///< default "Favours <experimental>"
  std::string favours_right{};                   ///< default "Favours <control>"
  std::string estimate_label = "HR (95% CI)";
  std::string footnote{};
  double x_min = 0, x_max = 0;                 ///< log-axis range; 0 = automatic
  double width_in = 8.0;
  double dpi = 300;
  double font_pt = 9;
  std::string font_family = "Liberation Sans, DejaVu Sans, sans-serif";
};

struct ForestPlot {
  std::vector<ForestRow> rows{};
  ForestPlotOptions options{};
};

/// One line of an x-y figure (fitted survival or hazard curves, a Kaplan–Meier step function).
struct LineSeries {
  std::string label{};           ///< legend entry; "" = not in the legend
  std::vector<double> x{}, y{};  ///< a non-finite value breaks the line
  bool step = false;             ///< step function: y[i] holds on [x[i], x[i+1])
  std::optional<Rgb> colour{};   ///< default: Okabe–Ito by position
  std::vector<double> dash{};    ///< dash pattern in points; empty = solid
  double width = 1.2;            ///< line width in points
};

struct LinePlotOptions {
  std::string title{};
  std::string x_label = "Time";
  std::string y_label{};
  std::string footnote{};
  double x_min = not_available, x_max = not_available;  ///< axis range; NaN = from the data
  double y_min = not_available, y_max = not_available;
  bool percent = false;          ///< y tick labels as percentages of 0–1 values
  double width_in = 8.0, height_in = 5.0, dpi = 300, font_pt = 9;
  std::string font_family = "Liberation Sans, DejaVu Sans, sans-serif";
};

/// An x-y figure: lines clipped to the axes, "nice" 1-2-5 ticks, the legend in a column at the
/// right. Drawn by the same canvas as the report figures (SVG, PNG, PDF).
struct LinePlot {
  std::vector<LineSeries> series{};
  LinePlotOptions options{};
};

/// One cause's cumulative incidence in a stacked plot: a right-continuous step function starting
/// at 0 at time 0, estimate[i] on [time[i], time[i+1]) (hazard::CifCurve's layout).
struct CifStackCause {
  std::string label{};
  std::vector<double> time{};
  std::vector<double> estimate{};
  std::optional<Rgb> colour{};  ///< default: Okabe–Ito by position
};

/// One panel (a group): its causes stacked in the order given, the first at the bottom, so the
/// top edge is the probability of having failed from any cause.
struct CifPanel {
  std::string label{};  ///< panel title, e.g. "sex = F"; empty = none
  std::vector<CifStackCause> causes{};
  double last_time = not_available;  ///< the group's last follow-up: the bands end there; NaN = axis end
};

struct CifPlotOptions {
  std::string title{};
  std::string x_label = "Time";
  std::string y_label = "Cumulative incidence (%)";
  std::string footnote{};
  double x_step = 0;         ///< tick spacing; 0 = automatic
  double x_max = 0;          ///< right end of the axis; 0 = last time, rounded up
  bool percent = true;       ///< y axis 0–100% (false: 0–1)
  double width_in = 7.0;     ///< the whole figure
  double panel_height_in = 3.0;
  std::size_t columns = 0;   ///< panels per row; 0 = up to 3
  double dpi = 300;
  double font_pt = 9;
  std::string font_family = "Liberation Sans, DejaVu Sans, sans-serif";
};

/// Stacked cumulative incidence functions, one panel per group, a shared x axis and one legend
/// of the causes (the same colour for a cause in every panel).
struct CifPlot {
  std::vector<CifPanel> panels{};
  CifPlotOptions options{};
};

/// The rendered file's bytes (SVG text, PNG or PDF).
std::string render_km(const KmPlot& plot, Format format);
std::string render_forest(const ForestPlot& plot, Format format);
std::string render_lines(const LinePlot& plot, Format format);
std::string render_cif(const CifPlot& plot, Format format);

/// Tick positions of a "nice" axis from lo to hi (steps 1, 2, 2.5 or 5 times a power of ten,
/// about `target` ticks), all within [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int target = 6);

/// Writes bytes to a file; throws IoError naming the path.
void write_figure(const std::string& bytes, const std::string& path);

/// Tick spacing chosen for an axis from 0 to x_max: 1, 2, 3, 6, 12, 24, ... months so that there
/// are about 5–12 ticks (3 or 6 for the usual trial follow-up).
double auto_tick_step(double x_max);

/// The time axis of a figure: the tick step (`x_step` when > 0, else auto_tick_step), the axis end
/// (`x_max` when > 0, else the last time to show rounded up to a whole step; 1 when there is none)
/// and the ticks 0, step, 2 step, ... up to the end (at most 202: a user step far too small for the
/// range keeps the figure readable). Shared by the KM and CIF figures.
struct TimeAxis {
  double step = 1, end = 1;
  std::vector<double> ticks;
};
TimeAxis time_axis(double x_step, double x_max, double last_time);

/// Numbers for the risk table at time t: at risk (time >= t), events and censored before t.
/// At t = 0 the counts are (n, 0, 0); at risk + events + censored = n for unweighted curves.
struct RiskCounts {
  double at_risk = 0, events = 0, censored = 0;
};
RiskCounts risk_counts(const KmCurve& curve, double t);

/// Size and content of a PNG: for tests and for the check that no figure is blank.
struct PngStats {
  int width = 0, height = 0;
  std::size_t non_background = 0;  ///< pixels that differ from the top-left pixel
};
/// Throws hazard::DataError when the bytes are not a PNG.
PngStats png_stats(std::string_view png);
/// Pixels of a PNG within `tolerance` (per channel, 0..1) of an opaque colour: shows that a curve
/// or marker of that colour was drawn.
std::size_t png_colour_pixels(std::string_view png, Rgb colour, double tolerance = 0.02);

}  // namespace hazard::plot
