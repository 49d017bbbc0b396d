// The analyses of one cohort for `hazard report`: calls the estimators exactly as `hazard km`,
// `hazard cox --group` and `hazard logrank` do (same option structs, same data rows), so every
// number in a report equals the one those commands print for the same subset. No statistic is
// computed here; this file only decides what can be estimated and says why not otherwise.
//
// Input contract: `d` is the data layer's SurvData of the cohort (group codes, 0 = the --ref
// level; stratum codes when --strata was given). Two arms are compared: experimental =
// group_levels[1] vs control = group_levels[0].
#include <cmath>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/report.hpp"

namespace hazard::report {
namespace {

// The Cox model of `hazard cox --group G`: one 0/1 column "G[level]" for the experimental arm.
CoxData cox_data(const SurvData& d, bool stratified) {
  CoxData cd;
  cd.time = d.time;
  cd.start = d.start;
  cd.status = d.status;
  cd.weight = d.weight;
  if (stratified) cd.stratum = d.stratum;
  const std::size_t n = d.size();
  cd.x.resize(static_cast<Eigen::Index>(n), 1);
  for (std::size_t i = 0; i < n; ++i) cd.x(static_cast<Eigen::Index>(i), 0) = d.group[i] == 1 ? 1.0 : 0.0;
  cd.names = {fmt::format("{}[{}]", d.group_name, d.group_levels.size() > 1 ? d.group_levels[1] : "")};
  return cd;
}

// The HR of the arm column, or NaN with the reason in `note`.
Estimate fit_hr(const SurvData& d, bool stratified, const AnalysisOptions& o, std::string& note,
                std::vector<std::string>& warnings) {
  try {
    const CoxResult r = cox_fit(cox_data(d, stratified),
                                CoxOptions{.ties = o.ties, .conf_level = o.km.conf_level});
    for (const auto& w : r.warnings) warnings.push_back(w);
    if (r.terms.empty() || !std::isfinite(r.terms[0].hr)) {
      note = "hazard ratio not estimable";
      return {};
    }
    return {r.terms[0].hr, r.terms[0].lower, r.terms[0].upper};
  } catch (const NumericalError& e) {
    note = fmt::format("hazard ratio not estimable: {}", e.what());
  } catch (const UsageError& e) {
    note = fmt::format("hazard ratio not estimable: {}", e.what());
  }
  return {};
}

// Events per arm code (case-weighted as the estimators count them is not needed: counts).
std::vector<double> events_per_arm(const SurvData& d) {
  std::vector<double> ev(d.n_groups(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d.status[i]) ev[d.group.empty() ? 0 : static_cast<std::size_t>(d.group[i])] += 1.0;
  return ev;
}

}  // namespace

std::string ties_text(Ties t) {
  switch (t) {
    case Ties::efron: return "Efron";
    case Ties::breslow: return "Breslow";
    case Ties::exact: return "exact (discrete)";
  }
  return "";
}

Methods describe_methods(const AnalysisOptions& o, const std::vector<std::string>& strata) {
  Methods m;
  const std::string level = fmt::format("{:g}%", o.km.conf_level * 100);
  const std::string ci = conf_type_name(o.km.conf_type);
  m.km = fmt::format("Kaplan–Meier (product-limit, as R survfit); {} CI {} (Greenwood variance)", level, ci);
  m.quantiles = fmt::format("quantiles as R quantile.survfit, {} CI where the {} band crosses (Brookmeyer–Crowley)",
                            level, ci);
  m.landmarks = fmt::format("Kaplan–Meier estimate at the time; {} CI {} (Greenwood variance)", level, ci);
  m.hr_unstratified = fmt::format("Cox proportional hazards (as R coxph), unstratified; {} ties; {} Wald CI",
                                  ties_text(o.ties), level);
  if (strata.empty()) {
    // No --strata: the "stratified" numbers are the unstratified ones, and say so.
    m.hr_stratified = m.hr_unstratified + " (no --strata given)";
    m.logrank = "log-rank test (as R survdiff), unstratified";
  } else {
    const std::string st = fmt::format("{}", fmt::join(strata, ", "));
    m.hr_stratified = fmt::format("Cox proportional hazards (as R coxph), stratified by {}; {} ties; {} Wald CI",
                                  st, ties_text(o.ties), level);
    m.logrank = fmt::format("log-rank test (as R survdiff), stratified by {}", st);
  }
  return m;
}

CohortResult analyse_cohort(const SurvData& d, const std::string& name, const AnalysisOptions& o) {
  CohortResult c;
  c.name = name;
  const KmResult km = kaplan_meier(d, o.km);
  const std::size_t k = km.groups.size();
  // Display order: experimental arms first, the reference (control) last.
  for (std::size_t g = 1; g < k; ++g)
    c.arms.push_back(arm_from_km(km.groups[g], km.groups[g].level.value_or(name)));
  if (k > 0) c.arms.push_back(arm_from_km(km.groups[0], km.groups[0].level.value_or(name)));

  if (d.group.empty() || d.group_levels.size() < 2) {
    c.comparison.control = d.group_levels.empty() ? "" : d.group_levels[0];
    c.comparison.note = "one arm only: no comparison";
    c.messages.push_back(fmt::format("only one arm ({}) in this cohort: no hazard ratio or log-rank test",
                                     c.comparison.control));
    return c;
  }
  c.comparison.experimental = d.group_levels[1];
  c.comparison.control = d.group_levels[0];
  if (d.group_levels.size() > 2) {
    c.comparison.note = fmt::format("{} arms: the report compares two arms", d.group_levels.size());
    c.messages.push_back(fmt::format("{} arms in this cohort; select two with --where", d.group_levels.size()));
    return c;
  }

  // Strata with one subject: legal for the estimators, but worth saying.
  if (!d.stratum.empty()) {
    std::vector<std::size_t> per(d.strata_levels.size(), 0);
    for (auto s : d.stratum) ++per[static_cast<std::size_t>(s)];
    for (std::size_t s = 0; s < per.size(); ++s)
      if (per[s] == 1)
        c.messages.push_back(fmt::format("stratum {} has one subject: it adds nothing to the stratified "
                                         "log-rank test and Cox model", d.strata_levels[s]));
  }

  const std::vector<double> ev = events_per_arm(d);
  std::vector<std::string> no_events;
  for (std::size_t g = 0; g < ev.size(); ++g)
    if (ev[g] == 0) no_events.push_back(d.group_levels[g]);

  const LogrankResult lr = logrank(d, LogrankOptions{});
  c.comparison.p_two_sided = lr.test.p;
  c.comparison.p_one_sided = lr.test.p_one_sided;

  if (!no_events.empty()) {
    c.comparison.note = fmt::format("no events in {}: hazard ratio not estimable", fmt::join(no_events, ", "));
    c.messages.push_back(c.comparison.note);
    return c;
  }
  std::vector<std::string> warnings;
  std::string note_s, note_u;
  c.comparison.hr_stratified = fit_hr(d, !d.stratum.empty(), o, note_s, warnings);
  c.comparison.hr_unstratified = fit_hr(d, false, o, note_u, warnings);
  c.comparison.note = !note_s.empty() ? note_s : note_u;
  if (!c.comparison.note.empty()) c.messages.push_back(c.comparison.note);
  for (const auto& w : warnings) c.messages.push_back("Cox model: " + w);
  return c;
}

plot::ForestRow subgroup_forest_row(const SurvData& d, const std::string& label, int indent,
                                    const AnalysisOptions& o) {
  plot::ForestRow r;
  r.label = label;
  r.indent = indent;
  std::vector<double> n(d.n_groups(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i) n[d.group.empty() ? 0 : static_cast<std::size_t>(d.group[i])] += 1.0;
  const std::vector<double> ev = events_per_arm(d);
  r.n_control = n[0];
  r.events_control = ev[0];
  if (d.group_levels.size() != 2) {
    r.note = d.group_levels.size() < 2 ? "one arm only" : "more than two arms";
    return r;
  }
  r.n_experimental = n[1];
  r.events_experimental = ev[1];
  if (ev[0] == 0 || ev[1] == 0) {
    r.note = "not estimable: an arm has no events";
    return r;
  }
  std::string note;
  std::vector<std::string> warnings;
  const Estimate hr = fit_hr(d, false, o, note, warnings);
  r.hr = hr.value;
  r.lower = hr.lower;
  r.upper = hr.upper;
  if (!std::isfinite(r.hr)) r.note = "not estimable";
  return r;
}

}  // namespace hazard::report
