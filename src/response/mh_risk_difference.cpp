// Stratified difference of proportions with Mantel–Haenszel (CMH) weights and Sato's variance.
//
// Source: the Mantel–Haenszel estimate of the common risk difference and the variance estimator
// of T. Sato, "On the variance estimator for the Mantel-Haenszel risk difference", Biometrics
// 45:1323-1324 (1989), as SAS PROC FREQ computes them (COMMONRISKDIFF(CL=MH); SAS/STAT User's
// Guide, "Common Risk Difference"). For strata h with x1h responders of n1h (experimental arm),
// x0h of n0h (reference), nh = n1h + n0h:
//   d_h = x1h / n1h - x0h / n0h,   w_h = n1h n0h / nh,   d_MH = sum w_h d_h / sum w_h
//   P_h = (n1h^2 x0h - n0h^2 x1h + n1h n0h (n0h - n1h) / 2) / nh^2
//   Q_h = (x1h (n0h - x0h) + x0h (n1h - x1h)) / (2 nh)
//   Var(d_MH) = (d_MH sum P_h + sum Q_h) / (sum w_h)^2
//   limits d_MH -/+ z sqrt(Var),  z = qnorm(1 - a/2).
// A stratum with an empty arm has w_h = P_h = Q_h = 0 and drops out. With one stratum the
// variance is the Wald variance p1 q1 / n1 + p0 q0 / n0. Sato's estimator is consistent both when
// strata are many and sparse and when they are few and large. Input: x <= n in every stratum;
// NaN when every weight is 0. The R script tests/reference/response/make_response.R writes the
// same formulas out and checks them against the one-stratum Wald variance.
#include <cmath>
#include <limits>

#include "hazard/response.hpp"
#include "response/detail.hpp"

namespace hazard {

DifferenceCi mh_risk_difference(std::span<const TwoByTwo> strata, double conf_level) {
  const double z = detail::z_two_sided(conf_level);
  double sum_w = 0, sum_wd = 0, sum_p = 0, sum_q = 0;
  for (const TwoByTwo& t : strata) {
    detail::check_count(t.x1, t.n1, "mh_risk_difference");
    detail::check_count(t.x0, t.n0, "mh_risk_difference");
    if (t.n1 == 0 || t.n0 == 0) continue;  // weight 0, P = Q = 0
    const double x1 = static_cast<double>(t.x1), n1 = static_cast<double>(t.n1);
    const double x0 = static_cast<double>(t.x0), n0 = static_cast<double>(t.n0);
    const double n = n1 + n0;
    const double w = n1 * n0 / n;
    sum_w += w;
    sum_wd += w * (x1 / n1 - x0 / n0);
    sum_p += (n1 * n1 * x0 - n0 * n0 * x1 + n1 * n0 * (n0 - n1) / 2) / (n * n);
    sum_q += (x1 * (n0 - x0) + x0 * (n1 - x1)) / (2 * n);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (sum_w == 0) return {nan, nan, nan, nan};
  DifferenceCi r;
  r.estimate = sum_wd / sum_w;
  const double var = (r.estimate * sum_p + sum_q) / (sum_w * sum_w);
  r.std_err = var >= 0 ? std::sqrt(var) : nan;
  r.lower = r.estimate - z * r.std_err;
  r.upper = r.estimate + z * r.std_err;
  return r;
}

}  // namespace hazard
