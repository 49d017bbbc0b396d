// `hazard design`: events, boundaries, sample size and look times of a group-sequential survival
// trial (docs/cli/design.md). Parses flags, calls hazard::design_survival, prints.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.hpp"
#include "data_options.hpp"
#include "design_options.hpp"
#include "hazard/ahr_design.hpp"
#include "hazard/design.hpp"
#include "hazard/error.hpp"
#include "output_options.hpp"
#include "text_format.hpp"
#include "unknown_flags.hpp"

namespace hazard::cli {

namespace {

std::string fmt_num(double x, int digits = 4) { return fixed_or_dash(x, digits); }

struct DesignOnlyFlags {
  std::optional<double> events;  ///< --events D: power for D events
  std::optional<double> n;       ///< --n N: power (or timing) for N subjects
  bool json = false;
  // --nph: the average-hazard-ratio design (hazard/ahr_design.hpp)
  bool nph = false;
  std::vector<double> piece_start;       ///< --piece-start
  std::vector<double> hazard_control;    ///< --hazard-control
  std::vector<double> hr_pieces;         ///< --hr-pieces
  std::vector<double> dropout_hazard;    ///< --dropout-hazard
  std::optional<double> study_duration;  ///< --study-duration
  std::vector<double> analysis_times;    ///< --analysis-times
};

double arm_share(double n, double ratio, bool experimental) {
  return experimental ? n * ratio / (1 + ratio) : n / (1 + ratio);
}

nlohmann::json rounded_json(const SurvivalDesignOptions& o, const SurvivalDesign& r) {
  nlohmann::json j;
  j["events"] = num(r.max_events);
  j["power"] = num(r.power);
  j["expected_events_h1"] = num(r.expected_events_h1);
  if (r.plan) {
    const auto& p = *r.plan;
    j["sample_size"] = num(p.sample_size);
    j["sample_size_1"] = num(std::round(arm_share(p.sample_size, o.ratio, true)));
    j["sample_size_2"] = num(std::round(arm_share(p.sample_size, o.ratio, false)));
    j["accrual_end"] = num(p.accrual_end);
    j["follow_up"] = num(p.follow_up);
    j["study_duration"] = num(p.time.back());
    j["expected_duration_h1"] = num(p.expected_duration_h1);
  } else {
    j["sample_size"] = nullptr;
  }
  j["looks"] = nlohmann::json::array();
  double cum = 0;
  for (std::size_t k = 0; k < r.events.size(); ++k) {
    cum += r.reject_h1[k];
    j["looks"].push_back(
        {{"look", k + 1},
         {"events", num(r.events[k])},
         {"hr_boundary", num(r.hr_efficacy[k])},
         {"cum_power", num(cum)},
         {"time", r.plan ? num(r.plan->time[k]) : nlohmann::json(nullptr)},
         {"subjects", r.plan ? num(r.plan->subjects[k]) : nlohmann::json(nullptr)}});
  }
  return j;
}

nlohmann::json design_json(const DesignFlags& f, const SurvivalDesignOptions& o,
                           const SurvivalDesign& d, const SurvivalDesign& rounded) {
  const auto& b = d.boundaries;
  nlohmann::json j;
  j["mode"] = d.power_mode ? "power" : "sample size";
  j["events"] = num(d.max_events);
  j["sample_size"] = d.plan ? num(d.plan->sample_size) : nlohmann::json(nullptr);
  j["sample_size_1"] =
      d.plan ? num(arm_share(d.plan->sample_size, o.ratio, true)) : nlohmann::json(nullptr);
  j["sample_size_2"] =
      d.plan ? num(arm_share(d.plan->sample_size, o.ratio, false)) : nlohmann::json(nullptr);
  j["events_fixed"] = num(d.events_fixed);
  j["inflation"] = num(b.inflation);
  j["hr"] = num(o.hr);
  j["hr0"] = num(o.hr0);
  j["sided"] = o.boundaries.sided;
  j["alpha"] = num(o.boundaries.alpha);
  j["power"] = num(1 - o.boundaries.beta);
  j["ratio"] = num(o.ratio);
  j["method"] = f.method;
  j["spending"] = spending_name(o.boundaries.efficacy);
  j["futility"] = o.boundaries.futility ? nlohmann::json(spending_name(*o.boundaries.futility))
                                        : nlohmann::json(nullptr);
  j["binding"] = o.boundaries.binding;
  j["drift"] = num(b.drift);
  j["expected_events_h0"] = num(d.expected_events_h0);
  j["expected_events_h01"] = num(d.expected_events_h01);
  j["expected_events_h1"] = num(d.expected_events_h1);
  j["power_achieved"] = num(d.power);
  j["drift_h1"] = num(d.drift_h1);
  j["rounded"] = rounded_json(o, rounded);
  if (d.plan) {
    const auto& p = *d.plan;
    j["accrual_end"] = num(p.accrual_end);
    j["follow_up"] = num(p.follow_up);
    j["accrual_rate"] = p.accrual_rate;
    j["study_duration"] = num(p.time.back());
    j["expected_duration_h1"] = num(p.expected_duration_h1);
    j["expected_sample_size_h1"] = num(p.expected_subjects_h1);
    j["median_control"] = num(*f.median_control);
    j["dropout"] = num(f.dropout);
    j["dropout_time"] = num(f.dropout_time);
  }
  j["looks"] = nlohmann::json::array();
  double cum = 0;
  for (std::size_t k = 0; k < b.looks(); ++k) {
    cum += d.reject_h1[k];
    nlohmann::json l;
    l["look"] = k + 1;
    l["info"] = num(b.info[k]);
    l["events"] = num(d.events[k]);
    l["z_efficacy"] = num(b.z_efficacy[k]);
    l["z_futility"] = num(b.z_futility[k]);
    // the nominal p of the efficacy bound (both sides with --sided 2), as the R and Python packages
    l["p_nominal"] = num(o.boundaries.sided * nominal_p(b.z_efficacy[k]));
    l["cum_alpha"] = num(b.alpha_spent[k]);
    l["hr_boundary"] = num(d.hr_efficacy[k]);
    l["hr_boundary_other"] = num(d.hr_efficacy_other[k]);
    l["hr_futility"] = num(d.hr_futility[k]);
    l["cum_power"] = num(cum);
    l["reject_h1"] = num(d.reject_h1[k]);
    l["futility_h1"] = num(d.futility_h1[k]);
    l["beta_spent"] = num(b.beta_spent[k]);
    l["time"] = d.plan ? num(d.plan->time[k]) : nlohmann::json(nullptr);
    l["subjects"] = d.plan ? num(d.plan->subjects[k]) : nlohmann::json(nullptr);
    l["subjects_1"] =
        d.plan ? num(arm_share(d.plan->subjects[k], o.ratio, true)) : nlohmann::json(nullptr);
    l["subjects_2"] =
        d.plan ? num(arm_share(d.plan->subjects[k], o.ratio, false)) : nlohmann::json(nullptr);
    j["looks"].push_back(l);
  }
  return j;
}

void print_design(const DesignFlags& f, const SurvivalDesignOptions& o, const SurvivalDesign& d,
                  const SurvivalDesign& r) {
  const auto& b = d.boundaries;
  fmt::print("Group-sequential survival design ({} look{}, {} spending{}{}){}\n", b.looks(),
             b.looks() == 1 ? "" : "s", spending_name(o.boundaries.efficacy),
             o.boundaries.futility ? ", futility " + spending_name(*o.boundaries.futility) : "",
             o.boundaries.futility ? (o.boundaries.binding ? " binding" : " non-binding") : "",
             d.power_mode ? ": power for the given events" : "");
  fmt::print("HR {}{}  {}-sided alpha {}  {} {}  ratio {}:1  method {}\n", fmt_num(o.hr, 4),
             o.hr0 != 1 ? fmt::format(" (H0: HR {} {})", o.hr < o.hr0 ? ">=" : "<=", o.hr0) : "",
             o.boundaries.sided == 1 ? "one" : "two", o.boundaries.alpha,
             d.power_mode ? "power" : "target power",
             d.power_mode ? fmt_num(d.power, 4) : fmt::format("{}", 1 - o.boundaries.beta), o.ratio,
             f.method);
  if (d.power_mode) {
    fmt::print("Events: maximum {} (fixed design for power {}: {})\n", fmt_num(d.max_events, 2),
               1 - o.boundaries.beta, fmt_num(d.events_fixed, 2));
  } else {
    fmt::print("Events: fixed design {}, maximum {} (inflation {})\n", fmt_num(d.events_fixed, 2),
               fmt_num(d.max_events, 2), fmt_num(b.inflation, 4));
  }
  fmt::print("Expected events: H0 {}, H1 {}\n", fmt_num(d.expected_events_h0, 2),
             fmt_num(d.expected_events_h1, 2));
  if (d.plan) {
    const auto& p = *d.plan;
    fmt::print(
        "Sample size {} ({} experimental + {} control; accrual {} time units, follow-up {}); "
        "expected duration under H1 {}\n",
        fmt_num(p.sample_size, 2), fmt_num(arm_share(p.sample_size, o.ratio, true), 2),
        fmt_num(arm_share(p.sample_size, o.ratio, false), 2), fmt_num(p.accrual_end, 2),
        fmt_num(p.follow_up, 2), fmt_num(p.expected_duration_h1, 2));
  }
  fmt::print(
      "Rounded up: {} events{}, power {}{}\n", fmt_num(r.max_events, 0),
      r.plan ? fmt::format(", {} subjects ({} + {})", fmt_num(r.plan->sample_size, 0),
                           fmt_num(std::round(arm_share(r.plan->sample_size, o.ratio, true)), 0),
                           fmt_num(std::round(arm_share(r.plan->sample_size, o.ratio, false)), 0))
             : "",
      fmt_num(r.power, 4),
      r.plan ? fmt::format(", follow-up {}, study duration {}", fmt_num(r.plan->follow_up, 2),
                           fmt_num(r.plan->time.back(), 2))
             : "");
  fmt::print("\n{:>4} {:>7} {:>9} {:>9} {:>9} {:>10} {:>10} {:>8} {:>9} {:>8}\n", "look", "info",
             "events", "z_eff", "z_fut", "p_nominal", "cum_alpha", "hr_bound", "cum_power", "time");
  double cum = 0;
  for (std::size_t k = 0; k < b.looks(); ++k) {
    cum += d.reject_h1[k];
    const double p = o.boundaries.sided * nominal_p(b.z_efficacy[k]);
    fmt::print("{:>4} {:>7} {:>9} {:>9} {:>9} {:>10} {:>10} {:>8} {:>9} {:>8}\n", k + 1,
               fmt_num(b.info[k], 3), fmt_num(d.events[k], 2), fmt_num(b.z_efficacy[k], 4),
               fmt_num(b.z_futility[k], 4), fmt::format("{:.3g}", p),
               fmt::format("{:.4g}", b.alpha_spent[k]), fmt_num(d.hr_efficacy[k], 3),
               fmt_num(cum, 4), d.plan ? fmt_num(d.plan->time[k], 2) : "-");
  }
}

// ---------------------------------------------------------------- --nph (AHR design)

AhrDesignOptions ahr_options(const CLI::App& cmd, const DesignFlags& f, const DesignOnlyFlags& n) {
  for (const char* flag : {"--hr", "--hr0", "--median-experimental", "--method", "--info",
                           "--follow-up", "--events", "--n"}) {
    if (times_given(cmd, flag) > 0) {
      throw UsageError(fmt::format(
          "{} does not apply with --nph (the AHR design takes --hr-pieces per --piece-start, "
          "the enrolment from --accrual-time/--accrual-rate and optionally --study-duration)",
          flag));
    }
  }
  const std::size_t looks = n.analysis_times.empty() ? 1 : n.analysis_times.size();
  if (times_given(cmd, "--looks") > 0 && static_cast<std::size_t>(f.looks) != looks) {
    throw UsageError(
        fmt::format("--looks: value '{}': --nph takes one analysis per --analysis-times ({} given)",
                    f.looks, n.analysis_times.size()));
  }
  if (n.analysis_times.empty() && times_given(cmd, "--spending") > 0) {
    throw UsageError(
        "--spending needs --analysis-times with --nph (a fixed design has no spending)");
  }
  for (const char* flag : {"--futility", "--binding"})
    if (n.analysis_times.empty() && times_given(cmd, flag) > 0)
      throw UsageError(fmt::format("{} needs --analysis-times with --nph (a fixed design has no futility bounds)", flag));
  if (f.binding && (f.futility.empty() || f.futility == "none"))
    throw UsageError("--binding needs --futility (binding futility bounds)");
  AhrDesignOptions o;
  o.alpha = f.alpha;
  o.sided = f.sided;
  o.beta = 1 - f.power;
  o.ratio = f.ratio;
  o.start = n.piece_start.empty() ? std::vector<double>{0} : n.piece_start;
  if (f.median_control && !n.hazard_control.empty()) {
    throw UsageError("give --median-control or --hazard-control, not both");
  }
  if (f.median_control) {
    if (!(*f.median_control > 0)) {
      throw UsageError(fmt::format("--median-control: value '{}': must be > 0", *f.median_control));
    }
    o.hazard_control.assign(o.start.size(), std::log(2.0) / *f.median_control);
  } else if (n.hazard_control.size() == 1) {
    o.hazard_control.assign(o.start.size(), n.hazard_control[0]);
  } else if (!n.hazard_control.empty()) {
    o.hazard_control = n.hazard_control;
  } else {
    throw UsageError("--nph needs --median-control M or --hazard-control h1,...,hm");
  }
  if (n.hr_pieces.empty()) throw UsageError("--nph needs --hr-pieces HR1,...,HRm");
  o.hr = n.hr_pieces;
  if (!n.dropout_hazard.empty() && times_given(cmd, "--dropout") > 0) {
    throw UsageError("give --dropout (with --dropout-time) or --dropout-hazard, not both");
  }
  if (!n.dropout_hazard.empty()) {
    o.dropout_hazard = n.dropout_hazard;
  } else if (f.dropout > 0) {
    if (!(f.dropout < 1) || !(f.dropout_time > 0)) {
      throw UsageError(fmt::format(
          "--dropout: value '{}': must be in [0, 1) with --dropout-time > 0", f.dropout));
    }
    o.dropout_hazard = {-std::log1p(-f.dropout) / f.dropout_time};
  }
  o.accrual = {.end = f.accrual_time, .rate = f.accrual_rate};
  if (o.accrual.rate.empty()) o.accrual.rate.assign(o.accrual.end.size(), 1.0);
  if (!n.study_duration && n.analysis_times.empty() && times_given(cmd, "--accrual-rate") == 0) {
    throw UsageError(
        "--nph needs --accrual-rate (patients per time unit) or --study-duration "
        "(the rates then give the shape only)");
  }
  o.study_duration = n.study_duration;
  o.analysis_times = n.analysis_times;
  o.efficacy = parse_spending(f.spending);
  if (!f.futility.empty() && f.futility != "none") o.futility = parse_spending(f.futility);
  o.binding = f.binding;
  return o;
}

nlohmann::json ahr_json(const AhrDesignOptions& o, const AhrDesign& d) {
  nlohmann::json j;
  j["method"] = "average hazard ratio (Mukhopadhyay et al. 2020; gsDesign2 ahr, H0 information)";
  j["mode"] = o.study_duration || !d.looks.empty() ? "study duration given" : "accrual rates given";
  j["events"] = num(d.events);
  j["events_rounded"] = num(std::ceil(d.events - 1e-9));
  j["sample_size"] = num(d.sample_size);
  j["sample_size_1"] = num(arm_share(d.sample_size, o.ratio, true));
  j["sample_size_2"] = num(arm_share(d.sample_size, o.ratio, false));
  j["ahr"] = num(d.ahr);
  j["study_duration"] = num(d.study_duration);
  j["info"] = num(d.at_end.info);
  j["alpha"] = num(o.alpha);
  j["sided"] = o.sided;
  j["power"] = num(1 - o.beta);
  j["ratio"] = num(o.ratio);
  j["accrual_time"] = o.accrual.end;
  j["accrual_rate"] = d.accrual_rate;
  j["events_fixed"] = num(d.events_fixed);
  j["power_achieved"] = num(d.power);
  j["spending"] =
      d.looks.empty() ? nlohmann::json(nullptr) : nlohmann::json(spending_name(o.efficacy));
  j["futility"] = o.futility ? nlohmann::json(spending_name(*o.futility)) : nlohmann::json(nullptr);
  j["binding"] = o.binding;
  j["looks"] = nlohmann::json::array();
  for (std::size_t k = 0; k < d.looks.size(); ++k) {
    const auto& l = d.looks[k];
    j["looks"].push_back({{"look", k + 1},
                          {"time", num(l.time)},
                          {"events", num(l.events)},
                          {"info", num(l.info_fraction)},
                          {"ahr", num(l.ahr)},
                          {"z_efficacy", num(l.z_efficacy)},
                          {"z_futility", num(l.z_futility)},
                          {"p_nominal", num(o.sided * nominal_p(l.z_efficacy))},
                          {"hr_futility", num(l.hr_futility)},
                          {"reject_h1", num(l.reject_h1)},
                          {"futility_h1", num(l.futility_h1)},
                          {"beta_spent", num(l.beta_spent)},
                          {"cum_power", num(l.cum_power)}});
  }
  j["pieces"] = nlohmann::json::array();
  const std::size_t m = o.start.size();
  for (std::size_t k = 0; k < m; ++k) {
    nlohmann::json p;
    p["start"] = num(o.start[k]);
    p["end"] = k + 1 < m ? num(o.start[k + 1]) : nlohmann::json(nullptr);
    p["hazard_control"] = num(o.hazard_control[k]);
    p["hr"] = num(o.hr[k]);
    p["dropout_hazard"] = num(o.dropout_hazard.empty()       ? 0.0
                              : o.dropout_hazard.size() == 1 ? o.dropout_hazard[0]
                                                             : o.dropout_hazard[k]);
    p["events"] = num(d.at_end.events[k]);
    p["events_control"] = num(d.at_end.control[k]);
    p["events_experimental"] = num(d.at_end.experimental[k]);
    j["pieces"].push_back(p);
  }
  return j;
}

void print_ahr(const AhrDesignOptions& o, const AhrDesign& d) {
  fmt::print(
      "{} design, non-proportional hazards: average hazard ratio method (Mukhopadhyay "
      "et al. 2020; gsDesign2 ahr)\n",
      d.looks.empty() ? "Fixed" : "Group-sequential");
  fmt::print("{}-sided alpha {}  target power {}  ratio {}:1  {}\n", o.sided == 1 ? "one" : "two",
             o.alpha, 1 - o.beta, o.ratio,
             o.study_duration || !d.looks.empty() ? "study duration given: accrual rates scaled"
                                                  : "accrual rates given: study duration solved");
  fmt::print("AHR {}  events {} (rounded up {})  sample size {} ({} experimental + {} control)\n",
             fmt_num(d.ahr, 4), fmt_num(d.events, 2), fmt_num(std::ceil(d.events - 1e-9), 0),
             fmt_num(d.sample_size, 2), fmt_num(arm_share(d.sample_size, o.ratio, true), 2),
             fmt_num(arm_share(d.sample_size, o.ratio, false), 2));
  std::string rates;
  for (double r : d.accrual_rate) rates += (rates.empty() ? "" : ",") + fmt_num(r, 4);
  fmt::print("Study duration {}  accrual ends {} (rates {})\n", fmt_num(d.study_duration, 2),
             fmt_num(o.accrual.end.back(), 2), rates);
  if (!d.looks.empty()) {
    fmt::print("Group-sequential: {} analyses, {} spending{}{}{}; fixed design {} events\n", d.looks.size(),
               spending_name(o.efficacy), o.sided == 2 ? " (two-sided, symmetric bounds +-z_eff)" : "",
               o.futility ? ", futility " + spending_name(*o.futility) + " beta spending" : "",
               o.futility ? (o.binding ? " binding" : " non-binding (type I error ignores it)") : "",
               fmt_num(d.events_fixed, 2));
    if (o.futility) {
      fmt::print("\n{:>4} {:>8} {:>9} {:>7} {:>7} {:>9} {:>9} {:>10} {:>9} {:>9}\n", "look", "time", "events",
                 "info", "ahr", "z_eff", "z_fut", "p_nominal", "beta_sp", "cum_power");
    } else {
      fmt::print("\n{:>4} {:>8} {:>9} {:>7} {:>7} {:>9} {:>10} {:>9}\n", "look", "time", "events", "info", "ahr",
                 "z_eff", "p_nominal", "cum_power");
    }
    for (std::size_t k = 0; k < d.looks.size(); ++k) {
      const auto& l = d.looks[k];
      const std::string pn = fmt::format("{:.3g}", o.sided * nominal_p(l.z_efficacy));
      if (o.futility) {
        fmt::print("{:>4} {:>8} {:>9} {:>7} {:>7} {:>9} {:>9} {:>10} {:>9} {:>9}\n", k + 1, fmt_num(l.time, 2),
                   fmt_num(l.events, 2), fmt_num(l.info_fraction, 3), fmt_num(l.ahr, 4), fmt_num(l.z_efficacy, 4),
                   fmt_num(l.z_futility, 4), pn, fmt_num(l.beta_spent, 4), fmt_num(l.cum_power, 4));
      } else {
        fmt::print("{:>4} {:>8} {:>9} {:>7} {:>7} {:>9} {:>10} {:>9}\n", k + 1, fmt_num(l.time, 2),
                   fmt_num(l.events, 2), fmt_num(l.info_fraction, 3), fmt_num(l.ahr, 4), fmt_num(l.z_efficacy, 4),
                   pn, fmt_num(l.cum_power, 4));
      }
    }
  }
  fmt::print("\n{:>8} {:>8} {:>10} {:>6} {:>10} {:>10} {:>10}\n", "start", "end", "hazard_ctl",
             "hr", "events", "ev_ctl", "ev_exp");
  const std::size_t m = o.start.size();
  for (std::size_t k = 0; k < m; ++k) {
    fmt::print("{:>8} {:>8} {:>10} {:>6} {:>10} {:>10} {:>10}\n", fmt_num(o.start[k], 2),
               k + 1 < m ? fmt_num(o.start[k + 1], 2) : "inf", fmt_num(o.hazard_control[k], 5),
               fmt_num(o.hr[k], 3), fmt_num(d.at_end.events[k], 2), fmt_num(d.at_end.control[k], 2),
               fmt_num(d.at_end.experimental[k], 2));
  }
}

}  // namespace

void register_design(CLI::App& app) {
  auto* cmd = app.add_subcommand("design", "Events, boundaries, sample size and look times of a "
                                           "group-sequential survival trial");
  auto flags = std::make_shared<DesignFlags>();
  auto only = std::make_shared<DesignOnlyFlags>();
  add_design_flags(cmd, *flags);
  cmd->add_option("--events", only->events,
                  "Power for this maximum number of events (rpact getPowerSurvival "
                  "maxNumberOfEvents) instead of the events for --power");
  cmd->add_option("--n", only->n,
                  "Maximum number of subjects (rpact maxNumberOfSubjects; needs --median-control): "
                  "the follow-up is computed; without --events, the power for the events expected "
                  "by the end of --follow-up");
  cmd->add_flag("--json", only->json, "Print JSON instead of a table");
  cmd->add_flag("--nph", only->nph,
                "Non-proportional hazards: fixed or group-sequential design by the average hazard "
                "ratio (AHR) method");
  cmd->add_option(
         "--piece-start", only->piece_start,
         "--nph: starts of the pieces of time since randomisation, 0,t2,...,tm (default 0)")
      ->delimiter(',');
  cmd->add_option("--hazard-control", only->hazard_control,
                  "--nph: control hazard per piece (one value: all pieces); or --median-control")
      ->delimiter(',');
  cmd->add_option("--hr-pieces", only->hr_pieces,
                  "--nph: hazard ratio experimental/control per piece")
      ->delimiter(',');
  cmd->add_option("--dropout-hazard", only->dropout_hazard,
                  "--nph: dropout hazard per piece (one value: all pieces), instead of --dropout")
      ->delimiter(',');
  cmd->add_option("--analysis-times", only->analysis_times,
                  "--nph: calendar times of the analyses t1,...,tK (group-sequential; the last is "
                  "the study duration, the accrual rates give the shape only)")
      ->delimiter(',');
  cmd->add_option(
      "--study-duration", only->study_duration,
      "--nph: calendar time of the analysis; the accrual rates then give the shape only");
  cmd->callback([cmd, flags, only]() {
    if (only->nph) {
      const auto o = ahr_options(*cmd, *flags, *only);
      const auto d = design_ahr(o);
      if (only->json) {
        fmt::print("{}\n", json_text(ahr_json(o, d)));
      } else {
        print_ahr(o, d);
      }
      return;
    }
    for (const char* flag : {"--piece-start", "--hazard-control", "--hr-pieces", "--dropout-hazard",
                             "--study-duration", "--analysis-times"}) {
      if (times_given(*cmd, flag) > 0) throw UsageError(fmt::format("{} needs --nph", flag));
    }
    auto o = make_design_options(*flags);
    o.max_events = only->events;
    o.max_subjects = only->n;
    auto d = design_survival(o);
    auto r = round_up(o, d);
    if (only->json) {
      fmt::print("{}\n", json_text(design_json(*flags, o, d, r)));
    } else {
      print_design(*flags, o, d, r);
    }
  });
}

}  // namespace hazard::cli
