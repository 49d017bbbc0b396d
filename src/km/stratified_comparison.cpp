// The stratified RMST and milestone difference tests (stratified_rmst_test,
// stratified_milestone_test): per stratum the two arms' difference as the unstratified tests,
// combined across strata.
//
// Formula: in stratum s, arm g's Kaplan–Meier on the stratum's rows, and
//   RMST: D_s = RMST_1s(tau) - RMST_0s(tau), each RMST and SE as survmean (km_rmst; a tau past
//         an arm's last time extends its curve flat, as the unstratified test);
//   milestone: D_s = S_1s(t) - S_0s(t), SEs as summary.survfit(times = t, extend = TRUE)
//         (Greenwood; the robust SE with non-integer case weights);
//   se_s = sqrt(se_0s^2 + se_1s^2), the arms independent; then combine_stratum_differences
//   (inverse-variance or size weights; stratum_combination.cpp).
// Source: Tian, Zhao & Wei (2014, Biostatistics 15:222-233) for the stratified RMST difference;
// Klein et al. (2007, Stat Med 26:4505-4519) for the survival difference. Reference:
// tests/reference/nph/make_stratified_rmst.R (summary(survfit(...), rmean = tau) and
// summary(survfit(...), times = t, extend = TRUE) on each stratum's rows, combined by hand).
// Input: SurvData with a two-level group and strata; every stratum must hold both arms. The curves
// of all strata come from one kaplan_meier call on the (stratum, arm) cells, so timefix and the
// choice of the robust SE (non-integer weights) are made once over all analysed rows.
#include <fmt/format.h>

#include <cmath>
#include <string>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"

namespace hazard {

namespace {

enum class Kind { rmst, milestone };

StratifiedTest stratified_test(const SurvData& data, double time,
                               const StratifiedTestOptions& options, Kind kind) {
  const char* test = kind == Kind::rmst ? "RMST test" : "milestone test";
  if (data.group.empty()) throw UsageError("a group (--group) is required");
  if (data.stratum.empty())
    throw UsageError(fmt::format("the stratified {} needs strata (--strata)", test));
  check_group_levels(data, 2, 2, "this test compares two groups");
  const std::size_t S = data.strata_levels.size();
  const std::size_t n = data.size();

  // Cells (stratum, arm) as the groups of one Kaplan–Meier fit: code 2 s + g.
  SurvData cells;
  cells.source = data.source;
  cells.time = data.time;
  cells.status = data.status;
  cells.weight = data.weight;
  cells.frequency = data.frequency;
  cells.group.resize(n);
  std::vector<std::size_t> rows(2 * S, 0);
  std::vector<double> last(2 * S, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<std::size_t>(2 * data.stratum[i] + data.group[i]);
    cells.group[i] = static_cast<std::int32_t>(c);
    rows[c] += data.frequency ? static_cast<std::size_t>(data.weight[i]) : 1;
    last[c] = std::max(last[c], data.time[i]);
  }
  // Levels of the stratum codes present; a code without rows is a level --where removed (skipped).
  std::vector<std::size_t> present;
  for (std::size_t s = 0; s < S; ++s) {
    if (rows[2 * s] == 0 && rows[2 * s + 1] == 0) continue;
    for (std::size_t g = 0; g < 2; ++g)
      if (rows[2 * s + g] == 0)
        throw DataError(
            {.file = data.source,
             .column = data.group_name,
             .value = data.group_levels[g],
             .has_value = true},
            fmt::format(
                "stratum {} has no rows of {}={}: the stratified {} compares the two arms "
                "within every stratum (leave the stratum out with --where, or merge strata)",
                data.strata_levels[s], data.group_name, data.group_levels[g], test));
    present.push_back(s);
  }
  cells.group_levels.resize(2 * S);
  for (std::size_t c = 0; c < 2 * S; ++c) cells.group_levels[c] = std::to_string(c);

  KmOptions o = options.km;
  o.times.clear();
  o.rmst_tau.reset();
  o.quantiles.clear();
  if (kind == Kind::rmst) {
    if (!std::isfinite(time) || time <= 0.0)
      throw UsageError("the RMST test needs --tau, a finite time > 0");
    o.rmst_tau = time;
  } else {
    if (!std::isfinite(time) || time < 0.0)
      throw UsageError("the milestone test needs --at, a finite time >= 0");
    o.times = {time};
  }
  const KmResult fit = kaplan_meier(cells, o);

  StratifiedTest r;
  r.time = time;
  r.n = data.rows();
  r.times_merged = fit.times_merged;
  r.weighted = data.weighted();
  r.robust = fit.robust;
  std::vector<StratumDifference> diffs;
  for (std::size_t s : present) {
    StratifiedStratum st;
    st.stratum = data.strata_levels[s];
    st.n = rows[2 * s] + rows[2 * s + 1];
    for (std::size_t g = 0; g < 2; ++g) {
      const KmGroup& kg = fit.groups[2 * s + g];
      StratumArm a;
      a.n = rows[2 * s + g];
      a.last_time = last[2 * s + g];
      if (kind == Kind::rmst) {
        a.estimate = kg.rmst->estimate;
        a.std_err = kg.rmst->std_err;
      } else {
        a.estimate = kg.at.at(0).surv;
        a.std_err = kg.at.at(0).std_err;
        a.n_risk = kg.at.at(0).n_risk;
      }
      // a curve fallen to 0 has no Greenwood SE (NaN), as R: the stratum cannot be combined
      if (!std::isfinite(a.std_err))
        throw NumericalError(
            fmt::format("stratum {}: the Kaplan-Meier of {}={} has fallen to 0 by t = {:g}: its SE "
                        "is not defined (R gives NA)",
                        st.stratum, data.group_name, data.group_levels[g], time));
      (g == 0 ? st.reference : st.comparison) = a;
      if (time > a.last_time) st.beyond_last_time = true;
    }
    st.difference = st.comparison.estimate - st.reference.estimate;
    st.std_err = std::sqrt(st.reference.std_err * st.reference.std_err +
                           st.comparison.std_err * st.comparison.std_err);
    diffs.push_back(
        {.stratum = st.stratum, .n = st.n, .difference = st.difference, .std_err = st.std_err});
    r.strata.push_back(std::move(st));
  }
  r.combined =
      combine_stratum_differences(diffs, options.weights, o.conf_level,
                                  kind == Kind::rmst ? "RMST difference" : "milestone difference");
  for (std::size_t k = 0; k < r.strata.size(); ++k) r.strata[k].weight = r.combined.weights[k];
  return r;
}

}  // namespace

StratifiedTest stratified_rmst_test(const SurvData& data, double tau,
                                    const StratifiedTestOptions& options) {
  return stratified_test(data, tau, options, Kind::rmst);
}

StratifiedTest stratified_milestone_test(const SurvData& data, double at,
                                         const StratifiedTestOptions& options) {
  return stratified_test(data, at, options, Kind::milestone);
}

}  // namespace hazard
