// The crossover section of the report (`hazard report --switch-flag/--switch-time`): overall
// survival adjusted for control patients switching to the experimental treatment, RPSFTM and, with
// progression columns, the simple two-stage method (docs/methods/crossover.md). Formatting only:
// every number is a field of the results `hazard crossover` computes (hazard::rpsftm, two_stage).
#include <fmt/format.h>

#include <cmath>
#include <string>

#include "hazard/report_readout.hpp"
#include "report/readout_sections.hpp"

namespace hazard::report {

CrossoverSection crossover_section(const SwitchData& data, const RpsftmResult& rp,
                                   const std::optional<TwoStageResult>& ts,
                                   const std::string& group_name,
                                   const std::vector<std::string>& group_levels,
                                   const std::string& switch_flag, const std::string& switch_time,
                                   const std::string& censor_source, const std::string& units) {
  CrossoverSection s;
  s.rpsftm = rp;
  s.two_stage = ts;
  s.group_name = group_name;
  s.group_levels = group_levels;
  s.switch_flag = switch_flag;
  s.switch_time = switch_time;
  s.units = units;
  s.n = data.size();
  for (std::size_t i = 0; i < data.size(); ++i) {
    s.n_control += data.arm[i] == 0;
    s.switchers += data.switched[i];
  }
  const std::string lv = ci_text(rp.options.conf_level);
  s.methods.push_back(fmt::format(
      "Crossover: {} of {} control patients ({}) switched to {} ({}, {}); every cohort pooled.",
      s.switchers, s.n_control, group_levels.front(), group_levels.back(), switch_flag,
      switch_time));
  s.methods.push_back(
      fmt::format("RPSFTM (Robins & Tsiatis 1991): counterfactual untreated time U = T_off + "
                  "exp(psi) T_on; psi by "
                  "g-estimation, the root of the {} log-rank test of U between the randomized arms "
                  "(as survdiff, times within "
                  "sqrt(eps) merged); its {} by test inversion (|Z| < z); the counterfactual data "
                  "on the side of Z's jump at "
                  "psi where |Z| is smaller.",
                  data.stratum.empty() ? "unstratified" : "stratified", lv));
  s.methods.push_back(
      censor_source.empty()
          ? std::string("Re-censoring: off (no administrative censoring time given).")
          : fmt::format("Re-censoring of the control arm at C* = min(C, C exp(psi)), C = {}.",
                        censor_source));
  s.methods.push_back(
      fmt::format("Adjusted hazard ratio: Cox model (Efron ties) of the observed experimental "
                  "times against the counterfactual "
                  "control times; {} from the model SE (ignores the uncertainty in psi), and the "
                  "interval that keeps the "
                  "intention-to-treat log-rank p-value (SE = |log HR / Z(0)|).",
                  lv));
  if (ts)
    s.methods.push_back(fmt::format(
        "Simple two-stage (Latimer et al. 2017): Weibull AFT model (as survreg) of "
        "post-progression survival of "
        "the control patients, switchers against non-switchers; psi = -coefficient of switching "
        "({} Wald); "
        "switchers' post-progression time multiplied by exp(psi){}; Cox model as above.",
        lv,
        ts->options.recensor && !censor_source.empty() ? ", re-censored at C min(1, exp(psi))"
                                                       : ""));
  return s;
}

namespace detail {

namespace {

using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

std::string f2(double x) { return std::isfinite(x) ? fmt::format("{:.2f}", x) : "NE"; }
std::string f3(double x) { return std::isfinite(x) ? fmt::format("{:.3f}", x) : "NE"; }
std::string est(double e, double lo, double hi, std::string (*f)(double)) {
  return fmt::format("{} ({}, {})", f(e), f(lo), f(hi));
}
std::string f1(double x) { return std::isfinite(x) ? fmt::format("{:.1f}", x) : "NE"; }

}  // namespace

std::vector<CaptionedTable> crossover_tables(const ReportModel& m) {
  if (!m.readout.crossover) return {};
  const CrossoverSection& c = *m.readout.crossover;
  const std::string lv = ci_text(m.conf_level);
  Table t;
  t.columns = 2;
  t.header.push_back({.cells = {{.text = "Overall survival"}, {.text = "Estimate (" + lv + ")"}}});
  auto row = [&](const std::string& label, const std::string& text, const std::string& stat,
                 double v, int indent) {
    t.body.push_back(
        {.cells = {{.text = label}, {.text = text, .cohort = "Overall", .stat = stat, .value = v}},
         .indent = indent});
  };
  auto heading = [&](const std::string& label) {
    t.body.push_back({.cells = {{.text = label}, {.text = ""}}, .section = true});
  };
  const RpsftmResult& r = c.rpsftm;
  heading("RPSFTM");
  row("psi", est(r.psi, r.lower, r.upper, f3), "psi", r.psi, 1);
  row("Acceleration factor exp(-psi)", f2(std::exp(-r.psi)), "acceleration_factor",
      std::exp(-r.psi), 1);
  row("Adjusted HR", est(r.hr.hr, r.hr.lower, r.hr.upper, f2), "hr", r.hr.hr, 1);
  row("Adjusted HR, CI keeping the ITT p-value",
      fmt::format("({}, {})", f2(r.hr_lower_itt), f2(r.hr_upper_itt)), "hr_lower_itt",
      r.hr_lower_itt, 1);
  const std::string u = c.units.empty() ? "" : ", " + c.units;
  const KmQuantile mc = km_quantile(r.control_km, 0.5), me = km_quantile(r.experimental_km, 0.5);
  row(fmt::format("Median{}, counterfactual {}", u, c.group_levels.front()),
      est(mc.estimate, mc.lower, mc.upper, f1), "median_counterfactual_control", mc.estimate, 1);
  row(fmt::format("Median{}, {} (observed)", u, c.group_levels.back()),
      est(me.estimate, me.lower, me.upper, f1), "median_experimental", me.estimate, 1);
  if (c.two_stage) {
    const TwoStageResult& s = *c.two_stage;
    heading("Simple two-stage");
    row("psi", est(s.psi, s.psi_lower, s.psi_upper, f3), "two_stage_psi", s.psi, 1);
    row("Adjusted HR", est(s.hr.hr, s.hr.lower, s.hr.upper, f2), "two_stage_hr", s.hr.hr, 1);
  }
  return {
      {fmt::format("Overall survival adjusted for crossover ({} of {} control patients switched)",
                   c.switchers, c.n_control),
       std::move(t)}};
}

plot::KmPlot crossover_plot(const ReportModel& m) {
  const CrossoverSection& c = *m.readout.crossover;
  plot::KmPlot p;
  p.options = m.km_options;
  p.options.title = "Overall survival adjusted for crossover (RPSFTM)";
  p.options.x_label = c.units.empty() ? "Time" : "Time (" + c.units + ")";
  p.options.units = c.units;
  p.options.annotation =
      fmt::format("Adjusted HR {} ({} {}-{})", f2(c.rpsftm.hr.hr), ci_text(m.conf_level),
                  f2(c.rpsftm.hr.lower), f2(c.rpsftm.hr.upper));
  p.options.footnote = m.notice;
  auto curve = [](const KmCurve& k, const std::string& label) {
    plot::KmCurve pc;
    pc.label = label;
    pc.time = k.time;
    pc.surv = k.surv;
    pc.lower = k.lower;
    pc.upper = k.upper;
    pc.n_risk = k.n_risk;
    pc.n_event = k.n_event;
    pc.n_censor = k.n_censor;
    pc.median = km_quantile(k, 0.5).estimate;
    return pc;
  };
  p.curves.push_back(curve(c.rpsftm.experimental_km, c.group_levels.back()));
  p.curves.push_back(
      curve(c.rpsftm.control_km, c.group_levels.front() + " (counterfactual, RPSFTM)"));
  return p;
}

json crossover_json(const ReportModel& m) {
  const CrossoverSection& c = *m.readout.crossover;
  const RpsftmResult& r = c.rpsftm;
  json out;
  out["group_column"] = c.group_name;
  out["control"] = c.group_levels.front();
  out["experimental"] = c.group_levels.back();
  out["switch_flag"] = c.switch_flag;
  out["switch_time"] = c.switch_time;
  out["n"] = c.n;
  out["n_control"] = c.n_control;
  out["switchers"] = c.switchers;
  out["method"] = c.methods;
  const KmQuantile mc = km_quantile(r.control_km, 0.5);
  out["rpsftm"] = {
      {"psi", num(r.psi)},
      {"psi_lower", num(r.lower)},
      {"psi_upper", num(r.upper)},
      {"recensor", r.options.recensor},
      {"z_itt", num(r.z_itt)},
      {"hr", num(r.hr.hr)},
      {"hr_lower", num(r.hr.lower)},
      {"hr_upper", num(r.hr.upper)},
      {"hr_lower_itt", num(r.hr_lower_itt)},
      {"hr_upper_itt", num(r.hr_upper_itt)},
      {"median_counterfactual_control",
       {{"estimate", num(mc.estimate)}, {"lower", num(mc.lower)}, {"upper", num(mc.upper)}}},
      {"warnings", r.warnings}};
  if (c.two_stage) {
    const TwoStageResult& s = *c.two_stage;
    out["two_stage"] = {
        {"psi", num(s.psi)},     {"psi_lower", num(s.psi_lower)}, {"psi_upper", num(s.psi_upper)},
        {"hr", num(s.hr.hr)},    {"hr_lower", num(s.hr.lower)},   {"hr_upper", num(s.hr.upper)},
        {"warnings", s.warnings}};
  } else {
    out["two_stage"] = nullptr;
  }
  return out;
}

void append_crossover_rows(const ReportModel& m, std::vector<ResultRow>& rows) {
  if (!m.readout.crossover) return;
  const CrossoverSection& c = *m.readout.crossover;
  const RpsftmResult& r = c.rpsftm;
  const std::string lv = ci_text(m.conf_level);
  auto add = [&](const std::string& stat, double v, const std::string& method) {
    rows.push_back({.endpoint = "OS_XO",
                    .cohort = "Overall",
                    .arm = "",
                    .statistic = stat,
                    .value = v,
                    .method = method});
  };
  const std::string rp = "RPSFTM, log-rank g-estimation";
  add("rpsftm_psi", r.psi, rp);
  add("rpsftm_psi_lower", r.lower, rp + ", " + lv + " by test inversion");
  add("rpsftm_psi_upper", r.upper, rp + ", " + lv + " by test inversion");
  add("rpsftm_hr", r.hr.hr, rp + "; Cox model on counterfactual control times");
  add("rpsftm_hr_lower", r.hr.lower, rp + "; Cox model " + lv);
  add("rpsftm_hr_upper", r.hr.upper, rp + "; Cox model " + lv);
  add("rpsftm_hr_lower_itt", r.hr_lower_itt, rp + "; " + lv + " keeping the ITT p-value");
  add("rpsftm_hr_upper_itt", r.hr_upper_itt, rp + "; " + lv + " keeping the ITT p-value");
  if (c.two_stage) {
    const TwoStageResult& s = *c.two_stage;
    const std::string ts = "simple two-stage, Weibull AFT of post-progression survival";
    add("two_stage_psi", s.psi, ts);
    add("two_stage_hr", s.hr.hr, ts + "; Cox model on counterfactual control times");
    add("two_stage_hr_lower", s.hr.lower, ts + "; Cox model " + lv);
    add("two_stage_hr_upper", s.hr.upper, ts + "; Cox model " + lv);
  }
}

}  // namespace detail

}  // namespace hazard::report
