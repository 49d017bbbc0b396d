// The MaxCombo test: the largest of k Fleming–Harrington weighted log-rank statistics (by default
// FH(0,0), FH(0,1), FH(1,0), FH(1,1)), its p-value from their joint normal distribution under H0.
//
// Formula. z_a = U_a / sqrt(V_aa) for each weight w_a (weighted_logrank.cpp); under H0 the vector
// z is asymptotically N(0, R) with R_ab = V_ab / sqrt(V_aa V_bb), V_ab = sum_t w_a w_b c d
// (n_1/n)(1 - n_1/n) (event_times.cpp). Two-sided: m = max_a |z_a|,
// p = 1 - P(-m < Z_a < m for all a); one-sided (arm 1 better, z negative): m1 = min_a z_a,
// p_one_sided = 1 - P(Z_a > m1 for all a). The rectangle probabilities come from mvn_rectangle
// (Genz's algorithm, util/mvnorm.cpp), accurate to its reported error (~1e-9 absolute by default).
//
// Source: Lee (2007, Comput Stat Data Anal 51:6150-6165) and Karrison (2016, Stat Biopharm Res
// 8:35-43) for the maximum of FH statistics; Lin et al. (2020, Stat Biopharm Res 12:187-198) for
// the FH(0,0), FH(0,1), FH(1,0), FH(1,1) combination. Reference:
// tests/reference/nph/make_maxcombo.R (each statistic also by survdiff(rho =), covariance written
// out, p by mvtnorm::pmvnorm).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"

namespace hazard {

MaxComboResult maxcombo(const TwoArmEventTimes& table, const MaxComboOptions& options) {
  const std::size_t k = options.fh.size();
  if (k == 0)
    throw UsageError("maxcombo: at least one Fleming-Harrington weight (rho, gamma) is needed");
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < a; ++b)
      if (options.fh[a].rho == options.fh[b].rho && options.fh[a].gamma == options.fh[b].gamma)
        throw UsageError(fmt::format("maxcombo: FH({:g},{:g}) is listed twice", options.fh[a].rho,
                                     options.fh[a].gamma));
  MaxComboResult r;
  r.fh = options.fh;
  r.weighted = table.weighted;
  std::vector<std::vector<double>> w;
  for (const FhWeight& fh : options.fh) {
    w.push_back(fh_weights(table, fh));
    r.stats.push_back(weighted_logrank(table, w.back()));
    if (!(r.stats.back().var > 0.0))
      throw NumericalError(fmt::format(
          "maxcombo: the FH({:g},{:g}) statistic has variance 0 (no event time where both arms "
          "are at risk carries weight); its z is not defined",
          fh.rho, fh.gamma));
  }
  r.corr.assign(k * k, 1.0);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < a; ++b) {
      double v = 0.0;
      for (std::size_t t = 0; t < table.size(); ++t) v += w[a][t] * w[b][t] * table.var[t];
      const double c = std::clamp(v / std::sqrt(r.stats[a].var * r.stats[b].var), -1.0, 1.0);
      r.corr[a * k + b] = r.corr[b * k + a] = c;
    }
  r.max_abs_z = 0.0;
  r.min_z = std::numeric_limits<double>::infinity();
  for (const auto& s : r.stats) {
    r.max_abs_z = std::max(r.max_abs_z, std::fabs(s.z));
    r.min_z = std::min(r.min_z, s.z);
  }
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> lo(k, -r.max_abs_z), hi(k, r.max_abs_z);
  const MvnProbability two = mvn_rectangle(lo, hi, r.corr, options.mvn);
  r.p = std::clamp(1.0 - two.value, 0.0, 1.0);
  r.p_error = two.error;
  std::fill(lo.begin(), lo.end(), r.min_z);
  std::fill(hi.begin(), hi.end(), inf);
  const MvnProbability one = mvn_rectangle(lo, hi, r.corr, options.mvn);
  r.p_one_sided = std::clamp(1.0 - one.value, 0.0, 1.0);
  r.p_one_sided_error = one.error;
  return r;
}

MaxComboResult maxcombo(const SurvData& data, const MaxComboOptions& options) {
  bool merged = false;
  const TwoArmEventTimes table = two_arm_event_times(data, options.timefix, &merged);
  MaxComboResult r = maxcombo(table, options);
  r.n = data.rows();
  r.times_merged = merged;
  return r;
}

}  // namespace hazard
