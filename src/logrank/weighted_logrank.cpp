// One weighted log-rank statistic of two arms from their event table, and the Fleming–Harrington
// weights.
//
// Formula (event_times.cpp): U = sum_t w(t) [d_1 - d n_1 / n], V = sum_t w(t)^2 c d (n_1/n)(1 -
// n_1/n), z = U / sqrt(V), two-sided p = 2 Phi(-|z|), one-sided p = Phi(z) (small when arm 1 has
// fewer events than expected: hazard logrank's p_one_sided). FH G(rho, gamma): w(t) = S(t-)^rho (1
// - S(t-))^gamma with S the pooled Kaplan–Meier of the stratum, as survdiff(rho =) for gamma = 0
// (survdiff2.c) and Fleming & Harrington (1991, ch. 7) for gamma. With equal weights for every time
// this is survdiff's z for two groups. Input: a table from two_arm_event_times; w of its length.
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"

namespace hazard {

WeightedLogrank weighted_logrank(const TwoArmEventTimes& table, const std::vector<double>& w) {
  if (w.size() != table.size())
    throw std::invalid_argument("weighted_logrank: one weight per event time");
  WeightedLogrank r;
  for (std::size_t k = 0; k < w.size(); ++k) {
    r.u += w[k] * table.score[k];
    r.var += w[k] * w[k] * table.var[k];
  }
  if (r.var > 0.0) {
    namespace bm = boost::math;
    r.z = r.u / std::sqrt(r.var);
    r.p = 2.0 * bm::cdf(bm::normal(), -std::fabs(r.z));
    r.p_one_sided = bm::cdf(bm::normal(), r.z);
  } else {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    r.z = r.p = r.p_one_sided = nan;
  }
  return r;
}

std::vector<double> fh_weights(const TwoArmEventTimes& table, FhWeight fh) {
  if (!std::isfinite(fh.rho) || !std::isfinite(fh.gamma) || fh.gamma < 0.0)
    throw UsageError("Fleming-Harrington weights need a finite rho and a finite gamma >= 0");
  std::vector<double> w(table.size(), 1.0);
  for (std::size_t k = 0; k < w.size(); ++k) {
    const double s = table.surv_before[k];
    if (fh.rho != 0.0) w[k] *= std::pow(s, fh.rho);
    if (fh.gamma != 0.0) w[k] *= std::pow(1.0 - s, fh.gamma);
  }
  return w;
}

}  // namespace hazard
