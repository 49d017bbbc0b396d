// `hazard design`: events, boundaries, sample size and look times of a group-sequential survival
// trial (docs/cli/design.md). Parses flags, calls hazard::design_survival, prints.
#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
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

nlohmann::json design_json(const DesignFlags& f, const SurvivalDesignOptions& o,
                           const SurvivalDesign& d) {
  const auto& b = d.boundaries;
  nlohmann::json j;
  j["events"] = num(d.max_events);
  j["sample_size"] = d.plan ? num(d.plan->sample_size) : nlohmann::json(nullptr);
  j["events_fixed"] = num(d.events_fixed);
  j["inflation"] = num(b.inflation);
  j["hr"] = num(o.hr);
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
  j["power_achieved"] = num(b.cum_power.back());
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
  for (std::size_t k = 0; k < b.looks(); ++k) {
    nlohmann::json l;
    l["look"] = k + 1;
    l["info"] = num(b.info[k]);
    l["events"] = num(d.events[k]);
    l["z_efficacy"] = num(b.z_efficacy[k]);
    l["z_futility"] = num(b.z_futility[k]);
    l["p_nominal"] = num(nominal_p(b.z_efficacy[k]));
    l["cum_alpha"] = num(b.alpha_spent[k]);
    l["hr_boundary"] = num(d.hr_efficacy[k]);
    l["hr_futility"] = num(d.hr_futility[k]);
    l["cum_power"] = num(b.cum_power[k]);
    l["reject_h1"] = num(b.reject_h1[k]);
    l["futility_h1"] = num(b.futility_h1[k]);
    l["beta_spent"] = num(b.beta_spent[k]);
    l["time"] = d.plan ? num(d.plan->time[k]) : nlohmann::json(nullptr);
    l["subjects"] = d.plan ? num(d.plan->subjects[k]) : nlohmann::json(nullptr);
    j["looks"].push_back(l);
  }
  return j;
}

void print_design(const DesignFlags& f, const SurvivalDesignOptions& o, const SurvivalDesign& d) {
  const auto& b = d.boundaries;
  fmt::print("Group-sequential survival design ({} look{}, {} spending{}{})\n", b.looks(),
             b.looks() == 1 ? "" : "s", spending_name(o.boundaries.efficacy),
             o.boundaries.futility ? ", futility " + spending_name(*o.boundaries.futility) : "",
             o.boundaries.futility ? (o.boundaries.binding ? " binding" : " non-binding") : "");
  fmt::print("HR {}  one-sided alpha {}  power {}  ratio {}:1  method {}\n", fmt_num(o.hr, 4),
             o.boundaries.alpha, 1 - o.boundaries.beta, o.ratio, f.method);
  fmt::print("Events: fixed design {}, maximum {} (inflation {})\n", fmt_num(d.events_fixed, 2),
             fmt_num(d.max_events, 2), fmt_num(b.inflation, 4));
  fmt::print("Expected events: H0 {}, H1 {}\n", fmt_num(d.expected_events_h0, 2),
             fmt_num(d.expected_events_h1, 2));
  if (d.plan) {
    const auto& p = *d.plan;
    fmt::print("Sample size {} (accrual {} time units, follow-up {}); expected duration under H1 {}\n",
               fmt_num(p.sample_size, 2), fmt_num(p.accrual_end, 2), fmt_num(p.follow_up, 2),
               fmt_num(p.expected_duration_h1, 2));
  }
  fmt::print("\n{:>4} {:>7} {:>9} {:>9} {:>9} {:>10} {:>10} {:>8} {:>9} {:>8}\n", "look", "info",
             "events", "z_eff", "z_fut", "p_nominal", "cum_alpha", "hr_bound", "cum_power", "time");
  for (std::size_t k = 0; k < b.looks(); ++k) {
    const double p = nominal_p(b.z_efficacy[k]);
    fmt::print("{:>4} {:>7} {:>9} {:>9} {:>9} {:>10} {:>10} {:>8} {:>9} {:>8}\n", k + 1,
               fmt_num(b.info[k], 3), fmt_num(d.events[k], 2), fmt_num(b.z_efficacy[k], 4),
               fmt_num(b.z_futility[k], 4), fmt::format("{:.3g}", p),
               fmt::format("{:.4g}", b.alpha_spent[k]), fmt_num(d.hr_efficacy[k], 3),
               fmt_num(b.cum_power[k], 4), d.plan ? fmt_num(d.plan->time[k], 2) : "-");
  }
}

}  // namespace

void register_design(CLI::App& app) {
  auto* cmd = app.add_subcommand("design", "Events, boundaries, sample size and look times of a "
                                           "group-sequential survival trial");
  auto flags = std::make_shared<DesignFlags>();
  auto json = std::make_shared<bool>(false);
  add_design_flags(cmd, *flags);
  cmd->add_flag("--json", *json, "Print JSON instead of a table");
  cmd->callback([flags, json]() {
    auto o = make_design_options(*flags);
    auto d = design_survival(o);
    if (*json) {
      fmt::print("{}\n", design_json(*flags, o, d).dump(2));
    } else {
      print_design(*flags, o, d);
    }
  });
}

}  // namespace hazard::cli
