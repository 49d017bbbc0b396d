// The fixed-effect combination of per-stratum two-arm differences (combine_stratum_differences),
// used by the stratified RMST and milestone tests (hazard logrank --test rmst|milestone --strata).
//
// Formula: strata s = 1..S, each with a difference D_s (arm 1 - reference), its SE se_s and its
// rows n_s (N = sum n_s); weights w_s summing to 1:
//   inverse variance ("ivw"): w_s = (1 / se_s^2) / sum_r (1 / se_r^2), then SE^2 = 1 / sum_r (1 /
//   se_r^2); size ("size"):            w_s = n_s / N (the CMH-style sample-size weights); D = sum_s
//   w_s D_s,  SE = sqrt(sum_s w_s^2 se_s^2) (the strata independent), z = D / SE,  p = 2 Phi(-|z|),
//   p_one_sided = Phi(-z),  CI D -/+ z_{1-alpha/2} SE.
// Source: the stratified RMST difference of Tian, Zhao & Wei (2014, Biostatistics 15:222-233) and
// Tian et al. (2020, Stat Med), which combine per-stratum RMST differences with inverse-variance or
// stratum-size weights; the same for survival at a milestone (Klein et al. 2007). Reference:
// tests/reference/nph/make_stratified_rmst.R (the combination written out in R).
// Input: at least one stratum, finite SEs >= 0. An ivw weight needs se_s > 0 (a stratum with no
// event before tau has none: its weight would be infinite).
#include <fmt/format.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <stdexcept>
#include <string>

#include "hazard/error.hpp"
#include "hazard/nph.hpp"

namespace hazard {

const char* stratum_weights_name(StratumWeights weights) {
  return weights == StratumWeights::size ? "size" : "ivw";
}

StratumWeights parse_stratum_weights(const std::string& text) {
  if (text == "ivw") return StratumWeights::inverse_variance;
  if (text == "size") return StratumWeights::size;
  throw UsageError(fmt::format("--stratum-weights: '{}' is not one of ivw, size", printable(text)));
}

CombinedDifference combine_stratum_differences(const std::vector<StratumDifference>& strata,
                                               StratumWeights weighting, double conf_level,
                                               const char* what) {
  if (strata.empty()) throw std::invalid_argument("combine_stratum_differences: no strata");
  if (!(conf_level > 0.0 && conf_level < 1.0))
    throw UsageError(fmt::format("the confidence level must be in (0, 1), not {}", conf_level));
  for (const StratumDifference& s : strata)
    if (!std::isfinite(s.std_err) || s.std_err < 0.0 || !std::isfinite(s.difference))
      throw std::invalid_argument("combine_stratum_differences: a difference or SE is not finite");
  CombinedDifference r;
  r.weighting = weighting;
  r.weights.resize(strata.size());
  if (weighting == StratumWeights::inverse_variance) {
    double info = 0.0;
    for (const StratumDifference& s : strata) {
      if (!(s.std_err > 0.0))
        throw NumericalError(fmt::format(
            "stratum {}: the {} has standard error 0 (no event before the time in either arm): its "
            "inverse-variance weight is not defined (--stratum-weights size weighs the strata by "
            "their size)",
            printable(s.stratum), what));
      info += 1.0 / (s.std_err * s.std_err);
    }
    for (std::size_t k = 0; k < strata.size(); ++k)
      r.weights[k] = 1.0 / (strata[k].std_err * strata[k].std_err) / info;
  } else {
    double total = 0.0;
    for (const StratumDifference& s : strata) total += static_cast<double>(s.n);
    if (!(total > 0.0)) throw std::invalid_argument("combine_stratum_differences: no rows");
    for (std::size_t k = 0; k < strata.size(); ++k)
      r.weights[k] = static_cast<double>(strata[k].n) / total;
  }
  double var = 0.0;
  for (std::size_t k = 0; k < strata.size(); ++k) {
    r.difference += r.weights[k] * strata[k].difference;
    var += r.weights[k] * r.weights[k] * strata[k].std_err * strata[k].std_err;
  }
  if (!(var > 0.0))
    throw NumericalError(
        fmt::format("the stratified {} has standard error 0 (no event before the time in any "
                    "stratum): z is not defined",
                    what));
  r.std_err = std::sqrt(var);
  namespace bm = boost::math;
  const bm::normal N;
  const double q = bm::quantile(bm::complement(N, (1.0 - conf_level) / 2.0));
  r.lower = r.difference - q * r.std_err;
  r.upper = r.difference + q * r.std_err;
  r.z = r.difference / r.std_err;
  r.p = 2.0 * bm::cdf(N, -std::fabs(r.z));
  r.p_one_sided = bm::cdf(N, -r.z);
  return r;
}

}  // namespace hazard
