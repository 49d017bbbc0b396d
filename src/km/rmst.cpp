// Restricted mean survival time (RMST) to tau, its SE, and the difference between two groups.
//
// Source: R survival, survmean (print(fit, rmean = tau)); survRM2::rmst2 computes the same
// estimate and variance. With the curve's times t_1 < ... < t_k <= tau (t_0 = 0, S_0 = 1):
//   RMST = sum_{j=0..k} (t_{j+1} - t_j) S_j,   t_{k+1} = tau   (S flat after the last time)
//   Var  = sum_{j=1..k} A_j^2 d_j / (n_j (n_j - d_j)),   A_j = integral of S from t_j to tau,
// a term being 0 when n_j = d_j (as survmean). d and n are the case-weighted counts.
// CI: RMST -/+ z SE (survRM2). Difference (other - reference): SE = sqrt(V_0 + V_1), z = D / SE,
// two-sided p = 2 Phi(-|z|) (survRM2 writes 2 (1 - Phi(|z|)), the same number without
// cancellation). A tau beyond a curve's last time extends the curve flat at its last value, as
// survmean does (survRM2 refuses such a tau).
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "hazard/error.hpp"
#include "hazard/km.hpp"

namespace hazard {

namespace {
double z_of(double conf_level) {
  // by the complement: finite for any level below 1 (see km_z)
  return boost::math::quantile(
      boost::math::complement(boost::math::normal_distribution<double>(), (1 - conf_level) / 2));
}
}  // namespace

Rmst km_rmst(const KmCurve& curve, double tau, double conf_level) {
  if (!std::isfinite(tau) || tau <= 0)
    throw UsageError("the RMST truncation time tau must be a finite number > 0");
  std::size_t k = 0;  // rows with time <= tau
  while (k < curve.size() && curve.time[k] <= tau) ++k;

  // rect[j]: area of the rectangle starting at t_j (j = 0 is the start at time 0 with S = 1)
  std::vector<double> rect(k + 1);
  double prev_t = 0, prev_s = 1, mean = 0;
  for (std::size_t j = 0; j <= k; ++j) {
    const double t = j < k ? curve.time[j] : tau;
    rect[j] = (t - prev_t) * prev_s;
    mean += rect[j];
    if (j < k) {
      prev_t = t;
      prev_s = curve.surv[j];
    }
  }
  double var = 0, area = 0;
  for (std::size_t j = k; j-- > 0;) {  // A_j accumulates from tau backwards
    area += rect[j + 1];
    const double n = curve.n_risk[j], d = curve.n_event[j];
    const double hh = (n - d) == 0 ? 0.0 : d / (n * (n - d));
    var += area * area * hh;
  }
  Rmst r;
  r.tau = tau;
  r.estimate = mean;
  r.std_err = std::sqrt(var);
  const double z = z_of(conf_level);
  r.lower = r.estimate - z * r.std_err;
  r.upper = r.estimate + z * r.std_err;
  return r;
}

RmstDifference rmst_difference(const Rmst& reference, const Rmst& other, double conf_level) {
  RmstDifference d;
  d.estimate = other.estimate - reference.estimate;
  d.std_err = std::sqrt(other.std_err * other.std_err + reference.std_err * reference.std_err);
  const double z = z_of(conf_level);
  d.lower = d.estimate - z * d.std_err;
  d.upper = d.estimate + z * d.std_err;
  d.z = d.estimate / d.std_err;
  if (std::isnan(d.z)) {
    d.p = std::numeric_limits<double>::quiet_NaN();
  } else if (std::isinf(d.z)) {
    d.p = 0;
  } else {
    d.p = 2 * boost::math::cdf(boost::math::complement(boost::math::normal_distribution<double>(),
                                                       std::fabs(d.z)));
  }
  return d;
}

}  // namespace hazard
