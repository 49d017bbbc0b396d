// The Magirr–Burman modestly weighted log-rank test.
//
// Formula: the weighted log-rank statistic (weighted_logrank.cpp) with
//     w(t) = 1 / max(S(t-), S(t*)),
// S the pooled Kaplan–Meier of the stratum (both arms), S(t*) its value at t* (right-continuous:
// the product over the stratum's event times <= t*). Before t* the weight is 1 / S(t-) (rising
// from 1, as the Peto–Prentice-type weights fall); from t* on it stays at 1 / S(t*), so late
// differences count fully and early ones are not ignored. t* >= the last event time gives
// 1 / S(t-) throughout; a t* before the first event time gives the log-rank test.
// Source: Magirr & Burman (2019, Stat Med 38:5475-5487, eq. 4, with s* = S(t*)), the weights
// of nphRCT::find_weights(method = "mw", t_star =). Reference: tests/reference/nph/make_maxcombo.R
// (written out in R).
#include <algorithm>
#include <cmath>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"

namespace hazard {

std::vector<double> modestly_weights(const TwoArmEventTimes& table, double t_star,
                                     std::vector<double>* s_star) {
  if (!std::isfinite(t_star) || t_star <= 0.0)
    throw UsageError("the Magirr-Burman test needs --t-star, a finite time > 0");
  std::vector<double> w(table.size(), 1.0);
  if (s_star) s_star->clear();
  for (std::size_t b = 0; b < table.size();) {
    std::size_t e = b;
    while (e < table.size() && table.stratum[e] == table.stratum[b]) ++e;
    // S(t*): S just after the last event time <= t* of the stratum
    double st = 1.0;
    for (std::size_t k = b; k < e && table.time[k] <= t_star; ++k)
      st = table.surv_before[k] * (1.0 - table.deaths[k] / table.at_risk[k]);
    if (s_star) s_star->push_back(st);
    for (std::size_t k = b; k < e; ++k) w[k] = 1.0 / std::max(table.surv_before[k], st);
    b = e;
  }
  return w;
}

ModestlyWeightedResult modestly_weighted_logrank(const TwoArmEventTimes& table,
                                                 const ModestlyWeightedOptions& options) {
  ModestlyWeightedResult r;
  r.t_star = options.t_star;
  r.weighted = table.weighted;
  const std::vector<double> w = modestly_weights(table, options.t_star, &r.surv_t_star);
  for (double x : w) r.max_weight = std::max(r.max_weight, x);
  r.test = weighted_logrank(table, w);
  if (!(r.test.var > 0.0))
    throw NumericalError(
        "the Magirr-Burman statistic has variance 0 (no event time where both arms are at risk); "
        "its z is not defined");
  return r;
}

ModestlyWeightedResult modestly_weighted_logrank(const SurvData& data,
                                                 const ModestlyWeightedOptions& options) {
  if (!std::isfinite(options.t_star) || options.t_star <= 0.0)
    throw UsageError("the Magirr-Burman test needs --t-star, a finite time > 0");
  bool merged = false;
  const TwoArmEventTimes table = two_arm_event_times(data, options.timefix, &merged);
  ModestlyWeightedResult r = modestly_weighted_logrank(table, options);
  r.n = data.rows();
  r.times_merged = merged;
  return r;
}

}  // namespace hazard
