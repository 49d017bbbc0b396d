// A hand-built ReportModel for the writer tests: two cohorts, two arms each, curves from a small
// product-limit computation over fixed (time, status) data. The numbers in the model are set by
// hand (they need not be the curves' true estimates: the writers only format what they are given).
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "hazard/report.hpp"

namespace hazard::test {

/// Product-limit curve in survfit's layout for the figure tests (no ties handling subtleties:
/// events before censorings at equal times, as survfit counts them).
inline plot::KmCurve curve_from(const std::string& label, std::vector<double> time,
                                std::vector<int> status) {
  std::vector<std::size_t> idx(time.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return time[a] < time[b]; });
  plot::KmCurve c;
  c.label = label;
  double at_risk = static_cast<double>(time.size()), s = 1;
  for (std::size_t k = 0; k < idx.size();) {
    double t = time[idx[k]], d = 0, cens = 0;
    std::size_t j = k;
    for (; j < idx.size() && time[idx[j]] == t; ++j) (status[idx[j]] ? d : cens) += 1;
    s *= 1 - d / at_risk;
    c.time.push_back(t);
    c.surv.push_back(s);
    c.lower.push_back(std::max(0.0, s - 0.15));
    c.upper.push_back(std::min(1.0, s + 0.15));
    c.n_risk.push_back(at_risk);
    c.n_event.push_back(d);
    c.n_censor.push_back(cens);
    at_risk -= d + cens;
    k = j;
  }
  c.n = static_cast<double>(time.size());
  return c;
}

inline report::ReportModel sample_model() {
  using report::Estimate;
  report::ReportModel m;
  m.title = "CABINET-SIM: progression-free survival";
  m.notice = "SIMULATED DATA \u2014 not trial data.";
  m.endpoint = "Progression-free survival";
  m.endpoint_code = "PFS";
  m.by = "COHORT";
  m.landmark_times = {6, 12};
  m.strata = {"STRAT1R", "STRAT2R"};
  auto arm = [](std::string name, double n, double ev, Estimate med, plot::KmCurve c) {
    report::ArmResult a;
    a.arm = std::move(name);
    a.n = n;
    a.events = ev;
    a.censored = n - ev;
    a.median = med;
    a.q25 = {3.5, 2.1, 5.0};
    a.q75 = {25.0, 18.2, report::na};
    a.landmarks = {{0.712, 0.583, 0.811}, {0.523, 0.391, 0.641}};
    a.curve = std::move(c);
    return a;
  };
  report::CohortResult p;
  p.name = "pNET";
  p.arms.push_back(arm("Cabozantinib", 10, 6, {12.8125, 7.9, 21.0},
                       curve_from("x", {1, 2.5, 4, 6, 8, 12.8, 15, 18, 21, 30},
                                  {1, 0, 1, 1, 0, 1, 1, 0, 1, 0})));
  p.arms.push_back(arm("Placebo", 6, 5, {3.9, 2.8, 7.3},
                       curve_from("y", {0.5, 1.5, 2, 3.9, 5, 9}, {1, 1, 0, 1, 1, 1})));
  p.control = "Placebo";
  p.comparisons = {{.experimental = "Cabozantinib",
                    .control = "Placebo",
                    .hr_stratified = {0.328, 0.194, 0.554},
                    .hr_unstratified = {0.341, 0.205, 0.567},
                    .p_two_sided = 3.1e-05,
                    .p_one_sided = 1.55e-05,
                    .note = ""}};
  report::CohortResult e;
  e.name = "epNET";
  e.arms.push_back(arm("Cabozantinib", 8, 4, {8.4, 5.9, report::na},
                       curve_from("x", {2, 3, 5, 8.4, 10, 14, 20, 26}, {1, 0, 1, 1, 0, 1, 0, 0})));
  e.arms.push_back(arm("Placebo", 7, 7, {3.9, 2.7, 5.8},
                       curve_from("y", {0.7, 1, 2.2, 3.9, 4.4, 6, 11}, {1, 1, 1, 1, 1, 1, 1})));
  e.control = "Placebo";
  e.comparisons = {{.experimental = "Cabozantinib",
                    .control = "Placebo",
                    .hr_stratified = {0.511, 0.366, 0.714},
                    .hr_unstratified = {0.52, 0.37, 0.73},
                    .p_two_sided = 0.0123,
                    .p_one_sided = 0.00615,
                    .note = ""}};
  e.messages = {"stratum STRAT1R=No, STRAT2R=Midgut has one subject"};
  m.cohorts = {p, e};
  m.forest = {
      {.label = "pNET", .n_experimental = 10, .events_experimental = 6, .n_control = 6,
       .events_control = 5, .hr = 0.328, .lower = 0.194, .upper = 0.554},
      {.label = "Age group", .indent = 1, .heading = true},
      {.label = "<65", .indent = 2, .n_experimental = 5, .events_experimental = 3, .n_control = 2,
       .events_control = 0, .note = "not estimable: no events in Placebo"},
      {.label = "epNET", .n_experimental = 8, .events_experimental = 4, .n_control = 7,
       .events_control = 7, .hr = 0.511, .lower = 0.366, .upper = 0.714},
  };
  m.footnotes = {"Stratified by STRAT1R and STRAT2R (randomization strata)."};
  m.inputs = {{.path = "examples/cabinet/adtte.csv",
               .sha256 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
               .bytes = 12345}};
  m.software = "hazard 0.1.0\ncommit abc";
  m.created = "2026-11-25T17:00:00Z";
  m.command = "hazard report --data adtte.csv --out out/";
  return m;
}

}  // namespace hazard::test
