// `hazard design`: events, boundaries, sample size and look times of a group-sequential survival
// trial (docs/cli/design.md). Parses flags, calls hazard::design_survival, prints.
#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands.hpp"
#include "output_options.hpp"
#include "data_options.hpp"
#include "design_options.hpp"
#include "hazard/design.hpp"

namespace hazard::cli {

namespace {

std::string fmt_num(double x, int digits = 4) {
  if (std::isnan(x)) return "-";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:.{}f}", x, digits);
}

struct DesignOnlyFlags {
  std::optional<double> events;  ///< --events D: power for D events
  std::optional<double> n;       ///< --n N: power (or timing) for N subjects
  bool json = false;
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
  cmd->callback([flags, only]() {
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
