// `hazard cuminc`: Aalen–Johansen cumulative incidence per cause and group with Gray's variance
// (cmprsk::cuminc) and survfit's standard error and CIs, Gray's K-sample test, and a stacked plot
// (docs/cli/cuminc.md). Parses flags, calls hazard::cuminc, prints; no math here.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "competing_options.hpp"
#include "data_options.hpp"
#include "hazard/competing.hpp"
#include "hazard/error.hpp"
#include "hazard/plot.hpp"
#include "hazard/version.hpp"

namespace hazard::cli {
namespace {

// a number for an ordered JSON document: null when not finite (data_options.hpp num)
nlohmann::ordered_json jn(double x) { return nlohmann::ordered_json(num(x)); }

struct CumincCliOptions {
  DataOptions data;
  CompetingOptions competing;
  std::string cause;
  std::string conf_type = "log-log";
  double conf_level = 0.95;
  double rho = 0.0;
  std::vector<double> times;
  std::string plot;
  std::string x_label;
  bool json = false;
};

std::string method_text(const CumincResult& r) {
  return fmt::format(
      "Aalen-Johansen cumulative incidence; variance: Gray's (as cmprsk::cuminc $var); std_err "
      "and {:g}% CI ({}): infinitesimal jackknife, as survival's multi-state survfit",
      100 * r.conf_level, conf_type_name(r.conf_type));
}

std::string test_text(const CumincResult& r, const SurvData& d) {
  std::string s =
      fmt::format("Gray's K-sample test, weight (1 - F(t-))^{:g}, as cmprsk::cuminc", r.rho);
  if (!d.stratum.empty()) s += fmt::format(", stratified by {}", fmt::join(d.strata_names, ", "));
  return s;
}

nlohmann::ordered_json curve_json(const CifCurve& c, const std::string& cause) {
  using json = nlohmann::ordered_json;
  auto arr = [](const std::vector<double>& v) {
    json a = json::array();
    for (double x : v) a.push_back(jn(x));
    return a;
  };
  return {{"cause", cause},
          {"time", arr(c.time)},
          {"n_risk", arr(c.n_risk)},
          {"n_event", arr(c.n_event)},
          {"estimate", arr(c.estimate)},
          {"variance", arr(c.variance)},
          {"std_err", arr(c.std_err)},
          {"lower", arr(c.lower)},
          {"upper", arr(c.upper)},
          {"gray_lower", arr(c.gray_lower)},
          {"gray_upper", arr(c.gray_upper)}};
}

nlohmann::ordered_json test_json(const GrayTest& t, const std::string& cause) {
  using json = nlohmann::ordered_json;
  const std::size_t k1 = t.score.size();
  json v = json::array();
  for (std::size_t i = 0; i < k1; ++i) {
    json row = json::array();
    for (std::size_t j = 0; j < k1; ++j) row.push_back(jn(t.variance[i * k1 + j]));
    v.push_back(row);
  }
  json score = json::array();
  for (double x : t.score) score.push_back(jn(x));
  return {{"cause", cause}, {"stat", jn(t.stat)}, {"df", t.df},
          {"p", jn(t.p)},   {"score", score},     {"variance", v}};
}

nlohmann::ordered_json to_json(const CompetingData& d, const CumincResult& r, std::size_t cause,
                               const CumincCliOptions& o) {
  using json = nlohmann::ordered_json;
  const SurvData& s = d.surv;
  json groups = json::array();
  for (const CumincGroup& g : r.groups) {
    json events = json::object();
    double failures = 0;
    for (std::size_t k = 0; k < d.n_causes(); ++k) {
      events[d.cause_levels[k]] = g.events[k];
      failures += g.events[k];
    }
    json curves = json::array();
    for (std::size_t k = 0; k < d.n_causes(); ++k)
      curves.push_back(curve_json(g.causes[k], d.cause_levels[k]));
    json at = json::array();
    for (std::size_t k = 0; k < d.n_causes(); ++k)
      for (const CifPoint& p : g.at[k])
        at.push_back({{"cause", d.cause_levels[k]},
                      {"time", p.time},
                      {"estimate", jn(p.estimate)},
                      {"variance", jn(p.variance)},
                      {"std_err", jn(p.std_err)},
                      {"lower", jn(p.lower)},
                      {"upper", jn(p.upper)},
                      {"gray_lower", jn(p.gray_lower)},
                      {"gray_upper", jn(p.gray_upper)},
                      {"beyond_follow_up", p.beyond_follow_up}});
    groups.push_back({{"group", g.level ? json(*g.level) : json(nullptr)},
                      {"n", g.n},
                      {"censored", static_cast<double>(g.n) - failures},
                      {"events", events},
                      {"last_time", g.last_time},
                      {"curves", curves},
                      {"at", at}});
  }
  json tests = nullptr, test = nullptr;
  if (!r.tests.empty()) {
    tests = json::array();
    for (std::size_t k = 0; k < r.tests.size(); ++k)
      tests.push_back(test_json(r.tests[k], d.cause_levels[k]));
    test = tests[cause];
  }
  json strata = nullptr;
  if (!s.stratum.empty()) strata = {{"columns", s.strata_names}, {"levels", s.strata_levels}};
  json out;
  out["command"] = "cuminc";
  out["hazard_version"] = version();
  out["data"] = o.data.data;
  out["time_units"] = analysis_units(o.data).empty() ? json(nullptr) : json(analysis_units(o.data));
  out["n"] = s.size();
  out["cause"] = d.cause_levels[cause];
  out["causes"] = d.cause_levels;
  out["status_column"] = d.status_name;
  out["censor"] = d.censor;
  out["group_column"] = s.group.empty() ? json(nullptr) : json(s.group_name);
  out["groups"] = groups;
  out["test"] = test;
  out["tests"] = tests;
  out["method"] = method_text(r);
  out["test_method"] = r.tests.empty() ? json(nullptr) : json(test_text(r, s));
  out["conf_type"] = conf_type_name(r.conf_type);
  out["conf_level"] = r.conf_level;
  out["rho"] = r.rho;
  out["times"] = r.times;
  out["strata"] = strata;
  out["excluded"] = json(exclusions_json(s.excluded));
  out["n_read"] = s.n_read;
  out["n_filtered"] = s.n_filtered;
  return out;
}

std::string cell(double x, const char* fmt_spec = "{:.4f}") {
  if (!std::isfinite(x)) return "NA";
  return fmt::format(fmt::runtime(fmt_spec), x);
}

void print_text(const CompetingData& d, const CumincResult& r, std::size_t cause,
                const CumincCliOptions& o) {
  const SurvData& s = d.surv;
  fmt::print("hazard cuminc: {}\n{}\n{}\n", printable(s.source), exclusions_text(s),
             printable(competing_summary(d)));
  if (!units_text(o.data).empty()) fmt::print("{}\n", units_text(o.data));
  fmt::print("method: {}\ncause of interest: {} = {}\n", method_text(r), d.status_name,
             d.cause_levels[cause]);
  const int pct = static_cast<int>(std::lround(100 * r.conf_level));
  // the cause of interest first, then the others
  std::vector<std::size_t> order{cause};
  for (std::size_t k = 0; k < d.n_causes(); ++k)
    if (k != cause) order.push_back(k);
  for (const CumincGroup& g : r.groups) {
    fmt::print("\n{}(n = {}, follow-up to {:g})\n",
               g.level ? fmt::format("{} = {} ", s.group_name, *g.level) : std::string(), g.n,
               g.last_time);
    for (std::size_t k : order) {
      fmt::print("  {} = {}: {:g} failures\n", d.status_name, d.cause_levels[k], g.events[k]);
      fmt::print("  {:>10} {:>9} {:>10} {:>9} {:>21}\n", "time", "estimate", "SE (Gray)", "SE",
                 fmt::format("{}% CI", pct));
      for (const CifPoint& p : g.at[k])
        fmt::print("  {:>10} {:>9} {:>10} {:>9} {:>21}{}\n", fmt::format("{:g}", p.time),
                   cell(p.estimate), cell(std::sqrt(p.variance)), cell(p.std_err),
                   fmt::format("{} - {}", cell(p.lower), cell(p.upper)),
                   p.beyond_follow_up ? "  (after the last follow-up)" : "");
    }
  }
  if (!r.tests.empty()) {
    fmt::print("\n{}\n", test_text(r, s));
    fmt::print("  {:>12} {:>10} {:>4} {:>10}\n", "cause", "chisq", "df", "p");
    for (std::size_t k : order) {
      const GrayTest& t = r.tests[k];
      fmt::print("  {:>12} {:>10} {:>4} {:>10}{}\n", d.cause_levels[k], cell(t.stat), t.df,
                 std::isfinite(t.p) ? fmt::format("{:.4g}", t.p) : "NA",
                 std::isfinite(t.stat) ? "" : "  (variance singular)");
    }
  }
}

plot::Format figure_format(const std::string& path) {
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  if (ext == "svg") return plot::Format::svg;
  if (ext == "png") return plot::Format::png;
  if (ext == "pdf") return plot::Format::pdf;
  throw UsageError(fmt::format("--plot {}: the file name must end in .svg, .png or .pdf", path));
}

void write_plot(const CompetingData& d, const CumincResult& r, std::size_t cause,
                const CumincCliOptions& o) {
  plot::CifPlot p;
  std::vector<std::size_t> order{cause};
  for (std::size_t k = 0; k < d.n_causes(); ++k)
    if (k != cause) order.push_back(k);
  for (const CumincGroup& g : r.groups) {
    plot::CifPanel panel;
    if (g.level)
      panel.label = fmt::format("{} = {} (n = {})", d.surv.group_name, *g.level, g.n);
    else
      panel.label = fmt::format("All (n = {})", g.n);
    panel.last_time = g.last_time;
    for (std::size_t k : order)
      panel.causes.push_back({.label = fmt::format("{} = {}", d.status_name, d.cause_levels[k]),
                              .time = g.causes[k].time,
                              .estimate = g.causes[k].estimate});
    p.panels.push_back(std::move(panel));
  }
  p.options.x_label =
      o.x_label.empty() ? (d.surv.time_label.empty() ? o.data.time : d.surv.time_label) : o.x_label;
  p.options.footnote =
      "Stacked Aalen-Johansen cumulative incidence; top edge: failure from any cause";
  plot::write_figure(plot::render_cif(p, figure_format(o.plot)), o.plot);
}

void run(const CumincCliOptions& o) {
  if (!o.plot.empty()) figure_format(o.plot);  // a bad name fails before the data are read
  const CumincOptions options{.conf_type = parse_conf_type(o.conf_type),
                              .conf_level = o.conf_level,
                              .rho = o.rho,
                              .times = o.times};
  check_cuminc_options(options);
  if (!o.data.strata.empty() && o.data.group.empty())
    throw UsageError("--strata stratifies Gray's test of the groups: give --group too");
  const CompetingData data = load_competing_data(o.data, o.competing);
  const std::size_t cause = cause_index(data, o.cause);
  CumincResult result = cuminc(data, options);
  if (o.times.empty() && !o.json) {
    // text output without --times: the values at the figure's axis ticks
    double last = 0;
    for (const CumincGroup& g : result.groups) last = std::max(last, g.last_time);
    const double step = plot::auto_tick_step(last > 0 ? last : 1);
    CumincOptions with_times = options;
    for (double t = step; t <= last * (1 + 1e-12); t += step) with_times.times.push_back(t);
    result = cuminc(data, with_times);
  }
  if (!o.plot.empty()) write_plot(data, result, cause, o);
  if (o.json)
    std::cout << to_json(data, result, cause, o).dump(2) << "\n";
  else
    print_text(data, result, cause, o);
}

}  // namespace

void register_cuminc(CLI::App& app) {
  auto o = std::make_shared<CumincCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "cuminc",
      "Competing risks: Aalen-Johansen cumulative incidence per cause and group (as cmprsk::cuminc "
      "and survfit), Gray's test, stacked plot (docs/cli/cuminc.md)");
  add_data_options(cmd, o->data);
  add_competing_options(cmd, o->competing);
  cmd->add_option("--cause", o->cause, "The cause of interest (a value of --status)")->required();
  cmd->add_option("--times", o->times, "Times t1,t2,... at which to report every curve")
      ->delimiter(',');
  cmd->add_option("--rho", o->rho, "Gray's test weight (1 - F(t-))^rho (default 0, as cuminc)");
  cmd->add_option("--conf-type", o->conf_type,
                  "CI transform: log-log (default), log (survfit's default) or plain")
      ->check(CLI::IsMember({"log-log", "log", "plain"}));
  cmd->add_option("--conf-level", o->conf_level, "Confidence level (default 0.95)");
  cmd->add_option("--plot", o->plot,
                  "Write the stacked cumulative incidence figure (.svg/.png/.pdf)");
  cmd->add_option("--x-label", o->x_label, "x-axis label of the figure (default: the time column)");
  cmd->add_flag("--json", o->json, "Print one JSON document on stdout");
  cmd->callback([o]() { run(*o); });
}

}  // namespace hazard::cli
