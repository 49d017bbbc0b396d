// The analyses of one cohort for `hazard report`: calls the estimators exactly as `hazard km`,
// `hazard cox --group` and `hazard logrank` do (same option structs, same data rows), so every
// number in a report equals the one those commands print for the same subset. No statistic is
// computed here; this file only decides what can be estimated and says why not otherwise.
//
// Input contract: `d` is the data layer's SurvData of the cohort (group codes, 0 = the --ref
// level; stratum codes when --strata was given). Each arm k >= 1 is compared with the control
// (group_levels[0]): its HR from one Cox model with K - 1 arm indicators (as R's
// coxph(Surv ~ arm + strata(s)) with arm a factor whose first level is the control), its log-rank
// test on the rows of the two arms (as survdiff on that subset); with K >= 3 arms also the K-group
// log-rank test of all arms (survdiff on all rows).
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "hazard/cox.hpp"
#include "hazard/error.hpp"
#include "hazard/km.hpp"
#include "hazard/logrank.hpp"
#include "hazard/report.hpp"
#include "report/rows.hpp"

namespace hazard::report {
namespace {

// The Cox model of `hazard cox --group G`: one 0/1 column "G[level]" per non-reference arm.
CoxData cox_data(const SurvData& d, bool stratified) {
  CoxData cd;
  cd.time = d.time;
  cd.start = d.start;
  cd.status = d.status;
  cd.weight = d.weight;
  if (stratified) cd.stratum = d.stratum;
  const std::size_t n = d.size();
  const std::size_t k = d.group_levels.size() > 1 ? d.group_levels.size() - 1 : 1;
  cd.x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(k));
  for (std::size_t i = 0; i < n; ++i)
    if (!d.group.empty() && d.group[i] > 0)
      cd.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(d.group[i] - 1)) = 1.0;
  for (std::size_t j = 0; j < k; ++j)
    cd.names.push_back(fmt::format("{}[{}]", d.group_name,
                                   j + 1 < d.group_levels.size() ? d.group_levels[j + 1] : ""));
  return cd;
}

// The HRs of the arm columns (one per non-reference arm), NaN with the reason in `note` when the
// model cannot be fitted or an estimate is not one: a fit that did not converge (every HR), a
// coefficient running to infinity (monotone likelihood, R's "coefficient may be infinite"), an
// aliased column. Such an HR is never shown as a number (e.g. "<0.01"): it is NE with the reason.
std::vector<Estimate> fit_hrs(const SurvData& d, bool stratified, const AnalysisOptions& o,
                              std::string& note, std::vector<std::string>& warnings) {
  const std::size_t k = d.group_levels.size() > 1 ? d.group_levels.size() - 1 : 1;
  std::vector<Estimate> out(k);
  try {
    const CoxData cd = cox_data(d, stratified);
    const CoxResult r = cox_fit(cd, CoxOptions{.ties = o.ties, .conf_level = o.km.conf_level});
    for (const auto& w : r.warnings) warnings.push_back(w);
    if (!r.converged) {
      note = fmt::format("hazard ratio not estimable (NE): the {}Cox model did not converge ({})",
                         stratified ? "stratified " : "", fmt::join(r.warnings, "; "));
      return out;
    }
    for (std::size_t j = 0; j < k && j < r.terms.size(); ++j) {
      const CoxTerm& t = r.terms[j];
      std::string why;
      for (const auto& w : r.warnings)
        if (w.find("(" + cd.names[j] + ")") != std::string::npos) why = w;
      if (!why.empty())
        note = fmt::format("hazard ratio not estimable (NE): {}", why);
      else if (std::isfinite(t.hr) && std::isfinite(t.lower) && std::isfinite(t.upper))
        out[j] = {t.hr, t.lower, t.upper};
      else
        note = "hazard ratio not estimable (NE)";
    }
  } catch (const NumericalError& e) {
    note = fmt::format("hazard ratio not estimable: {}", e.what());
  } catch (const UsageError& e) {
    note = fmt::format("hazard ratio not estimable: {}", e.what());
  }
  return out;
}

// Events and patients per arm code (unweighted counts).
std::vector<double> events_per_arm(const SurvData& d) {
  std::vector<double> ev(d.n_groups(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i)
    if (d.status[i]) ev[d.group.empty() ? 0 : static_cast<std::size_t>(d.group[i])] += 1.0;
  return ev;
}
std::vector<double> patients_per_arm(const SurvData& d) {
  std::vector<double> n(d.n_groups(), 0.0);
  for (std::size_t i = 0; i < d.size(); ++i)
    n[d.group.empty() ? 0 : static_cast<std::size_t>(d.group[i])] += 1.0;
  return n;
}

// The rows of the control (code 0) and arm `k`, the arm recoded 1: the data of a two-arm
// comparison (strata codes kept; the estimators use the codes present).
SurvData two_arms(const SurvData& d, std::int32_t k) {
  std::vector<char> keep(d.size());
  for (std::size_t i = 0; i < d.size(); ++i) keep[i] = d.group[i] == 0 || d.group[i] == k;
  SurvData s = detail::select_rows(d, keep);
  s.group_levels = {d.group_levels[0], d.group_levels[static_cast<std::size_t>(k)]};
  for (auto& g : s.group) g = g == 0 ? 0 : 1;
  return s;
}

}  // namespace

SurvData detail::select_rows(const SurvData& d, const std::vector<char>& keep) {
  SurvData s;
  s.source = d.source;
  s.group_name = d.group_name;
  s.group_levels = d.group_levels;
  s.strata_names = d.strata_names;
  s.strata_levels = d.strata_levels;
  s.time_label = d.time_label;
  s.group_label = d.group_label;
  for (std::size_t i = 0; i < d.size(); ++i) {
    if (!keep[i]) continue;
    s.time.push_back(d.time[i]);
    if (!d.start.empty()) s.start.push_back(d.start[i]);
    s.status.push_back(d.status[i]);
    if (!d.weight.empty()) s.weight.push_back(d.weight[i]);
    if (!d.group.empty()) s.group.push_back(d.group[i]);
    if (!d.stratum.empty()) s.stratum.push_back(d.stratum[i]);
    if (!d.row.empty()) s.row.push_back(d.row[i]);
    if (!d.line.empty()) s.line.push_back(d.line[i]);
  }
  return s;
}

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
  m.followup = fmt::format(
      "reverse Kaplan–Meier (Schemper & Smith 1996: the KM of the time to censoring, an event "
      "censoring it, as R quantile(survfit(Surv(time, 1 - status) ~ arm), 0.5)); {} CI {}",
      level, ci);
  m.hr_unstratified =
      fmt::format("Cox proportional hazards (as R coxph), unstratified; {} ties; {} Wald CI",
                  ties_text(o.ties), level);
  if (strata.empty()) {
    // No --strata: the "stratified" numbers are the unstratified ones, and say so.
    m.hr_stratified = m.hr_unstratified + " (no --strata given)";
    m.logrank = "log-rank test (as R survdiff), unstratified";
  } else {
    const std::string st = fmt::format("{}", fmt::join(strata, ", "));
    m.hr_stratified =
        fmt::format("Cox proportional hazards (as R coxph), stratified by {}; {} ties; {} Wald CI",
                    st, ties_text(o.ties), level);
    m.logrank = fmt::format("log-rank test (as R survdiff), stratified by {}", st);
  }
  return m;
}

CohortResult analyse_cohort(const SurvData& d, const std::string& name, const AnalysisOptions& o,
                            const SurvData* stratified) {
  CohortResult c;
  c.name = name;
  const KmResult km = kaplan_meier(d, o.km);
  const std::size_t k = km.groups.size();
  // Display order: experimental arms first, the reference (control) last.
  for (std::size_t g = 1; g < k; ++g)
    c.arms.push_back(arm_from_km(km.groups[g], km.groups[g].level.value_or(name)));
  if (k > 0) c.arms.push_back(arm_from_km(km.groups[0], km.groups[0].level.value_or(name)));
  // Median follow-up per arm, reverse KM (the same display order).
  const std::vector<KmQuantile> fu = km_followup(d, o.km);
  for (std::size_t g = 0; g < k && g < fu.size(); ++g)
    c.arms[g == 0 ? k - 1 : g - 1].followup = {fu[g].estimate, fu[g].lower, fu[g].upper};

  // The stratified analyses' rows: every patient with all stratification factors.
  const SurvData& s = stratified ? *stratified : d;
  if (stratified && s.size() < d.size()) {
    c.n_excluded_stratified = static_cast<double>(d.size() - s.size());
    std::vector<std::string> why;
    for (const auto& [reason, count] : s.excluded.reasons) {
      const auto it = d.excluded.reasons.find(reason);
      const std::size_t extra = count - (it == d.excluded.reasons.end() ? 0 : it->second);
      if (extra == 0) continue;
      why.push_back(reason == "missing stratum"
                        ? fmt::format("missing stratification factor ({}): {}",
                                      fmt::join(s.strata_names, ", "), extra)
                        : fmt::format("{}: {}", reason, extra));
    }
    c.excluded_stratified = fmt::format("{}", fmt::join(why, "; "));
    // Short: it is also the KM figure's footnote (the table's footnotes give the whole rule).
    c.messages.push_back(fmt::format("{} patients (in N) not in the stratified analyses: {}",
                                     c.n_excluded_stratified, c.excluded_stratified));
  }

  c.control = d.group_levels.empty() ? "" : d.group_levels[0];
  if (d.group.empty() || d.group_levels.size() < 2) {
    c.note = "one arm only: no comparison";
    c.messages.push_back(fmt::format(
        "only one arm ({}) in this cohort: no hazard ratio or log-rank test", c.control));
    return c;
  }
  const std::size_t arms = d.group_levels.size();
  for (std::size_t g = 1; g < arms; ++g)
    c.comparisons.push_back({.experimental = d.group_levels[g], .control = c.control});
  // Arm g of d in the stratified rows (-1: none of its patients has every stratification factor).
  auto in_s = [&](std::size_t g) -> std::int32_t {
    for (std::size_t j = 0; j < s.group_levels.size(); ++j)
      if (s.group_levels[j] == d.group_levels[g]) return static_cast<std::int32_t>(j);
    return -1;
  };
  const bool s_has_control =
      !s.group.empty() && !s.group_levels.empty() && s.group_levels[0] == c.control;

  // Strata with one subject: legal for the estimators, but worth saying.
  if (!s.stratum.empty()) {
    std::vector<std::size_t> per(s.strata_levels.size(), 0);
    for (auto st : s.stratum) ++per[static_cast<std::size_t>(st)];
    for (std::size_t st = 0; st < per.size(); ++st)
      if (per[st] == 1)
        c.messages.push_back(
            fmt::format("stratum {} has one subject: it adds nothing to the stratified "
                        "log-rank test and Cox model",
                        s.strata_levels[st]));
  }

  // Log-rank: each arm against the control on the two arms' rows; all arms together (K >= 3).
  for (std::size_t g = 1; g < arms; ++g) {
    const std::int32_t j = in_s(g);
    if (!s_has_control || j <= 0) continue;
    SurvData subset;
    if (s.group_levels.size() != 2) subset = two_arms(s, j);
    const SurvData& pair = s.group_levels.size() == 2 ? s : subset;
    const LogrankResult lr = logrank(pair, LogrankOptions{});
    c.comparisons[g - 1].p_two_sided = lr.test.p;
    c.comparisons[g - 1].p_one_sided = lr.test.p_one_sided;
    c.comparisons[g - 1].z_logrank = lr.test.z;
    double events = 0;
    for (auto st : pair.status) events += st;
    c.comparisons[g - 1].events_logrank = events;
  }
  if (arms > 2 && s_has_control && s.group_levels.size() > 1) {
    const LogrankResult lr = logrank(s, LogrankOptions{});
    c.global = {lr.test.chisq, static_cast<double>(lr.test.df), lr.test.p};
  }

  const std::vector<double> ev = events_per_arm(d);
  std::vector<std::string> no_events;
  for (std::size_t g = 0; g < ev.size(); ++g)
    if (ev[g] == 0) no_events.push_back(d.group_levels[g]);
  if (!no_events.empty()) {
    const std::string note =
        fmt::format("no events in {}: hazard ratio not estimable", fmt::join(no_events, ", "));
    for (Comparison& cmp : c.comparisons) cmp.note = note;
    c.messages.push_back(note);
    return c;
  }
  std::vector<std::string> warnings;
  std::string note_s, note_u;
  std::vector<Estimate> hs(arms - 1);
  if (s_has_control && s.group_levels.size() > 1) {
    const std::vector<Estimate> fit = fit_hrs(s, !s.stratum.empty(), o, note_s, warnings);
    for (std::size_t g = 1; g < arms; ++g)
      if (const std::int32_t j = in_s(g); j > 0) hs[g - 1] = fit[static_cast<std::size_t>(j - 1)];
  } else {
    note_s =
        "stratified hazard ratio not estimable: the control arm has no patient with every "
        "stratification factor";
  }
  const std::vector<Estimate> hu = fit_hrs(d, false, o, note_u, warnings);
  const std::string note = !note_s.empty() ? note_s : note_u;
  for (std::size_t g = 0; g + 1 < arms; ++g) {
    c.comparisons[g].hr_stratified = hs[g];
    c.comparisons[g].hr_unstratified = hu[g];
    if (!std::isfinite(hs[g].value) || !std::isfinite(hu[g].value)) c.comparisons[g].note = note;
  }
  if (!note.empty()) c.messages.push_back(note);
  for (const auto& w : warnings) c.messages.push_back("Cox model: " + w);
  return c;
}

std::vector<plot::ForestRow> subgroup_forest_rows(const SurvData& d, const std::string& label,
                                                  int indent, const AnalysisOptions& o) {
  const std::vector<double> n = patients_per_arm(d), ev = events_per_arm(d);
  const std::size_t arms = d.group_levels.size();
  std::vector<plot::ForestRow> rows;
  if (arms < 2) {
    rows.push_back({.label = label,
                    .indent = indent,
                    .n_control = n[0],
                    .events_control = ev[0],
                    .note = "one arm only"});
    return rows;
  }
  std::string note;
  for (std::size_t g = 0; g < arms; ++g)
    if (n[g] == 0) note = fmt::format("not estimable: no patients in {}", d.group_levels[g]);
  if (note.empty())
    for (std::size_t g = 0; g < arms; ++g)
      if (ev[g] == 0) note = fmt::format("not estimable: no events in {}", d.group_levels[g]);
  std::vector<Estimate> hr(arms - 1);
  if (note.empty()) {
    std::vector<std::string> warnings;
    std::string fit_note;
    hr = fit_hrs(d, false, o, fit_note, warnings);
  }
  if (arms > 2) rows.push_back({.label = label, .indent = indent, .heading = true});
  for (std::size_t g = 1; g < arms; ++g) {
    plot::ForestRow r;
    r.label = arms > 2 ? d.group_levels[g] + " vs " + d.group_levels[0] : label;
    r.indent = arms > 2 ? indent + 1 : indent;
    r.comparison = d.group_levels[g] + " vs " + d.group_levels[0];
    r.n_experimental = n[g];
    r.events_experimental = ev[g];
    r.n_control = n[0];
    r.events_control = ev[0];
    r.hr = hr[g - 1].value;
    r.lower = hr[g - 1].lower;
    r.upper = hr[g - 1].upper;
    if (!std::isfinite(r.hr)) r.note = note.empty() ? "not estimable" : note;
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace hazard::report
